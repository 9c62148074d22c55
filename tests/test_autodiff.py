"""nnlib.autodiff: gradients against SymPy and finite differences, reuse, deep graphs, validation."""

import math
import sys

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import symbolic
from nnlib.autodiff import AutodiffTypeError, Value
from nnlib.plotting import draw_graph
from nnlib.gradcheck import numerical_gradient


def _node_or_float(method, function):
    return staticmethod(lambda v: getattr(v, method)() if isinstance(v, Value) else function(v))


class ValueMath:
    """The functions an expression needs, for Value nodes (and constants); SymPy's are in SympyMath."""

    exp = _node_or_float("exp", math.exp)
    log = _node_or_float("log", math.log)
    sigmoid = _node_or_float("sigmoid", lambda v: 1 / (1 + math.exp(-v)))
    tanh = _node_or_float("tanh", math.tanh)


class SympyMath:
    exp = staticmethod(sp.exp)
    log = staticmethod(sp.log)
    sigmoid = staticmethod(symbolic.sigmoid)
    tanh = staticmethod(sp.tanh)


class FloatMath:
    exp = staticmethod(math.exp)
    log = staticmethod(math.log)
    sigmoid = staticmethod(lambda v: 1 / (1 + math.exp(-v)))
    tanh = staticmethod(math.tanh)


# Each expression is written once and evaluated three ways: with Values (autodiff), with SymPy
# symbols (exact derivatives), with floats (finite differences). Points: x in [0.5, 2], y in [1, 3], z in [-1, 1].
EXPRESSIONS = {
    "course J = 3(a + bc)": lambda x, y, z, m: 3 * (x + y * z),
    "J = 4(x + yz)": lambda x, y, z, m: 4 * (x + y * z),
    "polynomial": lambda x, y, z, m: x**3 - 2 * x * y + y**2 / 4 - z + 7,
    "quotients": lambda x, y, z, m: (x - y) / (y + z * z) + 1 / x - 3 / y,
    "exp and log": lambda x, y, z, m: m.exp(x * z) * m.log(y + x) - m.log(x) / y,
    "powers": lambda x, y, z, m: x**0.5 * y**-1.5 + (z - 2) ** 3 + (x + 1) ** -1,
    "sigmoid and tanh": lambda x, y, z, m: m.sigmoid(x - 2 * y) * m.tanh(z * y) + m.tanh(x) ** 2,
    "x reused": lambda x, y, z, m: x * x * x + x / (x + y) - x,
    "cross-entropy": lambda x, y, z, m: -(0.3 * m.log(m.sigmoid(x * z + y)) + 0.7 * m.log(1 - m.sigmoid(x * z + y))),
    "negation and subtraction": lambda x, y, z, m: -x - (y - z) - (2 - x * y) + -(-z),
}


def autodiff_gradient(f, point):
    nodes = [Value(v, label=n) for v, n in zip(point, "xyz")]
    out = f(*nodes, ValueMath)
    out.backward()
    return out.data, [n.grad for n in nodes]


def sympy_gradient(f, point):
    symbols = sp.symbols("x y z", real=True)
    expr = f(*symbols, SympyMath)
    subs = dict(zip(symbols, point))
    return float(expr.evalf(30, subs=subs)), [float(sp.diff(expr, s).evalf(30, subs=subs)) for s in symbols]


@pytest.mark.parametrize("name", EXPRESSIONS)
@pytest.mark.parametrize("point", [(1.3, 2.0, -0.4), (0.7, 1.1, 0.9)])
def test_gradients_match_sympy_and_finite_differences(name, point):
    f = EXPRESSIONS[name]
    value, grad = autodiff_gradient(f, point)
    exact_value, exact_grad = sympy_gradient(f, point)
    assert value == pytest.approx(exact_value, rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(grad, exact_grad, rtol=1e-11, atol=1e-12)
    numeric = numerical_gradient(lambda p: f(p["x"], p["y"], p["z"], FloatMath), dict(zip("xyz", point)))
    np.testing.assert_allclose(grad, [numeric[k] for k in "xyz"], rtol=1e-6, atol=1e-8)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(sorted(EXPRESSIONS)),
    st.floats(0.5, 2.0),
    st.floats(1.0, 3.0),
    st.floats(-1.0, 1.0),
)
def test_gradients_match_sympy_at_random_points(name, x, y, z):
    f = EXPRESSIONS[name]
    value, grad = autodiff_gradient(f, (x, y, z))
    exact_value, exact_grad = sympy_gradient(f, (x, y, z))
    assert value == pytest.approx(exact_value, rel=1e-11, abs=1e-11)
    np.testing.assert_allclose(grad, exact_grad, rtol=1e-10, atol=1e-11)


