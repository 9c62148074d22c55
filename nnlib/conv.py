"""Convolution and pooling with the course's step-by-step API, names, caches and random-draw order.

Derived and checked in the chapters *The convolution operator* (forward pass, padding, stride,
the output-size formula) and *Backpropagation through convolution and pooling* (the backward
passes). Conventions (those of the course's "Convolution model – Step by Step"):

* ``A_prev`` (m, n_H_prev, n_W_prev, n_C_prev): **examples first, channels last**;
* ``W`` (f, f, n_C_prev, n_C): n_C filters of f × f × n_C_prev; ``b`` (1, 1, 1, n_C);
* ``hparameters``: ``{"pad": p, "stride": s}`` for a convolution, ``{"f": f, "stride": s}`` for pooling;
* output size n_H = ⌊(n_H_prev + 2p − f) / s⌋ + 1 (and the same for n_W);
* caches: ``(A_prev, W, b, hparameters)`` for a convolution, ``(A_prev, hparameters)`` for pooling.

What deep learning calls a convolution is a **cross-correlation**: Z[i, h, w, c] =
Σ_{p, q, k} A_pad[i, s·h + p, s·w + q, k] · W[p, q, k, c] + b[c] (the filter is not flipped).

The public functions are vectorized: a strided view of every f × f window
(``numpy.lib.stride_tricks.sliding_window_view``) and one matrix product (``np.tensordot``, i.e.
im2col); the backward passes add the window gradients back with one strided ``+=`` per filter
offset (f² of them: col2im). The course's nested loops are kept as the readable reference —
:func:`conv_forward_loops`, :func:`conv_backward_loops`, :func:`pool_forward_loops`,
:func:`pool_backward_loops` — which the chapters walk through and the tests compare against.
Backward passes **sum** over the examples: dZ is the gradient of the cost the network minimizes
(the mean over the batch, so dZ already holds the 1/m), as in the course.
"""

import numpy as np

from nnlib import _conv_kernels as CK
from nnlib._validate import as_float_array, as_scalar, check_int

# The kernels, shared with the layers of nnlib.cnn (shown in the chapters under these names).
_output_size, _zero_pad, _windows, _col2im = CK.output_size, CK.zero_pad, CK.windows, CK.col2im
_conv_forward, _conv_backward = CK.conv_forward, CK.conv_backward
_offset_views, _pool_forward, _pool_backward = CK.offset_views, CK.pool_forward, CK.pool_backward

_MODES = ("max", "average")


# ----------------------------------------------------------------------------------------------
# Input checks (O(shapes), plus as_float_array's finiteness test)


def _hparameter(hparameters, key, minimum):
    if not isinstance(hparameters, dict):
        raise ValueError(f"hparameters must be a dict, got {type(hparameters).__name__}")
    if key not in hparameters:
        raise ValueError(f"hparameters must have the key {key!r}; it has {sorted(map(str, hparameters))}")
    return check_int(f'hparameters["{key}"]', hparameters[key], minimum=minimum)


def _conv_hparameters(hparameters):
    return _hparameter(hparameters, "stride", 1), _hparameter(hparameters, "pad", 0)


def _pool_hparameters(hparameters):
    return _hparameter(hparameters, "f", 1), _hparameter(hparameters, "stride", 1)


def conv_output_size(n, f, pad=0, stride=1):
    """The output size ⌊(n + 2·pad − f) / stride⌋ + 1 of a convolution or pooling along one axis.

    n : input size; f : window size; pad ≥ 0, stride ≥ 1 (integers). Raises ``ValueError`` when the
    f × f window does not fit the padded input (n + 2·pad < f).
    """
    n, f = check_int("n", n), check_int("f", f)
    return _output_size("n", n, f, check_int("pad", pad, minimum=0), check_int("stride", stride))


def _check_mode(mode):
    if mode not in _MODES:
        raise ValueError(f'mode must be "max" or "average", got {mode!r}')
    return mode


