"""The course's "Gradient Checking" assignment (Improving Deep Neural Networks, week 1) in nnlib.gradcheck:
its names, signatures, return values and published outputs, on the course's own inputs."""

import numpy as np
import pytest

from nnlib import deep, gradcheck, regularization
from nnlib.gradcheck import (backward_propagation, backward_propagation_n, dictionary_to_vector, forward_propagation,
                             forward_propagation_n, gradient_check, gradient_check_n, gradients_to_vector,
                             numerical_gradient, relative_difference, stable_forward_propagation_n,
                             vector_to_dictionary)

# The course's published differences (its notebook and its public tests).
COURSE_1D = {(3, 4): 7.814075313343006e-11, (2, 4): 2.919335883291695e-10}
COURSE_BUGGY, COURSE_CORRECT = 0.2850931567761623, 1.1890913024229996e-07


def gradient_check_n_test_case():
    """The course's ``testCases.gradient_check_n_test_case``: its seed and the order of its draws."""
    np.random.seed(1)
    x = np.random.randn(4, 3)
    y = np.array([1, 1, 0])
    W1 = np.random.randn(5, 4)
    b1 = np.random.randn(5, 1)
    W2 = np.random.randn(3, 5)
    b2 = np.random.randn(3, 1)
    W3 = np.random.randn(1, 3)
    b3 = np.random.randn(1, 1)
    return x, y, {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": W3, "b3": b3}


def with_the_course_mistakes(X, gradients):
    """The course's backward_propagation_n has two planted mistakes: dW2 doubled and db1 = 4/m Σ dZ1."""
    m = X.shape[1]
    return dict(gradients, dW2=gradients["dW2"] * 2, db1=4. / m * np.sum(gradients["dZ1"], axis=1, keepdims=True))


def test_one_dimensional_functions_give_the_published_outputs(capsys):
    assert forward_propagation(2, 4) == 8 and np.ndim(forward_propagation(2, 4)) == 0
    assert backward_propagation(2, 4) == 2 and backward_propagation(3, 4) == 3
    for (x, theta), published in COURSE_1D.items():
        # Scalar arithmetic only (no BLAS): the same bits on every IEEE-754 machine.
        assert gradient_check(x, theta, print_msg=True) == published
        assert capsys.readouterr().out == f"Your backward propagation works perfectly fine! difference = {published}\n"
    assert gradient_check(3, 4) == COURSE_1D[3, 4] and capsys.readouterr().out == ""     # print_msg=False: silent
    assert gradient_check(np.float64(3.0), np.array(4.0), epsilon=1e-7) == COURSE_1D[3, 4]


def test_one_dimensional_check_catches_a_wrong_derivative(monkeypatch, capsys):
    monkeypatch.setattr(gradcheck, "backward_propagation", lambda x, theta: x + 1)       # dJ/dθ = x + 1: wrong
    difference = gradient_check(3, 4, print_msg=True)
    assert difference == pytest.approx(1 / 7, rel=1e-6)                                  # |4 − 3| / (4 + 3)
    assert capsys.readouterr().out.startswith("There is a mistake in the backward propagation! difference = 0.142")


def test_gradient_check_n_gives_the_published_outputs(capsys):
    X, Y, parameters = gradient_check_n_test_case()
    cost, cache = forward_propagation_n(X, Y, parameters)
    gradients = backward_propagation_n(X, Y, cache)
    buggy = gradient_check_n(parameters, with_the_course_mistakes(X, gradients), X, Y, print_msg=True)
    assert buggy == pytest.approx(COURSE_BUGGY, rel=1e-6)
    assert capsys.readouterr().out.startswith("There is a mistake in the backward propagation! difference = 0.2850931")
    correct = gradient_check_n(parameters, gradients, X, Y, print_msg=True)
    # This difference is round-off (see test_the_course_difference_is_round_off_of_log_one_minus_a): another
    # OpenBLAS kernel changes its digits from the fifth on (1.189041787877932e-07 with OPENBLAS_CORETYPE=Prescott),
    # inputs perturbed by one part in 1e12 from the second on: only its size is reproducible.
    assert 0.5 < correct / COURSE_CORRECT < 2
    verdict = "Your backward propagation works perfectly fine!" if correct <= 2e-7 else "There is a mistake"
    assert capsys.readouterr().out == f"{verdict}{' in the backward propagation!' * (correct > 2e-7)} difference = {correct}\n"
    # The default cost is the course's: passing it explicitly changes nothing.
    assert gradient_check_n(parameters, gradients, X, Y, cost_function=forward_propagation_n) == correct


def test_the_course_difference_is_round_off_of_log_one_minus_a():
    X, Y, parameters = gradient_check_n_test_case()
    cost, cache = forward_propagation_n(X, Y, parameters)
    gradients = backward_propagation_n(X, Y, cache)
    assert cache[9][0, 2] > 0.998 and Y[2] == 0            # a ≈ 1 where y = 0: 1 − a keeps 3 digits fewer
    course = gradient_check_n(parameters, gradients, X, Y)
    stable = gradient_check_n(parameters, gradients, X, Y, cost_function=stable_forward_propagation_n)
    assert stable < 1e-8 < 5e-8 < course                   # measured: ≈ 1e-9 and ≈ 1.2e-7, on every kernel tried

    def course_cost_with_exact_log_one_minus_a(X, Y, parameters):
        _, c = forward_propagation_n(X, Y, parameters)
        Z3, A3 = c[8], c[9]
        return np.mean(-np.log(A3) * Y - np.log(deep.sigmoid(-Z3)[0]) * (1 - Y)), c

    # Only the log(1 − a) term changed (1 − σ(z) = σ(−z), computed without forming 1 − a): the gap closes.
    assert gradient_check_n(parameters, gradients, X, Y, cost_function=course_cost_with_exact_log_one_minus_a) < 1e-8


def test_forward_propagation_n_is_the_course_network_and_cost():
    X, Y, parameters = gradient_check_n_test_case()
    cost, cache = forward_propagation_n(X, Y, parameters)
    assert isinstance(cache, tuple) and len(cache) == 12
    A3, expected = regularization.forward_propagation(X, parameters)       # the same network, written out there
    for got, want in zip(cache, expected):
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=0)
    y = Y.reshape(1, -1)
    assert np.ndim(cost) == 0
    assert cost == pytest.approx(np.mean(-y * np.log(A3) - (1 - y) * np.log(1 - A3)), rel=1e-14)
    assert stable_forward_propagation_n(X, Y, parameters)[0] == pytest.approx(cost, rel=1e-13)
    assert all(np.array_equal(a, b) for a, b in zip(stable_forward_propagation_n(X, Y, parameters)[1], cache))


