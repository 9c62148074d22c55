"""A neural network with one hidden layer, with the course's names, signatures and random draws.

Derived and checked in the chapters *A shallow neural network* (shapes, forward and backward pass,
initialization) and *Planar data classification with one hidden layer* (training on the flower).

A "2-layer" network (the input layer is not counted): n_x inputs, n_h tanh hidden units, n_y
sigmoid outputs; m examples, one per **column** of X.

    W1 (n_h, n_x)   b1 (n_h, 1)   Z1 = W1 X + b1 (n_h, m)    A1 = tanh(Z1) (n_h, m)
    W2 (n_y, n_h)   b2 (n_y, 1)   Z2 = W2 A1 + b2 (n_y, m)   A2 = σ(Z2)    (n_y, m)

Parameters live in a dict with the keys "W1", "b1", "W2", "b2"; gradients in a dict with the keys
"dW1", "db1", "dW2", "db2". Public functions validate their inputs (ValueError naming the expected
and the actual shape or value) and never modify them; the training loop of :func:`nn_model`
validates once and then calls the private, unvalidated ``_forward``, ``_backward`` and ``_update``.
"""

import numpy as np

from nnlib import _kernels as K
from nnlib._validate import as_float_array, check_int, check_positive
from nnlib import metrics
from nnlib.activations import sigmoid, tanh
from nnlib.losses import binary_cross_entropy

#: The keys of a two-layer network's parameter dict, in the course's order.
PARAMETER_KEYS = ("W1", "b1", "W2", "b2")
#: The keys of its gradient dict (:func:`backward_propagation`), in the same order.
GRADIENT_KEYS = ("dW1", "db1", "dW2", "db2")


# --------------------------------------------------------------------------- validation helpers


def _check_dict(name, d, keys):
    if not isinstance(d, dict):
        raise ValueError(f"{name} must be a dict with the keys {list(keys)}, got {type(d).__name__}")
    missing = [k for k in keys if k not in d]
    if missing:
        raise ValueError(f"{name} has no entry {missing[0]!r}: expected the keys {list(keys)}, got {sorted(d)}")


def _shape_error(name, expected, actual, why):
    return ValueError(f"{name} must have shape {expected} ({why}), got {actual}")


def _check_parameters(parameters, n_x=None):
    """Validate a parameters dict; return {key: float array} and (n_x, n_h, n_y)."""
    _check_dict("parameters", parameters, PARAMETER_KEYS)
    p = {k: as_float_array(k, parameters[k], ndim=2) for k in PARAMETER_KEYS}
    n_h, n_x_w = p["W1"].shape
    if n_x is not None and n_x_w != n_x:
        raise _shape_error("W1", f"(n_h, {n_x})", p["W1"].shape, f"one column per row of X, which has {n_x} rows")
    if p["b1"].shape != (n_h, 1):
        raise _shape_error("b1", f"({n_h}, 1)", p["b1"].shape, f"one bias per hidden unit; W1 has {n_h} rows")
    n_y = p["W2"].shape[0]
    if p["W2"].shape[1] != n_h:
        raise _shape_error("W2", f"(n_y, {n_h})", p["W2"].shape, f"one column per hidden unit; W1 has {n_h} rows")
    if p["b2"].shape != (n_y, 1):
        raise _shape_error("b2", f"({n_y}, 1)", p["b2"].shape, f"one bias per output; W2 has {n_y} rows")
    return p, (n_x_w, n_h, n_y)


def _as_targets(Y, n_y, m, dtype):
    """Labels in {0, 1} with shape (n_y, m), cast to ``dtype``; (m,) is accepted when n_y = 1."""
    Yarr = as_float_array("Y", Y).astype(dtype, copy=False)
    if Yarr.ndim == 1 and n_y == 1 and Yarr.shape[0] == m:
        Yarr = Yarr.reshape(1, m)
    if Yarr.shape != (n_y, m):
        raise _shape_error("Y", f"({n_y}, {m})", Yarr.shape, "n_y outputs × m examples, one column per example of X")
    bad = (Yarr != 0) & (Yarr != 1)
    if bad.any():
        raise ValueError(f"Y must contain only the labels {{0, 1}}, got {Yarr[bad][0]:g}")
    return Yarr


# --------------------------------------------------------------------------- the model


def layer_sizes(X, Y):
    """The sizes of the three layers: ``(n_x, n_h, n_y)`` with n_x = rows of X, n_h = 4, n_y = rows of Y.

    Parameters
    ----------
    X : (n_x, m) inputs, one example per column
    Y : (n_y, m) labels (only the shape is used)
    """
    X = as_float_array("X", X, ndim=2)
    Y = as_float_array("Y", Y, ndim=2)
    if Y.shape[1] != X.shape[1]:
        raise _shape_error("Y", f"(n_y, {X.shape[1]})", Y.shape, "one column per example of X")
    n_x = X.shape[0]
    n_h = 4
    n_y = Y.shape[0]
    return (n_x, n_h, n_y)


