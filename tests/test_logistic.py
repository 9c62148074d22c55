"""nnlib.logistic: the course's published expected outputs, gradients, validation and dtypes."""

import numpy as np
import pytest

from nnlib import logistic
from nnlib.gradcheck import numerical_gradient, relative_difference


def test_initialize_with_zeros():
    w, b = logistic.initialize_with_zeros(2)
    assert isinstance(w, np.ndarray) and w.shape == (2, 1) and not w.any()
    assert type(b) is float and b == 0.0
    for bad in (0, -3, 2.5, "2", True):
        with pytest.raises(ValueError, match="dim"):
            logistic.initialize_with_zeros(bad)


def test_propagate_course_case():
    w, b = np.array([[1.0], [2.0], [-1]]), 2.5
    X = np.array([[1.0, 2.0, -1.0, 0], [3.0, 4.0, -3.2, 1], [3.0, 4.0, -3.2, -3.5]])
    Y = np.array([[1, 1, 0, 0]])
    grads, cost = logistic.propagate(w, b, X, Y)
    assert isinstance(grads["dw"], np.ndarray) and grads["dw"].shape == w.shape
    np.testing.assert_allclose(grads["dw"], [[-0.03909333], [0.12501464], [-0.99960809]], rtol=0, atol=1e-8)
    np.testing.assert_allclose(grads["db"], 0.288106326429569, rtol=1e-12)
    np.testing.assert_allclose(cost, 2.0424567983978403, rtol=1e-12)
    assert isinstance(cost, np.ndarray) and cost.shape == ()


def test_optimize_course_case():
    w, b = np.array([[1.0], [2.0]]), 2.0
    X, Y = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]]), np.array([[1, 0, 1]])
    params, grads, costs = logistic.optimize(w, b, X, Y, num_iterations=101, learning_rate=0.1, print_cost=False)
    assert type(costs) is list and len(costs) == 2
    np.testing.assert_allclose(costs, [5.80154532, 0.31057104], rtol=0, atol=1e-8)
    assert params["w"].shape == w.shape
    np.testing.assert_allclose(params["w"], [[-0.70916784], [-0.42390859]], rtol=0, atol=1e-8)
    np.testing.assert_allclose(params["b"], 2.26891346, rtol=0, atol=1e-8)
    np.testing.assert_allclose(grads["dw"], [[0.06188603], [-0.01407361]], rtol=0, atol=1e-8)
    np.testing.assert_allclose(grads["db"], -0.04709353, rtol=0, atol=1e-8)
    assert np.array_equal(w, [[1.0], [2.0]])          # not modified in place


def test_optimize_prints_progress(capsys):
    X, Y = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]]), np.array([[1, 0, 1]])
    logistic.optimize(np.zeros((2, 1)), 0.0, X, Y, num_iterations=201, print_cost=True)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [f"Cost after iteration {i}" for i in (0, 100, 200)]


def test_predict_course_case():
    w, b = np.array([[0.3], [0.5], [-0.2]]), -0.33333
    X = np.array([[1.0, -0.3, 1.5], [2, 0, 1], [0, -1.5, 2]])
    pred = logistic.predict(w, b, X)
    assert isinstance(pred, np.ndarray) and pred.shape == (1, 3)
    assert np.array_equal(pred, [[1.0, 0.0, 1.0]])
    assert np.array_equal(logistic.predict(w.ravel(), b, X), pred)      # (n_x,) weights are accepted


def test_model_course_case(capsys):
    np.random.seed(0)
    Y = np.array([1, 0, 0, 1, 0, 0, 1]).reshape(1, 7)
    X = np.random.randn(4, 7)
    x_test = np.random.randn(4, 3)
    y_test = np.array([0, 1, 0])          # the course passes a 1-D test label vector
    d = logistic.model(X, Y, x_test, y_test, num_iterations=50, learning_rate=0.01)
    assert type(d["costs"]) is list and len(d["costs"]) == 1
    np.testing.assert_allclose(d["costs"], [0.69314718], rtol=0, atol=1e-8)
    np.testing.assert_allclose(d["w"], [[0.08639757], [-0.08231268], [-0.11798927], [0.12866053]], rtol=0, atol=1e-8)
    np.testing.assert_allclose(d["b"], -0.03983236094816321, rtol=1e-10)
    assert np.array_equal(d["Y_prediction_test"], [[1.0, 1.0, 0.0]])
    assert np.array_equal(d["Y_prediction_train"], [[1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0]])
    assert d["learning_rate"] == 0.01 and d["num_iterations"] == 50
    np.testing.assert_allclose(d["test_accuracy"], 200 / 3)      # 2 of 3 test labels right
    assert capsys.readouterr().out == ""          # print_cost=False prints nothing


