"""nnlib.rnn and nnlib.language_model: the course's published expected outputs, BPTT against central
differences, the cells against SymPy, validation, dtypes."""

import numpy as np
import pytest
import sympy as sp

from nnlib import language_model as lm
from nnlib import rnn
from nnlib.gradcheck import gradient_difference, relative_difference

# The course prints 8 decimals (arrays) or 12 significant digits (scalars).
ATOL = dict(rtol=0, atol=1e-8)
RTOL = dict(rtol=1e-10, atol=0)
LSTM_ORDER = (("Wf", 8), ("bf", 1), ("Wi", 8), ("bi", 1), ("Wo", 8), ("bo", 1), ("Wc", 8), ("bc", 1))


def course_rnn_parameters(order=("Waa", "Wax")):
    shapes = {"Waa": (5, 5), "Wax": (5, 3)}
    p = {k: np.random.randn(*shapes[k]) for k in order}
    p["Wya"], p["ba"], p["by"] = np.random.randn(2, 5), np.random.randn(5, 1), np.random.randn(2, 1)
    return p


def course_lstm_parameters(draw_y=True):
    p = {k: np.random.randn(5, cols) for k, cols in LSTM_ORDER}
    if draw_y:
        p["Wy"], p["by"] = np.random.randn(2, 5), np.random.randn(2, 1)
    else:
        p["Wy"], p["by"] = np.zeros((2, 5)), np.zeros((2, 1))
    return p


# --- The course's published values (Building your RNN – Step by Step) ------------------------


def test_rnn_cell_forward_course_case():
    np.random.seed(1)
    xt, a_prev = np.random.randn(3, 10), np.random.randn(5, 10)
    a_next, yt_pred, cache = rnn.rnn_cell_forward(xt, a_prev, course_rnn_parameters())
    np.testing.assert_allclose(a_next[4], [0.59584544, 0.18141802, 0.61311866, 0.99808218, 0.85016201, 0.99980978,
                                           -0.18887155, 0.99815551, 0.6531151, 0.82872037], **ATOL)
    np.testing.assert_allclose(yt_pred[1], [0.9888161, 0.01682021, 0.21140899, 0.36817467, 0.98988387, 0.88945212,
                                            0.36920224, 0.9966312, 0.9982559, 0.17746526], **ATOL)
    assert a_next.shape == (5, 10) and yt_pred.shape == (2, 10)
    assert len(cache) == 4 and cache[0] is a_next and cache[1] is a_prev and cache[2] is xt
    np.testing.assert_allclose(yt_pred.sum(axis=0), 1, rtol=1e-15)


def test_rnn_forward_course_case():
    np.random.seed(1)
    x, a0 = np.random.randn(3, 10, 4), np.random.randn(5, 10)
    a, y_pred, caches = rnn.rnn_forward(x, a0, course_rnn_parameters())
    np.testing.assert_allclose(a[4][1], [-0.99999375, 0.77911235, -0.99861469, -0.99833267], **ATOL)
    np.testing.assert_allclose(y_pred[1][3], [0.79560373, 0.86224861, 0.11118257, 0.81515947], **ATOL)
    np.testing.assert_allclose(caches[1][1][3], [-1.1425182, -0.34934272, -0.20889423, 0.58662319], **ATOL)
    assert a.shape == (5, 10, 4) and y_pred.shape == (2, 10, 4) and len(caches) == 2 and len(caches[0]) == 4


def test_lstm_cell_forward_course_case():
    np.random.seed(1)
    xt, a_prev, c_prev = np.random.randn(3, 10), np.random.randn(5, 10), np.random.randn(5, 10)
    a_next, c_next, yt, cache = rnn.lstm_cell_forward(xt, a_prev, c_prev, course_lstm_parameters())
    np.testing.assert_allclose(a_next[4], [-0.66408471, 0.0036921, 0.02088357, 0.22834167, -0.85575339, 0.00138482,
                                           0.76566531, 0.34631421, -0.00215674, 0.43827275], **ATOL)
    np.testing.assert_allclose(c_next[2], [0.63267805, 1.00570849, 0.35504474, 0.20690913, -1.64566718, 0.11832942,
                                           0.76449811, -0.0981561, -0.74348425, -0.26810932], **ATOL)
    np.testing.assert_allclose(yt[1], [0.79913913, 0.15986619, 0.22412122, 0.15606108, 0.97057211, 0.31146381,
                                       0.00943007, 0.12666353, 0.39380172, 0.07828381], **ATOL)
    np.testing.assert_allclose(cache[1][3], [-0.16263996, 1.03729328, 0.72938082, -0.54101719, 0.02752074,
                                             -0.30821874, 0.07651101, -1.03752894, 1.41219977, -0.37647422], **ATOL)
    assert len(cache) == 10 and a_next.shape == c_next.shape == (5, 10) and yt.shape == (2, 10)


