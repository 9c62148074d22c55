"""TensorFlow as an independent oracle for every nnlib layer: forward and backward, float64, random shapes.

Recurrent layers: nnlib's input is (n_x, m, T_x), Keras's (m, T_x, n_x); Keras's LSTM stacks its
gates in the order i, f, c, o, in a kernel (n_x, 4 n_a) and a recurrent kernel (n_a, 4 n_a).

Each case builds the same computation twice — an nnlib layer (the layer contract of LAYERS.md) and a
Keras layer or TensorFlow op with the same parameters, mapped to TensorFlow's layout (examples
first; a dense kernel is Wᵀ) — and compares the forward output, dA_prev and every parameter gradient
of J = Σ G ⊙ output for a random upstream gradient G. TensorFlow is imported through book/tf_setup.py
(no start-up lines on stderr). Shapes, strides and paddings are drawn from seeded generators.
"""

import sys

import numpy as np
import pytest

from book import BOOK

sys.path.insert(0, str(BOOK))
from tf_setup import keras, tf  # noqa: E402

from nnlib import cnn, layers, losses, rnn_layers  # noqa: E402

SEEDS = range(6)
RTOL, ATOL = 1e-10, 1e-12


def _ints(rng, low, high, size=None):
    """Python ints (Keras rejects numpy integers as sizes)."""
    drawn = rng.integers(low, high, size=size)
    return int(drawn) if size is None else tuple(int(v) for v in drawn)


def _tape(function, inputs, variables):
    """Output of ``function(*inputs)`` and the gradients of Σ G ⊙ output, G drawn like the output."""
    inputs = [tf.constant(x) for x in inputs]
    with tf.GradientTape(persistent=True) as tape:
        for x in inputs:
            tape.watch(x)
        out = function(*inputs)
    G = np.random.default_rng(99).standard_normal(out.shape)
    with tape:
        J = tf.reduce_sum(out * G)
    grads = tape.gradient(J, inputs + list(variables))
    return out.numpy(), G, [g.numpy() for g in grads]


def _nnlib(layer, A, G, training=False):
    out = layer.forward(A, training=training)
    dA = layer.backward(G)
    return out, dA


def _close(actual, expected):
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("seed", SEEDS)
def test_dense(seed):
    rng = np.random.default_rng(seed)
    n_prev, n, m = _ints(rng, 1, 9, size=3)
    W, b, A = rng.standard_normal((n, n_prev)), rng.standard_normal((n, 1)), rng.standard_normal((n_prev, m))
    dense = keras.layers.Dense(n, dtype="float64")
    dense.build((None, n_prev))
    dense.set_weights([W.T, b.ravel()])                     # Keras: kernel (n_in, n_out), examples are rows
    out_tf, G, (dA_tf, dW_tf, db_tf) = _tape(lambda a: tf.transpose(dense(tf.transpose(a))), [A], dense.weights)
    layer = layers.Dense(W.copy(), b.copy())
    out, dA = _nnlib(layer, A, G)
    _close(out, out_tf)
    _close(dA, dA_tf)
    _close(layer.grads["W"], dW_tf.T)
    _close(layer.grads["b"], db_tf[:, None])


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name, tf_function", [("ReLU", tf.nn.relu), ("Sigmoid", tf.sigmoid),
                                               ("Softmax", lambda z: tf.transpose(tf.nn.softmax(tf.transpose(z))))])
def test_activations(seed, name, tf_function):
    rng = np.random.default_rng(seed)
    Z = 3 * rng.standard_normal(tuple(_ints(rng, 1, 8, size=2)))
    Z[np.abs(Z) < 1e-6] = 0.5                               # away from ReLU's kink
    out_tf, G, (dZ_tf,) = _tape(tf_function, [Z], [])
    out, dZ = _nnlib(getattr(layers, name)(), Z, G)
    _close(out, out_tf)
    _close(dZ, dZ_tf)


@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_cross_entropy(seed):
    rng = np.random.default_rng(seed)
    n_classes, m = _ints(rng, 2, 7), _ints(rng, 1, 9)
    Z = 4 * rng.standard_normal((n_classes, m))
    Y = np.eye(n_classes)[:, list(_ints(rng, 0, n_classes, size=m))]
    keras_loss = keras.losses.CategoricalCrossentropy(from_logits=True, dtype="float64")   # default: float32
    Zt = tf.constant(Z.T)
    with tf.GradientTape() as tape:
        tape.watch(Zt)
        cost_tf = keras_loss(Y.T, Zt)                       # the mean over the batch
    loss = losses.SoftmaxCrossEntropy()
    _close(loss.cost(Z, Y), float(cost_tf))
    _close(loss.gradient(Z, Y), tape.gradient(cost_tf, Zt).numpy().T)


