"""nnlib.optimizers: the course's published outputs (Course 2, week 2), state handling, validation."""

import numpy as np
import pytest

from nnlib import optimizers as opt
from nnlib.losses import SigmoidCrossEntropy

_SHAPES = (("W1", (2, 3)), ("b1", (2, 1)), ("W2", (3, 3)), ("b2", (3, 1)))


def _course_case(seed=1):
    np.random.seed(seed)
    parameters = {k: np.random.randn(*s) for k, s in _SHAPES}
    grads = {"d" + k: np.random.randn(*s) for k, s in _SHAPES}
    return parameters, grads


def test_update_parameters_with_gd_formula_and_no_mutation():
    parameters, grads = _course_case(2)
    before = {k: v.copy() for k, v in parameters.items()}
    new = opt.update_parameters_with_gd(parameters, grads, 0.01)
    for k in parameters:
        np.testing.assert_allclose(new[k], before[k] - 0.01 * grads["d" + k])
        assert np.array_equal(parameters[k], before[k])
    with pytest.raises(ValueError, match="dW1"):
        opt.update_parameters_with_gd(parameters, {"db1": grads["db1"]}, 0.01)


def test_random_mini_batches_course_case():
    np.random.seed(1)
    X = np.random.randn(12288, 148)
    Y = np.random.randn(1, 148) < 0.5
    batches = opt.random_mini_batches(X, Y, 64)
    assert [b[0].shape for b in batches] == [(12288, 64), (12288, 64), (12288, 20)]
    assert [b[1].shape for b in batches] == [(1, 64), (1, 64), (1, 20)]
    np.testing.assert_allclose(batches[0][0][0][0:3], [0.90085595, -0.7612069, 0.2344157], rtol=0, atol=1e-8)
    # Together the batches are a permutation of the columns, kept paired with their labels.
    Xs = np.concatenate([b[0] for b in batches], axis=1)
    Ys = np.concatenate([b[1] for b in batches], axis=1)
    order = np.argsort(Xs[0])
    assert np.array_equal(Xs[:, order], X[:, np.argsort(X[0])])
    assert np.array_equal(Ys[:, order], Y[:, np.argsort(X[0])])
    assert len(opt.random_mini_batches(X[:, :128], Y[:, :128], 64)) == 2


def test_momentum_course_case():
    parameters, grads = _course_case(1)
    v = opt.initialize_velocity(parameters)
    assert set(v) == {"dW1", "db1", "dW2", "db2"} and not any(x.any() for x in v.values())
    new, v = opt.update_parameters_with_momentum(parameters, grads, v, beta=0.9, learning_rate=0.01)
    np.testing.assert_allclose(new["W1"], [[1.62544598, -0.61290114, -0.52907334], [-1.07347112, 0.86450677, -2.30085497]],
                               rtol=0, atol=1e-8)
    np.testing.assert_allclose(new["b1"], [[1.74493465], [-0.76027113]], rtol=0, atol=1e-8)
    np.testing.assert_allclose(new["W2"], [[0.31930698, -0.24990073, 1.4627996], [-2.05974396, -0.32173003, -0.38320915],
                                           [1.13444069, -1.0998786, -0.1713109]], rtol=0, atol=1e-8)
    np.testing.assert_allclose(new["b2"], [[-0.87809283], [0.04055394], [0.58207317]], rtol=0, atol=1e-8)
    np.testing.assert_allclose(v["dW1"], [[-0.11006192, 0.11447237, 0.09015907], [0.05024943, 0.09008559, -0.06837279]],
                               rtol=0, atol=1e-8)
    np.testing.assert_allclose(v["db1"], [[-0.01228902], [-0.09357694]], rtol=0, atol=1e-8)
    np.testing.assert_allclose(v["db2"], [[0.02344157], [0.16598022], [0.07420442]], rtol=0, atol=1e-8)