def test_lstm_forward_course_case():
    np.random.seed(1)
    x, a0 = np.random.randn(3, 10, 7), np.random.randn(5, 10)
    a, y, c, caches = rnn.lstm_forward(x, a0, course_lstm_parameters())
    np.testing.assert_allclose(a[4][3][6], 0.172117767533, rtol=1e-11)
    np.testing.assert_allclose(y[1][4][3], 0.95087346185, rtol=1e-10)
    np.testing.assert_allclose(caches[1][1][1], [0.82797464, 0.23009474, 0.76201118, -0.22232814, -0.20075807,
                                                 0.18656139, 0.41005165], **ATOL)
    np.testing.assert_allclose(c[1][2][1], -0.855544916718, rtol=1e-11)
    assert a.shape == c.shape == (5, 10, 7) and y.shape == (2, 10, 7) and len(caches) == 2


def test_rnn_cell_backward_course_case():
    np.random.seed(1)                                      # this test of the course draws Wax before Waa
    xt, a_prev = np.random.randn(3, 10), np.random.randn(5, 10)
    _, _, cache = rnn.rnn_cell_forward(xt, a_prev, course_rnn_parameters(order=("Wax", "Waa")))
    g = rnn.rnn_cell_backward(np.random.randn(5, 10), cache)
    assert set(g) == {"dxt", "da_prev", "dWax", "dWaa", "dba"}
    np.testing.assert_allclose(g["dxt"][1][2], -1.3872130506, rtol=1e-10)
    np.testing.assert_allclose(g["da_prev"][2][3], -0.152399493774, rtol=1e-10)
    np.testing.assert_allclose(g["dWax"][3][1], 0.410772824935, rtol=1e-10)
    np.testing.assert_allclose(g["dWaa"][1][2], 1.15034506685, rtol=1e-10)
    np.testing.assert_allclose(g["dba"][4], [0.20023491], **ATOL)
    assert g["dxt"].shape == (3, 10) and g["dWaa"].shape == (5, 5) and g["dba"].shape == (5, 1)


def test_rnn_backward_course_case():
    np.random.seed(1)
    x, a0 = np.random.randn(3, 10, 4), np.random.randn(5, 10)
    _, _, caches = rnn.rnn_forward(x, a0, course_rnn_parameters(order=("Wax", "Waa")))
    g = rnn.rnn_backward(np.random.randn(5, 10, 4), caches)
    assert set(g) == {"dx", "da0", "dWax", "dWaa", "dba"}
    np.testing.assert_allclose(g["dx"][1][2], [-2.07101689, -0.59255627, 0.02466855, 0.01483317], **ATOL)
    np.testing.assert_allclose(g["da0"][2][3], -0.314942375127, rtol=1e-10)
    np.testing.assert_allclose(g["dWax"][3][1], 11.2641044965, rtol=1e-10)
    np.testing.assert_allclose(g["dWaa"][1][2], 2.30333312658, rtol=1e-10)
    np.testing.assert_allclose(g["dba"][4], [-0.74747722], **ATOL)
    assert g["dx"].shape == (3, 10, 4) and g["da0"].shape == (5, 10)


