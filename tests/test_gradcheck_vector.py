"""nnlib.gradcheck's vector form (the course's gradient_check_n): flatten, unflatten, check a backward pass."""

import numpy as np
import pytest

from nnlib import deep
from nnlib.gradcheck import dictionary_to_vector, gradient_check_n, gradients_to_vector, relative_difference, vector_to_dictionary


def small_network(seed=0, layer_dims=(3, 4, 2, 1), m=5):
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.normal(size=(layer_dims[l], layer_dims[l - 1]))
        parameters[f"b{l}"] = rng.normal(scale=0.1, size=(layer_dims[l], 1))
    X = rng.normal(size=(layer_dims[0], m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    return parameters, X, Y


def test_dictionary_to_vector_order_and_keys():
    parameters = {"b2": np.array([[7.0]]), "W2": np.array([[5.0, 6.0]]), "W1": np.arange(4.0).reshape(2, 2),
                  "b1": np.array([[8.0], [9.0]])}
    theta, keys = dictionary_to_vector(parameters)
    assert theta.shape == (9, 1) and theta.dtype == np.float64
    np.testing.assert_array_equal(theta.ravel(), [0, 1, 2, 3, 8, 9, 5, 6, 7])     # W1 (row-major), b1, W2, b2
    assert keys == ["W1"] * 4 + ["b1"] * 2 + ["W2"] * 2 + ["b2"]
    assert np.array_equal(parameters["W1"], [[0, 1], [2, 3]])                     # not modified


def test_layer_numbers_sort_numerically():
    parameters = {f"{p}{l}": np.full((1, 1), 10.0 * l + (p == "b")) for l in range(1, 12) for p in "Wb"}
    theta, keys = dictionary_to_vector(parameters)
    assert keys[:4] == ["W1", "b1", "W2", "b2"] and keys[-2:] == ["W11", "b11"]
    np.testing.assert_array_equal(theta.ravel()[-2:], [110, 111])


def test_round_trip_with_layer_dims_and_with_shapes():
    parameters, _, _ = small_network()
    theta, _ = dictionary_to_vector(parameters)
    for spec in ([3, 4, 2, 1], {k: v.shape for k, v in parameters.items()}):
        back = vector_to_dictionary(theta, spec)
        assert list(back) == ["W1", "b1", "W2", "b2", "W3", "b3"]
        for k in parameters:
            np.testing.assert_array_equal(back[k], parameters[k])
    back = vector_to_dictionary(theta.ravel(), [3, 4, 2, 1])          # (n,) works too
    back["W1"][0, 0] = 99.0                                           # new arrays, not views of θ
    assert theta[0, 0] != 99.0


def test_gradients_to_vector_matches_parameter_order_and_skips_dA():
    parameters, X, Y = small_network()
    AL, caches = deep.L_model_forward(X, parameters)
    grads = deep.L_model_backward(AL, Y, caches)
    assert "dA0" in grads
    grad = gradients_to_vector(grads)
    _, keys = dictionary_to_vector(parameters)
    assert grad.shape == (len(keys), 1)
    expected = np.concatenate([grads["d" + k].ravel() for k in ["W1", "b1", "W2", "b2", "W3", "b3"]])
    np.testing.assert_array_equal(grad.ravel(), expected)
    assert gradients_to_vector({"dZ1": np.ones((2, 2)), "dW1": np.ones((1, 2)), "db1": np.zeros((1, 1))}).shape == (3, 1)


def test_gradient_check_n_passes_the_real_backward_pass_and_catches_bugs(capsys):
    parameters, X, Y = small_network(seed=1)
    AL, caches = deep.L_model_forward(X, parameters)
    grads = deep.L_model_backward(AL, Y, caches)
    good = gradient_check_n(parameters, grads, X, Y, print_msg=True)
    assert good < 1e-7
    assert "works perfectly fine" in capsys.readouterr().out
    m = X.shape[1]
    missing_one_over_m = {k: v * m if k[:2] in ("dW", "db") else v for k, v in grads.items()}
    bad = gradient_check_n(parameters, missing_one_over_m, X, Y, print_msg=True)
    assert bad > 1e-3
    assert "mistake" in capsys.readouterr().out
    # A wrong sign in one bias is caught too.
    flipped = dict(grads, db2=-grads["db2"])
    assert gradient_check_n(parameters, flipped, X, Y) > 1e-3


def test_gradient_check_n_with_the_course_style_cost_function():
    parameters, X, Y = small_network(seed=2)
    AL, caches = deep.L_model_forward(X, parameters)
    grads = deep.L_model_backward(AL, Y, caches)

    def course_style_cost(X, Y, parameters):               # returns (cost, cache), as the course's
        AL, caches = deep.L_model_forward(X, parameters)
        m = Y.shape[1]
        cost = 1.0 / m * np.sum(-np.log(AL) * Y - np.log(1 - AL) * (1 - Y))
        return cost, caches

    with_it = gradient_check_n(parameters, grads, X, Y, cost_function=course_style_cost)
    assert with_it < 1e-7
    assert with_it == gradient_check_n(parameters, grads, X, Y)       # the default is this cost, to the last bit


def test_gradient_check_n_agrees_with_the_dict_form():
    from nnlib.gradcheck import numerical_gradient

    parameters, X, Y = small_network(seed=3)
    AL, caches = deep.L_model_forward(X, parameters)
    grads = deep.L_model_backward(AL, Y, caches)
    numeric = numerical_gradient(lambda p: deep.compute_cost(deep.L_model_forward(X, p)[0], Y), parameters)
    dict_difference = relative_difference({k: grads["d" + k] for k in parameters}, numeric)
    assert dict_difference < 1e-7 and gradient_check_n(parameters, grads, X, Y, epsilon=1e-6) < 1e-7


def test_bad_input():
    parameters, X, Y = small_network()
    theta, _ = dictionary_to_vector(parameters)
    with pytest.raises(ValueError, match="theta must have 29 entries"):
        vector_to_dictionary(theta[:-1], [3, 4, 2, 1])
    with pytest.raises(ValueError, match="layer_dims"):
        vector_to_dictionary(theta, [3])
    with pytest.raises(ValueError, match=r"theta must be a column \(n, 1\)"):
        vector_to_dictionary(theta.reshape(1, 29), [3, 4, 2, 1])
    with pytest.raises(ValueError, match="non-empty dict"):
        dictionary_to_vector({})
    with pytest.raises(ValueError, match="W1 must contain only finite"):
        dictionary_to_vector({"W1": np.array([[np.nan]])})
    with pytest.raises(TypeError, match="W1 must be a numeric array"):
        dictionary_to_vector({"W1": np.array([["a"]])})
    with pytest.raises(ValueError, match="no parameter gradients"):
        gradients_to_vector({"dA0": np.ones((2, 2))})
    grads = {"d" + k: np.zeros_like(v) for k, v in parameters.items()}
    with pytest.raises(ValueError, match="no entry 'db3'"):
        gradient_check_n(parameters, {k: v for k, v in grads.items() if k != "db3"}, X, Y)
    with pytest.raises(ValueError, match=r"dW1 must have the shape of W1, \(4, 3\), got \(3, 4\)"):
        gradient_check_n(parameters, dict(grads, dW1=np.zeros((3, 4))), X, Y)
    with pytest.raises(ValueError, match="epsilon must be positive"):
        gradient_check_n(parameters, grads, X, Y, epsilon=0)
