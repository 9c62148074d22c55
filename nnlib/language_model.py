"""A character-level language model with the course's API ("Dinosaurus Island").

Derived and trained in the chapter *A character-level language model*. The model is the RNN of
:mod:`nnlib.rnn` with one example (m = 1) and a one-hot input per character; the language-model
functions keep the course's names and conventions:

* ``X``, ``Y`` are lists of character indices, ``Y[t] = X[t + 1]`` (the next character);
  ``X[t] = None`` stands for the zero input vector (the course starts every name with it).
* ``parameters`` has the keys ``Wax`` (n_a, vocab), ``Waa`` (n_a, n_a), ``Wya`` (vocab, n_a),
  ``b`` (n_a, 1), ``by`` (vocab, 1) — the course calls the hidden bias ``b`` here, ``ba`` in the
  step-by-step RNN — and ``gradients`` the keys ``dWax, dWaa, dWya, db, dby``.
* The loss is the sum over the steps of −log ŷ⟨t⟩[Y[t]] (not divided by T_x, as the course).
* As in the course, :func:`update_parameters` and :func:`optimize` update ``parameters`` **in
  place** (the course's training loop relies on it); every other function leaves its inputs alone.
"""

import numpy as np

from nnlib import rnn
from nnlib._validate import as_float_array, as_scalar, check_int, check_shape
from nnlib import _kernels as K

#: The keys of the language model's parameter dict (the hidden bias is ``b`` here, as in the course).
KEYS = ("Wax", "Waa", "Wya", "b", "by")
#: The keys of its gradient dict, which :func:`clip` clips.
GRADIENT_KEYS = ("dWax", "dWaa", "dWya", "db", "dby")


def _checked(parameters):
    if not isinstance(parameters, dict):
        raise ValueError(f"parameters must be a dict with the keys {', '.join(KEYS)}, got {type(parameters).__name__}")
    missing = [k for k in KEYS if k not in parameters]
    if missing:
        raise ValueError(f"parameters has no entry {missing[0]!r}; expected the keys {', '.join(KEYS)}")
    return parameters


def _cell_parameters(parameters):
    """The language model's dict under the step-by-step RNN's names (``b`` → ``ba``)."""
    p = _checked(parameters)
    return {"Wax": p["Wax"], "Waa": p["Waa"], "Wya": p["Wya"], "ba": p["b"], "by": p["by"]}


def initialize_parameters(n_a, n_x, n_y):
    """The course's initialization: ``np.random.seed(1)``, then Wax, Waa, Wya ~ 0.01·N(0, 1) in that
    order, b and by zero. Returns the dict ``Wax`` (n_a, n_x), ``Waa`` (n_a, n_a), ``Wya`` (n_y, n_a),
    ``b`` (n_a, 1), ``by`` (n_y, 1)."""
    n_a, n_x, n_y = check_int("n_a", n_a), check_int("n_x", n_x), check_int("n_y", n_y)
    np.random.seed(1)
    Wax = np.random.randn(n_a, n_x) * 0.01
    Waa = np.random.randn(n_a, n_a) * 0.01
    Wya = np.random.randn(n_y, n_a) * 0.01
    return {"Wax": Wax, "Waa": Waa, "Wya": Wya, "b": np.zeros((n_a, 1)), "by": np.zeros((n_y, 1))}


def rnn_step_forward(parameters, a_prev, x):
    """One step: a⟨t⟩ = tanh(Wax x + Waa a_prev + b), p⟨t⟩ = softmax(Wya a⟨t⟩ + by).

    ``a_prev`` (n_a, 1), ``x`` (vocab, 1); returns ``(a_next, p_t)``. It is
    :func:`nnlib.rnn.rnn_cell_forward` under the language model's parameter names.
    """
    a_next, p_t, _ = rnn.rnn_cell_forward(x, a_prev, _cell_parameters(parameters))
    return a_next, p_t


