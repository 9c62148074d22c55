"""Optimization algorithms with the course's names: mini-batches, momentum, RMSprop, Adam, decay.

Derived and checked in the chapter *Optimization algorithms* (Course 2 of the Deep Learning
Specialization, week 2).

Every update works on any parameter dict: for each key ``k`` of ``parameters`` (``"W1"``,
``"b1"``, ..., or ``"gamma1"`` for batch norm, or a single ``"W1"`` for a toy problem) the
gradient is ``grads["d" + k]`` and the optimizer state is ``v["d" + k]`` (and ``s["d" + k]``), as in
the course. Parameters and state are never modified in place: new dicts are returned.

Each public update validates its inputs and calls a private kernel (``_gd_step``, ``_momentum_step``,
``_rmsprop_step``, ``_adam_step``); the training loops (:func:`model` here and
:func:`nnlib.deep.L_layer_model`) validate once and call the kernels through :func:`_step`.
"""

import re

import numpy as np

from nnlib import _kernels as K
from nnlib import deep, optim, training
from nnlib.losses import SigmoidCrossEntropy
from nnlib._validate import (as_float_array, as_labels, check_int, check_interval, check_layer_dims, check_positive,
                             check_shape)


# Names of learnable parameters (W1, b1, gamma1, beta1, ...): a gradient ``"d" + name`` for such a
# name needs the parameter itself. Other entries of a grads dict (the course's dZ3, dA2, ...) are ignored.
_PARAMETER_NAME = re.compile(r"(W|b|gamma|beta)[0-9]+")


def _check_params_grads(parameters, grads, name="grads"):
    if not isinstance(parameters, dict) or not parameters:
        raise ValueError(f"parameters must be a non-empty dict, got {type(parameters).__name__}")
    if not isinstance(grads, dict):
        raise ValueError(f"{name} must be a dict, got {type(grads).__name__}")
    orphans = sorted(d for d in grads if isinstance(d, str) and d[:1] == "d"
                     and _PARAMETER_NAME.fullmatch(d[1:]) and d[1:] not in parameters)
    if orphans:
        raise ValueError(f"parameters has no entry {orphans[0][1:]!r} for {name}[{orphans[0]!r}] "
                         f"(parameters has {sorted(parameters)}; a missing parameter?)")
    P, G = {}, {}
    for k, v in parameters.items():
        P[k] = as_float_array(k, v)
        if "d" + k not in grads:
            raise ValueError(f"{name} has no entry {'d' + k!r}; it has {sorted(grads)}")
        G["d" + k] = check_shape("d" + k, as_float_array("d" + k, grads["d" + k]), P[k].shape)
    return P, G


def _beta(name, value):
    return check_interval(name, value, 0, 1, high_open=True)


def update_parameters_with_gd(parameters, grads, learning_rate):
    """One step of (mini-batch) gradient descent: θ ← θ − α dθ for every parameter θ."""
    P, G = _check_params_grads(parameters, grads)
    learning_rate = check_positive("learning_rate", learning_rate)
    return _gd_step(P, G, learning_rate)


def _gd_step(P, G, learning_rate):
    return {k: K.gd_update(P[k], G["d" + k], learning_rate) for k in P}


def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
    """Shuffle the columns of (X, Y) and cut them into mini-batches, as the course does.

    ``np.random.seed(seed)``; ``permutation = list(np.random.permutation(m))``; then
    ⌊m / mini_batch_size⌋ full batches and, if m is not a multiple, one last smaller batch of
    m mod mini_batch_size examples.

    Returns a list of ``(mini_batch_X, mini_batch_Y)`` with shapes (n_x, size) and (1, size).
    """
    X = as_float_array("X", X, ndim=2)
    m = X.shape[1]
    as_float_array("Y", Y)                      # numeric, finite, non-empty; Y keeps its dtype (bool in the course)
    Y = np.asarray(Y)
    if Y.ndim == 1:
        Y = Y.reshape(1, -1)
    check_shape("Y", Y, (None, m))
    mini_batch_size = check_int("mini_batch_size", mini_batch_size)
    return _random_mini_batches(X, Y, mini_batch_size, seed)


_random_mini_batches = K.random_mini_batches


def _zeros_like_params(parameters):
    if not isinstance(parameters, dict) or not parameters:
        raise ValueError(f"parameters must be a non-empty dict, got {type(parameters).__name__}")
    return {"d" + k: np.zeros_like(as_float_array(k, v)) for k, v in parameters.items()}


