"""nnlib.cnn: every layer's backward against central differences, the layer contract (params/grads,
in-place updates, dtypes, validation), and parameter counts of architectures from their shapes."""

import numpy as np
import pytest

from nnlib import cnn, conv
from nnlib.gradcheck import numerical_gradient, relative_difference


def _layer_gradient_check(layer, A, seed=0):
    """Relative difference between the layer's backward pass and central differences of J = Σ G ⊙ forward(A)."""
    G = np.random.default_rng(seed).normal(size=layer.forward(A).shape)
    dA = layer.backward(G)
    analytic = {"A": dA} | {k: layer.grads[k] for k in layer.params}
    originals = {k: v.copy() for k, v in layer.params.items()}

    def J(p):
        for k in layer.params:
            layer.params[k][...] = p[k]     # in place, as an optimizer would
        return float(np.sum(G * layer.forward(p["A"])))
    numeric = numerical_gradient(J, {"A": A} | originals)
    for k in layer.params:
        layer.params[k][...] = originals[k]
    assert set(layer.grads) == set(layer.params)
    return relative_difference(analytic, numeric)


def _away_from_kinks(shape, seed):
    """Normal inputs; the fixed seeds put no ReLU pre-activation within ε = 1e-6 of its kink (a kink
    inside [z − ε, z + ε] would show as a difference far above the tolerances below)."""
    return np.random.default_rng(seed).normal(size=shape)


@pytest.mark.parametrize("activation", [None, "relu"])
@pytest.mark.parametrize("stride, pad", [(1, 0), (2, 1), (1, "same")])
def test_conv2d_backward(activation, stride, pad):
    layer = cnn.Conv2D(2, 3, 3, stride=stride, pad=pad, activation=activation, seed=1)
    layer.params["b"][...] = 0.1
    assert _layer_gradient_check(layer, _away_from_kinks((2, 5, 6, 2), 2)) < 1e-7


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("f, stride", [(2, None), (3, 1)])
def test_pool2d_backward(mode, f, stride):
    A = np.random.default_rng(3).permutation(np.linspace(-1, 1, 2 * 6 * 7 * 2)).reshape(2, 6, 7, 2)
    layer = cnn.Pool2D(f, stride, mode)
    assert layer.params == {} and _layer_gradient_check(layer, A) < 1e-8


def test_flatten_is_a_reshape_with_examples_in_columns():
    A = np.arange(2 * 3 * 4 * 5, dtype=float).reshape(2, 3, 4, 5)
    layer = cnn.Flatten()
    out = layer.forward(A)
    assert out.shape == (60, 2)
    np.testing.assert_array_equal(out[:, 1], A[1].ravel())
    np.testing.assert_array_equal(layer.backward(out), A)
    assert _layer_gradient_check(layer, A / 100) < 1e-9


@pytest.mark.parametrize("skip", [True, False])
def test_residual_block_backward(skip):
    block = cnn.ResidualBlock(2, 3, skip=skip, seed=4)
    for k in ("b1", "b2"):
        block.params[k][...] = 0.05
    A = _away_from_kinks((2, 4, 5, 2), 5)
    assert block.forward(A).shape == A.shape
    assert _layer_gradient_check(block, A) < 1e-7


def test_residual_block_shares_its_arrays_with_its_convolutions():
    block = cnn.ResidualBlock(2, 3, seed=0)
    block.params["W1"] -= 1.0
    assert block.conv1.params["W"] is block.params["W1"] and block.conv2.params["b"] is block.params["b2"]
    A = np.random.default_rng(0).normal(size=(1, 4, 4, 2))
    # with every weight of the residual branch zero, the block is ReLU(A): the identity on A ≥ 0
    for k in block.params:
        block.params[k][...] = 0
    np.testing.assert_array_equal(block.forward(np.abs(A)), np.abs(A))


