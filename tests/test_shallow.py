"""nnlib.shallow: the course's published expected outputs, gradients, validation, dtypes, edge cases.

The course prints its expected values with 8 decimals and checks them with np.allclose: atol=1e-8.
"""

import copy
import warnings

import numpy as np
import pytest

from nnlib import shallow
from nnlib.datasets import load_planar_dataset
from nnlib.gradcheck import gradient_difference

ATOL = 1e-8

# The course's test-case parameters (W1, W2 are initialize_parameters(2, 4, 1) after seed 2).
COURSE_W1 = np.array([[-0.00416758, -0.00056267], [-0.02136196, 0.01640271],
                      [-0.01793436, -0.00841747], [0.00502881, -0.01245288]])
COURSE_W2 = np.array([[-0.01057952, -0.00909008, 0.00551454, 0.02292208]])


def course_xy():
    """The course's X_assess (2, 3) and Y_assess (1, 3) for the backward and nn_model test cases."""
    np.random.seed(1)
    X = np.random.randn(2, 3)
    Y = np.random.randn(1, 3) > 0
    return X, Y


def random_problem(n_x=3, n_h=5, n_y=1, m=7, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_x, m)).astype(dtype)
    Y = (rng.random((n_y, m)) > 0.5).astype(dtype)
    p = {"W1": rng.normal(0, 0.5, (n_h, n_x)), "b1": rng.normal(0, 0.5, (n_h, 1)),
         "W2": rng.normal(0, 0.5, (n_y, n_h)), "b2": rng.normal(0, 0.5, (n_y, 1))}
    return X, Y, {k: v.astype(dtype) for k, v in p.items()}


# --------------------------------------------------------------------------- the course's test cases


def test_layer_sizes_course_case():
    np.random.seed(1)
    X_assess = np.random.randn(5, 3)
    Y_assess = np.random.randn(2, 3)
    assert shallow.layer_sizes(X_assess, Y_assess) == (5, 4, 2)
    with pytest.raises(ValueError, match=r"Y must have shape \(n_y, 3\).*got \(2, 4\)"):
        shallow.layer_sizes(X_assess, np.zeros((2, 4)))


def test_initialize_parameters_course_case():
    np.random.seed(2)
    p = shallow.initialize_parameters(2, 4, 1)
    assert list(p) == ["W1", "b1", "W2", "b2"]
    np.testing.assert_allclose(p["W1"], COURSE_W1, rtol=0, atol=ATOL)
    np.testing.assert_allclose(p["W2"], COURSE_W2, rtol=0, atol=ATOL)
    assert p["b1"].shape == (4, 1) and p["b2"].shape == (1, 1) and not p["b1"].any() and not p["b2"].any()
    assert all(v.dtype == np.float64 for v in p.values())


@pytest.mark.parametrize("sizes", [(0, 4, 1), (2, -1, 1), (2, 4, 1.0), (2, True, 1), ("2", 4, 1)])
def test_initialize_parameters_rejects_bad_sizes(sizes):
    with pytest.raises(ValueError, match="must be a positive integer"):
        shallow.initialize_parameters(*sizes)


def test_forward_propagation_course_case():
    np.random.seed(1)
    X_assess = np.random.randn(2, 3)
    b1 = np.random.randn(4, 1)
    parameters = {"W1": COURSE_W1, "W2": COURSE_W2, "b1": b1, "b2": np.array([[-1.3]])}
    A2, cache = shallow.forward_propagation(X_assess, parameters)
    assert A2.shape == (1, 3) and set(cache) == {"Z1", "A1", "Z2", "A2"}
    np.testing.assert_allclose(A2, [[0.21292656, 0.21274673, 0.21295976]], rtol=0, atol=ATOL)
    means = [np.mean(cache[k]) for k in ("Z1", "A1", "Z2", "A2")]
    np.testing.assert_allclose(means, [0.262818640198, 0.091999045227, -1.30766601287, 0.212877681719], rtol=1e-10)
    assert cache["A1"].shape == cache["Z1"].shape == (4, 3)


