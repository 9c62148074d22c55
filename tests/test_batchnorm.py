"""nnlib.batchnorm: normalization, gradients against finite differences, running statistics."""

import numpy as np
import pytest

from nnlib import batchnorm as bn
from nnlib.gradcheck import numerical_gradient, relative_difference


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


def test_training_with_and_without_batchnorm():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 64))
    Y = (X[0:1] * X[1:2] > 0).astype(float)
    for use in (True, False):
        costs = bn.train_batchnorm_network(X, Y, [2, 8, 8, 1], learning_rate=0.1, num_iterations=50, use_batchnorm=use)
        assert len(costs) == 50 and costs[-1] < costs[0]