def initialize_parameters(n_x, n_h, n_y):
    """Small random weights and zero biases, drawn from numpy's **global** random state.

    W1 = randn(n_h, n_x) · 0.01, then W2 = randn(n_y, n_h) · 0.01 (in this order, as the course does,
    so that ``np.random.seed(k)`` beforehand reproduces the course's numbers); b1, b2 are zeros.
    Random weights break the symmetry between hidden units; small ones keep tanh and σ away from
    their flat, saturated regions.

    Returns
    -------
    parameters : dict with "W1" (n_h, n_x), "b1" (n_h, 1), "W2" (n_y, n_h), "b2" (n_y, 1), float64
    """
    n_x, n_h, n_y = (check_int(k, v) for k, v in (("n_x", n_x), ("n_h", n_h), ("n_y", n_y)))
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def forward_propagation(X, parameters):
    """The forward pass Z1 = W1 X + b1, A1 = tanh(Z1), Z2 = W2 A1 + b2, A2 = σ(Z2).

    Parameters
    ----------
    X : (n_x, m) inputs, one example per column
    parameters : dict with "W1" (n_h, n_x), "b1" (n_h, 1), "W2" (n_y, n_h), "b2" (n_y, 1)

    Returns
    -------
    A2 : (n_y, m) output probabilities
    cache : dict with "Z1", "A1" (n_h, m) and "Z2", "A2" (n_y, m), for the backward pass
    """
    X = as_float_array("X", X, ndim=2)
    p, _ = _check_parameters(parameters, n_x=X.shape[0])
    return _forward(X, p)


def _forward(X, parameters):
    """:func:`forward_propagation` on validated inputs (the training loop's body)."""
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def compute_cost(A2, Y):
    """The cross-entropy cost J = −(1/m) Σ [y log a + (1 − y) log(1 − a)], as a Python float.

    Parameters
    ----------
    A2 : (n_y, m) probabilities in [0, 1]
    Y : (n_y, m) labels in {0, 1} (``(m,)`` is accepted when n_y = 1)

    The sum runs over all n_y · m entries and is divided by m. A2 is clipped to [ε, 1 − ε]
    (nnlib.losses.binary_cross_entropy), so the cost stays finite when A2 reaches 0 or 1.
    """
    A2 = as_float_array("A2", A2, ndim=2)
    Y = _as_targets(Y, A2.shape[0], A2.shape[1], A2.dtype)
    return float(binary_cross_entropy(A2, Y))


def backward_propagation(parameters, cache, X, Y):
    """The gradients of the cost with respect to W1, b1, W2, b2 (backpropagation).

    dZ2 = A2 − Y,                 dW2 = (1/m) dZ2 A1ᵀ,   db2 = (1/m) Σ_columns dZ2,
    dZ1 = W2ᵀ dZ2 ⊙ (1 − A1²),    dW1 = (1/m) dZ1 Xᵀ,    db1 = (1/m) Σ_columns dZ1,

    where 1 − A1² = tanh'(Z1) is computed from the cached A1.

    Parameters
    ----------
    parameters : dict with "W1" (n_h, n_x), "b1", "W2" (n_y, n_h), "b2"
    cache : dict from :func:`forward_propagation`; "A1" (n_h, m) and "A2" (n_y, m) are used
    X : (n_x, m) inputs
    Y : (n_y, m) labels in {0, 1}

    Returns
    -------
    grads : dict with "dW1" (n_h, n_x), "db1" (n_h, 1), "dW2" (n_y, n_h), "db2" (n_y, 1)
    """
    X = as_float_array("X", X, ndim=2)
    p, (n_x, n_h, n_y) = _check_parameters(parameters, n_x=X.shape[0])
    m = X.shape[1]
    _check_dict("cache", cache, ("A1", "A2"))
    c = {k: as_float_array(k, cache[k], ndim=2) for k in ("A1", "A2")}
    if c["A1"].shape != (n_h, m):
        raise _shape_error("A1", f"({n_h}, {m})", c["A1"].shape, "n_h hidden units × m examples of X")
    if c["A2"].shape != (n_y, m):
        raise _shape_error("A2", f"({n_y}, {m})", c["A2"].shape, "n_y outputs × m examples of X")
    Y = _as_targets(Y, n_y, m, c["A2"].dtype)
    return _backward(p, c, X, Y)


