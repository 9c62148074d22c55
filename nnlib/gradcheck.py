"""Gradient checking: central finite differences and the relative difference of two gradients.

Used by every chapter that derives a gradient, and by the tests. For a scalar function f of a dict
of arrays θ, the central difference (f(θ + ε eᵢ) − f(θ − ε eᵢ)) / 2ε has error O(ε²);
``gradient_difference`` compares a dict of gradients with it.

The rest is the course's assignment "Gradient Checking" (*Improving Deep Neural Networks*, week 1),
with its names, signatures, return values and published outputs, derived and run in the chapter
*Deep neural networks*: the one-dimensional example J(θ) = θx (``forward_propagation``,
``backward_propagation``, ``gradient_check``), and the vector form that flattens every parameter
into one vector θ (``dictionary_to_vector``, ``vector_to_dictionary``, ``gradients_to_vector``) to
check the backward pass of the course's LINEAR → RELU → LINEAR → RELU → LINEAR → SIGMOID network
(``forward_propagation_n``, ``backward_propagation_n``, ``gradient_check_n``) — for any number of
layers. ``stable_forward_propagation_n`` is the same network with the cost computed from Z^[L].
"""

import re

import numpy as np

from nnlib import deep
from nnlib._validate import as_float_array, as_labels, check_positive, check_shape
from nnlib.losses import binary_cross_entropy_with_logits


def central_difference(f, x, epsilon=1e-6):
    """Element-wise derivative estimate (f(x + ε) − f(x − ε)) / 2ε of an element-wise function ``f``.

    Its error is about ``ε²·|f‴(x)|/6`` (truncation) plus ``ε_mach·|f(x)|/ε`` (rounding): about 1e-10
    for ε = 1e-6 and ``|f| ≈ 1`` in float64, so compare with an absolute tolerance of that size.
    """
    if not epsilon > 0:
        raise ValueError(f"epsilon must be positive, got {epsilon!r}")
    x = as_float_array("x", x).astype(np.float64, copy=False)
    return (np.asarray(f(x + epsilon)) - np.asarray(f(x - epsilon))) / (2 * epsilon)


def numerical_gradient(f, params, epsilon=1e-6):
    """Central-difference gradient of the scalar ``f(params)`` with respect to each entry of ``params``.

    Parameters
    ----------
    f : callable taking a dict like ``params`` and returning a scalar
    params : dict of name → array (or scalar); not modified
    epsilon : the step ε

    Returns
    -------
    dict with the same keys; each value has the shape of the parameter (a float for a scalar)
    """
    if not isinstance(params, dict) or not params:
        raise ValueError(f"params must be a non-empty dict of arrays, got {type(params).__name__}")
    if not epsilon > 0:
        raise ValueError(f"epsilon must be positive, got {epsilon!r}")
    work = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    grads = {}
    for key, arr in work.items():
        g = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            orig = arr[idx]
            arr[idx] = orig + epsilon
            f_plus = float(f(work))
            arr[idx] = orig - epsilon
            f_minus = float(f(work))
            arr[idx] = orig
            g[idx] = (f_plus - f_minus) / (2 * epsilon)
        grads[key] = float(g) if np.ndim(params[key]) == 0 else g
    return grads


def _flatten(name, g, keys=None):
    if isinstance(g, dict):
        return np.concatenate([np.ravel(as_float_array(f"{name}[{k!r}]", g[k])) for k in keys]).astype(np.float64)
    return np.ravel(as_float_array(name, g)).astype(np.float64)


def relative_difference(g1, g2):
    """‖g1 − g2‖ / (‖g1‖ + ‖g2‖) for two arrays or two dicts with the same keys (0 if both are 0).

    Below 1e-7 the gradients agree; above 1e-3 one of them is almost certainly wrong.
    """
    keys = None
    if isinstance(g1, dict) or isinstance(g2, dict):
        if not (isinstance(g1, dict) and isinstance(g2, dict)) or set(g1) != set(g2):
            raise ValueError(f"both gradients must be dicts with the same keys, got {_keys(g1)} and {_keys(g2)}")
        keys = sorted(g1)
        for k in keys:
            if np.shape(g1[k]) != np.shape(g2[k]):
                raise ValueError(f"{k!r} has shape {np.shape(g1[k])} in one gradient and {np.shape(g2[k])} in the other")
    if keys is None and np.shape(g1) != np.shape(g2):
        raise ValueError(f"g1 and g2 must have the same shape, got {np.shape(g1)} and {np.shape(g2)}")
    a, b = _flatten("g1", g1, keys), _flatten("g2", g2, keys)
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def _keys(g):
    return sorted(g) if isinstance(g, dict) else type(g).__name__


