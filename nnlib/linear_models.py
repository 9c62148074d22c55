"""The early neurons: the McCulloch–Pitts threshold unit, Rosenblatt's perceptron and Adaline.

Derived and checked in the chapters *The perceptron* (``threshold_unit``, ``Perceptron``) and
*Adaline and gradient descent* (``sse_cost_gradient``, ``AdalineGD``, ``AdalineSGD``,
``AdalineMiniBatchGD``).

**Rows, not columns.** Unlike the rest of nnlib (and the course), the classes here follow the API
of Raschka's *Python Machine Learning* — the scikit-learn convention:

* ``X`` has shape ``(n_samples, n_features)``: one example per **row**;
* ``y`` has shape ``(n_samples,)`` with labels in {−1, 1};
* the weights are one vector ``w_`` of length ``1 + n_features`` with the **bias first**:
  z = ``w_[0] + X @ w_[1:]``, shape ``(n_samples,)``.

To train ``nnlib.logistic`` on the same data, transpose and relabel:
``logistic.model(X.T, ((y + 1) / 2).reshape(1, -1), ...)`` — ``X.T`` is ``(n_x, m)``, labels 0/1.

**Initial weights.** ``init="normal"`` (the default) draws them from N(0, 0.01²) with
``np.random.RandomState(random_state)``, as Raschka's 2nd and later editions do, so that the same
``random_state`` gives his numbers; ``init="zeros"`` starts from zeros, as his 1st edition does
(needed for the classic Iris result w = [−0.4, −0.68, 1.82]). ``random_state`` also drives the
shuffling of the stochastic and mini-batch versions; ``None`` means "seed from the OS".

Inputs are validated (``ValueError`` naming the problem; ``TypeError`` for non-numeric data) and
never modified; float32 data gives float32 weights.
"""

import numpy as np

from nnlib._validate import as_float_array, as_scalar, check_int, check_interval, check_positive, check_shape

__all__ = ["threshold_unit", "sse_cost_gradient", "Perceptron", "AdalineGD", "AdalineSGD", "AdalineMiniBatchGD"]


# ---------------------------------------------------------------- McCulloch–Pitts (1943)

def threshold_unit(X, w, theta):
    """A McCulloch–Pitts neuron: fires (1) where the weighted input reaches the threshold, else 0.

    Parameters
    ----------
    X : (n_samples, n_features) inputs, one example per row (McCulloch and Pitts used 0/1 inputs;
        any real inputs are accepted, which gives the geometric picture of a half-plane)
    w : (n_features,) weights — +1 for an excitatory input, −1 for an inhibitory one, say
    theta : scalar threshold θ

    Returns
    -------
    (n_samples,) int array: 1 where ``X @ w >= theta``, 0 elsewhere
    """
    X = as_float_array("X", X, ndim=2)
    w = as_float_array("w", w, ndim=1)
    check_shape("w", w, (X.shape[1],))
    theta = as_scalar("theta", theta)
    return (X @ w >= theta).astype(int)


# ---------------------------------------------------------------- Adaline's cost and its gradient

def sse_cost_gradient(w, X, y):
    """Adaline's cost J(w) = ½ Σᵢ (yᵢ − zᵢ)² with zᵢ = w[0] + X[i] @ w[1:], and its gradient.

    Parameters
    ----------
    w : (1 + n_features,) weights, bias first
    X : (n_samples, n_features), one example per row
    y : (n_samples,) targets (any real numbers: the cost does not need labels)

    Returns
    -------
    cost : float
    grad : (1 + n_features,) ∇J, bias first: [−Σᵢ eᵢ, −Xᵀe] with e = y − z
    """
    X = as_float_array("X", X, ndim=2)
    w = as_float_array("w", w, ndim=1)
    check_shape("w", w, (1 + X.shape[1],))
    y = as_float_array("y", y, ndim=1)
    check_shape("y", y, (X.shape[0],))
    cost, grad = _sse_cost_gradient(w, X, y)
    return float(cost), grad


def _sse_cost_gradient(w, X, y):
    """:func:`sse_cost_gradient` on validated inputs (the training loops call this)."""
    errors = y - (X @ w[1:] + w[0])
    grad = np.empty_like(w)
    grad[0] = -errors.sum()
    grad[1:] = -(X.T @ errors)
    return (errors**2).sum() / 2.0, grad


# ---------------------------------------------------------------- shared machinery

