"""L_layer_model's options: L2 (lambd), inverted dropout (keep_prob), optimizers, mini-batches, record_every
(batch norm, batchnorm=True, is tested in test_batchnorm.py)."""

import numpy as np
import pytest

from nnlib import _kernels, deep, layers, optim, optimizers, training
from nnlib.losses import SigmoidCrossEntropy
from nnlib.gradcheck import numerical_gradient, relative_difference
from nnlib.regularization import compute_cost_with_regularization, l2_gradients, l2_regularization_cost

DIMS = [2, 5, 3, 1]


def _data(m=200, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(2, m))
    Y = (X[0:1] + X[1:2] > 0).astype(float)
    return X.astype(dtype), Y


def _init(dims=DIMS, dtype=np.float64):
    np.random.seed(1)
    return deep.initialize_parameters_deep(dims, scale="xavier", dtype=dtype)


def _same(p, q):
    assert p.keys() == q.keys()
    for k in p:
        assert p[k].dtype == q[k].dtype
        np.testing.assert_array_equal(p[k], q[k])


DEFAULTS = dict(lambd=0.0, keep_prob=1.0, optimizer="gd", beta=0.9, beta1=0.9, beta2=0.999, epsilon=1e-8,
                mini_batch_size=None)
MORE_DEFAULTS = dict(batchnorm=False, bn_momentum=0.9, record_every=100)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_defaults_are_the_lean_loop_bit_for_bit(dtype, monkeypatch):
    X, Y = _data(dtype=dtype)
    seen = []
    train = training.train

    def spy(network, loss, X_, Y_, options):
        seen.append(options)
        return train(network, loss, X_, Y_, options)

    monkeypatch.setattr(training, "train", spy)
    p0, c0 = deep.L_layer_model(X, Y, DIMS, 0.1, 250)
    p2, c2 = deep.L_layer_model(X, Y, DIMS, 0.1, 250, **DEFAULTS, **MORE_DEFAULTS)
    # gd's hyperparameters that gd does not use, and bn_momentum without batch norm, still keep the lean loop
    p3, c3 = deep.L_layer_model(X, Y, DIMS, 0.1, 250, beta=0.5, beta1=0.5, beta2=0.5, epsilon=1e-3, bn_momentum=0.5)
    assert [o.epoch_average for o in seen] == [False] * 3      # the course's costs, recorded as computed
    assert all(type(o.optimizer) is optim.GradientDescent and o.mini_batch_size is None and o.lambd == 0 for o in seen)
    for p, c in ((p2, c2), (p3, c3)):
        _same(p0, p)
        assert len(c) == len(c0) == 3
        np.testing.assert_array_equal(np.array(c), np.array(c0))


def test_record_every_records_and_prints_that_often(capsys):
    X, Y = _data()
    _, c100 = deep.L_layer_model(X, Y, DIMS, 0.1, 201)
    p1, c1 = deep.L_layer_model(X, Y, DIMS, 0.1, 201, record_every=1, print_cost=True)
    assert len(c1) == 201
    np.testing.assert_allclose(np.array(c1[::100], dtype=float), np.array(c100, dtype=float), rtol=1e-12)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 201 and lines[7].startswith("Cost after iteration 7: ")
    _, c50 = deep.L_layer_model(X, Y, DIMS, 0.1, 201, record_every=50, optimizer="momentum")
    assert len(c50) == 5