def test_lstm_cell_backward_course_case():
    np.random.seed(1)
    xt, a_prev, c_prev = np.random.randn(3, 10), np.random.randn(5, 10), np.random.randn(5, 10)
    _, _, _, cache = rnn.lstm_cell_forward(xt, a_prev, c_prev, course_lstm_parameters())
    g = rnn.lstm_cell_backward(np.random.randn(5, 10), np.random.randn(5, 10), cache)
    expected = {("dxt", 1, 2): 3.23055911511, ("da_prev", 2, 3): -0.0639621419711, ("dc_prev", 2, 3): 0.797522038797,
                ("dWf", 3, 1): -0.147954838164, ("dWi", 1, 2): 1.05749805523, ("dWc", 3, 1): 2.30456216369,
                ("dWo", 1, 2): 0.331311595289}
    for (key, i, j), value in expected.items():
        np.testing.assert_allclose(g[key][i][j], value, rtol=1e-10, err_msg=key)
    for key, value in {"dbf": 0.18864637, "dbi": -0.40142491, "dbc": 0.25587763, "dbo": 0.13893342}.items():
        np.testing.assert_allclose(g[key][4], [value], **ATOL, err_msg=key)
    assert g["dWf"].shape == (5, 8) and g["dxt"].shape == (3, 10) and g["dc_prev"].shape == (5, 10)


def test_lstm_backward_course_case_is_the_gradient_of_the_first_four_steps():
    """The course runs 7 steps forward but passes ``da`` of 4 steps (5, 10, 4); its lstm_backward reads
    T_x from da and silently backpropagates through steps 1–4 only. nnlib refuses the mismatch; the
    course's numbers are nnlib's gradient with da⟨5⟩ = da⟨6⟩ = da⟨7⟩ = 0 (the later steps then add
    nothing), restricted to steps 1–4. The course sets Wy, by to zeros here (no draws)."""
    np.random.seed(1)
    x, a0 = np.random.randn(3, 10, 7), np.random.randn(5, 10)
    _, _, _, caches = rnn.lstm_forward(x, a0, course_lstm_parameters(draw_y=False))
    da = np.random.randn(5, 10, 4)
    with pytest.raises(ValueError, match=r"da .*T_x = 7.* must have shape \(5, 10, 7\), got \(5, 10, 4\)"):
        rnn.lstm_backward(da, caches)
    padded = np.concatenate([da, np.zeros((5, 10, 3))], axis=2)
    g = rnn.lstm_backward(padded, caches)
    assert not g["dx"][:, :, 4:].any()
    np.testing.assert_allclose(g["dx"][1][2][:4], [0.00218254, 0.28205375, -0.48292508, -0.43281115], **ATOL)
    expected = {("da0", 2, 3): 0.312770310257, ("dWf", 3, 1): -0.0809802310938, ("dWi", 1, 2): 0.40512433093,
                ("dWc", 3, 1): -0.0793746735512, ("dWo", 1, 2): 0.038948775763}
    for (key, i, j), value in expected.items():
        np.testing.assert_allclose(g[key][i][j], value, rtol=1e-10, err_msg=key)
    for key, value in {"dbf": -0.15745657, "dbi": -0.50848333, "dbc": -0.42510818, "dbo": -0.17958196}.items():
        np.testing.assert_allclose(g[key][4], [value], **ATOL, err_msg=key)
    truncated = rnn.lstm_backward(da, (caches[0][:4], x[:, :, :4]))
    for key in truncated:
        np.testing.assert_allclose(truncated[key], g[key][..., :4] if key == "dx" else g[key], rtol=1e-12, atol=1e-14)


# --- The course's published values (Dinosaurus Island) ---------------------------------------


def course_clip_gradients():
    np.random.seed(3)
    return {"dWax": np.random.randn(5, 3) * 10, "dWaa": np.random.randn(5, 5) * 10, "dWya": np.random.randn(2, 5) * 10,
            "db": np.random.randn(5, 1) * 10, "dby": np.random.randn(2, 1) * 10}


@pytest.mark.parametrize("max_value, dby", [(10, 8.45833407), (5, 5.0)])
def test_clip_course_cases(max_value, dby):
    gradients = course_clip_gradients()
    before = {k: v.copy() for k, v in gradients.items()}
    g = lm.clip(gradients, max_value)
    assert g["dWaa"][1][2] == max_value and g["dWax"][3][1] == -max_value and g["db"][4] == max_value
    np.testing.assert_allclose(g["dWya"][1][2], 0.29713815361, rtol=1e-10)
    np.testing.assert_allclose(g["dby"][1], [dby], **ATOL)
    for k, v in g.items():
        assert np.abs(v).max() <= max_value and np.array_equal(np.clip(before[k], -max_value, max_value), v)
        assert np.array_equal(gradients[k], before[k])       # the input is left alone