def rnn_step_backward(dy, gradients, parameters, x, a, a_prev):
    """One step of backpropagation through time, accumulated into ``gradients`` (the course's helper).

    ``dy`` (vocab, 1) = ŷ⟨t⟩ − y⟨t⟩ is the gradient of the loss at the softmax input;
    ``gradients['da_next']`` carries ∂L/∂a⟨t⟩ from step t + 1 and is replaced by ∂L/∂a⟨t−1⟩.
    Returns a new dict (the arrays of ``gradients`` are not modified).
    """
    p = _cell_parameters(parameters)
    missing = [k for k in GRADIENT_KEYS + ("da_next",) if not isinstance(gradients, dict) or k not in gradients]
    if missing:
        raise ValueError(f"gradients has no entry {missing[0]!r}; expected {', '.join(GRADIENT_KEYS)}, da_next")
    Wya = as_float_array("parameters['Wya']", p["Wya"], ndim=2)
    dy = as_float_array("dy", dy, ndim=2)
    a = check_shape("a (n_a, m)", as_float_array("a", a, ndim=2), (Wya.shape[1], None))
    check_shape("dy (vocab, m)", dy, (Wya.shape[0], a.shape[1]))
    a_prev = check_shape("a_prev (the shape of a)", as_float_array("a_prev", a_prev, ndim=2), a.shape)
    x = check_shape("x (vocab, m)", as_float_array("x", x, ndim=2), (np.shape(p["Wax"])[1], a.shape[1]))
    da = Wya.T @ dy + gradients["da_next"]
    g = rnn.rnn_cell_backward(da, (a, a_prev, x, p))
    return {"dWax": gradients["dWax"] + g["dWax"], "dWaa": gradients["dWaa"] + g["dWaa"],
            "dWya": gradients["dWya"] + dy @ a.T, "db": gradients["db"] + g["dba"],
            "dby": gradients["dby"] + dy, "da_next": g["da_prev"]}


def _indices(name, X, vocab_size, allow_none):
    if isinstance(X, (str, bytes)) or not hasattr(X, "__len__") or len(X) == 0:
        raise ValueError(f"{name} must be a non-empty list of character indices, got {X!r}")
    for t, ix in enumerate(X):
        if ix is None and allow_none:
            continue
        if isinstance(ix, bool) or not isinstance(ix, (int, np.integer)) or not 0 <= ix < vocab_size:
            raise ValueError(f"{name}[{t}] must be a character index in 0..{vocab_size - 1}, got {ix!r}")
    return list(X)


def rnn_forward(X, Y, a0, parameters, vocab_size=None):
    """Forward pass over one name and its loss (the course's ``utils.rnn_forward``).

    Returns ``(loss, cache)``: loss = −Σ_t log ŷ⟨t⟩[Y[t]]; cache = ``(y_hat, a, x, caches)`` with
    y_hat (vocab, 1, T_x), a (n_a, 1, T_x), the one-hot inputs x (vocab, 1, T_x) and the caches
    of :func:`nnlib.rnn.rnn_forward`. ``vocab_size`` defaults to the number of columns of Wax.
    """
    p = _cell_parameters(parameters)
    vocab = np.shape(p["Wax"])[1] if np.ndim(p["Wax"]) == 2 else 0
    if vocab_size is not None and vocab_size != vocab:
        raise ValueError(f"vocab_size must match parameters['Wax'].shape[1] = {vocab}, got {vocab_size!r}")
    X = _indices("X", X, vocab, allow_none=True)
    Y = _indices("Y", Y, vocab, allow_none=False)
    if len(X) != len(Y):
        raise ValueError(f"X and Y must have the same length, got {len(X)} and {len(Y)}")
    x = np.zeros((vocab, 1, len(X)), dtype=np.result_type(*(np.asarray(v) for v in p.values())))
    steps = [t for t, ix in enumerate(X) if ix is not None]
    x[[X[t] for t in steps], 0, steps] = 1
    a, y_hat, caches = rnn.rnn_forward(x, a0, p)
    loss = -np.sum(np.log(y_hat[Y, 0, np.arange(len(Y))]))
    return float(loss), (y_hat, a, x, caches)


