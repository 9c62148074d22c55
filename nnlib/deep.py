"""Deep L-layer networks, with the course's names, signatures and caches.

Derived and checked in the chapters *Deep neural networks* (notation, forward and backward passes
with caches, gradient checking, why depth helps) and *Deep networks in practice* (training on
handwritten digits, initialization scale, the softmax output layer).

Shapes, for a network with ``layer_dims = [n_x, n^[1], ..., n^[L]]`` and m examples:

* ``X = A^[0]`` (n_x, m), one example per column; ``Y`` (1, m) of 0/1 labels (a sigmoid output)
  or (n_classes, m) one-hot columns (a softmax output);
* ``W^[l]`` (n^[l], n^[l−1]), ``b^[l]`` (n^[l], 1), ``Z^[l] = W^[l] A^[l−1] + b^[l]`` and
  ``A^[l] = g^[l](Z^[l])`` (n^[l], m); ``dW^[l]``, ``db^[l]``, ``dZ^[l]``, ``dA^[l]`` have the
  shapes of ``W^[l]``, ``b^[l]``, ``Z^[l]``, ``A^[l]``.
* The architecture is the course's: [LINEAR → RELU] × (L − 1) → LINEAR → SIGMOID (or SOFTMAX).

Caches are the course's: ``linear_forward`` returns ``(Z, (A_prev, W, b))`` and
``linear_activation_forward`` returns ``(A, ((A_prev, W, b), Z))``.

Every public function validates its inputs once; the training loops call the unvalidated
private functions (``_linear_activation_forward``, ``_backward``, ...) at each step.

With ``L_layer_model(..., batchnorm=True)`` every hidden layer is LINEAR (no b) → BATCH NORM → RELU
(chapter *Optimization algorithms*); the returned dict then holds ``W1, ..., WL, bL`` and, for each
hidden layer l, ``gamma{l}, beta{l}, running_mean{l}, running_var{l}`` (n^[l], 1).
:func:`L_model_forward`, :func:`predict` and :func:`predict_classes` recognize such a dict and
normalize with the running averages (inference mode).

The softmax here, :func:`softmax_columns`, normalises each **column** of Z (n_classes, m) — the
classes of one example. The Python-basics chapter's ``nnlib.basics.softmax`` is the course's
row-wise exercise function; they are different functions.
"""

import numpy as np

from nnlib import _kernels as K
from nnlib import activations, layers, optim, training
from nnlib import batchnorm as bn
from nnlib.losses import SigmoidCrossEntropy, SoftmaxCrossEntropy
from nnlib._validate import as_float_array, as_labels, check_int, check_interval, check_positive, check_shape
from nnlib.losses import _logit_losses, _reduce, binary_cross_entropy, binary_cross_entropy_with_logits

_ACTIVATIONS = ("sigmoid", "relu", "softmax")
_OUTPUTS = ("sigmoid", "softmax")
# A batch-norm network's hidden layer l has these (n^[l], 1) entries instead of b^[l] (see L_layer_model).
_BN_KEYS = ("gamma", "beta", "running_mean", "running_var")
_BN_EPSILON = 1e-5          # the ε of √(σ² + ε), in training and at inference


# ----------------------------------------------------------------------------------------------
# The course's dnn_utils: activations that return a cache, and their backward passes.


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


_relu, _relu_backward = K.relu, K.relu_backward


def _check_dA_Z(dA, cache):
    Z = as_float_array("cache (Z)", cache)
    dA = as_float_array("dA", dA)
    check_shape("dA", dA, Z.shape)
    return dA, Z


# ----------------------------------------------------------------------------------------------
# The softmax output layer (column-wise) and its cost.


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
    return _softmax_columns(Z)


def _softmax_columns(Z):
    return K.softmax(Z, axis=0)


_softmax_backward = K.softmax_backward


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
    n_classes = check_positive("n_classes", n_classes, integer=True)
    if labels.max() >= n_classes:
        raise ValueError(f"y must contain labels in 0..{n_classes - 1}, got {labels.max()}")
    Y = np.zeros((n_classes, labels.size))
    Y[labels, np.arange(labels.size)] = 1.0
    return Y


def _check_one_hot(name, Y, shape, dtype=None):
    Y = as_float_array(name, Y, ndim=2)
    if dtype is not None:
        Y = Y.astype(dtype, copy=False)
    check_shape(name, Y, shape)
    if not np.all((Y == 0) | (Y == 1)) or not np.all(Y.sum(axis=0) == 1):
        raise ValueError(f"{name} must be one-hot: every column holds a single 1 and zeros elsewhere (see one_hot)")
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
    Y = _check_one_hot("Y", Y, AL.shape, dtype=AL.dtype)
    if AL.min() < 0 or AL.max() > 1:
        raise ValueError(f"AL must hold probabilities in [0, 1], got values in [{AL.min()}, {AL.max()}]")
    logs = np.log(np.maximum(AL, np.finfo(AL.dtype).tiny))
    return np.squeeze(-np.sum(Y * logs, dtype=AL.dtype) / AL.shape[1])