def gradient_difference(f, grads, params, epsilon=1e-7, grad_key=lambda k: k):
    """Relative difference between analytic ``grads`` and central differences of ``f`` at ``params``.

    The dict form of a gradient check, for any scalar function ``f(params)`` (the course's
    ``gradient_check`` is the one-dimensional example below). ``grad_key`` maps a parameter name to
    its key in ``grads`` (e.g. ``lambda k: "d" + k`` for the course's ``"dW1"`` for ``"W1"``).
    """
    missing = [grad_key(k) for k in params if grad_key(k) not in grads]
    if missing:
        raise ValueError(f"grads has no entry {missing[0]!r}; it has {sorted(grads)}")
    numeric = numerical_gradient(f, params, epsilon)
    analytic = {k: grads[grad_key(k)] for k in params}
    return relative_difference(analytic, numeric)


# ----------------------------------------------------------------------------------------------
# The course's one-dimensional example: J(θ) = θx, dJ/dθ = x.


def _scalar(name, value):
    """Check that ``value`` is one real, finite number; return it unchanged (an int stays an int)."""
    arr = as_float_array(name, value)
    if arr.ndim != 0:
        raise ValueError(f"{name} must be a scalar (J(θ) = θx is one-dimensional), got shape {arr.shape}")
    return value


def _report(difference):
    """Print the course's verdict on a difference (its threshold 2e-7; without its terminal colours)."""
    if difference > 2e-7:
        print("There is a mistake in the backward propagation! difference = " + str(difference))
    else:
        print("Your backward propagation works perfectly fine! difference = " + str(difference))


def forward_propagation(x, theta):
    """The course's one-dimensional cost J(θ) = θx, computed as ``np.dot(theta, x)``.

    x, theta : real scalars. Returns J, a numpy scalar (``forward_propagation(2, 4)`` is 8).
    """
    return np.dot(_scalar("theta", theta), _scalar("x", x))


def backward_propagation(x, theta):
    """dJ/dθ = x for J(θ) = θx (the course's ``dtheta``): returns ``x`` itself (``theta`` is checked)."""
    _scalar("theta", theta)
    return _scalar("x", x)


def gradient_check(x, theta, epsilon=1e-7, print_msg=False):
    """The course's one-dimensional gradient check of J(θ) = θx at θ.

    gradapprox = (J(θ + ε) − J(θ − ε)) / 2ε, grad = :func:`backward_propagation`, and the returned
    difference is ‖grad − gradapprox‖ / (‖grad‖ + ‖gradapprox‖) (:func:`relative_difference`; 0 when
    both are 0). With ``print_msg`` it prints the course's verdict (threshold 2e-7). The course's
    published outputs: 7.814075313343006e-11 for x = 3, θ = 4 and 2.919335883291695e-10 for x = 2,
    θ = 4 (the chapter *Deep neural networks* reproduces them).
    """
    x, theta = _scalar("x", x), _scalar("theta", theta)
    epsilon = check_positive("epsilon", epsilon)
    theta_plus = theta + epsilon
    theta_minus = theta - epsilon
    J_plus = forward_propagation(x, theta_plus)
    J_minus = forward_propagation(x, theta_minus)
    gradapprox = (J_plus - J_minus) / (2 * epsilon)
    grad = backward_propagation(x, theta)
    difference = relative_difference(grad, gradapprox)
    if print_msg:
        _report(difference)
    return difference


# ----------------------------------------------------------------------------------------------
# The course's vector form (Improving Deep Neural Networks, "Gradient Checking"): every parameter
# flattened into one column θ, every gradient into one column dθ, then two-sided differences
# over the entries of θ. Derived and used in the chapter *Deep neural networks*.


