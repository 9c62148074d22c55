"""nnlib.linear_models: the McCulloch–Pitts unit, the perceptron and Adaline (GD, SGD, mini-batch).

The published numbers: Raschka, *Python Machine Learning* (1st ed.), the perceptron on Iris
(setosa vs versicolor, sepal and petal length, η = 0.1, 10 epochs, zero initial weights) converges
after the 6th epoch with w = [−0.4, −0.68, 1.82] (bias first).
"""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris

from nnlib import linear_models as lm
from nnlib.gradcheck import numerical_gradient, relative_difference
from nnlib.linear_models import AdalineGD, AdalineMiniBatchGD, AdalineSGD, Perceptron


@pytest.fixture(scope="module")
def iris():
    data = load_iris()
    X = data.data[:100][:, [0, 2]]                      # sepal length, petal length
    y = np.where(data.target[:100] == 0, -1, 1)          # setosa −1, versicolor +1
    return X, y


@pytest.fixture(scope="module")
def iris_std(iris):
    X, y = iris
    return (X - X.mean(axis=0)) / X.std(axis=0), y


def uci_version(X_full):
    """The UCI iris.data file has two wrong setosa rows (the 35th and 38th); scikit-learn's copy is Fisher's."""
    X = np.array(X_full, copy=True)
    X[34] = [4.9, 3.1, 1.5, 0.1]
    X[37] = [4.9, 3.1, 1.5, 0.1]
    return X


# ------------------------------------------------------------------ McCulloch–Pitts

BINARY = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])


@pytest.mark.parametrize(
    "w, theta, table",
    [((1, 1), 2, [0, 0, 0, 1]), ((1, 1), 1, [0, 1, 1, 1]), ((-1, -1), -1, [1, 1, 1, 0])],
    ids=["AND", "OR", "NAND"],
)
def test_threshold_unit_gates(w, theta, table):
    out = lm.threshold_unit(BINARY, np.array(w), theta)
    assert out.dtype.kind == "i" and out.tolist() == table


def test_threshold_unit_not_and_validation():
    assert lm.threshold_unit(np.array([[0], [1]]), np.array([-1]), 0).tolist() == [1, 0]
    with pytest.raises(ValueError, match=r"w must have shape \(2,\), got \(3,\)"):
        lm.threshold_unit(BINARY, np.ones(3), 1)
    with pytest.raises(ValueError, match="theta must be a scalar"):
        lm.threshold_unit(BINARY, np.ones(2), [1, 2])
    with pytest.raises(ValueError, match="X must be a 2-D array"):
        lm.threshold_unit(np.ones(2), np.ones(2), 1)


def test_no_threshold_unit_on_a_grid_computes_xor():
    xor = [0, 1, 1, 0]
    values = np.arange(-3, 3.01, 0.5)
    for w1 in values:
        for w2 in values:
            for theta in values:
                assert lm.threshold_unit(BINARY, np.array([w1, w2]), theta).tolist() != xor


# ------------------------------------------------------------------ the perceptron

def test_perceptron_reproduces_raschka_first_edition(iris):
    X, y = iris
    ppn = Perceptron(eta=0.1, n_iter=10, init="zeros").fit(X, y)
    np.testing.assert_allclose(ppn.w_, [-0.4, -0.68, 1.82], rtol=0, atol=1e-12)
    assert ppn.errors_ == [2, 2, 3, 2, 1, 0, 0, 0, 0, 0]       # converged: no update from epoch 6 on
    assert np.array_equal(ppn.predict(X), y)


def test_perceptron_same_result_on_the_uci_file(iris):
    """The two rows where UCI and scikit-learn differ are never misclassified: same updates, same w."""
    X, y = iris
    X_uci = uci_version(load_iris().data)[:100][:, [0, 2]]
    assert np.flatnonzero((X_uci != X).any(axis=1)).tolist() == [37]    # only the 38th differs in columns 0, 2
    w_sk, w_uci = np.zeros(3), np.zeros(3)
    for _ in range(10):
        mistakes_sk = lm._perceptron_epoch(w_sk, X, y.astype(float), 0.1)
        mistakes_uci = lm._perceptron_epoch(w_uci, X_uci, y.astype(float), 0.1)
        assert mistakes_sk == mistakes_uci and 37 not in mistakes_sk
    np.testing.assert_array_equal(w_sk, w_uci)


