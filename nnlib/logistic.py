"""Logistic regression as a one-neuron network, with the course's names and signatures.

Derived and checked in the chapter *Logistic regression as a neural network*.

Shapes: ``X`` (n_x, m) with one example per column, ``Y`` (1, m) of 0/1 labels,
``w`` (n_x, 1), ``b`` a scalar; ŷ = A = σ(wᵀX + b) has shape (1, m).
"""

import numpy as np

from nnlib._validate import as_float_array, as_labels, as_scalar, check_int, check_positive, check_shape
from nnlib import metrics
from nnlib.activations import sigmoid
from nnlib import _kernels as K
from nnlib._kernels import logit_losses as _logit_losses


def initialize_with_zeros(dim, dtype=np.float64):
    """Return ``w`` of zeros with shape (dim, 1) and ``b = 0.0`` (a Python float).

    Zeros are fine for logistic regression: its cost is convex, and there is one neuron, so no
    symmetry between units needs breaking.
    """
    return np.zeros((check_int("dim", dim), 1), dtype=dtype), 0.0


def _check_wbX(w, b, X):
    X = as_float_array("X", X, ndim=2)
    w = as_float_array("w", w, ndim=2)
    check_shape("w", w, (X.shape[0], 1))
    b = as_scalar("b", b)
    return w, b, X


def propagate(w, b, X, Y):
    """Forward and backward pass of logistic regression: the cost and its gradients.

    Parameters
    ----------
    w : (n_x, 1) weights
    b : scalar bias
    X : (n_x, m) inputs, one example per column
    Y : (1, m) labels in {0, 1}

    Returns
    -------
    grads : dict with ``"dw"`` (n_x, 1) = (1/m) X (A − Y)ᵀ and ``"db"`` (scalar) = (1/m) Σ (A − Y)
    cost : 0-d array, J = −(1/m) Σ [y log a + (1 − y) log(1 − a)], computed from z = wᵀX + b so
        that it stays finite when a rounds to 0 or 1
    """
    w, b, X = _check_wbX(w, b, X)
    Y = as_labels("Y", Y, X.shape[1], dtype=X.dtype)
    return _propagate(w, b, X, Y)


def _propagate(w, b, X, Y):
    """:func:`propagate` on inputs already validated (the training loop checks them once)."""
    m = X.shape[1]
    Z = w.T @ X + b
    A = sigmoid(Z)
    cost = np.squeeze(np.array(_logit_losses(Z, Y).sum(dtype=Z.dtype) / m))
    dZ = A - Y
    dw = (X @ dZ.T) / m
    db = np.sum(dZ) / m
    return {"dw": dw, "db": db}, cost


def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    """Gradient descent on (w, b): ``num_iterations`` steps of w ← w − α dw, b ← b − α db.

    Returns
    -------
    params : dict with the final ``"w"`` (n_x, 1) and ``"b"``
    grads : dict with the gradients ``"dw"``, ``"db"`` of the last step
    costs : list of the cost before steps 0, 100, 200, ... (printed too when ``print_cost``)

    ``w`` and ``b`` are not modified in place.
    """
    w, b, X = _check_wbX(w, b, X)
    Y = as_labels("Y", Y, X.shape[1], dtype=X.dtype)
    num_iterations = check_int("num_iterations", num_iterations, minimum=0)
    learning_rate = check_positive("learning_rate", learning_rate)
    w = w.copy()
    costs = []
    grads = {"dw": np.zeros_like(w), "db": 0.0}
    for i in range(num_iterations):
        grads, cost = _propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * float(grads["db"])
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print("Cost after iteration %i: %f" % (i, cost))
    return {"w": w, "b": b}, grads, costs


def predict(w, b, X):
    """Predict 0/1 labels: 1 where σ(wᵀx + b) > 0.5. ``w`` may be (n_x, 1) or (n_x,).

    Returns
    -------
    Y_prediction : (1, m) float array of 0.0 and 1.0
    """
    X = as_float_array("X", X, ndim=2)
    w = as_float_array("w", w)
    if w.ndim == 1 and w.shape[0] == X.shape[0]:
        w = w.reshape(-1, 1)
    check_shape("w", w, (X.shape[0], 1))
    b = as_scalar("b", b)
    A = sigmoid(w.T @ X + b)
    return (A > K.THRESHOLD).astype(X.dtype)


def accuracy(Y_prediction, Y):
    """Percentage of predictions equal to the labels, as the course prints it: 100 − mean|ŷ − y|·100.

    Y_prediction : (1, m) predicted labels in {0, 1} (:func:`predict`); Y : (1, m) (or (m,)) labels.
    A course-compatible form of :func:`nnlib.metrics.accuracy`: for 0/1 labels mean|ŷ − y| is the
    fraction wrong, computed here from the count in the dtype of ŷ − y, so the value is the course's
    to the last bit (``99.04306220095694``, ``70.0``).
    """
    Y_prediction = as_float_array("Y_prediction", Y_prediction, ndim=2)
    Y_prediction = as_labels("Y_prediction", Y_prediction, Y_prediction.shape[1])
    Y = as_labels("Y", Y, Y_prediction.shape[1])
    check_shape("Y_prediction", Y_prediction, Y.shape)
    wrong = Y.size - metrics.accuracy(Y, Y_prediction, normalize=False)
    return float(100 - np.result_type(Y_prediction, Y).type(wrong) / Y.size * 100)


def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):
    """Train logistic regression from zeros and predict on the training and the test set.

    Parameters
    ----------
    X_train : (n_x, m_train), Y_train : (1, m_train)
    X_test : (n_x, m_test), Y_test : (1, m_test) (``(m_test,)`` is accepted)

    Returns
    -------
    d : dict with ``"costs"`` (every 100 iterations), ``"Y_prediction_test"``,
        ``"Y_prediction_train"``, ``"w"``, ``"b"``, ``"learning_rate"``, ``"num_iterations"``,
        and ``"train_accuracy"``, ``"test_accuracy"`` (percentages)
    """
    X_train = as_float_array("X_train", X_train, ndim=2)
    X_test = as_float_array("X_test", X_test, ndim=2)
    check_shape("X_test", X_test, (X_train.shape[0], None))
    Y_train = as_labels("Y_train", Y_train, X_train.shape[1])
    Y_test = as_labels("Y_test", Y_test, X_test.shape[1])
    w, b = initialize_with_zeros(X_train.shape[0], dtype=X_train.dtype)
    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)
    w, b = params["w"], params["b"]
    Y_prediction_test = predict(w, b, X_test)
    Y_prediction_train = predict(w, b, X_train)
    train_accuracy = accuracy(Y_prediction_train, Y_train)
    test_accuracy = accuracy(Y_prediction_test, Y_test)
    if print_cost:
        print("train accuracy: {} %".format(train_accuracy))
        print("test accuracy: {} %".format(test_accuracy))
    return {
        "costs": costs,
        "Y_prediction_test": Y_prediction_test,
        "Y_prediction_train": Y_prediction_train,
        "w": w,
        "b": b,
        "learning_rate": learning_rate,
        "num_iterations": num_iterations,
        "train_accuracy": train_accuracy,
        "test_accuracy": test_accuracy,
    }