CHARS = ["\n"] + [chr(ord("a") + i) for i in range(26)]
CHAR_TO_IX = {ch: i for i, ch in enumerate(CHARS)}
# The course's published list. Its first 43 indices are reproduced here (45 with OPENBLAS_CORETYPE=Prescott);
# after that the lists part: the untrained network (100 units, N(0, 1) weights) is chaotic, so the last bits
# of the matrix products, which depend on the BLAS kernel, decide the tail. The course's own code
# (reference_sample below) gives our list on the same machine; the notebook warns that the list "may change".
PUBLISHED_SAMPLE = [12, 17, 24, 14, 13, 9, 10, 22, 24, 6, 13, 11, 12, 6, 21, 15, 21, 14, 3, 2, 1, 21, 18, 24, 7, 25,
                    6, 25, 18, 10, 16, 2, 3, 8, 15, 12, 11, 7, 1, 12, 10, 2, 7, 7, 11, 17, 24, 12, 13, 24, 0]


def course_sample_parameters():
    np.random.seed(2)
    n_a, vocab_size = 100, 27
    Wax, Waa, Wya = np.random.randn(n_a, vocab_size), np.random.randn(n_a, n_a), np.random.randn(vocab_size, n_a)
    b, by = np.random.randn(n_a, 1), np.random.randn(vocab_size, 1)
    return {"Wax": Wax, "Waa": Waa, "Wya": Wya, "b": b, "by": by}


def reference_sample(p, seed):
    """The course's sampling loop, written out independently (np.dot, the course's softmax)."""
    x, a_prev, indices, idx, counter = np.zeros((27, 1)), np.zeros((100, 1)), [], -1, 0
    while idx != 0 and counter != 50:
        a = np.tanh(np.dot(p["Wax"], x) + np.dot(p["Waa"], a_prev) + p["b"])
        z = np.dot(p["Wya"], a) + p["by"]
        y = np.exp(z - np.max(z)) / np.exp(z - np.max(z)).sum(axis=0)
        np.random.seed(counter + seed)
        idx = np.random.choice(list(range(27)), p=y.ravel())
        indices.append(int(idx))
        x = np.zeros((27, 1))
        x[idx] = 1
        a_prev, seed, counter = a, seed + 1, counter + 1
    return indices + ([0] if counter == 50 and idx != 0 else [])


def test_sample_course_case():
    p = course_sample_parameters()
    indices = lm.sample(p, CHAR_TO_IX, 0)
    assert indices[:40] == PUBLISHED_SAMPLE[:40]
    assert indices == reference_sample(p, 0) and len(indices) == 51 and indices[-1] == 0
    for seed in (3, 11):
        assert lm.sample(p, CHAR_TO_IX, seed) == reference_sample(p, seed)


def test_sample_temperature():
    p = course_sample_parameters()
    assert lm.sample(p, CHAR_TO_IX, 0, temperature=1.0) == lm.sample(p, CHAR_TO_IX, 0)
    # a very low temperature picks the most likely character at every step
    greedy = lm.sample(p, CHAR_TO_IX, 0, temperature=1e-3, max_length=10)
    x, a_prev, expected = np.zeros((27, 1)), np.zeros((100, 1)), []
    for _ in range(10):
        a_prev, y = lm.rnn_step_forward(p, a_prev, x)
        expected.append(int(np.argmax(y)))
        x = np.zeros((27, 1))
        x[expected[-1]] = 1
        if expected[-1] == 0:
            break
    assert greedy[:len(expected)] == expected
    sharp = p | {"Wya": p["Wya"] * 100}                  # ŷ^(1/T) would underflow to 0 everywhere here
    assert lm.sample(sharp, CHAR_TO_IX, 0, temperature=1e-3)[-1] == 0
    with pytest.raises(ValueError, match="temperature must be positive"):
        lm.sample(p, CHAR_TO_IX, 0, temperature=0)