_softmax_cross_entropy_with_logits = K.softmax_cost_from_logits


# ----------------------------------------------------------------------------------------------
# Initialization.


def _check_dtype(dtype):
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    return dtype


def initialize_parameters(n_x, n_h, n_y, dtype=np.float64):
    """Parameters of a 2-layer network, drawn as the course does: small random weights, zero biases.

    ``W1 = np.random.randn(n_h, n_x) * 0.01``, ``b1 = 0`` (n_h, 1), ``W2 = np.random.randn(n_y, n_h) * 0.01``,
    ``b2 = 0`` (n_y, 1), from numpy's global random state in that order (so ``np.random.seed(1)``
    beforehand reproduces the course's numbers). ``dtype`` (float64 or float32) is applied after drawing.

    Returns a dict ``{"W1", "b1", "W2", "b2"}``.
    """
    n_x, n_h, n_y = (check_int(k, v) for k, v in (("n_x", n_x), ("n_h", n_h), ("n_y", n_y)))
    dtype = _check_dtype(dtype)
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    parameters = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    return {k: v.astype(dtype, copy=False) for k, v in parameters.items()}


def _check_layer_dims(layer_dims, name="layer_dims"):
    if isinstance(layer_dims, np.ndarray):
        layer_dims = layer_dims.tolist()
    if not isinstance(layer_dims, (list, tuple)) or len(layer_dims) < 2:
        raise ValueError(f"{name} must be a list of at least 2 layer sizes [n_x, n^[1], ..., n^[L]], got {layer_dims!r}")
    return [check_int(f"{name}[{i}]", n) for i, n in enumerate(layer_dims)]


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
    layer_dims = _check_layer_dims(layer_dims)
    dtype = _check_dtype(dtype)
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


# ----------------------------------------------------------------------------------------------
# Forward propagation.


def _check_activation(activation, allowed=_ACTIVATIONS):
    if not isinstance(activation, str) or activation not in allowed:
        names = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"activation must be one of {names}, got {activation!r}")
    return activation


def _check_linear(A, W, b, A_name="A"):
    A = as_float_array(A_name, A, ndim=2)
    W = as_float_array("W", W, ndim=2)
    check_shape("W", W, (None, A.shape[0]))
    b = as_float_array("b", b, ndim=2)
    check_shape("b", b, (W.shape[0], 1))
    return A, W, b


def linear_forward(A, W, b):
    """Z = W A + b for one layer.

    Parameters
    ----------
    A : (n^[l−1], m) activations of the previous layer (X for the first layer)
    W : (n^[l], n^[l−1]) weights
    b : (n^[l], 1) biases, broadcast over the m columns

    Returns
    -------
    Z : (n^[l], m)
    cache : the tuple ``(A, W, b)`` that the backward pass needs
    """
    A, W, b = _check_linear(A, W, b)
    return _linear_forward(A, W, b)


def _linear_forward(A, W, b):
    return K.linear_forward(A, W, b), (A, W, b)


def linear_activation_forward(A_prev, W, b, activation):
    """A = g(W A_prev + b) for one layer, with g = ``"relu"``, ``"sigmoid"`` (or ``"softmax"``).

    Returns
    -------
    A : (n^[l], m)
    cache : ``((A_prev, W, b), Z)`` — the linear cache and the activation cache
    """
    _check_activation(activation)
    A_prev, W, b = _check_linear(A_prev, W, b, "A_prev")
    return _linear_activation_forward(A_prev, W, b, activation)


def _activate(Z, activation):
    if activation == "relu":
        return _relu(Z)
    if activation == "sigmoid":
        return activations.sigmoid(Z)
    return _softmax_columns(Z)


def _linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = _linear_forward(A_prev, W, b)
    return _activate(Z, activation), (linear_cache, Z)


def _split_key(key):
    """``"running_mean12"`` → ``("running_mean", 12)``; (None, 0) for keys without a layer number."""
    if isinstance(key, str):
        stem = key.rstrip("0123456789")
        if stem and stem != key:
            return stem, int(key[len(stem):])
    return None, 0


def _key_order(key):
    stem, layer = _split_key(key)
    return layer, ("W", "b", *_BN_KEYS).index(stem) if stem in ("W", "b", *_BN_KEYS) else 9, str(key)