def test_one_shuffled_mini_batch_of_everything_is_the_lean_loop():
    X, Y = _data()
    p0, c0 = deep.L_layer_model(X, Y, DIMS, 0.1, 201)
    p1, c1 = deep.L_layer_model(X, Y, DIMS, 0.1, 201, mini_batch_size=X.shape[1])
    for k in p0:
        np.testing.assert_allclose(p1[k], p0[k], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(np.array(c1, dtype=float), np.array(c0, dtype=float), rtol=1e-12)


def test_lambd_cost_is_compute_cost_with_regularization_and_shrinks_weights():
    X, Y = _data()
    lambd = 0.7
    # the first recorded cost: the regularized cost of the initial parameters
    params = _init()
    AL, _ = deep.L_model_forward(X, params)
    expected0 = compute_cost_with_regularization(AL, Y, params, lambd)
    # the second: of the parameters after 100 steps (a 100-iteration run gives them)
    p100, _ = deep.L_layer_model(X, Y, DIMS, 0.1, 100, lambd=lambd)
    AL100, _ = deep.L_model_forward(X, p100)
    expected1 = compute_cost_with_regularization(AL100, Y, p100, lambd)
    p, costs = deep.L_layer_model(X, Y, DIMS, 0.1, 101, lambd=lambd)
    np.testing.assert_allclose([float(c) for c in costs], [expected0, expected1], rtol=1e-10)
    assert expected1 > float(deep.compute_cost(AL100, Y))          # the L2 term is in the cost

    p_plain, _ = deep.L_layer_model(X, Y, DIMS, 0.1, 1000)
    p_l2, _ = deep.L_layer_model(X, Y, DIMS, 0.1, 1000, lambd=lambd)
    norm = lambda q: sum(float(np.sum(q[f"W{l}"] ** 2)) for l in range(1, len(DIMS)))
    assert norm(p_l2) < norm(p_plain)


def test_l2_gradient_passes_gradient_check():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(3, 7))
    Y = (rng.random((1, 7)) < 0.5).astype(float)
    np.random.seed(2)
    params = deep.initialize_parameters_deep([3, 4, 3, 1], scale="he")
    lambd, m, L = 0.9, X.shape[1], 3

    net = deep.build_network(params)
    net.backward(SigmoidCrossEntropy(per_example=True).gradient(net.forward(X, training=True), Y))
    plain = deep.network_gradients(net)
    grads = l2_gradients(plain, params, lambd, m)

    def J(p):
        A, _ = deep.L_model_forward(X, p)
        return compute_cost_with_regularization(A, Y, p, lambd)

    numeric = numerical_gradient(J, params, epsilon=1e-6)
    for k in params:
        assert relative_difference(grads["d" + k], numeric[k]) < 1e-7, k
    # and the L2 term is really there: without it the check fails for the weights
    assert relative_difference(plain["dW1"], numeric["W1"]) > 1e-3


def test_dropout_is_reproducible_and_changes_training():
    X, Y = _data()
    a, ca = deep.L_layer_model(X, Y, DIMS, 0.1, 300, keep_prob=0.7, seed=5)
    b, cb = deep.L_layer_model(X, Y, DIMS, 0.1, 300, keep_prob=0.7, seed=5)
    _same(a, b)
    np.testing.assert_array_equal(np.array(ca), np.array(cb))
    c, _ = deep.L_layer_model(X, Y, DIMS, 0.1, 300, keep_prob=0.7, seed=6)
    plain, _ = deep.L_layer_model(X, Y, DIMS, 0.1, 300, seed=5)
    assert not np.allclose(a["W1"], plain["W1"])
    assert not np.allclose(a["W2"], c["W2"])


def test_dropout_only_on_hidden_layers_and_not_in_predict(capsys):
    X, Y = _data()
    params = _init()
    np.random.seed(0)
    net = deep.build_network(params, keep_prob=0.5, rng=np.random.default_rng(0))
    net.forward(X, training=True)
    masks = [layer.D for layer in net.layers if isinstance(layer, layers.Dropout)]
    assert len(masks) == 2 and [D.shape for D in masks] == [(5, 200), (3, 200)]
    # layer 2 was fed the dropped-out A^[1]: some of its inputs are zeroed where A^[1] was not
    A1 = np.maximum(net.layers[1].Z, 0)
    np.testing.assert_allclose(net.layers[3].A_prev, A1 * masks[0] / 0.5)
    p, _ = deep.L_layer_model(X, Y, DIMS, 0.1, 50, keep_prob=0.5)
    pred1 = deep.predict(X, Y, p)
    pred2 = deep.predict(X, Y, p)
    np.testing.assert_array_equal(pred1, pred2)          # deterministic: no dropout at predict time
    capsys.readouterr()


@pytest.mark.parametrize("optimizer, lr", [("gd", 0.1), ("momentum", 0.1), ("rmsprop", 0.01), ("adam", 0.01)])
def test_every_optimizer_decreases_the_cost(optimizer, lr):
    X, Y = _data()
    _, costs = deep.L_layer_model(X, Y, DIMS, lr, 301, optimizer=optimizer, mini_batch_size=64)
    assert costs[-1] < 0.5 * costs[0]
    _, costs = deep.L_layer_model(X, Y, DIMS, lr, 301, optimizer=optimizer, lambd=0.01)
    assert costs[-1] < 0.5 * costs[0]


def test_adam_is_the_optimizers_module_step():
    X, Y = _data()
    p, _ = deep.L_layer_model(X, Y, DIMS, 0.01, 2, optimizer="adam", beta1=0.8, beta2=0.99, epsilon=1e-7)
    q = _init()
    v, s = optimizers.initialize_adam(q)
    for t in (1, 2):
        AL, caches = deep.L_model_forward(X, q)
        grads = deep.L_model_backward(AL, Y, caches)
        q, v, s, _, _ = optimizers.update_parameters_with_adam(q, grads, v, s, t, 0.01, 0.8, 0.99, 1e-7)
    for k in q:
        np.testing.assert_allclose(p[k], q[k], rtol=1e-9, atol=1e-12)


