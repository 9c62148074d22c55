"""Deep L-layer networks, with the course's names, signatures and caches.

Derived and checked in the chapters *Deep neural networks* (notation, forward and backward passes
with caches, gradient checking, why depth helps) and *Deep networks in practice* (training on
handwritten digits, initialization scale, the softmax output layer).

Shapes, for ``layer_dims = [n_x, n^[1], ..., n^[L]]`` and m examples: ``X = A^[0]`` (n_x, m), one
example per column; ``Y`` (1, m) of 0/1 labels (sigmoid output) or (n_classes, m) one-hot columns
(softmax output); ``W^[l]`` (n^[l], n^[l−1]), ``b^[l]`` (n^[l], 1), ``Z^[l]``, ``A^[l]`` (n^[l], m);
every gradient has the shape of its variable. The architecture is the course's:
[LINEAR → RELU] × (L − 1) → LINEAR → SIGMOID (or SOFTMAX). Caches are the course's:
``linear_forward`` returns ``(Z, (A_prev, W, b))``, ``linear_activation_forward`` ``(A, ((A_prev, W, b), Z))``.

Design: this module is the course's API on top of nnlib's one engine. The network's forward and
backward passes are those of the layers of :mod:`nnlib.layers` (built from the parameter dict by
:func:`nnlib.network.build_network`; ``L_model_forward`` reads the course's caches off them,
``L_model_backward`` puts the caches back into layers), and every training function
(:func:`L_layer_model` with each option, :func:`two_layer_model`) is one call of
:func:`nnlib.training.train` with the course's random draws, costs and printed lines. The course's
``dnn_utils`` (``sigmoid``, ``relu_backward``, ``one_hot``, ...) live in :mod:`nnlib.dnn_utils` and
are importable from here. Every public function validates its inputs once (O(shapes) beyond
cheap checks), then runs unvalidated kernels (:mod:`nnlib._kernels`). Data-sized arrays are checked
for NaN and inf through small results: X through the first row of Z^[1] (every x_j enters every
unit, 0 · inf is NaN, and no ReLU has yet mapped −inf to 0), caches through dW and db.

With ``L_layer_model(..., batchnorm=True)`` every hidden layer is LINEAR (no b) → BATCH NORM → RELU
(chapter *Optimization algorithms*); the returned dict then holds ``W1, ..., WL, bL`` and, for each
hidden layer l, ``gamma{l}, beta{l}, running_mean{l}, running_var{l}`` (n^[l], 1);
:func:`L_model_forward`, :func:`predict` and :func:`predict_classes` normalize with the running
averages (inference mode).
"""

import numpy as np

from nnlib import _kernels as K
from nnlib import activations, layers, optim, training
from nnlib._validate import (as_float_array, as_labels, check_choice, check_finite_through, check_int, check_interval,
                             check_layer_dims, check_one_hot, check_parameters, check_positive, check_shape)
from nnlib.dnn_utils import (cross_entropy, one_hot, relu, relu_backward, sigmoid, sigmoid_backward,  # noqa: F401
                             softmax_backward, softmax_columns)
from nnlib.losses import SigmoidCrossEntropy, SoftmaxCrossEntropy, binary_cross_entropy
from nnlib.network import (batchnorm_parameters, build_network, initialize_parameters,  # noqa: F401
                           initialize_parameters_deep, network_gradients, network_parameters)

_ACTIVATIONS = ("sigmoid", "relu", "softmax")
_OUTPUTS = ("sigmoid", "softmax")


# ----------------------------------------------------------------------------------------------
# Forward propagation.

def _check_linear(A, W, b, A_name="A", finite=True):
    A = as_float_array(A_name, A, ndim=2, finite=finite)
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
    check_choice("activation", activation, _ACTIVATIONS)
    A_prev, W, b = _check_linear(A_prev, W, b, "A_prev")
    return _linear_activation_forward(A_prev, W, b, activation)


def _activate(Z, activation):
    if activation == "relu":
        return K.relu(Z)
    if activation == "sigmoid":
        return activations.sigmoid(Z)
    return K.softmax(Z, axis=0)