def _check_parameters(parameters, n_x=None, allow_batchnorm=False):
    """Validate ``{"W1", "b1", ..., "WL", "bL"}`` (consecutive shapes); return (L, validated dict).

    With ``allow_batchnorm``, a batch-norm network's dict is accepted as well (any key gamma/beta/
    running_mean/running_var marks one): ``W1, ..., WL, bL`` and, for l = 1, ..., L − 1,
    ``gamma{l}, beta{l}, running_mean{l}, running_var{l}`` of shape (n^[l], 1), running_var ≥ 0.
    """
    if not isinstance(parameters, dict) or not parameters:
        raise ValueError(f"parameters must be a non-empty dict W1, b1, ..., WL, bL, got {type(parameters).__name__}")
    parts = [_split_key(k) for k in parameters]
    L = max((layer for stem, layer in parts if stem in ("W", "b")), default=0)
    batchnorm = allow_batchnorm and any(stem in _BN_KEYS for stem, _ in parts)
    hidden = _BN_KEYS if batchnorm else ("b",)
    expected = {f"W{l}" for l in range(1, L + 1)} | {f"b{L}"} | {f"{p}{l}" for p in hidden for l in range(1, L)}
    missing = sorted(expected - set(parameters), key=_key_order)
    extra = sorted(map(str, set(parameters) - expected))
    if L == 0 or missing or extra:
        found = f"missing {missing}" if missing else f"unexpected keys {extra}" if extra else f"got {sorted(map(str, parameters))}"
        if batchnorm:
            raise ValueError("parameters of a batch-norm network must have exactly the keys W1, ..., WL, bL and "
                             f"gamma, beta, running_mean, running_var 1, ..., L − 1: {found}")
        raise ValueError(f"parameters must have exactly the keys W1, b1, ..., WL, bL: {found}")
    checked, n_prev = {}, n_x
    for l in range(1, L + 1):
        W = as_float_array(f"W{l}", parameters[f"W{l}"], ndim=2)
        if n_prev is not None:
            check_shape(f"W{l}", W, (None, n_prev))
        checked[f"W{l}"] = W
        for name in (f"{p}{l}" for p in (("b",) if l == L else hidden)):
            checked[name] = check_shape(name, as_float_array(name, parameters[name], ndim=2), (W.shape[0], 1))
        n_prev = W.shape[0]
    for l in range(1, L) if batchnorm else ():
        if checked[f"running_var{l}"].min() < 0:
            raise ValueError(f"running_var{l} must be ≥ 0 (a variance), got {checked[f'running_var{l}'].min()!r}")
    return L, checked


def L_model_forward(X, parameters, output="sigmoid"):
    """Forward pass of [LINEAR → RELU] × (L − 1) → LINEAR → SIGMOID (``output="softmax"``: SOFTMAX).

    Parameters
    ----------
    X : (n_x, m) inputs, one example per column
    parameters : dict ``W1, b1, ..., WL, bL`` (as from :func:`initialize_parameters_deep`), or the
        dict of a batch-norm network (:func:`L_layer_model` with ``batchnorm=True``)
    output : ``"sigmoid"`` (the course) or ``"softmax"`` for the last layer

    Returns
    -------
    AL : (n^[L], m) the output activations ŷ
    caches : list of the L caches ``((A_prev, W, b), Z)``, layer 1 first

    A batch-norm dict runs in inference mode: each hidden layer is
    Z̃ = γ ⊙ (W A_prev − running_mean) / √(running_var + ε) + β, then RELU, so every example's
    output depends on that example alone; its caches are ``((A_prev, W, None), Z̃)`` (no b, and no
    backward pass: training uses the batch statistics).
    """
    _check_activation(output, _OUTPUTS)
    X = as_float_array("X", X, ndim=2)
    L, parameters = _check_parameters(parameters, X.shape[0], allow_batchnorm=True)
    return _forward_inference(X, parameters, L, output)


def _forward(X, parameters, L, output):
    caches = []
    A = X
    for l in range(1, L):
        A, cache = _linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = _linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], output)
    caches.append(cache)
    return AL, caches


def _forward_inference(X, parameters, L, output):
    """:func:`_forward`, or for a batch-norm dict the pass with the running averages (inference mode)."""
    if "gamma1" not in parameters:
        return _forward(X, parameters, L, output)
    caches, A = [], X
    for l in range(1, L):
        W = parameters["W" + str(l)]
        Z_tilde = bn._batchnorm_inference(W @ A, *(parameters[p + str(l)] for p in _BN_KEYS), _BN_EPSILON)
        caches.append(((A, W, None), Z_tilde))
        A = _relu(Z_tilde)
    AL, cache = _linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], output)
    return AL, caches + [cache]


def compute_cost(AL, Y):
    """The cross-entropy cost J = −(1/m) Σ [y log a + (1 − y) log(1 − a)] of a sigmoid output.

    Parameters
    ----------
    AL : (1, m) probabilities ŷ; Y : (1, m) labels in {0, 1}

    Returns the cost as a numpy scalar (shape ()), as the course's ``np.squeeze(cost)``. AL is
    clipped to [ε, 1 − ε] (:func:`nnlib.losses.binary_cross_entropy`), so the cost stays finite
    when AL is exactly 0 or 1. For a softmax output use :func:`cross_entropy`.
    """
    AL = as_float_array("AL", AL, ndim=2)
    check_shape("AL", AL, (1, None))
    return np.squeeze(binary_cross_entropy(AL, Y))


# ----------------------------------------------------------------------------------------------
# Backward propagation.


def linear_backward(dZ, cache):
    """Gradients of one linear layer Z = W A_prev + b, given dZ = ∂L/∂Z (one column per example).

    Parameters
    ----------
    dZ : (n^[l], m)
    cache : ``(A_prev, W, b)`` from :func:`linear_forward`

    Returns
    -------
    dA_prev : (n^[l−1], m) = Wᵀ dZ
    dW : (n^[l], n^[l−1]) = (1/m) dZ A_prevᵀ
    db : (n^[l], 1) = (1/m) Σ_i dZ[:, i]
    """
    dZ, cache = _check_linear_backward(dZ, cache)
    return _linear_backward(dZ, cache)