def test_perceptron_random_init_is_raschkas_later_editions(iris):
    X, y = iris
    ppn = Perceptron(eta=0.1, n_iter=10, random_state=1).fit(X, y)
    w0 = np.random.RandomState(1).normal(0.0, 0.01, 3)
    np.testing.assert_allclose(w0, [0.01624345, -0.00611756, -0.00528172], atol=1e-8)
    assert ppn.errors_[-1] == 0 and np.array_equal(ppn.predict(X), y)
    assert Perceptron(eta=0.1, n_iter=0, random_state=1).fit(X, y).w_.tolist() == w0.tolist()
    again = Perceptron(eta=0.1, n_iter=10, random_state=1).fit(X, y)
    assert np.array_equal(again.w_, ppn.w_) and again.errors_ == ppn.errors_


def test_perceptron_from_zeros_learning_rate_only_scales_the_weights(iris):
    X, y = iris
    small = Perceptron(eta=0.1, n_iter=10, init="zeros").fit(X, y)
    big = Perceptron(eta=1.0, n_iter=10, init="zeros").fit(X, y)
    assert big.errors_ == small.errors_
    np.testing.assert_allclose(big.w_, 10 * small.w_, rtol=1e-12)


def test_perceptron_net_input_and_predict(iris):
    X, y = iris
    ppn = Perceptron(eta=0.1, n_iter=10, init="zeros").fit(X, y)
    np.testing.assert_allclose(ppn.net_input(X), -0.4 - 0.68 * X[:, 0] + 1.82 * X[:, 1])
    assert ppn.predict(X).dtype.kind == "i"
    ppn.w_ = np.zeros(3)
    assert ppn.predict(X[:2]).tolist() == [1, 1]           # z = 0 counts as class +1 (unit step at z ≥ 0)


def test_perceptron_does_not_settle_on_non_separable_data():
    data = load_iris()
    keep = data.target > 0                                  # versicolor vs virginica overlap
    X, y = data.data[keep][:, [0, 2]], np.where(data.target[keep] == 1, -1, 1)
    ppn = Perceptron(eta=0.1, n_iter=30, init="zeros").fit(X, y)
    assert min(ppn.errors_) > 0


# ------------------------------------------------------------------ Adaline: cost and gradient

def test_sse_cost_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(7, 3)), rng.choice([-1.0, 1.0], size=7)
    w = rng.normal(size=4)
    cost, grad = lm.sse_cost_gradient(w, X, y)
    np.testing.assert_allclose(cost, 0.5 * np.sum((y - X @ w[1:] - w[0]) ** 2))
    numeric = numerical_gradient(lambda p: lm.sse_cost_gradient(p["w"], X, y)[0], {"w": w})
    assert relative_difference(grad, numeric["w"]) < 1e-8


def test_sse_cost_gradient_validation():
    with pytest.raises(ValueError, match=r"w must have shape \(3,\), got \(2,\)"):
        lm.sse_cost_gradient(np.ones(2), np.ones((4, 2)), np.ones(4))
    with pytest.raises(ValueError, match=r"y must have shape \(4,\), got \(3,\)"):
        lm.sse_cost_gradient(np.ones(3), np.ones((4, 2)), np.ones(3))


def test_adaline_gd_one_epoch_is_one_gradient_step(iris_std):
    X, y = iris_std
    w0 = AdalineGD(eta=0.01, n_iter=0).fit(X, y).w_
    cost0, grad0 = lm.sse_cost_gradient(w0, X, y)
    ada = AdalineGD(eta=0.01, n_iter=1).fit(X, y)
    np.testing.assert_allclose(ada.w_, w0 - 0.01 * grad0, rtol=1e-14)
    assert ada.cost_ == [cost0]