def test_propagate_matches_finite_differences():
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(5, 12)), (rng.random((1, 12)) > 0.5).astype(float)
    params = {"w": rng.normal(size=(5, 1)), "b": 0.7}
    grads, _ = logistic.propagate(params["w"], params["b"], X, Y)
    numeric = numerical_gradient(lambda p: logistic.propagate(p["w"], p["b"], X, Y)[1], params)
    assert relative_difference({"w": grads["dw"], "b": grads["db"]}, numeric) < 1e-8


def test_cost_stays_finite_when_predictions_saturate():
    X = np.array([[1000.0, -1000.0]])
    grads, cost = logistic.propagate(np.array([[1.0]]), 0.0, X, np.array([[0, 1]]))
    np.testing.assert_allclose(cost, 1000.0)
    assert np.all(np.isfinite(grads["dw"]))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_dtype_is_kept_through_training(dtype):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 20)).astype(dtype)
    Y = (X[0:1] > 0).astype(dtype)
    w, b = logistic.initialize_with_zeros(3, dtype=dtype)
    grads, cost = logistic.propagate(w, b, X, Y)
    assert grads["dw"].dtype == dtype and cost.dtype == dtype
    d = logistic.model(X, Y, X, Y, num_iterations=300, learning_rate=0.5)
    assert d["w"].dtype == dtype and d["Y_prediction_train"].dtype == dtype
    assert d["train_accuracy"] == 100.0


# The course prints its expected values with 8 decimals (and checks with np.allclose): atol=1e-8.

GOOD_X = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]])
GOOD_Y = np.array([[1, 0, 1]])
GOOD_W = np.array([[1.0], [2.0]])


@pytest.mark.parametrize(
    "w, b, X, Y, error, words",
    [
        (np.ones((3, 1)), 0.0, GOOD_X, GOOD_Y, ValueError, r"w must have shape \(2, 1\), got \(3, 1\)"),
        (np.ones((1, 2)), 0.0, GOOD_X, GOOD_Y, ValueError, r"w must have shape \(2, 1\), got \(1, 2\)"),
        (GOOD_W, 0.0, GOOD_X, GOOD_Y.T, ValueError, r"Y must have shape \(1, 3\), got \(3, 1\)"),
        (GOOD_W, 0.0, GOOD_X, np.array([[1, 0]]), ValueError, r"Y must have shape \(1, 3\), got \(1, 2\)"),
        (GOOD_W, 0.0, GOOD_X, np.array([[1, 0, 2]]), ValueError, r"labels \{0, 1\}, got 2 \(at column 2\)"),
        (GOOD_W, 0.0, GOOD_X, np.array([[1, -1, 1]]), ValueError, "labels"),
        (GOOD_W, 0.0, np.array([[1.0, np.nan, 0], [1, 1, 1]]), GOOD_Y, ValueError, "X must contain only finite"),
        (GOOD_W, np.inf, GOOD_X, GOOD_Y, ValueError, "b must contain only finite"),
        (GOOD_W, np.array([1.0, 2.0]), GOOD_X, GOOD_Y, ValueError, r"b must be a scalar, got shape \(2,\)"),
        (GOOD_W, 0.0, GOOD_X[0], GOOD_Y, ValueError, r"X must be a 2-D array, got shape \(3,\)"),
        (GOOD_W, 0.0, np.zeros((2, 0)), np.zeros((1, 0)), ValueError, "X must not be empty"),
        (GOOD_W, 0.0, GOOD_X.astype(str), GOOD_Y, TypeError, "X must be a numeric array"),
    ],
)
def test_propagate_rejects_bad_input(w, b, X, Y, error, words):
    copies = [np.array(v, copy=True) for v in (w, X, Y)]
    with pytest.raises(error, match=words):
        logistic.propagate(w, b, X, Y)
    for before, after in zip(copies, (w, X, Y)):          # the inputs are not modified
        after = np.asarray(after)
        assert before.dtype == after.dtype and before.tobytes() == after.tobytes()


def test_optimize_and_model_reject_bad_settings():
    with pytest.raises(ValueError, match="learning_rate must be positive"):
        logistic.optimize(GOOD_W, 0.0, GOOD_X, GOOD_Y, learning_rate=-0.1)
    with pytest.raises(ValueError, match="num_iterations"):
        logistic.optimize(GOOD_W, 0.0, GOOD_X, GOOD_Y, num_iterations=2.5)
    with pytest.raises(ValueError, match=r"X_test must have shape \(2, any\), got \(3, 2\)"):
        logistic.model(GOOD_X, GOOD_Y, np.ones((3, 2)), np.array([[1, 0]]))
    with pytest.raises(ValueError, match=r"Y_test must have shape \(1, 2\)"):
        logistic.model(GOOD_X, GOOD_Y, np.ones((2, 2)), np.array([[1, 0, 1]]))
    with pytest.raises(ValueError, match=r"w must have shape \(2, 1\), got \(5, 1\)"):
        logistic.predict(np.ones((5, 1)), 0.0, GOOD_X)
