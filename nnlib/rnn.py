"""Recurrent networks: the RNN and LSTM cells, their forward passes over time and backpropagation
through time, with the course's API ("Building your Recurrent Neural Network – Step by Step").

Derived and checked in the chapters *Building a recurrent network* (RNN) and *Long short-term
memory* (LSTM); *Unfolding computational graphs* derives backpropagation through time itself.

Conventions (the course's):

* ``x`` is (n_x, m, T_x): feature, example, time step — the examples on axis 1; ``xt`` (n_x, m)
  is one time step, ``a0`` / ``a_prev`` (n_a, m) a hidden state, ``c_prev`` (n_a, m) a cell state.
* RNN parameters ``Wax`` (n_a, n_x), ``Waa`` (n_a, n_a), ``Wya`` (n_y, n_a), ``ba`` (n_a, 1),
  ``by`` (n_y, 1); LSTM parameters ``Wf, Wi, Wc, Wo`` (n_a, n_a + n_x) acting on the stacked
  [a_prev; xt], ``bf, bi, bc, bo`` (n_a, 1), ``Wy`` (n_y, n_a), ``by`` (n_y, 1).
* The predictions are a softmax over the n_y rows of each column (one distribution per example).
* The backward functions take ``da``, the gradient of the cost with respect to the hidden states
  coming from the layers above (the course leaves the softmax output layer out of them); the cost
  is already divided by m, so nothing here divides again.

The public functions validate their inputs once and then run the private kernels below, so the
loop over time is the only Python loop and never re-checks anything. float32 stays float32.
"""

import numpy as np

from nnlib._validate import as_float_array, check_shape
from nnlib import _kernels as K

#: The keys of an RNN's parameter dict (:func:`rnn_cell_forward`), in the course's order.
RNN_KEYS = ("Wax", "Waa", "Wya", "ba", "by")
#: The keys of an LSTM's parameter dict (:func:`lstm_cell_forward`), in the course's order.
LSTM_KEYS = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo", "Wy", "by")
_GATES = ("f", "i", "c", "o")


# ----------------------------------------------------------------------------------------------
# Input checks (O(shapes) beyond the finiteness test of each array).


def _parameters(parameters, keys, name="parameters"):
    if not isinstance(parameters, dict):
        raise ValueError(f"{name} must be a dict with the keys {', '.join(keys)}, got {type(parameters).__name__}")
    missing = [k for k in keys if k not in parameters]
    if missing:
        raise ValueError(f"{name} has no entry {missing[0]!r}; expected the keys {', '.join(keys)}")
    return {k: as_float_array(f"{name}[{k!r}]", parameters[k], ndim=2) for k in keys}


def _check_rnn_parameters(p, n_x):
    n_a, n_y = p["Waa"].shape[0], p["Wya"].shape[0]
    where = f"(n_a = {n_a} from parameters['Waa'], n_x = {n_x}, n_y = {n_y} from parameters['Wya'])"
    for key, shape in (("Waa", (n_a, n_a)), ("Wax", (n_a, n_x)), ("ba", (n_a, 1)), ("Wya", (n_y, n_a)),
                       ("by", (n_y, 1))):
        check_shape(f"parameters[{key!r}] {where}", p[key], shape)
    return n_a


def _check_lstm_parameters(p, n_x):
    n_a, n_y = p["Wf"].shape[0], p["Wy"].shape[0]
    where = f"(n_a = {n_a} from parameters['Wf'], n_x = {n_x}, n_y = {n_y} from parameters['Wy'])"
    for g in _GATES:
        check_shape(f"parameters['W{g}'] {where}", p["W" + g], (n_a, n_a + n_x))
        check_shape(f"parameters['b{g}'] {where}", p["b" + g], (n_a, 1))
    check_shape(f"parameters['Wy'] {where}", p["Wy"], (n_y, n_a))
    check_shape(f"parameters['by'] {where}", p["by"], (n_y, 1))
    return n_a


def _state(name, a, n_a, m):
    a = as_float_array(name, a, ndim=2)
    return check_shape(f"{name} (n_a = {n_a} from the parameters, m = {m} from the input)", a, (n_a, m))


def _sequence(x):
    x = as_float_array("x", x)
    if x.ndim != 3:
        raise ValueError(f"x must be a 3-D array (n_x, m, T_x), got shape {x.shape} ({x.ndim}-D)")
    return x


def _sequence_inputs(x, a0, parameters, keys, check_parameters):
    """The validated (x, a0, parameters) of a forward pass over a sequence."""
    x = _sequence(x)
    p = _parameters(parameters, keys)
    n_a = check_parameters(p, x.shape[0])
    return x, _state("a0", a0, n_a, x.shape[1]), p