def test_mini_batches_are_the_courses_partition(monkeypatch):
    X, Y = _data(m=200)
    calls = []
    kernel, original = _kernels.random_mini_batches, optimizers.random_mini_batches

    def spy(X_, Y_, size, seed, *axes):       # the loop calls the unvalidated kernel of random_mini_batches
        batches = kernel(X_, Y_, size, seed, *axes)
        calls.append((size, seed, [b[0].shape[1] for b in batches]))
        return batches

    monkeypatch.setattr(_kernels, "random_mini_batches", spy)
    p, costs = deep.L_layer_model(X, Y, DIMS, 0.1, 3, mini_batch_size=64)
    assert calls == [(64, 11, [64, 64, 64, 8]), (64, 12, [64, 64, 64, 8]), (64, 13, [64, 64, 64, 8])]
    monkeypatch.setattr(_kernels, "random_mini_batches", kernel)
    # the same steps by hand with the public functions
    q = _init()
    for epoch in range(3):
        for mb_X, mb_Y in original(X, Y, 64, 10 + epoch + 1):
            AL, caches = deep.L_model_forward(mb_X, q)
            q = deep.update_parameters(q, deep.L_model_backward(AL, mb_Y, caches), 0.1)
    for k in q:
        np.testing.assert_allclose(p[k], q[k], rtol=1e-10, atol=1e-13)
    # recorded cost: mean over the epoch's examples of each batch's cost before its step
    q, total = _init(), 0.0
    for mb_X, mb_Y in original(X, Y, 64, 11):
        AL, caches = deep.L_model_forward(mb_X, q)
        total += float(deep.compute_cost(AL, mb_Y)) * mb_X.shape[1]
        q = deep.update_parameters(q, deep.L_model_backward(AL, mb_Y, caches), 0.1)
    np.testing.assert_allclose(float(costs[0]), total / 200, rtol=1e-10)


def test_options_keep_float32_and_softmax_works():
    X, Y = _data(dtype=np.float32)
    p, costs = deep.L_layer_model(X, Y, DIMS, 0.01, 101, optimizer="adam", lambd=0.1, keep_prob=0.9,
                                  mini_batch_size=32)
    assert all(v.dtype == np.float32 for v in p.values())
    assert all(np.asarray(c).dtype == np.float32 for c in costs)
    Y2 = deep.one_hot(Y[0].astype(int), 2)
    p, costs = deep.L_layer_model(X.astype(float), Y2, [2, 5, 2], 0.01, 201, output="softmax", optimizer="adam",
                                  lambd=0.01)
    assert costs[-1] < costs[0]


def test_options_print_the_course_line(capsys):
    X, Y = _data()
    deep.L_layer_model(X, Y, DIMS, 0.1, 101, print_cost=True, optimizer="momentum")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("Cost after iteration 0: ")


@pytest.mark.parametrize("name, value, words", [
    ("lambd", -0.1, "≥ 0"), ("lambd", float("nan"), "≥ 0"), ("lambd", "0.1", "≥ 0"),
    ("keep_prob", 0.0, "(0, 1]"), ("keep_prob", 1.5, "(0, 1]"), ("keep_prob", True, "(0, 1]"),
    ("optimizer", "sgd", "'gd', 'momentum', 'rmsprop', 'adam'"), ("optimizer", None, "'adam'"),
    ("beta", 1.0, "[0, 1)"), ("beta1", -0.1, "[0, 1)"), ("beta2", 1.2, "[0, 1)"),
    ("epsilon", 0.0, "> 0"), ("epsilon", -1e-8, "> 0"),
    ("mini_batch_size", 0, "positive integer"), ("mini_batch_size", 2.5, "positive integer"),
    ("mini_batch_size", True, "positive integer"),
    ("batchnorm", 1, "True or False"), ("batchnorm", "yes", "True or False"), ("batchnorm", None, "True or False"),
    ("bn_momentum", 1.0, "[0, 1)"), ("bn_momentum", -0.5, "[0, 1)"), ("bn_momentum", float("nan"), "[0, 1)"),
    ("record_every", 0, "positive integer"), ("record_every", 10.0, "positive integer"),
])
def test_bad_options_raise_value_error(name, value, words):
    X, Y = _data(m=20)
    with pytest.raises(ValueError, match=name) as info:
        deep.L_layer_model(X, Y, DIMS, 0.1, 1, **{name: value})
    assert words in str(info.value)


def test_l2_cost_helper_matches_the_penalty():
    params = _init()
    expected = 0.5 / (2 * 10) * sum(float(np.sum(params[f"W{l}"] ** 2)) for l in (1, 2, 3))
    assert l2_regularization_cost(params, 0.5, 10) == pytest.approx(expected, rel=1e-12)
