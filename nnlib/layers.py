"""Layers and a sequential network: the course's functions organised the way frameworks organise them.

Introduced in the chapter *Layers: from functions to objects*. The course writes a network as
functions that pass caches around (``linear_activation_forward`` returns ``(A, cache)``, the
backward pass takes the list of caches back). Frameworks (Keras ``Layer.call``, PyTorch
``Module.forward``, micrograd's ``Value``) keep each piece's forward pass, backward pass, parameters
and gradients together in one object. A layer here is that object, and a thin one: its maths is
the kernel the course API runs (:mod:`nnlib._kernels`), so both give the same numbers.

The layer protocol (duck-typed; convolution, pooling and recurrent layers follow it too):

* ``params``: dict name → array of trainable parameters (``{}`` for a layer without any);
* ``grads``: the same keys, set by ``backward``;
* ``forward(A, training=False)`` returns the output and keeps what ``backward`` needs;
  ``training`` switches dropout masks and batch-norm batch statistics on;
* ``backward(dA)`` sets ``grads`` and returns dA_prev (the shape of the forward input).

Conventions: optimizers update ``params`` arrays **in place**; gradients are those of the **mean**
cost over the batch (the loss hands ``backward`` dA of the mean cost and layers never divide by m
again) — except in layers built with ``course_scaling=True``, which reproduce the course's order of
operations bit for bit (dA per example, dW = (1/m)(dZ Aᵀ)); :mod:`nnlib.deep` builds those. Dense
layers take (n, m) inputs, one example per column; a network declares the axis of its input's
examples (``batch_axis``) so :func:`nnlib.training.train` can cut mini-batches without knowing the
layers. Layers keep their input's dtype and check shapes (O(shapes), never a pass over the data).
What a layer keeps for its backward pass is a public attribute named as in the course's caches
(``Dense.A_prev``, ``ReLU.Z``, ``BatchNorm.cache``, ``Dropout.D``), so a chapter can look inside.
"""

import numpy as np

from nnlib import _kernels as K
from nnlib import activations
from nnlib._validate import as_float_array, check_int, check_interval, check_shape, check_upstream


def _check_input(layer, A, ndim, n=None):
    A = np.asarray(A)
    if A.ndim != ndim or (n is not None and A.shape[0] != n):
        rows = "n" if n is None else n
        raise ValueError(f"{type(layer).__name__}.forward expects a {ndim}-D input of shape ({rows}, m), got {A.shape}")
    return A


def _check_layer(name, layer):
    """Raise ValueError unless ``layer`` has the four attributes of the layer protocol."""
    missing = [a for a in ("params", "grads", "forward", "backward") if not hasattr(layer, a)]
    if missing:
        raise ValueError(f"{name} ({type(layer).__name__}) is not a layer: it has no {', '.join(missing)}")
    return layer


def _forward_first(layer, name):
    if not hasattr(layer, name):
        raise ValueError(f"{type(layer).__name__}.backward called before forward")
    return getattr(layer, name)


class Dense:
    """Z = W A + b: ``W`` (n^[l], n^[l−1]), ``b`` (n^[l], 1) or None (a layer followed by batch norm).

    ``forward(A)`` takes A (n^[l−1], m); ``backward(dZ)`` sets ``grads["W"]``, ``grads["b"]`` and
    returns dA_prev = Wᵀ dZ. ``course_scaling=True``: dZ is per example and dW = (1/m)(dZ Aᵀ), as
    the course's ``linear_backward`` (``"divide"``: (dZ Aᵀ)/m, ``regularization.model``'s rounding of
    the same); ``input_grad=False`` (a network's first layer while
    training) skips dA_prev and returns None. Chapter *Deep neural networks*.
    """

    def __init__(self, W, b=None, *, course_scaling=False, input_grad=True):
        W = as_float_array("W", W, ndim=2)
        self.params = {"W": W}
        if b is not None:
            self.params["b"] = check_shape("b", as_float_array("b", b, ndim=2), (W.shape[0], 1))
        self.grads = {}
        if course_scaling not in (True, False, "divide"):
            raise ValueError(f"course_scaling must be True, False or 'divide', got {course_scaling!r}")
        self.scale = "divide" if course_scaling == "divide" else None if course_scaling else 1.0
        self.input_grad = bool(input_grad)

    def forward(self, A, training=False):
        W = self.params["W"]
        self.A_prev = _check_input(self, A, 2, W.shape[1])
        return K.linear_forward(self.A_prev, W, self.params.get("b"))

    def backward(self, dZ):
        A = _forward_first(self, "A_prev")
        W = self.params["W"]
        dZ = check_upstream(self, dZ, (W.shape[0], A.shape[1]))
        dA_prev, dW, db = K.linear_backward(dZ, A, W, self.scale, self.input_grad)
        self.grads = {"W": dW, "b": db} if "b" in self.params else {"W": dW}
        return dA_prev