def test_adaline_gd_from_zeros_starts_at_half_n(iris):
    """Raschka's 1st edition starts Adaline at w = 0: z = 0, so J = ½ Σ y² = n / 2 in epoch 1."""
    X, y = iris
    ada = AdalineGD(eta=0.0001, n_iter=3, init="zeros").fit(X, y)
    assert ada.cost_[0] == 50.0 and ada.cost_[2] < ada.cost_[1] < ada.cost_[0]


def test_adaline_gd_learning_rate_behaviours(iris, iris_std):
    X, y = iris
    grows = AdalineGD(eta=0.01, n_iter=10).fit(X, y).cost_
    crawls = AdalineGD(eta=0.0001, n_iter=10).fit(X, y).cost_
    assert all(b > 10 * a for a, b in zip(grows, grows[1:]))           # diverges
    assert all(b < a for a, b in zip(crawls, crawls[1:])) and crawls[-1] > 0.7 * crawls[0]   # slow
    Xs, _ = iris_std
    ada = AdalineGD(eta=0.01, n_iter=15).fit(Xs, y)
    A = np.hstack([np.ones((100, 1)), Xs])
    w_star = np.linalg.lstsq(A, y, rcond=None)[0]
    J_star = 0.5 * np.sum((y - A @ w_star) ** 2)
    assert all(b < a for a, b in zip(ada.cost_, ada.cost_[1:]))
    assert ada.cost_[-1] < 1.1 * J_star
    assert np.array_equal(ada.predict(Xs), y)


def test_adaline_gd_divergence_raises_without_warnings(iris):
    X, y = iris
    ada = AdalineGD(eta=0.01, n_iter=300)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(FloatingPointError, match="diverged.*standardize X"):
            ada.fit(X, y)
    assert 50 < len(ada.cost_) < 300 and np.all(np.isfinite(ada.cost_)) and np.all(np.isfinite(ada.w_))
    with pytest.raises(FloatingPointError, match="diverged"):
        AdalineSGD(eta=1.0, n_iter=50).fit(X, y)


# ------------------------------------------------------------------ SGD and mini-batch

def test_sgd_is_reproducible_and_shuffles(iris_std):
    X, y = iris_std
    a = AdalineSGD(eta=0.01, n_iter=15, random_state=1).fit(X, y)
    b = AdalineSGD(eta=0.01, n_iter=15, random_state=1).fit(X, y)
    c = AdalineSGD(eta=0.01, n_iter=15, random_state=2).fit(X, y)
    assert np.array_equal(a.w_, b.w_) and a.cost_ == b.cost_
    assert not np.array_equal(a.w_, c.w_)
    refit = a.fit(X, y)                                   # refitting restarts from the same state
    assert np.array_equal(refit.w_, b.w_)
    assert all(cost < a.cost_[0] for cost in a.cost_[1:]) and np.array_equal(a.predict(X), y)


def test_sgd_follows_raschkas_draw_order(iris_std):
    """Initial weights first, then one rgen.permutation(n) per epoch, from RandomState(random_state)."""
    X, y = iris_std
    rgen = np.random.RandomState(1)
    w = rgen.normal(0.0, 0.01, 3)
    costs = []
    for _ in range(3):
        r = rgen.permutation(100)
        total = 0.0
        for xi, target in zip(X[r], y[r]):
            error = target - (xi @ w[1:] + w[0])
            w[1:] += 0.01 * xi * error
            w[0] += 0.01 * error
            total += 0.5 * error**2
        costs.append(total / 100)
    sgd = AdalineSGD(eta=0.01, n_iter=3, random_state=1).fit(X, y)
    np.testing.assert_allclose(sgd.w_, w, rtol=1e-13)
    np.testing.assert_allclose(sgd.cost_, costs, rtol=1e-13)


