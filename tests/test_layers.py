"""The layer protocol (nnlib.layers), the optimizer objects (nnlib.optim), the loss objects and the one
training loop (nnlib.training): gradients against central differences, the same numbers as the
course API, any layer kind in the loop, mini-batches along the declared batch axis, validation."""

import numpy as np
import pytest

from nnlib import deep, layers, optim, optimizers, training
from nnlib.losses import SigmoidCrossEntropy, SoftmaxCrossEntropy


def _numerical(f, x, h=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        up = f()
        x[i] = old - h
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * h)
    return g


def _check_layer(layer, A, training=True, seed=0):
    """backward(R) of ``layer`` is the gradient of Σ R ⊙ forward(A) for its input and every parameter."""
    R = np.random.default_rng(seed).normal(size=layer.forward(A, training=training).shape)

    def f():
        return float(np.sum(R * layer.forward(A, training=training)))

    layer.forward(A, training=training)
    dA = layer.backward(R)
    grads = {k: v.copy() for k, v in layer.grads.items()}
    np.testing.assert_allclose(dA, _numerical(f, A), rtol=1e-6, atol=1e-8)
    for name, p in layer.params.items():
        np.testing.assert_allclose(grads[name], _numerical(f, p), rtol=1e-6, atol=1e-8)


def _away_from_zero(shape, seed=1):
    Z = np.random.default_rng(seed).normal(size=shape)
    return Z + np.sign(Z) * 0.1           # no entry within 0.1 of ReLU's kink


def test_every_layer_passes_the_gradient_check():
    rng = np.random.default_rng(0)
    _check_layer(layers.Dense(rng.normal(size=(4, 3)), rng.normal(size=(4, 1))), rng.normal(size=(3, 5)))
    _check_layer(layers.Dense(rng.normal(size=(4, 3))), rng.normal(size=(3, 5)))
    _check_layer(layers.ReLU(), _away_from_zero((4, 5)))
    _check_layer(layers.Sigmoid(), rng.normal(size=(4, 5)))
    _check_layer(layers.Softmax(), rng.normal(size=(4, 5)))
    _check_layer(layers.BatchNorm(rng.normal(size=(4, 1)), rng.normal(size=(4, 1))), rng.normal(size=(4, 6)))
    bn = layers.BatchNorm(rng.normal(size=(4, 1)), rng.normal(size=(4, 1)))
    bn.forward(rng.normal(size=(4, 6)))
    with pytest.raises(ValueError, match="training=True"):
        bn.backward(np.ones((4, 6)))


def test_dropout_masks_in_training_only_and_backward_uses_the_mask():
    A = np.ones((50, 40))
    drop = layers.Dropout(0.8, np.random.default_rng(0))
    assert np.array_equal(drop.forward(A), A) and np.array_equal(drop.forward(A, training=False), A)
    out = drop.forward(A, training=True)
    kept = out != 0
    assert 0.7 < kept.mean() < 0.9 and np.allclose(out[kept], 1 / 0.8)
    np.testing.assert_array_equal(drop.backward(np.ones_like(A)), out)