def _dtype(*arrays):
    return np.result_type(*arrays)


# ----------------------------------------------------------------------------------------------
# The RNN cell and the forward pass over time.


def rnn_cell_forward(xt, a_prev, parameters):
    """One step of the RNN: a⟨t⟩ = tanh(Waa a⟨t−1⟩ + Wax x⟨t⟩ + ba), ŷ⟨t⟩ = softmax(Wya a⟨t⟩ + by).

    Parameters
    ----------
    xt : (n_x, m) the input at step t;  a_prev : (n_a, m) the hidden state a⟨t−1⟩
    parameters : dict ``Wax`` (n_a, n_x), ``Waa`` (n_a, n_a), ``Wya`` (n_y, n_a), ``ba`` (n_a, 1), ``by`` (n_y, 1)

    Returns
    -------
    a_next : (n_a, m);  yt_pred : (n_y, m), each column a probability distribution
    cache : ``(a_next, a_prev, xt, parameters)`` for :func:`rnn_cell_backward`
    """
    xt = as_float_array("xt", xt, ndim=2)
    p = _parameters(parameters, RNN_KEYS)
    n_a = _check_rnn_parameters(p, xt.shape[0])
    a_prev = _state("a_prev", a_prev, n_a, xt.shape[1])
    return _rnn_cell_forward(xt, a_prev, p)


def _rnn_cell_forward(xt, a_prev, p):
    a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    yt_pred = K.softmax(p["Wya"] @ a_next + p["by"], axis=0)
    return a_next, yt_pred, (a_next, a_prev, xt, p)


def rnn_forward(x, a0, parameters):
    """The RNN over a whole sequence: :func:`rnn_cell_forward` for t = 1, …, T_x.

    Parameters
    ----------
    x : (n_x, m, T_x);  a0 : (n_a, m) the initial hidden state;  parameters : as :func:`rnn_cell_forward`

    Returns
    -------
    a : (n_a, m, T_x) the hidden states;  y_pred : (n_y, m, T_x) the predictions
    caches : ``(list of the T_x cell caches, x)`` for :func:`rnn_backward`
    """
    return _rnn_forward(*_sequence_inputs(x, a0, parameters, RNN_KEYS, _check_rnn_parameters))


def _rnn_forward(x, a0, p):
    _, m, T_x = x.shape
    dtype = _dtype(x, a0, *p.values())
    a = np.zeros((a0.shape[0], m, T_x), dtype=dtype)
    y_pred = np.zeros((p["Wya"].shape[0], m, T_x), dtype=dtype)
    caches, a_next = [], a0
    for t in range(T_x):
        a_next, y_pred[:, :, t], cache = _rnn_cell_forward(x[:, :, t], a_next, p)
        a[:, :, t] = a_next
        caches.append(cache)
    return a, y_pred, (caches, x)


# ----------------------------------------------------------------------------------------------
# The LSTM cell and the forward pass over time.


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    """One step of the LSTM (gates Γ_f, Γ_i, Γ_o, candidate c̃, cell state c, hidden state a).

    With concat = [a⟨t−1⟩; x⟨t⟩]: Γ_f = σ(Wf concat + bf), Γ_i = σ(Wi concat + bi),
    c̃ = tanh(Wc concat + bc), c⟨t⟩ = Γ_f ⊙ c⟨t−1⟩ + Γ_i ⊙ c̃, Γ_o = σ(Wo concat + bo),
    a⟨t⟩ = Γ_o ⊙ tanh(c⟨t⟩), ŷ⟨t⟩ = softmax(Wy a⟨t⟩ + by).

    Parameters
    ----------
    xt : (n_x, m);  a_prev, c_prev : (n_a, m)
    parameters : dict ``Wf, Wi, Wc, Wo`` (n_a, n_a + n_x), ``bf, bi, bc, bo`` (n_a, 1), ``Wy`` (n_y, n_a), ``by`` (n_y, 1)

    Returns
    -------
    a_next, c_next : (n_a, m);  yt_pred : (n_y, m)
    cache : ``(a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)``
    """
    xt = as_float_array("xt", xt, ndim=2)
    p = _parameters(parameters, LSTM_KEYS)
    n_a = _check_lstm_parameters(p, xt.shape[0])
    a_prev = _state("a_prev", a_prev, n_a, xt.shape[1])
    c_prev = _state("c_prev", c_prev, n_a, xt.shape[1])
    return _lstm_cell_forward(xt, a_prev, c_prev, p)


