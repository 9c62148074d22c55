"""nnlib.deep: the course's published expected outputs, shapes, gradients, validation, dtypes."""

import re
import warnings

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from nnlib import activations, deep
from nnlib.gradcheck import gradient_check_n, gradients_to_vector, stable_forward_propagation_n

# The course prints 8 decimals and compares with np.allclose: atol=1e-8.
ATOL = dict(rtol=0, atol=1e-8)


# --- The course's published values ---------------------------------------------------------


def test_initialize_parameters_course_case():
    np.random.seed(1)
    p = deep.initialize_parameters(3, 2, 1)
    assert list(p) == ["W1", "b1", "W2", "b2"]
    np.testing.assert_allclose(p["W1"], [[0.01624345, -0.00611756, -0.00528172], [-0.01072969, 0.00865408, -0.02301539]], **ATOL)
    np.testing.assert_allclose(p["W2"], [[0.01744812, -0.00761207]], **ATOL)
    assert np.array_equal(p["b1"], np.zeros((2, 1))) and np.array_equal(p["b2"], np.zeros((1, 1)))


def test_initialize_parameters_deep_course_case():
    np.random.seed(3)
    p = deep.initialize_parameters_deep([5, 4, 3])
    assert list(p) == ["W1", "b1", "W2", "b2"]
    np.testing.assert_allclose(p["W1"], [[0.01788628, 0.0043651, 0.00096497, -0.01863493, -0.00277388],
                                         [-0.00354759, -0.00082741, -0.00627001, -0.00043818, -0.00477218],
                                         [-0.01313865, 0.00884622, 0.00881318, 0.01709573, 0.00050034],
                                         [-0.00404677, -0.0054536, -0.01546477, 0.00982367, -0.01101068]], **ATOL)
    np.testing.assert_allclose(p["W2"], [[-0.01185047, -0.0020565, 0.01486148, 0.00236716],
                                         [-0.01023785, -0.00712993, 0.00625245, -0.00160513],
                                         [-0.00768836, -0.00230031, 0.00745056, 0.01976111]], **ATOL)
    assert p["b1"].shape == (4, 1) and p["b2"].shape == (3, 1) and not p["b1"].any() and not p["b2"].any()


def test_initialization_scales_are_the_course_formulas_exactly():
    dims = [5, 4, 3]
    for scale in (0.01, "xavier", "he", 0.5):
        np.random.seed(7)
        p = deep.initialize_parameters_deep(dims, scale=scale)
        np.random.seed(7)
        for l in (1, 2):
            draw = np.random.randn(dims[l], dims[l - 1])
            if scale == "xavier":
                expected = draw / np.sqrt(dims[l - 1])                 # the course's dnn_app_utils
            elif scale == "he":
                expected = draw * np.sqrt(2.0 / dims[l - 1])           # the course's initialize_parameters_he
            else:
                expected = draw * scale
            assert np.array_equal(p[f"W{l}"], expected), scale


def test_linear_forward_course_case():
    np.random.seed(1)
    A, W, b = np.random.randn(3, 2), np.random.randn(1, 3), np.random.randn(1, 1)
    Z, cache = deep.linear_forward(A, W, b)
    np.testing.assert_allclose(Z, [[3.26295337, -1.23429987]], **ATOL)
    assert isinstance(cache, tuple) and len(cache) == 3
    assert cache[0] is A and cache[1] is W and cache[2] is b          # the course's (A, W, b)


def test_linear_activation_forward_course_case():
    np.random.seed(2)
    A_prev, W, b = np.random.randn(3, 2), np.random.randn(1, 3), np.random.randn(1, 1)
    A, cache = deep.linear_activation_forward(A_prev, W, b, activation="sigmoid")
    np.testing.assert_allclose(A, [[0.96890023, 0.11013289]], **ATOL)
    A, cache = deep.linear_activation_forward(A_prev, W, b, activation="relu")
    np.testing.assert_allclose(A, [[3.43896131, 0.0]], **ATOL)
    (linear_cache, Z) = cache
    assert linear_cache[0] is A_prev and linear_cache[1] is W and linear_cache[2] is b
    np.testing.assert_allclose(Z, W @ A_prev + b)


