"""Activation functions and their derivatives.

Derived and checked in the chapter *Logistic regression as a neural network* (sigmoid).
Every function is element-wise: the output has the shape of the input; float32 stays float32.
"""

import numpy as np

from nnlib._validate import as_float_array


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

    Only ``e^(−|z|)`` is ever computed, which lies in (0, 1]: for z ≥ 0, σ(z) = 1/(1 + e^(−z));
    for z < 0 the same value is written e^(z)/(1 + e^(z)).
    """
    arr = _elementwise_input("z", z)
    e = np.exp(-np.abs(arr))
    s = 1.0 / (1.0 + e)
    s = np.where(arr >= 0, s, e * s)
    return _like_input(z, s)


def sigmoid_derivative(z):
    """σ'(z) = σ(z) (1 − σ(z)), element-wise; same shape as ``z``."""
    s = sigmoid(z)
    return s * (1 - s)