def _lstm_cell_forward(xt, a_prev, c_prev, p, stacked=None):
    W, b = stacked or _stack(p)
    z = W @ np.concatenate([a_prev, xt], axis=0) + b     # the four gates' pre-activations, (4 n_a, m)
    a_next, c_next, gates = _lstm_gates(z, c_prev)
    yt_pred = K.softmax(p["Wy"] @ a_next + p["by"], axis=0)
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, *gates, xt, p)


def _lstm_gates(z, c_prev):
    """From the stacked pre-activations z (4 n_a, m): a_next, c_next and the gates (ft, it, cct, ot)."""
    n_a = c_prev.shape[0]
    sig = K.sigmoid(z[:3 * n_a])                          # Γ_f, Γ_i, Γ_o in one call
    ft, it, ot = sig[:n_a], sig[n_a:2 * n_a], sig[2 * n_a:]
    cct = np.tanh(z[3 * n_a:])
    c_next = ft * c_prev + it * cct
    return ot * np.tanh(c_next), c_next, (ft, it, cct, ot)


_STACK = ("f", "i", "o", "c")     # the order of the gates in the stacked matrix


def _stack(p):
    """[Wf; Wi; Wo; Wc] (4 n_a, n_a + n_x) and [bf; bi; bo; bc]: one matrix product for the four gates."""
    return (np.concatenate([p["W" + g] for g in _STACK], axis=0),
            np.concatenate([p["b" + g] for g in _STACK], axis=0))


def lstm_forward(x, a0, parameters):
    """The LSTM over a whole sequence, from a⟨0⟩ = ``a0`` and c⟨0⟩ = 0.

    Parameters
    ----------
    x : (n_x, m, T_x);  a0 : (n_a, m);  parameters : as :func:`lstm_cell_forward`

    Returns
    -------
    a : (n_a, m, T_x) hidden states;  y : (n_y, m, T_x) predictions;  c : (n_a, m, T_x) cell states
    caches : ``(list of the T_x cell caches, x)`` for :func:`lstm_backward`
    """
    return _lstm_forward(*_sequence_inputs(x, a0, parameters, LSTM_KEYS, _check_lstm_parameters))


def _lstm_forward(x, a0, p):
    """The input's part of the gates, W_x x⟨t⟩ + b, is one product over all steps before the loop;
    the loop over time computes only the recurrent part W_a a⟨t−1⟩."""
    n_x, m, T_x = x.shape
    dtype = _dtype(x, a0, *p.values())
    n_a = a0.shape[0]
    W, b = _stack(p)
    z_x = (W[:, n_a:] @ x.reshape(n_x, m * T_x)).reshape(-1, m, T_x) + b[:, :, None]    # (4 n_a, m, T_x)
    Wa = W[:, :n_a]
    a_steps, c_steps = [], []
    caches, a_next, c_next = [], a0, np.zeros((n_a, m), dtype=dtype)
    for t in range(T_x):
        a_prev, c_prev = a_next, c_next
        a_next, c_next, gates = _lstm_gates(Wa @ a_prev + z_x[:, :, t], c_prev)
        a_steps.append(a_next)
        c_steps.append(c_next)
        caches.append((a_next, c_next, a_prev, c_prev, *gates, x[:, :, t], p))
    a, c = np.stack(a_steps, axis=-1), np.stack(c_steps, axis=-1)
    # The predictions of all steps at once: softmax(Wy a⟨t⟩ + by) for every t.
    n_y = p["Wy"].shape[0]
    y = K.softmax((p["Wy"] @ a.reshape(n_a, m * T_x)).reshape(n_y, m, T_x) + p["by"][:, :, None], axis=0)
    return a, y.astype(dtype, copy=False), c, (caches, x)


# ----------------------------------------------------------------------------------------------
# Backpropagation through time.


def _cell_cache(cache, length, what):
    if not isinstance(cache, tuple) or len(cache) != length or not isinstance(cache[-1], dict):
        raise ValueError(f"cache must be the {length}-tuple returned by {what}, got {type(cache).__name__}"
                         + (f" of length {len(cache)}" if isinstance(cache, tuple) else ""))
    return cache


def _upstream(name, d, like):
    d = as_float_array(name, d)
    return check_shape(f"{name} (the shape of the hidden state)", d, like.shape)