def test_L_model_forward_course_cases():
    np.random.seed(6)
    X = np.random.randn(5, 4)
    p = {"W1": np.random.randn(4, 5), "b1": np.random.randn(4, 1), "W2": np.random.randn(3, 4),
         "b2": np.random.randn(3, 1), "W3": np.random.randn(1, 3), "b3": np.random.randn(1, 1)}
    AL, caches = deep.L_model_forward(X, p)
    np.testing.assert_allclose(AL, [[0.03921668, 0.70498921, 0.19734387, 0.04728177]], **ATOL)
    assert type(caches) is list and len(caches) == 3
    # The earlier edition's case (one hidden layer).
    np.random.seed(1)
    X = np.random.randn(4, 2)
    p = {"W1": np.random.randn(3, 4), "b1": np.random.randn(3, 1), "W2": np.random.randn(1, 3), "b2": np.random.randn(1, 1)}
    AL, caches = deep.L_model_forward(X, p)
    np.testing.assert_allclose(AL, [[0.17007265, 0.2524272]], **ATOL)
    assert len(caches) == 2


def test_compute_cost_course_case():
    cost = deep.compute_cost(np.array([[0.8, 0.9, 0.4]]), np.array([[1, 1, 0]]))
    np.testing.assert_allclose(cost, 0.2797765635793422, rtol=1e-12)
    assert isinstance(cost, np.float64) and cost.shape == ()


def test_linear_backward_course_cases():
    np.random.seed(1)
    dZ, A, W, b = np.random.randn(3, 4), np.random.randn(5, 4), np.random.randn(3, 5), np.random.randn(3, 1)
    dA_prev, dW, db = deep.linear_backward(dZ, (A, W, b))
    np.testing.assert_allclose(dA_prev, [[-1.15171336, 0.06718465, -0.3204696, 2.09812712],
                                         [0.60345879, -3.72508701, 5.81700741, -3.84326836],
                                         [-0.4319552, -1.30987417, 1.72354705, 0.05070578],
                                         [-0.38981415, 0.60811244, -1.25938424, 1.47191593],
                                         [-2.52214926, 2.67882552, -0.67947465, 1.48119548]], **ATOL)
    np.testing.assert_allclose(dW, [[0.07313866, -0.0976715, -0.87585828, 0.73763362, 0.00785716],
                                    [0.85508818, 0.37530413, -0.59912655, 0.71278189, -0.58931808],
                                    [0.97913304, -0.24376494, -0.08839671, 0.55151192, -0.10290907]], **ATOL)
    np.testing.assert_allclose(db, [[-0.14713786], [-0.11313155], [-0.13209101]], **ATOL)
    # The earlier edition's case.
    np.random.seed(1)
    dZ, A, W, b = np.random.randn(1, 2), np.random.randn(3, 2), np.random.randn(1, 3), np.random.randn(1, 1)
    dA_prev, dW, db = deep.linear_backward(dZ, (A, W, b))
    np.testing.assert_allclose(dA_prev, [[0.51822968, -0.19517421], [-0.40506361, 0.15255393], [2.37496825, -0.89445391]], **ATOL)
    np.testing.assert_allclose(dW, [[-0.10076895, 1.40685096, 1.64992505]], **ATOL)
    np.testing.assert_allclose(db, [[0.50629448]], **ATOL)


def test_linear_activation_backward_course_case():
    np.random.seed(2)
    dA, A, W, b, Z = (np.random.randn(1, 2), np.random.randn(3, 2), np.random.randn(1, 3), np.random.randn(1, 1),
                      np.random.randn(1, 2))
    cache = ((A, W, b), Z)
    dA_prev, dW, db = deep.linear_activation_backward(dA, cache, activation="sigmoid")
    np.testing.assert_allclose(dA_prev, [[0.11017994, 0.01105339], [0.09466817, 0.00949723], [-0.05743092, -0.00576154]], **ATOL)
    np.testing.assert_allclose(dW, [[0.10266786, 0.09778551, -0.01968084]], **ATOL)
    np.testing.assert_allclose(db, [[-0.05729622]], **ATOL)
    dA_prev, dW, db = deep.linear_activation_backward(dA, cache, activation="relu")
    np.testing.assert_allclose(dA_prev, [[0.44090989, 0.0], [0.37883606, 0.0], [-0.2298228, 0.0]], **ATOL)
    np.testing.assert_allclose(dW, [[0.44513824, 0.37371418, -0.10478989]], **ATOL)
    np.testing.assert_allclose(db, [[-0.20837892]], **ATOL)


def course_L_model_backward_case():
    np.random.seed(3)
    AL = np.random.randn(1, 2)
    Y = np.array([[1, 0]])
    A1, W1, b1, Z1 = np.random.randn(4, 2), np.random.randn(3, 4), np.random.randn(3, 1), np.random.randn(3, 2)
    A2, W2, b2, Z2 = np.random.randn(3, 2), np.random.randn(1, 3), np.random.randn(1, 1), np.random.randn(1, 2)
    return AL, Y, (((A1, W1, b1), Z1), ((A2, W2, b2), Z2))