def _linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = _linear_forward(A_prev, W, b)
    return _activate(Z, activation), (linear_cache, Z)


def L_model_forward(X, parameters, output="sigmoid"):
    """Forward pass of [LINEAR → RELU] × (L − 1) → LINEAR → SIGMOID (``output="softmax"``: SOFTMAX).

    Parameters
    ----------
    X : (n_x, m) inputs, one example per column
    parameters : dict ``W1, b1, ..., WL, bL`` (as from :func:`~nnlib.network.initialize_parameters_deep`), or the
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
    check_choice("activation", output, _OUTPUTS)
    X = as_float_array("X", X, ndim=2, finite=False)   # checked through Z^[1] (in _forward)
    L, parameters = check_parameters(parameters, X.shape[0], allow_batchnorm=True)
    return _forward(X, parameters, L, output)


def _forward(X, parameters, L, output):
    """The forward pass: the network of :func:`build_network` in inference mode (a batch-norm dict's
    running averages), then the output activation; the course's caches are read off its layers. X is
    checked through the first row of Z^[1] (see the module docstring), O(m) instead of a pass over X."""
    network = build_network(parameters)
    with np.errstate(invalid="ignore"):          # inf − inf from an inf of X: named below, not warned about
        ZL = network.forward(X)
    dense = [layer for layer in network.layers if isinstance(layer, layers.Dense)]
    relu = [layer for layer in network.layers if isinstance(layer, layers.ReLU)] + [None]
    caches = [((d.A_prev, d.params["W"], d.params.get("b")), ZL if r is None else r.Z) for d, r in zip(dense, relu)]
    check_finite_through([caches[0][1][:1]], [("X", X)])
    AL = K.sigmoid(ZL) if output == "sigmoid" else K.softmax(ZL, axis=0)
    return AL, caches


def compute_cost(AL, Y):
    """The cross-entropy cost J = −(1/m) Σ [y log a + (1 − y) log(1 − a)] of a sigmoid output.

    Parameters
    ----------
    AL : (1, m) probabilities ŷ; Y : (1, m) labels in {0, 1}

    Returns the cost as a numpy scalar (shape ()), as the course's ``np.squeeze(cost)``. AL is
    clipped to [ε, 1 − ε] (:func:`nnlib.losses.binary_cross_entropy`), so the cost stays finite
    when AL is exactly 0 or 1. For a softmax output use :func:`~nnlib.dnn_utils.cross_entropy`.
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


def _check_linear_backward(dZ, cache, name="cache", dZ_name="dZ", finite=True):
    if not isinstance(cache, tuple) or len(cache) != 3:
        raise ValueError(f"{name} must be the tuple (A_prev, W, b) returned by linear_forward, got {type(cache).__name__}")
    A_prev, W, b = _check_linear(*cache, A_name="A_prev", finite=finite)
    dZ = as_float_array(dZ_name, dZ, ndim=2, finite=finite)
    check_shape(dZ_name, dZ, (W.shape[0], A_prev.shape[1]))
    return dZ, (A_prev, W, b)


def _linear_backward(dZ, cache):
    A_prev, W, b = cache
    return K.linear_backward(dZ, A_prev, W)


def _check_layer_cache(cache, name="cache", finite=True):
    """Validate a ``((A_prev, W, b), Z)`` cache; return it with validated arrays."""
    if not isinstance(cache, tuple) or len(cache) != 2:
        raise ValueError(f"{name} must be the tuple ((A_prev, W, b), Z) returned by linear_activation_forward, "
                         f"got {type(cache).__name__}")
    linear_cache, Z = cache
    Z = as_float_array(f"Z in {name}", Z, ndim=2, finite=finite)
    Z, linear_cache = _check_linear_backward(Z, linear_cache, name + "[0]", f"Z in {name}", finite)
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
    check_choice("activation", activation, _ACTIVATIONS)
    cache = _check_layer_cache(cache)
    dA = as_float_array("dA", dA, ndim=2)
    check_shape("dA", dA, cache[1].shape)
    return _linear_activation_backward(dA, cache, activation)