def initialize_velocity(parameters):
    """Momentum's state: ``v["dW1"], v["db1"], ...`` zeros of the parameters' shapes."""
    return _zeros_like_params(parameters)


def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
    """Momentum: v ← β v + (1 − β) dθ, then θ ← θ − α v.

    Returns ``(parameters, v)`` (new dicts).
    """
    P, G = _check_params_grads(parameters, grads)
    _, V = _check_params_grads(parameters, v, "v")
    beta = _beta("beta", beta)
    learning_rate = check_positive("learning_rate", learning_rate)
    return _momentum_step(P, G, V, beta, learning_rate)


def _momentum_step(P, G, V, beta, learning_rate):
    P_new, v_new = {}, {}
    for k in P:
        P_new[k], v_new["d" + k] = K.momentum_update(P[k], G["d" + k], V["d" + k], beta, learning_rate)
    return P_new, v_new


def initialize_rmsprop(parameters):
    """RMSprop's state: ``s["dW1"], s["db1"], ...`` zeros of the parameters' shapes."""
    return _zeros_like_params(parameters)


def update_parameters_with_rmsprop(parameters, grads, s, beta2=0.999, learning_rate=0.01, epsilon=1e-8):
    """RMSprop: s ← β₂ s + (1 − β₂) dθ², then θ ← θ − α dθ / (√s + ε). Returns ``(parameters, s)``."""
    P, G = _check_params_grads(parameters, grads)
    _, S = _check_params_grads(parameters, s, "s")
    beta2 = _beta("beta2", beta2)
    learning_rate = check_positive("learning_rate", learning_rate)
    epsilon = check_positive("epsilon", epsilon)
    return _rmsprop_step(P, G, S, beta2, learning_rate, epsilon)


def _rmsprop_step(P, G, S, beta2, learning_rate, epsilon):
    P_new, s_new = {}, {}
    for k in P:
        P_new[k], s_new["d" + k] = K.rmsprop_update(P[k], G["d" + k], S["d" + k], beta2, learning_rate, epsilon)
    return P_new, s_new


def initialize_adam(parameters):
    """Adam's state ``(v, s)``: two dicts of zeros, keys ``"dW1", "db1", ...``."""
    return _zeros_like_params(parameters), _zeros_like_params(parameters)


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """Adam (Kingma and Ba): momentum and RMSprop with bias correction, step number t ≥ 1.

    v ← β₁ v + (1 − β₁) dθ, ṽ = v / (1 − β₁ᵗ); s ← β₂ s + (1 − β₂) dθ², s̃ = s / (1 − β₂ᵗ);
    θ ← θ − α ṽ / (√s̃ + ε).

    Returns ``(parameters, v, s, v_corrected, s_corrected)``, as the course.
    """
    P, G = _check_params_grads(parameters, grads)
    _, V = _check_params_grads(parameters, v, "v")
    _, S = _check_params_grads(parameters, s, "s")
    t = check_int("t", t)          # the first step is t = 1
    beta1, beta2 = _beta("beta1", beta1), _beta("beta2", beta2)
    learning_rate = check_positive("learning_rate", learning_rate)
    epsilon = check_positive("epsilon", epsilon)
    return _adam_step(P, G, V, S, t, learning_rate, beta1, beta2, epsilon)


def _adam_step(P, G, V, S, t, learning_rate, beta1, beta2, epsilon):
    v_new, s_new, v_corrected, s_corrected, P_new = {}, {}, {}, {}, {}
    for k in P:
        d = "d" + k
        P_new[k], v_new[d], s_new[d], v_corrected[d], s_corrected[d] = K.adam_update(
            P[k], G[d], V[d], S[d], t, learning_rate, beta1, beta2, epsilon)
    return P_new, v_new, s_new, v_corrected, s_corrected


def _step(optimizer, P, G, v, s, t, learning_rate, beta, beta1, beta2, epsilon):
    """One update of ``optimizer`` ("gd", "momentum", "rmsprop", "adam") on validated dicts.

    ``v`` and ``s`` are the state dicts (zeros at first; the ones an optimizer does not use pass
    through), t ≥ 1 counts the steps. Returns ``(parameters, v, s)``.
    """
    if optimizer == "gd":
        return _gd_step(P, G, learning_rate), v, s
    if optimizer == "momentum":
        P, v = _momentum_step(P, G, v, beta, learning_rate)
    elif optimizer == "rmsprop":
        P, s = _rmsprop_step(P, G, s, beta2, learning_rate, epsilon)
    else:
        P, v, s, _, _ = _adam_step(P, G, v, s, t, learning_rate, beta1, beta2, epsilon)
    return P, v, s