@pytest.mark.parametrize("seed", SEEDS)
def test_sigmoid_cross_entropy(seed):
    rng = np.random.default_rng(seed)
    m = _ints(rng, 1, 12)
    Z, Y = 6 * rng.standard_normal((1, m)), rng.integers(0, 2, size=(1, m)).astype(float)
    Zt = tf.constant(Z)
    with tf.GradientTape() as tape:
        tape.watch(Zt)
        cost_tf = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=Y, logits=Zt))
    loss = losses.SigmoidCrossEntropy()
    _close(loss.cost(Z, Y), float(cost_tf))
    _close(loss.gradient(Z, Y), tape.gradient(cost_tf, Zt).numpy())


@pytest.mark.parametrize("seed", SEEDS)
def test_conv2d(seed):
    rng = np.random.default_rng(seed)
    f, stride, pad = _ints(rng, 1, 4), _ints(rng, 1, 3), _ints(rng, 0, 3)
    m, n_C_prev, n_C = _ints(rng, 1, 4), _ints(rng, 1, 4), _ints(rng, 1, 5)
    n_H, n_W = _ints(rng, f, 9, size=2)
    A = rng.standard_normal((m, n_H, n_W, n_C_prev))
    layer = cnn.Conv2D(n_C_prev, n_C, f=f, stride=stride, pad=pad, seed=seed)
    layer.params["b"][...] = rng.standard_normal(layer.params["b"].shape)
    conv = keras.layers.Conv2D(n_C, f, strides=stride, padding="valid", dtype="float64")
    conv.build((None, n_H + 2 * pad, n_W + 2 * pad, n_C_prev))
    conv.set_weights([layer.params["W"], layer.params["b"].ravel()])   # both NHWC, kernel (f, f, C_in, C_out)
    paddings = [[0, 0], [pad, pad], [pad, pad], [0, 0]]
    out_tf, G, (dA_tf, dW_tf, db_tf) = _tape(lambda a: conv(tf.pad(a, paddings)), [A], conv.weights)
    out, dA = _nnlib(layer, A, G)
    _close(out, out_tf)
    _close(dA, dA_tf)
    _close(layer.grads["W"], dW_tf)
    _close(layer.grads["b"].ravel(), db_tf)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("mode", ["max", "average"])
def test_pool2d(seed, mode):
    rng = np.random.default_rng(seed)
    f, stride = _ints(rng, 1, 4), _ints(rng, 1, 4)
    A = rng.standard_normal((_ints(rng, 1, 4), *_ints(rng, f, 9, size=2), _ints(rng, 1, 4)))
    pool = (keras.layers.MaxPooling2D if mode == "max" else keras.layers.AveragePooling2D)(
        pool_size=f, strides=stride, padding="valid", dtype="float64")
    out_tf, G, (dA_tf,) = _tape(pool, [A], [])
    out, dA = _nnlib(cnn.Pool2D(f, stride, mode), A, G)
    _close(out, out_tf)
    _close(dA, dA_tf)


