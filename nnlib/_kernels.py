"""The numerical kernels every part of nnlib shares: one implementation of each formula.

Why an underscore module: these functions take **validated** arrays and check nothing, so they
are not part of the public API; but they are shared by the course-API modules (``deep``,
``batchnorm``, ``regularization``, ``optimizers``, ``losses``, ``activations``) and by the layer
objects of :mod:`nnlib.layers`, so they live here, with plain names, below all of them (this
module imports numpy only). A public function validates its inputs once and calls a kernel; the
training loop of :mod:`nnlib.training` validates once before the loop and then calls kernels only.

Each formula is derived in the chapter named beside it. Shapes follow the course: one example per
column, ``A`` (n^[l−1], m), ``W`` (n^[l], n^[l−1]), ``b`` (n^[l], 1), ``Z`` (n^[l], m).

Gradient scaling, the one convention to know. The course's ``linear_backward`` receives
dZ = ∂L/∂Z per example and multiplies the parameter gradients by 1/m *after* the products
(dW = (1/m)(dZ Aᵀ)); frameworks (and :mod:`nnlib.layers` by default) hand each layer the gradient
of the **mean** cost and never divide by m again. The two agree in exact arithmetic and differ in
the last bits, so :func:`linear_backward` takes the factor: ``scale=None`` is the course's 1/m,
``scale=1.0`` the mean-cost convention (a multiplication by 1.0 is exact).
"""

import math

import numpy as np

BN_EPSILON = 1e-5           # the ε of √(σ² + ε) in batch norm, training and inference
THRESHOLD = 0.5             # a sigmoid output predicts 1 where ŷ > 0.5


# Dense layer (chapter *Deep neural networks*).


def linear_forward(A, W, b):
    """Z = W A + b (b None: Z = W A, a layer followed by batch norm)."""
    return W @ A if b is None else W @ A + b


def linear_backward(dZ, A_prev, W, scale=None, input_grad=True):
    """(dA_prev, dW, db): dW = scale (dZ A_prevᵀ), db = scale Σ_i dZ[:, i], dA_prev = Wᵀ dZ.

    ``scale=None`` is the course's 1/m (m = A_prev.shape[1]); ``scale="divide"`` divides the sums
    by m instead (the rounding of ``regularization.model``); ``input_grad=False`` skips dA_prev
    (returns None for it: the first layer of a network needs no gradient for X).
    """
    m = A_prev.shape[1]
    if scale == "divide":
        dW, db = (dZ @ A_prev.T) / m, np.sum(dZ, axis=1, keepdims=True) / m
    else:
        scale = 1.0 / m if scale is None else scale
        dW, db = scale * (dZ @ A_prev.T), scale * np.sum(dZ, axis=1, keepdims=True)
    return (W.T @ dZ if input_grad else None), dW, db


# Activations (chapters *Activation functions*, *Deep networks in practice*).


def relu(Z):
    return np.maximum(Z, 0)


def relu_backward(dA, Z):
    """dZ = dA ⊙ ReLU'(Z), with ReLU'(0) = 0 as the course's relu_backward."""
    return dA * (Z > 0)


def sigmoid(z):
    """σ(z) without overflow: only exponentials of numbers ≤ 0 are computed (chapter *Logistic regression*).
    ``nnlib.activations.sigmoid`` validates and calls it; the recurrent cells call it on every gate.

    With e = e^(−|z|) and s = 1/(1 + e): σ(z) = s for z ≥ 0 and e·s for z < 0. Both branches are one
    product, s · e^(min(z, 0)), whose factor is exactly 1 for z ≥ 0 and exactly e for z < 0 (the same
    exponential of the same number), so the result is bit for bit that of ``np.where(z >= 0, s, e * s)``
    without its data-dependent branch (2–3× faster on mixed signs)."""
    e = np.exp(-np.abs(z))
    s = 1.0 / (1.0 + e)
    return s * np.exp(np.minimum(z, 0))


def softmax(x, axis):
    """Numerically stable softmax along ``axis``: e^(x − max) / Σ e^(x − max) (never overflows)."""
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def softmax_backward(dA, Z):
    """dZ = A ⊙ (dA − Σ_k A_k dA_k) per column: the softmax Jacobian (diag(a) − a aᵀ) times dA."""
    A = softmax(Z, axis=0)
    return A * (dA - np.sum(A * dA, axis=0, keepdims=True))


# Costs (chapters *Logistic regression as a neural network*, *Deep networks in practice*).


def bce_probability_gradient(A, Y):
    """The course's dA = −(Y/A − (1 − Y)/(1 − A)) of the cross-entropy of probabilities A, with A in
    [0, 1] first moved into [ε, 1 − ε] so that dA stays finite."""
    eps = np.finfo(A.dtype).eps
    A = np.where((A >= 0) & (A <= 1), np.clip(A, eps, 1 - eps), A)
    return -(np.divide(Y, A) - np.divide(1 - Y, 1 - A))


def mean_over_examples(losses):
    """Σ losses / m for (n, m) losses, accumulated in their own dtype."""
    return losses.sum(dtype=losses.dtype) / losses.shape[1]


def logit_losses(Z, Y):
    """Binary cross-entropy of σ(Z) from the logits: max(z, 0) − z y + log(1 + e^(−|z|)), element-wise."""
    losses = np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z)))
    return losses.astype(Z.dtype, copy=False)


