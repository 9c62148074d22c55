"""nnlib.metrics against scikit-learn's metrics (the oracle), the course's two accuracy formulas, and
learning_curve against direct calls of deep.L_layer_model."""

import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from sklearn import metrics as sk

from nnlib import deep, logistic, metrics, shallow
from nnlib.dnn_utils import one_hot


@st.composite
def label_pairs(draw, max_classes=5):
    """Two label vectors of the same length m ≥ 1 with labels in 0..K − 1, as (m,) or (1, m)."""
    K = draw(st.integers(1, max_classes))
    m = draw(st.integers(1, 40))
    labels = st.lists(st.integers(0, K - 1), min_size=m, max_size=m)
    y_true, y_pred = np.array(draw(labels)), np.array(draw(labels))
    if draw(st.booleans()):
        y_true, y_pred = y_true.reshape(1, -1), y_pred.reshape(1, -1)
    return y_true, y_pred


def _sklearn(function, *args, **kwargs):
    """scikit-learn's value, with its warnings about one-label or empty classes silenced (nnlib gives none)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*(np.ravel(a) for a in args), **kwargs)


@given(label_pairs())
def test_confusion_matrix_and_accuracy_match_sklearn(pair):
    y_true, y_pred = pair
    C = metrics.confusion_matrix(y_true, y_pred)
    assert C.dtype == np.int64
    np.testing.assert_array_equal(C, _sklearn(sk.confusion_matrix, y_true, y_pred))
    assert metrics.accuracy(y_true, y_pred) == _sklearn(sk.accuracy_score, y_true, y_pred)
    assert metrics.accuracy(y_true, y_pred, normalize=False) == _sklearn(sk.accuracy_score, y_true, y_pred, normalize=False)
    assert C.sum() == np.size(y_true) and np.trace(C) == metrics.accuracy(y_true, y_pred, normalize=False)


@given(label_pairs(), st.sampled_from(["macro", "micro", "weighted", None]), st.sampled_from([0.0, 1.0]))
def test_precision_recall_f1_match_sklearn(pair, average, zero_division):
    y_true, y_pred = pair
    ours = metrics.precision_recall_f1(y_true, y_pred, average=average, zero_division=zero_division)
    theirs = _sklearn(sk.precision_recall_fscore_support, y_true, y_pred, average=average,
                      zero_division=zero_division)[:3]
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
    if average is not None:
        assert all(isinstance(v, float) for v in ours)


@given(label_pairs(max_classes=2), st.sampled_from([0.0, 1.0]))
def test_binary_scores_match_sklearn(pair, zero_division):
    y_true, y_pred = pair
    ours = metrics.precision_recall_f1(y_true, y_pred, zero_division=zero_division)
    theirs = _sklearn(sk.precision_recall_fscore_support, y_true, y_pred, average="binary", zero_division=zero_division)
    np.testing.assert_allclose(ours, theirs[:3], rtol=1e-12)


@given(label_pairs(max_classes=4))
def test_labels_select_and_order_the_classes_as_in_sklearn(pair):
    y_true, y_pred = pair
    labels = [3, 0, 2]                       # a subset, in another order; class 1 is not counted
    assume(np.isin(labels, y_true).any())    # scikit-learn refuses labels none of which is a true label
    np.testing.assert_array_equal(metrics.confusion_matrix(y_true, y_pred, labels=labels),
                                  _sklearn(sk.confusion_matrix, y_true, y_pred, labels=labels))
    np.testing.assert_allclose(metrics.precision_recall_f1(y_true, y_pred, average=None, labels=labels),
                               _sklearn(sk.precision_recall_fscore_support, y_true, y_pred, average=None,
                                        labels=labels, zero_division=0)[:3], rtol=1e-12)


@given(label_pairs())
def test_f1_is_the_harmonic_mean_and_micro_scores_are_the_accuracy(pair):
    y_true, y_pred = pair
    P, R, F = metrics.precision_recall_f1(y_true, y_pred, average=None)
    both = (P > 0) & (R > 0)
    np.testing.assert_allclose(F[both], 2 * P[both] * R[both] / (P[both] + R[both]), rtol=1e-12)
    assert np.all(F[~both] == 0)
    assert metrics.precision_recall_f1(y_true, y_pred, average="micro") == (metrics.accuracy(y_true, y_pred),) * 3


def test_hand_counted_case():
    y_true = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    y_pred = np.array([1, 1, 1, 0, 1, 1, 0, 0, 0, 0])          # TP 3, FN 1, FP 2, TN 4
    np.testing.assert_array_equal(metrics.confusion_matrix(y_true, y_pred), [[4, 2], [1, 3]])
    assert metrics.precision_recall_f1(y_true, y_pred) == (3 / 5, 3 / 4, 6 / 9)
    assert metrics.accuracy(y_true, y_pred) == 0.7


def test_float32_and_bool_labels_give_the_same_scores():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 2, 50), rng.integers(0, 2, 50)
    expected = metrics.precision_recall_f1(y_true, y_pred)
    assert metrics.precision_recall_f1(y_true.astype(np.float32), y_pred.astype(bool)) == expected
    assert metrics.precision_recall_f1(y_true.reshape(1, -1), y_pred.astype(np.float32).reshape(1, -1)) == expected


@pytest.mark.parametrize("call, words", [
    (lambda: metrics.accuracy(np.zeros((3, 1)), np.zeros((3, 1))), ["y_true", "(m,) or (1, m)", "(3, 1)"]),
    (lambda: metrics.accuracy(np.zeros(3), np.zeros(4)), ["y_pred", "3", "4"]),
    (lambda: metrics.accuracy(np.zeros(3), np.zeros(3), normalize=1), ["normalize"]),
    (lambda: metrics.confusion_matrix([0, 1], [1, 0], labels=[1, 1]), ["labels", "distinct"]),
    (lambda: metrics.precision_recall_f1([0, 1, 2], [0, 1, 2]), ["binary", "labels", "[0.0, 1.0, 2.0]"]),
    (lambda: metrics.precision_recall_f1([0, 2], [2, 0]), ["pos_label=1"]),
    (lambda: metrics.precision_recall_f1([0, 1], [1, 0], average="samples"), ["average", "macro"]),
    (lambda: metrics.precision_recall_f1([0, 1], [1, 0], zero_division=2), ["zero_division"]),
    (lambda: metrics.accuracy([np.nan, 1], [0, 1]), ["y_true", "finite"]),
])
def test_bad_inputs_raise_clear_errors(call, words):
    with pytest.raises(ValueError) as error:
        call()
    assert all(w in str(error.value) for w in words), str(error.value)


def test_nnlib_metrics_does_not_import_sklearn():
    code = "import sys, nnlib.metrics, nnlib.logistic, nnlib.shallow; assert 'sklearn' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# --------------------------------------------------------------------------- the course's accuracies


@given(st.integers(1, 300), st.sampled_from([np.float32, np.float64]), st.sampled_from([np.float32, np.float64, np.uint8]),
       st.floats(0, 1), st.integers(0, 2**32 - 1))
def test_course_accuracies_are_the_course_formulas_to_the_last_bit(m, dtype, label_dtype, rate, seed):
    """logistic.accuracy is 100 − mean|ŷ − y|·100 and shallow.accuracy 100·mean(ŷ == y), as before they
    became wrappers of metrics.accuracy: same value, same float, in float32 and float64."""
    rng = np.random.default_rng(seed)
    p = (rng.random((1, m)) < rate).astype(dtype)
    Y = (rng.random((1, m)) < 0.5).astype(label_dtype)
    Y_as_float = Y.astype(np.float64) if label_dtype == np.uint8 else Y
    assert logistic.accuracy(p, Y) == float(100 - np.mean(np.abs(p - Y_as_float)) * 100)
    assert shallow.accuracy(p, Y) == float(100 * np.mean(p == Y.astype(dtype)))
    assert type(logistic.accuracy(p, Y)) is float and type(shallow.accuracy(p, Y)) is float


def test_course_accuracy_values():
    p = np.array([[1.0, 1.0, 0.0]])
    assert logistic.accuracy(p, np.array([[1, 0, 0]])) == float(100 - np.mean([0, 1, 0]) * 100)
    assert shallow.accuracy(np.ones((2, 3)), np.array([[1, 1, 0], [1, 0, 0]])) == 50.0     # all n_y · m entries count
    with pytest.raises(ValueError, match="Y_prediction"):
        logistic.accuracy(np.array([[0.5, 1.0, 0.0]]), np.array([[1, 0, 0]]))       # predictions are labels


# --------------------------------------------------------------------------- learning_curve


def _digits(m=240):
    from sklearn.datasets import load_digits

    d = load_digits()
    X = (d.data[:m].T / 16).astype(np.float32)
    return X, d.target[:m].reshape(1, -1)


def test_learning_curve_is_a_loop_of_L_layer_model_softmax():
    X, y = _digits()
    X_tr, y_tr, X_dv, y_dv = X[:, :160], y[:, :160], X[:, 160:], y[:, 160:]
    options = dict(learning_rate=0.01, num_iterations=20, optimizer="adam", seed=3)
    sizes, train_err, dev_err = metrics.learning_curve(X_tr, y_tr, X_dv, y_dv, [64, 8, 10], [40, 160], **options)
    np.testing.assert_array_equal(sizes, [40, 160])
    for k, n in enumerate(sizes):
        p, _ = deep.L_layer_model(X_tr[:, :n], one_hot(y_tr[:, :n], 10).astype(np.float32), [64, 8, 10],
                                  output="softmax", **options)
        assert train_err[k] == 1 - np.mean(deep.predict_classes(X_tr[:, :n], p) == y_tr[:, :n])
        assert dev_err[k] == 1 - np.mean(deep.predict_classes(X_dv, p) == y_dv)
    assert train_err.dtype == dev_err.dtype == np.float64


def test_learning_curve_with_a_sigmoid_output():
    X, y = _digits()
    y8 = (y == 8).astype(float)
    sizes, train_err, dev_err = metrics.learning_curve(X[:, :160], y8[:, :160], X[:, 160:], y8[:, 160:], [64, 1],
                                                       [80, 160], learning_rate=0.5, num_iterations=50)
    p, _ = deep.L_layer_model(X[:, :80], y8[:, :80], [64, 1], learning_rate=0.5, num_iterations=50)
    assert dev_err[0] == np.mean((deep.L_model_forward(X[:, 160:], p)[0] > 0.5) != y8[:, 160:])
    assert np.all((0 <= train_err) & (train_err <= 1)) and np.all(dev_err < 0.5)


@pytest.mark.parametrize("kwargs, words", [
    ({"train_sizes": [20, 10]}, ["train_sizes", "increasing"]),
    ({"train_sizes": [10, 500]}, ["train_sizes", "[1, 40]"]),
    ({"train_sizes": [0, 10]}, ["train_sizes[0]", "positive"]),
    ({"Y_dev": np.full((1, 20), 10)}, ["Y_dev", "0, ..., 9"]),
    ({"Y": np.full((1, 40), 2.5)}, ["Y", "integer"]),
    ({"X_dev": np.zeros((63, 20))}, ["X_dev", "(64, any)"]),
    ({"layers_dims": 10}, ["layers_dims"]),
])
def test_learning_curve_rejects_bad_input(kwargs, words):
    X, y = _digits(60)
    call = dict(X=X[:, :40], Y=y[:, :40], X_dev=X[:, 40:], Y_dev=y[:, 40:], layers_dims=[64, 10], train_sizes=[10, 40],
                num_iterations=2) | kwargs
    with pytest.raises(ValueError) as error:
        metrics.learning_curve(**call)
    assert all(w in str(error.value) for w in words), str(error.value)