def _check_conv(A_prev, W, b, hparameters):
    A_prev = as_float_array("A_prev", A_prev, ndim=4)
    W = as_float_array("W", W, ndim=4)
    b = as_float_array("b", b, ndim=4)
    f, f2, n_C_prev, n_C = W.shape
    if f != f2 or n_C_prev != A_prev.shape[3]:
        raise ValueError(f"W must have shape (f, f, n_C_prev={A_prev.shape[3]}, n_C), got {W.shape}")
    if b.shape != (1, 1, 1, n_C):
        raise ValueError(f"b must have shape (1, 1, 1, {n_C}), got {b.shape}")
    stride, pad = _conv_hparameters(hparameters)
    n_H = _output_size("n_H_prev", A_prev.shape[1], f, pad, stride)
    n_W = _output_size("n_W_prev", A_prev.shape[2], f, pad, stride)
    return A_prev, W, b, stride, pad, (A_prev.shape[0], n_H, n_W, n_C)


def _check_pool(A_prev, hparameters):
    A_prev = as_float_array("A_prev", A_prev, ndim=4)
    f, stride = _pool_hparameters(hparameters)
    n_H = _output_size("n_H_prev", A_prev.shape[1], f, 0, stride)
    n_W = _output_size("n_W_prev", A_prev.shape[2], f, 0, stride)
    return A_prev, f, stride, (A_prev.shape[0], n_H, n_W, A_prev.shape[3])


def _check_gradient(name, d, expected_shape):
    d = as_float_array(name, d, ndim=4)
    if d.shape != expected_shape:
        raise ValueError(f"{name} must have the shape of the forward output, {expected_shape}, got {d.shape}")
    return d


def _check_cache(cache, length, what):
    if not isinstance(cache, tuple) or len(cache) != length:
        raise ValueError(f"cache must be the tuple {what} returned by the forward pass, got {type(cache).__name__}"
                         + (f" of length {len(cache)}" if isinstance(cache, (tuple, list)) else ""))
    return cache


# ----------------------------------------------------------------------------------------------
# The building blocks of the course


def zero_pad(X, pad):
    """Pad the height and width of every image of X with ``pad`` zeros on each side.

    Parameters
    ----------
    X : (m, n_H, n_W, n_C) images
    pad : non-negative int

    Returns
    -------
    X_pad : (m, n_H + 2·pad, n_W + 2·pad, n_C), X's dtype
    """
    X = as_float_array("X", X, ndim=4)
    pad = check_int("pad", pad, minimum=0)
    return _zero_pad(X, pad)


def conv_single_step(a_slice_prev, W, b):
    """One filter on one window: Z = Σ (a_slice_prev ⊙ W) + b, a Python float.

    Parameters
    ----------
    a_slice_prev : (f, f, n_C_prev) window of the input
    W : (f, f, n_C_prev) one filter
    b : (1, 1, 1) its bias (any 1-element array)
    """
    a_slice_prev = as_float_array("a_slice_prev", a_slice_prev, ndim=3)
    W = as_float_array("W", W, ndim=3)
    if W.shape != a_slice_prev.shape:
        raise ValueError(f"W must have the shape of a_slice_prev, {a_slice_prev.shape}, got {W.shape}")
    if np.ndim(b) > 3:
        raise ValueError(f"b must be a scalar or a (1, 1, 1) array, got shape {np.shape(b)}")
    return _conv_single_step(a_slice_prev, W, as_scalar("b", b))


def _conv_single_step(a_slice_prev, W, b):
    return float(np.sum(np.multiply(a_slice_prev, W))) + float(b)


def create_mask_from_window(x):
    """The mask ``x == max(x)``: True where the window holds its maximum (every maximum, if tied:
    the course's definition; :func:`pool_backward` keeps only the first of tied maxima).

    x : (f, f) window. Returns a boolean (f, f) array — the route of max-pooling's gradient.
    """
    x = as_float_array("x", x, ndim=2)
    return x == np.max(x)


def distribute_value(dz, shape):
    """Spread the scalar ``dz`` evenly over an array of ``shape`` (n_H, n_W): each entry dz / (n_H·n_W).

    The gradient of average pooling: every input of the window contributed 1/(n_H·n_W) of the output.
    """
    dz = as_scalar("dz", dz)
    if not (isinstance(shape, tuple) and len(shape) == 2):
        raise ValueError(f"shape must be a tuple (n_H, n_W), got {shape!r}")
    n_H, n_W = check_int("shape[0]", shape[0]), check_int("shape[1]", shape[1])
    return np.ones((n_H, n_W)) * (dz / (n_H * n_W))


# ----------------------------------------------------------------------------------------------
# Vectorized forward and backward passes