def test_adam_course_case():
    parameters, grads = _course_case(1)
    v, s = opt.initialize_adam(parameters)
    new, v, s, v_corrected, s_corrected = opt.update_parameters_with_adam(parameters, grads, v, s, t=2)
    np.testing.assert_allclose(new["W1"], [[1.63178673, -0.61919778, -0.53561312], [-1.08040999, 0.85796626, -2.29409733]],
                               rtol=0, atol=1e-8)
    np.testing.assert_allclose(new["b1"], [[1.75225313], [-0.75376553]], rtol=0, atol=1e-8)
    np.testing.assert_allclose(v["dW1"], [[-0.11006192, 0.11447237, 0.09015907], [0.05024943, 0.09008559, -0.06837279]],
                               rtol=0, atol=1e-8)
    for d in v:
        np.testing.assert_allclose(v_corrected[d], v[d] / (1 - 0.9 ** 2))
        np.testing.assert_allclose(s_corrected[d], s[d] / (1 - 0.999 ** 2))
    with pytest.raises(ValueError, match="t"):
        opt.update_parameters_with_adam(parameters, grads, v, s, t=0)


def test_rmsprop_step_size_is_about_the_learning_rate():
    parameters, grads = _course_case(1)
    s = opt.initialize_rmsprop(parameters)
    new, s = opt.update_parameters_with_rmsprop(parameters, grads, s, beta2=0.0, learning_rate=0.01)
    for k in parameters:     # with β₂ = 0 every coordinate moves by α·sign(dθ)
        np.testing.assert_allclose(new[k], parameters[k] - 0.01 * np.sign(grads["d" + k]), rtol=1e-6)


def test_learning_rate_decay_course_cases():
    assert opt.update_lr(0.5, 2, 1) == pytest.approx(0.16666666666666666, abs=1e-12)
    assert opt.schedule_lr_decay(0.5, 10, 0.3, 100) == 0.5
    assert opt.schedule_lr_decay(0.5, 100, 0.3, 100) == pytest.approx(0.3846153846153846, abs=1e-12)
    assert opt.schedule_lr_decay(0.5, 999, 1) == 0.5 and opt.schedule_lr_decay(0.5, 1000, 1) == 0.25
    with pytest.raises(ValueError):
        opt.update_lr(0.5, 2, -1)


def test_model_runs_with_every_optimizer():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 100))
    Y = (X[0:1] + X[1:2] > 0).astype(float)
    for name in ("gd", "momentum", "rmsprop", "adam"):
        params, costs = opt.model(X, Y, [2, 5, 1], optimizer=name, learning_rate=0.01, mini_batch_size=32, num_epochs=20)
        assert len(costs) == 20 and costs[-1] < costs[0], name
    with pytest.raises(ValueError, match="optimizer"):
        opt.model(X, Y, [2, 5, 1], optimizer="sgd")


def _moons_like(m=100, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(2, m))
    return X, (X[0:1] * X[1:2] > 0).astype(float)


def _course_model_by_hand(X, Y, layers_dims, optimizer, learning_rate, mini_batch_size, beta, beta1, beta2, epsilon,
                          num_epochs, decay, decay_rate, seed):
    """The course's optimization loop written with the validating public functions, step by step."""
    from nnlib import deep
    from nnlib.losses import binary_cross_entropy_with_logits

    np.random.seed(seed)
    parameters = deep.initialize_parameters_deep(layers_dims, scale="he")
    v, s = opt.initialize_adam(parameters)
    t, costs, lr = 0, [], learning_rate
    for epoch in range(num_epochs):
        total = 0.0
        for mb_X, mb_Y in opt.random_mini_batches(X, Y, mini_batch_size, 10 + epoch + 1):
            AL, caches = deep.L_model_forward(mb_X, parameters)
            total += float(binary_cross_entropy_with_logits(caches[-1][1], mb_Y)) * mb_X.shape[1]
            grads = deep.L_model_backward(AL, mb_Y, caches)
            t += 1
            if optimizer == "gd":
                parameters = opt.update_parameters_with_gd(parameters, grads, lr)
            elif optimizer == "momentum":
                parameters, v = opt.update_parameters_with_momentum(parameters, grads, v, beta, lr)
            elif optimizer == "rmsprop":
                parameters, s = opt.update_parameters_with_rmsprop(parameters, grads, s, beta2, lr, epsilon)
            else:
                parameters, v, s, _, _ = opt.update_parameters_with_adam(parameters, grads, v, s, t, lr, beta1, beta2,
                                                                         epsilon)
        costs.append(total / X.shape[1])
        if decay is not None:
            lr = decay(learning_rate, epoch + 1, decay_rate)
    return parameters, costs


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "rmsprop", "adam"])
@pytest.mark.parametrize("decay", [None, opt.update_lr, opt.schedule_lr_decay])
def test_model_is_the_public_functions_bit_for_bit(optimizer, decay):
    """model validates once and runs on kernels; its numbers are those of the public functions, exactly."""
    X, Y = _moons_like(m=70)
    kwargs = dict(optimizer=optimizer, learning_rate=0.01, mini_batch_size=16, beta=0.8, beta1=0.85, beta2=0.99,
                  epsilon=1e-7, num_epochs=6, decay=decay, decay_rate=0.5, seed=3)
    p, costs = opt.model(X, Y, [2, 4, 3, 1], **kwargs)
    q, expected = _course_model_by_hand(X, Y, [2, 4, 3, 1], **kwargs)
    assert list(p) == list(q)
    for k in p:
        np.testing.assert_array_equal(p[k], q[k])
    assert costs == expected and all(type(c) is float for c in costs)


