"""Gradient checking: central finite differences and the relative difference of two gradients.

Used by every chapter that derives a gradient, and by the tests. For a scalar function f of a dict
of arrays θ, the central difference (f(θ + ε eᵢ) − f(θ − ε eᵢ)) / 2ε has error O(ε²).
"""

import numpy as np


def central_difference(f, x, epsilon=1e-6):
    """Element-wise derivative estimate (f(x + ε) − f(x − ε)) / 2ε of an element-wise function ``f``.

    Its error is about ε²·|f‴(x)|/6 (truncation) plus ε_mach·|f(x)|/ε (rounding): about 1e-10 for
    ε = 1e-6 and |f| ≈ 1 in float64, so compare with an absolute tolerance of that size.
    """
    if not epsilon > 0:
        raise ValueError(f"epsilon must be positive, got {epsilon!r}")
    x = np.asarray(x, dtype=np.float64)
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


def _flatten(g, keys=None):
    if isinstance(g, dict):
        return np.concatenate([np.ravel(np.asarray(g[k], dtype=np.float64)) for k in keys])
    return np.ravel(np.asarray(g, dtype=np.float64))


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
    a, b = _flatten(g1, keys), _flatten(g2, keys)
    if a.shape != b.shape:
        raise ValueError(f"gradients must have the same shape, got {np.shape(g1)} and {np.shape(g2)}")
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