def test_course_scaled_layers_give_l_model_backward_bit_for_bit():
    X = np.random.default_rng(2).normal(size=(3, 7))
    Y = (X[:1] > 0).astype(float)
    np.random.seed(1)
    p = deep.initialize_parameters_deep([3, 4, 2, 1], scale="he")
    net = layers.Sequential([layers.Dense(p["W1"], p["b1"], course_scaling=True), layers.ReLU(),
                             layers.Dense(p["W2"], p["b2"], course_scaling=True), layers.ReLU(),
                             layers.Dense(p["W3"], p["b3"], course_scaling=True)])
    Z = net.forward(X, training=True)
    AL, caches = deep.L_model_forward(X, p)
    np.testing.assert_array_equal(Z, caches[-1][1])
    dX = net.backward(SigmoidCrossEntropy(per_example=True).gradient(Z, Y))
    grads = deep.L_model_backward(AL, Y, caches)
    # L_model_backward starts from the course's dA^[L] (clipped), the loss object from A − Y: equal up to rounding
    for l, dense in zip((1, 2, 3), net.layers[::2]):
        np.testing.assert_allclose(dense.grads["W"], grads[f"dW{l}"], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(dense.grads["b"], grads[f"db{l}"], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(dX, grads["dA0"], rtol=1e-12, atol=1e-15)
    course = SigmoidCrossEntropy(per_example=True, course_chain=True)
    net.forward(X, training=True)
    dX = net.backward(course.gradient(Z, Y))
    for l, dense in zip((1, 2, 3), net.layers[::2]):
        np.testing.assert_array_equal(dense.grads["W"], grads[f"dW{l}"])
        np.testing.assert_array_equal(dense.grads["b"], grads[f"db{l}"])
    np.testing.assert_array_equal(dX, grads["dA0"])


def test_mean_cost_convention_matches_the_course_scaling():
    rng = np.random.default_rng(3)
    X, W, b = rng.normal(size=(3, 9)), rng.normal(size=(2, 3)), rng.normal(size=(2, 1))
    Y = deep.one_hot(rng.integers(0, 2, 9), 2)
    course, mean = layers.Dense(W, b, course_scaling=True), layers.Dense(W, b)
    Z = course.forward(X)
    course.backward(SoftmaxCrossEntropy(per_example=True).gradient(Z, Y))
    mean.forward(X)
    mean.backward(SoftmaxCrossEntropy().gradient(Z, Y))
    for k in ("W", "b"):
        np.testing.assert_allclose(mean.grads[k], course.grads[k], rtol=1e-13, atol=1e-16)


class Transpose:
    """A parameter-free layer the loop has never heard of: (m, n) examples-first → (n, m)."""

    params = {}

    def __init__(self):
        self.grads = {}

    def forward(self, A, training=False):
        return A.T

    def backward(self, dA):
        return dA.T


def test_the_loop_runs_any_layers_and_cuts_batches_along_batch_axis():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(60, 2))                          # examples first
    Y = (X[:, :1].T + X[:, 1:].T > 0).astype(float)       # (1, m)
    W1, b1, W2, b2 = rng.normal(size=(5, 2)), np.zeros((5, 1)), rng.normal(size=(1, 5)) * 0.1, np.zeros((1, 1))
    W1_before = W1.copy()
    net = layers.Sequential([Transpose(), layers.Dense(W1, b1), layers.ReLU(), layers.Dense(W2, b2)], batch_axis=0)
    seen = []
    original = net.forward

    def spy(A, training=False):
        seen.append(A.shape)
        return original(A, training)

    net.forward = spy
    opts = training.TrainingOptions(num_epochs=30, optimizer=optim.Adam(0.05), mini_batch_size=16, record_every=1)
    costs = training.train(net, SigmoidCrossEntropy(), X, Y, opts)
    assert seen[:4] == [(16, 2), (16, 2), (16, 2), (12, 2)]
    assert costs[-1] < 0.5 * costs[0]
    assert net.layers[1].params["W"] is W1            # updated in place: the layer keeps its arrays
    assert not np.array_equal(W1, W1_before)


def test_optimizer_objects_are_the_course_updates_bit_for_bit():
    rng = np.random.default_rng(5)
    W, dW = rng.normal(size=(3, 2)), rng.normal(size=(3, 2))
    layer = layers.Dense(W.copy())
    layer.grads = {"W": dW}
    for name, course in (("gd", lambda p, g, t: optimizers.update_parameters_with_gd(p, g, 0.1)),
                         ("adam", lambda p, g, t: optimizers.update_parameters_with_adam(p, g, *optimizers.initialize_adam(p), t, 0.1)[0])):
        layer.params["W"][...] = W
        opt = optim.OPTIMIZERS[name](0.1)
        opt.step([layer])
        np.testing.assert_array_equal(layer.params["W"], course({"W1": W}, {"dW1": dW}, 1)["W1"])


def test_float32_stays_float32():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(3, 20)).astype(np.float32)
    Y = (X[:1] > 0).astype(np.float32)
    net = layers.Sequential([layers.Dense(rng.normal(size=(4, 3)).astype(np.float32), np.zeros((4, 1), np.float32)),
                             layers.BatchNorm(np.ones((4, 1), np.float32), np.zeros((4, 1), np.float32)),
                             layers.ReLU(), layers.Dropout(0.9, np.random.default_rng(0)),
                             layers.Dense(rng.normal(size=(1, 4)).astype(np.float32), np.zeros((1, 1), np.float32))])
    costs = training.train(net, SigmoidCrossEntropy(), X, Y,
                           training.TrainingOptions(num_epochs=3, optimizer=optim.Momentum(0.1), record_every=1))
    assert all(np.asarray(c).dtype == np.float32 for c in costs)
    assert all(p.dtype == np.float32 for layer in net.layers for p in layer.params.values())
    assert net.forward(X).dtype == np.float32


@pytest.mark.parametrize("make, words", [
    (lambda: layers.Dense(np.ones((2, 3))).forward(np.ones((4, 5))), "shape (3, m)"),
    (lambda: layers.Dense(np.ones((2, 3))).backward(np.ones((2, 5))), "before forward"),
    (lambda: layers.Dense(np.ones((2, 3)), np.ones((3, 1))), "b must have shape (2, 1)"),
    (lambda: layers.Dropout(0), "keep_prob must be a number in (0, 1]"),
    (lambda: layers.BatchNorm(np.ones((2, 1)), np.ones((2, 1)), momentum=1), "momentum must be a number in [0, 1)"),
    (lambda: layers.Sequential([]), "at least one layer"),
    (lambda: layers.Sequential([object()]), "is not a layer"),
    (lambda: optim.Adam(0.01, beta1=1.0), "beta1 must be a number in [0, 1)"),
    (lambda: optim.GradientDescent(-1), "learning_rate must be a number > 0"),
    (lambda: training.TrainingOptions(num_epochs=-1, optimizer=optim.GradientDescent()), "num_epochs"),
    (lambda: training.TrainingOptions(num_epochs=1, optimizer="adam"), "optimizer must be an optimizer object"),
    (lambda: training.TrainingOptions(num_epochs=1, optimizer=optim.Adam(), lambd=-1), "lambd must be a number ≥ 0"),
    (lambda: training.TrainingOptions(num_epochs=1, optimizer=optim.Adam(), mini_batch_size=4, epoch_average=False),
     "full-batch"),
    (lambda: training.train(layers.Sequential([layers.Dense(np.ones((1, 2)))]), SigmoidCrossEntropy(), np.ones((2, 5)),
                            np.ones((1, 4)), training.TrainingOptions(num_epochs=1, optimizer=optim.Adam())), "m = 5"),
])
def test_bad_input_raises_value_error(make, words):
    with pytest.raises(ValueError, match=None) as info:
        make()
    assert words in str(info.value)