def course_optimize_case():
    np.random.seed(1)
    vocab_size, n_a = 27, 100
    a_prev = np.random.randn(n_a, 1)
    Wax, Waa, Wya = np.random.randn(n_a, vocab_size), np.random.randn(n_a, n_a), np.random.randn(vocab_size, n_a)
    b, by = np.random.randn(n_a, 1), np.random.randn(vocab_size, 1)
    return [12, 3, 5, 11, 22, 3], [4, 14, 11, 22, 25, 26], a_prev, {"Wax": Wax, "Waa": Waa, "Wya": Wya, "b": b, "by": by}


def test_optimize_course_case():
    X, Y, a_prev, parameters = course_optimize_case()
    before = {k: v.copy() for k, v in parameters.items()}
    loss, gradients, a_last = lm.optimize(X, Y, a_prev, parameters, learning_rate=0.01)
    np.testing.assert_allclose(loss, 126.503975722, rtol=1e-11)
    np.testing.assert_allclose(gradients["dWaa"][1][2], 0.194709315347, rtol=1e-10)
    assert np.argmax(gradients["dWax"]) == 93
    np.testing.assert_allclose(gradients["dWya"][1][2], -0.007773876032, rtol=1e-9)
    np.testing.assert_allclose(gradients["db"][4], [-0.06809825], **ATOL)
    np.testing.assert_allclose(gradients["dby"][1], [0.01538192], **ATOL)
    np.testing.assert_allclose(a_last[4], [-1.0], **ATOL)
    for k in lm.KEYS:                      # updated in place, as the course's training loop expects
        np.testing.assert_allclose(parameters[k], before[k] - 0.01 * gradients["d" + k], rtol=1e-15)


def test_language_model_loss_and_gradients_are_the_courses_step_by_step_loop():
    """rnn_forward/rnn_backward (vectorized through nnlib.rnn) equal the course's loop of
    rnn_step_forward/rnn_step_backward, and the loss is −Σ log ŷ⟨t⟩[Y[t]]."""
    X, Y, a0, p = course_optimize_case()
    X = [None] + X[1:]
    loss, cache = lm.rnn_forward(X, Y, a0, p)
    gradients, a = lm.rnn_backward(X, Y, p, cache)
    xs, hs, ys, total = [], [a0], [], 0.0
    for t, ix in enumerate(X):
        x = np.zeros((27, 1))
        if ix is not None:
            x[ix] = 1
        h, y = lm.rnn_step_forward(p, hs[-1], x)
        xs.append(x), hs.append(h), ys.append(y)
        total -= np.log(y[Y[t], 0])
    np.testing.assert_allclose(loss, total, rtol=1e-13)
    g = {k: np.zeros_like(p[k[1:]]) for k in lm.GRADIENT_KEYS} | {"da_next": np.zeros_like(a0)}
    for t in reversed(range(len(X))):
        dy = ys[t].copy()
        dy[Y[t]] -= 1
        g = lm.rnn_step_backward(dy, g, p, xs[t], hs[t + 1], hs[t])
    for k in g:
        np.testing.assert_allclose(gradients[k], g[k], rtol=1e-10, atol=1e-13, err_msg=k)
    np.testing.assert_allclose(a[:, 0, :], np.hstack(hs[1:]), rtol=1e-15)


def test_language_model_gradients_by_central_differences():
    rng = np.random.default_rng(0)
    p = {"Wax": rng.normal(size=(4, 5)) * 0.5, "Waa": rng.normal(size=(4, 4)) * 0.5, "Wya": rng.normal(size=(5, 4)),
         "b": rng.normal(size=(4, 1)), "by": rng.normal(size=(5, 1))}
    X, Y, a0 = [None, 3, 1, 4, 1], [3, 1, 4, 1, 0], rng.normal(size=(4, 1)) * 0.1
    gradients, _ = lm.rnn_backward(X, Y, p, lm.rnn_forward(X, Y, a0, p)[1])
    assert gradient_difference(lambda q: lm.rnn_forward(X, Y, a0, q)[0], gradients, p, epsilon=1e-6,
                          grad_key=lambda k: "d" + k) < 1e-8


def test_initialize_parameters_is_the_courses():
    p = lm.initialize_parameters(5, 27, 27)
    np.random.seed(1)
    assert np.array_equal(p["Wax"], np.random.randn(5, 27) * 0.01)
    assert np.array_equal(p["Waa"], np.random.randn(5, 5) * 0.01)
    assert np.array_equal(p["Wya"], np.random.randn(27, 5) * 0.01)
    assert not p["b"].any() and p["b"].shape == (5, 1) and p["by"].shape == (27, 1)


