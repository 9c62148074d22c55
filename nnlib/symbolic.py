"""The book's mathematics in SymPy, written once, and the checks that tie nnlib to it.

Chapters and tests both use these: a chapter derives a formula from the canonical expressions
below and asserts it with :func:`assert_equal`; :func:`assert_matches` then checks the numpy
implementation in nnlib against the lambdified SymPy expression.
Needs the ``book`` extra (SymPy).
"""

import numpy as np
import sympy as sp

#: The real SymPy symbols z (pre-activation), a (activation) and y (label) of the canonical expressions.
z, a, y = sp.symbols("z a y", real=True)


def sigmoid(x):
    """σ(x) = 1 / (1 + e^(−x))."""
    return 1 / (1 + sp.exp(-x))


def tanh(x):
    """tanh(x), written out: (e^x − e^(−x)) / (e^x + e^(−x))."""
    return (sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x))


def relu(x):
    """ReLU(x) = max(0, x), as a Piecewise (derivative: 0 for x < 0, 1 for x > 0)."""
    return sp.Piecewise((0, x <= 0), (x, True))


def leaky_relu(x, slope=sp.Rational(1, 100)):
    """Leaky ReLU: slope·x for x ≤ 0, x for x > 0."""
    return sp.Piecewise((slope * x, x <= 0), (x, True))


def binary_cross_entropy(a, y):
    """The logistic loss L(a, y) = −(y log a + (1 − y) log(1 − a))."""
    return -(y * sp.log(a) + (1 - y) * sp.log(1 - a))


def assert_equal(lhs, rhs, what="expressions"):
    """Assert that two SymPy expressions are identical: ``simplify(lhs − rhs) == 0``.

    The error names both sides and what their difference simplifies to.
    """
    difference = sp.simplify(lhs - rhs)
    if difference != 0:
        raise AssertionError(f"{what} differ:\n  {lhs}\n≠ {rhs}\n(the difference simplifies to {difference})")


def assert_matches(numpy_function, expr, symbols, *values, rtol=1e-12, atol=0.0, digits=None):
    """Assert that ``numpy_function(*values)`` equals the SymPy ``expr`` evaluated at ``values``.

    ``symbols`` is a symbol or a tuple of symbols, in the order of ``values``. By default the
    expression is turned into a numpy function with ``sp.lambdify`` — a float64 evaluation of the
    formula *as written*. With ``digits`` (e.g. 50) it is evaluated in that many decimal digits
    with mpmath instead: the reference to use where the formula as written loses precision in
    float64 (log(1 − σ(z)) for large z, say).
    """
    symbols = tuple(symbols) if isinstance(symbols, (tuple, list)) else (symbols,)
    if len(symbols) != len(values):
        raise ValueError(f"{len(symbols)} symbols but {len(values)} value arrays")
    shape = np.broadcast_shapes(*(np.shape(v) for v in values))
    if digits is None:
        expected = np.broadcast_to(sp.lambdify(symbols, expr, "numpy")(*values), shape)
    else:
        import mpmath

        reference = sp.lambdify(symbols, expr, "mpmath")
        columns = [np.broadcast_to(v, shape).ravel() for v in values]
        with mpmath.workdps(digits):
            expected = np.array([float(reference(*(mpmath.mpf(float(c[i])) for c in columns)))
                                 for i in range(columns[0].size if columns else 1)]).reshape(shape)
    np.testing.assert_allclose(numpy_function(*values), expected, rtol=rtol, atol=atol)