def test_backward_propagation_n_keys_order_and_values():
    X, Y, parameters = gradient_check_n_test_case()
    _, cache = forward_propagation_n(X, Y, parameters)
    gradients = backward_propagation_n(X, Y, cache)
    assert list(gradients) == ["dZ3", "dW3", "db3", "dA2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1"]
    numeric = numerical_gradient(lambda p: stable_forward_propagation_n(X, Y, p)[0], parameters)
    assert relative_difference({k: gradients["d" + k] for k in parameters}, numeric) < 1e-8
    AL, caches = deep.L_model_forward(X, parameters)
    reference = deep.L_model_backward(AL, Y.reshape(1, -1), caches)
    for k in parameters:
        np.testing.assert_allclose(gradients["d" + k], reference["d" + k], rtol=1e-12, atol=1e-15)


def test_flattening_is_the_course_gc_utils():
    X, Y, parameters = gradient_check_n_test_case()
    theta, keys = dictionary_to_vector(parameters)
    assert theta.shape == (47, 1)
    assert keys == ["W1"] * 20 + ["b1"] * 5 + ["W2"] * 15 + ["b2"] * 3 + ["W3"] * 3 + ["b3"]
    np.testing.assert_array_equal(theta[:20].reshape(5, 4), parameters["W1"])           # row-major, as np.reshape
    back = vector_to_dictionary(theta)                                                   # the course's one-argument call
    assert list(back) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert all(np.array_equal(back[k], parameters[k]) for k in parameters)
    gradients = backward_propagation_n(X, Y, forward_propagation_n(X, Y, parameters)[1])
    grad = gradients_to_vector(gradients)                                                # dZ*, dA* left out
    assert grad.shape == (47, 1)
    np.testing.assert_array_equal(grad[20:25], gradients["db1"])


