"""The shared checks of nnlib._validate where their callers differ: counts that must be positive and
counts that may be 0 (no step taken)."""

import numpy as np
import pytest

from nnlib import deep, linear_models, logistic, optimizers, regularization, shallow
from nnlib._validate import check_int, check_positive

rng = np.random.default_rng(0)
X = rng.normal(size=(2, 12))
Y = (X[:1] > 0).astype(float)


def test_check_positive_integer_refuses_zero_and_check_int_says_which_minimum():
    assert check_positive("m", 3, integer=True) == 3 and type(check_positive("m", np.int64(3), integer=True)) is int
    for bad in (0, -1, 2.0, True):
        with pytest.raises(ValueError, match="m must be a positive integer"):
            check_positive("m", bad, integer=True)
    assert check_int("n", 0, minimum=0) == 0
    with pytest.raises(ValueError, match="n must be a non-negative integer, got -1"):
        check_int("n", -1, minimum=0)
    with pytest.raises(ValueError, match="x must be positive, got 0"):
        check_positive("x", 0)


def test_the_number_of_examples_of_l2_must_be_positive():
    p = {"W1": np.ones((2, 2)), "b1": np.zeros((2, 1))}
    with pytest.raises(ValueError, match="m must be a positive integer, got 0"):
        regularization.l2_gradients({"dW1": np.ones((2, 2)), "db1": np.zeros((2, 1))}, p, 0.1, 0)
    with pytest.raises(ValueError, match="m must be a positive integer, got 0"):
        regularization.l2_regularization_cost(p, 0.1, 0)


def test_zero_iterations_or_epochs_train_nothing():
    """A count of steps may be 0: the initialization comes back, and no cost is recorded."""
    np.random.seed(1)
    start = deep.initialize_parameters_deep([2, 3, 1], scale="xavier")
    params, costs = deep.L_layer_model(X, Y, [2, 3, 1], num_iterations=0)
    assert costs == [] and all(np.array_equal(params[k], start[k]) for k in start)
    w, b = np.array([[0.1], [-0.2]]), 0.3
    out, grads, costs = logistic.optimize(w, b, X, Y, num_iterations=0)
    assert costs == [] and np.array_equal(out["w"], w) and out["b"] == b and not np.any(grads["dw"])
    np.random.seed(2)
    W1 = shallow.nn_model(X, Y, 3, num_iterations=0)["W1"]
    np.random.seed(2)
    assert np.array_equal(W1, shallow.initialize_parameters(2, 3, 1)["W1"])
    assert optimizers.model(X, Y, [2, 3, 1], num_epochs=0)[1] == []
    assert regularization.model(X, Y, [2, 3, 1], num_iterations=0)[1] == []
    assert optimizers.update_lr(0.5, 0, 1.0) == 0.5 and optimizers.schedule_lr_decay(0.5, 0, 1.0) == 0.5
    assert linear_models.Perceptron(n_iter=0).fit(X.T, np.where(Y[0] > 0, 1, -1)).w_.shape == (3,)
    for call in (lambda: deep.L_layer_model(X, Y, [2, 3, 1], num_iterations=-1),
                 lambda: logistic.optimize(w, b, X, Y, num_iterations=-1),
                 lambda: optimizers.update_lr(0.5, -1, 1.0)):
        with pytest.raises(ValueError, match="must be a non-negative integer, got -1"):
            call()
