"""Gradient checking: central finite differences and the relative difference of two gradients.

Used by every chapter that derives a gradient, and by the tests. For a scalar function f of a dict
of arrays θ, the central difference (f(θ + ε eᵢ) − f(θ − ε eᵢ)) / 2ε has error O(ε²).

The second half is the course's vector form (derived in the chapter *Deep neural networks*):
``dictionary_to_vector``, ``vector_to_dictionary``, ``gradients_to_vector`` and
``gradient_check_n``, which flattens every parameter into one vector θ and checks a whole
backward pass at once.
"""

import re

import numpy as np

from nnlib._validate import as_float_array


def central_difference(f, x, epsilon=1e-6):
    """Element-wise derivative estimate (f(x + ε) − f(x − ε)) / 2ε of an element-wise function ``f``.

    Its error is about ε²·|f‴(x)|/6 (truncation) plus ε_mach·|f(x)|/ε (rounding): about 1e-10 for
    ε = 1e-6 and |f| ≈ 1 in float64, so compare with an absolute tolerance of that size.
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


def gradient_check(f, grads, params, epsilon=1e-7, grad_key=lambda k: k):
    """Relative difference between analytic ``grads`` and central differences of ``f`` at ``params``.

    ``grad_key`` maps a parameter name to its key in ``grads`` (e.g. ``lambda k: "d" + k`` for the
    course's ``"dW1"`` for ``"W1"``).
    """
    missing = [grad_key(k) for k in params if grad_key(k) not in grads]
    if missing:
        raise ValueError(f"grads has no entry {missing[0]!r}; it has {sorted(grads)}")
    numeric = numerical_gradient(f, params, epsilon)
    analytic = {k: grads[grad_key(k)] for k in params}
    return relative_difference(analytic, numeric)


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


def vector_to_dictionary(theta, layer_dims):
    """Inverse of :func:`dictionary_to_vector`: cut θ back into ``W1, b1, ..., WL, bL``.

    Parameters
    ----------
    theta : (n, 1) or (n,) vector
    layer_dims : ``[n_x, n^[1], ..., n^[L]]`` (then W^[l] is (n^[l], n^[l−1]) and b^[l] is
        (n^[l], 1)), or a dict name → shape such as ``{k: v.shape for k, v in parameters.items()}``

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
    print_msg : print the verdict, as the course does
    cost_function : ``cost_function(X, Y, parameters)`` → the cost, or a tuple whose first
        element is the cost (the course's ``forward_propagation_n``). Default: the cross-entropy
        cost of the L-layer network of ``nnlib.deep`` (sigmoid output), computed from the last
        layer's Z with :func:`nnlib.losses.binary_cross_entropy_with_logits` — from the
        probabilities A^[L], log(1 − a) loses digits as a → 1, and the differences J⁺ − J⁻ with them.
    """
    if not epsilon > 0:
        raise ValueError(f"epsilon must be positive, got {epsilon!r}")
    if cost_function is None:
        from nnlib import deep
        from nnlib.losses import binary_cross_entropy_with_logits

        def cost_function(X, Y, parameters):
            caches = deep.L_model_forward(X, parameters)[1]
            return binary_cross_entropy_with_logits(caches[-1][1], Y)

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
        if difference > 1e-3:
            print("There is a mistake in the backward propagation! difference = " + str(difference))
        elif difference > 1e-7:
            print("The backward propagation may be wrong (difference between 1e-7 and 1e-3): difference = " + str(difference))
        else:
            print("Your backward propagation works perfectly fine! difference = " + str(difference))
    return difference