def _backward(parameters, cache, X, Y):
    """:func:`backward_propagation` on validated inputs (the training loop's body)."""
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = (1 / m) * (dZ2 @ A1.T)
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = (parameters["W2"].T @ dZ2) * (1 - A1**2)
    dW1 = (1 / m) * (dZ1 @ X.T)
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def update_parameters(parameters, grads, learning_rate=1.2):
    """One gradient-descent step θ ← θ − α dθ for θ in W1, b1, W2, b2; returns a new dict.

    Parameters
    ----------
    parameters : dict with "W1", "b1", "W2", "b2"
    grads : dict with "dW1", "db1", "dW2", "db2" of the same shapes
    learning_rate : α > 0

    The input dicts and arrays are not modified.
    """
    p, _ = _check_parameters(parameters)
    _check_dict("grads", grads, GRADIENT_KEYS)
    g = {}
    for key in PARAMETER_KEYS:
        g["d" + key] = as_float_array("d" + key, grads["d" + key], ndim=2)
        if g["d" + key].shape != p[key].shape:
            raise _shape_error("d" + key, p[key].shape, g["d" + key].shape, f"the shape of {key}")
    learning_rate = check_positive("learning_rate", learning_rate)
    return _update(p, g, learning_rate)


def _update(parameters, grads, learning_rate):
    """:func:`update_parameters` on validated inputs (the training loop's body)."""
    return {key: parameters[key] - learning_rate * grads["d" + key] for key in PARAMETER_KEYS}


def nn_model(X, Y, n_h, num_iterations=10000, print_cost=False, *, learning_rate=1.2, return_costs=False):
    """Train the network by batch gradient descent, from :func:`initialize_parameters`.

    Parameters
    ----------
    X : (n_x, m) inputs, one example per column
    Y : (n_y, m) labels in {0, 1} (``(m,)`` is accepted when n_y = 1)
    n_h : number of hidden units
    num_iterations : number of gradient-descent steps
    print_cost : print "Cost after iteration %i: %f" every 1000 iterations, as the course does
    learning_rate : α (keyword only; the course's 1.2 by default)
    return_costs : also return the costs (keyword only; the course returns the parameters alone)

    Returns
    -------
    parameters : dict with "W1", "b1", "W2", "b2" after training (the dtype of X: float32 stays float32)
    costs : list of the costs before steps 0, 100, 200, ... (only with ``return_costs=True``)

    The weights are drawn from numpy's global random state, as the course does: call
    ``np.random.seed(k)`` first for reproducible results (nn_model itself does not seed).
    """
    X = as_float_array("X", X, ndim=2)
    Y = as_float_array("Y", Y)
    if Y.ndim == 1 and Y.shape[0] == X.shape[1]:
        Y = Y.reshape(1, -1)
    n_x, _, n_y = layer_sizes(X, Y)
    Y = _as_targets(Y, n_y, X.shape[1], X.dtype)
    n_h = check_int("n_h", n_h)
    num_iterations = check_int("num_iterations", num_iterations, minimum=0)
    learning_rate = check_positive("learning_rate", learning_rate)
    parameters = initialize_parameters(n_x, n_h, n_y)
    parameters = {k: v.astype(X.dtype, copy=False) for k, v in parameters.items()}
    costs = []
    for i in range(num_iterations):
        A2, cache = _forward(X, parameters)
        if i % 100 == 0:
            cost = float(binary_cross_entropy(A2, Y))
            costs.append(cost)
            if print_cost and i % 1000 == 0:
                print("Cost after iteration %i: %f" % (i, cost))
        grads = _backward(parameters, cache, X, Y)
        parameters = _update(parameters, grads, learning_rate)
    return (parameters, costs) if return_costs else parameters


def predict(parameters, X):
    """Predict 0/1 labels: 1 where the output probability A2 > 0.5.

    Parameters
    ----------
    parameters : dict with "W1", "b1", "W2", "b2"
    X : (n_x, m) inputs

    Returns
    -------
    predictions : (n_y, m) array of 0.0 and 1.0, with the dtype of X
    """
    X = as_float_array("X", X, ndim=2)
    p, _ = _check_parameters(parameters, n_x=X.shape[0])
    A2, _ = _forward(X, p)
    return (A2 > K.THRESHOLD).astype(X.dtype)


def accuracy(predictions, Y):
    """Percentage of correct predictions, 100 · (number equal to the labels) / (number of labels).

    The course computes it as ``(Y·predᵀ + (1 − Y)·(1 − pred)ᵀ) / Y.size · 100``, the same number.
    predictions, Y : (n_y, m) labels in {0, 1} (Y may be (m,) when n_y = 1); all n_y · m entries count.
    A course-compatible form of :func:`nnlib.metrics.accuracy` (in percent).
    """
    predictions = as_float_array("predictions", predictions, ndim=2)
    Y = _as_targets(Y, predictions.shape[0], predictions.shape[1], predictions.dtype)
    return float(100 * metrics.accuracy(Y.ravel(), predictions.ravel()))
