"""A small reverse-mode automatic differentiation engine on scalars.

Derived and checked in the chapter *Computation graphs and backpropagation*.

A :class:`Value` holds one float (``data``) and, after ``backward()`` has been called on a result
built from it, the derivative of that result with respect to it (``grad``). Every operation
records its inputs and the **local derivatives** ∂(output)/∂(input), evaluated in the forward
pass; ``backward()`` visits the graph once in reverse topological order and applies the chain rule

    input.grad += (∂output/∂input) · output.grad

so a node used several times receives the sum of the contributions of all its uses.

    >>> a, b, c = Value(5, label="a"), Value(3, label="b"), Value(2, label="c")
    >>> J = 3 * (a + b * c)
    >>> J.backward()
    >>> J.data, a.grad, b.grad, c.grad
    (33.0, 3.0, 6.0, 9.0)

A Python number combined with a Value is a constant: it gets no node of its own (``3 * v`` is
one node, "×3", with one input). Everything is plain Python floats: no numpy needed.
"""

import math
import numbers

__all__ = ["Value", "topological_order", "AutodiffTypeError"]


class AutodiffTypeError(TypeError, ValueError):
    """A non-numeric operand (a string, None, a list, ...). Catch it as TypeError or ValueError."""


def _as_number(name, x):
    """Return ``x`` as a finite Python float, or raise with a message naming ``name``."""
    if getattr(x, "ndim", None) == 0 and hasattr(x, "item"):         # a 0-d numpy array
        x = x.item()
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        shape = getattr(x, "shape", None)
        what = type(x).__name__ + (f" of shape {shape}" if shape is not None else "")
        raise AutodiffTypeError(f"{name} must be a real number (int or float), got {what}: {x!r}")
    value = float(x)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return value


