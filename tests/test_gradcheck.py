"""nnlib.gradcheck and nnlib.symbolic: the checkers themselves must catch what they are meant to."""

import numpy as np
import pytest
import sympy as sp

from nnlib import symbolic
from nnlib.gradcheck import central_difference, gradient_difference, numerical_gradient, relative_difference


def quadratic(p):
    return float(np.sum(p["A"] ** 2) + 3 * p["c"])


def test_numerical_gradient_of_a_known_function():
    params = {"A": np.array([[1.0, -2.0], [0.5, 3.0]]), "c": 4.0}
    g = numerical_gradient(quadratic, params)
    np.testing.assert_allclose(g["A"], 2 * params["A"], rtol=1e-8)
    assert isinstance(g["c"], float) and abs(g["c"] - 3) < 1e-8
    assert np.array_equal(params["A"], [[1.0, -2.0], [0.5, 3.0]])      # not modified


def test_gradient_check_passes_right_and_catches_wrong_gradients():
    params = {"A": np.array([[1.0, -2.0], [0.5, 3.0]]), "c": 4.0}
    right = {"dA": 2 * params["A"], "dc": 3.0}
    wrong = {"dA": params["A"], "dc": 3.0}          # a missing factor 2
    assert gradient_difference(quadratic, right, params, grad_key=lambda k: "d" + k) < 1e-7
    assert gradient_difference(quadratic, wrong, params, grad_key=lambda k: "d" + k) > 1e-3
    with pytest.raises(ValueError, match="no entry 'dc'"):
        gradient_difference(quadratic, {"dA": right["dA"]}, params, grad_key=lambda k: "d" + k)


def test_relative_difference():
    assert relative_difference(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_difference(np.ones(3), -np.ones(3)) == 1.0
    np.testing.assert_allclose(relative_difference(np.array([3.0, 4.0]), np.array([3.0, 4.0 + 1e-9])), 1e-9 / 10)
    with pytest.raises(ValueError, match="same keys"):
        relative_difference({"a": 1.0}, {"b": 1.0})
    with pytest.raises(ValueError, match="shape"):
        relative_difference({"a": np.ones(2)}, {"a": np.ones(3)})


def test_central_difference_error_is_second_order():
    x = np.array([0.7])
    errors = [abs(central_difference(np.sin, x, h)[0] - np.cos(0.7)) for h in (1e-2, 1e-3)]
    assert 50 < errors[0] / errors[1] < 200          # 10× smaller step, ≈100× smaller error


def test_symbolic_assert_equal_catches_a_wrong_formula():
    z = symbolic.z
    sigma = symbolic.sigmoid(z)
    symbolic.assert_equal(sp.diff(sigma, z), sigma * (1 - sigma))
    with pytest.raises(AssertionError, match="differ"):
        symbolic.assert_equal(sp.diff(sigma, z), sigma * (1 + sigma), "σ'")


def test_symbolic_assert_matches_catches_a_wrong_function():
    z = symbolic.z
    xs = np.linspace(-3, 3, 7)
    symbolic.assert_matches(np.tanh, sp.tanh(z), z, xs)
    with pytest.raises(AssertionError):
        symbolic.assert_matches(np.sin, sp.tanh(z), z, xs)
    with pytest.raises(AssertionError):
        symbolic.assert_matches(lambda v: np.tanh(v) * (1 + 1e-10), sp.tanh(z), z, xs, rtol=1e-14, digits=30)
    with pytest.raises(ValueError, match="symbols"):
        symbolic.assert_matches(np.tanh, sp.tanh(z), z, xs, xs)