def test_layers_are_thin_wrappers_of_the_kernels():
    rng = np.random.default_rng(6)
    A = rng.normal(size=(3, 6, 6, 2))
    layer = cnn.Conv2D(2, 4, 3, stride=2, pad=1, seed=0)
    Z, cache = conv.conv_forward(A, layer.params["W"], layer.params["b"], {"stride": 2, "pad": 1})
    np.testing.assert_array_equal(layer.forward(A), Z)
    dZ = rng.normal(size=Z.shape)
    dA_prev, dW, db = conv.conv_backward(dZ, cache)
    np.testing.assert_array_equal(layer.backward(dZ), dA_prev)
    np.testing.assert_array_equal(layer.grads["W"], dW)
    pool = cnn.Pool2D(2, mode="average")
    np.testing.assert_array_equal(pool.forward(A), conv.pool_forward(A, {"f": 2, "stride": 2}, "average")[0])


def test_seeds_and_global_random_state():
    np.random.seed(0)
    a = cnn.Conv2D(3, 4, 3).params["W"]
    np.random.seed(0)
    assert np.array_equal(a, cnn.Conv2D(3, 4, 3).params["W"])
    assert np.array_equal(cnn.Conv2D(3, 4, 3, seed=1).params["W"], cnn.Conv2D(3, 4, 3, seed=1).params["W"])
    W = cnn.Conv2D(16, 64, 3, seed=2).params["W"]
    assert abs(W.std() - np.sqrt(2 / (9 * 16))) < 0.1 * np.sqrt(2 / (9 * 16))    # He scale


def test_float32_in_float32_out():
    A = np.random.default_rng(0).normal(size=(2, 6, 6, 2)).astype(np.float32)
    for layer in (cnn.Conv2D(2, 2, 3, pad="same", activation="relu", seed=0), cnn.Pool2D(2), cnn.Pool2D(3, 1, "average"),
                  cnn.ResidualBlock(2, 3, seed=0)):
        out = layer.forward(A)
        assert out.dtype == np.float32
        assert layer.backward(np.ones_like(out)).dtype == np.float32
        assert all(g.dtype == np.float32 for g in layer.grads.values())
    flat = cnn.Flatten()
    assert flat.forward(A).dtype == np.float32 and flat.backward(flat.forward(A)).dtype == np.float32


def test_layers_reject_bad_input():
    layer = cnn.Conv2D(3, 4, 3, seed=0)
    with pytest.raises(ValueError, match=r"Conv2D.forward expects A of shape \(m, n_H, n_W, 3\), got \(2, 5, 5, 2\)"):
        layer.forward(np.zeros((2, 5, 5, 2)))
    with pytest.raises(ValueError, match="needs a forward pass first"):
        layer.backward(np.zeros((2, 3, 3, 4)))
    layer.forward(np.zeros((2, 5, 5, 3)))
    with pytest.raises(ValueError, match=r"expects dA of the forward output's shape \(2, 3, 3, 4\), got \(2, 3, 3, 3\)"):
        layer.backward(np.zeros((2, 3, 3, 3)))
    with pytest.raises(ValueError, match="does not fit"):
        layer.forward(np.zeros((2, 2, 5, 3)))
    with pytest.raises(ValueError, match='pad="same" needs an odd f'):
        cnn.Conv2D(3, 4, 2, pad="same")
    with pytest.raises(ValueError, match="activation"):
        cnn.Conv2D(3, 4, 3, activation="tanh")
    with pytest.raises(ValueError, match="stride must be a positive integer, got 1.5"):
        cnn.Pool2D(2, 1.5)
    with pytest.raises(ValueError, match="mode"):
        cnn.Pool2D(2, mode="min")
    with pytest.raises(ValueError, match=r"Flatten.forward expects A of shape \(m, n_H, n_W, n_C\), got \(3, 4\)"):
        cnn.Flatten().forward(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="float32 or float64"):
        cnn.Pool2D(2).forward(np.zeros((1, 4, 4, 1), dtype=int))


# ----------------------------------------------------------------------------------------------
# Parameter counts from shapes

