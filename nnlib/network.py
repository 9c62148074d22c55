"""The course's L-layer network as layers: from a parameter dict to a :class:`nnlib.layers.Sequential`
and back, and the course's initializations of that dict.

Introduced in the chapter *Layers: from functions to objects*. The course keeps a network as a dict
``W1, b1, ..., WL, bL`` and functions that pass caches; :func:`build_network` turns such a dict
into layer objects that **hold the dict's arrays** (training updates them in place), so the course
API (:mod:`nnlib.deep`), the training loop (:mod:`nnlib.training`) and a chapter's gradient check
all run the same forward and backward passes. :func:`network_parameters` and
:func:`network_gradients` read the course's dicts back from the layers.
"""

import numpy as np

from nnlib import layers
from nnlib._validate import (check_dtype, check_int, check_interval, check_layer_dims, check_parameters, check_positive,
                             key_order)


# The course's initializations (chapters *Shallow neural networks*, *Deep networks in practice*).


def initialize_parameters(n_x, n_h, n_y, dtype=np.float64):
    """Parameters of a 2-layer network, drawn as the course does: small random weights, zero biases.

    ``W1 = np.random.randn(n_h, n_x) * 0.01``, ``b1 = 0`` (n_h, 1), ``W2 = np.random.randn(n_y, n_h) * 0.01``,
    ``b2 = 0`` (n_y, 1), from numpy's global random state in that order (so ``np.random.seed(1)``
    beforehand reproduces the course's numbers). ``dtype`` (float64 or float32) is applied after drawing.

    Returns a dict ``{"W1", "b1", "W2", "b2"}``.
    """
    n_x, n_h, n_y = (check_int(k, v) for k, v in (("n_x", n_x), ("n_h", n_h), ("n_y", n_y)))
    dtype = check_dtype(dtype)
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    parameters = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    return {k: v.astype(dtype, copy=False) for k, v in parameters.items()}


def initialize_parameters_deep(layer_dims, scale=0.01, dtype=np.float64):
    """Parameters ``W1, b1, ..., WL, bL`` of an L-layer network with sizes ``layer_dims``.

    For l = 1, ..., L, in this order: ``W^[l] = np.random.randn(n^[l], n^[l−1])`` times the scale,
    ``b^[l] = zeros((n^[l], 1))`` — numpy's global random state, as the course draws them.

    scale :
        * a positive number (default 0.01, the course's *Step by Step* version): ``randn(...) * scale``;
        * ``"xavier"``: ``randn(...) / np.sqrt(n^[l−1])`` — exactly the course's application
          (``dnn_app_utils``) version, Var(W) = 1/n^[l−1];
        * ``"he"``: ``randn(...) * np.sqrt(2. / n^[l−1])`` — He et al., Var(W) = 2/n^[l−1], the
          course's choice for ReLU layers.

    (Glorot and Bengio's own "Xavier" variance is 2/(n^[l−1] + n^[l]); the course, and this
    option, use 1/n^[l−1].) ``dtype`` (float64 or float32) is applied after drawing.
    """
    layer_dims = check_layer_dims(layer_dims)
    dtype = check_dtype(dtype)
    if isinstance(scale, str):
        if scale not in ("xavier", "he"):
            raise ValueError(f"scale must be a positive number, 'xavier' or 'he', got {scale!r}")
    else:
        scale = check_positive("scale", scale)
    parameters = {}
    for l in range(1, len(layer_dims)):
        if scale == "xavier":
            W = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        elif scale == "he":
            W = np.random.randn(layer_dims[l], layer_dims[l - 1]) * np.sqrt(2.0 / layer_dims[l - 1])
        else:
            W = np.random.randn(layer_dims[l], layer_dims[l - 1]) * scale
        parameters["W" + str(l)] = W.astype(dtype, copy=False)
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1), dtype=dtype)
    return parameters


def _batchnorm_parameters(parameters, L):
    """Turn W1, b1, ..., WL, bL into a batch-norm network's learned parameters: b^[l] of the hidden
    layers is dropped (β replaces it), γ^[l] = 1 and β^[l] = 0, in W's dtype."""
    out = {}
    for l in range(1, L + 1):
        W = parameters["W" + str(l)]
        out["W" + str(l)] = W
        if l == L:
            out["b" + str(l)] = parameters["b" + str(l)]
        else:
            out["gamma" + str(l)] = np.ones((W.shape[0], 1), dtype=W.dtype)
            out["beta" + str(l)] = np.zeros((W.shape[0], 1), dtype=W.dtype)
    return out


