"""nnlib.regularization: the course's published outputs (Course 2, week 1), gradients, validation."""

import numpy as np
import pytest

from nnlib import regularization as reg
from nnlib.gradcheck import gradient_check_n


def _three_layer_parameters():
    np.random.seed(1)
    X = np.random.randn(3, 5)
    parameters = {}
    for k, shape in (("W1", (2, 3)), ("b1", (2, 1)), ("W2", (3, 2)), ("b2", (3, 1)), ("W3", (1, 3)), ("b3", (1, 1))):
        parameters[k] = np.random.randn(*shape)
    return X, parameters


def test_compute_cost_with_regularization_course_case():
    np.random.seed(1)
    Y = np.array([[1, 1, 0, 1, 0]])
    parameters = {}
    for k, shape in (("W1", (2, 3)), ("b1", (2, 1)), ("W2", (3, 2)), ("b2", (3, 1)), ("W3", (1, 3)), ("b3", (1, 1))):
        parameters[k] = np.random.randn(*shape)
    A3 = np.array([[0.40682402, 0.01629284, 0.16722898, 0.10118111, 0.40682402]])
    cost = reg.compute_cost_with_regularization(A3, Y, parameters, lambd=0.1)
    np.testing.assert_allclose(cost, 1.7864859451590758, rtol=0, atol=1e-8)
    assert reg.compute_cost_with_regularization(A3, Y, parameters, 0.0) < cost
    with pytest.raises(ValueError, match="lambd"):
        reg.compute_cost_with_regularization(A3, Y, parameters, -1)


# The course's test cache for backward_propagation_with_regularization.
_REG_CACHE = (
    np.array([[-1.52855314, 3.32524635, 2.13994541, 2.60700654, -0.75942115],
              [-1.98043538, 4.1600994, 0.79051021, 1.46493512, -0.45506242]]),
    np.array([[0., 3.32524635, 2.13994541, 2.60700654, 0.], [0., 4.1600994, 0.79051021, 1.46493512, 0.]]),
    np.array([[-1.09989127, -0.17242821, -0.87785842], [0.04221375, 0.58281521, -1.10061918]]),
    np.array([[1.14472371], [0.90159072]]),
    np.array([[0.53035547, 5.94892323, 2.31780174, 3.16005701, 0.53035547],
              [-0.69166075, -3.47645987, -2.25194702, -2.65416996, -0.69166075],
              [-0.39675353, -4.62285846, -2.61101729, -3.22874921, -0.39675353]]),
    np.array([[0.53035547, 5.94892323, 2.31780174, 3.16005701, 0.53035547], [0.] * 5, [0.] * 5]),
    np.array([[0.50249434, 0.90085595], [-0.68372786, -0.12289023], [-0.93576943, -0.26788808]]),
    np.array([[0.53035547], [-0.69166075], [-0.39675353]]),
    np.array([[-0.3771104, -4.10060224, -1.60539468, -2.18416951, -0.3771104]]),
    np.array([[0.40682402, 0.01629284, 0.16722898, 0.10118111, 0.40682402]]),
    np.array([[-0.6871727, -0.84520564, -0.67124613]]),
    np.array([[-0.0126646]]),
)


def test_backward_propagation_with_regularization_course_case():
    np.random.seed(1)
    X = np.random.randn(3, 5)
    Y = np.array([[1, 1, 0, 1, 0]])
    grads = reg.backward_propagation_with_regularization(X, Y, _REG_CACHE, lambd=0.7)
    expected = {
        "dW1": [[-0.25604646, 0.12298827, -0.28297129], [-0.17706303, 0.34536094, -0.4410571]],
        "dW2": [[0.79276486, 0.85133918], [-0.0957219, -0.01720463], [-0.13100772, -0.03750433]],
        "dW3": [[-1.77691347, -0.11832879, -0.09397446]],
        "db3": [[-0.38032981]], "db2": [[0.26135226], [0.], [0.]], "db1": [[0.11845855], [0.21236874]],
        "dZ3": [[-0.59317598, -0.98370716, 0.16722898, -0.89881889, 0.40682402]],
        "dA1": [[0.2048239, 0.33967447, -0.05774423, 0.31036252, -0.14047649],
                [0.3672018, 0.60895764, -0.10352203, 0.5564081, -0.25184181]],
    }
    for k, v in expected.items():
        np.testing.assert_allclose(grads[k], v, rtol=0, atol=1e-8, err_msg=k)


