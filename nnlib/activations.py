"""Activation functions and their derivatives.

Derived and checked in the chapters *Logistic regression as a neural network* (sigmoid) and
*Activation functions* (tanh, ReLU, leaky ReLU).
Every function is element-wise: the output has the shape of the input; float32 stays float32.
"""

import numpy as np

from nnlib import _kernels
from nnlib._kernels import softmax as _softmax   # the stable softmax kernel (basics.softmax, deep.softmax_columns)


def _elementwise_input(name, z):
    """Validate the input of an element-wise activation (±inf is allowed, NaN is not)."""
    arr = np.asarray(z)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must be a numeric array, got dtype {arr.dtype}")
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if np.isnan(arr).any():
        raise ValueError(f"{name} must not contain NaN")
    return arr


def _like_input(z, out):
    """Return a numpy scalar for a scalar input, the array otherwise."""
    return out[()] if np.ndim(z) == 0 else out


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), element-wise, without overflow for any finite or infinite z.

    Parameters
    ----------
    z : scalar or array of any shape

    Returns
    -------
    s : same shape as ``z`` (a numpy scalar for a scalar ``z``), values in [0, 1]

    Only exponentials of numbers ≤ 0 are ever computed, which lie in [0, 1]: for z ≥ 0,
    σ(z) = 1/(1 + e^(−z)); for z < 0 the same value is written e^(z)/(1 + e^(z)).
    """
    return _like_input(z, _kernels.sigmoid(_elementwise_input("z", z)))


def sigmoid_derivative(z):
    """σ'(z) = σ(z) (1 − σ(z)), element-wise; same shape as ``z``."""
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    """tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z)), element-wise, values in [−1, 1]; same shape as ``z``.

    Derived in the chapter *Activation functions*; numpy's ``np.tanh`` never overflows.
    """
    arr = _elementwise_input("z", z)
    return _like_input(z, np.tanh(arr))


def tanh_derivative(z):
    """tanh'(z) = 1 − tanh²(z), element-wise; same shape as ``z``."""
    t = tanh(z)
    return 1 - t * t


def relu(z):
    """ReLU(z) = max(0, z), element-wise; same shape as ``z``."""
    arr = _elementwise_input("z", z)
    return _like_input(z, np.maximum(arr, 0))


def relu_derivative(z):
    """ReLU'(z) = 1 for z > 0 and 0 for z ≤ 0 (the value 0 at the kink, as the course's relu_backward)."""
    arr = _elementwise_input("z", z)
    return _like_input(z, (arr > 0).astype(arr.dtype))


def leaky_relu(z, slope=0.01):
    """Leaky ReLU: z for z > 0 and ``slope``·z for z ≤ 0, element-wise; same shape as ``z``."""
    arr = _elementwise_input("z", z)
    slope = _check_slope(slope)
    return _like_input(z, np.where(arr > 0, arr, arr * arr.dtype.type(slope)))


def leaky_relu_derivative(z, slope=0.01):
    """Leaky ReLU'(z) = 1 for z > 0 and ``slope`` for z ≤ 0; same shape as ``z``."""
    arr = _elementwise_input("z", z)
    slope = _check_slope(slope)
    return _like_input(z, np.where(arr > 0, arr.dtype.type(1), arr.dtype.type(slope)))


def _check_slope(slope):
    if isinstance(slope, bool) or not isinstance(slope, (int, float, np.floating, np.integer)) or not 0 <= slope < 1:
        raise ValueError(f"slope must be a number in [0, 1), got {slope!r}")
    return float(slope)