def _decay_rate(decay_rate):
    return check_interval("decay_rate", decay_rate, 0)


def update_lr(learning_rate0, epoch_num, decay_rate):
    """Learning-rate decay α = α₀ / (1 + decay_rate · epoch_num)."""
    learning_rate0 = check_positive("learning_rate0", learning_rate0)
    epoch_num = check_int("epoch_num", epoch_num, minimum=0)
    decay_rate = _decay_rate(decay_rate)
    return learning_rate0 / (1 + decay_rate * epoch_num)


def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    """Decay in steps: α = α₀ / (1 + decay_rate · ⌊epoch_num / time_interval⌋)."""
    learning_rate0 = check_positive("learning_rate0", learning_rate0)
    epoch_num = check_int("epoch_num", epoch_num, minimum=0)
    time_interval = check_int("time_interval", time_interval)
    decay_rate = _decay_rate(decay_rate)
    return learning_rate0 / (1 + decay_rate * np.floor(epoch_num / time_interval))


def model(X, Y, layers_dims, optimizer="gd", learning_rate=0.0007, mini_batch_size=64, beta=0.9, beta1=0.9, beta2=0.999,
          epsilon=1e-8, num_epochs=5000, print_cost=False, decay=None, decay_rate=1.0, seed=3):
    """Train [LINEAR → RELU] × (L − 1) → LINEAR → SIGMOID with mini-batches and an optimizer.

    As the course's optimization ``model``: He initialization after ``np.random.seed(seed)``
    (the course: 3), mini-batches reshuffled every epoch with ``random_mini_batches(X, Y,
    mini_batch_size, 10 + epoch + 1)``, ``optimizer`` in "gd", "momentum", "rmsprop", "adam"; Adam's t
    counts mini-batch steps. ``decay`` is None or a function ``decay(learning_rate0, epoch_num,
    decay_rate)`` such as :func:`update_lr` or :func:`schedule_lr_decay`, called after every epoch
    with epoch_num = 1, 2, ...

    Every argument is checked once, up front: ``layers_dims[0]`` must be X.shape[0] and
    ``layers_dims[-1]`` 1; β, β₁, β₂ in [0, 1); ε > 0; ``mini_batch_size`` a positive integer;
    ``decay_rate`` a number ≥ 0. The loop then runs on the unvalidated kernels.

    Returns ``(parameters, costs)``: the mean training cost of each epoch (over its mini-batches);
    prints "Cost after epoch %i: %f" every 1000 epochs when ``print_cost``.
    """
    X = as_float_array("X", X, ndim=2)
    m = X.shape[1]
    Y = as_labels("Y", Y, m)
    layers_dims = check_layer_dims(layers_dims, "layers_dims")
    if layers_dims[0] != X.shape[0]:
        raise ValueError(f"layers_dims[0] = {layers_dims[0]} must equal n_x = X.shape[0] = {X.shape[0]}")
    if layers_dims[-1] != 1:
        raise ValueError(f"layers_dims[-1] must be 1 (one sigmoid output unit), got {layers_dims[-1]}")
    mini_batch_size = check_int("mini_batch_size", mini_batch_size)
    learning_rate0 = check_positive("learning_rate", learning_rate)
    optimizer_object = optim.make(optimizer, learning_rate0, beta, beta1, beta2, epsilon)     # checks all of them
    num_epochs = check_int("num_epochs", num_epochs, minimum=0)
    if decay is not None and not callable(decay):
        raise ValueError(f"decay must be None or a function decay(learning_rate0, epoch_num, decay_rate) such as "
                         f"update_lr, got {decay!r}")
    decay_rate = _decay_rate(decay_rate)
    np.random.seed(seed)
    parameters = deep.initialize_parameters_deep(layers_dims, scale="he")
    network = deep.build_network(parameters)
    options = training.TrainingOptions(num_epochs=num_epochs, optimizer=optimizer_object,
                                       mini_batch_size=mini_batch_size, record_every=1, print_cost=bool(print_cost),
                                       print_every=1000, label="epoch", decay=decay, decay_rate=decay_rate)
    costs = training.train(network, SigmoidCrossEntropy(per_example=True, course_chain=True), X, Y, options)
    return deep.network_parameters(network), [float(c) for c in costs]