def _parameter_order(name):
    """Sort key: layer number first, then W before b before anything else (W1, b1, W2, b2, ...)."""
    match = re.fullmatch(r"(\D*?)(\d+)", name)
    stem, layer = (match.group(1), int(match.group(2))) if match else (name, 0)
    return layer, {"W": 0, "b": 1}.get(stem, 2), stem


def _ordered_keys(d, what):
    if not isinstance(d, dict) or not d:
        raise ValueError(f"{what} must be a non-empty dict of arrays, got {type(d).__name__}")
    bad = [k for k in d if not isinstance(k, str)]
    if bad:
        raise ValueError(f"{what} keys must be strings, got {bad[0]!r}")
    return sorted(d, key=_parameter_order)


def dictionary_to_vector(parameters):
    """Flatten a dict of parameters into one column vector θ, in the order W1, b1, W2, b2, ...

    Parameters
    ----------
    parameters : dict name → array (``"W1"``, ``"b1"``, ...); not modified

    Returns
    -------
    theta : (n, 1) float64, the entries of each array in row-major order, one array after another
    keys : list of n names, ``keys[i]`` the parameter that ``theta[i]`` belongs to (as the course)
    """
    return _flatten_named(parameters, "parameters")


def _flatten_named(d, what, prefix=""):
    names = _ordered_keys(d, what)
    pieces, keys = [], []
    for name in names:
        piece = as_float_array(prefix + name, d[name]).astype(np.float64, copy=False).reshape(-1, 1)
        pieces.append(piece)
        keys += [name] * piece.shape[0]
    return np.concatenate(pieces, axis=0), keys


def _shapes(layer_dims_or_shapes):
    spec = layer_dims_or_shapes
    if isinstance(spec, dict):
        return {k: (int(spec[k]),) if isinstance(spec[k], (int, np.integer)) else tuple(int(n) for n in spec[k])
                for k in _ordered_keys(spec, "shapes")}
    dims = list(spec) if isinstance(spec, (list, tuple, np.ndarray)) else None
    if not dims or len(dims) < 2 or any(isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1 for n in dims):
        raise ValueError(f"expected layer_dims [n_x, n^[1], ..., n^[L]] (positive integers) or a dict name → shape, got {spec!r}")
    shapes = {}
    for l in range(1, len(dims)):
        shapes[f"W{l}"] = (int(dims[l]), int(dims[l - 1]))
        shapes[f"b{l}"] = (int(dims[l]), 1)
    return shapes


def vector_to_dictionary(theta, layer_dims=(4, 5, 3, 1)):
    """Inverse of :func:`dictionary_to_vector`: cut θ back into ``W1, b1, ..., WL, bL``.

    Parameters
    ----------
    theta : (n, 1) or (n,) vector
    layer_dims : ``[n_x, n^[1], ..., n^[L]]`` (then W^[l] is (n^[l], n^[l−1]) and b^[l] is
        (n^[l], 1)), or a dict name → shape such as ``{k: v.shape for k, v in parameters.items()}``.
        The default is the course's network (``vector_to_dictionary(theta)``, n = 47 entries).

    Returns a dict of new float64 arrays (not views of θ).
    """
    shapes = _shapes(layer_dims)
    theta = as_float_array("theta", theta).astype(np.float64, copy=False)
    if theta.ndim not in (1, 2) or (theta.ndim == 2 and theta.shape[1] != 1):
        raise ValueError(f"theta must be a column (n, 1) or a vector (n,), got shape {theta.shape}")
    theta = theta.ravel()
    sizes = [int(np.prod(s)) for s in shapes.values()]
    if theta.size != sum(sizes):
        raise ValueError(f"theta must have {sum(sizes)} entries for the shapes {shapes}, got {theta.size}")
    parameters, start = {}, 0
    for (name, shape), size in zip(shapes.items(), sizes):
        parameters[name] = theta[start:start + size].reshape(shape).copy()
        start += size
    return parameters


