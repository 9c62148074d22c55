"""nnlib.batchnorm: normalization, gradients against finite differences, running statistics, and batch norm
in a whole network (deep.L_layer_model(..., batchnorm=True))."""

import numpy as np
import pytest

from nnlib import batchnorm as bn
from nnlib import deep, layers
from nnlib.gradcheck import gradient_difference, numerical_gradient, relative_difference
from nnlib.losses import SigmoidCrossEntropy, SoftmaxCrossEntropy


def test_forward_normalizes_each_unit():
    rng = np.random.default_rng(0)
    Z = rng.normal(3.0, 5.0, size=(4, 50))
    Zt, (Z_hat, gamma, mu, var, eps) = bn.batchnorm_forward(Z, np.ones((4, 1)), np.zeros((4, 1)))
    np.testing.assert_allclose(Z_hat.mean(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(Z_hat.var(axis=1), var.ravel() / (var.ravel() + eps), rtol=1e-12)
    Zt2, _ = bn.batchnorm_forward(Z, 2 * np.ones((4, 1)), 7 * np.ones((4, 1)))
    np.testing.assert_allclose(Zt2, 2 * Zt + 7)
    with pytest.raises(ValueError, match="gamma"):
        bn.batchnorm_forward(Z, np.ones((3, 1)), np.zeros((4, 1)))


def test_backward_matches_finite_differences():
    rng = np.random.default_rng(1)
    Z, G = rng.normal(size=(3, 7)), rng.normal(size=(3, 7))
    params = {"Z": Z, "gamma": rng.normal(size=(3, 1)), "beta": rng.normal(size=(3, 1))}

    def f(p):     # a scalar whose gradient with respect to Z̃ is G
        return float(np.sum(G * bn.batchnorm_forward(p["Z"], p["gamma"], p["beta"])[0]))
    _, cache = bn.batchnorm_forward(Z, params["gamma"], params["beta"])
    dZ, dgamma, dbeta = bn.batchnorm_backward(G, cache)
    numeric = numerical_gradient(f, params)
    assert relative_difference({"Z": dZ, "gamma": dgamma, "beta": dbeta}, numeric) < 1e-8
    np.testing.assert_allclose(dZ.sum(axis=1), 0, atol=1e-12)     # shifting Z changes nothing


def test_running_stats_and_inference():
    rm, rv = np.zeros((2, 1)), np.ones((2, 1))
    mu, var = np.array([[1.0], [2.0]]), np.array([[4.0], [9.0]])
    for _ in range(200):
        rm, rv = bn.update_running_stats(rm, rv, mu, var, momentum=0.9)
    np.testing.assert_allclose(rm, mu, rtol=1e-8)
    np.testing.assert_allclose(rv, var, rtol=1e-8)
    Z = np.array([[1.0, 3.0], [2.0, 5.0]])
    out = bn.batchnorm_inference(Z, np.ones((2, 1)), np.zeros((2, 1)), mu, var, epsilon=1e-12)
    np.testing.assert_allclose(out, [[0.0, 1.0], [0.0, 1.0]], atol=1e-6)
    with pytest.raises(ValueError, match="momentum"):
        bn.update_running_stats(rm, rv, mu, var, momentum=1.0)


def test_inference_rejects_a_negative_variance():
    with pytest.raises(ValueError, match="running_var"):
        bn.batchnorm_inference(np.ones((2, 3)), np.ones((2, 1)), np.zeros((2, 1)), np.zeros((2, 1)), -np.ones((2, 1)))


def test_public_functions_are_their_kernels():
    rng = np.random.default_rng(4)
    Z, G, gamma, beta = rng.normal(size=(3, 6)), rng.normal(size=(3, 6)), rng.normal(size=(3, 1)), rng.normal(size=(3, 1))
    out, cache = bn.batchnorm_forward(Z, gamma, beta, 1e-3)
    out2, cache2 = bn._batchnorm_forward(Z, gamma, beta, 1e-3)
    np.testing.assert_array_equal(out, out2)
    for a, b in zip(bn.batchnorm_backward(G, cache), bn._batchnorm_backward(G, cache2)):
        np.testing.assert_array_equal(a, b)
    rm, rv = rng.normal(size=(3, 1)), rng.random((3, 1))
    np.testing.assert_array_equal(bn.batchnorm_inference(Z, gamma, beta, rm, rv),
                                  bn._batchnorm_inference(Z, gamma, beta, rm, rv, 1e-5))


# ----------------------------------------------------------------------------------------------
# Batch norm in a network: deep.L_layer_model(..., batchnorm=True).

MOONS = None


def _moons():
    global MOONS
    if MOONS is None:
        from sklearn.datasets import make_moons
        X, y = make_moons(n_samples=300, noise=0.2, random_state=3)
        MOONS = X.T, y.reshape(1, -1).astype(float)
    return MOONS


def _learned(parameters):
    return {k: v for k, v in parameters.items() if not k.startswith("running_")}


def _bn_init(dims, seed=2, dtype=np.float64):
    np.random.seed(seed)
    return deep.batchnorm_parameters(deep.initialize_parameters_deep(dims, scale="he", dtype=dtype))


def _training_pass(X, Y, params, output):
    """The training loop's forward pass (batch statistics, no dropout) and backward pass, via the public network."""
    net = deep.build_network(params)
    ZL = net.forward(X, training=True)
    loss = SigmoidCrossEntropy(per_example=True) if output == "sigmoid" else SoftmaxCrossEntropy(per_example=True)
    net.backward(loss.gradient(ZL, Y))
    return net, float(loss.cost(ZL, Y)), deep.network_gradients(net)


def _batch_statistics(X, params):
    net = deep.build_network(params)
    net.forward(X, training=True)
    return [layer.cache for layer in net.layers if isinstance(layer, layers.BatchNorm)]


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_whole_network_gradient_check(output):
    """dW, dγ, dβ (and db of the output layer) of the training cost, for all parameters at once."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(3, 9))
    y = (rng.random(9) < 0.5).astype(int)
    Y = y.reshape(1, -1).astype(float) if output == "sigmoid" else deep.one_hot(y, 2)
    dims = [3, 4, 5, Y.shape[0]]
    params = _bn_init(dims)
    params["gamma1"] = rng.normal(1.0, 0.3, size=(4, 1))         # away from the initial γ = 1, β = 0
    params["beta2"] = rng.normal(size=(5, 1))
    L = len(dims) - 1

    def J(p):         # the cost the training loop minimises, on one fixed batch, no dropout
        return _training_pass(X, Y, p, output)[1]

    net, _, grads = _training_pass(X, Y, params, output)
    assert len(net.layers) == 3 * L - 2          # L Dense, L − 1 BatchNorm, L − 1 ReLU
    assert min(np.abs(layer.Z).min() for layer in net.layers if isinstance(layer, layers.ReLU)) > 1e-3   # no kink
    assert sorted(grads) == sorted("d" + k for k in params) and "db1" not in grads
    assert gradient_difference(J, grads, params, epsilon=1e-6, grad_key=lambda k: "d" + k) < 1e-7
    # the check is sharp: dγ without the cost's 1/m fails it
    wrong = dict(grads, dgamma1=grads["dgamma1"] * X.shape[1])
    assert gradient_difference(J, wrong, params, epsilon=1e-6, grad_key=lambda k: "d" + k) > 1e-3


def test_batchnorm_parameters_and_initial_values():
    X, Y = _moons()
    dims = [2, 6, 4, 1]
    p, costs = deep.L_layer_model(X, Y, dims, 0.1, 0, scale="he", batchnorm=True)
    assert list(p) == ["W1", "gamma1", "beta1", "running_mean1", "running_var1",
                       "W2", "gamma2", "beta2", "running_mean2", "running_var2", "W3", "b3"] and costs == []
    for l, n in ((1, 6), (2, 4)):
        np.testing.assert_array_equal(p[f"gamma{l}"], np.ones((n, 1)))
        np.testing.assert_array_equal(p[f"running_var{l}"], np.ones((n, 1)))
        np.testing.assert_array_equal(p[f"beta{l}"], np.zeros((n, 1)))
        np.testing.assert_array_equal(p[f"running_mean{l}"], np.zeros((n, 1)))
    plain, _ = deep.L_layer_model(X, Y, dims, 0.1, 0, scale="he")
    for l in (1, 2, 3):                          # the same random draws as without batch norm
        np.testing.assert_array_equal(p[f"W{l}"], plain[f"W{l}"])
    # training moves γ and β (every optimizer updates them) and the running averages
    for optimizer in ("gd", "momentum", "rmsprop", "adam"):
        q, _ = deep.L_layer_model(X, Y, dims, 0.01, 3, scale="he", batchnorm=True, optimizer=optimizer)
        assert not np.allclose(q["gamma1"], 1) and not np.allclose(q["beta2"], 0), optimizer
        assert not np.allclose(q["running_mean1"], 0)


def test_running_averages_converge_to_the_training_set_statistics():
    X, Y = _moons()
    dims = [2, 8, 8, 1]
    # α so small that Z^[l] hardly changes: after 200 full-batch steps the averages are its statistics
    p, _ = deep.L_layer_model(X, Y, dims, 1e-9, 200, scale="he", batchnorm=True)
    stats = _batch_statistics(X, _learned(p))
    for l in (1, 2):
        _, _, mu, var, _ = stats[l - 1]
        np.testing.assert_allclose(p[f"running_mean{l}"], mu, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(p[f"running_var{l}"], var, rtol=1e-6)
    # while Z^[l] changes (real training), within a few per cent of the whole set's statistics — a bit
    # further on mini-batches of 64, whose statistics are noisy estimates of the whole set's
    for mini_batch_size, tolerance in ((None, 0.05), (64, 0.1)):
        p, _ = deep.L_layer_model(X, Y, [2, 16, 16, 16, 16, 1], 0.05, 200, scale="he", batchnorm=True,
                                  mini_batch_size=mini_batch_size)
        stats = _batch_statistics(X, _learned(p))
        for l in range(1, 5):
            _, _, mu, var, _ = stats[l - 1]
            assert np.all(np.abs(p[f"running_mean{l}"] - mu) < tolerance * np.sqrt(var))
            np.testing.assert_allclose(p[f"running_var{l}"], var, rtol=tolerance)


def test_inference_uses_the_running_averages_one_example_at_a_time(capsys):
    X, Y = _moons()
    p, _ = deep.L_layer_model(X, Y, [2, 8, 8, 1], 0.01, 30, scale="he", batchnorm=True, optimizer="adam",
                              mini_batch_size=64)
    AL, caches = deep.L_model_forward(X, p)
    assert caches[0][0][2] is None and len(caches) == 3
    alone = np.hstack([deep.L_model_forward(X[:, i:i + 1], p)[0] for i in range(0, 300, 7)])
    np.testing.assert_allclose(alone, AL[:, ::7], rtol=1e-12)
    # by hand with the public batchnorm_inference
    A = X
    for l in (1, 2):
        A = np.maximum(bn.batchnorm_inference(p[f"W{l}"] @ A, p[f"gamma{l}"], p[f"beta{l}"], p[f"running_mean{l}"],
                                              p[f"running_var{l}"]), 0)
    np.testing.assert_allclose(AL, 1 / (1 + np.exp(-(p["W3"] @ A + p["b3"]))), rtol=1e-12)
    # batch statistics on a batch of one: σ² = 0, Ẑ = 0, every example gets the same output
    one = [deep.build_network(_learned(p)).forward(X[:, i:i + 1], training=True) for i in (0, 1, 2)]
    assert one[0] == one[1] == one[2]
    pred = deep.predict(X, Y, p)
    np.testing.assert_array_equal(pred, (AL > 0.5).astype(float))
    assert "Accuracy" in capsys.readouterr().out


def test_predict_classes_and_softmax_with_adam_mini_batches_dropout_and_l2():
    X, Y = _moons()
    Y2 = deep.one_hot(Y[0].astype(int), 2)
    p, costs = deep.L_layer_model(X, Y2, [2, 8, 8, 2], 0.01, 41, scale="he", output="softmax", batchnorm=True,
                                  optimizer="adam", mini_batch_size=32, keep_prob=0.9, lambd=0.01, record_every=10)
    assert len(costs) == 5 and costs[-1] < 0.7 * costs[0]
    classes = deep.predict_classes(X, p)
    np.testing.assert_array_equal(classes, np.argmax(deep.L_model_forward(X, p, output="softmax")[0], axis=0)[None])
    assert np.mean(classes == Y) > 0.8


def test_float32_stays_float32():
    X, Y = _moons()
    p, costs = deep.L_layer_model(X.astype(np.float32), Y, [2, 6, 4, 1], 0.01, 21, batchnorm=True, optimizer="momentum",
                                  mini_batch_size=64, record_every=10)
    assert all(v.dtype == np.float32 for v in p.values()), {k: v.dtype for k, v in p.items()}
    assert all(np.asarray(c).dtype == np.float32 for c in costs)
    assert deep.L_model_forward(X.astype(np.float32), p)[0].dtype == np.float32


def test_lambd_penalizes_the_weights_only():
    X, Y = _moons()
    dims = [2, 6, 4, 1]
    params = _bn_init(dims)
    _, _, grads = _training_pass(X, Y, params, "sigmoid")
    from nnlib.regularization import l2_gradients
    with_l2 = l2_gradients(grads, params, 0.5, X.shape[1])
    for k in grads:
        if k.startswith("dW"):
            np.testing.assert_allclose(with_l2[k], grads[k] + 0.5 / X.shape[1] * params[k[1:]])
        else:
            np.testing.assert_array_equal(with_l2[k], grads[k])


def test_batch_norm_dicts_are_checked():
    X, Y = _moons()
    p, _ = deep.L_layer_model(X, Y, [2, 6, 4, 1], 0.1, 1, batchnorm=True)
    for key in p:
        with pytest.raises(ValueError, match=key):
            deep.L_model_forward(X, {k: v for k, v in p.items() if k != key})
    with pytest.raises(ValueError, match="running_var2"):
        deep.predict_classes(X, dict(p, W3=np.ones((2, 4)), b3=np.zeros((2, 1)), running_var2=-np.ones((4, 1))))
    with pytest.raises(ValueError, match="unexpected keys"):
        deep.L_model_forward(X, dict(p, b1=np.zeros((6, 1))))
    with pytest.raises(ValueError, match="gamma1"):
        deep.L_model_forward(X, dict(p, gamma1=np.ones((5, 1))))
    with pytest.raises(ValueError, match="missing"):     # the course's functions keep W/b dicts only
        deep.update_parameters(p, {"d" + k: v for k, v in p.items()}, 0.1)