def sigmoid_cost_from_logits(Z, Y):
    return np.squeeze(mean_over_examples(logit_losses(Z, Y)))


def softmax_cost_from_logits(Z, Y):
    """Cross-entropy of softmax(Z): (1/m) Σ_i [log Σ_k e^(Z[k,i]) − Σ_k Y[k,i] Z[k,i]]."""
    Zmax = Z.max(axis=0, keepdims=True)
    logsumexp = np.log(np.sum(np.exp(Z - Zmax), axis=0, keepdims=True)) + Zmax
    return np.squeeze(np.sum(logsumexp - np.sum(Y * Z, axis=0, keepdims=True), dtype=Z.dtype) / Z.shape[1])


# Mini-batches (chapter *Optimization algorithms*).


def _take(a, index, axis):
    where = [slice(None)] * a.ndim
    where[axis] = index
    return a[tuple(where)]


def random_mini_batches(X, Y, mini_batch_size, seed, x_axis=-1, y_axis=-1):
    """The course's shuffle-and-partition: ``np.random.seed(seed)``, one permutation of the m examples,
    ⌊m / size⌋ full batches and a last smaller one. Returns a list of (X_batch, Y_batch).

    Examples are along ``x_axis`` of X and ``y_axis`` of Y (the course: columns of both).
    """
    m = X.shape[x_axis]
    np.random.seed(seed)
    permutation = list(np.random.permutation(m))
    shuffled_X, shuffled_Y = _take(X, permutation, x_axis), _take(Y, permutation, y_axis)
    batches = []
    for k in range(math.ceil(m / mini_batch_size)):
        part = slice(k * mini_batch_size, min((k + 1) * mini_batch_size, m))
        batches.append((_take(shuffled_X, part, x_axis), _take(shuffled_Y, part, y_axis)))
    return batches


# Regularization (chapter *Regularization and initialization*).


def l2_penalty(Ws, lambd, m):
    """(λ / 2m) Σ_l ‖W^[l]‖²_F as a Python float."""
    return float(lambd / (2 * m) * sum(np.sum(np.square(W)) for W in Ws))


def l2_gradient(dW, W, lambd, m):
    return dW + (lambd / m) * W


def dropout_forward(A, keep_prob, rng=None):
    """Inverted dropout: D = (U < keep_prob), A ⊙ D / keep_prob; U from ``rng`` or np.random.rand."""
    U = np.random.rand(*A.shape) if rng is None else rng.random(A.shape)
    D = U < keep_prob
    return A * D / keep_prob, D


def dropout_backward(dA, D, keep_prob):
    return dA * D / keep_prob


# Batch normalization (chapter *Optimization algorithms*), rows are units, columns examples.


def batchnorm_forward(Z, gamma, beta, epsilon):
    mu = np.mean(Z, axis=1, keepdims=True)
    var = np.mean(np.square(Z - mu), axis=1, keepdims=True)
    Z_hat = (Z - mu) / np.sqrt(var + epsilon)
    return gamma * Z_hat + beta, (Z_hat, gamma, mu, var, epsilon)


def batchnorm_backward(dZ_tilde, cache):
    Z_hat, gamma, mu, var, epsilon = cache
    m = Z_hat.shape[1]
    dbeta = np.sum(dZ_tilde, axis=1, keepdims=True)
    dgamma = np.sum(dZ_tilde * Z_hat, axis=1, keepdims=True)
    dZ_hat = gamma * dZ_tilde
    dZ = (m * dZ_hat - np.sum(dZ_hat, axis=1, keepdims=True)
          - Z_hat * np.sum(dZ_hat * Z_hat, axis=1, keepdims=True)) / (m * np.sqrt(var + epsilon))
    return dZ, dgamma, dbeta


def update_running_stats(running_mean, running_var, mu, var, momentum):
    return momentum * running_mean + (1 - momentum) * mu, momentum * running_var + (1 - momentum) * var


def batchnorm_inference(Z, gamma, beta, running_mean, running_var, epsilon):
    return gamma * (Z - running_mean) / np.sqrt(running_var + epsilon) + beta


# Parameter updates of one array (chapter *Optimization algorithms*). Each returns new arrays; the
# optimizer objects of nnlib.optim write them into the layer's arrays, the course's functions
# return them in new dicts.


def gd_update(p, g, learning_rate):
    return p - learning_rate * g


def momentum_update(p, g, v, beta, learning_rate):
    v = beta * v + (1 - beta) * g
    return p - learning_rate * v, v


def rmsprop_update(p, g, s, beta2, learning_rate, epsilon):
    s = beta2 * s + (1 - beta2) * np.square(g)
    return p - learning_rate * g / (np.sqrt(s) + epsilon), s


def adam_update(p, g, v, s, t, learning_rate, beta1, beta2, epsilon):
    """Returns (p, v, s, v_corrected, s_corrected) after step t ≥ 1."""
    v = beta1 * v + (1 - beta1) * g
    v_corrected = v / (1 - beta1 ** t)
    s = beta2 * s + (1 - beta2) * np.square(g)
    s_corrected = s / (1 - beta2 ** t)
    return p - learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon), v, s, v_corrected, s_corrected
