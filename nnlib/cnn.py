"""Convolutional layers — Conv2D, Pool2D, Flatten, ResidualBlock — and parameter counts of CNN architectures.

Derived and used in the chapters *Deep convolutional models* (layers, classic architectures and
their parameter counts, residual blocks) and *Convolutional networks in practice* (a CNN trained
on digits). Every layer follows the book's layer contract:

* ``params`` / ``grads``: dicts of arrays with the same keys (``{}`` for a parameter-free layer);
* ``forward(A, training=False)`` caches what ``backward`` needs and returns the output;
* ``backward(dA)`` sets ``grads`` and returns dA_prev (the shape of the forward input);
* gradients are of the cost whose gradient ``dA`` is (the batch mean): no layer divides by m.

Convolution and pooling layers take (m, n_H, n_W, n_C) volumes (examples first, the course's
convention); :class:`Flatten` turns them into the (n, m) columns of dense layers. A layer keeps its
input's dtype (float32 in, float32 out) and checks shapes only (O(shapes), no pass over the data).
The maths is the kernels of :mod:`nnlib.conv` (in :mod:`nnlib._conv_kernels`) and ReLU's kernel; the
layers only hold parameters and what the backward pass needs.
"""

import numpy as np

from nnlib import _conv_kernels as CK
from nnlib import _kernels as K
from nnlib import conv
from nnlib._validate import check_int, check_upstream

_CONV_ACTIVATIONS = (None, "relu")


def _draw(shape, scale, seed):
    """Normal(0, scale²) weights: from ``np.random.default_rng(seed)``, or from numpy's global
    random state when ``seed`` is None (so ``np.random.seed`` fixes them, as in the course)."""
    noise = np.random.randn(*shape) if seed is None else np.random.default_rng(seed).standard_normal(shape)
    return noise * scale


def _check_volume(layer, A, n_C=None):
    """A as an (m, n_H, n_W, n_C) array; shapes only (O(shapes)), as every layer of nnlib."""
    A = np.asarray(A)
    if A.ndim != 4 or A.size == 0 or (n_C is not None and A.shape[3] != n_C):
        channels = "n_C" if n_C is None else n_C
        raise ValueError(f"{type(layer).__name__}.forward expects A of shape (m, n_H, n_W, {channels}), got {A.shape}")
    if A.dtype not in (np.float32, np.float64):
        raise ValueError(f"{type(layer).__name__}.forward expects a float32 or float64 array, got dtype {A.dtype}")
    return A


def _out_shape(A, f, pad, stride, n_C):
    return (A.shape[0], CK.output_size("n_H_prev", A.shape[1], f, pad, stride),
            CK.output_size("n_W_prev", A.shape[2], f, pad, stride), n_C)


class Conv2D:
    """A convolution layer: Z = conv(A, W) + b (the kernel of :func:`nnlib.conv.conv_forward`), then ReLU if asked.

    Parameters
    ----------
    n_C_prev, n_C : input and output channels; f : filter size (f × f)
    stride, pad : the convolution's hyperparameters; ``pad="same"`` keeps n_H, n_W (odd f, stride 1)
    activation : None (the layer outputs Z) or ``"relu"``
    seed : None (global ``np.random``) or an int; weights are He-scaled, N(0, 2 / (f² n_C_prev)); b = 0

    ``params``: ``W`` (f, f, n_C_prev, n_C) and ``b`` (1, 1, 1, n_C).
    """

    def __init__(self, n_C_prev=1, n_C=1, f=3, stride=1, pad=0, activation=None, seed=None):
        n_C_prev, n_C, f = check_int("n_C_prev", n_C_prev), check_int("n_C", n_C), check_int("f", f)
        stride = check_int("stride", stride)
        if pad == "same":
            if f % 2 == 0 or stride != 1:
                raise ValueError(f'pad="same" needs an odd f and stride 1, got f = {f}, stride = {stride}')
            pad = (f - 1) // 2
        if activation not in _CONV_ACTIVATIONS:
            raise ValueError(f'activation must be None or "relu", got {activation!r}')
        self.hparameters = {"stride": stride, "pad": check_int("pad", pad, minimum=0)}
        self.activation = activation
        self.params = {"W": _draw((f, f, n_C_prev, n_C), np.sqrt(2.0 / (f * f * n_C_prev)), seed),
                       "b": np.zeros((1, 1, 1, n_C))}
        self.grads = {}
        self._out_shape = None

    def forward(self, A, training=False):
        """A (m, n_H_prev, n_W_prev, n_C_prev) → (m, n_H, n_W, n_C), A's dtype."""
        f, _, n_C_prev, n_C = self.params["W"].shape
        A = _check_volume(self, A, n_C_prev)
        stride, pad = self.hparameters["stride"], self.hparameters["pad"]
        out_shape = _out_shape(A, f, pad, stride, n_C)
        W, b = (self.params[k].astype(A.dtype, copy=False) for k in ("W", "b"))
        Z = CK.conv_forward(A, W, b, stride, pad)
        self._A, self._W, self._Z, self._out_shape = A, W, Z, out_shape
        return Z if self.activation is None else K.relu(Z)

    def backward(self, dA):
        """dA (the output's shape) → dA_prev; sets ``grads["W"]``, ``grads["b"]``."""
        dA = check_upstream(self, dA, self._out_shape)
        dZ = dA if self.activation is None else K.relu_backward(dA, self._Z)
        dA_prev, dW, db = CK.conv_backward(dZ, self._A, self._W, self.hparameters["stride"], self.hparameters["pad"])
        self.grads = {"W": dW, "b": db}
        return dA_prev