def test_L_model_backward_course_case():
    AL, Y, caches = course_L_model_backward_case()      # AL is not σ(Z2) here: the course's formula is used as is
    grads = deep.L_model_backward(AL, Y, caches)
    assert set(grads) == {"dA0", "dA1", "dW1", "db1", "dW2", "db2"}
    np.testing.assert_allclose(grads["dW1"], [[0.41010002, 0.07807203, 0.13798444, 0.10502167], [0, 0, 0, 0],
                                              [0.05283652, 0.01005865, 0.01777766, 0.0135308]], **ATOL)
    np.testing.assert_allclose(grads["db1"], [[-0.22007063], [0.0], [-0.02835349]], **ATOL)
    np.testing.assert_allclose(grads["dA1"], [[0.12913162, -0.44014127], [-0.14175655, 0.48317296], [0.01663708, -0.05670698]], **ATOL)


def test_update_parameters_is_one_gradient_step_and_copies():
    np.random.seed(2)
    p = {"W1": np.random.randn(3, 4), "b1": np.random.randn(3, 1), "W2": np.random.randn(1, 3), "b2": np.random.randn(1, 1)}
    g = {"dW1": np.random.randn(3, 4), "db1": np.random.randn(3, 1), "dW2": np.random.randn(1, 3), "db2": np.random.randn(1, 1),
         "dA0": np.ones((4, 2))}
    before = {k: v.copy() for k, v in p.items()}
    new = deep.update_parameters(p, g, 0.1)
    for k in p:
        np.testing.assert_array_equal(new[k], before[k] - 0.1 * g["d" + k])
        np.testing.assert_array_equal(p[k], before[k])          # the caller's parameters are untouched


# --- dnn_utils ------------------------------------------------------------------------------


def test_dnn_utils_activations_return_the_input_as_cache():
    Z = np.array([[-2.0, 0.0, 3.0]])
    A, cache = deep.sigmoid(Z)
    assert cache is Z
    np.testing.assert_allclose(A, 1 / (1 + np.exp(-Z)), rtol=1e-15)
    A, cache = deep.relu(Z)
    assert cache is Z and np.array_equal(A, [[0.0, 0.0, 3.0]])
    dA = np.array([[1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(deep.relu_backward(dA, Z), [[0.0, 0.0, 3.0]])       # 0 at Z = 0, as the course
    s = 1 / (1 + np.exp(-Z))
    np.testing.assert_allclose(deep.sigmoid_backward(dA, Z), dA * s * (1 - s), rtol=1e-14)


def test_the_lean_hot_path_equals_nnlib_activations():
    rng = np.random.default_rng(0)
    for dtype in (np.float64, np.float32):
        info = np.finfo(dtype)
        edges = np.array([0.0, -0.0, info.tiny, -info.tiny, info.max, -info.max] * 2, dtype=dtype)
        z = np.concatenate([(rng.normal(size=(3, 40)) * 10).astype(dtype), np.tile(edges, (3, 1))], axis=1)
        da = rng.normal(size=z.shape).astype(dtype)
        assert np.array_equal(deep._relu(z), activations.relu(z)) and deep._relu(z).dtype == dtype
        assert np.array_equal(deep._relu_backward(da, z), da * activations.relu_derivative(z))
        assert deep._relu_backward(da, z).dtype == dtype


# --- Shapes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("layer_dims", [[3, 1], [4, 3, 1], [5, 4, 3, 2, 1], [6, 1, 7, 1]])
def test_every_shape_rule(layer_dims):
    m = 7
    np.random.seed(0)
    p = deep.initialize_parameters_deep(layer_dims)
    L = len(layer_dims) - 1
    X = np.random.randn(layer_dims[0], m)
    Y = (np.random.rand(1, m) > 0.5).astype(float)
    AL, caches = deep.L_model_forward(X, p)
    grads = deep.L_model_backward(AL, Y, caches)
    assert AL.shape == (1, m) and len(caches) == L
    assert set(grads) == {f"dA{l}" for l in range(L)} | {f"d{q}{l}" for l in range(1, L + 1) for q in "Wb"}
    for l in range(1, L + 1):
        (A_prev, W, b), Z = caches[l - 1]
        assert W.shape == grads[f"dW{l}"].shape == (layer_dims[l], layer_dims[l - 1])
        assert b.shape == grads[f"db{l}"].shape == (layer_dims[l], 1)
        assert Z.shape == (layer_dims[l], m) and A_prev.shape == grads[f"dA{l - 1}"].shape == (layer_dims[l - 1], m)


# --- Gradients ------------------------------------------------------------------------------


def random_network(seed, layer_dims, m, output="sigmoid"):
    rng = np.random.default_rng(seed)
    p = {}
    for l in range(1, len(layer_dims)):
        p[f"W{l}"] = rng.normal(size=(layer_dims[l], layer_dims[l - 1])) * np.sqrt(2.0 / layer_dims[l - 1])
        p[f"b{l}"] = rng.normal(scale=0.1, size=(layer_dims[l], 1))
    X = rng.normal(size=(layer_dims[0], m))
    if output == "sigmoid":
        Y = (rng.random((1, m)) > 0.5).astype(float)
    else:
        Y = deep.one_hot(rng.integers(0, layer_dims[-1], m), layer_dims[-1])
    return p, X, Y


def away_from_relu_kinks(caches, margin=1e-3):
    """True when no hidden pre-activation is within ``margin`` of ReLU's kink at 0.

    A central difference with step ε moves each Z by up to about ε·|x|; if that crosses 0 the
    difference straddles the kink and disagrees with the (one-sided) analytic derivative, however
    right the backward pass is. Hypothesis found such a case: |Z| = 1.9e-6 with ε = 1e-5.
    """
    return all(np.abs(cache[1]).min() > margin for cache in caches[:-1])


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), hidden=st.lists(st.integers(1, 4), min_size=0, max_size=3),
       n_x=st.integers(1, 4), m=st.integers(1, 5))
def test_backward_pass_passes_gradient_check(seed, hidden, n_x, m):
    layer_dims = [n_x, *hidden, 1]
    p, X, Y = random_network(seed, layer_dims, m)
    AL, caches = deep.L_model_forward(X, p)
    grads = deep.L_model_backward(AL, Y, caches)
    # A relative difference is meaningless for a gradient that is ≈ 0 (a network whose output does
    # not depend on its input, with balanced labels): rounding noise ≈ 1e-16 J / ε then dominates.
    assume(np.linalg.norm(gradients_to_vector(grads)) > 1e-3)
    assume(away_from_relu_kinks(caches))
    # The cost from the logits: the course's log(1 − a) would lose digits where a ≈ 1.
    assert gradient_check_n(p, grads, X, Y, epsilon=1e-5, cost_function=stable_forward_propagation_n) < 1e-7


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), hidden=st.lists(st.integers(1, 4), min_size=0, max_size=2),
       n_classes=st.integers(2, 4), m=st.integers(1, 5))