def test_compute_cost_course_case():
    np.random.seed(1)
    Y_assess = np.random.randn(1, 3) > 0
    A2 = np.array([[0.5002307, 0.49985831, 0.50023963]])
    cost = shallow.compute_cost(A2, Y_assess)
    assert type(cost) is float
    np.testing.assert_allclose(cost, 0.6930587610394646, rtol=1e-12)


def test_backward_propagation_course_case():
    X_assess, Y_assess = course_xy()
    parameters = {"W1": COURSE_W1, "W2": COURSE_W2, "b1": np.zeros((4, 1)), "b2": np.zeros((1, 1))}
    cache = {
        "A1": np.array([[-0.00616578, 0.0020626, 0.00349619], [-0.05225116, 0.02725659, -0.02646251],
                        [-0.02009721, 0.0036869, 0.02883756], [0.02152675, -0.01385234, 0.02599885]]),
        "A2": np.array([[0.5002307, 0.49985831, 0.50023963]]),
        "Z1": np.array([[-0.00616586, 0.0020626, 0.0034962], [-0.05229879, 0.02726335, -0.02646869],
                        [-0.02009991, 0.00368692, 0.02884556], [0.02153007, -0.01385322, 0.02600471]]),
        "Z2": np.array([[0.00092281, -0.00056678, 0.00095853]]),
    }
    grads = shallow.backward_propagation(parameters, cache, X_assess, Y_assess)
    assert list(grads) == ["dW1", "db1", "dW2", "db2"]
    np.testing.assert_allclose(grads["dW1"], [[0.00301023, -0.00747267], [0.00257968, -0.00641288],
                                              [-0.00156892, 0.003893], [-0.00652037, 0.01618243]], rtol=0, atol=ATOL)
    np.testing.assert_allclose(grads["db1"], [[0.00176201], [0.00150995], [-0.00091736], [-0.00381422]], rtol=0, atol=ATOL)
    np.testing.assert_allclose(grads["dW2"], [[0.00078841, 0.01765429, -0.00084166, -0.01022527]], rtol=0, atol=ATOL)
    np.testing.assert_allclose(grads["db2"], [[-0.16655712]], rtol=0, atol=ATOL)



# The parameters of the course's update_parameters and predict test cases.
COURSE_PARAMETERS = {
    "W1": np.array([[-0.00615039, 0.0169021], [-0.02311792, 0.03137121],
                    [-0.0169217, -0.01752545], [0.00935436, -0.05018221]]),
    "W2": np.array([[-0.0104319, -0.04019007, 0.01607211, 0.04440255]]),
    "b1": np.array([[-8.97523455e-07], [8.15562092e-06], [6.04810633e-07], [-2.54560700e-06]]),
    "b2": np.array([[9.14954378e-05]]),
}

def test_update_parameters_course_case():
    parameters = copy.deepcopy(COURSE_PARAMETERS)
    grads = {
        "dW1": np.array([[0.00023322, -0.00205423], [0.00082222, -0.00700776],
                         [-0.00031831, 0.0028636], [-0.00092857, 0.00809933]]),
        "dW2": np.array([[-1.75740039e-05, 3.70231337e-03, -1.25683095e-03, -2.55715317e-03]]),
        "db1": np.array([[1.05570087e-07], [-3.81814487e-06], [-1.90155145e-07], [5.46467802e-07]]),
        "db2": np.array([[-1.08923140e-05]]),
    }
    before = {k: v.copy() for k, v in parameters.items()}
    new = shallow.update_parameters(parameters, grads)
    np.testing.assert_allclose(new["W1"], [[-0.00643025, 0.01936718], [-0.02410458, 0.03978052],
                                           [-0.01653973, -0.02096177], [0.01046864, -0.05990141]], rtol=0, atol=ATOL)
    np.testing.assert_allclose(new["b1"], [[-1.02420756e-06], [1.27373948e-05], [8.32996807e-07], [-3.20136836e-06]],
                               rtol=1e-8)
    np.testing.assert_allclose(new["W2"], [[-0.01041081, -0.04463285, 0.01758031, 0.04747113]], rtol=0, atol=ATOL)
    np.testing.assert_allclose(new["b2"], [[0.00010457]], rtol=0, atol=ATOL)
    assert all(np.array_equal(parameters[k], before[k]) for k in before)       # not modified in place