class Pool2D:
    """A pooling layer (the kernel of :func:`nnlib.conv.pool_forward`): the max or the mean of each f × f window.

    Parameters: ``f`` (window), ``stride`` (default f: windows that do not overlap), ``mode``
    (``"max"`` or ``"average"``). No parameters: ``params == grads == {}``.
    """

    def __init__(self, f=2, stride=None, mode="max"):
        f = check_int("f", f)
        self.hparameters = {"f": f, "stride": f if stride is None else check_int("stride", stride)}
        if mode not in ("max", "average"):
            raise ValueError(f'mode must be "max" or "average", got {mode!r}')
        self.mode = mode
        self.params, self.grads = {}, {}
        self._out_shape = None

    def forward(self, A, training=False):
        """A (m, n_H_prev, n_W_prev, n_C) → (m, ⌊(n_H_prev − f)/s⌋ + 1, ⌊(n_W_prev − f)/s⌋ + 1, n_C)."""
        A = _check_volume(self, A)
        f, stride = self.hparameters["f"], self.hparameters["stride"]
        self._out_shape = _out_shape(A, f, 0, stride, A.shape[3])
        self._A = A
        return CK.pool_forward(A, f, stride, self.mode)

    def backward(self, dA):
        """dA (the output's shape) → dA_prev (the input's shape), the kernel of :func:`nnlib.conv.pool_backward`."""
        dA = check_upstream(self, dA, self._out_shape)
        return CK.pool_backward(dA, self._A, self.hparameters["f"], self.hparameters["stride"], self.mode)


class Flatten:
    """(m, n_H, n_W, n_C) volumes → (n_H·n_W·n_C, m) columns for dense layers (one example per column)."""

    def __init__(self):
        self.params, self.grads = {}, {}
        self._in_shape = self._out_shape = None

    def forward(self, A, training=False):
        """A (m, n_H, n_W, n_C) → (n_H·n_W·n_C, m); column i is example i, flattened row by row."""
        A = _check_volume(self, A)
        self._in_shape = A.shape
        out = A.reshape(A.shape[0], -1).T
        self._out_shape = out.shape
        return out

    def backward(self, dA):
        """dA (n_H·n_W·n_C, m) → (m, n_H, n_W, n_C)."""
        dA = check_upstream(self, dA, self._out_shape)
        return dA.T.reshape(self._in_shape)


class ResidualBlock:
    """A residual block (He et al. 2016): a^[l+2] = ReLU(z^[l+2] + a^[l]), where
    z^[l+2] = conv₂(ReLU(conv₁(a^[l]))) and both convolutions are f × f, n_C → n_C, "same" padding.

    With ``skip=False`` it is the plain block a^[l+2] = ReLU(z^[l+2]) — the comparison of the chapter.
    ``params``: ``W1, b1, W2, b2`` — the very arrays of the two :class:`Conv2D` layers it holds
    (``conv1``, ``conv2``), so an in-place update of one is an update of the other.
    """

    def __init__(self, n_C=1, f=3, skip=True, seed=None):
        seed2 = None if seed is None else check_int("seed", seed, minimum=0) + 1
        self.conv1 = Conv2D(n_C, n_C, f, pad="same", activation="relu", seed=seed)
        self.conv2 = Conv2D(n_C, n_C, f, pad="same", seed=seed2)
        self.skip = bool(skip)
        self.params = {"W1": self.conv1.params["W"], "b1": self.conv1.params["b"],
                       "W2": self.conv2.params["W"], "b2": self.conv2.params["b"]}
        self.grads = {}
        self._S = None

    def forward(self, A, training=False):
        """A (m, n_H, n_W, n_C) → ReLU(conv₂(ReLU(conv₁(A))) + A), the same shape."""
        A = _check_volume(self, A, self.params["W1"].shape[2])
        S = self.conv2.forward(self.conv1.forward(A, training), training)
        if self.skip:
            S = S + A
        self._S = S
        return K.relu(S)

    def backward(self, dA):
        """dA → dA_prev = (through the two convolutions) + (through the shortcut: dS itself)."""
        dA = check_upstream(self, dA, None if self._S is None else self._S.shape)
        dS = K.relu_backward(dA, self._S)
        dA_prev = self.conv1.backward(self.conv2.backward(dS))
        if self.skip:
            dA_prev = dA_prev + dS
        self.grads = {"W1": self.conv1.grads["W"], "b1": self.conv1.grads["b"],
                      "W2": self.conv2.grads["W"], "b2": self.conv2.grads["b"]}
        return dA_prev