@example(seed=1423983, hidden=[4, 2], n_classes=3, m=3)        # a kink case: must be skipped, not fail
def test_softmax_backward_pass_passes_gradient_check(seed, hidden, n_classes, m):
    layer_dims = [3, *hidden, n_classes]
    p, X, Y = random_network(seed, layer_dims, m, output="softmax")
    AL, caches = deep.L_model_forward(X, p, output="softmax")
    grads = deep.L_model_backward(AL, Y, caches, output="softmax")

    def cost(X, Y, parameters):          # from the logits: accurate also where a probability is ≈ 1
        return deep._softmax_cross_entropy_with_logits(deep.L_model_forward(X, parameters, output="softmax")[1][-1][1], Y)

    assume(np.linalg.norm(gradients_to_vector(grads)) > 1e-3)
    assume(away_from_relu_kinks(caches))
    assert gradient_check_n(p, grads, X, Y, epsilon=1e-5, cost_function=cost) < 1e-7


def test_softmax_activation_backward_is_the_jacobian_product():
    p, X, Y = random_network(4, [3, 5, 4], 6, output="softmax")
    AL, caches = deep.L_model_forward(X, p, output="softmax")
    dA_prev, dW, db = deep.linear_activation_backward(-Y / AL, caches[-1], "softmax")     # dA of the cross-entropy
    grads = deep.L_model_backward(AL, Y, caches, output="softmax")                        # from dZ = A − Y
    np.testing.assert_allclose(dW, grads["dW2"], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(db, grads["db2"], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(dA_prev, grads["dA1"], rtol=1e-12, atol=1e-15)


def test_training_step_equals_the_public_functions():
    """The private training loop computes what the course's loop of public calls computes."""
    rng = np.random.default_rng(5)
    X = rng.normal(size=(4, 30))
    Y = (X[:1] * X[1:2] > 0).astype(float)
    dims = [4, 5, 3, 1]
    parameters, costs = deep.L_layer_model(X, Y, dims, learning_rate=0.3, num_iterations=201)
    np.random.seed(1)
    p = deep.initialize_parameters_deep(dims, scale="xavier")
    course_costs = []
    for i in range(201):
        AL, caches = deep.L_model_forward(X, p)
        cost = deep.compute_cost(AL, Y)
        grads = deep.L_model_backward(AL, Y, caches)
        p = deep.update_parameters(p, grads, 0.3)
        if i % 100 == 0:
            course_costs.append(cost)
    np.testing.assert_allclose(costs, course_costs, rtol=1e-10)
    for k in p:
        np.testing.assert_allclose(parameters[k], p[k], rtol=1e-8, atol=1e-12)


def test_two_layer_model_equals_the_course_loop():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(3, 25))
    Y = (X[:1] > 0).astype(float)
    parameters, costs = deep.two_layer_model(X, Y, (3, 4, 1), learning_rate=0.5, num_iterations=150)
    np.random.seed(1)
    p = deep.initialize_parameters(3, 4, 1)
    for i in range(150):
        A1, cache1 = deep.linear_activation_forward(X, p["W1"], p["b1"], "relu")
        A2, cache2 = deep.linear_activation_forward(A1, p["W2"], p["b2"], "sigmoid")
        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        dA1, dW2, db2 = deep.linear_activation_backward(dA2, cache2, "sigmoid")
        dA0, dW1, db1 = deep.linear_activation_backward(dA1, cache1, "relu")
        p = deep.update_parameters(p, {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}, 0.5)
    for k in p:
        np.testing.assert_allclose(parameters[k], p[k], rtol=1e-8, atol=1e-12)
    assert len(costs) == 2


# --- Training behaviour, printing, seeds ----------------------------------------------------


def test_L_layer_model_prints_and_records_every_100(capsys):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 20))
    Y = (X[:1] > 0).astype(float)
    parameters, costs = deep.L_layer_model(X, Y, [2, 3, 1], learning_rate=0.1, num_iterations=201, print_cost=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and len(costs) == 3
    for i, line, cost in zip((0, 100, 200), lines, costs):
        assert line == "Cost after iteration %i: %f" % (i, cost)
    assert costs[-1] < costs[0]
    deep.L_layer_model(X, Y, [2, 3, 1], num_iterations=5)
    assert capsys.readouterr().out == ""


def test_seed_behaviour():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(2, 10))
    Y = (X[:1] > 0).astype(float)
    a, _ = deep.L_layer_model(X, Y, [2, 3, 1], num_iterations=3)
    b, _ = deep.L_layer_model(X, Y, [2, 3, 1], num_iterations=3)
    assert all(np.array_equal(a[k], b[k]) for k in a)                 # np.random.seed(1) inside, as the course
    np.random.seed(1)
    c, _ = deep.L_layer_model(X, Y, [2, 3, 1], num_iterations=3, seed=None)
    assert all(np.array_equal(a[k], c[k]) for k in a)
    d, _ = deep.L_layer_model(X, Y, [2, 3, 1], num_iterations=3, seed=None)
    assert not np.array_equal(a["W1"], d["W1"])                       # seed=None: the global state moves on