def gradients_to_vector(gradients):
    """Flatten the parameter gradients ``dW1, db1, dW2, db2, ...`` into one (n, 1) column.

    The order matches :func:`dictionary_to_vector` of the parameters (``"d" + name`` for each
    name). Gradients of activations and pre-activations (``"dA0"``, ``"dZ1"``, ...) are left out,
    as in the course.
    """
    if not isinstance(gradients, dict):
        raise ValueError(f"gradients must be a dict dW1, db1, ..., got {type(gradients).__name__}")
    selected = {k[1:]: v for k, v in gradients.items()
                if isinstance(k, str) and k.startswith("d") and not re.fullmatch(r"d[AZ]\d*", k)}
    if not selected:
        raise ValueError(f"gradients has no parameter gradients (dW1, db1, ...); it has {sorted(gradients)}")
    return _flatten_named(selected, "gradients", prefix="d")[0]


def _forward_n(X, Y, parameters):
    """The forward pass of :func:`forward_propagation_n`: the labels (1, m) and the course's cache."""
    AL, caches = deep.L_model_forward(X, parameters)
    if "gamma1" in parameters:
        raise ValueError(f"parameters must be W1, b1, ..., WL, bL (not a batch-norm network), got {sorted(parameters)}")
    if AL.shape[0] != 1:
        raise ValueError(f"the output layer must have one (sigmoid) unit, got W{len(caches)} of shape {caches[-1][0][1].shape}")
    Y = as_labels("Y", Y, AL.shape[1], dtype=AL.dtype)
    cache = ()
    for l, ((_, W, b), Z) in enumerate(caches, start=1):
        cache += (Z, caches[l][0][0] if l < len(caches) else AL, W, b)
    return Y, cache


def forward_propagation_n(X, Y, parameters):
    """The course's LINEAR → RELU → LINEAR → RELU → LINEAR → SIGMOID network and its cost.

    Parameters
    ----------
    X : (n_x, m) inputs; Y : (1, m) (or (m,)) labels in {0, 1}
    parameters : dict ``W1, b1, W2, b2, W3, b3`` (any number of layers L: ReLU hidden layers)

    Returns
    -------
    cost : the course's J = (1/m) Σ [−y log a − (1 − y) log(1 − a)] of a = A^[L], a numpy scalar
    cache : ``(Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3)`` (4 entries a layer), as the course's

    The forward pass is :func:`nnlib.deep.L_model_forward`; the cost is the course's formula, whose
    log(1 − a) loses digits as a → 1 (infinite at a = 1 with y = 0): the chapter *Deep neural
    networks* shows it is most of the course's difference 1.19e-7, and
    :func:`stable_forward_propagation_n` avoids it.
    """
    Y, cache = _forward_n(X, Y, parameters)
    AL, m = cache[-3], Y.shape[1]
    log_probs = np.multiply(-np.log(AL), Y) + np.multiply(-np.log(1 - AL), 1 - Y)
    cost = 1. / m * np.sum(log_probs)
    return cost, cache


def stable_forward_propagation_n(X, Y, parameters):
    """:func:`forward_propagation_n` with the cost computed from Z^[L]
    (:func:`nnlib.losses.binary_cross_entropy_with_logits`), never from A^[L]: finite for every
    finite Z, and exact to rounding where log(1 − a) is not. Returns ``(cost, cache)``, the same cache.
    """
    Y, cache = _forward_n(X, Y, parameters)
    return binary_cross_entropy_with_logits(cache[-4], Y), cache