def _linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    if activation == "relu":
        dZ = K.relu_backward(dA, Z)
    elif activation == "sigmoid":
        dZ = dA * activations.sigmoid_derivative(Z)
    else:
        dZ = K.softmax_backward(dA, Z)
    return _linear_backward(dZ, linear_cache)


def _check_caches(caches, finite=True):
    """Validate the caches' structure and shapes; ``finite=False`` does not read the cached data."""
    if not isinstance(caches, (list, tuple)) or not caches:
        raise ValueError(f"caches must be the non-empty list returned by L_model_forward, got {type(caches).__name__}")
    checked, n_prev = [], None
    for l, cache in enumerate(caches, start=1):
        cache = _check_layer_cache(cache, f"caches[{l - 1}]", finite)
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
    check_choice("activation", output, _OUTPUTS)
    cached = caches
    caches = _check_caches(caches, finite=False)   # O(shapes); a NaN or inf in them reaches dW or db, checked below
    AL = as_float_array("AL", AL, ndim=2)
    ZL = caches[-1][1]
    check_shape("AL", AL, ZL.shape)
    if output == "sigmoid":
        check_shape("AL", AL, (1, None))
        Y = as_labels("Y", Y, AL.shape[1], dtype=AL.dtype)
        grads = _sigmoid_output_backward(AL, Y, caches)
    else:
        grads = _backward(AL - check_one_hot("Y", Y, AL.shape, dtype=AL.dtype), caches)
    if not all(np.all(np.isfinite(g)) for k, g in grads.items() if k[:2] in ("dW", "db")):
        _check_caches(cached)                      # names the cached array that holds NaN or inf
    return grads


def _sigmoid_output_backward(AL, Y, caches):
    """:func:`L_model_backward` for a sigmoid output on validated inputs: the course's start from
    dA^[L] (AL in [0, 1] moved into [ε, 1 − ε]) and the sigmoid's backward pass, then the layers."""
    dZL = K.bce_probability_gradient(AL, Y) * activations.sigmoid_derivative(caches[-1][1])
    return _backward(dZL, caches)


def _backward(dZL, caches):
    """The backward pass from dZ^[L]: the course's caches put back into the layers of the network
    (Dense with its A_prev, ReLU with its Z), whose backward passes give every dA, dW and db."""
    grads, L, dA = {}, len(caches), dZL
    for l in range(L, 0, -1):
        (A_prev, W, b), Z = caches[l - 1]
        if l < L:
            relu = layers.ReLU()
            relu.Z = Z
            dA = relu.backward(dA)
        dense = layers.Dense(W, b, course_scaling=True)
        dense.A_prev = A_prev
        grads["dA" + str(l - 1)] = dA = dense.backward(dA)
        grads["dW" + str(l)], grads["db" + str(l)] = dense.grads["W"], dense.grads["b"]
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
    L, params = check_parameters(params)
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
        parameters["W" + str(l)] = K.gd_update(parameters["W" + str(l)], grads["dW" + str(l)], learning_rate)
        parameters["b" + str(l)] = K.gd_update(parameters["b" + str(l)], grads["db" + str(l)], learning_rate)
    return parameters


# ----------------------------------------------------------------------------------------------
# Training and prediction.

def _check_training(X, Y, layers_dims, learning_rate, num_iterations, output):
    check_choice("activation", output, _OUTPUTS)
    X = as_float_array("X", X, ndim=2)
    layers_dims = check_layer_dims(layers_dims, "layers_dims")
    if layers_dims[0] != X.shape[0]:
        raise ValueError(f"layers_dims[0] must be n_x = X.shape[0] = {X.shape[0]}, got {layers_dims[0]}")
    m = X.shape[1]
    if output == "sigmoid":
        if layers_dims[-1] != 1:
            raise ValueError(f"layers_dims[-1] must be 1 for a sigmoid output, got {layers_dims[-1]}")
        Y = as_labels("Y", Y, m, dtype=X.dtype)
    else:
        Y = check_one_hot("Y", Y, (layers_dims[-1], m), dtype=X.dtype)
    learning_rate = check_positive("learning_rate", learning_rate)
    num_iterations = check_int("num_iterations", num_iterations, minimum=0)
    return X, Y, layers_dims, learning_rate, num_iterations