def _check_linear_backward(dZ, cache, name="cache", dZ_name="dZ"):
    if not isinstance(cache, tuple) or len(cache) != 3:
        raise ValueError(f"{name} must be the tuple (A_prev, W, b) returned by linear_forward, got {type(cache).__name__}")
    A_prev, W, b = _check_linear(*cache, A_name="A_prev")
    dZ = as_float_array(dZ_name, dZ, ndim=2)
    check_shape(dZ_name, dZ, (W.shape[0], A_prev.shape[1]))
    return dZ, (A_prev, W, b)


def _linear_backward(dZ, cache):
    A_prev, W, b = cache
    return K.linear_backward(dZ, A_prev, W)


def _check_layer_cache(cache, name="cache"):
    """Validate a ``((A_prev, W, b), Z)`` cache; return it with validated arrays."""
    if not isinstance(cache, tuple) or len(cache) != 2:
        raise ValueError(f"{name} must be the tuple ((A_prev, W, b), Z) returned by linear_activation_forward, "
                         f"got {type(cache).__name__}")
    linear_cache, Z = cache
    Z = as_float_array(f"Z in {name}", Z, ndim=2)
    Z, linear_cache = _check_linear_backward(Z, linear_cache, name + "[0]", f"Z in {name}")
    return linear_cache, Z


def linear_activation_backward(dA, cache, activation):
    """Backward pass of one LINEAR → ACTIVATION layer: dZ = dA ⊙ g'(Z), then :func:`linear_backward`.

    Parameters
    ----------
    dA : (n^[l], m) gradient of the loss with respect to this layer's output A
    cache : ``((A_prev, W, b), Z)`` from :func:`linear_activation_forward`
    activation : ``"relu"``, ``"sigmoid"`` or ``"softmax"`` (dZ = A ⊙ (dA − Σ_k A_k dA_k) per column)

    Returns ``(dA_prev, dW, db)`` with the shapes of A_prev, W and b.
    """
    _check_activation(activation)
    cache = _check_layer_cache(cache)
    dA = as_float_array("dA", dA, ndim=2)
    check_shape("dA", dA, cache[1].shape)
    return _linear_activation_backward(dA, cache, activation)


def _linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = _relu_backward(dA, Z)
    elif activation == "sigmoid":
        dZ = dA * activations.sigmoid_derivative(Z)
    else:
        dZ = _softmax_backward(dA, Z)
    return _linear_backward(dZ, linear_cache)


def _check_caches(caches):
    if not isinstance(caches, (list, tuple)) or not caches:
        raise ValueError(f"caches must be the non-empty list returned by L_model_forward, got {type(caches).__name__}")
    checked, n_prev = [], None
    for l, cache in enumerate(caches, start=1):
        cache = _check_layer_cache(cache, f"caches[{l - 1}]")
        (A_prev, W, b), Z = cache
        if n_prev is not None:
            check_shape(f"A_prev of layer {l}", A_prev, (n_prev, Z.shape[1]))
        n_prev = Z.shape[0]
        checked.append(cache)
    return checked


def L_model_backward(AL, Y, caches, output="sigmoid"):
    """Backward pass of the L-layer network: the gradients of the cost for every layer.

    Parameters
    ----------
    AL : (n^[L], m) output of :func:`L_model_forward`
    Y : (1, m) labels in {0, 1} (``output="softmax"``: (n_classes, m) one-hot)
    caches : the list of caches from :func:`L_model_forward`
    output : the output activation, ``"sigmoid"`` or ``"softmax"``

    Returns
    -------
    grads : dict with ``"dA0", ..., "dA{L−1}"``, ``"dW1", ..., "dWL"``, ``"db1", ..., "dbL"``

    A sigmoid output starts, as the course does, from dA^[L] = −(Y/A^[L] − (1 − Y)/(1 − A^[L]))
    and the sigmoid's backward pass; values of AL that are exactly 0 or 1 are first moved to ε or
    1 − ε so that dA^[L] stays finite (the training loops use the equivalent, exact
    dZ^[L] = A^[L] − Y instead). A softmax output starts from dZ^[L] = A^[L] − Y.
    """
    _check_activation(output, _OUTPUTS)
    caches = _check_caches(caches)
    AL = as_float_array("AL", AL, ndim=2)
    ZL = caches[-1][1]
    check_shape("AL", AL, ZL.shape)
    if output == "sigmoid":
        check_shape("AL", AL, (1, None))
        Y = as_labels("Y", Y, AL.shape[1], dtype=AL.dtype)
        return _sigmoid_output_backward(AL, Y, caches, need_dA0=True)
    Y = _check_one_hot("Y", Y, AL.shape, dtype=AL.dtype)
    return _backward(AL - Y, caches, need_dA0=True)