def backward_propagation_n(X, Y, cache):
    """The (correct) backward pass of :func:`forward_propagation_n`'s network.

    Parameters
    ----------
    X : (n_x, m); Y : (1, m) (or (m,)) labels; cache : the tuple from :func:`forward_propagation_n`

    Returns
    -------
    gradients : dict ``dZ3, dW3, db3, dA2, dZ2, dW2, db2, dA1, dZ1, dW1, db1`` in the course's order,
        from dZ^[L] = A^[L] − Y (each layer: :func:`nnlib.dnn_utils.relu_backward`,
        :func:`nnlib.deep.linear_backward`)

    The course's version has two deliberate mistakes (dW2 doubled, db1 with 4/m) for
    :func:`gradient_check_n` to find; the chapter *Deep neural networks* builds them from these.
    """
    X = as_float_array("X", X, ndim=2)
    if not isinstance(cache, tuple) or not cache or len(cache) % 4:
        raise ValueError("cache must be the tuple (Z1, A1, W1, b1, ..., ZL, AL, WL, bL) returned by "
                         f"forward_propagation_n, got a {type(cache).__name__} of length {len(cache) if isinstance(cache, tuple) else '?'}")
    L = len(cache) // 4
    AL = check_shape(f"A{L} (cache[{4 * L - 3}])", as_float_array(f"A{L}", cache[-3], ndim=2), (1, X.shape[1]))
    Y = as_labels("Y", Y, X.shape[1], dtype=AL.dtype)
    gradients, dZ = {}, AL - Y
    for l in range(L, 0, -1):
        Z, _, W, b = cache[4 * l - 4:4 * l]
        if l < L:
            dZ = deep.relu_backward(dA, Z)
        A_prev = X if l == 1 else cache[4 * l - 7]
        dA, dW, db = deep.linear_backward(dZ, (A_prev, W, b))
        gradients |= {f"dZ{l}": dZ, f"dW{l}": dW, f"db{l}": db}
        if l > 1:
            gradients[f"dA{l - 1}"] = dA
    return gradients


def gradient_check_n(parameters, gradients, X, Y, epsilon=1e-7, print_msg=False, cost_function=None):
    """Check a backward pass: the relative difference between ``gradients`` and two-sided differences.

    For each entry i of θ = :func:`dictionary_to_vector` (parameters), the cost is evaluated at
    θ + ε eᵢ and θ − ε eᵢ, and gradapprox[i] = (J⁺ − J⁻) / 2ε. Returns
    ‖grad − gradapprox‖ / (‖grad‖ + ‖gradapprox‖): below 1e-7 the backward pass is right; above
    1e-3 it is almost certainly wrong.

    Parameters
    ----------
    parameters : dict ``W1, b1, ...``; gradients : dict with ``dW1, db1, ...`` of the same shapes
    X, Y : the data the cost is evaluated on
    epsilon : the step ε
    print_msg : print the course's verdict (threshold 2e-7)
    cost_function : ``cost_function(X, Y, parameters)`` → the cost, or a tuple whose first
        element is the cost. Default: the course's :func:`forward_propagation_n`, which reproduces
        the course's published 0.2850931567761623 (its buggy backward pass) and
        1.1890913024229996e-07 (the correct one); :func:`stable_forward_propagation_n` gives a
        smaller difference for a right backward pass.
    """
    epsilon = check_positive("epsilon", epsilon)
    if cost_function is None:
        cost_function = forward_propagation_n
    names = _ordered_keys(parameters, "parameters")
    if not isinstance(gradients, dict):
        raise ValueError(f"gradients must be a dict dW1, db1, ..., got {type(gradients).__name__}")
    missing = [f"d{k}" for k in names if f"d{k}" not in gradients]
    if missing:
        raise ValueError(f"gradients has no entry {missing[0]!r}; it has {sorted(gradients)}")
    for k in names:
        if np.shape(gradients["d" + k]) != np.shape(parameters[k]):
            raise ValueError(f"d{k} must have the shape of {k}, {np.shape(parameters[k])}, got {np.shape(gradients['d' + k])}")
    shapes = {k: np.shape(parameters[k]) for k in names}
    parameters_values, _ = dictionary_to_vector(parameters)
    grad = _flatten_named({k: gradients["d" + k] for k in names}, "gradients", prefix="d")[0]

    def J(theta):
        value = cost_function(X, Y, vector_to_dictionary(theta, shapes))
        return float(value[0] if isinstance(value, tuple) else value)

    num_parameters = parameters_values.shape[0]
    gradapprox = np.zeros((num_parameters, 1))
    for i in range(num_parameters):
        theta_plus = np.copy(parameters_values)
        theta_plus[i] = theta_plus[i] + epsilon
        theta_minus = np.copy(parameters_values)
        theta_minus[i] = theta_minus[i] - epsilon
        gradapprox[i] = (J(theta_plus) - J(theta_minus)) / (2 * epsilon)
    difference = relative_difference(grad, gradapprox)
    if print_msg:
        _report(difference)
    return difference