def test_nn_model_course_case_current_version(capsys):
    """The course's nn_model test: np.random.seed(3) before nn_model (which does not seed itself)."""
    X_assess, Y_assess = course_xy()
    np.random.seed(3)
    parameters = shallow.nn_model(X_assess, Y_assess, 4, num_iterations=10000, print_cost=True)
    assert set(parameters) == {"W1", "b1", "W2", "b2"}
    np.testing.assert_allclose(parameters["W1"], [[0.56305445, -1.03925886], [0.7345426, -1.36286875],
                                                  [-0.72533346, 1.33753027], [0.74757629, -1.38274074]], rtol=0, atol=ATOL)
    np.testing.assert_allclose(parameters["b1"], [[-0.22240654], [-0.34662093], [0.33663708], [-0.35296113]], rtol=0, atol=ATOL)
    np.testing.assert_allclose(parameters["W2"], [[1.82196893, 3.09657075, -2.98193564, 3.19946508]], rtol=0, atol=ATOL)
    np.testing.assert_allclose(parameters["b2"], [[0.21344644]], rtol=0, atol=ATOL)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [f"Cost after iteration {i}" for i in range(0, 10000, 1000)]
    assert lines[0] == "Cost after iteration 0: 0.693198"


def test_nn_model_course_case_earlier_version():
    """The earlier course version seeded with 2 (inside initialize_parameters): the same as seed(2) first."""
    X_assess, Y_assess = course_xy()
    np.random.seed(2)
    parameters, costs = shallow.nn_model(X_assess, Y_assess, 4, num_iterations=10000, return_costs=True)
    np.testing.assert_allclose(parameters["W1"], [[-0.65848169, 1.21866811], [-0.76204273, 1.39377573],
                                                  [0.5792005, -1.10397703], [0.76773391, -1.41477129]], rtol=0, atol=ATOL)
    np.testing.assert_allclose(parameters["b1"], [[0.287592], [0.3511264], [-0.2431246], [-0.35772805]], rtol=0, atol=ATOL)
    np.testing.assert_allclose(parameters["W2"], [[-2.45566237, -3.27042274, 2.00784958, 3.36773273]], rtol=0, atol=ATOL)
    np.testing.assert_allclose(parameters["b2"], [[0.20459656]], rtol=0, atol=ATOL)
    assert len(costs) == 100 and type(costs[0]) is float
    assert round(costs[0], 6) == 0.692739 and round(costs[10], 6) == 0.000218 and round(costs[90], 6) == 0.000023


def test_predict_course_case():
    np.random.seed(1)
    X_assess = np.random.randn(2, 3)
    parameters = copy.deepcopy(COURSE_PARAMETERS)
    predictions = shallow.predict(parameters, X_assess)
    assert predictions.shape == (1, 3)
    np.testing.assert_allclose(np.mean(predictions), 0.666666666667, rtol=1e-11)
    assert np.array_equal(predictions, [[1.0, 0.0, 1.0]])


def test_flower_with_four_hidden_units_reproduces_the_course_run():
    """The course's run on the flower (seed 2): costs printed up to iteration 7000 agree to 6 decimals.

    After 7000 iterations the run is chaotic (α = 1.2 makes the cost oscillate) and the last
    digits depend on the floating-point rounding of the machine; the course printed 0.219454 and
    0.218607 for iterations 8000 and 9000.
    """
    X, Y = load_planar_dataset()
    np.random.seed(2)
    parameters, costs = shallow.nn_model(X, Y, 4, num_iterations=10000, return_costs=True)
    published = [0.693048, 0.288083, 0.254385, 0.233864, 0.226792, 0.222644, 0.219731, 0.217504, 0.219454, 0.218607]
    assert [round(c, 6) for c in costs[0:80:10]] == published[:8]
    np.testing.assert_allclose(costs[80::10], published[8:], atol=2e-4)
    assert shallow.accuracy(shallow.predict(parameters, X), Y) >= 90.0      # the course: "Accuracy: 90%"


