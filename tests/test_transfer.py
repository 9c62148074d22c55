"""Transfer and multi-task learning in nnlib: the ``Frozen`` layer wrapper and the masked multi-task loss.

The chapter *Mismatched data, transfer learning and multi-task learning* derives both and uses them;
these tests add the edge cases: what a frozen layer leaves alone, that training through it is training
the rest on precomputed features, and that a missing label contributes nothing.
"""

import copy

import numpy as np
import pytest

from nnlib import layers, losses, optim, training
from nnlib.gradcheck import numerical_gradient, relative_difference

rng = np.random.default_rng(0)


def _dense(n_out, n_in, seed, dtype=np.float64):
    r = np.random.default_rng(seed)
    return layers.Dense((r.normal(size=(n_out, n_in)) / np.sqrt(n_in)).astype(dtype), np.zeros((n_out, 1), dtype))


def _labels(n_y, m, missing=0.4, seed=1):
    r = np.random.default_rng(seed)
    Y = (r.random((n_y, m)) < 0.5).astype(float)
    Y[r.random((n_y, m)) < missing] = losses.MISSING
    return Y


# Frozen


def test_frozen_has_no_parameters_and_delegates():
    dense = _dense(3, 4, 0)
    frozen = layers.Frozen(dense)
    assert frozen.params == {} and frozen.grads == {} and frozen.layer is dense
    A, G = rng.normal(size=(4, 5)), rng.normal(size=(3, 5))
    assert np.array_equal(frozen.forward(A), dense.forward(A))
    assert np.array_equal(frozen.backward(G), dense.params["W"].T @ G)


def test_optimizers_and_l2_leave_a_frozen_layer_alone():
    first, head = _dense(6, 4, 1), _dense(1, 6, 2)
    W_before, head_before = first.params["W"].copy(), head.params["W"].copy()
    net = layers.Sequential([layers.Frozen(first), layers.ReLU(), head])
    X, Y = rng.normal(size=(4, 30)), (rng.random((1, 30)) < 0.5).astype(float)
    for name in optim.OPTIMIZERS:
        training.train(net, losses.SigmoidCrossEntropy(), X, Y,
                       training.TrainingOptions(num_epochs=3, optimizer=optim.make(name, 0.1), lambd=0.5))
    assert np.array_equal(first.params["W"], W_before) and np.array_equal(first.params["b"], np.zeros((6, 1)))
    assert not np.array_equal(head.params["W"], head_before)


def test_gradient_flows_through_a_frozen_layer():
    """A trainable layer below a frozen one gets the gradient of central differences."""
    bottom, middle, top = _dense(5, 3, 3), _dense(4, 5, 4), _dense(2, 4, 5)
    net = layers.Sequential([bottom, layers.ReLU(), layers.Frozen(middle), layers.ReLU(), top])
    X, Y = rng.normal(size=(3, 7)), _labels(2, 7, missing=0.0)
    loss = losses.SigmoidCrossEntropy()
    net.backward(loss.gradient(net.forward(X), Y))

    def cost(p):
        trial = layers.Sequential([layers.Dense(p["W"], p["b"]), layers.ReLU(), middle, layers.ReLU(), top])
        return float(loss.cost(trial.forward(X), Y))

    numeric = numerical_gradient(cost, dict(bottom.params))
    assert relative_difference(bottom.grads, numeric) < 1e-7


@pytest.mark.parametrize("mini_batch_size", [None, 16])
def test_training_through_frozen_layers_is_training_the_head_on_precomputed_features(mini_batch_size):
    """Full batch: the same bits. Mini-batches: a product over a batch's columns may round differently
    from the same columns of the product over all of them, so equal to rounding."""
    base = [_dense(8, 4, 6), layers.ReLU()]
    X, Y = rng.normal(size=(4, 50)), (rng.random((1, 50)) < 0.5).astype(float)
    head_a, head_b = _dense(1, 8, 7), _dense(1, 8, 7)
    options = dict(num_epochs=5, mini_batch_size=mini_batch_size, record_every=1)
    net = layers.Sequential([layers.Frozen(layer) for layer in base] + [head_a])
    costs_a = training.train(net, losses.SigmoidCrossEntropy(), X, Y,
                             training.TrainingOptions(optimizer=optim.Adam(0.05), **options))
    features = layers.Sequential(base).forward(X)
    costs_b = training.train(layers.Sequential([head_b]), losses.SigmoidCrossEntropy(), features, Y,
                             training.TrainingOptions(optimizer=optim.Adam(0.05), **options))
    if mini_batch_size is None:
        assert np.array_equal(head_a.params["W"], head_b.params["W"])
        assert np.array_equal(np.array(costs_a), np.array(costs_b))
    else:
        np.testing.assert_allclose(head_a.params["W"], head_b.params["W"], rtol=1e-10)
        np.testing.assert_allclose(np.array(costs_a, dtype=float), np.array(costs_b, dtype=float), rtol=1e-12)