def rnn_backward(X, Y, parameters, cache):
    """Backpropagation through time for :func:`rnn_forward` (the course's ``utils.rnn_backward``).

    Returns ``(gradients, a)``: ``dWax, dWaa, dWya, db, dby`` and ``da_next`` (∂L/∂a⟨0⟩), and the
    hidden states a (n_a, 1, T_x). At the softmax input dy⟨t⟩ = ŷ⟨t⟩ − one_hot(Y[t]); the hidden
    states receive Wyaᵀ dy⟨t⟩, which :func:`nnlib.rnn.rnn_backward` carries back through time.
    """
    p = _cell_parameters(parameters)
    if not (isinstance(cache, tuple) and len(cache) == 4):
        raise ValueError("cache must be the 4-tuple (y_hat, a, x, caches) returned by rnn_forward")
    y_hat, a, _, caches = cache
    T_x = y_hat.shape[2]
    Y = _indices("Y", Y, y_hat.shape[0], allow_none=False)
    if len(Y) != T_x or len(X) != T_x:
        raise ValueError(f"X and Y must have the T_x = {T_x} steps of the cache, got {len(X)} and {len(Y)}")
    dy = y_hat[:, 0, :].copy()
    dy[Y, np.arange(T_x)] -= 1
    Wya = as_float_array("parameters['Wya']", p["Wya"], ndim=2)
    g = rnn.rnn_backward((Wya.T @ dy)[:, None, :], caches)
    gradients = {"dWax": g["dWax"], "dWaa": g["dWaa"], "dWya": dy @ a[:, 0, :].T,
                 "db": g["dba"], "dby": dy.sum(axis=1, keepdims=True), "da_next": g["da0"]}
    return gradients, a


def _check_vocabulary(char_to_ix, vocab_size):
    if not isinstance(char_to_ix, dict):
        raise ValueError(f"char_to_ix must be a dict character → index, got {type(char_to_ix).__name__}")
    bad = [c for c in char_to_ix if not (isinstance(c, str) and len(c) == 1)]
    if bad:
        raise ValueError(f"char_to_ix keys must be single characters, got {bad[0]!r}")
    if "\n" not in char_to_ix:
        raise ValueError("char_to_ix has no entry for the newline character '\\n', which ends every name")
    values = sorted(v for v in char_to_ix.values() if isinstance(v, (int, np.integer)) and not isinstance(v, bool))
    if values != list(range(vocab_size)):
        raise ValueError(f"char_to_ix must map its characters one-to-one onto the indices 0..{vocab_size - 1} "
                         f"(vocab_size = {vocab_size} from parameters['by']), got {len(char_to_ix)} entries "
                         f"with the indices {sorted(map(repr, char_to_ix.values()))[:5]}...")
    return char_to_ix["\n"]