def test_deep_model_learns_xor_and_predict_prints_accuracy(capsys):
    rng = np.random.default_rng(2)
    X = rng.uniform(-1, 1, size=(2, 200))
    Y = (X[:1] * X[1:2] > 0).astype(float)                            # XOR of the signs: not linearly separable
    parameters, costs = deep.L_layer_model(X, Y, [2, 8, 4, 1], learning_rate=0.5, num_iterations=2000, scale="he")
    p = deep.predict(X, Y, parameters)
    out = capsys.readouterr().out
    assert p.shape == (1, 200) and set(np.unique(p)) <= {0.0, 1.0}
    accuracy = float(re.fullmatch(r"Accuracy: (\S+)\n", out).group(1))
    assert accuracy == np.mean(p == Y) or abs(accuracy - np.mean(p == Y)) < 1e-12
    assert accuracy > 0.9
    assert costs[-1] < 0.5 * costs[0]


def test_softmax_model_learns_three_blobs():
    rng = np.random.default_rng(3)
    centers = np.array([[0.0, 3.0, -3.0], [3.0, -2.0, -2.0]])
    y = rng.integers(0, 3, 150)
    X = centers[:, y] + rng.normal(size=(2, 150))
    parameters, costs = deep.L_layer_model(X, deep.one_hot(y, 3), [2, 6, 3], learning_rate=0.3, num_iterations=500,
                                           scale="he", output="softmax")
    predictions = deep.predict_classes(X, parameters)
    assert predictions.shape == (1, 150) and np.mean(predictions[0] == y) > 0.9
    assert costs[-1] < costs[0]