def test_frozen_keeps_float32_and_passes_training_on():
    dropout = layers.Dropout(0.5, rng=np.random.default_rng(0))
    frozen = layers.Frozen(dropout)
    A = np.ones((3, 4), dtype=np.float32)
    assert frozen.forward(A, training=True).dtype == np.float32
    assert dropout.D is not None                       # the mask of training mode
    assert np.array_equal(frozen.forward(A), A) and dropout.D is None


@pytest.mark.parametrize("bad", [object(), np.zeros(3), layers.ReLU])
def test_frozen_refuses_what_is_not_a_layer(bad):
    with pytest.raises(ValueError, match="is not a layer"):
        layers.Frozen(bad)


def test_a_frozen_copy_leaves_the_original_alone():
    original = _dense(3, 2, 8)
    copied = copy.deepcopy(original)
    net = layers.Sequential([copied])
    X, Y = rng.normal(size=(2, 9)), _labels(3, 9, missing=0.0)
    training.train(net, losses.SigmoidCrossEntropy(), X, Y, training.TrainingOptions(num_epochs=2, optimizer=optim.Adam(0.1)))
    assert not np.array_equal(copied.params["W"], original.params["W"])


# MaskedSigmoidCrossEntropy


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_masked_loss_without_missing_labels_is_sigmoid_cross_entropy_bit_for_bit(dtype):
    Z, Y = rng.normal(size=(3, 11)).astype(dtype), _labels(3, 11, missing=0.0)
    masked, plain = losses.MaskedSigmoidCrossEntropy(), losses.SigmoidCrossEntropy()
    assert masked.cost(Z, Y) == plain.cost(Z, Y.astype(dtype))
    assert np.array_equal(masked.gradient(Z, Y), plain.gradient(Z, Y.astype(dtype)))
    assert masked.cost(Z, Y).dtype == dtype and masked.gradient(Z, Y).dtype == dtype


def test_missing_labels_contribute_nothing():
    Z, Y = rng.normal(size=(4, 9)), _labels(4, 9)
    loss = losses.MaskedSigmoidCrossEntropy()
    missing = Y == losses.MISSING
    assert missing.any() and (~missing).any()
    dZ = loss.gradient(Z, Y)
    assert np.all(dZ[missing] == 0)
    Z_changed = Z.copy()
    Z_changed[missing] += rng.normal(size=missing.sum()) * 10
    assert loss.cost(Z_changed, Y) == loss.cost(Z, Y)
    # the cost is the sum of the present entries' losses over m
    present = losses.binary_cross_entropy_with_logits(Z, np.where(missing, 0, Y), reduction="none")[~missing]
    assert np.isclose(loss.cost(Z, Y), present.sum() / Z.shape[1], rtol=1e-14)


def test_masked_gradient_matches_central_differences():
    Z, Y = rng.normal(size=(3, 6)), _labels(3, 6, seed=2)
    loss = losses.MaskedSigmoidCrossEntropy()
    numeric = numerical_gradient(lambda p: float(loss.cost(p["Z"], Y)), {"Z": Z})
    assert relative_difference(loss.gradient(Z, Y), numeric["Z"]) < 1e-8


def test_masked_loss_trains_a_multi_task_network():
    X = rng.normal(size=(5, 200))
    Y_full = np.vstack([(X[0] > 0), (X[1] + X[2] > 0), (X[3] < 0.5)]).astype(float)
    Y = Y_full.copy()
    Y[np.random.default_rng(3).random(Y.shape) < 0.5] = losses.MISSING
    net = layers.Sequential([_dense(16, 5, 9), layers.ReLU(), _dense(3, 16, 10)])
    costs = training.train(net, losses.MaskedSigmoidCrossEntropy(), X, Y,
                           training.TrainingOptions(num_epochs=200, optimizer=optim.Adam(0.02), record_every=10))
    assert costs[-1] < 0.3 * costs[0]
    assert np.mean((net.forward(X) > 0) == Y_full) > 0.9       # every label, also the hidden ones


def test_masked_loss_accepts_a_vector_of_labels_for_one_task():
    Z, y = rng.normal(size=(1, 5)), np.array([1.0, losses.MISSING, 0.0, 0.0, losses.MISSING])
    loss = losses.MaskedSigmoidCrossEntropy()
    assert loss.cost(Z, y) == loss.cost(Z, y.reshape(1, -1))


@pytest.mark.parametrize("Y, words", [
    (np.full((2, 3), 0.5), "labels"),
    (np.array([[1.0, np.nan, 0.0], [0.0, 1.0, 1.0]]), "finite"),
    (np.zeros((3, 2)), "shape"),
    (np.zeros((2, 3), dtype=object), "numeric"),
])
@pytest.mark.parametrize("method", ["cost", "gradient"])
def test_masked_loss_refuses_bad_labels(Y, words, method):
    with pytest.raises((ValueError, TypeError), match=words):
        getattr(losses.MaskedSigmoidCrossEntropy(), method)(rng.normal(size=(2, 3)), Y)
