"""Batch normalization (Ioffe and Szegedy 2015) of one layer's pre-activations Z.

Derived and gradient-checked in the chapter *Optimization algorithms* (Course 2 of the Deep
Learning Specialization, week 3), where :func:`nnlib.deep.L_layer_model` trains whole networks
with it (``batchnorm=True``).

For Z (n, m), one example per column, and each unit (row) i:
μ_i = (1/m) Σ_j Z_ij, σ²_i = (1/m) Σ_j (Z_ij − μ_i)², Ẑ = (Z − μ) / √(σ² + ε),
Z̃ = γ ⊙ Ẑ + β with γ, β (n, 1) learned. At test time μ and σ² are replaced by running averages.

Each public function validates its inputs and calls a private kernel (``_batchnorm_forward``, ...)
that the training loop of :mod:`nnlib.deep` calls directly at every step.
"""

import numpy as np

from nnlib._kernels import (BN_EPSILON, batchnorm_backward as _batchnorm_backward,
                            batchnorm_forward as _batchnorm_forward, batchnorm_inference as _batchnorm_inference,
                            update_running_stats as _update_running_stats)
from nnlib._validate import as_float_array, check_interval, check_positive, check_shape


def _check(Z, gamma, beta):
    Z = as_float_array("Z", Z, ndim=2)
    gamma = check_shape("gamma", as_float_array("gamma", gamma, ndim=2), (Z.shape[0], 1))
    beta = check_shape("beta", as_float_array("beta", beta, ndim=2), (Z.shape[0], 1))
    return Z, gamma, beta


def batchnorm_forward(Z, gamma, beta, epsilon=BN_EPSILON):
    """Normalize each row of Z with the batch's mean and variance, then scale by γ and shift by β.

    Parameters
    ----------
    Z : (n, m) pre-activations of a mini-batch; gamma, beta : (n, 1); epsilon : ε > 0

    Returns
    -------
    Z_tilde : (n, m) = γ ⊙ (Z − μ) / √(σ² + ε) + β
    cache : ``(Z_hat, gamma, mu, var, epsilon)`` for :func:`batchnorm_backward` (μ and σ² (n, 1)
        are also what :func:`update_running_stats` averages)
    """
    Z, gamma, beta = _check(Z, gamma, beta)
    epsilon = check_positive("epsilon", epsilon)
    return _batchnorm_forward(Z, gamma, beta, epsilon)


def batchnorm_backward(dZ_tilde, cache):
    """Gradients of batch norm: (dZ, dgamma, dbeta) from dZ̃ and the forward cache.

    dβ = Σ_j dZ̃_j, dγ = Σ_j dZ̃_j ⊙ Ẑ_j, and with dẐ = γ ⊙ dZ̃,
    dZ = (1 / (m √(σ² + ε))) (m dẐ − Σ_j dẐ_j − Ẑ ⊙ Σ_j dẐ_j ⊙ Ẑ_j).

    (dgamma and dbeta are sums over the batch, like dZ̃ itself: if dZ̃ already carries the cost's
    1/m, so do they.)
    """
    if not isinstance(cache, tuple) or len(cache) != 5:
        raise ValueError("cache must be the tuple (Z_hat, gamma, mu, var, epsilon) from batchnorm_forward")
    dZ_tilde = check_shape("dZ_tilde", as_float_array("dZ_tilde", dZ_tilde, ndim=2), np.shape(cache[0]))
    return _batchnorm_backward(dZ_tilde, cache)


def update_running_stats(running_mean, running_var, mu, var, momentum=0.9):
    """Exponentially weighted averages for inference: r ← momentum · r + (1 − momentum) · batch value.

    Returns the new ``(running_mean, running_var)``, each (n, 1).
    """
    momentum = check_interval("momentum", momentum, 0, 1, high_open=True)
    mu = as_float_array("mu", mu, ndim=2)
    var = check_shape("var", as_float_array("var", var, ndim=2), mu.shape)
    running_mean = check_shape("running_mean", as_float_array("running_mean", running_mean, ndim=2), mu.shape)
    running_var = check_shape("running_var", as_float_array("running_var", running_var, ndim=2), mu.shape)
    return _update_running_stats(running_mean, running_var, mu, var, momentum)


def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=BN_EPSILON):
    """Batch norm at test time: γ ⊙ (Z − running_mean) / √(running_var + ε) + β (no batch statistics).

    Each column of Z is normalized on its own, so an example's output does not depend on the
    other examples of the batch (a batch of one included).
    """
    Z, gamma, beta = _check(Z, gamma, beta)
    n = Z.shape[0]
    running_mean = check_shape("running_mean", as_float_array("running_mean", running_mean, ndim=2), (n, 1))
    running_var = check_shape("running_var", as_float_array("running_var", running_var, ndim=2), (n, 1))
    if running_var.min() < 0:
        raise ValueError(f"running_var must be ≥ 0 (a variance), got {running_var.min()!r}")
    epsilon = check_positive("epsilon", epsilon)
    return _batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon)
