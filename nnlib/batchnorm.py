"""Batch normalization (Ioffe and Szegedy 2015) of one layer's pre-activations Z.

Derived and gradient-checked in the chapter *Optimization algorithms* (Course 2 of the Deep
Learning Specialization, week 3).

For Z (n, m), one example per column, and each unit (row) i:
μ_i = (1/m) Σ_j Z_ij, σ²_i = (1/m) Σ_j (Z_ij − μ_i)², Ẑ = (Z − μ) / √(σ² + ε),
Z̃ = γ ⊙ Ẑ + β with γ, β (n, 1) learned. At test time μ and σ² are replaced by running averages.
"""

import numpy as np

from nnlib._validate import as_float_array, as_labels, as_scalar, check_positive, check_shape


def _check(Z, gamma, beta):
    Z = as_float_array("Z", Z, ndim=2)
    gamma = check_shape("gamma", as_float_array("gamma", gamma, ndim=2), (Z.shape[0], 1))
    beta = check_shape("beta", as_float_array("beta", beta, ndim=2), (Z.shape[0], 1))
    return Z, gamma, beta


def batchnorm_forward(Z, gamma, beta, epsilon=1e-5):
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
    mu = np.mean(Z, axis=1, keepdims=True)
    var = np.mean(np.square(Z - mu), axis=1, keepdims=True)
    Z_hat = (Z - mu) / np.sqrt(var + epsilon)
    return gamma * Z_hat + beta, (Z_hat, gamma, mu, var, epsilon)


def batchnorm_backward(dZ_tilde, cache):
    """Gradients of batch norm: (dZ, dgamma, dbeta) from dZ̃ and the forward cache.

    dβ = Σ_j dZ̃_j, dγ = Σ_j dZ̃_j ⊙ Ẑ_j, and with dẐ = γ ⊙ dZ̃,
    dZ = (1 / (m √(σ² + ε))) (m dẐ − Σ_j dẐ_j − Ẑ ⊙ Σ_j dẐ_j ⊙ Ẑ_j).

    (dgamma and dbeta are sums over the batch, like dZ̃ itself: if dZ̃ already carries the cost's
    1/m, so do they.)
    """
    if not isinstance(cache, tuple) or len(cache) != 5:
        raise ValueError("cache must be the tuple (Z_hat, gamma, mu, var, epsilon) from batchnorm_forward")
    Z_hat, gamma, mu, var, epsilon = cache
    dZ_tilde = check_shape("dZ_tilde", as_float_array("dZ_tilde", dZ_tilde, ndim=2), Z_hat.shape)
    m = Z_hat.shape[1]
    dbeta = np.sum(dZ_tilde, axis=1, keepdims=True)
    dgamma = np.sum(dZ_tilde * Z_hat, axis=1, keepdims=True)
    dZ_hat = gamma * dZ_tilde
    dZ = (m * dZ_hat - np.sum(dZ_hat, axis=1, keepdims=True)
          - Z_hat * np.sum(dZ_hat * Z_hat, axis=1, keepdims=True)) / (m * np.sqrt(var + epsilon))
    return dZ, dgamma, dbeta


def update_running_stats(running_mean, running_var, mu, var, momentum=0.9):
    """Exponentially weighted averages for inference: r ← momentum · r + (1 − momentum) · batch value.

    Returns the new ``(running_mean, running_var)``, each (n, 1).
    """
    momentum = as_scalar("momentum", momentum)
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
    mu = as_float_array("mu", mu, ndim=2)
    var = check_shape("var", as_float_array("var", var, ndim=2), mu.shape)
    running_mean = check_shape("running_mean", as_float_array("running_mean", running_mean, ndim=2), mu.shape)
    running_var = check_shape("running_var", as_float_array("running_var", running_var, ndim=2), mu.shape)
    return momentum * running_mean + (1 - momentum) * mu, momentum * running_var + (1 - momentum) * var