def _check_Xy(X, y):
    """X as a 2-D float array, y as a (n_samples,) array of −1/+1 in X's dtype."""
    X = as_float_array("X", X, ndim=2)
    y = as_float_array("y", y)
    if y.ndim != 1:
        raise ValueError(f"y must be a 1-D array of shape ({X.shape[0]},), got shape {y.shape}")
    if y.shape[0] != X.shape[0]:
        raise ValueError(
            f"X and y must have the same number of samples: X has {X.shape[0]} rows, y has {y.shape[0]} labels"
        )
    _check_labels(y)
    return X, y.astype(X.dtype, copy=False)


def _check_labels(y):
    bad = ~np.isin(y, (-1.0, 1.0))
    if bad.any():
        raise ValueError(
            f"y must contain only the labels {{-1, 1}}, got {y[bad][0]:g} (at index {int(np.argmax(bad))}); "
            "for 0/1 labels pass 2 * y - 1"
        )


class _LinearNeuron:
    """Parameters, initial weights, net input and prediction shared by the perceptron and Adaline."""

    _params = ("eta", "n_iter", "random_state", "init")

    def __init__(self, eta=0.01, n_iter=50, random_state=1, init="normal"):
        self.eta = eta
        self.n_iter = n_iter
        self.random_state = random_state
        self.init = init
        self._check_params()

    def __repr__(self):
        args = ", ".join(f"{p}={getattr(self, p)!r}" for p in self._params)
        return f"{type(self).__name__}({args})"

    def _check_params(self):
        """Validate the hyper-parameters (called by ``__init__`` and again by ``fit``)."""
        eta = check_positive("eta", self.eta)
        n_iter = check_int("n_iter", self.n_iter, minimum=0)
        rs = self.random_state
        if rs is not None and (isinstance(rs, bool) or not isinstance(rs, (int, np.integer)) or not 0 <= rs < 2**32):
            raise ValueError(f"random_state must be None or an integer in [0, 2**32), got {rs!r}")
        if not isinstance(self.init, str) or self.init not in ("normal", "zeros"):
            raise ValueError(f"init must be 'normal' or 'zeros', got {self.init!r}")
        return eta, n_iter

    def _initialize_weights(self, n_features, dtype):
        """``w_`` of length 1 + n_features: N(0, 0.01²) draws from a fresh RandomState(random_state),
        or zeros. The same RandomState (``rgen``) later shuffles the data, as in Raschka's code."""
        self.rgen = np.random.RandomState(self.random_state)
        if self.init == "normal":
            w = self.rgen.normal(loc=0.0, scale=0.01, size=1 + n_features)
        else:
            w = np.zeros(1 + n_features)
        self.w_ = w.astype(dtype)
        self.w_initialized = True

    def _check_fitted_X(self, X):
        if getattr(self, "w_", None) is None:
            raise ValueError(f"this {type(self).__name__} is not fitted yet: call fit(X, y) first")
        X = as_float_array("X", X, ndim=2)
        check_shape("X", X, (None, self.w_.shape[0] - 1))
        return X

    def net_input(self, X):
        """z = w_[0] + X @ w_[1:] for X of shape (n_samples, n_features); returns (n_samples,)."""
        X = self._check_fitted_X(X)
        return X @ self.w_[1:] + self.w_[0]

    def predict(self, X):
        """Class labels after the unit step: 1 where z ≥ 0, else −1; (n_samples,) int array."""
        return np.where(self.net_input(X) >= 0.0, 1, -1)


# ---------------------------------------------------------------- Rosenblatt (1958)

class Perceptron(_LinearNeuron):
    """Rosenblatt's perceptron: ŷ = 1 if w_[0] + x @ w_[1:] ≥ 0 else −1, trained example by example
    with w ← w + η (y − ŷ) x̃ (x̃ = (1, x): the bias is the weight of a constant input 1).

    Parameters
    ----------
    eta : learning rate η > 0
    n_iter : number of passes (epochs) over the training data
    random_state : seed of ``np.random.RandomState`` for the initial weights (None: from the OS)
    init : ``"normal"`` (N(0, 0.01²), Raschka's later editions) or ``"zeros"`` (his 1st edition)

    After ``fit``, ``w_`` holds the (1 + n_features,) weights, bias first, and ``errors_`` the list of
    the number of misclassifications (= updates) in each epoch.

    X is (n_samples, n_features), one example per row; y is (n_samples,) in {−1, 1}.
    """

    def fit(self, X, y):
        """Train on X (n_samples, n_features) and y (n_samples,) in {−1, 1}; returns self.

        The examples are visited in the given order in every epoch (no shuffling).
        """
        eta, n_iter = self._check_params()
        X, y = _check_Xy(X, y)
        self._initialize_weights(X.shape[1], X.dtype)
        self.errors_ = []
        for _ in range(n_iter):
            self.errors_.append(len(_perceptron_epoch(self.w_, X, y, eta)))
        return self


