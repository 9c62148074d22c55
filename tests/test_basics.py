"""nnlib.basics: the course's published values, edge cases (zero rows, huge inputs), and bad inputs."""

import math
import warnings

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnlib import activations, basics
from nnlib.basics import L1, L2, basic_sigmoid, image2vector, normalize_rows, sigmoid, sigmoid_derivative, softmax
from nnlib.gradcheck import central_difference

# The course prints 8 decimals and checks with np.allclose: atol=1e-8.
COURSE_IMAGE = np.array([
    [[0.67826139, 0.29380381], [0.90714982, 0.52835647], [0.4215251, 0.45017551]],
    [[0.92814219, 0.96677647], [0.85304703, 0.52351845], [0.19981397, 0.27417313]],
    [[0.60659855, 0.00533165], [0.10820313, 0.49978937], [0.34144279, 0.94630077]],
])
YHAT = np.array([0.9, 0.2, 0.1, 0.4, 0.9])
Y = np.array([1, 0, 0, 1, 1])


# --- the course's published values ------------------------------------------------------------

def test_course_values():
    assert basic_sigmoid(1) == 0.7310585786300049
    np.testing.assert_allclose(sigmoid(np.array([1, 2, 3])), [0.73105858, 0.88079708, 0.95257413], rtol=0, atol=1e-8)
    np.testing.assert_allclose(sigmoid_derivative(np.array([1, 2, 3])), [0.19661193, 0.10499359, 0.04517666],
                               rtol=0, atol=1e-8)
    np.testing.assert_allclose(normalize_rows(np.array([[0, 3, 4], [1, 6, 4]])),
                               [[0, 0.6, 0.8], [0.13736056, 0.82416338, 0.54944226]], rtol=0, atol=1e-8)
    np.testing.assert_allclose(
        softmax(np.array([[9, 2, 5, 0, 0], [7, 5, 0, 0, 0]])),
        [[9.80897665e-01, 8.94462891e-04, 1.79657674e-02, 1.21052389e-04, 1.21052389e-04],
         [8.78679856e-01, 1.18916387e-01, 8.01252314e-04, 8.01252314e-04, 8.01252314e-04]],
        rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(L1(YHAT, Y), 1.1, rtol=0, atol=1e-8)
    np.testing.assert_allclose(L2(YHAT, Y), 0.43, rtol=0, atol=1e-8)
    v = image2vector(COURSE_IMAGE)
    assert v.shape == (18, 1)
    np.testing.assert_array_equal(v[:4, 0], [0.67826139, 0.29380381, 0.90714982, 0.52835647])
    np.testing.assert_array_equal(v[-1], [0.94630077])


def test_sigmoid_is_reexported_not_duplicated():
    assert basics.sigmoid is activations.sigmoid
    assert basics.sigmoid_derivative is activations.sigmoid_derivative


# --- basic_sigmoid ------------------------------------------------------------------------------

def test_basic_sigmoid_agrees_with_numpy_sigmoid_and_never_overflows():
    for x in (-1000, -745.5, -30, -1.5, 0, 0.25, 2, 40, 1000, float("inf"), float("-inf")):
        assert basic_sigmoid(x) == pytest.approx(float(sigmoid(float(x))), rel=1e-15, abs=1e-300)
    assert basic_sigmoid(0) == 0.5 and basic_sigmoid(-math.inf) == 0.0 and basic_sigmoid(math.inf) == 1.0
    assert type(basic_sigmoid(np.float32(1))) is float and type(basic_sigmoid(np.array(2.0))) is float
    assert basic_sigmoid(np.int64(1)) == basic_sigmoid(1.0)


@pytest.mark.parametrize("bad", [[1, 2, 3], (1.0,), np.array([1.0, 2.0]), np.array([1.0]), np.ones((2, 2))])
def test_basic_sigmoid_refuses_containers_and_points_to_sigmoid(bad):
    with pytest.raises(TypeError, match=r"one real number \(it uses math\.exp\).*use nnlib\.basics\.sigmoid"):
        basic_sigmoid(bad)


@pytest.mark.parametrize("bad, error, words", [
    ("1", TypeError, "one real number, got str"),
    (True, TypeError, "one real number, got bool"),
    (None, TypeError, "got NoneType"),
    (1 + 2j, TypeError, "got complex"),
    (float("nan"), ValueError, "NaN"),
])
def test_basic_sigmoid_bad_scalars(bad, error, words):
    with pytest.raises(error, match=words):
        basic_sigmoid(bad)


# --- image2vector -------------------------------------------------------------------------------

def test_image2vector_order_copy_and_dtype():
    image = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    v = image2vector(image)
    assert v.shape == (24, 1) and v.dtype == np.float32
    for i, j, k in np.ndindex(image.shape):
        assert v[(i * 3 + j) * 4 + k, 0] == image[i, j, k]
    v[0, 0] = -1.0                      # a copy: the image is untouched
    assert image[0, 0, 0] == 0.0
    assert image2vector(np.ones((2, 2, 2), dtype=np.uint8)).dtype == np.float64


@pytest.mark.parametrize("bad, error, words", [
    (np.ones((3, 3)), ValueError, r"image must be a 3-D array, got shape \(3, 3\)"),
    (np.ones((2, 2, 2, 2)), ValueError, "3-D"),
    (np.full((2, 2, 2), np.nan), ValueError, "finite"),
    (np.zeros((0, 2, 2)), ValueError, "empty"),
    (np.array([[["a"]]]), TypeError, "numeric"),
])
def test_image2vector_bad_input(bad, error, words):
    with pytest.raises(error, match=words):
        image2vector(bad)


# --- normalize_rows -----------------------------------------------------------------------------

def test_normalize_rows_zero_row_and_extreme_scales():
    x = np.array([[0.0, 0.0, 0.0], [3e200, 4e200, 0.0], [3e-200, 0.0, 4e-200], [-3.0, 0.0, 4.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        n = normalize_rows(x)
    np.testing.assert_array_equal(n[0], [0, 0, 0])
    np.testing.assert_allclose(n[1:], [[0.6, 0.8, 0], [0.6, 0, 0.8], [-0.6, 0, 0.8]], rtol=1e-15)
    assert x[1, 0] == 3e200             # not modified


@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 6)),
              elements=st.floats(-1e300, 1e300, allow_nan=False, allow_subnormal=False)))