def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon=1e-5):
    """Batch norm at test time: γ ⊙ (Z − running_mean) / √(running_var + ε) + β (no batch statistics)."""
    Z, gamma, beta = _check(Z, gamma, beta)
    n = Z.shape[0]
    running_mean = check_shape("running_mean", as_float_array("running_mean", running_mean, ndim=2), (n, 1))
    running_var = check_shape("running_var", as_float_array("running_var", running_var, ndim=2), (n, 1))
    epsilon = check_positive("epsilon", epsilon)
    return gamma * (Z - running_mean) / np.sqrt(running_var + epsilon) + beta


def _bn_forward_network(X, params, L, epsilon):
    """[LINEAR (no bias) → BN → RELU] × (L − 1) → LINEAR → (logits). Caches per layer."""
    A, caches = X, []
    for l in range(1, L):
        Z = params[f"W{l}"] @ A
        mu = Z.mean(axis=1, keepdims=True)
        var = ((Z - mu) ** 2).mean(axis=1, keepdims=True)
        Z_hat = (Z - mu) / np.sqrt(var + epsilon)
        Zt = params[f"gamma{l}"] * Z_hat + params[f"beta{l}"]
        caches.append((A, (Z_hat, params[f"gamma{l}"], mu, var, epsilon), Zt))
        A = np.maximum(Zt, 0)
    ZL = params[f"W{L}"] @ A + params[f"b{L}"]
    caches.append((A, None, None))
    return ZL, caches


def train_batchnorm_network(X, Y, layers_dims, learning_rate=0.1, num_iterations=300, mini_batch_size=None,
                            use_batchnorm=True, epsilon=1e-5, seed=1):
    """Plain gradient descent on a ReLU network with or without batch norm on its hidden layers.

    A small experiment driver for the chapter: W^[l] He-initialized after ``np.random.seed(seed)``;
    with batch norm, hidden layers have no bias b (β replaces it), γ = 1, β = 0 initially. The
    output layer is LINEAR → SIGMOID with cross-entropy. Full-batch when ``mini_batch_size`` is None.

    Returns the list of training costs (one per iteration).
    """
    from nnlib import activations, deep
    from nnlib.losses import binary_cross_entropy_with_logits

    X = as_float_array("X", X, ndim=2)
    Y = as_labels("Y", Y, X.shape[1])
    num_iterations = check_positive("num_iterations", num_iterations, integer=True)
    learning_rate = check_positive("learning_rate", learning_rate)
    epsilon = check_positive("epsilon", epsilon)
    np.random.seed(seed)
    params = deep.initialize_parameters_deep(layers_dims, scale="he")
    L = len(layers_dims) - 1
    if use_batchnorm:
        for l in range(1, L):
            params[f"gamma{l}"] = np.ones((layers_dims[l], 1))
            params[f"beta{l}"] = np.zeros((layers_dims[l], 1))
    costs = []
    for _ in range(num_iterations):
        if use_batchnorm:
            ZL, caches = _bn_forward_network(X, params, L, epsilon)
        else:
            _, dcaches = deep.L_model_forward(X, {k: params[k] for k in params if k[0] in "Wb"})
            ZL = dcaches[-1][1]
        m = X.shape[1]
        costs.append(float(binary_cross_entropy_with_logits(ZL, Y)))
        dZ = (activations.sigmoid(ZL) - Y) / m                    # dJ/dZ^[L] with the 1/m included
        if use_batchnorm:
            grads = {}
            for l in range(L, 0, -1):
                A_prev, bn_cache, _ = caches[l - 1]
                grads[f"W{l}"] = dZ @ A_prev.T
                if l == L:
                    grads[f"b{l}"] = dZ.sum(axis=1, keepdims=True)
                if l > 1:
                    dA = params[f"W{l}"].T @ dZ
                    dZt = dA * (caches[l - 2][2] > 0)
                    dZ, grads[f"gamma{l - 1}"], grads[f"beta{l - 1}"] = batchnorm_backward(dZt, caches[l - 2][1])
            params = {k: v - learning_rate * grads[k] for k, v in params.items() if k in grads} | \
                     {k: v for k, v in params.items() if k not in grads}
        else:
            grads = deep.L_model_backward(activations.sigmoid(ZL), Y, dcaches)
            params = {k: params[k] - learning_rate * grads["d" + k] for k in params}
    return costs