def conv_forward(A_prev, W, b, hparameters):
    """Forward pass of a convolution layer (vectorized: strided windows and one matrix product).

    Parameters
    ----------
    A_prev : (m, n_H_prev, n_W_prev, n_C_prev) input volume
    W : (f, f, n_C_prev, n_C) filters; b : (1, 1, 1, n_C) biases
    hparameters : ``{"stride": s, "pad": p}`` (s ≥ 1, p ≥ 0 integers)

    Returns
    -------
    Z : (m, n_H, n_W, n_C) with n_H = ⌊(n_H_prev + 2p − f) / s⌋ + 1, n_W likewise
    cache : ``(A_prev, W, b, hparameters)`` for :func:`conv_backward`
    """
    A_prev, W, b, stride, pad, _ = _check_conv(A_prev, W, b, hparameters)
    return _conv_forward(A_prev, W, b, stride, pad), (A_prev, W, b, hparameters)


def conv_backward(dZ, cache):
    """Backward pass of a convolution layer (vectorized).

    Parameters
    ----------
    dZ : (m, n_H, n_W, n_C) gradient of the cost with respect to the output Z
    cache : ``(A_prev, W, b, hparameters)`` from :func:`conv_forward`

    Returns
    -------
    dA_prev : (m, n_H_prev, n_W_prev, n_C_prev) — the full convolution of dZ with the flipped filters
    dW : (f, f, n_C_prev, n_C) — the correlation of the (padded) input with dZ, summed over examples
    db : (1, 1, 1, n_C) — dZ summed over examples and positions
    """
    A_prev, W, b, hparameters = _check_cache(cache, 4, "(A_prev, W, b, hparameters)")
    A_prev, W, b, stride, pad, out_shape = _check_conv(A_prev, W, b, hparameters)
    dZ = _check_gradient("dZ", dZ, out_shape)
    return _conv_backward(dZ, A_prev, W, stride, pad)


def pool_forward(A_prev, hparameters, mode="max"):
    """Forward pass of a pooling layer (vectorized): the max or the mean of every f × f window, per channel.

    Parameters
    ----------
    A_prev : (m, n_H_prev, n_W_prev, n_C) input volume
    hparameters : ``{"f": f, "stride": s}`` (positive integers; no padding, as in the course)
    mode : ``"max"`` or ``"average"``

    Returns
    -------
    A : (m, n_H, n_W, n_C) with n_H = ⌊(n_H_prev − f) / s⌋ + 1, n_W likewise
    cache : ``(A_prev, hparameters)`` for :func:`pool_backward`
    """
    A_prev, f, stride, _ = _check_pool(A_prev, hparameters)
    return _pool_forward(A_prev, f, stride, _check_mode(mode)), (A_prev, hparameters)


def pool_backward(dA, cache, mode="max"):
    """Backward pass of a pooling layer (vectorized).

    Parameters
    ----------
    dA : (m, n_H, n_W, n_C) gradient of the cost with respect to the pooling output
    cache : ``(A_prev, hparameters)`` from :func:`pool_forward`
    mode : ``"max"`` (the gradient goes to the window's maximum; where the maximum is tied, to the
        first one in row-major order, as PyTorch does — not to every tied entry, as the course's
        ``create_mask_from_window`` mask would, which multiplies the gradient by the number of ties)
        or ``"average"`` (spread evenly, as :func:`distribute_value`)

    Returns
    -------
    dA_prev : (m, n_H_prev, n_W_prev, n_C), the dtype of dA and A_prev
    """
    A_prev, hparameters = _check_cache(cache, 2, "(A_prev, hparameters)")
    A_prev, f, stride, out_shape = _check_pool(A_prev, hparameters)
    dA = _check_gradient("dA", dA, out_shape)
    return _pool_backward(dA, A_prev, f, stride, _check_mode(mode))


# ----------------------------------------------------------------------------------------------
# The course's nested loops: the readable reference (same inputs, outputs and caches as above)