# --- Backpropagation through time against central differences on whole sequences -----------------


def small_rnn(rng, n_x=3, n_a=4, n_y=2):
    return {"Wax": rng.normal(size=(n_a, n_x)), "Waa": rng.normal(size=(n_a, n_a)) * 0.6,
            "Wya": rng.normal(size=(n_y, n_a)), "ba": rng.normal(size=(n_a, 1)), "by": rng.normal(size=(n_y, 1))}


def small_lstm(rng, n_x=3, n_a=4, n_y=2):
    p = {f"W{g}": rng.normal(size=(n_a, n_a + n_x)) * 0.7 for g in "fico"}
    p |= {f"b{g}": rng.normal(size=(n_a, 1)) for g in "fico"}
    return p | {"Wy": rng.normal(size=(n_y, n_a)), "by": rng.normal(size=(n_y, 1))}


@pytest.mark.parametrize("T_x", [1, 6])
def test_rnn_backward_is_bptt_by_central_differences(T_x):
    rng = np.random.default_rng(T_x)
    p, x, a0 = small_rnn(rng), rng.normal(size=(3, 5, T_x)), rng.normal(size=(4, 5))
    weights = rng.normal(size=(4, 5, T_x))              # J = Σ weights ⊙ a, so ∂J/∂a = weights

    def J(q):
        return float(np.sum(weights * rnn.rnn_forward(q["x"], q["a0"], {**p, **{k: q[k] for k in p if k in q}})[0]))

    g = rnn.rnn_backward(weights, rnn.rnn_forward(x, a0, p)[2])
    params = {"Wax": p["Wax"], "Waa": p["Waa"], "ba": p["ba"], "x": x, "a0": a0}
    assert gradient_difference(J, g, params, epsilon=1e-6, grad_key=lambda k: "d" + k) < 1e-8


@pytest.mark.parametrize("T_x", [1, 6])
def test_lstm_backward_is_bptt_by_central_differences(T_x):
    rng = np.random.default_rng(10 + T_x)
    p, x, a0 = small_lstm(rng), rng.normal(size=(3, 5, T_x)), rng.normal(size=(4, 5))
    weights = rng.normal(size=(4, 5, T_x))

    def J(q):
        return float(np.sum(weights * rnn.lstm_forward(q["x"], q["a0"], {**p, **{k: q[k] for k in p if k in q}})[0]))

    g = rnn.lstm_backward(weights, rnn.lstm_forward(x, a0, p)[3])
    params = {k: p[k] for k in p if k[1:] in "fico"} | {"x": x, "a0": a0}
    assert gradient_difference(J, g, params, epsilon=1e-6, grad_key=lambda k: "d" + k) < 1e-8


def test_lstm_cell_backward_cell_state_gradient_by_central_differences():
    rng = np.random.default_rng(3)
    p, xt, a_prev, c_prev = small_lstm(rng), rng.normal(size=(3, 2)), rng.normal(size=(4, 2)), rng.normal(size=(4, 2))
    wa, wc = rng.normal(size=(4, 2)), rng.normal(size=(4, 2))

    def J(q):
        a_next, c_next, _, _ = rnn.lstm_cell_forward(q["xt"], q["a_prev"], q["c_prev"], p)
        return float(np.sum(wa * a_next) + np.sum(wc * c_next))

    g = rnn.lstm_cell_backward(wa, wc, rnn.lstm_cell_forward(xt, a_prev, c_prev, p)[3])
    assert gradient_difference(J, g, {"xt": xt, "a_prev": a_prev, "c_prev": c_prev}, grad_key=lambda k: "d" + k) < 1e-8


# --- The cells' gradients derived in SymPy ------------------------------------------------------


def symbols_matrix(name, rows, cols):
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}_{i}{j}", real=True))