# --------------------------------------------------------------------------- gradients


@pytest.mark.parametrize("n_y", [1, 2])
def test_backward_propagation_passes_a_gradient_check(n_y):
    X, Y, p = random_problem(n_y=n_y)
    _, cache = shallow.forward_propagation(X, p)
    grads = shallow.backward_propagation(p, cache, X, Y)
    cost = lambda q: shallow.compute_cost(shallow.forward_propagation(X, q)[0], Y)
    assert gradient_difference(cost, grads, p, epsilon=1e-6, grad_key=lambda k: "d" + k) < 1e-7


def test_a_wrong_gradient_fails_the_check():
    X, Y, p = random_problem()
    _, cache = shallow.forward_propagation(X, p)
    grads = shallow.backward_propagation(p, cache, X, Y)
    grads["dW1"] = grads["dW1"] * 1.01
    cost = lambda q: shallow.compute_cost(shallow.forward_propagation(X, q)[0], Y)
    assert gradient_difference(cost, grads, p, epsilon=1e-6, grad_key=lambda k: "d" + k) > 1e-4


def test_zero_initialization_never_learns_the_weights():
    X, Y = load_planar_dataset()
    zeros = {"W1": np.zeros((4, 2)), "b1": np.zeros((4, 1)), "W2": np.zeros((1, 4)), "b2": np.zeros((1, 1))}
    _, cache = shallow.forward_propagation(X, zeros)
    grads = shallow.backward_propagation(zeros, cache, X, Y)
    assert not grads["dW1"].any() and not grads["dW2"].any() and not grads["db1"].any()


def test_training_decreases_the_cost_and_learns_a_disk():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (2, 200))
    Y = (np.sum(X**2, axis=0, keepdims=True) < 0.5).astype(float)       # inside a circle: not linear
    np.random.seed(0)
    parameters, costs = shallow.nn_model(X, Y, 4, num_iterations=3000, return_costs=True)
    assert len(costs) == 30 and costs[-1] < costs[0] / 4
    assert shallow.accuracy(shallow.predict(parameters, X), Y) > 90


def test_accuracy_matches_the_course_formula():
    Y = np.array([[1, 0, 1, 1, 0]])
    predictions = np.array([[1, 1, 0, 1, 0]]) > 0.5
    course = float(np.squeeze((np.dot(Y, predictions.T) + np.dot(1 - Y, 1 - predictions.T)) / float(Y.size) * 100))
    assert shallow.accuracy(predictions, Y) == course == 60.0


# --------------------------------------------------------------------------- extreme values, dtypes, inputs


def test_extreme_inputs_give_finite_costs_and_gradients_without_warnings():
    X, Y, p = random_problem()
    X = X * 1e6                                  # every unit saturates, A2 rounds to 0 or 1
    p["W2"] = p["W2"] * 1e3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        A2, cache = shallow.forward_propagation(X, p)
        cost = shallow.compute_cost(A2, Y)
        grads = shallow.backward_propagation(p, cache, X, Y)
        np.random.seed(0)
        trained = shallow.nn_model(X, Y, 3, num_iterations=50)
    assert ((A2 == 0) | (A2 == 1)).any()
    assert np.isfinite(cost) and cost > 1
    assert all(np.all(np.isfinite(g)) for g in grads.values())
    assert all(np.all(np.isfinite(v)) for v in trained.values())


def test_compute_cost_is_finite_at_zero_and_one():
    cost = shallow.compute_cost(np.array([[0.0, 1.0, 1.0]]), np.array([[1, 0, 1]]))
    assert np.isfinite(cost) and 20 < cost < 30          # 2 · (−log ε) / 3 with ε = 2.2e-16
    assert shallow.compute_cost(np.array([[0.0, 1.0]]), np.array([[0, 1]])) < 1e-15


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept(dtype):
    X, Y, p = random_problem(dtype=dtype)
    A2, cache = shallow.forward_propagation(X, p)
    assert A2.dtype == dtype and all(v.dtype == dtype for v in cache.values())
    grads = shallow.backward_propagation(p, cache, X, Y)
    assert all(g.dtype == dtype for g in grads.values())
    assert all(v.dtype == dtype for v in shallow.update_parameters(p, grads, 0.5).values())
    np.random.seed(1)
    trained = shallow.nn_model(X, Y, 3, num_iterations=20)
    assert all(v.dtype == dtype for v in trained.values())
    assert shallow.predict(trained, X).dtype == dtype
    assert type(shallow.compute_cost(A2, Y)) is float