def _sigmoid_output_backward(AL, Y, caches, need_dA0=True):
    """:func:`L_model_backward` for a sigmoid output on validated inputs: the course's start from
    dA^[L] (AL in [0, 1] moved into [ε, 1 − ε]) and the sigmoid's backward pass, then the hidden
    layers. :func:`nnlib.optimizers.model` calls it to keep the course's numbers bit for bit."""
    eps = np.finfo(AL.dtype).eps
    inside = (AL >= 0) & (AL <= 1)
    AL = np.where(inside, np.clip(AL, eps, 1 - eps), AL)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    L = len(caches)
    grads = {}
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \
        _linear_activation_backward(dAL, caches[-1], "sigmoid")
    return _backward_hidden(grads, caches, need_dA0)


def _backward(dZL, caches, need_dA0=True):
    """Gradients from dZ^[L] of the output layer down to layer 1 (the hidden layers are ReLU)."""
    L = len(caches)
    grads = {}
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = _linear_backward(dZL, caches[-1][0])
    return _backward_hidden(grads, caches, need_dA0)


def _backward_hidden(grads, caches, need_dA0):
    L = len(caches)
    for l in reversed(range(L - 1)):
        linear_cache, Z = caches[l]
        dZ = _relu_backward(grads["dA" + str(l + 1)], Z)
        if l == 0 and not need_dA0:
            A_prev, W, b = linear_cache
            m = A_prev.shape[1]
            grads["dW1"] = 1.0 / m * (dZ @ A_prev.T)
            grads["db1"] = 1.0 / m * np.sum(dZ, axis=1, keepdims=True)
        else:
            grads["dA" + str(l)], grads["dW" + str(l + 1)], grads["db" + str(l + 1)] = _linear_backward(dZ, linear_cache)
    return grads


def update_parameters(params, grads, learning_rate):
    """One step of gradient descent: W^[l] ← W^[l] − α dW^[l], b^[l] ← b^[l] − α db^[l].

    Parameters
    ----------
    params : dict ``W1, b1, ..., WL, bL``; not modified (a new dict is returned)
    grads : dict with (at least) ``dW1, db1, ..., dWL, dbL`` of the same shapes
    learning_rate : α > 0

    Returns the updated parameters.
    """
    L, params = _check_parameters(params)
    learning_rate = check_positive("learning_rate", learning_rate)
    if not isinstance(grads, dict):
        raise ValueError(f"grads must be a dict dW1, db1, ..., got {type(grads).__name__}")
    checked = {}
    for key, value in params.items():
        if "d" + key not in grads:
            raise ValueError(f"grads has no entry {'d' + key!r}; it has {sorted(grads)}")
        g = as_float_array("d" + key, grads["d" + key])
        checked["d" + key] = check_shape("d" + key, g, value.shape)
    return _update_parameters(params, checked, learning_rate, L)


def _update_parameters(params, grads, learning_rate, L):
    parameters = dict(params)
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters


# ----------------------------------------------------------------------------------------------
# Training and prediction.


def _check_training(X, Y, layers_dims, learning_rate, num_iterations, output):
    _check_activation(output, _OUTPUTS)
    X = as_float_array("X", X, ndim=2)
    layers_dims = _check_layer_dims(layers_dims, "layers_dims")
    if layers_dims[0] != X.shape[0]:
        raise ValueError(f"layers_dims[0] must be n_x = X.shape[0] = {X.shape[0]}, got {layers_dims[0]}")
    m = X.shape[1]
    if output == "sigmoid":
        if layers_dims[-1] != 1:
            raise ValueError(f"layers_dims[-1] must be 1 for a sigmoid output, got {layers_dims[-1]}")
        Y = as_labels("Y", Y, m, dtype=X.dtype)
    else:
        Y = _check_one_hot("Y", Y, (layers_dims[-1], m), dtype=X.dtype)
    learning_rate = check_positive("learning_rate", learning_rate)
    num_iterations = check_positive("num_iterations", num_iterations, integer=True)
    return X, Y, layers_dims, learning_rate, num_iterations


_OPTIMIZERS = ("gd", "momentum", "rmsprop", "adam")