LENET5 = [("conv", 6, 5, 1, 0), ("pool", 2, 2), ("conv", 16, 5, 1, 0), ("pool", 2, 2), ("fc", 120), ("fc", 84), ("fc", 10)]


def test_lenet5_shapes_and_parameters():
    rows = cnn.architecture_summary((32, 32, 1), LENET5)
    assert [r["output"] for r in rows] == [(28, 28, 6), (14, 14, 6), (10, 10, 16), (5, 5, 16), (120,), (84,), (10,)]
    assert [r["parameters"] for r in rows] == [156, 0, 2416, 0, 48120, 10164, 850]
    assert rows[0]["multiplications"] == 28 * 28 * 6 * 25


def test_course_counts():
    rows = cnn.architecture_summary((32, 32, 3), [("conv", 10, 3, 1, 0)])
    assert rows[0]["parameters"] == 280                   # "10 filters of 3×3×3 have 280 parameters"
    plain = cnn.architecture_summary((28, 28, 192), [("conv", 32, 5, 1, "same")])
    bottleneck = cnn.architecture_summary((28, 28, 192), [("conv", 16, 1, 1, 0), ("conv", 32, 5, 1, "same")])
    assert plain[0]["multiplications"] == 120_422_400
    assert sum(r["multiplications"] for r in bottleneck) == 12_443_648


def test_vgg16_and_alexnet_totals():
    vgg = []
    for n_C, repeat in ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3)):
        vgg += [("conv", n_C, 3, 1, 1)] * repeat + [("pool", 2, 2)]
    vgg += [("fc", 4096), ("fc", 4096), ("fc", 1000)]
    assert sum(r["parameters"] for r in cnn.architecture_summary((224, 224, 3), vgg)) == 138_357_544
    alexnet = [("conv", 96, 11, 4, 0), ("pool", 3, 2), ("conv", 256, 5, 1, 2, 2), ("pool", 3, 2), ("conv", 384, 3, 1, 1),
               ("conv", 384, 3, 1, 1, 2), ("conv", 256, 3, 1, 1, 2), ("pool", 3, 2), ("fc", 4096), ("fc", 4096), ("fc", 1000)]
    assert sum(r["parameters"] for r in cnn.architecture_summary((227, 227, 3), alexnet)) == 60_965_224


def test_padded_pooling():
    """GoogLeNet's pools: 3 × 3, stride 2, pad 1 halves 112 (an unpadded pool gives 55), "same" keeps the size."""
    rows = cnn.architecture_summary((112, 112, 64), [("pool", 3, 2, 1), ("pool", 3, 1, "same"), ("pool", 3, 2)])
    assert [r["output"] for r in rows] == [(56, 56, 64), (56, 56, 64), (27, 27, 64)]
    assert all(r["parameters"] == 0 == r["multiplications"] for r in rows)
    with pytest.raises(ValueError, match="pad"):
        cnn.architecture_summary((8, 8, 3), [("pool", 3, 2, -1)])


def test_architecture_summary_rejects_bad_specs():
    with pytest.raises(ValueError, match="input_shape must be a tuple"):
        cnn.architecture_summary([32, 32, 3], LENET5)
    with pytest.raises(ValueError, match="each layer must be"):
        cnn.architecture_summary((32, 32, 3), [("conv", 6, 5)])
    with pytest.raises(ValueError, match="needs a volume"):
        cnn.architecture_summary((32, 32, 3), [("fc", 10), ("conv", 6, 5, 1, 0)])
    with pytest.raises(ValueError, match="does not fit"):
        cnn.architecture_summary((4, 4, 3), [("conv", 6, 5, 1, 0)])
    with pytest.raises(ValueError, match="groups = 2 must divide"):
        cnn.architecture_summary((8, 8, 3), [("conv", 6, 3, 1, 0, 2)])
    assert conv.conv_output_size(224, 11, 0, 4) == 54 and (224 - 11) % 4 != 0      # AlexNet's 224 does not tile
    assert conv.conv_output_size(227, 11, 0, 4) == 55 and (227 - 11) % 4 == 0