def test_float32_training_follows_float64():
    X, Y = load_planar_dataset()
    np.random.seed(2)
    p64 = shallow.nn_model(X, Y, 4, num_iterations=500)
    np.random.seed(2)
    p32 = shallow.nn_model(X.astype(np.float32), Y, 4, num_iterations=500)
    for k in p64:
        np.testing.assert_allclose(p32[k], p64[k], rtol=1e-3, atol=1e-4)


def test_inputs_are_not_modified():
    X, Y, p = random_problem()
    copies = [X.copy(), Y.copy(), {k: v.copy() for k, v in p.items()}]
    A2, cache = shallow.forward_propagation(X, p)
    cache_copy = {k: v.copy() for k, v in cache.items()}
    grads = shallow.backward_propagation(p, cache, X, Y)
    grads_copy = {k: v.copy() for k, v in grads.items()}
    shallow.update_parameters(p, grads)
    shallow.compute_cost(A2, Y)
    shallow.predict(p, X)
    np.random.seed(0)
    shallow.nn_model(X, Y, 2, num_iterations=10)
    assert np.array_equal(X, copies[0]) and np.array_equal(Y, copies[1])
    assert all(np.array_equal(p[k], copies[2][k]) for k in p)
    assert all(np.array_equal(cache[k], cache_copy[k]) for k in cache)
    assert all(np.array_equal(grads[k], grads_copy[k]) for k in grads)


def test_one_dimensional_labels_are_accepted_for_one_output():
    X, Y, p = random_problem()
    A2, cache = shallow.forward_propagation(X, p)
    assert shallow.compute_cost(A2, Y.ravel()) == shallow.compute_cost(A2, Y)
    g1, g2 = shallow.backward_propagation(p, cache, X, Y.ravel()), shallow.backward_propagation(p, cache, X, Y)
    assert all(np.array_equal(g1[k], g2[k]) for k in g1)


# --------------------------------------------------------------------------- validation


def with_entry(d, key, value):
    return {**d, key: value}


def without(d, key):
    return {k: v for k, v in d.items() if k != key}


X0, Y0, P0 = random_problem(n_x=3, n_h=5, n_y=1, m=7)


@pytest.mark.parametrize(
    "X, parameters, words",
    [
        (X0[:2], P0, r"W1 must have shape \(n_h, 2\) \(one column per row of X, which has 2 rows\), got \(5, 3\)"),
        (X0, with_entry(P0, "b1", np.zeros((4, 1))), r"b1 must have shape \(5, 1\).*got \(4, 1\)"),
        (X0, with_entry(P0, "b1", np.zeros((1, 5))), r"b1 must have shape \(5, 1\).*got \(1, 5\)"),
        (X0, with_entry(P0, "W2", np.zeros((1, 4))), r"W2 must have shape \(n_y, 5\).*got \(1, 4\)"),
        (X0, with_entry(P0, "b2", np.zeros((2, 1))), r"b2 must have shape \(1, 1\).*got \(2, 1\)"),
        (X0, with_entry(P0, "b2", 0.0), r"b2 must be a 2-D array, got shape \(\)"),
        (X0, without(P0, "b2"), r"parameters has no entry 'b2'"),
        (X0, [1, 2], r"parameters must be a dict"),
        (X0[0], P0, r"X must be a 2-D array, got shape \(7,\)"),
        (np.where(X0 > 1, np.nan, X0), P0, "X must contain only finite values"),
        (X0, with_entry(P0, "W1", np.full((5, 3), np.inf)), "W1 must contain only finite values"),
        (X0.astype(str), P0, "X must be a numeric array"),
    ],
)
def test_forward_propagation_rejects_bad_input(X, parameters, words):
    error = TypeError if np.asarray(X).dtype.kind == "U" else ValueError
    with pytest.raises(error, match=words):
        shallow.forward_propagation(X, parameters)
    with pytest.raises(error, match=words):
        shallow.predict(parameters, X)