def _check_options(lambd, keep_prob, optimizer, beta, beta1, beta2, epsilon, mini_batch_size):
    """Validate the options of :func:`L_layer_model`; return them as Python numbers."""
    lambd = check_interval("lambd", lambd, 0)
    keep_prob = check_interval("keep_prob", keep_prob, 0, 1, low_open=True)
    optimizer = check_choice("optimizer", optimizer, tuple(optim.OPTIMIZERS))
    beta, beta1, beta2 = (check_interval(k, v, 0, 1, high_open=True) for k, v in (("beta", beta), ("beta1", beta1),
                                                                                   ("beta2", beta2)))
    epsilon = check_interval("epsilon", epsilon, 0, low_open=True)
    if mini_batch_size is not None:
        mini_batch_size = check_int("mini_batch_size (None for full batch)", mini_batch_size)
    return lambd, keep_prob, optimizer, beta, beta1, beta2, epsilon, mini_batch_size


def _check_batchnorm(batchnorm, bn_momentum, record_every):
    """Validate L_layer_model's ``batchnorm`` (a bool), ``bn_momentum`` in [0, 1) and ``record_every`` ≥ 1."""
    if not isinstance(batchnorm, (bool, np.bool_)):
        raise ValueError(f"batchnorm must be True or False, got {batchnorm!r}")
    bn_momentum = check_interval("bn_momentum", bn_momentum, 0, 1, high_open=True)
    return bool(batchnorm), bn_momentum, check_int("record_every", record_every)


def _fit(X, Y, parameters, output, options, keep_prob=1.0, rng=None, bn_momentum=0.9):
    """Train the course network holding ``parameters`` with :func:`nnlib.training.train`."""
    network = build_network(parameters, keep_prob, rng, bn_momentum)
    loss = SigmoidCrossEntropy(per_example=True) if output == "sigmoid" else SoftmaxCrossEntropy(per_example=True)
    costs = training.train(network, loss, X, Y, options)
    return network_parameters(network), costs


