"""The convolution and pooling kernels: the arithmetic behind nnlib.conv's public functions and
nnlib.cnn's layers, without input checks (their callers check shapes once).

Derived in the chapters *The convolution operator* and *Backpropagation through convolution and
pooling*. Shapes: A (m, n_H, n_W, n_C) examples first, channels last; W (f, f, n_C_prev, n_C);
b (1, 1, 1, n_C). The public, validated versions and the course's loops are in :mod:`nnlib.conv`.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def output_size(what, n, f, pad, stride):
    """⌊(n + 2·pad − f) / stride⌋ + 1, or ``ValueError`` when the f × f window does not fit."""
    if f > n + 2 * pad:
        raise ValueError(f"the {f}×{f} window does not fit the input: {what} is {n} (padded: {n + 2 * pad}), "
                         f"expected at least f = {f}")
    return (n + 2 * pad - f) // stride + 1


def zero_pad(X, pad):
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant", constant_values=0)


def windows(A, f, stride):
    """A read-only strided view (m, n_H, n_W, n_C, f, f) of every f × f window (no copy)."""
    return sliding_window_view(A, (f, f), axis=(1, 2))[:, ::stride, ::stride]


def col2im(d_windows, shape, stride):
    """Add window gradients (m, n_H, n_W, n_C, f, f) back onto an array of ``shape``: one strided
    ``+=`` per filter offset (p, q), each covering every window at once."""
    out = np.zeros(shape, dtype=d_windows.dtype)
    _, n_H, n_W, _, f, _ = d_windows.shape
    for p in range(f):
        for q in range(f):
            out[:, p:p + stride * n_H:stride, q:q + stride * n_W:stride, :] += d_windows[..., p, q]
    return out


def conv_forward(A_prev, W, b, stride, pad):
    """Z (m, n_H, n_W, n_C): every window of the padded input times every filter, one matrix product."""
    patches = windows(zero_pad(A_prev, pad), W.shape[0], stride)   # (m, n_H, n_W, n_C_prev, f, f)
    Z = np.tensordot(patches, W, axes=([3, 4, 5], [2, 0, 1]))        # (m, n_H, n_W, n_C)
    Z += b.reshape(-1)
    return Z


def conv_backward(dZ, A_prev, W, stride, pad):
    """(dA_prev, dW, db): dW and the window gradients by one matrix product each, then col2im."""
    f = W.shape[0]
    A_pad = zero_pad(A_prev, pad)
    patches = windows(A_pad, f, stride)                                          # (m, n_H, n_W, n_C_prev, f, f)
    dW = np.tensordot(patches, dZ, axes=([0, 1, 2], [0, 1, 2])).transpose(1, 2, 0, 3)
    db = dZ.sum(axis=(0, 1, 2)).reshape(1, 1, 1, -1)
    d_windows = np.tensordot(dZ, W, axes=([3], [3])).transpose(0, 1, 2, 5, 3, 4)  # (m, n_H, n_W, n_C_prev, f, f)
    dA_pad = col2im(d_windows, A_pad.shape, stride)
    dA_prev = dA_pad[:, pad:pad + A_prev.shape[1], pad:pad + A_prev.shape[2], :]
    return np.ascontiguousarray(dA_prev), np.ascontiguousarray(dW), db


def offset_views(A, f, stride, n_H, n_W):
    """For each filter offset (p, q): the (m, n_H, n_W, n_C) strided view of the entries at offset
    (p, q) of every window — f² views that together hold each window once."""
    for p in range(f):
        for q in range(f):
            yield (p, q), A[:, p:p + stride * (n_H - 1) + 1:stride, q:q + stride * (n_W - 1) + 1:stride, :]


def pool_forward(A_prev, f, stride, mode):
    """Max or mean over the windows, as f² element-wise operations on strided views (faster than
    a reduction over the (…, f, f) window view, whose last axes are scattered in memory)."""
    n_H, n_W = (A_prev.shape[1] - f) // stride + 1, (A_prev.shape[2] - f) // stride + 1
    views = offset_views(A_prev, f, stride, n_H, n_W)
    A = next(views)[1].copy()
    for _, view in views:
        if mode == "max":
            np.maximum(A, view, out=A)
        else:
            A += view
    if mode == "average":
        A /= f * f
    return A


def pool_backward(dA, A_prev, f, stride, mode):
    """Route dA back, one filter offset (p, q) at a time (row-major order): the entries at that
    offset of every window receive dA / f² (average), or dA where they equal the window's maximum and
    no earlier offset of the window did (max: the first maximum takes it all)."""
    dtype = np.result_type(dA, A_prev)
    dA_prev = np.zeros(A_prev.shape, dtype=dtype)
    n_H, n_W = dA.shape[1], dA.shape[2]
    if mode == "average":
        share = (dA / (f * f)).astype(dtype, copy=False)
    else:
        share, A = dA.astype(dtype, copy=False), pool_forward(A_prev, f, stride, mode)
        taken = np.zeros(dA.shape, dtype=bool)
    for (p, q), view in offset_views(A_prev, f, stride, n_H, n_W):
        target = dA_prev[:, p:p + stride * (n_H - 1) + 1:stride, q:q + stride * (n_W - 1) + 1:stride, :]
        if mode == "average":
            target += share
        else:
            first = (view == A) & ~taken
            taken |= first
            target += first * share
    return dA_prev

