"""Regularization (L2, inverted dropout) and initialization, with the course's names.

Derived and checked in the chapter *Regularization and initialization* (Course 2 of the Deep
Learning Specialization, week 1).

Two layers of API:

* the course's own functions, for its 3-layer network LINEAR → RELU → LINEAR → RELU → LINEAR →
  SIGMOID and its flat cache tuples — ``forward_propagation``, ``compute_cost_with_regularization``,
  ``backward_propagation_with_regularization``, ``forward_propagation_with_dropout``,
  ``backward_propagation_with_dropout`` and the three ``initialize_parameters_*``; they reproduce
  the course's published outputs, including its ``np.random.seed`` calls inside functions;
* general L-layer pieces for any training loop: :func:`l2_regularization_cost`,
  :func:`l2_gradients` (dW^[l] += (λ/m) W^[l]), :func:`dropout_forward` / :func:`dropout_backward`
  working on one layer's (A, D, keep_prob), and :func:`model`, which trains
  [LINEAR → RELU] × (L − 1) → LINEAR → SIGMOID with any λ and keep_prob.

Shapes: X (n_x, m), one example per column; Y (1, m); W^[l] (n^[l], n^[l−1]); b^[l] (n^[l], 1).
"""

import numpy as np

from nnlib import _kernels as K
from nnlib import activations, deep, optim, training
from nnlib.losses import SigmoidCrossEntropy
from nnlib.losses import binary_cross_entropy_with_logits
from nnlib._validate import (as_float_array, as_labels, check_int, check_interval, check_layer_dims,
                             check_parameters, check_positive, check_shape)

# ----------------------------------------------------------------------------------------------
# Validation helpers.


def _non_negative(name, value):
    return check_interval(name, value, 0)


def _keep_prob(keep_prob):
    return check_interval("keep_prob", keep_prob, 0, 1, low_open=True)


def _weights(parameters):
    """The validated weight matrices W1, ..., WL of a parameters dict (other keys are ignored)."""
    if not isinstance(parameters, dict) or "W1" not in parameters:
        raise ValueError(f"parameters must be a dict with W1, ..., WL, got {type(parameters).__name__}")
    Ws, l = [], 1
    while f"W{l}" in parameters:
        Ws.append(as_float_array(f"W{l}", parameters[f"W{l}"], ndim=2))
        l += 1
    return Ws


def _three_layer(parameters, n_x):
    L, params = check_parameters(parameters, n_x)
    if L != 3:
        raise ValueError(f"the course's network has 3 layers (W1, b1, W2, b2, W3, b3), got {L}")
    return params


# ----------------------------------------------------------------------------------------------
# L2 regularization.


def l2_regularization_cost(parameters, lambd, m):
    """The L2 term (λ / 2m) Σ_l ‖W^[l]‖²_F over every weight matrix W1, ..., WL (biases excluded).

    Returns a Python float.
    """
    lambd = _non_negative("lambd", lambd)
    m = check_int("m", m)
    return K.l2_penalty(_weights(parameters), lambd, m)


def compute_cost_with_regularization(A3, Y, parameters, lambd):
    """J = cross-entropy + (λ / 2m) Σ_l ‖W^[l]‖²_F — the course's function, for any number of layers.

    Parameters
    ----------
    A3 : (1, m) output probabilities (the course's network has 3 layers; any L works here)
    Y : (1, m) labels in {0, 1}
    parameters : dict W1, b1, ..., WL, bL (only the W's enter the penalty)
    lambd : λ ≥ 0

    Returns the cost as a float.
    """
    A3 = as_float_array("A3", A3, ndim=2)
    check_shape("A3", A3, (1, None))
    m = A3.shape[1]
    cross_entropy_cost = float(deep.compute_cost(A3, Y))
    return cross_entropy_cost + l2_regularization_cost(parameters, lambd, m)


