"""nnlib.activations: against SymPy (the shared checks), plus edge cases the chapter does not show."""

import warnings

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnlib import symbolic
from nnlib.activations import (
    leaky_relu,
    leaky_relu_derivative,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    tanh,
    tanh_derivative,
)
from nnlib.gradcheck import central_difference

z = symbolic.z


def test_sigmoid_matches_sympy_at_50_digits():
    zs = np.linspace(-700, 700, 1401)
    symbolic.assert_matches(sigmoid, symbolic.sigmoid(z), z, zs, rtol=1e-15, atol=1e-300, digits=50)


def test_sigmoid_derivative_matches_sympy_and_finite_differences():
    zs = np.linspace(-30, 30, 601)
    symbolic.assert_matches(sigmoid_derivative, sp.diff(symbolic.sigmoid(z), z), z, zs, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(sigmoid_derivative(zs), central_difference(sigmoid, zs), rtol=1e-6, atol=1e-9)


@given(arrays(np.float64, st.integers(1, 50), elements=st.floats(allow_nan=False, allow_infinity=True)))
def test_sigmoid_never_warns_and_stays_in_unit_interval(values):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(values)
        ds = sigmoid_derivative(values)
    assert s.shape == values.shape
    assert np.all((s >= 0) & (s <= 1))
    assert np.all((ds >= 0) & (ds <= 0.25))
    # σ(−z) = 1 − σ(z) up to rounding
    np.testing.assert_allclose(sigmoid(-values), 1 - s, atol=1e-15)


def test_sigmoid_limits_and_course_values():
    assert sigmoid(np.inf) == 1.0 and sigmoid(-np.inf) == 0.0
    np.testing.assert_allclose(sigmoid(np.array([0, 2])), [0.5, 0.88079708], rtol=1e-8)
    assert sigmoid(0) == 0.5 and np.ndim(sigmoid(0)) == 0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept(dtype):
    x = np.linspace(-5, 5, 11, dtype=dtype).reshape(1, -1)
    assert sigmoid(x).dtype == dtype
    assert sigmoid_derivative(x).dtype == dtype


def test_integer_input_becomes_float64():
    assert sigmoid(np.array([1, 2, 3])).dtype == np.float64


@pytest.mark.parametrize(
    "bad, error, words",
    [
        (np.array([1.0, np.nan]), ValueError, "NaN"),
        (np.array([]), ValueError, "empty"),
        (np.array(["a", "b"]), TypeError, "numeric"),
        (np.array([1, None], dtype=object), TypeError, "numeric"),
    ],
)
@pytest.mark.parametrize("function", [sigmoid, sigmoid_derivative])
def test_bad_input_is_rejected(function, bad, error, words):
    original = bad.copy()
    with pytest.raises(error, match=words):
        function(bad)
    assert np.array_equal(bad, original) or bad.dtype == object or np.isnan(bad).any()


def test_tanh_relu_leaky_match_sympy_and_finite_differences():
    away_from_kink = np.concatenate([np.linspace(-20, -0.01, 200), np.linspace(0.01, 20, 200)])
    for function, derivative, expr, kw in [
        (tanh, tanh_derivative, symbolic.tanh(z), {}),
        (relu, relu_derivative, symbolic.relu(z), {}),
        (leaky_relu, leaky_relu_derivative, symbolic.leaky_relu(z), {}),
    ]:
        symbolic.assert_matches(function, expr, z, away_from_kink, rtol=1e-13, atol=1e-300, digits=30)
        symbolic.assert_matches(derivative, sp.diff(expr, z), z, away_from_kink, rtol=1e-10, atol=1e-15, digits=30)
        np.testing.assert_allclose(derivative(away_from_kink), central_difference(function, away_from_kink),
                                   rtol=1e-6, atol=1e-9)


def test_kinks_and_slopes():
    assert relu_derivative(0.0) == 0.0 and relu(-3.0) == 0.0 and relu(2.5) == 2.5
    assert leaky_relu(-2.0) == -0.02 and leaky_relu_derivative(-2.0) == 0.01 and leaky_relu_derivative(0.0) == 0.01
    assert leaky_relu(-2.0, slope=0.2) == pytest.approx(-0.4)
    np.testing.assert_allclose(tanh(np.array([-1000.0, 1000.0])), [-1.0, 1.0])
    for bad in (-0.1, 1.0, "x", None):
        with pytest.raises(ValueError, match="slope"):
            leaky_relu(np.ones(2), slope=bad)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("function", [tanh, tanh_derivative, relu, relu_derivative, leaky_relu, leaky_relu_derivative])
def test_new_activations_keep_dtype_and_reject_nan(function, dtype):
    assert function(np.linspace(-3, 3, 7, dtype=dtype)).dtype == dtype
    with pytest.raises(ValueError, match="NaN"):
        function(np.array([0.0, np.nan], dtype=dtype))