def test_forward_propagation_with_dropout_course_case():
    X, parameters = _three_layer_parameters()
    A3, cache = reg.forward_propagation_with_dropout(X, parameters, keep_prob=0.7)
    np.testing.assert_allclose(A3, [[0.36974721, 0.00305176, 0.04565099, 0.49683389, 0.36974721]], rtol=0, atol=1e-8)
    assert len(cache) == 14
    assert np.array_equal(cache[1], [[True, False, True, True, True], [True, True, True, True, True]])
    assert np.array_equal(cache[6], [[True, True, True, False, True], [True] * 5, [False, False, True, True, False]])
    np.testing.assert_allclose(cache[2], [[0., 0., 3.05706487, 3.72429505, 0.], [0., 5.94299915, 1.1293003, 2.09276446, 0.]],
                               rtol=0, atol=1e-8)


def test_backward_propagation_with_dropout_course_case():
    np.random.seed(1)
    X = np.random.randn(3, 5)
    Y = np.array([[1, 1, 0, 1, 0]])
    cache = (
        _REG_CACHE[0],
        np.array([[True, False, True, True, True], [True, True, True, True, False]]),
        np.array([[0., 0., 4.27989081, 5.21401307, 0.], [0., 8.32019881, 1.58102041, 2.92987024, 0.]]),
        _REG_CACHE[2], _REG_CACHE[3],
        np.array([[0.53035547, 8.02565606, 4.10524802, 5.78975856, 0.53035547],
                  [-0.69166075, -1.71413186, -3.81223329, -4.61667916, -0.69166075],
                  [-0.39675353, -2.62563561, -4.82528105, -6.0607449, -0.39675353]]),
        np.array([[True, False, True, False, True], [False, True, False, True, True], [False, False, True, False, False]]),
        np.array([[1.06071093, 0., 8.21049603, 0., 1.06071093], [0.] * 5, [0.] * 5]),
        _REG_CACHE[6], _REG_CACHE[7],
        np.array([[-0.7415562, -0.0126646, -5.65469333, -0.0126646, -0.7415562]]),
        np.array([[0.32266394, 0.49683389, 0.00348883, 0.49683389, 0.32266394]]),
        _REG_CACHE[10], _REG_CACHE[11],
    )
    grads = reg.backward_propagation_with_dropout(X, Y, cache, keep_prob=0.8)
    expected = {
        "dA1": [[0.36544439, 0., -0.00188233, 0., -0.17408748], [0.65515713, 0., -0.00337459, 0., -0.]],
        "dA2": [[0.58180856, 0., -0.00299679, 0., -0.27715731], [0., 0.53159854, -0., 0.53159854, -0.34089673],
                [0., 0., -0.00292733, 0., -0.]],
        "dW3": [[-0.06951191, 0., 0.]], "db3": [[-0.2715031]],
        "dW2": [[-0.00256518, -0.0009476], [0., 0.], [0., 0.]], "db2": [[0.06033089], [0.], [0.]],
        "dW1": [[0.00019884, 0.00028657, 0.00012138], [0.00035647, 0.00051375, 0.00021761]],
        "db1": [[-0.00037647], [-0.00067492]],
    }
    for k, v in expected.items():
        np.testing.assert_allclose(grads[k], v, rtol=0, atol=1e-8, err_msg=k)


def test_initializations_course_cases():
    p = reg.initialize_parameters_zeros([3, 2, 1])
    assert {k: v.shape for k, v in p.items()} == {"W1": (2, 3), "b1": (2, 1), "W2": (1, 2), "b2": (1, 1)}
    assert not any(v.any() for v in p.values())
    p = reg.initialize_parameters_random([3, 2, 1])
    np.testing.assert_allclose(p["W1"], [[17.88628473, 4.36509851, 0.96497468], [-18.63492703, -2.77388203, -3.54758979]],
                               rtol=0, atol=1e-8)
    np.testing.assert_allclose(p["W2"], [[-0.82741481, -6.27000677]], rtol=0, atol=1e-8)
    assert not p["b1"].any() and not p["b2"].any()
    p = reg.initialize_parameters_he([2, 4, 1])
    np.testing.assert_allclose(p["W1"], [[1.78862847, 0.43650985], [0.09649747, -1.8634927], [-0.2773882, -0.35475898],
                                         [-0.08274148, -0.62700068]], rtol=0, atol=1e-8)
    np.testing.assert_allclose(p["W2"], [[-0.03098412, -0.33744411, -0.92904268, 0.62552248]], rtol=0, atol=1e-8)
    with pytest.raises(ValueError):
        reg.initialize_parameters_he([2])