# Random expression trees: every operation below is defined (and smooth) on the whole real line.
UNARY = [
    ("tanh", lambda u, m: m.tanh(u)),
    ("sigmoid", lambda u, m: m.sigmoid(u)),
    ("neg", lambda u, m: -u),
    ("square", lambda u, m: u**2),
    ("exp∘tanh", lambda u, m: m.exp(m.tanh(u))),
    ("log(1 + u²)", lambda u, m: m.log(1 + u * u)),
    ("affine", lambda u, m: 0.5 * u - 1.25),
]
BINARY = [
    ("+", lambda u, v, m: u + v),
    ("−", lambda u, v, m: u - v),
    ("×", lambda u, v, m: u * v),
    ("/(1 + v²)", lambda u, v, m: u / (1 + v * v)),
]
trees = st.recursive(
    st.sampled_from(["x", "y", "z", 0.5, -2.0]),
    lambda children: st.one_of(
        st.tuples(st.sampled_from(range(len(UNARY))), children),
        st.tuples(st.sampled_from(range(len(BINARY))), children, children),
    ),
    max_leaves=8,
)


def build(tree, env, m):
    if isinstance(tree, str):
        return env[tree]
    if isinstance(tree, float):
        return tree
    if len(tree) == 2:
        return UNARY[tree[0]][1](build(tree[1], env, m), m)
    return BINARY[tree[0]][1](build(tree[1], env, m), build(tree[2], env, m), m)


@settings(max_examples=60, deadline=None)
@given(trees, st.floats(-1.5, 1.5), st.floats(-1.5, 1.5), st.floats(-1.5, 1.5))
def test_random_expression_trees_match_sympy(tree, x, y, z):
    nodes = {"x": Value(x), "y": Value(y), "z": Value(z)}
    out = build(tree, nodes, ValueMath)
    if not isinstance(out, Value):          # a tree of constants only
        return
    out.backward()
    symbols = dict(zip("xyz", sp.symbols("x y z", real=True)))
    expr = build(tree, symbols, SympyMath)
    subs = {symbols[k]: v for k, v in zip("xyz", (x, y, z))}
    for name in "xyz":
        exact = float(sp.diff(expr, symbols[name]).evalf(30, subs=subs))
        assert nodes[name].grad == pytest.approx(exact, rel=1e-9, abs=1e-10), (tree, name)
    assert out.data == pytest.approx(float(sp.sympify(expr).evalf(30, subs=subs)), rel=1e-10, abs=1e-12)


def test_the_course_graph():
    a, b, c = Value(5, label="a"), Value(3, label="b"), Value(2, label="c")
    u = b * c
    v = a + u
    J = 3 * v
    assert (u.data, v.data, J.data) == (6.0, 11.0, 33.0)
    J.backward()
    assert (J.grad, v.grad, u.grad, a.grad, b.grad, c.grad) == (1.0, 3.0, 3.0, 3.0, 6.0, 9.0)
    assert J.op == "×3" and J.parents == (v,) and v.parents == (a, u) and u.local_grads == (2.0, 3.0)


def test_a_node_used_several_times_accumulates_all_contributions():
    x = Value(3.0)
    f = x * x                       # both inputs of one node are x: 2x
    f.backward()
    assert x.grad == 6.0
    g = x * x * x + x + x           # 3x² + 2
    g.backward()
    assert x.grad == 29.0
    u = x * 2.0                     # an intermediate node used three times: f = u² + u, df/dx = (2u + 1)·2
    h = u * u + u
    h.backward()
    assert u.grad == 13.0 and x.grad == 26.0


def test_backward_twice_gives_the_same_gradients():
    x, y = Value(1.5), Value(-0.5)
    f = (x * y).tanh() + x.exp()
    f.backward()
    first = (x.grad, y.grad)
    f.backward()
    assert (x.grad, y.grad) == first and f.grad == 1.0


def test_a_deep_chain_does_not_hit_the_recursion_limit():
    limit = sys.getrecursionlimit()
    n = 5 * limit                   # far deeper than recursion could go
    x = Value(0.3)
    v = x
    for _ in range(n):
        v = v * 1.0 + x             # v = (k + 1)·x after k steps
    v.backward()
    assert x.grad == n + 1 and v.data == pytest.approx((n + 1) * 0.3)
    # A chain of n tanh nodes: dv/dx is the product of the local derivatives (1 − tanh² = sech²).
    v = x
    expected = 1.0
    for _ in range(3000):
        expected *= 1 - math.tanh(v.data) ** 2
        v = v.tanh()
    v.backward()
    assert x.grad == pytest.approx(expected, rel=1e-12)
    del v                           # freeing the chain must not recurse either
    assert sys.getrecursionlimit() == limit


def test_logistic_regression_graph_matches_propagate():
    from nnlib import logistic

    w1, w2, b, x1, x2, y = 0.5, -1.0, 0.25, 2.0, 1.0, 0.0
    W1, W2, B = Value(w1), Value(w2), Value(b)
    a = (W1 * x1 + W2 * x2 + B).sigmoid()
    L = -(y * a.log() + (1 - y) * (1 - a).log())
    L.backward()
    grads, cost = logistic.propagate(np.array([[w1], [w2]]), b, np.array([[x1], [x2]]), np.array([[y]]))
    np.testing.assert_allclose([W1.grad, W2.grad], grads["dw"].ravel(), rtol=1e-14)
    np.testing.assert_allclose(B.grad, grads["db"], rtol=1e-14)
    np.testing.assert_allclose(L.data, cost, rtol=1e-14)