def perceptron_epoch(w, X, y, eta=0.1):
    """One epoch of the perceptron rule (chapter *The perceptron*), as :meth:`Perceptron.fit` runs it.

    w : (1 + n_features,) weights, bias first; X : (n_samples, n_features); y : (n_samples,) in {−1, 1};
    eta : η > 0. Returns ``(w_new, mistakes)``: the weights after the epoch (a new array; ``w`` is not
    modified) and the indices of the examples that were misclassified (and so caused an update).
    """
    X, y = _check_Xy(X, y)
    w = check_shape("w", as_float_array("w", w, ndim=1), (X.shape[1] + 1,)).astype(X.dtype)
    eta = check_interval("eta", eta, 0, low_open=True)
    return w, _perceptron_epoch(w, X, y, eta)


def _perceptron_epoch(w, X, y, eta):
    """One pass of the perceptron rule over the rows of X in order; ``w`` is updated in place.

    Returns the indices of the examples that were misclassified (and so caused an update).
    """
    mistakes = []
    for i in range(X.shape[0]):
        xi = X[i]
        y_hat = 1.0 if xi @ w[1:] + w[0] >= 0.0 else -1.0
        update = eta * (y[i] - y_hat)          # 0 if right, ±2η if wrong
        if update != 0.0:
            w[1:] += update * xi
            w[0] += update
            mistakes.append(i)
    return mistakes


# ---------------------------------------------------------------- Widrow and Hoff (1960)

def _diverged(model, where):
    return FloatingPointError(
        f"{type(model).__name__} diverged: the cost overflowed {model.w_.dtype} in {where} with eta={model.eta!r}. "
        "The learning rate is too large for these features: use a smaller eta or standardize X. "
        "w_ holds the last finite weights, cost_ the finite costs."
    )


class AdalineGD(_LinearNeuron):
    """Adaline (ADAptive LInear NEuron) trained by full-batch gradient descent on
    J(w) = ½ Σᵢ (yᵢ − zᵢ)²: every epoch, w ← w − η ∇J = w + η Σᵢ (yᵢ − zᵢ) x̃ᵢ.

    The activation used for learning is the identity (z itself); the unit step is applied only to
    predict. Parameters as for :class:`Perceptron`.

    After ``fit``, ``w_`` holds the (1 + n_features,) weights, bias first, and ``cost_`` the list of J
    at the start of each epoch (before that epoch's update), as Raschka records it.

    If the cost overflows (η too large for the scale of X), ``fit`` stops and raises
    ``FloatingPointError`` with a message saying so; no numpy warning is emitted.
    """

    def fit(self, X, y):
        """Train on X (n_samples, n_features) and y (n_samples,) in {−1, 1}; returns self."""
        eta, n_iter = self._check_params()
        X, y = _check_Xy(X, y)
        self._initialize_weights(X.shape[1], X.dtype)
        self.cost_ = []
        with np.errstate(over="ignore", invalid="ignore"):
            for epoch in range(1, n_iter + 1):
                cost, grad = _sse_cost_gradient(self.w_, X, y)
                w_new = self.w_ - eta * grad
                if not (np.isfinite(cost) and np.all(np.isfinite(w_new))):
                    raise _diverged(self, f"epoch {epoch}")
                self.w_ = w_new
                self.cost_.append(float(cost))
        return self