# ----------------------------------------------------------------------------------------------
# Parameter counts of an architecture, from its layer shapes


def _spec_int(layer, i, name, minimum=1):
    return check_int(f"{layer[0]} layer {name}", layer[i], minimum=minimum)


def architecture_summary(input_shape, layers):
    """Output shape, parameter count and multiplications of each layer of a CNN, from shapes alone.

    Parameters
    ----------
    input_shape : (n_H, n_W, n_C) of one example
    layers : list of tuples, one per layer:
        ``("conv", n_C, f, stride, pad)`` or ``("conv", n_C, f, stride, pad, groups)`` — f × f filters,
        ``pad`` an int or ``"same"``; with ``groups`` g each filter sees n_C_prev / g channels
        (AlexNet's two-GPU layers); ``("pool", f, stride)`` or ``("pool", f, stride, pad)`` (``pad`` an int
        or ``"same"``, as GoogLeNet's pools); ``("fc", n)`` — a dense layer on the flattened input.

    Returns
    -------
    list of dicts ``{"layer", "output", "parameters", "multiplications"}``, one per layer; the output
    size of a conv or pool layer is ⌊(n + 2p − f)/s⌋ + 1, and a conv layer has
    n_C·(f·f·n_C_prev/g + 1) parameters (weights and one bias per filter).
    """
    if not (isinstance(input_shape, tuple) and len(input_shape) == 3):
        raise ValueError(f"input_shape must be a tuple (n_H, n_W, n_C), got {input_shape!r}")
    shape = tuple(check_int(f"input_shape[{i}]", n) for i, n in enumerate(input_shape))
    if not isinstance(layers, (list, tuple)) or not layers:
        raise ValueError(f"layers must be a non-empty list of layer tuples, got {layers!r}")
    rows = []
    for layer in layers:
        kind = layer[0] if isinstance(layer, tuple) and layer else None
        arity = {"conv": (5, 6), "pool": (3, 4), "fc": (2,)}.get(kind)
        if arity is None or len(layer) not in arity:
            raise ValueError(f'each layer must be ("conv", n_C, f, stride, pad[, groups]), ("pool", f, stride[, pad]) '
                             f'or ("fc", n), got {layer!r}')
        shape, params, mults = _layer_shape(shape, layer)
        rows.append({"layer": layer, "output": shape, "parameters": params, "multiplications": mults})
    return rows


def _spec_pad(layer, i, f):
    return (f - 1) // 2 if layer[i] == "same" else _spec_int(layer, i, "pad", minimum=0)


def _layer_shape(shape, layer):
    if layer[0] == "fc":
        n, n_prev = _spec_int(layer, 1, "n"), int(np.prod(shape))
        return (n,), n * (n_prev + 1), n * n_prev
    if len(shape) != 3:
        raise ValueError(f"a {layer[0]} layer needs a volume (n_H, n_W, n_C) as input, got {shape} (after an fc layer)")
    n_H, n_W, n_C_prev = shape
    if layer[0] == "pool":
        f, stride = _spec_int(layer, 1, "f"), _spec_int(layer, 2, "stride")
        pad = _spec_pad(layer, 3, f) if len(layer) == 4 else 0
        out = (conv.conv_output_size(n_H, f, pad, stride), conv.conv_output_size(n_W, f, pad, stride), n_C_prev)
        return out, 0, 0
    n_C, f, stride = _spec_int(layer, 1, "n_C"), _spec_int(layer, 2, "f"), _spec_int(layer, 3, "stride")
    pad = _spec_pad(layer, 4, f)
    groups = _spec_int(layer, 5, "groups") if len(layer) == 6 else 1
    if n_C_prev % groups or n_C % groups:
        raise ValueError(f"groups = {groups} must divide the input channels {n_C_prev} and the filters {n_C}")
    out = (conv.conv_output_size(n_H, f, pad, stride), conv.conv_output_size(n_W, f, pad, stride), n_C)
    per_filter = f * f * n_C_prev // groups
    return out, n_C * (per_filter + 1), out[0] * out[1] * n_C * per_filter