def _number(name, value, ok, allowed):
    """``value`` as a Python float if it is a finite real number (not a bool) with ``ok(value)``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not np.isfinite(value) or not ok(float(value)):
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    return float(value)


def _check_options(lambd, keep_prob, optimizer, beta, beta1, beta2, epsilon, mini_batch_size):
    """Validate the options of :func:`L_layer_model`; return them as Python numbers."""
    lambd = _number("lambd", lambd, lambda v: v >= 0, "a number ≥ 0")
    keep_prob = _number("keep_prob", keep_prob, lambda v: 0 < v <= 1, "a number in (0, 1]")
    if not isinstance(optimizer, str) or optimizer not in _OPTIMIZERS:
        names = ", ".join(repr(o) for o in _OPTIMIZERS)
        raise ValueError(f"optimizer must be one of {names}, got {optimizer!r}")
    beta, beta1, beta2 = (_number(k, v, lambda v: 0 <= v < 1, "a number in [0, 1)")
                          for k, v in (("beta", beta), ("beta1", beta1), ("beta2", beta2)))
    epsilon = _number("epsilon", epsilon, lambda v: v > 0, "a number > 0")
    if mini_batch_size is not None:
        if isinstance(mini_batch_size, bool) or not isinstance(mini_batch_size, (int, np.integer)) or mini_batch_size < 1:
            raise ValueError(f"mini_batch_size must be None (full batch) or a positive integer, got {mini_batch_size!r}")
        mini_batch_size = int(mini_batch_size)
    return lambd, keep_prob, optimizer, beta, beta1, beta2, epsilon, mini_batch_size


def _check_batchnorm(batchnorm, bn_momentum, cost_every):
    """Validate L_layer_model's ``batchnorm`` (a bool), ``bn_momentum`` in [0, 1) and ``cost_every`` ≥ 1."""
    if not isinstance(batchnorm, (bool, np.bool_)):
        raise ValueError(f"batchnorm must be True or False, got {batchnorm!r}")
    bn_momentum = _number("bn_momentum", bn_momentum, lambda v: 0 <= v < 1, "a number in [0, 1)")
    return bool(batchnorm), bn_momentum, check_int("cost_every", cost_every)


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


def _forward_dropout(X, parameters, L, output, keep_prob, rng, batchnorm=False):
    """:func:`_forward` with inverted dropout after every hidden ReLU; also returns the masks D^[l].

    With ``batchnorm`` each hidden layer is Z̃ = BN(W A_prev) with the batch's own μ and σ² (training
    mode), then RELU; its cache is ``((A_prev, W, None), Z̃, bn_cache)`` with the cache of
    :func:`nnlib.batchnorm.batchnorm_forward` (whose μ and σ² feed the running averages).
    """
    from nnlib.regularization import dropout_forward     # regularization imports deep: import here

    caches, masks, A = [], [], X
    for l in range(1, L):
        W = parameters["W" + str(l)]
        if batchnorm:
            Z_tilde, bn_cache = bn._batchnorm_forward(W @ A, parameters["gamma" + str(l)], parameters["beta" + str(l)],
                                                      _BN_EPSILON)
            A, cache = _relu(Z_tilde), ((A, W, None), Z_tilde, bn_cache)
        else:
            A, cache = _linear_activation_forward(A, W, parameters["b" + str(l)], "relu")
        if keep_prob < 1:
            A, D = dropout_forward(A, keep_prob, rng)
            masks.append(D)
        caches.append(cache)
    AL, cache = _linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], output)
    caches.append(cache)      # layer l + 1's cache holds the dropped-out A^[l] it was fed
    return AL, caches, masks


def _backward_dropout(dZL, caches, masks, keep_prob):
    """:func:`_backward` through the dropout masks: dA^[l] ← dA^[l] ⊙ D^[l] / keep_prob on hidden layers.

    A batch-norm layer's cache (three entries) sends dZ̃ through
    :func:`nnlib.batchnorm.batchnorm_backward`: dγ^[l] = (1/m) Σ dZ̃ ⊙ Ẑ and dβ^[l] = (1/m) Σ dZ̃
    (the cost's 1/m, as for db), and the returned dZ continues to dW^[l]; there is no db^[l].
    """
    from nnlib.regularization import dropout_backward

    L = len(caches)
    grads = {}
    dA, grads["dW" + str(L)], grads["db" + str(L)] = _linear_backward(dZL, caches[-1][0])
    for l in reversed(range(L - 1)):
        if keep_prob < 1:
            dA = dropout_backward(dA, masks[l], keep_prob)
        linear_cache, Z = caches[l][:2]
        dZ = _relu_backward(dA, Z)
        if len(caches[l]) == 3:
            dZ, dgamma, dbeta = bn._batchnorm_backward(dZ, caches[l][2])
            m = dZ.shape[1]
            grads["dgamma" + str(l + 1)], grads["dbeta" + str(l + 1)] = 1.0 / m * dgamma, 1.0 / m * dbeta
        dA, grads["dW" + str(l + 1)], db = _linear_backward(dZ, linear_cache)
        if len(caches[l]) == 2:
            grads["db" + str(l + 1)] = db
    return grads


def _cost_from_logits(ZL, Y, output):
    """The cost from the output layer's Z^[L] on validated inputs (Y in ZL's dtype)."""
    if output == "sigmoid":
        return np.squeeze(_reduce(_logit_losses(ZL, Y), "mean"))
    return _softmax_cross_entropy_with_logits(ZL, Y)


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
    built by :func:`_build_network`, in the order of :func:`L_layer_model`'s result."""
    out, l = {}, 0
    for layer in network.layers:
        if isinstance(layer, layers.Dense):
            l += 1
            out.update({f"{k}{l}": v for k, v in layer.params.items()})
        elif isinstance(layer, layers.BatchNorm):
            out.update({f"gamma{l}": layer.params["gamma"], f"beta{l}": layer.params["beta"],
                        f"running_mean{l}": layer.running_mean, f"running_var{l}": layer.running_var})
    return {k: out[k] for k in sorted(out, key=_key_order)}