class AdalineMiniBatchGD(_LinearNeuron):
    """Adaline trained by mini-batch gradient descent: each epoch (optionally shuffled) is cut into
    batches of ``batch_size`` rows, and each batch B gives one step w ← w + η Σ_{i∈B} (yᵢ − zᵢ) x̃ᵢ.

    ``batch_size=1`` is stochastic gradient descent (:class:`AdalineSGD`); ``batch_size=n_samples``
    is full-batch gradient descent (:class:`AdalineGD`), since the step sums over the batch.

    Parameters
    ----------
    eta, n_iter, random_state, init : as for :class:`Perceptron`
    batch_size : positive integer (the last batch of an epoch may be smaller)
    shuffle : reshuffle the rows before each epoch, with ``rgen.permutation`` (rgen =
        ``np.random.RandomState(random_state)``, drawn after the initial weights)

    After ``fit``, ``w_`` holds the (1 + n_features,) weights, bias first, and ``cost_`` the list, for
    each epoch, of the mean over its examples of ½ (yᵢ − zᵢ)², each computed just before the step that
    uses it (so ``AdalineGD.cost_ / n_samples`` is the same quantity).
    """

    _params = ("eta", "n_iter", "batch_size", "shuffle", "random_state", "init")

    def __init__(self, eta=0.01, n_iter=10, batch_size=32, shuffle=True, random_state=1, init="normal"):
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.w_initialized = False
        super().__init__(eta=eta, n_iter=n_iter, random_state=random_state, init=init)

    def _check_params(self):
        eta, n_iter = super()._check_params()
        check_int("batch_size", self.batch_size)
        if not isinstance(self.shuffle, (bool, np.bool_)):
            raise ValueError(f"shuffle must be True or False, got {self.shuffle!r}")
        return eta, n_iter

    def fit(self, X, y):
        """Train from fresh initial weights on X (n_samples, n_features), y (n_samples,) in {−1, 1}.

        Returns self. Refitting with the same ``random_state`` gives the same weights.
        """
        eta, n_iter = self._check_params()
        X, y = _check_Xy(X, y)
        self._initialize_weights(X.shape[1], X.dtype)
        self.cost_ = []
        for epoch in range(1, n_iter + 1):
            if self.shuffle:
                r = self.rgen.permutation(len(y))
                X_epoch, y_epoch = X[r], y[r]
            else:
                X_epoch, y_epoch = X, y
            cost = self._run_epoch(X_epoch, y_epoch, eta, f"epoch {epoch}")
            self.cost_.append(cost / len(y))
        return self

    def partial_fit(self, X, y):
        """Online learning: one pass over the given examples in order, without re-initialising.

        X is (n_samples, n_features) with y (n_samples,), or a single example (n_features,) with a
        scalar y. The first call on an unfitted model initialises the weights. ``cost_`` is not
        changed. Returns self.
        """
        eta, _ = self._check_params()
        X_arr = np.asarray(X)
        if X_arr.ndim == 1:                     # one example, as in Raschka's partial_fit(X[0], y[0])
            X = as_float_array("X", X_arr).reshape(1, -1)
            y = as_float_array("y", y).reshape(-1)
        X, y = _check_Xy(X, y)
        if not getattr(self, "w_initialized", False) or getattr(self, "w_", None) is None:
            self._initialize_weights(X.shape[1], X.dtype)
        elif X.shape[1] != self.w_.shape[0] - 1:
            raise ValueError(
                f"X must have {self.w_.shape[0] - 1} features (columns) like the data the model was fitted on, "
                f"got {X.shape[1]}"
            )
        self._run_epoch(X, y.astype(self.w_.dtype, copy=False), eta, "partial_fit")
        return self

    def _run_epoch(self, X, y, eta, where):
        """One pass over (X, y) in batches; updates ``w_``; returns Σ ½ eᵢ² (before each step)."""
        w = self.w_.copy()
        total = 0.0
        with np.errstate(over="ignore", invalid="ignore"):
            for start in range(0, X.shape[0], self.batch_size):
                Xb, yb = X[start:start + self.batch_size], y[start:start + self.batch_size]
                cost, grad = _sse_cost_gradient(w, Xb, yb)
                w -= eta * grad
                total += float(cost)
            if not (np.isfinite(total) and np.all(np.isfinite(w))):
                raise _diverged(self, where)
        self.w_ = w
        return total

class AdalineSGD(AdalineMiniBatchGD):
    """Adaline trained by stochastic gradient descent: one step w ← w + η (y − z) x̃ per example,
    the examples reshuffled before each epoch. This is :class:`AdalineMiniBatchGD` with
    ``batch_size=1``; ``cost_`` holds the average ½ (y − z)² of each epoch, as Raschka records it,
    and ``partial_fit`` learns online from a stream of examples.
    """

    _params = ("eta", "n_iter", "shuffle", "random_state", "init")

    def __init__(self, eta=0.01, n_iter=10, shuffle=True, random_state=1, init="normal"):
        super().__init__(eta=eta, n_iter=n_iter, batch_size=1, shuffle=shuffle, random_state=random_state, init=init)