@pytest.mark.parametrize("layer_dims", [[3, 1], [3, 4, 1], [3, 4, 4, 2, 1]])
def test_any_number_of_layers(layer_dims):
    rng = np.random.default_rng(len(layer_dims))
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.normal(size=(layer_dims[l], layer_dims[l - 1]))
        parameters[f"b{l}"] = rng.normal(size=(layer_dims[l], 1))
    X, Y = rng.normal(size=(3, 6)), np.array([[1.0, 0, 1, 1, 0, 0]])
    cost, cache = forward_propagation_n(X, Y, parameters)
    assert len(cache) == 4 * (len(layer_dims) - 1)
    gradients = backward_propagation_n(X, Y, cache)
    assert gradient_check_n(parameters, gradients, X, Y, epsilon=1e-6, cost_function=stable_forward_propagation_n) < 1e-7
    assert gradient_check_n(parameters, with_the_course_mistakes(X, gradients) if len(layer_dims) > 2
                            else dict(gradients, db1=2 * gradients["db1"]), X, Y) > 1e-3


def test_float32_stays_float32_and_a_saturated_output():
    X, Y, parameters = gradient_check_n_test_case()
    p32 = {k: v.astype(np.float32) for k, v in parameters.items()}
    cost, cache = forward_propagation_n(X.astype(np.float32), Y, p32)
    assert cost.dtype == np.float32 and all(a.dtype == np.float32 for a in cache)
    assert all(g.dtype == np.float32 for g in backward_propagation_n(X.astype(np.float32), Y, cache).values())
    saturated = dict(parameters, b3=np.array([[60.0]]))                                  # a = 1.0 exactly for y = 0
    with np.errstate(divide="ignore", invalid="ignore"):
        assert not np.isfinite(forward_propagation_n(X, Y, saturated)[0])               # the course's log(1 − a)
    assert np.isfinite(stable_forward_propagation_n(X, Y, saturated)[0])


def test_bad_input():
    X, Y, parameters = gradient_check_n_test_case()
    _, cache = forward_propagation_n(X, Y, parameters)
    with pytest.raises(ValueError, match=r"x must be a scalar .* got shape \(2,\)"):
        gradient_check(np.array([3.0, 1.0]), 4)
    with pytest.raises(ValueError, match="epsilon must be positive"):
        gradient_check(3, 4, epsilon=0)
    with pytest.raises(TypeError, match="theta must be a numeric array"):
        forward_propagation(3, "4")
    with pytest.raises(ValueError, match="cache must be the tuple"):
        backward_propagation_n(X, Y, list(cache))
    with pytest.raises(ValueError, match="cache must be the tuple"):
        backward_propagation_n(X, Y, cache[:5])
    with pytest.raises(ValueError, match=r"A3 \(cache\[9\]\) must have shape \(1, 3\), got \(1, 2\)"):
        backward_propagation_n(X, Y, cache[:9] + (cache[9][:, :2],) + cache[10:])
    with pytest.raises(ValueError, match=r"one \(sigmoid\) unit"):
        forward_propagation_n(X, Y, dict(parameters, W3=np.ones((2, 3)), b3=np.zeros((2, 1))))
    with pytest.raises(ValueError, match="Y must contain only the labels"):
        forward_propagation_n(X, np.array([1, 2, 0]), parameters)
    with pytest.raises(ValueError, match="Y must have shape"):
        backward_propagation_n(X, np.ones((3, 1)), cache)
    batchnorm = {"W1": parameters["W1"], "gamma1": np.ones((5, 1)), "beta1": np.zeros((5, 1)),
                 "running_mean1": np.zeros((5, 1)), "running_var1": np.ones((5, 1)), "W2": np.ones((1, 5)),
                 "b2": np.zeros((1, 1))}
    with pytest.raises(ValueError, match="not a batch-norm network"):
        forward_propagation_n(X, Y, batchnorm)