def build_network(parameters, keep_prob=1.0, rng=None, bn_momentum=0.9, course_scaling=True):
    """The course's network as layers (:mod:`nnlib.layers`): a Sequential that holds ``parameters``.

    Parameters
    ----------
    parameters : ``W1, b1, ..., WL, bL`` or a batch-norm network's dict (:func:`L_layer_model`)
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
    L, parameters = _check_parameters(parameters, allow_batchnorm=True)
    keep_prob = check_interval("keep_prob", keep_prob, 0, 1, low_open=True)
    bn_momentum = check_interval("bn_momentum", bn_momentum, 0, 1, high_open=True)
    if course_scaling not in (True, False, "divide"):
        raise ValueError(f"course_scaling must be True, False or 'divide', got {course_scaling!r}")
    return _build_network(parameters, L, keep_prob, rng, bn_momentum, course_scaling)


def network_parameters(network):
    """The parameter dict (``W1, b1, ...``; batch norm: γ, β and running averages) of a network made
    by :func:`build_network` — the arrays themselves, in :func:`L_layer_model`'s order."""
    if not isinstance(network, layers.Sequential):
        raise ValueError(f"network must be a Sequential made by build_network, got {type(network).__name__}")
    return _network_parameters(network)


def _fit(X, Y, parameters, output, options, keep_prob=1.0, rng=None, bn_momentum=0.9):
    """Train the course network holding ``parameters`` with :func:`nnlib.training.train`."""
    network = _build_network(parameters, sum(1 for k in parameters if k[0] == "W"), keep_prob, rng, bn_momentum)
    loss = SigmoidCrossEntropy(per_example=True) if output == "sigmoid" else SoftmaxCrossEntropy(per_example=True)
    costs = training.train(network, loss, X, Y, options)
    return _network_parameters(network), costs


def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False,
                  *, scale="xavier", output="sigmoid", seed=1, lambd=0.0, keep_prob=1.0, optimizer="gd",
                  beta=0.9, beta1=0.9, beta2=0.999, epsilon=1e-8, mini_batch_size=None,
                  batchnorm=False, bn_momentum=0.9, cost_every=100):
    """Train [LINEAR → RELU] × (L − 1) → LINEAR → SIGMOID by batch gradient descent.

    Parameters
    ----------
    X : (n_x, m) inputs; Y : (1, m) labels (``output="softmax"``: (n_classes, m) one-hot)
    layers_dims : ``[n_x, n^[1], ..., n^[L]]``
    learning_rate, num_iterations : α and the number of gradient steps
    print_cost : print "Cost after iteration %i: %f" every ``cost_every`` iterations
    scale : the initialization of :func:`initialize_parameters_deep`; the default ``"xavier"``
        (randn / sqrt(n^[l−1])) is the one the course's application uses
    output : ``"sigmoid"`` or ``"softmax"``
    seed : as the course, ``np.random.seed(1)`` is called before initializing; ``None`` leaves
        numpy's global random state alone
    lambd : λ ≥ 0 of L2 regularization: the cost gains (λ/2m) Σ_l ‖W^[l]‖²_F and dW^[l] gains (λ/m) W^[l]
        (:func:`nnlib.regularization.l2_regularization_cost`, :func:`~nnlib.regularization.l2_gradients`)
    keep_prob : in (0, 1]; below 1, inverted dropout (:func:`nnlib.regularization.dropout_forward`)
        after every hidden layer while training — never on the output, never in :func:`predict`.
        The masks come from ``np.random.default_rng(seed)`` (``seed=None``: numpy's global state)
    optimizer : ``"gd"``, ``"momentum"`` (β = ``beta``), ``"rmsprop"`` (``beta2``, ``epsilon``) or
        ``"adam"`` (``beta1``, ``beta2``, ``epsilon``; t counts the steps), the updates of
        :mod:`nnlib.optimizers` (applied to every learned parameter, γ and β included)
    mini_batch_size : None (full batch, the default) or the size of the mini-batches of
        :func:`nnlib.optimizers.random_mini_batches`, reshuffled every iteration (epoch) i with
        seed 10 + i + 1 as the course does (this reseeds numpy's global random state); one
        iteration is then one epoch
    batchnorm : False (the default) or True: every hidden layer becomes LINEAR without b → batch
        norm (:func:`nnlib.batchnorm.batchnorm_forward` with the (mini-)batch's μ and σ², ε = 1e-5,
        learned γ^[l] from 1 and β^[l] from 0) → RELU. The output layer keeps its b^[L]. With
        ``keep_prob < 1`` as well, the batch statistics (and so the running averages) are those of
        Z computed from dropped-out activations, which inference, without dropout, does not see
    bn_momentum : in [0, 1); the running averages kept for inference follow
        r ← bn_momentum · r + (1 − bn_momentum) · (batch value) after every step
        (:func:`nnlib.batchnorm.update_running_stats`), from running_mean = 0 and running_var = 1
    cost_every : record (and print) the cost every ``cost_every`` iterations (default 100, the
        course's; 1 records every iteration)

    With every option at its default this is exactly the course's lean batch gradient descent;
    otherwise the costs are those each step minimised (λ term, dropout and batch statistics
    included), averaged over the epoch's examples.

    Returns
    -------
    parameters : the trained ``W1, b1, ..., WL, bL`` (in X's dtype: float32 stays float32); with
        ``batchnorm=True``: ``W1, ..., WL, bL`` and ``gamma{l}, beta{l}, running_mean{l},
        running_var{l}`` (n^[l], 1) for every hidden layer l — :func:`L_model_forward`,
        :func:`predict` and :func:`predict_classes` then use the running averages
    costs : the cost before iterations 0, cost_every, 2·cost_every, ... (numpy scalars)
    """
    X, Y, layers_dims, learning_rate, num_iterations = _check_training(X, Y, layers_dims, learning_rate, num_iterations, output)
    lambd, keep_prob, optimizer, beta, beta1, beta2, epsilon, mini_batch_size = _check_options(
        lambd, keep_prob, optimizer, beta, beta1, beta2, epsilon, mini_batch_size)
    batchnorm, bn_momentum, cost_every = _check_batchnorm(batchnorm, bn_momentum, cost_every)
    if seed is not None:
        np.random.seed(seed)
    parameters = initialize_parameters_deep(layers_dims, scale=scale, dtype=X.dtype)
    if batchnorm:
        parameters = _batchnorm_parameters(parameters, len(layers_dims) - 1)
    # The course's lean loop records each cost as it is; with any option the cost of an epoch is
    # averaged over its mini-batches (the same number up to the last bit: both are kept exactly).
    lean = lambd == 0 and keep_prob == 1 and optimizer == "gd" and mini_batch_size is None and not batchnorm \
        and cost_every == 100
    options = training.TrainingOptions(
        num_epochs=num_iterations, optimizer=optim.make(optimizer, learning_rate, beta, beta1, beta2, epsilon),
        mini_batch_size=mini_batch_size, lambd=lambd, record_every=cost_every, print_cost=bool(print_cost),
        epoch_average=not lean)
    rng = None if seed is None else np.random.default_rng(seed)       # dropout masks
    return _fit(X, Y, parameters, output, options, keep_prob, rng, bn_momentum)