class Value:
    """A scalar node of a computation graph.

    Parameters
    ----------
    data : a real number (int, float, numpy scalar); stored as a Python float
    label : optional name shown by ``repr`` and :func:`nnlib.plotting.draw_graph`

    Attributes
    ----------
    data : float, the forward value
    grad : float, d(output)/d(this node) after ``output.backward()`` (0.0 before)
    op : str, the operation that produced the node (``""`` for a leaf)
    parents : tuple of the input nodes
    local_grads : tuple of ∂(this)/∂(parent), in the order of ``parents``
    """

    __slots__ = ("data", "grad", "label", "op", "parents", "local_grads")
    __array_ufunc__ = None      # numpy defers to Value's operators: ``array * Value`` raises as ``Value * array`` does

    def __init__(self, data, label=""):
        if isinstance(data, Value):
            raise AutodiffTypeError("data must be a number, got a Value (use the Value itself)")
        self.data = _as_number("data", data)
        self.grad = 0.0
        self.label = str(label)
        self.op = ""
        self.parents = ()
        self.local_grads = ()

    @classmethod
    def _node(cls, data, op, parents, local_grads):
        """A result node; its value must be finite (no silent inf or NaN)."""
        if not math.isfinite(data):
            inputs = ", ".join(f"{p.data!r}" for p in parents)
            raise ValueError(f"{op} of ({inputs}) overflows: the result {data!r} is not finite")
        node = cls.__new__(cls)
        node.data, node.grad, node.label, node.op = data, 0.0, "", op
        node.parents, node.local_grads = parents, tuple(float(g) for g in local_grads)
        return node

    def __repr__(self):
        label = f", label={self.label!r}" if self.label else ""
        op = f", op={self.op!r}" if self.op else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label}{op})"

    # ---- arithmetic -------------------------------------------------------------------------
    # With a Value operand both inputs are nodes; with a number the number is a constant.

    def __add__(self, other):
        if isinstance(other, Value):
            return Value._node(self.data + other.data, "+", (self, other), (1.0, 1.0))
        c = _as_number("the other operand of +", other)
        return Value._node(self.data + c, f"+{c:g}", (self,), (1.0,))

    def __radd__(self, other):
        return self + other

    def __neg__(self):
        return Value._node(-self.data, "neg", (self,), (-1.0,))

    def __sub__(self, other):
        if isinstance(other, Value):
            return Value._node(self.data - other.data, "−", (self, other), (1.0, -1.0))
        c = _as_number("the other operand of −", other)
        return Value._node(self.data - c, f"−{c:g}", (self,), (1.0,))

    def __rsub__(self, other):
        c = _as_number("the other operand of −", other)
        return Value._node(c - self.data, f"{c:g}−", (self,), (-1.0,))

    def __mul__(self, other):
        if isinstance(other, Value):
            return Value._node(self.data * other.data, "×", (self, other), (other.data, self.data))
        c = _as_number("the other operand of ×", other)
        return Value._node(self.data * c, f"×{c:g}", (self,), (c,))

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        if isinstance(other, Value):
            if other.data == 0:
                raise ValueError(f"division by zero: {self.data!r} / 0")
            q = self.data / other.data
            return Value._node(q, "/", (self, other), (1.0 / other.data, -q / other.data))
        c = _as_number("the divisor", other)
        if c == 0:
            raise ValueError(f"division by zero: {self.data!r} / 0")
        return Value._node(self.data / c, f"/{c:g}", (self,), (1.0 / c,))

    def __rtruediv__(self, other):
        c = _as_number("the dividend", other)
        if self.data == 0:
            raise ValueError(f"division by zero: {c!r} / 0")
        q = c / self.data
        return Value._node(q, f"{c:g}/", (self,), (-q / self.data,))

    def __pow__(self, exponent):
        """``x ** p`` for a constant real ``p``: derivative p·x^(p−1)."""
        if isinstance(exponent, Value):
            raise AutodiffTypeError("the exponent must be a constant number, not a Value "
                                    "(write exp(p·log(x)) for a variable exponent)")
        p = _as_number("the exponent", exponent)
        x = self.data
        if x < 0 and not p.is_integer():
            raise ValueError(f"{x!r} ** {p!r} is not a real number (negative base, non-integer exponent)")
        if x == 0 and p < 1 and p != 0:
            raise ValueError(f"x ** {p!r} at x = 0: " + ("division by zero" if p < 0 else "the derivative is infinite"))
        try:
            out = x**p
            local = p * x ** (p - 1) if p != 0 else 0.0
        except OverflowError:
            out = math.inf
            local = 0.0
        return Value._node(out, f"**{p:g}", (self,), (local,))

    # ---- functions --------------------------------------------------------------------------

    def exp(self):
        """e^x; derivative e^x. Raises ValueError for x > 709.78 (e^x overflows float64)."""
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise ValueError(f"exp({self.data!r}) overflows float64 (largest argument ≈ 709.78)") from None
        return Value._node(e, "exp", (self,), (e,))

    def log(self):
        """Natural logarithm; derivative 1/x. Raises ValueError for x ≤ 0."""
        if self.data <= 0:
            raise ValueError(f"log is defined only for positive numbers, got {self.data!r}")
        return Value._node(math.log(self.data), "log", (self,), (1.0 / self.data,))

    def sigmoid(self):
        """σ(x) = 1 / (1 + e^(−x)), computed without overflow; derivative σ(x)(1 − σ(x))."""
        e = math.exp(-abs(self.data))
        s = 1.0 / (1.0 + e) if self.data >= 0 else e / (1.0 + e)
        return Value._node(s, "σ", (self,), (s * (1.0 - s),))

    def tanh(self):
        """tanh(x); derivative 1 − tanh²(x)."""
        t = math.tanh(self.data)
        return Value._node(t, "tanh", (self,), (1.0 - t * t,))

    def relu(self):
        """max(0, x); derivative 1 for x > 0 and 0 for x ≤ 0 (the course's convention at 0)."""
        return Value._node(max(self.data, 0.0), "ReLU", (self,), (1.0 if self.data > 0 else 0.0,))

    # ---- the backward pass ------------------------------------------------------------------

    def backward(self):
        """Set ``node.grad`` = d(self)/d(node) for every node of the graph that produced ``self``.

        Gradients are first reset to 0 in the whole graph, so calling ``backward()`` twice gives the
        same result; ``self.grad`` becomes 1. The nodes are visited in reverse topological order (each
        node after every node that uses it), which an iterative depth-first search finds: no recursion,
        so a chain of any length works.
        """
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += local * node.grad


def topological_order(root):
    """The nodes of ``root``'s graph (a :class:`Value`), each after all of its parents (root last):
    the order in which :meth:`Value.backward` visits them, reversed. Iterative depth-first search."""
    order, seen = [], {id(root)}
    stack = [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append((parent, iter(parent.parents)))
                break
        else:                      # every parent is done: the node can follow them
            stack.pop()
            order.append(node)
    return order