# --- Softmax helpers ------------------------------------------------------------------------


def test_softmax_columns_is_stable_and_column_wise():
    Z = np.array([[1000.0, 1.0, -1000.0], [0.0, 2.0, -1000.0], [-1000.0, 3.0, -999.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        A = deep.softmax_columns(Z)
    np.testing.assert_allclose(A.sum(axis=0), 1.0, rtol=1e-15)
    np.testing.assert_allclose(A[:, 1], np.exp([1.0, 2, 3]) / np.exp([1.0, 2, 3]).sum(), rtol=1e-15)
    assert A[0, 0] == 1.0 and np.all(A >= 0)
    np.testing.assert_allclose(deep.softmax_columns(Z + np.array([[5.0, -2.0, 7.0]])), A, rtol=1e-12, atol=1e-300)
    assert deep.softmax_columns(Z.astype(np.float32)).dtype == np.float32


def test_one_hot_and_cross_entropy():
    Y = deep.one_hot(np.array([2, 0, 1, 2]))
    np.testing.assert_array_equal(Y, [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 1]])
    assert deep.one_hot(np.array([[1, 0]]), 4).shape == (4, 2)
    AL = np.array([[0.7, 0.0], [0.2, 0.0], [0.1, 1.0]])
    Yc = deep.one_hot([0, 1], 3)
    cost = deep.cross_entropy(AL, Yc)
    assert np.isfinite(cost) and cost > 300                             # log(0) is clipped, not −inf
    np.testing.assert_allclose(deep.cross_entropy(AL[:, :1], Yc[:, :1]), -np.log(0.7), rtol=1e-15)
    # Two classes (ŷ, 1 − ŷ): the binary cost.
    a = np.array([[0.8, 0.9, 0.4]])
    np.testing.assert_allclose(deep.cross_entropy(np.vstack([a, 1 - a]), np.vstack([[1, 1, 0], [0, 0, 1]])),
                               deep.compute_cost(a, [[1, 1, 0]]), rtol=1e-14)
    Z = np.random.default_rng(0).normal(size=(4, 6)) * 5
    Y4 = deep.one_hot([0, 1, 2, 3, 0, 1], 4)
    np.testing.assert_allclose(deep._softmax_cross_entropy_with_logits(Z, Y4), deep.cross_entropy(deep.softmax_columns(Z), Y4),
                               rtol=1e-12)


# --- Numerical safety, dtypes, inputs not modified ------------------------------------------


def test_cost_and_gradients_stay_finite_at_saturation():
    assert np.isfinite(deep.compute_cost(np.array([[0.0, 1.0, 1.0]]), np.array([[1, 0, 1]])))
    W = np.array([[1000.0]])
    caches = [((np.array([[1.0, -1.0]]), W, np.zeros((1, 1))), np.array([[1000.0, -1000.0]]))]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grads = deep.L_model_backward(np.array([[1.0, 0.0]]), np.array([[0, 1]]), caches)
    assert all(np.all(np.isfinite(g)) for g in grads.values())
    X = np.array([[1000.0, -1000.0, 500.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, costs = deep.L_layer_model(X, np.array([[0, 1, 1]]), [1, 1], learning_rate=1.0, num_iterations=101, scale=10.0)
    assert all(np.isfinite(costs))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept_through_training(dtype):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 40)).astype(dtype)
    Y = (X[:1] > 0).astype(dtype)
    parameters, costs = deep.L_layer_model(X, Y, [3, 4, 1], learning_rate=0.5, num_iterations=101)
    assert all(v.dtype == dtype for v in parameters.values())
    assert all(np.asarray(c).dtype == dtype for c in costs)
    parameters, costs = deep.two_layer_model(X, Y, (3, 4, 1), num_iterations=101)
    assert all(v.dtype == dtype for v in parameters.values())
    AL, caches = deep.L_model_forward(X, parameters)
    grads = deep.L_model_backward(AL, Y, caches)
    assert AL.dtype == dtype and all(g.dtype == dtype for g in grads.values())
    assert deep.update_parameters(parameters, grads, 0.1)["W1"].dtype == dtype
    assert deep.predict(X, Y, parameters).dtype == dtype
    p = deep.initialize_parameters_deep([3, 2, 1], dtype=dtype)
    assert all(v.dtype == dtype for v in p.values())
    Z, _ = deep.linear_forward(X, p["W1"], p["b1"])
    assert Z.dtype == dtype
    Ys = deep.one_hot(rng.integers(0, 3, 40), 3).astype(dtype)
    parameters, costs = deep.L_layer_model(X, Ys, [3, 4, 3], num_iterations=2, output="softmax")
    assert all(v.dtype == dtype for v in parameters.values()) and np.asarray(costs[0]).dtype == dtype


def test_inputs_are_not_modified():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(3, 12))
    Y = (X[:1] > 0).astype(float)
    p = deep.initialize_parameters_deep([3, 4, 1], scale="he")
    snapshot = [X.copy(), Y.copy(), {k: v.copy() for k, v in p.items()}]
    AL, caches = deep.L_model_forward(X, p)
    AL_copy = AL.copy()
    grads = deep.L_model_backward(AL, Y, caches)
    deep.update_parameters(p, grads, 0.1)
    deep.L_layer_model(X, Y, [3, 4, 1], num_iterations=3)
    deep.two_layer_model(X, Y, (3, 4, 1), num_iterations=3)
    deep.predict(X, Y, p)
    deep.compute_cost(np.array([[0.0, 1.0]]), np.array([[1, 0]]))
    assert np.array_equal(X, snapshot[0]) and np.array_equal(Y, snapshot[1]) and np.array_equal(AL, AL_copy)
    assert all(np.array_equal(p[k], snapshot[2][k]) for k in p)


# --- Bad input ------------------------------------------------------------------------------


GOOD_A = np.ones((3, 2))
GOOD_W = np.ones((1, 3))
GOOD_b = np.zeros((1, 1))


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: deep.linear_activation_forward(GOOD_A, GOOD_W, GOOD_b, "tanh"), ValueError,
         "activation must be one of 'sigmoid', 'relu', 'softmax', got 'tanh'"),
        (lambda: deep.linear_activation_backward(np.ones((1, 2)), ((GOOD_A, GOOD_W, GOOD_b), np.ones((1, 2))), "Relu"),
         ValueError, "activation must be one of"),
        (lambda: deep.L_model_forward(GOOD_A, {"W1": GOOD_W, "b1": GOOD_b}, output="relu"), ValueError,
         "activation must be one of 'sigmoid', 'softmax'"),
        (lambda: deep.linear_forward(GOOD_A, np.ones((1, 4)), GOOD_b), ValueError, r"W must have shape \(any, 3\), got \(1, 4\)"),
        (lambda: deep.linear_forward(GOOD_A, GOOD_W, np.zeros((2, 1))), ValueError, r"b must have shape \(1, 1\), got \(2, 1\)"),
        (lambda: deep.linear_forward(GOOD_A, GOOD_W, np.zeros(1)), ValueError, r"b must be a 2-D array"),
        (lambda: deep.linear_forward(np.array([[np.nan, 1], [1, 1], [1, 1]]), GOOD_W, GOOD_b), ValueError, "A must contain only finite"),
        (lambda: deep.linear_forward(GOOD_A, GOOD_W * np.inf, GOOD_b), ValueError, "W must contain only finite"),
        (lambda: deep.linear_forward(GOOD_A.astype(str), GOOD_W, GOOD_b), TypeError, "A must be a numeric array"),
        (lambda: deep.L_model_forward(GOOD_A, {"W1": GOOD_W}), ValueError, "exactly the keys W1, b1"),
        (lambda: deep.L_model_forward(GOOD_A, {"W1": GOOD_W, "b1": GOOD_b, "W2": np.ones((1, 2)), "b2": GOOD_b}), ValueError,
         r"W2 must have shape \(any, 1\), got \(1, 2\)"),
        (lambda: deep.L_model_forward(GOOD_A, [GOOD_W, GOOD_b]), ValueError, "parameters must be a non-empty dict"),
        (lambda: deep.compute_cost(np.array([[0.5, 0.5]]), np.array([[1, 0, 1]])), ValueError, r"Y must have shape \(1, 2\)"),
        (lambda: deep.compute_cost(np.array([[0.5, 0.5]]), np.array([[1], [0]])), ValueError, r"Y must have shape \(1, 2\), got \(2, 1\)"),
        (lambda: deep.compute_cost(np.array([[0.5, 1.5]]), np.array([[1, 0]])), ValueError, r"A must hold probabilities"),
        (lambda: deep.compute_cost(np.array([[0.5, 0.5]]), np.array([[1, 2]])), ValueError, r"labels \{0, 1\}"),
        (lambda: deep.linear_backward(np.ones((2, 2)), (GOOD_A, GOOD_W, GOOD_b)), ValueError, r"dZ must have shape \(1, 2\), got \(2, 2\)"),
        (lambda: deep.linear_backward(np.ones((1, 2)), (GOOD_A, GOOD_W)), ValueError, r"cache must be the tuple \(A_prev, W, b\)"),
        (lambda: deep.linear_activation_backward(np.ones((1, 3)), ((GOOD_A, GOOD_W, GOOD_b), np.ones((1, 2))), "relu"), ValueError,
         r"dA must have shape \(1, 2\), got \(1, 3\)"),
        (lambda: deep.L_model_backward(np.array([[0.5, 0.5]]), np.array([[1, 0]]), []), ValueError, "caches must be the non-empty list"),
        (lambda: deep.L_model_backward(np.array([[0.5, 0.5]]), np.array([[1, 0, 1]]), [((GOOD_A, GOOD_W, GOOD_b), np.ones((1, 2)))]),
         ValueError, r"Y must have shape \(1, 2\)"),
        (lambda: deep.L_model_backward(np.array([[0.5, 0.5, 0.5]]), np.array([[1, 0, 1]]), [((GOOD_A, GOOD_W, GOOD_b), np.ones((1, 2)))]),
         ValueError, r"AL must have shape \(1, 2\)"),
        (lambda: deep.update_parameters({"W1": GOOD_W, "b1": GOOD_b}, {"dW1": GOOD_W}, 0.1), ValueError, "grads has no entry 'db1'"),
        (lambda: deep.update_parameters({"W1": GOOD_W, "b1": GOOD_b}, {"dW1": GOOD_W.T, "db1": GOOD_b}, 0.1), ValueError,
         r"dW1 must have shape \(1, 3\), got \(3, 1\)"),
        (lambda: deep.update_parameters({"W1": GOOD_W, "b1": GOOD_b}, {"dW1": GOOD_W, "db1": GOOD_b}, -1), ValueError,
         "learning_rate must be positive"),
        (lambda: deep.initialize_parameters(3, 0, 1), ValueError, "n_h must be a positive integer"),
        (lambda: deep.initialize_parameters_deep([3]), ValueError, "layer_dims must be a list of at least 2"),
        (lambda: deep.initialize_parameters_deep([3, 2.5, 1]), ValueError, r"layer_dims\[1\] must be a positive integer"),
        (lambda: deep.initialize_parameters_deep([3, 1], scale="glorot"), ValueError, "scale must be a positive number, 'xavier' or 'he'"),
        (lambda: deep.initialize_parameters_deep([3, 1], scale=-0.1), ValueError, "scale must be positive"),
        (lambda: deep.initialize_parameters_deep([3, 1], dtype=np.int64), ValueError, "dtype must be float32 or float64"),
        (lambda: deep.L_layer_model(GOOD_A, np.array([[1, 0]]), [4, 1]), ValueError, r"layers_dims\[0\] must be n_x"),
        (lambda: deep.L_layer_model(GOOD_A, np.array([[1, 0]]), [3, 2]), ValueError, r"layers_dims\[-1\] must be 1"),
        (lambda: deep.L_layer_model(GOOD_A, np.array([[1], [0]]), [3, 1]), ValueError, r"Y must have shape \(1, 2\), got \(2, 1\)"),
        (lambda: deep.L_layer_model(GOOD_A, np.array([[1, 0]]), [3, 1], num_iterations=1.5), ValueError, "num_iterations"),
        (lambda: deep.L_layer_model(GOOD_A, np.array([[1, 0], [1, 0]]), [3, 2], output="softmax"), ValueError, "Y must be one-hot"),
        (lambda: deep.two_layer_model(GOOD_A, np.array([[1, 0]]), [3, 2, 2, 1]), ValueError, r"\(n_x, n_h, n_y\)"),
        (lambda: deep.predict(GOOD_A, np.array([[1, 0]]), {"W1": np.ones((2, 3)), "b1": np.zeros((2, 1))}), ValueError,
         "single sigmoid output"),
        (lambda: deep.predict_classes(GOOD_A, {"W1": GOOD_W, "b1": GOOD_b}), ValueError, "at least 2 output units"),
        (lambda: deep.one_hot([0, 3], 3), ValueError, r"labels in 0..2, got 3"),
        (lambda: deep.one_hot([0.5, 1]), ValueError, "integer class labels"),
        (lambda: deep.cross_entropy(np.array([[0.5], [0.5]]), np.array([[1], [1]])), ValueError, "one-hot"),
        (lambda: deep.sigmoid_backward(np.ones((1, 2)), np.ones((2, 1))), ValueError, r"dA must have shape \(2, 1\), got \(1, 2\)"),
        (lambda: deep.relu(np.array([np.nan])), ValueError, "Z must contain only finite"),
    ],
)
def test_bad_input_raises_naming_the_problem(call, error, words):
    with pytest.raises(error, match=words):
        call()