def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False, *, seed=1):
    """Train LINEAR → RELU → LINEAR → SIGMOID, initialized by :func:`initialize_parameters` (× 0.01).

    ``layers_dims = (n_x, n_h, n_y)``; otherwise as :func:`L_layer_model` (the course calls
    ``np.random.seed(1)`` first; ``seed=None`` skips it). Returns ``(parameters, costs)``.
    """
    X, Y, layers_dims, learning_rate, num_iterations = _check_training(X, Y, layers_dims, learning_rate, num_iterations, "sigmoid")
    if len(layers_dims) != 3:
        raise ValueError(f"layers_dims must be (n_x, n_h, n_y) for a 2-layer model, got {layers_dims}")
    if seed is not None:
        np.random.seed(seed)
    parameters = initialize_parameters(*layers_dims, dtype=X.dtype)
    options = training.TrainingOptions(num_epochs=num_iterations, optimizer=optim.GradientDescent(learning_rate),
                                       print_cost=bool(print_cost), epoch_average=False)
    return _fit(X, Y, parameters, "sigmoid", options)


def predict(X, y, parameters):
    """Predict 0/1 labels with a trained sigmoid-output network and print the accuracy (as the course).

    Parameters
    ----------
    X : (n_x, m) inputs; y : (1, m) (or (m,)) true labels in {0, 1}; parameters : W1, b1, ..., WL, bL
    (or a batch-norm network's dict: its running averages are used, see :func:`L_model_forward`)

    Returns
    -------
    p : (1, m) array of 0 and 1 (1 where ŷ > 0.5), in X's dtype. Prints "Accuracy: " and the
    fraction of correct predictions.
    """
    X = as_float_array("X", X, ndim=2)
    L, parameters = _check_parameters(parameters, X.shape[0], allow_batchnorm=True)
    if parameters["W" + str(L)].shape[0] != 1:
        raise ValueError(f"predict needs a single sigmoid output (W{L} with 1 row); use predict_classes for a softmax network")
    m = X.shape[1]
    y = as_labels("y", y, m)
    probas, _ = _forward_inference(X, parameters, L, "sigmoid")
    p = (probas > 0.5).astype(X.dtype)
    print("Accuracy: " + str(np.sum((p == y) / m)))
    return p


def predict_classes(X, parameters):
    """Class predictions of a softmax-output network: the row index of the largest output per column.

    Returns a (1, m) integer array (argmax of Z^[L], which is the argmax of softmax(Z^[L])).
    ``parameters`` may be a batch-norm network's dict (its running averages are used).
    """
    X = as_float_array("X", X, ndim=2)
    L, parameters = _check_parameters(parameters, X.shape[0], allow_batchnorm=True)
    if parameters["W" + str(L)].shape[0] < 2:
        raise ValueError(f"predict_classes needs at least 2 output units (W{L} rows), got 1; use predict")
    _, caches = _forward_inference(X, parameters, L, "softmax")
    return np.argmax(caches[-1][1], axis=0).reshape(1, -1)