class _Activation:
    """An element-wise activation: no parameters; keeps Z for the backward pass."""

    params = {}

    def __init__(self):
        self.grads = {}

    def forward(self, Z, training=False):
        self.Z = np.asarray(Z)
        return self._activate(self.Z)

    def backward(self, dA):
        Z = _forward_first(self, "Z")
        return self._derivative(check_upstream(self, dA, Z.shape), Z)


class ReLU(_Activation):
    """A = max(0, Z); dZ = dA ⊙ (Z > 0). Any shape."""

    _activate = staticmethod(K.relu)
    _derivative = staticmethod(K.relu_backward)


class Sigmoid(_Activation):
    """A = σ(Z); dZ = dA ⊙ σ(Z)(1 − σ(Z)). Any shape."""

    _activate = staticmethod(activations.sigmoid)

    @staticmethod
    def _derivative(dA, Z):
        return dA * activations.sigmoid_derivative(Z)


class Softmax(_Activation):
    """Softmax over the classes of each column of Z (n_classes, m); dZ = A ⊙ (dA − Σ_k A_k dA_k)."""

    @staticmethod
    def _activate(Z):
        return K.softmax(Z, axis=0)

    _derivative = staticmethod(K.softmax_backward)


class Dropout:
    """Inverted dropout while training: A ⊙ D / keep_prob with D = (U < keep_prob); identity otherwise.

    ``rng`` is a ``np.random.Generator`` or None (numpy's global ``np.random.rand``, as the course).
    Chapter *Regularization and initialization*.
    """

    params = {}

    def __init__(self, keep_prob, rng=None):
        self.keep_prob = check_interval("keep_prob", keep_prob, 0, 1, low_open=True)
        self.rng = rng
        self.grads = {}
        self.D = None

    def forward(self, A, training=False):
        A = np.asarray(A)
        self.D = None
        if not training or self.keep_prob == 1:
            return A
        A, self.D = K.dropout_forward(A, self.keep_prob, self.rng)
        return A

    def backward(self, dA):
        if self.D is None:
            return dA
        return K.dropout_backward(check_upstream(self, dA, self.D.shape), self.D, self.keep_prob)


class BatchNorm:
    """Batch normalization of Z (n, m) per unit (row): γ ⊙ (Z − μ)/√(σ² + ε) + β.

    Training uses the batch's μ, σ² and updates the running averages
    r ← momentum · r + (1 − momentum) · (batch value) (from running_mean = 0, running_var = 1);
    inference uses the running averages. ``params`` are ``gamma``, ``beta`` (n, 1); ``course_scaling``
    as in :class:`Dense` (dγ, dβ multiplied by 1/m). Chapter *Optimization algorithms*.
    """

    def __init__(self, gamma, beta, *, epsilon=K.BN_EPSILON, momentum=0.9, course_scaling=False):
        gamma = as_float_array("gamma", gamma, ndim=2)
        self.params = {"gamma": gamma, "beta": check_shape("beta", as_float_array("beta", beta, ndim=2), gamma.shape)}
        self.grads = {}
        self.epsilon = check_interval("epsilon", epsilon, 0, low_open=True)
        self.momentum = check_interval("momentum", momentum, 0, 1, high_open=True)
        self.running_mean, self.running_var = np.zeros_like(gamma), np.ones_like(gamma)
        self.course_scaling = bool(course_scaling)

    def forward(self, Z, training=False):
        Z = _check_input(self, Z, 2, self.params["gamma"].shape[0])
        gamma, beta = self.params["gamma"], self.params["beta"]
        if not training:
            self.cache = None
            return K.batchnorm_inference(Z, gamma, beta, self.running_mean, self.running_var, self.epsilon)
        Z_tilde, self.cache = K.batchnorm_forward(Z, gamma, beta, self.epsilon)
        mu, var = self.cache[2], self.cache[3]
        self.running_mean, self.running_var = K.update_running_stats(self.running_mean, self.running_var, mu, var,
                                                                     self.momentum)
        return Z_tilde

    def backward(self, dZ_tilde):
        cache = _forward_first(self, "cache")
        if cache is None:
            raise ValueError("BatchNorm.backward needs the batch statistics of a forward pass with training=True")
        dZ, dgamma, dbeta = K.batchnorm_backward(check_upstream(self, dZ_tilde, cache[0].shape), cache)
        if self.course_scaling:
            m = dZ.shape[1]
            dgamma, dbeta = 1.0 / m * dgamma, 1.0 / m * dbeta
        self.grads = {"gamma": dgamma, "beta": dbeta}
        return dZ


