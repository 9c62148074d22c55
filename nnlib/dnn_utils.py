"""The course's ``dnn_utils``: activations that return a cache, their backward passes, and the softmax
output layer's pieces (column softmax, its backward pass, one-hot labels, cross-entropy).

Derived in the chapters *Deep neural networks* and *Deep networks in practice*; :mod:`nnlib.deep`
re-exports every function here under the course's names (``deep.sigmoid``, ``deep.one_hot``, ...).
Each function validates its inputs and calls the kernel of :mod:`nnlib._kernels` that the layers of
:mod:`nnlib.layers` run too.

The softmax here, :func:`softmax_columns`, normalises each **column** of Z (n_classes, m) — the
classes of one example. The Python-basics chapter's ``nnlib.basics.softmax`` is the course's
row-wise exercise function; they are different functions.
"""

import numpy as np

from nnlib import _kernels as K
from nnlib import activations
from nnlib._validate import as_float_array, check_int, check_one_hot, check_shape


def sigmoid(Z):
    """A = σ(Z) element-wise, and ``cache = Z`` (as the course's ``dnn_utils.sigmoid``).

    Returns ``(A, cache)``: A has the shape of Z. σ is :func:`nnlib.activations.sigmoid`.
    """
    Z = as_float_array("Z", Z)
    return activations.sigmoid(Z), Z


def relu(Z):
    """A = max(0, Z) element-wise, and ``cache = Z`` (as the course's ``dnn_utils.relu``)."""
    Z = as_float_array("Z", Z)
    return activations.relu(Z), Z


def sigmoid_backward(dA, cache):
    """dZ = dA ⊙ σ'(Z) = dA ⊙ σ(Z)(1 − σ(Z)) for ``cache = Z``; dZ has the shape of Z."""
    dA, Z = _check_dA_Z(dA, cache)
    return dA * activations.sigmoid_derivative(Z)


def relu_backward(dA, cache):
    """dZ = dA ⊙ ReLU'(Z): dA where Z > 0 and 0 where Z ≤ 0, for ``cache = Z``."""
    dA, Z = _check_dA_Z(dA, cache)
    return dA * activations.relu_derivative(Z)


# The training loop's hidden layers call these two on every step. They skip the input checks of
# nnlib.activations (a NaN test per call) and compute the same values — the tests assert it.


def _check_dA_Z(dA, cache, ndim=None):
    Z = as_float_array("cache (Z)", cache, ndim=ndim)
    dA = as_float_array("dA", dA, ndim=ndim)
    check_shape("dA", dA, Z.shape)
    return dA, Z


def softmax_columns(Z):
    """Softmax over the classes of each example: A[k, i] = e^(Z[k, i]) / Σ_j e^(Z[j, i]).

    Parameters
    ----------
    Z : (n_classes, m) logits, one example per column

    Returns
    -------
    A : (n_classes, m); every column is a probability vector (non-negative, sums to 1)

    Computed as e^(Z − max_k Z) / Σ e^(Z − max_k Z), which never overflows. Not the row-wise
    ``nnlib.basics.softmax`` of the Python-basics exercise.
    """
    Z = as_float_array("Z", Z, ndim=2)
    return K.softmax(Z, axis=0)


def softmax_backward(dA, cache):
    """dZ = A ⊙ (dA − Σ_k A_k dA_k) column by column, A = softmax(Z), for ``cache = Z`` (n_classes, m):
    the softmax Jacobian (diag(a) − a aᵀ) times each column of dA."""
    dA, Z = _check_dA_Z(dA, cache, ndim=2)
    return K.softmax_backward(dA, Z)


def one_hot(y, n_classes=None):
    """The (n_classes, m) one-hot matrix of integer labels ``y`` ((m,) or (1, m), values 0..n_classes−1).

    Column i has a single 1, in row ``y[i]``. ``n_classes`` defaults to max(y) + 1.
    """
    labels = np.asarray(y)
    if labels.ndim == 2 and labels.shape[0] == 1:
        labels = labels[0]
    if labels.ndim != 1 or labels.size == 0:
        raise ValueError(f"y must be a non-empty (m,) or (1, m) array of class labels, got shape {np.shape(y)}")
    if not np.issubdtype(labels.dtype, np.number) or not np.all(np.isfinite(labels)) or np.any(labels != np.round(labels)) \
            or labels.min() < 0:
        raise ValueError("y must contain non-negative integer class labels")
    labels = labels.astype(np.int64)
    if n_classes is None:
        n_classes = int(labels.max()) + 1
    n_classes = check_int("n_classes", n_classes)
    if labels.max() >= n_classes:
        raise ValueError(f"y must contain labels in 0..{n_classes - 1}, got {labels.max()}")
    Y = np.zeros((n_classes, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def cross_entropy(AL, Y):
    """The multi-class cross-entropy J = −(1/m) Σ_i Σ_k Y[k, i] log AL[k, i].

    Parameters
    ----------
    AL : (n_classes, m) predicted probabilities (columns of a softmax)
    Y : (n_classes, m) one-hot labels

    Returns a 0-d cost, finite even where AL is exactly 0 (AL is clipped below at the smallest
    normal number of its dtype). With one row per class pair (ŷ, 1 − ŷ) it is the binary cost.
    """
    AL = as_float_array("AL", AL, ndim=2)
    Y = check_one_hot("Y", Y, AL.shape, dtype=AL.dtype)
    if AL.min() < 0 or AL.max() > 1:
        raise ValueError(f"AL must hold probabilities in [0, 1], got values in [{AL.min()}, {AL.max()}]")
    logs = np.log(np.maximum(AL, np.finfo(AL.dtype).tiny))
    return np.squeeze(-np.sum(Y * logs, dtype=AL.dtype) / AL.shape[1])