def rnn_cell_backward(da_next, cache):
    """Gradients of one RNN step, from da_next = ∂J/∂a⟨t⟩ (the softmax output is not included).

    With dtanh = (1 − a⟨t⟩²) ⊙ da_next: dxt = Waxᵀ dtanh, da_prev = Waaᵀ dtanh,
    dWax = dtanh xtᵀ, dWaa = dtanh a_prevᵀ, dba = Σ over the examples of dtanh.

    Parameters
    ----------
    da_next : (n_a, m);  cache : from :func:`rnn_cell_forward`

    Returns
    -------
    gradients : dict ``dxt`` (n_x, m), ``da_prev`` (n_a, m), ``dWax`` (n_a, n_x), ``dWaa`` (n_a, n_a), ``dba`` (n_a, 1)
    """
    cache = _cell_cache(cache, 4, "rnn_cell_forward")
    da_next = _upstream("da_next", da_next, cache[0])
    return _rnn_cell_backward(da_next, cache)


def _rnn_cell_backward(da_next, cache):
    a_next, a_prev, xt, p = cache
    dtanh = (1 - a_next * a_next) * da_next
    return {"dxt": p["Wax"].T @ dtanh, "da_prev": p["Waa"].T @ dtanh, "dWax": dtanh @ xt.T,
            "dWaa": dtanh @ a_prev.T, "dba": dtanh.sum(axis=1, keepdims=True)}


def _sequence_caches(da, caches, length, what):
    if not (isinstance(caches, tuple) and len(caches) == 2 and isinstance(caches[0], list) and caches[0]):
        raise ValueError(f"caches must be the pair (list of caches, x) returned by {what}")
    steps = [_cell_cache(c, length, what) for c in caches[0]]
    da = as_float_array("da", da)
    n_a, m = steps[0][0].shape
    check_shape(f"da (n_a = {n_a}, m = {m}, T_x = {len(steps)} from the caches of {what})", da, (n_a, m, len(steps)))
    return da, steps, steps[0][-2].shape[0]


def rnn_backward(da, caches):
    """Backpropagation through time for the RNN: :func:`rnn_cell_backward` from t = T_x down to 1.

    At step t the hidden state receives da⟨t⟩ (from above) plus da_prev of step t + 1; the parameter
    gradients are summed over the steps.

    Parameters
    ----------
    da : (n_a, m, T_x) ∂J/∂a⟨t⟩ from the layers above;  caches : from :func:`rnn_forward`

    Returns
    -------
    gradients : dict ``dx`` (n_x, m, T_x), ``da0`` (n_a, m), ``dWax`` (n_a, n_x), ``dWaa`` (n_a, n_a), ``dba`` (n_a, 1)
    """
    da, steps, n_x = _sequence_caches(da, caches, 4, "rnn_forward")
    return _rnn_backward(da, steps, n_x)


def _rnn_backward(da, steps, n_x):
    n_a, m, T_x = da.shape
    p = steps[0][3]
    dtype = _dtype(da, steps[0][0])
    dx = np.zeros((n_x, m, T_x), dtype=dtype)
    grads = {k: np.zeros(p[k[1:]].shape, dtype=dtype) for k in ("dWax", "dWaa", "dba")}
    da_prevt = np.zeros((n_a, m), dtype=dtype)
    for t in reversed(range(T_x)):
        g = _rnn_cell_backward(da[:, :, t] + da_prevt, steps[t])
        dx[:, :, t], da_prevt = g["dxt"], g["da_prev"]
        for k in grads:
            grads[k] += g[k]
    return {"dx": dx, "da0": da_prevt, **grads}


def lstm_cell_backward(da_next, dc_next, cache):
    """Gradients of one LSTM step from da_next = ∂J/∂a⟨t⟩ and dc_next = ∂J/∂c⟨t⟩ (from step t + 1).

    The cell state receives dc = dc_next + da_next ⊙ Γ_o ⊙ (1 − tanh²c⟨t⟩); then
    dΓ_o = da_next ⊙ tanh c⟨t⟩ ⊙ Γ_o(1 − Γ_o), dc̃ = dc ⊙ Γ_i ⊙ (1 − c̃²), dΓ_i = dc ⊙ c̃ ⊙ Γ_i(1 − Γ_i),
    dΓ_f = dc ⊙ c⟨t−1⟩ ⊙ Γ_f(1 − Γ_f) (gradients of the pre-activations), dW = dΓ [a_prev; xt]ᵀ,
    db = Σ over the examples of dΓ, [da_prev; dxt] = Σ Wᵀ dΓ, dc_prev = dc ⊙ Γ_f.

    Parameters
    ----------
    da_next, dc_next : (n_a, m);  cache : from :func:`lstm_cell_forward`

    Returns
    -------
    gradients : dict ``dxt`` (n_x, m), ``da_prev``, ``dc_prev`` (n_a, m), ``dWf, dWi, dWc, dWo`` (n_a, n_a + n_x),
    ``dbf, dbi, dbc, dbo`` (n_a, 1)
    """
    cache = _cell_cache(cache, 10, "lstm_cell_forward")
    da_next = _upstream("da_next", da_next, cache[0])
    dc_next = _upstream("dc_next", dc_next, cache[0])
    return _lstm_cell_backward(da_next, dc_next, cache)