def test_general_l2_helpers_match_the_course_functions():
    X, parameters = _three_layer_parameters()
    Y = np.array([[1, 1, 0, 1, 0]])
    A3, cache = reg.forward_propagation(X, parameters)
    plain = reg.backward_propagation_with_regularization(X, Y, cache, 0.0)
    with_l2 = reg.backward_propagation_with_regularization(X, Y, cache, 0.7)
    general = reg.l2_gradients(plain, parameters, 0.7, m=5)
    for k in ("dW1", "db1", "dW2", "db2", "dW3", "db3"):
        np.testing.assert_allclose(general[k], with_l2[k], rtol=1e-13, err_msg=k)
    assert np.array_equal(plain["dW1"], reg.backward_propagation_with_regularization(X, Y, cache, 0.0)["dW1"])

    def J(X, Y, p):
        return reg.compute_cost_with_regularization(reg.forward_propagation(X, p)[0], Y, p, 0.7)
    assert gradient_check_n(parameters, with_l2, X, Y, cost_function=J) < 1e-7


def test_dropout_backward_is_the_gradient_for_a_fixed_mask():
    X, parameters = _three_layer_parameters()
    Y = np.array([[1, 1, 0, 1, 0]])
    _, cache = reg.forward_propagation_with_dropout(X, parameters, keep_prob=0.6)
    grads = reg.backward_propagation_with_dropout(X, Y, cache, 0.6)
    D1, D2 = cache[1], cache[6]

    def J(X, Y, p):      # the same network with the masks frozen
        Z1 = p["W1"] @ X + p["b1"]
        A1 = np.maximum(Z1, 0) * D1 / 0.6
        A2 = np.maximum(p["W2"] @ A1 + p["b2"], 0) * D2 / 0.6
        A3 = 1 / (1 + np.exp(-(p["W3"] @ A2 + p["b3"])))
        return reg.compute_cost_with_regularization(A3, Y, p, 0.0)
    assert gradient_check_n(parameters, grads, X, Y, cost_function=J) < 1e-7


def test_dropout_forward_backward_layer_helpers():
    A = np.arange(12.0).reshape(3, 4)
    out, D = reg.dropout_forward(A, 0.5, rng=np.random.default_rng(0))
    assert D.dtype == bool and D.shape == A.shape
    np.testing.assert_allclose(out, A * D / 0.5)
    np.testing.assert_allclose(reg.dropout_backward(np.ones((3, 4)), D, 0.5), D / 0.5)
    same, D1 = reg.dropout_forward(A, 1.0)
    assert D1.all() and np.array_equal(same, A)
    for bad in (0, 1.5, -0.1):
        with pytest.raises(ValueError, match="keep_prob"):
            reg.dropout_forward(A, bad)
    big = np.ones((200, 500))
    mean = reg.dropout_forward(big, 0.8, rng=np.random.default_rng(1))[0].mean()
    assert abs(mean - 1) < 0.01


def test_model_runs_and_l2_shrinks_weights():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 40))
    Y = (X[0:1] * X[1:2] > 0).astype(float)
    p0, c0 = reg.model(X, Y, [2, 10, 1], learning_rate=0.1, num_iterations=200, record_every=50)
    p1, c1 = reg.model(X, Y, [2, 10, 1], learning_rate=0.1, num_iterations=200, record_every=50, lambd=5.0)
    assert len(c0) == 4 and c0[-1] < c0[0]
    assert np.linalg.norm(p1["W1"]) < np.linalg.norm(p0["W1"])
    pd, cd = reg.model(X, Y, [2, 10, 1], learning_rate=0.1, num_iterations=200, record_every=50, keep_prob=0.8)
    assert np.all(np.isfinite(cd)) and reg.predict(X, pd).shape == (1, 40)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_predict_keeps_the_dtype(dtype):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(2, 9)).astype(dtype)
    p = {k: v.astype(dtype) for k, v in {"W1": rng.normal(size=(3, 2)), "b1": np.zeros((3, 1)),
                                         "W2": rng.normal(size=(1, 3)), "b2": np.zeros((1, 1))}.items()}
    out = reg.predict(X, p)
    assert out.dtype == dtype and set(np.unique(out)) <= {0, 1}
    np.testing.assert_array_equal(out, (reg.predict(X.astype(np.float64), p) > 0.5).astype(dtype))