def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False,
                  *, scale="xavier", output="sigmoid", seed=1, lambd=0.0, keep_prob=1.0, optimizer="gd",
                  beta=0.9, beta1=0.9, beta2=0.999, epsilon=1e-8, mini_batch_size=None,
                  batchnorm=False, bn_momentum=0.9, record_every=100):
    """Train [LINEAR → RELU] × (L − 1) → LINEAR → SIGMOID (or SOFTMAX) with the course's options.

    X : (n_x, m); Y : (1, m) 0/1 labels (``output="softmax"``: (n_classes, m) one-hot); ``layers_dims``
    ``[n_x, n^[1], ..., n^[L]]``; α and the number of iterations (epochs). ``np.random.seed(seed)``
    first (None: leave numpy's state alone), then :func:`~nnlib.network.initialize_parameters_deep` with ``scale``
    (default ``"xavier"``, the course's application). Options (chapters *Regularization* and
    *Optimization algorithms*): ``lambd`` λ ≥ 0 of L2 (cost + (λ/2m) Σ‖W‖², dW + (λ/m) W);
    ``keep_prob`` in (0, 1] of inverted dropout after every hidden layer while training (masks from
    ``np.random.default_rng(seed)``); ``optimizer`` "gd", "momentum" (``beta``), "rmsprop" (``beta2``,
    ``epsilon``) or "adam" (``beta1``, ``beta2``, ``epsilon``); ``mini_batch_size`` None (full batch)
    or the size of the course's mini-batches, reshuffled every epoch i with seed 10 + i + 1 (numpy's
    global state); ``batchnorm`` True: hidden layers LINEAR without b → BATCH NORM (learned γ from 1,
    β from 0, ε = 1e-5) → RELU, running averages with ``bn_momentum`` for inference; ``record_every``:
    record (and with ``print_cost`` print "Cost after iteration %i: %f") every so many iterations.

    The network is :func:`nnlib.network.build_network`'s and the loop :func:`nnlib.training.train`.
    With every option at its default this is the course's batch gradient descent, each recorded cost
    as computed; otherwise the recorded cost is the one each step minimised (λ term, dropout, batch
    statistics), averaged over the epoch's examples.

    Returns ``(parameters, costs)``: ``W1, b1, ..., WL, bL`` in X's dtype (batch norm: ``W1, ..., WL,
    bL`` and ``gamma{l}, beta{l}, running_mean{l}, running_var{l}`` of each hidden layer, used by
    :func:`L_model_forward`, :func:`predict` and :func:`predict_classes`), and the recorded costs.
    """
    X, Y, layers_dims, learning_rate, num_iterations = _check_training(X, Y, layers_dims, learning_rate, num_iterations, output)
    lambd, keep_prob, optimizer, beta, beta1, beta2, epsilon, mini_batch_size = _check_options(
        lambd, keep_prob, optimizer, beta, beta1, beta2, epsilon, mini_batch_size)
    batchnorm, bn_momentum, record_every = _check_batchnorm(batchnorm, bn_momentum, record_every)
    if seed is not None:
        np.random.seed(seed)
    parameters = initialize_parameters_deep(layers_dims, scale=scale, dtype=X.dtype)
    if batchnorm:
        parameters = batchnorm_parameters(parameters)
    # The course's lean loop records each cost as it is; with any option the cost of an epoch is
    # averaged over its mini-batches (the same number up to the last bit: both are kept exactly).
    lean = lambd == 0 and keep_prob == 1 and optimizer == "gd" and mini_batch_size is None and not batchnorm \
        and record_every == 100
    options = training.TrainingOptions(
        num_epochs=num_iterations, optimizer=optim.make(optimizer, learning_rate, beta, beta1, beta2, epsilon),
        mini_batch_size=mini_batch_size, lambd=lambd, record_every=record_every, print_cost=bool(print_cost),
        epoch_average=not lean)
    rng = None if seed is None else np.random.default_rng(seed)       # dropout masks
    return _fit(X, Y, parameters, output, options, keep_prob, rng, bn_momentum)


def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False, *, seed=1):
    """Train LINEAR → RELU → LINEAR → SIGMOID, initialized by :func:`~nnlib.network.initialize_parameters` (× 0.01).

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
    X = as_float_array("X", X, ndim=2, finite=False)   # checked through Z^[1] (in _forward)
    L, parameters = check_parameters(parameters, X.shape[0], allow_batchnorm=True)
    if parameters["W" + str(L)].shape[0] != 1:
        raise ValueError(f"predict needs a single sigmoid output (W{L} with 1 row); use predict_classes for a softmax network")
    m = X.shape[1]
    y = as_labels("y", y, m)
    probas, _ = _forward(X, parameters, L, "sigmoid")
    p = (probas > K.THRESHOLD).astype(X.dtype)
    print("Accuracy: " + str(np.sum((p == y) / m)))
    return p


def predict_classes(X, parameters):
    """Class predictions of a softmax-output network: the row index of the largest output per column.

    Returns a (1, m) integer array (argmax of Z^[L], which is the argmax of softmax(Z^[L])).
    ``parameters`` may be a batch-norm network's dict (its running averages are used).
    """
    X = as_float_array("X", X, ndim=2, finite=False)   # checked through Z^[1] (in _forward)
    L, parameters = check_parameters(parameters, X.shape[0], allow_batchnorm=True)
    if parameters["W" + str(L)].shape[0] < 2:
        raise ValueError(f"predict_classes needs at least 2 output units (W{L} rows), got 1; use predict")
    _, caches = _forward(X, parameters, L, "softmax")
    return np.argmax(caches[-1][1], axis=0).reshape(1, -1)