def test_rnn_cell_gradients_match_sympy():
    n_x, n_a, m = 2, 2, 2
    S = {k: symbols_matrix(k, *s) for k, s in {"Wax": (n_a, n_x), "Waa": (n_a, n_a), "ba": (n_a, 1),
                                                "xt": (n_x, m), "a_prev": (n_a, m), "da": (n_a, m)}.items()}
    z = S["Waa"] * S["a_prev"] + S["Wax"] * S["xt"] + S["ba"] * sp.ones(1, m)
    J = sum(S["da"][i, j] * sp.tanh(z[i, j]) for i in range(n_a) for j in range(m))
    rng = np.random.default_rng(5)
    values = {k: rng.normal(size=v.shape) for k, v in S.items()}
    subs = {s: values[k][idx] for k, M in S.items() for idx, s in np.ndenumerate(np.array(M.tolist(), dtype=object))}
    p = {"Wax": values["Wax"], "Waa": values["Waa"], "ba": values["ba"], "Wya": np.ones((1, n_a)), "by": np.zeros((1, 1))}
    g = rnn.rnn_cell_backward(values["da"], rnn.rnn_cell_forward(values["xt"], values["a_prev"], p)[2])
    for key, name in (("dWax", "Wax"), ("dWaa", "Waa"), ("dba", "ba"), ("dxt", "xt"), ("da_prev", "a_prev")):
        symbolic = np.array([[float(sp.diff(J, s).subs(subs)) for s in row] for row in S[name].tolist()])
        np.testing.assert_allclose(g[key], symbolic, rtol=1e-12, atol=1e-14, err_msg=key)


def test_lstm_cell_gradients_match_sympy():
    n_x, n_a = 1, 2                                        # one example: the formulas act column by column
    sig = lambda v: 1 / (1 + sp.exp(-v))                   # noqa: E731
    S = {f"W{g}": symbols_matrix(f"W{g}", n_a, n_a + n_x) for g in "fico"}
    S |= {f"b{g}": symbols_matrix(f"b{g}", n_a, 1) for g in "fico"}
    S |= {k: symbols_matrix(k, n, 1) for k, n in (("xt", n_x), ("a_prev", n_a), ("c_prev", n_a), ("da", n_a), ("dc", n_a))}
    concat = S["a_prev"].col_join(S["xt"])
    gate = {g: S[f"W{g}"] * concat + S[f"b{g}"] for g in "fico"}
    c_next = [sig(gate["f"][i]) * S["c_prev"][i] + sig(gate["i"][i]) * sp.tanh(gate["c"][i]) for i in range(n_a)]
    a_next = [sig(gate["o"][i]) * sp.tanh(c_next[i]) for i in range(n_a)]
    J = sum(S["da"][i] * a_next[i] + S["dc"][i] * c_next[i] for i in range(n_a))
    rng = np.random.default_rng(6)
    values = {k: rng.normal(size=v.shape) for k, v in S.items()}
    subs = {s: values[k][idx] for k, M in S.items() for idx, s in np.ndenumerate(np.array(M.tolist(), dtype=object))}
    p = {k: values[k] for k in S if k[0] in "Wb"} | {"Wy": np.ones((1, n_a)), "by": np.zeros((1, 1))}
    cache = rnn.lstm_cell_forward(values["xt"], values["a_prev"], values["c_prev"], p)[3]
    g = rnn.lstm_cell_backward(values["da"], values["dc"], cache)
    for name in [f"{w}{g}" for g in "fico" for w in "Wb"] + ["xt", "a_prev", "c_prev"]:
        key = "d" + name if name[0] in "Wb" else {"xt": "dxt", "a_prev": "da_prev", "c_prev": "dc_prev"}[name]
        symbolic = np.array([[float(sp.diff(J, s).subs(subs)) for s in row] for row in S[name].tolist()])
        np.testing.assert_allclose(g[key], symbolic, rtol=1e-11, atol=1e-13, err_msg=key)


# --- Validation and dtypes -----------------------------------------------------------------------