def _lstm_cell_backward(da_next, dc_next, cache):
    dz, dc_prev = _lstm_cell_dz(da_next, dc_next, cache)
    W, _ = _stack(cache[9])
    n_a, xt, a_prev = da_next.shape[0], cache[8], cache[2]
    dconcat = W.T @ dz
    dW, db = dz @ np.concatenate([a_prev, xt], axis=0).T, dz.sum(axis=1, keepdims=True)
    return {"dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc_prev} | _unstack(dW, db, n_a)


def _unstack(dW, db, n_a):
    grads = {}
    for k, g in enumerate(_STACK):
        grads["dW" + g], grads["db" + g] = dW[k * n_a:(k + 1) * n_a], db[k * n_a:(k + 1) * n_a]
    return grads


def _lstm_cell_dz(da_next, dc_next, cache, out=None):
    """dz, the gradients of the four stacked pre-activations (4 n_a, m), written into ``out`` when
    given, and dc_prev: elementwise only."""
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    tanh_c = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tanh_c * tanh_c)
    dz = np.empty((4 * n_a,) + dc.shape[1:], dtype=np.result_type(dc, ft)) if out is None else out
    dz[:n_a] = dc * c_prev * ft * (1 - ft)
    dz[n_a:2 * n_a] = dc * cct * it * (1 - it)
    dz[2 * n_a:3 * n_a] = da_next * tanh_c * ot * (1 - ot)
    dz[3 * n_a:] = dc * it * (1 - cct * cct)
    return dz, dc * ft


def lstm_backward(da, caches):
    """Backpropagation through time for the LSTM: :func:`lstm_cell_backward` from t = T_x down to 1.

    At step t the hidden state receives da⟨t⟩ plus da_prev of step t + 1, the cell state dc_prev of
    step t + 1 (0 at the last step); the parameter gradients are summed over the steps.

    Parameters
    ----------
    da : (n_a, m, T_x) ∂J/∂a⟨t⟩ from the layers above;  caches : from :func:`lstm_forward`

    Returns
    -------
    gradients : dict ``dx`` (n_x, m, T_x), ``da0`` (n_a, m), ``dWf, dWi, dWc, dWo`` (n_a, n_a + n_x),
    ``dbf, dbi, dbc, dbo`` (n_a, 1)
    """
    da, steps, n_x = _sequence_caches(da, caches, 10, "lstm_forward")
    return _lstm_backward(da, steps, n_x)


def _lstm_backward(da, steps, n_x):
    """The loop over time carries only what is recurrent (dz⟨t⟩ → da_prev, dc_prev); the parameter
    gradients Σ_t dz⟨t⟩ [a⟨t−1⟩; x⟨t⟩]ᵀ and every dx⟨t⟩ are then one product each over all the steps
    at once (m·T_x columns), not T_x small ones. The steps' dz are kept step-major, (T_x, 4 n_a, m),
    so that each step reads and writes one contiguous block."""
    n_a, m, T_x = da.shape
    W, _ = _stack(steps[0][9])
    dtype = _dtype(da, steps[0][0])
    Wa_T = np.ascontiguousarray(W[:, :n_a].T)             # the recurrent part of W, (n_a, 4 n_a)
    dz = np.empty((T_x, W.shape[0], m), dtype=dtype)
    da_prevt = np.zeros((n_a, m), dtype=dtype)
    dc_prevt = np.zeros((n_a, m), dtype=dtype)
    for t in reversed(range(T_x)):
        _, dc_prevt = _lstm_cell_dz(da[:, :, t] + da_prevt, dc_prevt, steps[t], out=dz[t])
        da_prevt = Wa_T @ dz[t]
    inputs = np.stack([np.concatenate([s[2], s[8]], axis=0) for s in steps])    # [a⟨t−1⟩; x⟨t⟩], (T_x, ·, m)
    dW = np.tensordot(dz, inputs, axes=([0, 2], [0, 2]))
    db = dz.sum(axis=(0, 2))[:, None]
    dx = np.matmul(W[:, n_a:].T, dz).transpose(1, 2, 0)                          # (n_x, m, T_x)
    return {"dx": np.ascontiguousarray(dx), "da0": da_prevt, **_unstack(dW, db, n_a)}