def test_functions_are_stable_and_match_numpy():
    for t in (-800.0, -30.0, 0.0, 30.0, 800.0):
        s = Value(t).sigmoid()
        assert 0.0 <= s.data <= 1.0 and s.local_grads[0] >= 0.0
    assert Value(0.0).sigmoid().local_grads == (0.25,)
    assert Value(-2.0).relu().data == 0.0 and Value(-2.0).relu().local_grads == (0.0,)
    assert Value(0.0).relu().local_grads == (0.0,) and Value(2.0).relu().local_grads == (1.0,)
    assert Value(709.0).exp().data == pytest.approx(math.exp(709.0))


def test_repr_and_labels():
    a = Value(2, label="a")
    assert repr(a) == "Value(data=2, grad=0, label='a')"
    J = a * 1.5
    J.label = "J"
    J.backward()
    assert repr(J) == "Value(data=3, grad=1, label='J', op='×1.5')"
    assert "grad=1.5" in repr(a)
    assert isinstance(Value(np.float32(1.5)).data, float) and Value(np.array(2.0)).data == 2.0
    assert (np.float64(2.0) * Value(3.0)).data == 6.0 and (Value(3.0) - np.int64(1)).data == 2.0


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: Value("3"), ValueError, "data must be a real number"),
        (lambda: Value(None), TypeError, "data must be a real number"),
        (lambda: Value([1.0, 2.0]), ValueError, "got list"),
        (lambda: Value(np.array([1.0, 2.0])), ValueError, r"ndarray of shape \(2,\)"),
        (lambda: Value(True), ValueError, "got bool"),
        (lambda: Value(1 + 2j), ValueError, "got complex"),
        (lambda: Value(float("nan")), ValueError, "must be finite"),
        (lambda: Value(math.inf), ValueError, "must be finite"),
        (lambda: Value(Value(1.0)), ValueError, "got a Value"),
        (lambda: Value(1.0) + "a", ValueError, "operand of \\+ must be a real number"),
        (lambda: "a" * Value(1.0), ValueError, "must be a real number"),
        (lambda: Value(1.0) * np.array([1.0, 2.0]), ValueError, r"ndarray of shape \(2,\)"),
        (lambda: np.array([1.0, 2.0]) * Value(1.0), ValueError, r"ndarray of shape \(2,\)"),
        (lambda: Value(0.0).log(), ValueError, "log is defined only for positive numbers, got 0.0"),
        (lambda: Value(-1.0).log(), ValueError, "positive numbers, got -1.0"),
        (lambda: Value(1.0) / Value(0.0), ValueError, "division by zero"),
        (lambda: Value(1.0) / 0, ValueError, "division by zero"),
        (lambda: 2 / Value(0.0), ValueError, "division by zero"),
        (lambda: Value(-8.0) ** (1 / 3), ValueError, "not a real number"),
        (lambda: Value(0.0) ** -1, ValueError, "division by zero"),
        (lambda: Value(0.0) ** 0.5, ValueError, "derivative is infinite"),
        (lambda: Value(2.0) ** Value(2.0), ValueError, "exponent must be a constant"),
        (lambda: Value(1000.0).exp(), ValueError, "overflows"),
        (lambda: Value(1e200) * Value(1e200), ValueError, "not finite"),
        (lambda: Value(10.0) ** 400, ValueError, "not finite"),
        (lambda: draw_graph(3.0), ValueError, "needs a Value"),
    ],
)
def test_bad_input_raises_a_clear_error(make, error, words):
    with pytest.raises(error, match=words):
        make()


def test_non_numeric_errors_are_both_type_and_value_errors():
    assert issubclass(AutodiffTypeError, TypeError) and issubclass(AutodiffTypeError, ValueError)


def test_powers_at_the_edges():
    assert (Value(0.0) ** 2).local_grads == (0.0,)
    assert (Value(0.0) ** 1).local_grads == (1.0,)
    assert (Value(0.0) ** 0).data == 1.0 and (Value(5.0) ** 0).local_grads == (0.0,)
    assert (Value(-2.0) ** 3).data == -8.0 and (Value(-2.0) ** 3).local_grads == (12.0,)


def test_draw_graph_draws_boxes_values_and_derivatives():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    a, b, c = Value(5, label="a"), Value(3, label="b"), Value(2, label="c")
    u = b * c
    u.label = "u"
    v = a + u
    v.label = "v"
    J = 3 * v
    J.label = "J"
    J.backward()
    ax = draw_graph(J)
    texts = [t.get_text() for t in ax.texts]
    assert "dJ/db = 6" in texts and "dJ/dc = 9" in texts and "33" in texts
    assert "∂u/∂b = 2" in texts and "∂J/∂v = 3" in texts
    assert len(ax.patches) == 6
    x = Value(3.0, label="x")
    f = x * x + x
    f.backward()
    assert "df/dx = 7" in [t.get_text() for t in draw_graph(f, grad_name="f").texts]
    plt.close("all")