def conv_forward_loops(A_prev, W, b, hparameters):
    """:func:`conv_forward` as the course writes it: a loop over examples, rows, columns and filters,
    each step one :func:`conv_single_step`. Same arguments and results; slow — for reading and testing."""
    A_prev, W, b, stride, pad, (m, n_H, n_W, n_C) = _check_conv(A_prev, W, b, hparameters)
    f = W.shape[0]
    Z = np.zeros((m, n_H, n_W, n_C), dtype=np.result_type(A_prev, W, b))
    A_prev_pad = _zero_pad(A_prev, pad)
    for i in range(m):                              # loop over the batch of training examples
        a_prev_pad = A_prev_pad[i]
        for h in range(n_H):                        # loop over the vertical axis of the output volume
            vert_start = h * stride
            vert_end = vert_start + f
            for w in range(n_W):                    # loop over the horizontal axis of the output volume
                horiz_start = w * stride
                horiz_end = horiz_start + f
                for c in range(n_C):                # loop over the channels (= filters) of the output volume
                    a_slice_prev = a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]
                    Z[i, h, w, c] = _conv_single_step(a_slice_prev, W[:, :, :, c], b[0, 0, 0, c])
    return Z, (A_prev, W, b, hparameters)


def conv_backward_loops(dZ, cache):
    """:func:`conv_backward` as the course writes it: every output entry dZ[i, h, w, c] sends
    W[..., c]·dZ back to its window of the input, a_slice·dZ to dW[..., c] and dZ to db[c]."""
    A_prev, W, b, hparameters = _check_cache(cache, 4, "(A_prev, W, b, hparameters)")
    A_prev, W, b, stride, pad, out_shape = _check_conv(A_prev, W, b, hparameters)
    dZ = _check_gradient("dZ", dZ, out_shape)
    (m, n_H_prev, n_W_prev, n_C_prev), (f, _, _, n_C) = A_prev.shape, W.shape
    _, n_H, n_W, _ = dZ.shape
    dtype = np.result_type(dZ, A_prev, W)
    dW, db = np.zeros(W.shape, dtype=dtype), np.zeros((1, 1, 1, n_C), dtype=dtype)
    A_prev_pad = _zero_pad(A_prev, pad)
    dA_prev_pad = np.zeros(A_prev_pad.shape, dtype=dtype)
    for i in range(m):
        a_prev_pad, da_prev_pad = A_prev_pad[i], dA_prev_pad[i]
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    vert_start, horiz_start = h * stride, w * stride
                    vert_end, horiz_end = vert_start + f, horiz_start + f
                    a_slice = a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]
                    da_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    db[:, :, :, c] += dZ[i, h, w, c]
    # The course un-pads with da_prev_pad[pad:-pad, pad:-pad, :], which is empty for pad = 0.
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return np.ascontiguousarray(dA_prev), dW, db


def pool_forward_loops(A_prev, hparameters, mode="max"):
    """:func:`pool_forward` as the course writes it: np.max or np.mean of each window, one at a time."""
    A_prev, f, stride, (m, n_H, n_W, n_C) = _check_pool(A_prev, hparameters)
    reduce = {"max": np.max, "average": np.mean}[_check_mode(mode)]
    A = np.zeros((m, n_H, n_W, n_C), dtype=A_prev.dtype)
    for i in range(m):
        for h in range(n_H):
            vert_start = h * stride
            vert_end = vert_start + f
            for w in range(n_W):
                horiz_start = w * stride
                horiz_end = horiz_start + f
                for c in range(n_C):
                    A[i, h, w, c] = reduce(A_prev[i, vert_start:vert_end, horiz_start:horiz_end, c])
    return A, (A_prev, hparameters)


def pool_backward_loops(dA, cache, mode="max"):
    """:func:`pool_backward` as the course writes it: per window, :func:`create_mask_from_window`
    (max) or :func:`distribute_value` (average) times the window's dA — except that of a tied
    maximum only the first (row-major) entry of the mask is kept, as in :func:`pool_backward`."""
    A_prev, hparameters = _check_cache(cache, 2, "(A_prev, hparameters)")
    A_prev, f, stride, out_shape = _check_pool(A_prev, hparameters)
    dA = _check_gradient("dA", dA, out_shape)
    mode = _check_mode(mode)
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape, dtype=np.result_type(dA, A_prev))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    vert_start, horiz_start = h * stride, w * stride
                    vert_end, horiz_end = vert_start + f, horiz_start + f
                    if mode == "max":
                        a_prev_slice = A_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]
                        mask = create_mask_from_window(a_prev_slice)
                        mask.flat[np.argmax(mask) + 1:] = False        # a tie: the first maximum only
                        dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] += mask * dA[i, h, w, c]
                    else:
                        dA_prev[i, vert_start:vert_end, horiz_start:horiz_end, c] += distribute_value(dA[i, h, w, c], (f, f))
    return dA_prev