def test_build_network_holds_the_parameters_and_gives_them_back():
    np.random.seed(0)
    p = deep.initialize_parameters_deep([3, 4, 1], scale="he")
    net = deep.build_network(p, keep_prob=0.5, rng=np.random.default_rng(0))
    assert [type(layer).__name__ for layer in net.layers] == ["Dense", "ReLU", "Dropout", "Dense"]
    back = deep.network_parameters(net)
    assert list(back) == list(p) and all(back[k] is p[k] for k in p)
    with pytest.raises(ValueError, match="Sequential made by build_network"):
        deep.network_parameters(p)
    with pytest.raises(ValueError, match="optimizer must be one of"):
        optim.make("sgd", 0.1)
    assert type(optim.make("rmsprop", 0.1, beta2=0.5)) is optim.RMSprop and optim.make("rmsprop", 0.1, beta2=0.5).beta2 == 0.5


def test_l_model_forward_checks_X_through_the_first_row_of_Z1_even_where_a_relu_hides_it():
    """X is not read in full: every entry of X reaches every unit of Z^[1] (0 · inf = NaN), so the first
    row of Z^[1] names a NaN or inf of X, also one that the ReLUs map to 0 (a finite output)."""
    p = {"W1": -np.ones((2, 3)), "b1": np.zeros((2, 1)), "W2": np.ones((1, 2)), "b2": np.zeros((1, 1))}
    for bad, w in ((np.inf, -1.0), (-np.inf, 1.0), (np.nan, -1.0)):
        X = np.ones((3, 4))
        X[1, 2] = bad
        q = dict(p, W1=np.full((2, 3), w))
        with np.errstate(invalid="ignore"):
            hidden = np.isfinite(q["W2"] @ np.maximum(q["W1"] @ X, 0)).all()
        assert hidden == np.isinf(bad)                      # −inf in every unit: the ReLU output is finite
        with pytest.raises(ValueError, match="X must contain only finite"):
            deep.L_model_forward(X, q)
        with pytest.raises(ValueError, match="X must contain only finite"):
            deep.predict(X, np.ones((1, 4)), q)


def test_l_model_backward_checks_caches_by_their_gradients_and_still_names_a_nan():
    rng = np.random.default_rng(11)
    X, Y = rng.normal(size=(3, 6)), (rng.random((1, 6)) < 0.5).astype(float)
    np.random.seed(0)
    p = deep.initialize_parameters_deep([3, 4, 1], scale="he")
    AL, caches = deep.L_model_forward(X, p)
    X_bad = X.copy()
    X_bad[1, 2] = np.nan
    bad = [((X_bad, caches[0][0][1], caches[0][0][2]), caches[0][1])] + caches[1:]
    with pytest.raises(ValueError, match="A_prev.*finite"):
        deep.L_model_backward(AL, Y, bad)
    assert np.all(np.isfinite(deep.L_model_backward(AL, Y, caches)["dW1"]))


def test_labels_with_examples_on_axis_1_are_batched_along_it():
    """Sequence labels (n_y, m, T): the loop cuts Y along the network's label_axis."""
    class PerStep:                        # (n_x, m, T) → (1, m, T): one weight shared by every time step
        def __init__(self, w):
            self.params, self.grads = {"w": w}, {}

        def forward(self, A, training=False):
            self.A = A
            return np.einsum("i,imt->mt", self.params["w"], A)[None]

        def backward(self, dZ):
            self.grads = {"w": np.einsum("mt,imt->i", dZ[0], self.A)}
            return self.params["w"][:, None, None] * dZ

    rng = np.random.default_rng(12)
    X = rng.normal(size=(2, 40, 3))
    Y = (X[0:1] > 0).astype(float)                                   # (1, m, T)
    net = layers.Sequential([PerStep(np.zeros(2))], batch_axis=1, label_axis=1)
    costs = training.train(net, SigmoidCrossEntropy(), X, Y,
                           training.TrainingOptions(num_epochs=20, optimizer=optim.Adam(0.1), mini_batch_size=16,
                                                    record_every=1))
    assert costs[-1] < 0.7 * costs[0] and net.layers[0].params["w"][0] > 0
    with pytest.raises(ValueError, match="label_axis"):
        training.train(layers.Sequential([PerStep(np.zeros(2))], batch_axis=1), SigmoidCrossEntropy(), X, Y,
                       training.TrainingOptions(num_epochs=1, optimizer=optim.Adam(0.1)))