def test_normalize_rows_gives_unit_rows_with_the_same_direction(x):
    n = normalize_rows(x)
    norms = np.linalg.norm(n, axis=1)
    nonzero = np.any(x != 0, axis=1)
    np.testing.assert_allclose(norms[nonzero], 1.0, rtol=1e-12)
    assert np.all(n[~nonzero] == 0)
    assert np.all(n * x >= 0)           # same signs (a tiny entry beside a huge one may round to 0)


def test_normalize_rows_keeps_float32():
    assert normalize_rows(np.ones((2, 3), dtype=np.float32)).dtype == np.float32


@pytest.mark.parametrize("bad, error, words", [
    (np.array([3.0, 4.0]), ValueError, r"x must be a 2-D array, got shape \(2,\)"),
    (np.array([[1.0, np.nan]]), ValueError, "finite"),
    (np.array([[1.0, np.inf]]), ValueError, "finite"),
    ([["1", "2"]], TypeError, "numeric"),
])
def test_normalize_rows_bad_input(bad, error, words):
    with pytest.raises(error, match=words):
        normalize_rows(bad)


# --- softmax ------------------------------------------------------------------------------------

def test_softmax_is_row_wise_shift_invariant_and_stable():
    x = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1000.0, -1000.0], [0.0, 0.0, 800.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = softmax(x)
    np.testing.assert_allclose(s.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(s[0], softmax(np.array([[0.0, 1.0, 2.0]]))[0], rtol=1e-15)
    np.testing.assert_allclose(s[1], 1 / 3, rtol=1e-15)
    assert s[2, 2] == 1.0
    assert softmax(np.ones((2, 3), dtype=np.float32)).dtype == np.float32


def test_softmax_matches_sympy_and_its_jacobian_matches_finite_differences():
    xs = sp.symbols("x1:4", real=True)
    sym = [sp.exp(xi) / sum(sp.exp(xj) for xj in xs) for xi in xs]
    point = np.array([0.3, -1.2, 2.0])
    expected = [float(si.subs(dict(zip(xs, point)))) for si in sym]
    np.testing.assert_allclose(softmax(point.reshape(1, 3))[0], expected, rtol=1e-14)
    s = softmax(point.reshape(1, 3))[0]
    jac = np.column_stack([central_difference(lambda t, j=j: softmax((point + t * np.eye(3)[j]).reshape(1, 3))[0], 0.0)
                           for j in range(3)])
    np.testing.assert_allclose(jac, np.diag(s) - np.outer(s, s), atol=1e-9)


@pytest.mark.parametrize("bad, error, words", [
    (np.array([1.0, 2.0, 3.0]), ValueError, r"x must be a 2-D array, got shape \(3,\)"),
    (np.array([[1.0, np.nan]]), ValueError, "finite"),
    (np.array([[1.0, -np.inf]]), ValueError, "finite"),
    (np.array([["a", "b"]]), TypeError, "numeric"),
    (np.zeros((2, 0)), ValueError, "empty"),
])
def test_softmax_bad_input(bad, error, words):
    with pytest.raises(error, match=words):
        softmax(bad)


# --- L1 and L2 ----------------------------------------------------------------------------------

def test_losses_dtype_and_zero():
    assert L1(YHAT.astype(np.float32), Y).dtype == np.float32
    assert L2(YHAT.astype(np.float32), Y).dtype == np.float32
    assert L1(Y, Y) == 0 and L2(Y, Y) == 0
    np.testing.assert_allclose(L2(YHAT.reshape(1, 5), Y.reshape(1, 5)), 0.43)


@pytest.mark.parametrize("loss", [L1, L2])
@pytest.mark.parametrize("yhat, y, error, words", [
    (YHAT, Y[:4], ValueError, r"same shape, got yhat \(5,\) and y \(4,\)"),
    (YHAT.reshape(1, 5), Y, ValueError, r"same shape, got yhat \(1, 5\) and y \(5,\)"),
    (YHAT.reshape(5, 1), Y.reshape(1, 5), ValueError, r"yhat \(5, 1\) and y \(1, 5\)"),
    (np.array([0.9, np.nan, 0.1, 0.4, 0.9]), Y, ValueError, "yhat must contain only finite"),
    (YHAT, ["1", "0", "0", "1", "1"], TypeError, "y must be a numeric array"),
])
def test_losses_bad_input(loss, yhat, y, error, words):
    with pytest.raises(error, match=words):
        loss(yhat, y)