def test_models_backward_pass_is_L_model_backward_bit_for_bit():
    from nnlib import deep

    rng = np.random.default_rng(5)
    X = rng.normal(size=(3, 20)) * 10          # some AL round to 0 or 1, where the clipping matters
    Y = (rng.random((1, 20)) < 0.5).astype(float)
    np.random.seed(0)
    params = deep.initialize_parameters_deep([3, 4, 1], scale=3.0)
    AL, caches = deep.L_model_forward(X, params)
    assert np.any((AL == 0) | (AL == 1))
    expected = deep.L_model_backward(AL, Y, caches)
    net = deep.build_network(params)             # what opt.model trains, with the course's chain rule
    ZL = net.forward(X, training=True)
    np.testing.assert_array_equal(ZL, caches[-1][1])
    net.backward(SigmoidCrossEntropy(per_example=True, course_chain=True).gradient(ZL, Y))
    got = deep.network_gradients(net)
    assert set(got) == {k for k in expected if k[:2] in ("dW", "db")}
    for k in got:
        np.testing.assert_array_equal(got[k], expected[k])


def test_model_does_not_validate_inside_its_loop(monkeypatch):
    from nnlib import deep

    X, Y = _moons_like()
    expected = opt.model(X, Y, [2, 3, 1], optimizer="adam", num_epochs=3)

    def forbidden(*args, **kwargs):
        raise AssertionError("a validating public function was called inside the loop")

    for module, name in ((deep, "L_model_forward"), (deep, "L_model_backward"), (opt, "random_mini_batches"),
                         (opt, "update_parameters_with_adam"), (opt, "update_parameters_with_gd")):
        monkeypatch.setattr(module, name, forbidden)
    got = opt.model(X, Y, [2, 3, 1], optimizer="adam", num_epochs=3)
    assert got[1] == expected[1]


@pytest.mark.parametrize("kwargs, words", [
    (dict(layers_dims=[3, 5, 1]), ["layers_dims[0] = 3", "X.shape[0] = 2"]),
    (dict(layers_dims=[2, 5, 2]), ["layers_dims[-1]", "got 2"]),
    (dict(layers_dims=[2]), ["layers_dims"]),
    (dict(beta=1.0), ["beta", "[0, 1)"]), (dict(beta1=-0.1), ["beta1", "[0, 1)"]), (dict(beta2=1.5), ["beta2", "[0, 1)"]),
    (dict(epsilon=0.0), ["epsilon", "> 0"]), (dict(epsilon=float("nan")), ["epsilon"]),
    (dict(mini_batch_size=0), ["mini_batch_size", "positive integer"]),
    (dict(mini_batch_size=None), ["mini_batch_size", "positive integer"]),
    (dict(mini_batch_size=8.0), ["mini_batch_size", "positive integer"]),
    (dict(decay="update_lr"), ["decay", "function"]), (dict(decay=0.5), ["decay", "function"]),
    (dict(decay_rate=-1.0), ["decay_rate", "≥ 0"]), (dict(decay_rate=float("inf")), ["decay_rate", "finite"]),
    (dict(optimizer="sgd"), ["optimizer", "'adam'"]),
])
def test_model_validates_everything_up_front(kwargs, words, monkeypatch):
    X, Y = _moons_like(m=20)
    monkeypatch.setattr(opt, "_random_mini_batches", lambda *a: pytest.fail("the loop started"))
    args = dict(layers_dims=[2, 5, 1]) | kwargs
    with pytest.raises(ValueError) as info:
        opt.model(X, Y, num_epochs=2, **args)
    assert all(w in str(info.value) for w in words), str(info.value)
