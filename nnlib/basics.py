"""Python and numpy basics, with the names of the course's "Python Basics with Numpy" exercise.

Derived and checked in the chapter *Python and numpy basics: broadcasting and its pitfalls*.

* :func:`basic_sigmoid` — σ of one real number with ``math.exp`` (why numpy is needed);
* :func:`~nnlib.activations.sigmoid`, :func:`~nnlib.activations.sigmoid_derivative` — nnlib's numpy
  versions, re-exported from :mod:`nnlib.activations` (one implementation, not two);
* :func:`image2vector` — (length, height, depth) → (length·height·depth, 1);
* :func:`normalize_rows` — each row divided by its L2 norm;
* :func:`softmax` — row-wise softmax of an (n, m) matrix, as the course's basics exercise defines it;
* :func:`L1`, :func:`L2` — the L1 and squared-L2 losses Σ|y − ŷ| and Σ(y − ŷ)².

float32 inputs stay float32; integers become float64. Inputs are never modified.
"""

import math
import numbers

import numpy as np

from nnlib._validate import as_float_array
from nnlib._kernels import softmax as _softmax
from nnlib.activations import sigmoid, sigmoid_derivative

__all__ = ["basic_sigmoid", "sigmoid", "sigmoid_derivative", "image2vector", "normalize_rows", "softmax", "L1", "L2"]


def basic_sigmoid(x):
    """σ(x) = 1 / (1 + e^(−x)) of **one real number**, computed with ``math.exp``.

    Parameters
    ----------
    x : a real number (Python int or float, numpy scalar, or 0-d array); ±inf is allowed

    Returns
    -------
    s : Python float in [0, 1]

    ``math.exp`` works on one number at a time: the course shows that ``basic_sigmoid`` fails on a
    list. nnlib makes that failure explicit: a list, tuple or array of any shape raises
    ``TypeError`` naming what was given and pointing to the numpy :func:`~nnlib.activations.sigmoid` (a bare
    ``math.exp`` raises a less helpful message, and older numpy versions let it take a 1-element array).
    NaN raises ``ValueError``. Like :func:`~nnlib.activations.sigmoid`, only ``e^(−|x|)`` is evaluated, so
    ``basic_sigmoid(-1000)`` is 0.0 instead of an ``OverflowError``.
    """
    if isinstance(x, (bool, np.bool_)) or isinstance(x, (str, bytes)):
        raise TypeError(f"basic_sigmoid takes one real number, got {type(x).__name__} {x!r}")
    if isinstance(x, np.ndarray) and x.ndim == 0:
        x = x[()]
    if not isinstance(x, numbers.Real):
        shape = f" of shape {np.shape(x)}" if isinstance(x, (list, tuple, np.ndarray)) else ""
        raise TypeError(
            f"basic_sigmoid takes one real number (it uses math.exp), got {type(x).__name__}{shape}; "
            "use nnlib.basics.sigmoid for lists and arrays"
        )
    x = float(x)
    if math.isnan(x):
        raise ValueError("basic_sigmoid got NaN")
    e = math.exp(-abs(x))           # in (0, 1]: never overflows
    return 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)


def image2vector(image):
    """Unroll an image of shape (length, height, depth) into a column of shape (length·height·depth, 1).

    Pixel ``image[i, j, k]`` lands in row ``(i·height + j)·depth + k`` (C order, the order of
    ``image.reshape``). Returns a new array (not a view of ``image``); integers become float64.
    """
    image = as_float_array("image", image, ndim=3)
    return image.reshape(-1, 1).copy()


def normalize_rows(x):
    """Divide each row of ``x`` (shape (n, m)) by its L2 norm ‖x_i‖ = sqrt(Σ_j x_ij²).

    Returns
    -------
    x_normalized : (n, m), every non-zero row with norm 1

    A row of zeros has no direction: it is returned as zeros (no NaN, no warning), as
    scikit-learn's ``normalize`` does. Each row is first divided by its largest absolute value, so
    the squares neither overflow (entries near 1e200) nor underflow (near 1e-200).
    """
    x = as_float_array("x", x, ndim=2)
    scale = np.max(np.abs(x), axis=1, keepdims=True)
    scale = np.where(scale == 0, 1, scale).astype(x.dtype, copy=False)
    y = x / scale
    norm = np.sqrt(np.sum(y * y, axis=1, keepdims=True))
    norm = np.where(norm == 0, 1, norm).astype(x.dtype, copy=False)
    return y / norm


def softmax(x):
    """Row-wise softmax of ``x`` (shape (n, m)): s_ij = e^(x_ij) / Σ_k e^(x_ik); every row sums to 1.

    This is the course's "Python basics" softmax, which normalizes each **row**. (A network whose
    examples are the columns of X applies softmax to each column instead: ``softmax(Z.T).T``.)
    The row maximum is subtracted first — softmax(x + c) = softmax(x) — so e^(·) ≤ 1 never
    overflows, even for entries of 1000 or more. A 1-D input raises ``ValueError``: reshape it to
    ``(1, m)`` (one row) or ``(m, 1)`` explicitly.
    """
    return _softmax(as_float_array("x", x, ndim=2), axis=1)


def _loss_pair(yhat, y):
    yhat = as_float_array("yhat", yhat)
    y = as_float_array("y", y)
    if yhat.shape != y.shape:
        raise ValueError(f"yhat and y must have the same shape, got yhat {yhat.shape} and y {y.shape}")
    return yhat, y.astype(yhat.dtype, copy=False)


def L1(yhat, y):
    """L1 loss ``Σ_i |y_i − ŷ_i|`` of predictions ``yhat`` and labels ``y`` of the same shape.

    Returns a numpy scalar of yhat's float dtype. Shapes must be equal — (m,) against (1, m) raises
    ``ValueError`` rather than broadcasting.
    """
    yhat, y = _loss_pair(yhat, y)
    return np.sum(np.abs(y - yhat))


def L2(yhat, y):
    """Squared-L2 loss Σ_i (y_i − ŷ_i)² of predictions ``yhat`` and labels ``y`` of the same shape.

    Computed as the dot product of the difference with itself, as the course suggests. Returns a
    numpy scalar of yhat's float dtype; shapes must be equal.
    """
    yhat, y = _loss_pair(yhat, y)
    d = (y - yhat).ravel()
    return np.dot(d, d)