def l2_gradients(grads, parameters, lambd, m):
    """Add the L2 term's gradient: dW^[l] + (λ/m) W^[l] for every l (db^[l] unchanged).

    Returns a new dict (the input grads are not modified); keys other than dW1..dWL are copied.
    """
    lambd = _non_negative("lambd", lambd)
    m = check_positive("m", m, integer=True)
    Ws = _weights(parameters)
    out = dict(grads)
    for l, W in enumerate(Ws, start=1):
        key = f"dW{l}"
        if key not in grads:
            raise ValueError(f"grads has no entry {key!r}; it has {sorted(grads)}")
        dW = check_shape(key, as_float_array(key, grads[key]), W.shape)
        out[key] = K.l2_gradient(dW, W, lambd, m)
    return out


# ----------------------------------------------------------------------------------------------
# The course's 3-layer network (reg_utils): forward pass and the two regularized backward passes.


def forward_propagation(X, parameters):
    """LINEAR → RELU → LINEAR → RELU → LINEAR → SIGMOID, as the course's ``reg_utils``.

    Returns ``(A3, cache)`` with ``cache = (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)``.
    """
    X = as_float_array("X", X, ndim=2)
    p = _three_layer(parameters, X.shape[0])
    W1, b1, W2, b2, W3, b3 = (p[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = W1 @ X + b1
    A1 = np.maximum(Z1, 0)
    Z2 = W2 @ A1 + b2
    A2 = np.maximum(Z2, 0)
    Z3 = W3 @ A2 + b3
    A3 = deep.sigmoid(Z3)[0]
    return A3, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)


def _check_cache(cache, n):
    if not isinstance(cache, tuple) or len(cache) != n:
        raise ValueError(f"cache must be the course's tuple of {n} arrays, got {type(cache).__name__} "
                         f"of length {len(cache) if hasattr(cache, '__len__') else '?'}")
    for i, c in enumerate(cache):
        as_float_array(f"cache[{i}]", c, ndim=2)      # numeric, finite, 2-D (masks D stay boolean)
    return tuple(np.asarray(c) for c in cache)


def backward_propagation_with_regularization(X, Y, cache, lambd):
    """Backward pass of the course's 3-layer network with the L2 term: dW^[l] += (λ/m) W^[l].

    Parameters
    ----------
    X : (n_x, m); Y : (1, m); cache : ``(Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)``
    lambd : λ ≥ 0

    Returns the course's dict ``dZ3, dW3, db3, dA2, dZ2, dW2, db2, dA1, dZ1, dW1, db1``.
    """
    X = as_float_array("X", X, ndim=2)
    m = X.shape[1]
    Y = as_labels("Y", Y, m)
    lambd = _non_negative("lambd", lambd)
    (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3) = _check_cache(cache, 12)
    check_shape("A3 (in cache)", A3, (1, m))
    dZ3 = A3 - Y
    dW3 = 1.0 / m * dZ3 @ A2.T + lambd / m * W3
    db3 = 1.0 / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = W3.T @ dZ3
    dZ2 = dA2 * (A2 > 0)
    dW2 = 1.0 / m * dZ2 @ A1.T + lambd / m * W2
    db2 = 1.0 / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = W2.T @ dZ2
    dZ1 = dA1 * (A1 > 0)
    dW1 = 1.0 / m * dZ1 @ X.T + lambd / m * W1
    db1 = 1.0 / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


# ----------------------------------------------------------------------------------------------
# Inverted dropout.


def dropout_forward(A, keep_prob, rng=None):
    """Inverted dropout of one layer's activations: D = (U < keep_prob), A ⊙ D / keep_prob.

    Parameters
    ----------
    A : (n^[l], m) activations
    keep_prob : probability of keeping a unit, in (0, 1]
    rng : a ``np.random.Generator``, or None to draw U with numpy's global ``np.random.rand``
        (as the course does)

    Returns ``(A_dropped, D)``: A_dropped has A's shape and dtype, D is a boolean mask. Dividing by
    keep_prob keeps E[A_dropped] = A, so nothing changes at test time (no dropout there).
    """
    A = as_float_array("A", A, ndim=2)
    keep_prob = _keep_prob(keep_prob)
    return K.dropout_forward(A, keep_prob, rng)


def dropout_backward(dA, D, keep_prob):
    """Backward pass of inverted dropout with the forward pass's mask: dA ⊙ D / keep_prob."""
    dA = as_float_array("dA", dA, ndim=2)
    D = np.asarray(D)
    check_shape("D", D, dA.shape)
    keep_prob = _keep_prob(keep_prob)
    return K.dropout_backward(dA, D, keep_prob)


def forward_propagation_with_dropout(X, parameters, keep_prob=0.5):
    """The course's 3-layer forward pass with inverted dropout on the two hidden layers.

    As in the course: ``np.random.seed(1)`` first (a side effect on numpy's global state), then
    ``D1 = np.random.rand(A1.shape[0], A1.shape[1]) < keep_prob`` and the same for D2.

    Returns ``(A3, cache)`` with ``cache = (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)``
    (A1, A2 after the mask and the 1/keep_prob scaling).
    """
    X = as_float_array("X", X, ndim=2)
    p = _three_layer(parameters, X.shape[0])
    keep_prob = _keep_prob(keep_prob)
    np.random.seed(1)
    W1, b1, W2, b2, W3, b3 = (p[k] for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    Z1 = W1 @ X + b1
    A1 = np.maximum(Z1, 0)
    D1 = np.random.rand(A1.shape[0], A1.shape[1]) < keep_prob
    A1 = A1 * D1 / keep_prob
    Z2 = W2 @ A1 + b2
    A2 = np.maximum(Z2, 0)
    D2 = np.random.rand(A2.shape[0], A2.shape[1]) < keep_prob
    A2 = A2 * D2 / keep_prob
    Z3 = W3 @ A2 + b3
    A3 = deep.sigmoid(Z3)[0]
    return A3, (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)


def backward_propagation_with_dropout(X, Y, cache, keep_prob):
    """Backward pass of :func:`forward_propagation_with_dropout`, with the same masks D1, D2.

    Returns the course's dict ``dZ3, dW3, db3, dA2, dZ2, dW2, db2, dA1, dZ1, dW1, db1``.
    """
    X = as_float_array("X", X, ndim=2)
    m = X.shape[1]
    Y = as_labels("Y", Y, m)
    keep_prob = _keep_prob(keep_prob)
    (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3) = _check_cache(cache, 14)
    check_shape("A3 (in cache)", A3, (1, m))
    dZ3 = A3 - Y
    dW3 = 1.0 / m * dZ3 @ A2.T
    db3 = 1.0 / m * np.sum(dZ3, axis=1, keepdims=True)
    dA2 = W3.T @ dZ3
    dA2 = dA2 * D2 / keep_prob
    dZ2 = dA2 * (A2 > 0)
    dW2 = 1.0 / m * dZ2 @ A1.T
    db2 = 1.0 / m * np.sum(dZ2, axis=1, keepdims=True)
    dA1 = W2.T @ dZ2
    dA1 = dA1 * D1 / keep_prob
    dZ1 = dA1 * (A1 > 0)
    dW1 = 1.0 / m * dZ1 @ X.T
    db1 = 1.0 / m * np.sum(dZ1, axis=1, keepdims=True)
    return {"dZ3": dZ3, "dW3": dW3, "db3": db3, "dA2": dA2, "dZ2": dZ2, "dW2": dW2, "db2": db2,
            "dA1": dA1, "dZ1": dZ1, "dW1": dW1, "db1": db1}


# ----------------------------------------------------------------------------------------------
# Initialization (the course's "Initialization" assignment): each seeds numpy's global state.


def initialize_parameters_zeros(layers_dims):
    """All W^[l] and b^[l] zero: every unit of a layer computes the same thing (symmetry is never broken)."""
    layers_dims = check_layer_dims(layers_dims)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.zeros((layers_dims[l], layers_dims[l - 1]))
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


def initialize_parameters_random(layers_dims):
    """The course's *large* random weights: ``np.random.seed(3)``, then W^[l] = randn(...) × 10, b^[l] = 0."""
    layers_dims = check_layer_dims(layers_dims)
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * 10
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


def initialize_parameters_he(layers_dims):
    """He initialization: ``np.random.seed(3)``, W^[l] = randn(...) × sqrt(2 / n^[l−1]), b^[l] = 0.

    Var(W^[l]) = 2 / n^[l−1] keeps the second moment of ReLU activations constant from layer to
    layer (He et al. 2015).
    """
    layers_dims = check_layer_dims(layers_dims)
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layers_dims)):
        parameters["W" + str(l)] = np.random.randn(layers_dims[l], layers_dims[l - 1]) * np.sqrt(2.0 / layers_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layers_dims[l], 1))
    return parameters