def test_partial_fit_is_online_widrow_hoff(iris_std):
    X, y = iris_std
    sgd = AdalineSGD(eta=0.01, random_state=1)
    sgd.partial_fit(X[0], y[0])                           # one example, 1-D, as in Raschka's book
    w0 = np.random.RandomState(1).normal(0.0, 0.01, 3)
    error = y[0] - (X[0] @ w0[1:] + w0[0])
    np.testing.assert_allclose(sgd.w_, w0 + 0.01 * error * np.r_[1.0, X[0]], rtol=1e-14)
    stream = AdalineSGD(eta=0.01, random_state=1)
    for xi, yi in zip(X, y):
        stream.partial_fit(xi, yi)
    one_epoch = AdalineSGD(eta=0.01, n_iter=1, shuffle=False, random_state=1).fit(X, y)
    np.testing.assert_allclose(stream.w_, one_epoch.w_, rtol=1e-13)
    chunks = AdalineSGD(eta=0.01, random_state=1).partial_fit(X[:50], y[:50]).partial_fit(X[50:], y[50:])
    np.testing.assert_allclose(chunks.w_, one_epoch.w_, rtol=1e-13)
    with pytest.raises(ValueError, match="X must have 2 features"):
        stream.partial_fit(np.ones((3, 5)), np.ones(3))