A2_0, CACHE0 = shallow.forward_propagation(X0, P0)


@pytest.mark.parametrize(
    "cache, X, Y, words",
    [
        (CACHE0, X0, Y0.T, r"Y must have shape \(1, 7\).*got \(7, 1\)"),
        (CACHE0, X0, Y0[:, :6], r"Y must have shape \(1, 7\).*got \(1, 6\)"),
        (CACHE0, X0, np.vstack([Y0, Y0]), r"Y must have shape \(1, 7\).*got \(2, 7\)"),
        (CACHE0, X0, Y0 * 2, r"labels \{0, 1\}, got 2"),
        (CACHE0, X0, np.where(Y0 > 0, np.nan, Y0), "Y must contain only finite values"),
        (CACHE0, X0[:, :6], Y0[:, :6], r"A1 must have shape \(5, 6\).*got \(5, 7\)"),
        (with_entry(CACHE0, "A2", A2_0[:, :6]), X0, Y0, r"A2 must have shape \(1, 7\).*got \(1, 6\)"),
        (without(CACHE0, "A1"), X0, Y0, r"cache has no entry 'A1'"),
        (CACHE0, X0[:2], Y0, r"W1 must have shape \(n_h, 2\)"),
    ],
)
def test_backward_propagation_rejects_bad_input(cache, X, Y, words):
    with pytest.raises(ValueError, match=words):
        shallow.backward_propagation(P0, cache, X, Y)


def test_compute_cost_rejects_bad_input():
    with pytest.raises(ValueError, match=r"Y must have shape \(1, 7\).*got \(7, 1\)"):
        shallow.compute_cost(A2_0, Y0.T)
    with pytest.raises(ValueError, match=r"A must hold probabilities in \[0, 1\]"):
        shallow.compute_cost(A2_0 + 1, Y0)
    with pytest.raises(ValueError, match="A2 must contain only finite values"):
        shallow.compute_cost(np.full((1, 7), np.nan), Y0)


def test_update_parameters_rejects_bad_input():
    grads = shallow.backward_propagation(P0, CACHE0, X0, Y0)
    with pytest.raises(ValueError, match=r"grads has no entry 'db1'"):
        shallow.update_parameters(P0, without(grads, "db1"))
    with pytest.raises(ValueError, match=r"dW1 must have shape \(5, 3\).*got \(3, 5\)"):
        shallow.update_parameters(P0, with_entry(grads, "dW1", grads["dW1"].T))
    with pytest.raises(ValueError, match="dW2 must contain only finite values"):
        shallow.update_parameters(P0, with_entry(grads, "dW2", grads["dW2"] * np.nan))
    with pytest.raises(ValueError, match="learning_rate must be positive"):
        shallow.update_parameters(P0, grads, learning_rate=-1.0)
    with pytest.raises(ValueError, match="parameters has no entry 'W1'"):
        shallow.update_parameters(without(P0, "W1"), grads)


def test_nn_model_rejects_bad_input():
    with pytest.raises(ValueError, match=r"Y must have shape \(n_y, 7\).*got \(1, 6\)"):
        shallow.nn_model(X0, Y0[:, :6], 4, num_iterations=1)
    with pytest.raises(ValueError, match=r"labels \{0, 1\}"):
        shallow.nn_model(X0, Y0 + 1, 4, num_iterations=1)
    with pytest.raises(ValueError, match="n_h must be a positive integer"):
        shallow.nn_model(X0, Y0, 0, num_iterations=1)
    with pytest.raises(ValueError, match="num_iterations"):
        shallow.nn_model(X0, Y0, 4, num_iterations=2.5)
    with pytest.raises(ValueError, match="learning_rate must be positive"):
        shallow.nn_model(X0, Y0, 4, num_iterations=1, learning_rate=0)
    with pytest.raises(ValueError, match="X must contain only finite values"):
        shallow.nn_model(X0 * np.nan, Y0, 4, num_iterations=1)