def test_mismatched_shapes_raise_clear_errors():
    rng = np.random.default_rng(0)
    p, lp = small_rnn(rng), small_lstm(rng)
    with pytest.raises(ValueError, match=r"a_prev \(n_a = 4 from the parameters, m = 5.*must have shape \(4, 5\), got \(3, 5\)"):
        rnn.rnn_cell_forward(np.ones((3, 5)), np.ones((3, 5)), p)
    with pytest.raises(ValueError, match=r"parameters\['Wax'\].*n_x = 2.*must have shape \(4, 2\), got \(4, 3\)"):
        rnn.rnn_forward(np.ones((2, 5, 3)), np.ones((4, 5)), p)
    with pytest.raises(ValueError, match=r"x must be a 3-D array \(n_x, m, T_x\), got shape \(3, 5\)"):
        rnn.rnn_forward(np.ones((3, 5)), np.ones((4, 5)), p)
    with pytest.raises(ValueError, match=r"parameters\['Wf'\].*must have shape \(4, 6\), got \(4, 7\)"):
        rnn.lstm_forward(np.ones((2, 5, 3)), np.ones((4, 5)), lp)
    with pytest.raises(ValueError, match="c_prev"):
        rnn.lstm_cell_forward(np.ones((3, 5)), np.ones((4, 5)), np.ones((4, 6)), lp)
    with pytest.raises(ValueError, match="no entry 'Waa'"):
        rnn.rnn_forward(np.ones((3, 5, 2)), np.ones((4, 5)), {k: v for k, v in p.items() if k != "Waa"})
    caches = rnn.rnn_forward(np.ones((3, 5, 2)), np.ones((4, 5)), p)[2]
    with pytest.raises(ValueError, match=r"da .* must have shape \(4, 5, 2\), got \(4, 5, 3\)"):
        rnn.rnn_backward(np.ones((4, 5, 3)), caches)
    with pytest.raises(ValueError, match="caches must be the pair"):
        rnn.rnn_backward(np.ones((4, 5, 2)), caches[0])
    with pytest.raises(ValueError, match="10-tuple returned by lstm_forward"):
        rnn.lstm_backward(np.ones((4, 5, 2)), caches)


def test_language_model_validation():
    p = course_sample_parameters()
    with pytest.raises(ValueError, match="newline"):
        lm.sample(p, {c: i for i, c in enumerate("abcdefghijklmnopqrstuvwxyz ")}, 0)
    with pytest.raises(ValueError, match="single characters, got 'ab'"):
        lm.sample(p, CHAR_TO_IX | {"ab": 27}, 0)
    with pytest.raises(ValueError, match=r"one-to-one onto the indices 0\.\.26"):
        lm.sample(p, CHAR_TO_IX | {"A": 27}, 0)
    with pytest.raises(ValueError, match=r"X\[1\] must be a character index in 0\.\.26, got 27"):
        lm.rnn_forward([None, 27], [1, 2], np.zeros((100, 1)), p)
    with pytest.raises(ValueError, match="same length"):
        lm.rnn_forward([None, 3], [1, 2, 0], np.zeros((100, 1)), p)
    with pytest.raises(ValueError, match="no entry 'b'"):
        lm.optimize([None, 3], [3, 0], np.zeros((100, 1)), {k: v for k, v in p.items() if k != "b"})
    with pytest.raises(ValueError, match="maxValue must be positive"):
        lm.clip(course_clip_gradients(), -1)


def test_float32_stays_float32():
    rng = np.random.default_rng(0)
    p = {k: v.astype(np.float32) for k, v in small_rnn(rng).items()}
    lp = {k: v.astype(np.float32) for k, v in small_lstm(rng).items()}
    x, a0 = rng.normal(size=(3, 5, 4)).astype(np.float32), np.zeros((4, 5), np.float32)
    a, y, caches = rnn.rnn_forward(x, a0, p)
    g = rnn.rnn_backward(np.ones_like(a), caches)
    assert a.dtype == y.dtype == np.float32 and all(v.dtype == np.float32 for v in g.values())
    a, y, c, caches = rnn.lstm_forward(x, a0, lp)
    g = rnn.lstm_backward(np.ones_like(a), caches)
    assert a.dtype == y.dtype == c.dtype == np.float32 and all(v.dtype == np.float32 for v in g.values())
    p64 = course_sample_parameters()
    p32 = {k: v.astype(np.float32) for k, v in p64.items()}
    loss, gradients, a_last = lm.optimize([None, 3, 1], [3, 1, 0], np.zeros((100, 1), np.float32), p32)
    assert a_last.dtype == np.float32 and all(v.dtype == np.float32 for v in gradients.values())
    assert all(v.dtype == np.float32 for v in p32.values())
    assert lm.sample(p32, CHAR_TO_IX, 0)[-1] == 0