# ----------------------------------------------------------------------------------------------
# A general L-layer training loop with L2 and dropout.


def model(X, Y, layers_dims, learning_rate=0.3, num_iterations=30000, print_cost=False, lambd=0.0, keep_prob=1.0,
          seed=3, record_every=1000, initialization="he"):
    """Train [LINEAR → RELU] × (L − 1) → LINEAR → SIGMOID by gradient descent with L2 and/or dropout.

    The course's regularization ``model`` with the architecture as an argument: He-scaled
    initialization after ``np.random.seed(seed)`` (the course's ``reg_utils`` uses
    randn / sqrt(n^[l−1]); here ``randn · sqrt(2 / n^[l−1])``), λ (``lambd``) and ``keep_prob``
    (dropout masks from ``np.random.default_rng(seed)``, on the hidden layers only).

    ``initialization`` is "he" (default), "zeros", "random" (the course's × 10) — the last two
    through :func:`initialize_parameters_zeros` / :func:`initialize_parameters_random` — or a dict
    of starting parameters (copied).

    Returns ``(parameters, costs)``: the regularized cost (λ term included, dropout's noisy cost)
    every ``record_every`` iterations; prints "Cost after iteration %i: %f" every 10 records.
    """
    X = as_float_array("X", X, ndim=2)
    m = X.shape[1]
    Y = as_labels("Y", Y, m, dtype=X.dtype)
    layers_dims = check_layer_dims(layers_dims)
    if layers_dims[0] != X.shape[0] or layers_dims[-1] != 1:
        raise ValueError(f"layers_dims must start with n_x = {X.shape[0]} and end with 1, got {layers_dims}")
    learning_rate = check_positive("learning_rate", learning_rate)
    num_iterations = check_int("num_iterations", num_iterations, minimum=0)
    lambd, keep_prob = _non_negative("lambd", lambd), _keep_prob(keep_prob)
    if isinstance(initialization, dict):
        parameters = {k: as_float_array(k, v).copy() for k, v in initialization.items()}
        check_parameters(parameters, X.shape[0])
    elif initialization == "zeros":
        parameters = initialize_parameters_zeros(layers_dims)
    elif initialization == "random":
        parameters = initialize_parameters_random(layers_dims)
    elif initialization == "he":
        np.random.seed(seed)
        parameters = deep.initialize_parameters_deep(layers_dims, scale="he")
    else:
        raise ValueError(f"initialization must be 'he', 'zeros', 'random' or a dict, got {initialization!r}")
    network = deep.build_network(parameters, keep_prob, np.random.default_rng(seed), course_scaling="divide")
    options = training.TrainingOptions(num_epochs=num_iterations, optimizer=optim.GradientDescent(learning_rate),
                                       lambd=lambd, record_every=record_every, print_cost=bool(print_cost),
                                       print_every=10 * record_every, epoch_average=False)
    costs = training.train(network, SigmoidCrossEntropy(per_example=True), X, Y, options)
    return deep.network_parameters(network), [float(c) for c in costs]


def predict(X, parameters):
    """0/1 predictions (1 where σ(Z^[L]) > 0.5) of a sigmoid network, as a (1, m) array in the
    output's dtype (float32 stays float32); no dropout."""
    AL, _ = deep.L_model_forward(X, parameters)
    return (AL > K.THRESHOLD).astype(AL.dtype)
