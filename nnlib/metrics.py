"""Evaluation metrics: accuracy, the confusion matrix, precision, recall and F1; learning curves.

Derived and used in the chapter *Structuring machine-learning projects: metrics, splits,
human-level performance, error analysis*. The names, argument order ``(y_true, y_pred)`` and
conventions are scikit-learn's (``accuracy_score``, ``confusion_matrix``,
``precision_recall_fscore_support``), which the tests use as the oracle; nnlib itself is plain numpy.

Labels are class labels, one per example: a vector ``(m,)`` or the course's row ``(1, m)`` (what
``deep.predict`` and ``deep.predict_classes`` return); any finite numbers, compared for equality.
The results are counts (integers) and ratios of counts (Python floats, float64 arrays), so the
float32/float64 dtype of the labels does not enter them.
"""

import numpy as np

from nnlib import deep
from nnlib._validate import as_float_array, as_labels, check_choice, check_int, check_interval, check_shape
from nnlib.dnn_utils import one_hot

AVERAGES = ("binary", "macro", "micro", "weighted", None)


def _as_label_vector(name, y):
    """A vector of m labels from ``(m,)`` or ``(1, m)``; anything else (``(m, 1)`` above all) raises."""
    y = as_float_array(name, y)
    if not (y.ndim == 1 or (y.ndim == 2 and y.shape[0] == 1)):
        raise ValueError(f"{name} must have shape (m,) or (1, m): one label per example, got {y.shape}")
    return y.reshape(-1)


def _label_pair(y_true, y_pred):
    y_true, y_pred = _as_label_vector("y_true", y_true), _as_label_vector("y_pred", y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_pred must hold one label per example of y_true: {y_true.shape[0]} labels, "
                         f"got {y_pred.shape[0]}")
    return y_true, y_pred


def accuracy(y_true, y_pred, normalize=True):
    """The fraction of examples whose predicted label equals the true one (scikit-learn's ``accuracy_score``).

    Parameters
    ----------
    y_true, y_pred : (m,) or (1, m) labels, one per example
    normalize : True: the fraction correct, a Python float in [0, 1]; False: the number correct (int)

    The one accuracy formula of nnlib: ``logistic.accuracy`` and ``shallow.accuracy`` return it in the
    course's percent forms.
    """
    y_true, y_pred = _label_pair(y_true, y_pred)
    correct = int(np.count_nonzero(y_true == y_pred))
    if not isinstance(normalize, (bool, np.bool_)):
        raise ValueError(f"normalize must be True or False, got {normalize!r}")
    return correct / y_true.size if normalize else correct


def _class_list(labels):
    labels = as_float_array("labels", labels, ndim=1)
    if np.unique(labels).size != labels.size:
        raise ValueError(f"labels must be distinct, got {labels.tolist()}")
    return labels


def confusion_matrix(y_true, y_pred, labels=None):
    """Counts of (true, predicted) label pairs: ``C[i, j]`` examples of class ``labels[i]`` predicted as ``labels[j]``.

    Parameters
    ----------
    y_true, y_pred : (m,) or (1, m) labels, one per example
    labels : None (the sorted labels present in either) or the K distinct labels, in the order of
        the rows and columns; examples whose labels are not among them are not counted

    Returns
    -------
    C : (K, K) int64 array; rows are true classes, columns predicted ones (scikit-learn's layout), so
    the diagonal holds the correct predictions, ``C.sum(axis=1)`` the support of each class and
    ``C.sum()`` ≤ m.
    """
    y_true, y_pred = _label_pair(y_true, y_pred)
    labels = np.unique(np.concatenate([y_true, y_pred])) if labels is None else _class_list(labels)
    K = labels.size
    sorter = np.argsort(labels, kind="stable")
    rows, cols = [], []
    for y, out in ((y_true, rows), (y_pred, cols)):
        pos = np.clip(np.searchsorted(labels, y, sorter=sorter), 0, K - 1)
        out.append((sorter[pos], labels[sorter[pos]] == y))
    (i, ok_i), (j, ok_j) = rows[0], cols[0]
    keep = ok_i & ok_j
    return np.bincount(i[keep] * K + j[keep], minlength=K * K).reshape(K, K).astype(np.int64)


def _ratio(num, den, zero_division):
    num, den = np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64)
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), zero_division)