def sample(parameters, char_to_ix, seed, temperature=1.0, max_length=50):
    """Sample one name, a character at a time, from the model (the course's ``sample``).

    From x⟨1⟩ = 0 and a⟨0⟩ = 0, each step runs :func:`rnn_step_forward`, calls
    ``np.random.seed(counter + seed)`` and draws the next index with ``np.random.choice`` from
    ŷ⟨t⟩, then feeds its one-hot vector back in; it stops after the newline character, or after
    ``max_length`` characters (then a newline is appended). As in the course both ``seed`` and
    ``counter`` grow by 1 a step, so the seeds used are seed, seed + 2, seed + 4, …

    ``temperature`` T (not in the course) samples from softmax(z / T) = softmax(log ŷ / T):
    T < 1 sharpens the distribution, T > 1 flattens it; T = 1 is the course's sampling exactly.
    Returns the list of sampled indices.
    """
    p = _cell_parameters(parameters)
    by = as_float_array("parameters['by']", p["by"], ndim=2)
    n_a, vocab_size = np.shape(p["Waa"])[1], by.shape[0]
    newline = _check_vocabulary(char_to_ix, vocab_size)
    seed = check_int("seed", seed, minimum=0)
    max_length = check_int("max_length", max_length)
    temperature = as_scalar("temperature", temperature)
    if not temperature > 0:
        raise ValueError(f"temperature must be positive, got {temperature!r}")
    x, a_prev = np.zeros((vocab_size, 1), dtype=by.dtype), np.zeros((n_a, 1), dtype=by.dtype)
    indices, idx, counter = [], -1, 0
    while idx != newline and counter != max_length:
        a, y = rnn_step_forward(parameters, a_prev, x)
        probabilities = y.ravel().astype(np.float64)
        if temperature != 1 or y.dtype != np.float64:
            with np.errstate(divide="ignore"):           # log 0 = −inf, whose softmax weight is 0
                probabilities = K.softmax(np.log(probabilities) / temperature, axis=0)
        np.random.seed(counter + seed)
        idx = int(np.random.choice(vocab_size, p=probabilities))
        indices.append(idx)
        x = np.zeros((vocab_size, 1), dtype=by.dtype)
        x[idx] = 1
        a_prev = a
        seed += 1
        counter += 1
    if counter == max_length and idx != newline:
        indices.append(newline)
    return indices


def clip(gradients, maxValue):
    """Clip every entry of ``dWaa, dWax, dWya, db, dby`` to [−maxValue, maxValue] (element-wise).

    Returns a new dict of new arrays with these five keys (the course clips in place with
    ``np.clip(..., out=...)``; the returned values are the same, ``gradients`` is left alone).
    """
    maxValue = as_scalar("maxValue", maxValue)
    if not maxValue > 0:
        raise ValueError(f"maxValue must be positive, got {maxValue!r}")
    if not isinstance(gradients, dict):
        raise ValueError(f"gradients must be a dict with the keys {', '.join(GRADIENT_KEYS)}, got {type(gradients).__name__}")
    missing = [k for k in GRADIENT_KEYS if k not in gradients]
    if missing:
        raise ValueError(f"gradients has no entry {missing[0]!r}; expected the keys {', '.join(GRADIENT_KEYS)}")
    return {k: np.clip(as_float_array(f"gradients[{k!r}]", gradients[k]), -maxValue, maxValue) for k in GRADIENT_KEYS}


def update_parameters(parameters, gradients, lr):
    """Gradient descent **in place**, as the course: ``parameters[k] += −lr · gradients['d' + k]``."""
    lr = as_scalar("lr", lr)
    _checked(parameters)
    for k in KEYS:
        if "d" + k not in gradients:
            raise ValueError(f"gradients has no entry {'d' + k!r}; expected the keys {', '.join(GRADIENT_KEYS)}")
        check_shape(f"gradients['d{k}']", as_float_array(f"gradients['d{k}']", gradients["d" + k]), np.shape(parameters[k]))
    for k in KEYS:
        parameters[k] += -lr * gradients["d" + k]
    return parameters


def optimize(X, Y, a_prev, parameters, learning_rate=0.01):
    """One step of stochastic gradient descent on one name: forward, backward, :func:`clip` to
    [−5, 5], :func:`update_parameters` (in place).

    Returns ``(loss, gradients, a_last)``: the loss before the update, the clipped gradients and
    the last hidden state a⟨T_x⟩ (n_a, 1), which the course feeds as ``a_prev`` to the next step.
    """
    learning_rate = as_scalar("learning_rate", learning_rate)
    loss, cache = rnn_forward(X, Y, a_prev, parameters)
    gradients, a = rnn_backward(X, Y, parameters, cache)
    gradients = clip(gradients, maxValue=5)
    update_parameters(parameters, gradients, learning_rate)
    return loss, gradients, a[:, :, -1]