class Sequential:
    """A network: ``layers`` applied in order; ``batch_axis`` is the axis of the input's examples
    (-1 for dense input (n_x, m); 0 for images (m, n_H, n_W, n_C); 1 for sequences (n_x, m, T_x)),
    ``label_axis`` that of the labels Y (-1 for (n_y, m); 1 for sequence labels (n_y, m, T_y)).

    ``forward(X, training=False)`` runs every layer's forward pass; ``backward(dA)`` runs every
    layer's backward pass in reverse and returns dX (None if the first layer skips it). The
    training loop (:func:`nnlib.training.train`) needs nothing else.
    """

    def __init__(self, layers, batch_axis=-1, label_axis=-1):
        layers = list(layers)
        if not layers:
            raise ValueError("Sequential needs at least one layer")
        for i, layer in enumerate(layers):
            _check_layer(f"layers[{i}]", layer)
        for name, axis in (("batch_axis", batch_axis), ("label_axis", label_axis)):
            if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
                raise ValueError(f"{name} must be an integer axis, got {axis!r}")
        self.layers, self.batch_axis, self.label_axis = layers, int(batch_axis), int(label_axis)

    def forward(self, X, training=False):
        A = X
        for layer in self.layers:
            A = layer.forward(A, training=training)
        return A

    def backward(self, dA):
        for layer in reversed(self.layers):
            dA = layer.backward(dA)
        return dA

    def num_examples(self, X):
        """The number of examples in X (its size along ``batch_axis``), checked to exist."""
        X = np.asarray(X)
        if not -X.ndim <= self.batch_axis < X.ndim:
            raise ValueError(f"batch_axis {self.batch_axis} does not exist in an input of shape {X.shape}")
        return check_int("number of examples", X.shape[self.batch_axis])


class Frozen:
    """A trained layer kept fixed while the layers around it learn (transfer learning).

    ``Frozen(layer)`` has ``params = {}`` and ``grads = {}``, so an optimizer (:mod:`nnlib.optim`) and
    the L2 term of :func:`nnlib.training.train` skip it, while ``forward(A, training)`` and
    ``backward(dA)`` are the wrapped layer's own: the gradient still flows through it to the layers
    below, and its arrays are never written. The wrapped layer is ``layer`` (its own ``params`` are
    the frozen values; its ``grads`` are whatever its last backward pass computed, and no optimizer
    reads them). ``training`` is passed on unchanged, so state that is not a trainable parameter
    (batch norm's running averages, dropout masks) behaves as in the wrapped layer.
    Fine-tuning *all* layers needs no wrapper: train a network built from (copies of) the trained
    layers. Chapter *Mismatched data, transfer learning and multi-task learning*.
    """

    def __init__(self, layer):
        self.layer = _check_layer("layer", layer)
        self.params, self.grads = {}, {}

    def forward(self, A, training=False):
        return self.layer.forward(A, training=training)

    def backward(self, dA):
        return self.layer.backward(dA)