def precision_recall_f1(y_true, y_pred, average="binary", pos_label=1, labels=None, zero_division=0.0):
    """Precision TP/(TP + FP), recall TP/(TP + FN) and F1 = 2TP/(2TP + FP + FN), from the confusion matrix.

    Parameters
    ----------
    y_true, y_pred : (m,) or (1, m) labels, one per example
    average : ``"binary"`` (default): the scores of the class ``pos_label``; the labels present may
        be at most two, ``pos_label`` among them when there are two. ``None``: one score per class of
        ``labels``. ``"macro"``: their unweighted mean; ``"weighted"``: their mean weighted by the
        support (number of true examples) of each class; ``"micro"``: the scores of the summed
        TP, FP and FN (for all classes of a multi-class problem, each equals the accuracy)
    pos_label : the positive class of ``average="binary"``
    labels : the classes to score (``None``: every label present); unlike :func:`confusion_matrix`,
        errors into or from the other classes still count as FP and FN of these
    zero_division : the value of a score whose denominator is 0 (a class never predicted has no
        precision), 0.0 by default; scikit-learn's ``zero_division=0``, without a warning

    Returns
    -------
    (precision, recall, f1) : Python floats, or with ``average=None`` three (K,) float64 arrays.
    F1 is the harmonic mean of precision and recall (the chapter derives 2TP/(2TP + FP + FN)).
    """
    if average is not None:
        check_choice("average", average, AVERAGES[:-1])
    zero_division = check_interval("zero_division", zero_division, 0, 1)
    y_true, y_pred = _label_pair(y_true, y_pred)
    present = np.unique(np.concatenate([y_true, y_pred]))
    if average == "binary":
        if present.size > 2 or (present.size == 2 and pos_label not in present):
            raise ValueError(f"average='binary' needs at most two labels, pos_label={pos_label!r} among them; "
                             f"got labels {present.tolist()} (use average='macro', 'micro', 'weighted' or None)")
        labels = [pos_label]
    labels = present if labels is None else _class_list(labels)
    every = np.union1d(present, labels)        # every class, so that errors into unscored classes still count
    C = confusion_matrix(y_true, y_pred, labels=every)
    scored = np.searchsorted(every, labels)
    tp = np.diag(C)[scored]
    fp, fn = C.sum(axis=0)[scored] - tp, C.sum(axis=1)[scored] - tp
    if average == "micro":
        tp, fp, fn = tp.sum(), fp.sum(), fn.sum()
    precision, recall = _ratio(tp, tp + fp, zero_division), _ratio(tp, tp + fn, zero_division)
    f1 = _ratio(2 * tp, 2 * tp + fp + fn, zero_division)
    if average is None:
        return precision, recall, f1
    if average in ("macro", "weighted"):
        weights = None if average == "macro" else (tp + fn).astype(np.float64)
        if weights is not None and weights.sum() == 0:
            return (zero_division,) * 3
        precision, recall, f1 = (np.average(s, weights=weights) for s in (precision, recall, f1))
    return float(np.squeeze(precision)), float(np.squeeze(recall)), float(np.squeeze(f1))


def _targets(name, y, K, dtype):
    """The training targets of K outputs: 0/1 labels (1, m) for K = 1, else the one-hot (K, m) matrix."""
    if K == 1:
        return as_labels(name, y, y.size, dtype=dtype)
    try:
        return one_hot(y, K).astype(dtype)
    except ValueError as error:
        raise ValueError(f"{name}: {error} (class labels 0, ..., {K - 1} for {K} softmax outputs)") from None


def _predict_labels(X, parameters, n_out):
    if n_out == 1:
        return (deep.L_model_forward(X, parameters)[0] > 0.5).astype(np.int64)
    return deep.predict_classes(X, parameters)


def learning_curve(X, Y, X_dev, Y_dev, layers_dims, train_sizes, **model_options):
    """Training and dev error of ``deep.L_layer_model`` trained on the first n examples, for each n.

    Parameters
    ----------
    X : (n_x, m) training inputs (shuffle them first: the first n columns are used); Y : (1, m)
        class labels — 0/1 for a sigmoid output (``layers_dims[-1] == 1``), 0, ..., K − 1 for a
        softmax output of K = ``layers_dims[-1]`` units (one-hot encoded here)
    X_dev : (n_x, m_dev), Y_dev : (1, m_dev) the dev set, labelled the same way
    layers_dims : ``[n_x, n^[1], ..., n^[L]]``, as for :func:`nnlib.deep.L_layer_model`
    train_sizes : increasing training-set sizes n, each in [1, m]
    model_options : passed to :func:`nnlib.deep.L_layer_model` (``learning_rate``,
        ``num_iterations``, ``optimizer``, ``lambd``, ``seed``, ...): every size starts from the same seed

    Returns
    -------
    (train_sizes, train_errors, dev_errors) : three (len(train_sizes),) arrays; the errors are
    1 − :func:`accuracy`, on the n examples trained on and on the whole dev set.
    """
    X = as_float_array("X", X, ndim=2)
    X_dev = check_shape("X_dev", as_float_array("X_dev", X_dev, ndim=2), (X.shape[0], None))
    m, K = X.shape[1], layers_dims[-1] if isinstance(layers_dims, (list, tuple)) and layers_dims else None
    y, y_dev = _as_label_vector("Y", Y), _as_label_vector("Y_dev", Y_dev)
    if y.size != m or y_dev.size != X_dev.shape[1]:
        raise ValueError(f"Y and Y_dev must hold one label per column of X and X_dev: expected {m} and "
                         f"{X_dev.shape[1]}, got {y.size} and {y_dev.size}")
    sizes = [check_int(f"train_sizes[{k}]", n) for k, n in enumerate(np.atleast_1d(train_sizes).tolist())]
    if not sizes or any(b <= a for a, b in zip(sizes, sizes[1:])) or sizes[-1] > m:
        raise ValueError(f"train_sizes must be increasing sizes in [1, {m}] (the number of examples), got {sizes}")
    if not isinstance(K, (int, np.integer)) or isinstance(K, bool) or K < 1:
        raise ValueError(f"layers_dims must be a list [n_x, ..., n^[L]] ending in the number of outputs, got {layers_dims!r}")
    targets = _targets("Y", y, K, X.dtype)
    _targets("Y_dev", y_dev, K, X.dtype)
    output = "sigmoid" if K == 1 else "softmax"
    train_err, dev_err = [], []
    for n in sizes:
        parameters, _ = deep.L_layer_model(X[:, :n], targets[:, :n], layers_dims, output=output, **model_options)
        train_err.append(1 - accuracy(y[:n], _predict_labels(X[:, :n], parameters, K)))
        dev_err.append(1 - accuracy(y_dev, _predict_labels(X_dev, parameters, K)))
    return np.array(sizes), np.array(train_err), np.array(dev_err)
