"""nnlib.conv: the course's published expected outputs, an independent oracle (scipy), the loop
reference against the vectorized functions, gradient checks, dtypes and input validation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import signal

from nnlib import conv
from nnlib.gradcheck import numerical_gradient, relative_difference

# ----------------------------------------------------------------------------------------------
# The course's "Convolution model – Step by Step": the published expected outputs


def test_zero_pad_course_case():
    np.random.seed(1)
    x = np.random.randn(4, 3, 3, 2)
    x_pad = conv.zero_pad(x, 3)
    assert x_pad.shape == (4, 9, 9, 2)
    np.testing.assert_allclose(x[1, 1], [[0.90085595, -0.68372786], [-0.12289023, -0.93576943],
                                         [-0.26788808, 0.53035547]], atol=1e-8)
    assert not x_pad[1, 1].any()
    np.testing.assert_array_equal(x_pad[:, 3:6, 3:6, :], x)


def test_conv_single_step_course_case():
    np.random.seed(1)
    a_slice_prev = np.random.randn(4, 4, 3)
    W = np.random.randn(4, 4, 3)
    b = np.random.randn(1, 1, 1)
    assert conv.conv_single_step(a_slice_prev, W, b) == pytest.approx(-6.99908945068, abs=1e-10)


@pytest.mark.parametrize("forward", [conv.conv_forward, conv.conv_forward_loops])
def test_conv_forward_course_case(forward):
    np.random.seed(1)
    A_prev = np.random.randn(2, 5, 7, 4)
    W = np.random.randn(3, 3, 4, 8)
    b = np.random.randn(1, 1, 1, 8)
    hparameters = {"pad": 1, "stride": 2}
    Z, cache_conv = forward(A_prev, W, b, hparameters)
    assert Z.shape == (2, 3, 4, 8)
    assert np.mean(Z) == pytest.approx(0.5511276474566768, rel=1e-13)
    np.testing.assert_allclose(Z[0, 2, 1], [-2.17796037, 8.07171329, -0.5772704, 3.36286738, 4.48113645,
                                            -2.89198428, 10.99288867, 3.03171932], atol=1e-8)
    np.testing.assert_allclose(cache_conv[0][1][2][3], [-1.1191154, 1.9560789, -0.3264995, -1.34267579], atol=1e-8)
    assert cache_conv[0] is A_prev and cache_conv[1] is W and cache_conv[2] is b and cache_conv[3] is hparameters


def _course_backward_case():
    np.random.seed(1)
    A_prev = np.random.randn(10, 4, 4, 3)
    W = np.random.randn(2, 2, 3, 8)
    b = np.random.randn(1, 1, 1, 8)
    return conv.conv_forward(A_prev, W, b, {"pad": 2, "stride": 2})


def test_conv_forward_earlier_course_case():
    Z, cache_conv = _course_backward_case()
    assert np.mean(Z) == pytest.approx(0.048995203528855794, rel=1e-12)
    np.testing.assert_allclose(Z[3, 2, 1], [-0.61490741, -6.7439236, -2.55153897, 1.75698377, 3.56208902,
                                            0.53036437, 5.18531798, 8.75898442], atol=1e-8)
    np.testing.assert_allclose(cache_conv[0][1][2][3], [-0.20075807, 0.18656139, 0.41005165], atol=1e-8)


@pytest.mark.parametrize("backward", [conv.conv_backward, conv.conv_backward_loops])
def test_conv_backward_course_case(backward):
    Z, cache_conv = _course_backward_case()
    dA, dW, db = backward(Z, cache_conv)
    assert dA.shape == (10, 4, 4, 3) and dW.shape == (2, 2, 3, 8) and db.shape == (1, 1, 1, 8)
    assert np.mean(dA) == pytest.approx(1.4524377775388075, rel=1e-12)
    assert np.mean(dW) == pytest.approx(1.7269914583139097, rel=1e-12)
    assert np.mean(db) == pytest.approx(7.839232564616838, rel=1e-12)


POOL_CASES = {   # (stride, mode): A[1, 1] for stride 1, A[0] for stride 2
    (1, "max"): [[1.96710175, 0.84616065, 1.27375593], [1.96710175, 0.84616065, 1.23616403],
                 [1.62765075, 1.12141771, 1.2245077]],
    (1, "average"): [[0.44497696, -0.00261695, -0.31040307], [0.50811474, -0.23493734, -0.23961183],
                     [0.11872677, 0.17255229, -0.22112197]],
    (2, "max"): [[[1.74481176, 0.90159072, 1.65980218], [1.74481176, 1.6924546, 1.65980218]],
                 [[1.13162939, 1.51981682, 2.18557541], [1.13162939, 1.6924546, 2.18557541]]],
}


@pytest.mark.parametrize("forward", [conv.pool_forward, conv.pool_forward_loops])
@pytest.mark.parametrize("stride, mode", sorted(POOL_CASES))
def test_pool_forward_course_cases(forward, stride, mode):
    np.random.seed(1)
    A_prev = np.random.randn(2, 5, 5, 3)
    A, cache = forward(A_prev, {"stride": stride, "f": 3}, mode=mode)
    assert A.shape == ((2, 3, 3, 3) if stride == 1 else (2, 2, 2, 3))
    np.testing.assert_allclose(A[1, 1] if stride == 1 else A[0], POOL_CASES[stride, mode], atol=1e-8)
    assert cache[0] is A_prev and cache[1] == {"stride": stride, "f": 3}


@pytest.mark.parametrize("mode, expected", [
    ("max", [[[[1.74481176, 0.86540763, 1.13376944]]], [[[1.13162939, 1.51981682, 2.18557541]]]]),
    ("average", [[[[0.02105773, -0.20328806, -0.40389855]]], [[[-0.22154621, 0.51716526, 0.48155844]]]]),
])
def test_pool_forward_earlier_course_case(mode, expected):
    np.random.seed(1)
    A_prev = np.random.randn(2, 4, 4, 3)
    np.testing.assert_allclose(conv.pool_forward(A_prev, {"stride": 2, "f": 3}, mode)[0], expected, atol=1e-8)


def test_create_mask_and_distribute_value_course_cases():
    np.random.seed(1)
    x = np.random.randn(2, 3)
    np.testing.assert_array_equal(conv.create_mask_from_window(x), [[True, False, False], [False, False, False]])
    np.testing.assert_array_equal(conv.distribute_value(2, (2, 2)), [[0.5, 0.5], [0.5, 0.5]])
    np.testing.assert_array_equal(conv.create_mask_from_window(np.ones((2, 2))), np.ones((2, 2), bool))   # ties


@pytest.mark.parametrize("backward", [conv.pool_backward, conv.pool_backward_loops])
@pytest.mark.parametrize("mode, expected", [
    ("max", [[0.0, 0.0], [5.05844394, -1.68282702], [0.0, 0.0]]),
    ("average", [[0.08485462, 0.2787552], [1.26461098, -0.25749373], [1.17975636, -0.53624893]]),
])
def test_pool_backward_course_case(backward, mode, expected):
    np.random.seed(1)
    A_prev = np.random.randn(5, 5, 3, 2)
    A, cache = conv.pool_forward(A_prev, {"stride": 1, "f": 2})
    dA = np.random.randn(5, 4, 2, 2)
    assert np.mean(dA) == pytest.approx(0.145713902729, abs=1e-12)
    dA_prev = backward(dA, cache, mode=mode)
    np.testing.assert_allclose(dA_prev[1, 1], expected, atol=1e-8)


# ----------------------------------------------------------------------------------------------
# An independent oracle: scipy.signal.correlate (and convolve for the backward pass)


def _scipy_conv(A_prev, W, b, pad, stride):
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    m, n_C = A_prev.shape[0], W.shape[3]
    full = np.stack([np.stack([signal.correlate(A_pad[i], W[:, :, :, c], mode="valid")[:, :, 0]
                               for c in range(n_C)], axis=-1) for i in range(m)])
    return full[:, ::stride, ::stride, :] + b.reshape(-1)


@pytest.mark.parametrize("pad, stride", [(0, 1), (1, 1), (2, 2), (1, 3), (0, 2)])
def test_conv_forward_matches_scipy(pad, stride):
    rng = np.random.default_rng(pad * 10 + stride)
    A_prev, W, b = rng.normal(size=(3, 7, 8, 2)), rng.normal(size=(3, 3, 2, 4)), rng.normal(size=(1, 1, 1, 4))
    Z, _ = conv.conv_forward(A_prev, W, b, {"pad": pad, "stride": stride})
    np.testing.assert_allclose(Z, _scipy_conv(A_prev, W, b, pad, stride), rtol=1e-12, atol=1e-12)


def test_conv_backward_matches_scipy_formulas():
    """dW = correlation of the input with dZ; dA_prev = full convolution of dZ with the filter (stride 1)."""
    rng = np.random.default_rng(7)
    A_prev, W, b = rng.normal(size=(2, 6, 5, 3)), rng.normal(size=(3, 3, 3, 2)), rng.normal(size=(1, 1, 1, 2))
    Z, cache = conv.conv_forward(A_prev, W, b, {"pad": 0, "stride": 1})
    dZ = rng.normal(size=Z.shape)
    dA_prev, dW, db = conv.conv_backward(dZ, cache)
    for k in range(3):
        for c in range(2):
            expected_dW = sum(signal.correlate(A_prev[i, :, :, k], dZ[i, :, :, c], mode="valid") for i in range(2))
            np.testing.assert_allclose(dW[:, :, k, c], expected_dW, rtol=1e-12, atol=1e-12)
    for i in range(2):
        for k in range(3):
            expected = sum(signal.convolve(dZ[i, :, :, c], W[:, :, k, c], mode="full") for c in range(2))
            np.testing.assert_allclose(dA_prev[i, :, :, k], expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(db.ravel(), dZ.sum(axis=(0, 1, 2)))


# ----------------------------------------------------------------------------------------------
# Loop reference = vectorized, on random shapes


@st.composite
def conv_problems(draw):
    f = draw(st.integers(1, 4))
    pad = draw(st.integers(0, 2))
    stride = draw(st.integers(1, 3))
    n_H = draw(st.integers(max(1, f - 2 * pad), 7))
    n_W = draw(st.integers(max(1, f - 2 * pad), 7))
    m, n_C_prev, n_C = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**32 - 1))
    return m, n_H, n_W, n_C_prev, n_C, f, pad, stride, seed


@settings(max_examples=40)
@given(conv_problems())
def test_conv_loops_equal_vectorized(problem):
    m, n_H, n_W, n_C_prev, n_C, f, pad, stride, seed = problem
    rng = np.random.default_rng(seed)
    A_prev, W, b = rng.normal(size=(m, n_H, n_W, n_C_prev)), rng.normal(size=(f, f, n_C_prev, n_C)), rng.normal(size=(1, 1, 1, n_C))
    hp = {"pad": pad, "stride": stride}
    Z, cache = conv.conv_forward(A_prev, W, b, hp)
    Z_loops, _ = conv.conv_forward_loops(A_prev, W, b, hp)
    assert Z.shape == ((m, (n_H + 2 * pad - f) // stride + 1, (n_W + 2 * pad - f) // stride + 1, n_C))
    np.testing.assert_allclose(Z, Z_loops, rtol=1e-12, atol=1e-12)
    dZ = rng.normal(size=Z.shape)
    for fast, slow in zip(conv.conv_backward(dZ, cache), conv.conv_backward_loops(dZ, cache)):
        assert fast.shape == slow.shape
        np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-12)


@settings(max_examples=40)
@given(st.integers(1, 4), st.integers(1, 3), st.integers(0, 3), st.integers(0, 3), st.sampled_from(("max", "average")),
       st.integers(0, 2**32 - 1), st.booleans())
def test_pool_loops_equal_vectorized(f, stride, extra_H, extra_W, mode, seed, ties):
    rng = np.random.default_rng(seed)
    A_prev = rng.normal(size=(2, f + extra_H, f + extra_W, 2))
    if ties:   # ReLU outputs: many windows whose maximum is a tied 0
        A_prev = np.maximum(np.round(A_prev), 0)
    hp = {"f": f, "stride": stride}
    A, cache = conv.pool_forward(A_prev, hp, mode)
    np.testing.assert_allclose(A, conv.pool_forward_loops(A_prev, hp, mode)[0], rtol=1e-13, atol=1e-15)
    dA = rng.normal(size=A.shape)
    np.testing.assert_allclose(conv.pool_backward(dA, cache, mode), conv.pool_backward_loops(dA, cache, mode),
                               rtol=1e-12, atol=1e-14)


def test_max_pool_backward_sends_a_tied_maximum_to_the_first_entry_only():
    """Ties (common on uniform image backgrounds) must not multiply the gradient: the first maximum
    in row-major order takes it, as in PyTorch; every window passes on exactly its dA."""
    A_prev = np.array([[1.0, 3.0, 3.0, 0.0], [3.0, 2.0, 0.0, 0.0]]).reshape(1, 2, 4, 1)
    _, cache = conv.pool_forward(A_prev, {"f": 2, "stride": 2})
    dA = np.array([5.0, 7.0]).reshape(1, 1, 2, 1)
    for backward in (conv.pool_backward, conv.pool_backward_loops):
        np.testing.assert_array_equal(backward(dA, cache)[0, :, :, 0], [[0, 5, 7, 0], [0, 0, 0, 0]])
    rng = np.random.default_rng(0)
    A_prev = np.maximum(np.round(rng.normal(size=(3, 6, 6, 2))), 0)        # many ties
    A, cache = conv.pool_forward(A_prev, {"f": 3, "stride": 1})
    dA = rng.normal(size=A.shape)
    # each window passes on exactly its dA (a weight-sharing sum identity)
    routed = conv.pool_backward(dA, cache)
    assert routed.sum() == pytest.approx(dA.sum(), abs=1e-12)
    # a shift that moves every tied entry of the input equally moves the pooled maximum by as much
    def J(p):
        return float(np.sum(dA * conv.pool_forward(p["A"], {"f": 3, "stride": 1})[0]))
    eps = 1e-6
    direction = np.ones_like(A_prev)
    directional = (J({"A": A_prev + eps * direction}) - J({"A": A_prev - eps * direction})) / (2 * eps)
    assert np.sum(routed * direction) == pytest.approx(directional, abs=1e-8)


# ----------------------------------------------------------------------------------------------
# Gradient checks with central differences


@pytest.mark.parametrize("pad, stride", [(0, 1), (1, 2), (2, 3)])
def test_conv_backward_gradient_check(pad, stride):
    rng = np.random.default_rng(pad + 3 * stride)
    params = {"A_prev": rng.normal(size=(2, 5, 6, 2)), "W": rng.normal(size=(3, 3, 2, 3)), "b": rng.normal(size=(1, 1, 1, 3))}
    hp = {"pad": pad, "stride": stride}
    Z, cache = conv.conv_forward(params["A_prev"], params["W"], params["b"], hp)
    G = rng.normal(size=Z.shape)     # the cost J = Σ G ⊙ Z has dJ/dZ = G

    def J(p):
        return float(np.sum(G * conv.conv_forward(p["A_prev"], p["W"], p["b"], hp)[0]))
    dA_prev, dW, db = conv.conv_backward(G, cache)
    assert relative_difference({"A_prev": dA_prev, "W": dW, "b": db}, numerical_gradient(J, params)) < 1e-8


@pytest.mark.parametrize("mode", ("max", "average"))
@pytest.mark.parametrize("f, stride", [(2, 2), (3, 1), (3, 2)])
def test_pool_backward_gradient_check(mode, f, stride):
    rng = np.random.default_rng(f * 10 + stride)
    A_prev = rng.permutation(np.linspace(-1, 1, 2 * 7 * 6 * 2)).reshape(2, 7, 6, 2)   # distinct values: no ties
    hp = {"f": f, "stride": stride}
    A, cache = conv.pool_forward(A_prev, hp, mode)
    G = rng.normal(size=A.shape)

    def J(p):
        return float(np.sum(G * conv.pool_forward(p["A_prev"], hp, mode)[0]))
    numeric = numerical_gradient(J, {"A_prev": A_prev}, epsilon=1e-4)   # entries are ≥ 0.007 apart
    assert relative_difference(conv.pool_backward(G, cache, mode), numeric["A_prev"]) < 1e-9


# ----------------------------------------------------------------------------------------------
# dtypes and input validation


def test_float32_stays_float32():
    rng = np.random.default_rng(3)
    A_prev = rng.normal(size=(2, 6, 6, 3)).astype(np.float32)
    W, b = rng.normal(size=(3, 3, 3, 4)).astype(np.float32), np.zeros((1, 1, 1, 4), np.float32)
    hp = {"pad": 1, "stride": 1}
    for forward, backward in ((conv.conv_forward, conv.conv_backward), (conv.conv_forward_loops, conv.conv_backward_loops)):
        Z, cache = forward(A_prev, W, b, hp)
        assert Z.dtype == np.float32
        assert all(g.dtype == np.float32 for g in backward(Z, cache))
    assert conv.zero_pad(A_prev, 2).dtype == np.float32
    for mode in ("max", "average"):
        for forward, backward in ((conv.pool_forward, conv.pool_backward), (conv.pool_forward_loops, conv.pool_backward_loops)):
            A, cache = forward(A_prev, {"f": 2, "stride": 2}, mode)
            assert A.dtype == np.float32 and backward(A, cache, mode).dtype == np.float32
    assert conv.conv_forward(A_prev.astype(np.float64), W, b, hp)[0].dtype == np.float64


@pytest.mark.parametrize("kwargs, words", [
    ({"W": np.zeros((3, 2, 3, 4))}, "W must have shape (f, f, n_C_prev=3, n_C), got (3, 2, 3, 4)"),
    ({"W": np.zeros((3, 3, 2, 4))}, "n_C_prev=3"),
    ({"b": np.zeros((1, 1, 1, 3))}, "b must have shape (1, 1, 1, 4), got (1, 1, 1, 3)"),
    ({"b": np.zeros(4)}, "b must be a 4-D array"),
    ({"hparameters": {"pad": 1}}, "'stride'"),
    ({"hparameters": {"pad": 1.0, "stride": 1}}, 'hparameters["pad"] must be a non-negative integer, got 1.0'),
    ({"hparameters": {"pad": 0, "stride": 0}}, 'hparameters["stride"] must be a positive integer, got 0'),
    ({"hparameters": {"pad": -1, "stride": 1}}, "non-negative"),
    ({"hparameters": {"pad": 0, "stride": True}}, "positive integer"),
    ({"hparameters": [1, 1]}, "hparameters must be a dict"),
    ({"W": np.zeros((6, 6, 3, 4))}, "does not fit the input: n_H_prev is 5 (padded: 5), expected at least f = 6"),
    ({"A_prev": np.zeros((2, 5, 5))}, "A_prev must be a 4-D array"),
])
def test_conv_forward_rejects_bad_input(kwargs, words):
    call = dict(A_prev=np.zeros((2, 5, 5, 3)), W=np.zeros((3, 3, 3, 4)), b=np.zeros((1, 1, 1, 4)),
                hparameters={"pad": 0, "stride": 1}) | kwargs
    for forward in (conv.conv_forward, conv.conv_forward_loops):
        with pytest.raises(ValueError) as error:
            forward(**call)
        assert words in str(error.value)


def test_backward_and_pooling_reject_bad_input():
    A_prev = np.zeros((2, 5, 5, 3))
    Z, cache = conv.conv_forward(A_prev, np.zeros((3, 3, 3, 4)), np.zeros((1, 1, 1, 4)), {"pad": 0, "stride": 1})
    with pytest.raises(ValueError, match=r"dZ must have the shape of the forward output, \(2, 3, 3, 4\), got \(2, 3, 3, 3\)"):
        conv.conv_backward(np.zeros((2, 3, 3, 3)), cache)
    with pytest.raises(ValueError, match="cache must be the tuple"):
        conv.conv_backward(Z, cache[:3])
    with pytest.raises(ValueError, match=r'hparameters\["f"\] must be a positive integer, got 2.5'):
        conv.pool_forward(A_prev, {"f": 2.5, "stride": 1})
    with pytest.raises(ValueError, match="does not fit"):
        conv.pool_forward(A_prev, {"f": 6, "stride": 1})
    with pytest.raises(ValueError, match='mode must be "max" or "average", got \'mean\''):
        conv.pool_forward(A_prev, {"f": 2, "stride": 1}, mode="mean")
    A, pcache = conv.pool_forward(A_prev, {"f": 2, "stride": 1})
    with pytest.raises(ValueError, match="dA must have the shape"):
        conv.pool_backward(A[:, :-1], pcache)
    with pytest.raises(ValueError, match="pad must be a non-negative integer"):
        conv.zero_pad(A_prev, 1.5)
    with pytest.raises(ValueError, match="W must have the shape of a_slice_prev"):
        conv.conv_single_step(np.zeros((3, 3, 2)), np.zeros((3, 3, 3)), 0.0)
    with pytest.raises(ValueError, match="shape must be a tuple"):
        conv.distribute_value(1.0, 4)