def test_minibatch_extremes_are_sgd_and_gd(iris_std):
    X, y = iris_std
    sgd = AdalineSGD(eta=0.01, n_iter=5, random_state=3).fit(X, y)
    mb1 = AdalineMiniBatchGD(eta=0.01, n_iter=5, batch_size=1, random_state=3).fit(X, y)
    np.testing.assert_array_equal(mb1.w_, sgd.w_)
    assert mb1.cost_ == sgd.cost_
    gd = AdalineGD(eta=0.01, n_iter=5, random_state=3).fit(X, y)
    full = AdalineMiniBatchGD(eta=0.01, n_iter=5, batch_size=100, random_state=3).fit(X, y)
    np.testing.assert_allclose(full.w_, gd.w_, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(np.array(full.cost_) * 100, gd.cost_, rtol=1e-12)


def test_minibatch_converges_and_uneven_last_batch(iris_std):
    X, y = iris_std
    mgd = AdalineMiniBatchGD(eta=0.01, n_iter=15, batch_size=7, random_state=1).fit(X, y)   # 100 = 14·7 + 2
    assert mgd.cost_[-1] < 0.2 * mgd.cost_[0] and np.array_equal(mgd.predict(X), y)


# ------------------------------------------------------------------ validation, dtypes, no mutation

MODELS = [
    lambda: Perceptron(eta=0.1, n_iter=5),
    lambda: AdalineGD(eta=0.01, n_iter=5),
    lambda: AdalineSGD(eta=0.01, n_iter=5),
    lambda: AdalineMiniBatchGD(eta=0.01, n_iter=5, batch_size=4),
]
GOOD_X = np.array([[1.0, 2.0], [2.0, 1.0], [-1.0, -2.0], [-2.0, -1.0]])
GOOD_Y = np.array([1, 1, -1, -1])


@pytest.mark.parametrize("make", MODELS, ids=["Perceptron", "AdalineGD", "AdalineSGD", "AdalineMiniBatchGD"])
@pytest.mark.parametrize(
    "X, y, error, words",
    [
        (GOOD_X, GOOD_Y[:3], ValueError, "X has 4 rows, y has 3 labels"),
        (GOOD_X, np.array([1, 0, -1, -1]), ValueError, r"labels \{-1, 1\}, got 0 \(at index 1\)"),
        (GOOD_X, np.array([1, 2, -1, -1]), ValueError, r"labels \{-1, 1\}"),
        (GOOD_X, GOOD_Y.reshape(-1, 1), ValueError, r"y must be a 1-D array of shape \(4,\), got shape \(4, 1\)"),
        (np.array([[1.0, np.nan], [2, 1], [0, 0], [1, 1]]), GOOD_Y, ValueError, "X must contain only finite"),
        (GOOD_X, np.array([1, np.nan, -1, -1]), ValueError, "y must contain only finite"),
        (GOOD_X[:, 0], GOOD_Y, ValueError, r"X must be a 2-D array, got shape \(4,\)"),
        (GOOD_X[None], GOOD_Y, ValueError, "X must be a 2-D array"),
        (np.zeros((0, 2)), np.zeros(0), ValueError, "X must not be empty"),
        (GOOD_X.astype(str), GOOD_Y, TypeError, "X must be a numeric array"),
        (GOOD_X, np.array(["a", "b", "a", "b"]), TypeError, "y must be a numeric array"),
    ],
)
def test_fit_rejects_bad_input_and_never_mutates(make, X, y, error, words):
    copies = [np.array(v, copy=True) for v in (X, y)]
    with pytest.raises(error, match=words):
        make().fit(X, y)
    for before, after in zip(copies, (X, y)):
        assert before.dtype == after.dtype and before.tobytes() == after.tobytes()


@pytest.mark.parametrize("make", MODELS, ids=["Perceptron", "AdalineGD", "AdalineSGD", "AdalineMiniBatchGD"])
def test_predict_checks_fitted_and_features(make):
    model = make()
    with pytest.raises(ValueError, match="not fitted yet"):
        model.predict(GOOD_X)
    with pytest.raises(ValueError, match="not fitted yet"):
        model.net_input(GOOD_X)
    X, y = GOOD_X.copy(), GOOD_Y.copy()
    model.fit(X, y)
    assert np.array_equal(X, GOOD_X) and np.array_equal(y, GOOD_Y)      # fit does not modify its inputs
    assert np.array_equal(model.predict(GOOD_X), GOOD_Y)
    with pytest.raises(ValueError, match=r"X must have shape \(any, 2\), got \(4, 3\)"):
        model.predict(np.ones((4, 3)))
    with pytest.raises(ValueError, match="X must be a 2-D array"):
        model.predict(GOOD_X[0])


@pytest.mark.parametrize("make", MODELS, ids=["Perceptron", "AdalineGD", "AdalineSGD", "AdalineMiniBatchGD"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept(make, dtype):
    model = make().fit(GOOD_X.astype(dtype), GOOD_Y)
    assert model.w_.dtype == dtype and model.net_input(GOOD_X.astype(dtype)).dtype == dtype


def test_shuffling_does_not_touch_the_callers_arrays(iris_std):
    X, y = iris_std
    X_copy, y_copy = X.copy(), y.copy()
    AdalineSGD(eta=0.01, n_iter=3, random_state=0).fit(X, y)
    AdalineMiniBatchGD(eta=0.01, n_iter=3, batch_size=8, random_state=0).fit(X, y)
    assert np.array_equal(X, X_copy) and np.array_equal(y, y_copy)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(eta=0), "eta must be positive"),
        (dict(eta=-0.1), "eta must be positive"),
        (dict(n_iter=2.5), "n_iter must be a non-negative integer"),
        (dict(n_iter=-1), "n_iter must be a non-negative integer"),
        (dict(random_state=-1), "random_state must be None or an integer"),
        (dict(random_state=1.5), "random_state must be None or an integer"),
        (dict(init="ones"), "init must be 'normal' or 'zeros'"),
    ],
)
def test_bad_hyperparameters(kwargs, words):
    for cls in (Perceptron, AdalineGD, AdalineSGD, AdalineMiniBatchGD):
        with pytest.raises(ValueError, match=words):
            cls(**kwargs)
    model = Perceptron()
    for key, value in kwargs.items():
        setattr(model, key, value)
    with pytest.raises(ValueError, match=words):              # checked again by fit
        model.fit(GOOD_X, GOOD_Y)


def test_bad_batch_settings_and_repr():
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        AdalineMiniBatchGD(batch_size=0)
    with pytest.raises(ValueError, match="shuffle must be True or False"):
        AdalineSGD(shuffle="yes")
    assert repr(Perceptron(eta=0.1, n_iter=10, init="zeros")) == "Perceptron(eta=0.1, n_iter=10, random_state=1, init='zeros')"
    assert "batch_size" not in repr(AdalineSGD()) and "batch_size=32" in repr(AdalineMiniBatchGD())


def test_random_state_none_still_works():
    ppn = Perceptron(eta=0.1, n_iter=10, random_state=None).fit(GOOD_X, GOOD_Y)
    assert np.array_equal(ppn.predict(GOOD_X), GOOD_Y)
