"""nnlib.losses: finite at the extremes, equal to each other, and checked against 50-digit SymPy."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnlib import symbolic
from nnlib.activations import sigmoid
from nnlib.losses import binary_cross_entropy, binary_cross_entropy_with_logits


def test_logit_loss_matches_sympy_at_50_digits():
    Z = np.linspace(-40, 40, 81).reshape(1, -1)
    Y = (np.arange(81) % 2).reshape(1, -1)
    expr = symbolic.binary_cross_entropy(symbolic.sigmoid(symbolic.z), symbolic.y)
    symbolic.assert_matches(lambda zv, yv: binary_cross_entropy_with_logits(zv, yv, reduction="none"),
                            expr, (symbolic.z, symbolic.y), Z, Y, rtol=1e-14, digits=50)


def test_probability_loss_matches_sympy():
    A = np.linspace(0.01, 0.99, 99).reshape(1, -1)
    Y = (np.arange(99) % 2).reshape(1, -1)
    expr = symbolic.binary_cross_entropy(symbolic.a, symbolic.y)
    symbolic.assert_matches(lambda av, yv: binary_cross_entropy(av, yv, reduction="none"),
                            expr, (symbolic.a, symbolic.y), A, Y, rtol=1e-13)


@given(st.floats(-1000, 1000), st.sampled_from([0, 1]))
def test_costs_are_finite_for_large_logits_without_warnings(zv, yv):
    Z, Y = np.array([[zv]]), np.array([[yv]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from_logits = binary_cross_entropy_with_logits(Z, Y)
        from_probabilities = binary_cross_entropy(sigmoid(Z), Y)
    assert np.isfinite(from_logits) and np.isfinite(from_probabilities)
    assert from_logits >= 0
    # From probabilities, the loss inherits the rounding of a = σ(z): an absolute error of about
    # ε / min(a, 1 − a) (−log(1 − a) for a = σ(20) is only good to ~1e-8). Where a is not clipped,
    # the two forms agree to that bound; this is why propagate() uses the logit form.
    a = float(sigmoid(zv))
    smallest = min(a, 1 - a)
    if smallest > np.finfo(float).eps:
        np.testing.assert_allclose(from_probabilities, from_logits, rtol=0, atol=4 * np.finfo(float).eps / smallest)


def test_extreme_probabilities_give_finite_cost():
    cost = binary_cross_entropy(np.array([[0.0, 1.0]]), np.array([[1, 0]]))
    assert np.isfinite(cost)
    np.testing.assert_allclose(cost, -np.log(np.finfo(np.float64).eps), rtol=1e-12)
    assert binary_cross_entropy(np.array([[1.0, 0.0]]), np.array([[1, 0]])) < 1e-15


def test_mean_is_over_examples_and_one_d_labels_are_accepted():
    A = np.array([[0.2, 0.7, 0.9]])
    per_example = binary_cross_entropy(A, [[0, 1, 1]], reduction="none")
    assert per_example.shape == (1, 3)
    np.testing.assert_allclose(binary_cross_entropy(A, np.array([0, 1, 1])), per_example.mean())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept(dtype):
    Z = np.array([[-2.0, 0.5, 3.0]], dtype=dtype)
    assert binary_cross_entropy_with_logits(Z, [[0, 1, 1]]).dtype == dtype
    assert binary_cross_entropy(sigmoid(Z), [[0, 1, 1]]).dtype == dtype


@pytest.mark.parametrize(
    "P, Y, words",
    [
        (np.array([[0.5, 0.5]]), np.array([[1, 0, 1]]), r"shape \(1, 2\), got \(1, 3\)"),
        (np.array([[0.5, 0.5]]), np.array([[1], [0]]), r"shape \(1, 2\), got \(2, 1\)"),
        (np.array([[0.5, 0.5]]), np.array([[1, 2]]), "labels"),
        (np.array([[0.5, np.nan]]), np.array([[1, 0]]), "finite"),
        (np.array([0.5, 0.5]), np.array([1, 0]), "2-D"),
        (np.zeros((1, 0)), np.zeros((1, 0)), "empty"),
    ],
)
def test_bad_shapes_and_labels(P, Y, words):
    for loss in (binary_cross_entropy, binary_cross_entropy_with_logits):
        with pytest.raises(ValueError, match=words):
            loss(P, Y)


def test_probabilities_outside_unit_interval_and_bad_reduction():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        binary_cross_entropy(np.array([[1.5]]), np.array([[1]]))
    with pytest.raises(ValueError, match="reduction"):
        binary_cross_entropy_with_logits(np.array([[1.5]]), np.array([[1]]), reduction="sum")


def test_mean_squared_error_cost_gradient_and_checks():
    from nnlib.gradcheck import numerical_gradient, relative_difference
    from nnlib.losses import MeanSquaredError

    rng = np.random.default_rng(0)
    Yhat, Y, loss = rng.normal(size=(3, 7)), rng.normal(size=(3, 7)), MeanSquaredError()
    assert np.isclose(loss.cost(Yhat, Y), np.sum((Yhat - Y) ** 2) / 7)
    numeric = numerical_gradient(lambda q: loss.cost(q["Yhat"], Y), {"Yhat": Yhat})
    assert relative_difference(loss.gradient(Yhat, Y), numeric["Yhat"]) < 1e-9
    assert loss.cost(Y, Y) == 0 and np.all(loss.gradient(Y, Y) == 0)
    y32 = rng.normal(size=(1, 5)).astype(np.float32)
    assert loss.cost(y32, np.zeros(5)).dtype == np.float32 and loss.gradient(y32, np.zeros(5)).dtype == np.float32
    with pytest.raises(ValueError, match=r"Y must have shape \(3, 7\)"):
        loss.cost(Yhat, Y[:, :6])
    with pytest.raises(ValueError, match="finite"):
        loss.gradient(Yhat, np.full((3, 7), np.nan))