@pytest.mark.parametrize("seed", SEEDS)
def test_flatten(seed):
    """nnlib's Flatten gives columns; Keras's gives rows in the same (row-major) order."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((_ints(rng, 1, 4), *_ints(rng, 1, 5, size=3)))
    out_tf, G, (dA_tf,) = _tape(lambda a: tf.transpose(keras.layers.Flatten(dtype="float64")(a)), [A], [])
    out, dA = _nnlib(cnn.Flatten(), A, G)
    _close(out, out_tf)
    _close(dA, dA_tf)


@pytest.mark.parametrize("seed", SEEDS)
def test_batchnorm_training(seed):
    """Training mode: batch mean and biased variance, ε inside the square root, as in Keras.

    Keras's running averages use the same momentum convention (r ← momentum · r + (1 − momentum) · batch).
    """
    rng = np.random.default_rng(seed)
    n, m = _ints(rng, 1, 7), _ints(rng, 2, 12)
    Z = 2 + 3 * rng.standard_normal((n, m))
    gamma, beta = rng.standard_normal((n, 1)), rng.standard_normal((n, 1))
    bn = keras.layers.BatchNormalization(epsilon=1e-5, momentum=0.9, dtype="float64")
    bn.build((None, n))
    bn.set_weights([gamma.ravel(), beta.ravel(), np.zeros(n), np.ones(n)])
    out_tf, G, (dZ_tf, dgamma_tf, dbeta_tf) = _tape(lambda z: tf.transpose(bn(tf.transpose(z), training=True)),
                                                    [Z], bn.trainable_weights)
    layer = layers.BatchNorm(gamma.copy(), beta.copy(), epsilon=1e-5, momentum=0.9)
    out, dZ = _nnlib(layer, Z, G, training=True)
    _close(out, out_tf)
    _close(dZ, dZ_tf)
    _close(layer.grads["gamma"], dgamma_tf[:, None])
    _close(layer.grads["beta"], dbeta_tf[:, None])
    _close(layer.running_mean.ravel(), bn.moving_mean.numpy())
    # Keras's moving variance uses the biased batch variance too (Keras 3; Keras 2 used the unbiased one).
    _close(layer.running_var.ravel(), bn.moving_variance.numpy())


def _sequence(rng):
    n_x, n_a, m, T_x = _ints(rng, 1, 5), _ints(rng, 1, 5), _ints(rng, 1, 4), _ints(rng, 1, 6)
    return n_a, rng.standard_normal((n_x, m, T_x))


def _batch_major(x):
    """(n, m, T_x) ↔ Keras's (m, T_x, n)."""
    return tf.transpose(x, (1, 2, 0))


def _time_last(y):
    return tf.transpose(y, (2, 0, 1))


@pytest.mark.parametrize("seed", SEEDS)
def test_rnn(seed):
    rng = np.random.default_rng(seed)
    n_a, A = _sequence(rng)
    layer = rnn_layers.RNN(A.shape[0], n_a, seed=seed)
    layer.params["ba"][...] = rng.standard_normal((n_a, 1))
    keras_rnn = keras.layers.SimpleRNN(n_a, return_sequences=True, dtype="float64")
    keras_rnn.build((None, None, A.shape[0]))
    keras_rnn.set_weights([layer.params["Wax"].T, layer.params["Waa"].T, layer.params["ba"].ravel()])
    out_tf, G, (dA_tf, dWax_tf, dWaa_tf, dba_tf) = _tape(lambda a: _time_last(keras_rnn(_batch_major(a))), [A],
                                                         keras_rnn.weights)
    out, dA = _nnlib(layer, A, G)
    _close(out, out_tf)
    _close(dA, dA_tf)
    _close(layer.grads["Wax"], dWax_tf.T)
    _close(layer.grads["Waa"], dWaa_tf.T)
    _close(layer.grads["ba"].ravel(), dba_tf)


@pytest.mark.parametrize("seed", SEEDS)
def test_lstm(seed):
    rng = np.random.default_rng(seed)
    n_a, A = _sequence(rng)
    layer = rnn_layers.LSTM(A.shape[0], n_a, seed=seed)
    for g in "fico":
        layer.params["b" + g][...] = rng.standard_normal((n_a, 1))
    p = layer.params
    order = "ifco"                                   # Keras's gate order
    kernel = np.concatenate([p["W" + g][:, n_a:].T for g in order], axis=1)      # Wg acts on [a; x]
    recurrent = np.concatenate([p["W" + g][:, :n_a].T for g in order], axis=1)
    bias = np.concatenate([p["b" + g].ravel() for g in order])
    keras_lstm = keras.layers.LSTM(n_a, return_sequences=True, dtype="float64")
    keras_lstm.build((None, None, A.shape[0]))
    keras_lstm.set_weights([kernel, recurrent, bias])
    out_tf, G, (dA_tf, dK, dR, dB) = _tape(lambda a: _time_last(keras_lstm(_batch_major(a))), [A], keras_lstm.weights)
    out, dA = _nnlib(layer, A, G)
    _close(out, out_tf)
    _close(dA, dA_tf)
    for j, g in enumerate(order):
        cols = slice(j * n_a, (j + 1) * n_a)
        _close(layer.grads["W" + g], np.concatenate([dR[:, cols].T, dK[:, cols].T], axis=1))
        _close(layer.grads["b" + g].ravel(), dB[cols])