def _build_network(parameters, L, keep_prob=1.0, rng=None, bn_momentum=0.9, scaling=True):
    """The course's [LINEAR → RELU (→ DROPOUT)] × (L − 1) → LINEAR as a Sequential of course-scaled
    layers that hold the arrays of ``parameters`` (validated); a batch-norm dict (``gamma1`` present)
    gives LINEAR without b → BATCH NORM → RELU hidden layers, with its running averages if it has them.
    The output activation is the loss's (:mod:`nnlib.losses`): the network returns Z^[L]."""
    batchnorm = "gamma1" in parameters
    net = []
    for l in range(1, L + 1):
        hidden = l < L
        b = None if batchnorm and hidden else parameters["b" + str(l)]
        net.append(layers.Dense(parameters["W" + str(l)], b, course_scaling=scaling, input_grad=l > 1))
        if hidden and batchnorm:
            norm = layers.BatchNorm(parameters["gamma" + str(l)], parameters["beta" + str(l)], momentum=bn_momentum,
                                    course_scaling=bool(scaling))
            if "running_mean" + str(l) in parameters:
                norm.running_mean, norm.running_var = parameters["running_mean" + str(l)], parameters["running_var" + str(l)]
            net.append(norm)
        if hidden:
            net.append(layers.ReLU())
        if hidden and keep_prob < 1:
            net.append(layers.Dropout(keep_prob, rng))
    return layers.Sequential(net)


def _network_parameters(network):
    """The dict W1, b1, ..., WL, bL (and γ, β, running averages of batch-norm layers) of a network
    built by :func:`_build_network`, in the order of :func:`~nnlib.deep.L_layer_model`'s result."""
    out, l = {}, 0
    for layer in network.layers:
        if isinstance(layer, layers.Dense):
            l += 1
            out.update({f"{k}{l}": v for k, v in layer.params.items()})
        elif isinstance(layer, layers.BatchNorm):
            out.update({f"gamma{l}": layer.params["gamma"], f"beta{l}": layer.params["beta"],
                        f"running_mean{l}": layer.running_mean, f"running_var{l}": layer.running_var})
    return {k: out[k] for k in sorted(out, key=key_order)}


def build_network(parameters, keep_prob=1.0, rng=None, bn_momentum=0.9, course_scaling=True):
    """The course's network as layers (:mod:`nnlib.layers`): a Sequential that holds ``parameters``.

    Parameters
    ----------
    parameters : ``W1, b1, ..., WL, bL`` or a batch-norm network's dict (:func:`~nnlib.deep.L_layer_model`)
    keep_prob : in (0, 1]; below 1, a Dropout layer after every hidden ReLU (masks from ``rng``, a
        ``np.random.Generator``, or numpy's global state when None)
    bn_momentum : the batch-norm layers' running-average momentum
    course_scaling : True (the course's gradient scaling, for a loss with ``per_example=True``), False
        (gradients of the mean cost, frameworks' convention) or "divide" (see :class:`nnlib.layers.Dense`)

    Returns a :class:`nnlib.layers.Sequential` [LINEAR → RELU (→ DROPOUT)] × (L − 1) → LINEAR
    (batch norm: LINEAR without b → BATCH NORM → RELU) whose ``forward(X, training)`` returns Z^[L]
    (apply the output activation or a loss of :mod:`nnlib.losses`) and whose ``backward(dZL)`` sets
    every layer's grads. The layers hold the arrays of ``parameters`` themselves (training updates them in place), and the first
    one returns no dX. :func:`network_parameters` gives the dict back.
    """
    L, parameters = check_parameters(parameters, allow_batchnorm=True, learned_only=True)
    keep_prob = check_interval("keep_prob", keep_prob, 0, 1, low_open=True)
    bn_momentum = check_interval("bn_momentum", bn_momentum, 0, 1, high_open=True)
    if course_scaling not in (True, False, "divide"):
        raise ValueError(f"course_scaling must be True, False or 'divide', got {course_scaling!r}")
    return _build_network(parameters, L, keep_prob, rng, bn_momentum, course_scaling)


def network_parameters(network):
    """The parameter dict (``W1, b1, ...``; batch norm: γ, β and running averages) of a network made
    by :func:`build_network` — the arrays themselves, in :func:`~nnlib.deep.L_layer_model`'s order."""
    if not isinstance(network, layers.Sequential):
        raise ValueError(f"network must be a Sequential made by build_network, got {type(network).__name__}")
    return _network_parameters(network)


def network_gradients(network):
    """The gradients set by ``network.backward`` (a network of :func:`build_network`) as the course's
    dict: ``dW1, db1, ..., dWL, dbL`` (batch norm: ``dgamma{l}, dbeta{l}`` instead of ``db{l}``)."""
    if not isinstance(network, layers.Sequential):
        raise ValueError(f"network must be a Sequential made by build_network, got {type(network).__name__}")
    grads, l = {}, 0
    for layer in network.layers:
        l += isinstance(layer, layers.Dense)
        if layer.params and not layer.grads:
            raise ValueError("network has no gradients yet: call network.backward(dZL) first")
        grads.update({f"d{k}{l}": v for k, v in layer.grads.items()})
    return grads


def batchnorm_parameters(parameters):
    """A batch-norm network's learned parameters from ``W1, b1, ..., WL, bL``: the hidden layers' b^[l]
    dropped (β takes its place), γ^[l] = 1 and β^[l] = 0 (n^[l], 1) in W's dtype — the start of
    :func:`~nnlib.deep.L_layer_model` with ``batchnorm=True``."""
    L, parameters = check_parameters(parameters)
    return _batchnorm_parameters(parameters, L)
