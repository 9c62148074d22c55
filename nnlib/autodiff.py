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

__all__ = ["Value", "draw_graph", "AutodiffTypeError"]


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
    label : optional name shown by ``repr`` and :func:`draw_graph`

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
        order = _topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += local * node.grad


def _topological_order(root):
    """The nodes of ``root``'s graph, each after all of its parents (root last); iterative DFS."""
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


def draw_graph(value, ax=None, grad_name=None, fmt=".4g", orientation="auto"):
    """Draw the computation graph that produced ``value`` (call ``value.backward()`` first).

    Each box shows a node's label and operation, its forward value, and (in red) its gradient
    d(value)/d(node); each arrow is labelled (in blue) with the local derivative ∂(child)/∂(parent)
    that the backward pass multiplies by. Needs matplotlib (imported here, not with nnlib).

    Parameters
    ----------
    value : the output Value
    ax : matplotlib Axes (a new figure's when None)
    grad_name : how to write the output in the gradients, e.g. "J" for "dJ/da" (default: its label)
    fmt : format spec of the numbers
    orientation : "horizontal" (inputs left, output right), "vertical" (inputs at the top) or
        "auto" (horizontal up to 5 levels, so that a long graph stays readable on a page)

    Returns the Axes.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    if not isinstance(value, Value):
        raise AutodiffTypeError(f"draw_graph needs a Value, got {type(value).__name__}")
    if orientation not in ("auto", "horizontal", "vertical"):
        raise ValueError(f"orientation must be 'auto', 'horizontal' or 'vertical', got {orientation!r}")
    order = _topological_order(value)
    if len(order) > 60:
        raise ValueError(f"the graph has {len(order)} nodes; draw_graph is meant for at most 60")
    out = grad_name or value.label or "out"
    names = {id(n): n.label or (f"x{i}" if not n.parents else f"n{i}") for i, n in enumerate(order)}
    users = {}
    for node in order:
        for p in node.parents:
            users.setdefault(id(p), []).append(node)

    # Levels: the output last, every other node one level before its earliest user.
    level = {id(value): 0}
    for node in reversed(order):
        for p in node.parents:
            level[id(p)] = min(level.get(id(p), 0), level[id(node)] - 1)
    first = min(level.values())
    levels = {}
    for node in order:
        levels.setdefault(level[id(node)] - first, []).append(node)
    vertical = orientation == "vertical" or (orientation == "auto" and len(levels) > 5)

    # Abstract frame: `along` runs from the inputs to the output, `across` spreads a level.
    # Within a level, nodes are sorted by the mean position of their users (fewer crossings).
    half_w, half_h = 0.85, 0.45
    half_along, half_across = (half_h, half_w) if vertical else (half_w, half_h)
    step_along, step_across = (2.0, 3.2) if vertical else (3.0, 1.6)
    place = {}
    for lev in sorted(levels, reverse=True):
        nodes = levels[lev]
        mean = {id(n): sum(place[id(u)][1] for u in users.get(id(n), [])) / max(len(users.get(id(n), [])), 1)
                for n in nodes}
        nodes.sort(key=lambda n: -mean[id(n)])
        for r, node in enumerate(nodes):
            place[id(node)] = (lev * step_along, ((len(nodes) - 1) / 2 - r) * step_across)

    def to_xy(along, across):
        return (-across, -along) if vertical else (along, across)

    xs, ys = zip(*(to_xy(*p) for p in place.values()))
    xlim = (min(xs) - 1.0, max(xs) + (2.0 if vertical else 1.0))
    ylim = (min(ys) - 0.65, max(ys) + (0.65 if vertical else 1.2))
    if ax is None:                  # 0.62 inch per unit: the 8-point text fits the boxes, the axes fill the figure
        fig, ax = plt.subplots(figsize=(0.62 * (xlim[1] - xlim[0]), 0.62 * (ylim[1] - ylim[0])))
        fig.subplots_adjust(left=0, right=1, bottom=0, top=1)

    def clearance(s0, t0, s1, t1):
        """How far an edge must bow (across) to pass beside the boxes between its ends (0: none)."""
        need = 0.0
        for other in order:
            sb, tb = place[id(other)]
            if s0 + half_along < sb < s1 - half_along:
                f = (sb - s0 - half_along) / (s1 - s0 - 2 * half_along)
                t_chord = t0 + f * (t1 - t0)
                if abs(t_chord - tb) < half_across + 0.15:
                    need = max(need, (tb + half_across + 0.4 - t_chord) / (4 * f * (1 - f)))
        return need

    for node in order:
        s1, t1 = place[id(node)]
        count = {}
        for parent in node.parents:
            count[id(parent)] = count.get(id(parent), 0) + 1
        k_of = {}
        for parent, local in zip(node.parents, node.local_grads):
            s0, t0 = place[id(parent)]
            k = k_of[id(parent)] = k_of.get(id(parent), -1) + 1
            length = s1 - s0 - 2 * half_along
            if count[id(parent)] > 1:                      # an input used twice by one node: two curves
                bend = 0.25 * length * (k - (count[id(parent)] - 1) / 2)
            else:
                bend = clearance(s0, t0, s1, t1)
            # arc3 bows the curve's middle by rad·length/2 to the right of its direction of travel; the
            # vertical frame is a reflection of the horizontal one, which flips that side.
            rad = (2 if vertical else -2) * bend / length
            ax.annotate("", xy=to_xy(s1 - half_along, t1), xytext=to_xy(s0 + half_along, t0),
                        arrowprops=dict(arrowstyle="->", color="0.35", lw=1.0, shrinkA=0, shrinkB=0,
                                        connectionstyle=f"arc3,rad={rad}"))
            text = f"∂{names[id(node)]}/∂{names[id(parent)]} = {local + 0.0:{fmt}}"
            s_mid, t_mid = (s0 + s1) / 2, (t0 + t1) / 2 + bend
            if vertical:
                # beside the edge: on the outer side of a bow, else on the side its input comes from
                f = 0.5 if bend else 0.4                   # converging edges are further apart nearer their inputs
                x, y = to_xy(s0 + half_along + f * length, t0 + f * (t1 - t0) + bend * 4 * f * (1 - f))
                if bend:
                    left = bend > 0
                elif t0 != t1:                             # the side the input comes from
                    left = t0 > t1
                else:                                      # straight down: away from the node's other inputs
                    others = [place[id(q)][1] - t1 for q in node.parents if q is not parent]
                    left = bool(others) and sum(others) < 0
                ax.text(x + (-0.1 if left else 0.1), y, text, ha="right" if left else "left", va="center",
                        fontsize=7, color="tab:blue", bbox=dict(facecolor="white", edgecolor="none", pad=0.4, alpha=0.85))
            else:
                x, y = to_xy(s_mid, t_mid + (0.06 if bend >= 0 else -0.06))
                ax.text(x, y, text, ha="center", va="bottom" if bend >= 0 else "top", fontsize=7, color="tab:blue",
                        bbox=dict(facecolor="white", edgecolor="none", pad=0.4, alpha=0.85))
    for node in order:
        x, y = to_xy(*place[id(node)])
        ax.add_patch(FancyBboxPatch((x - half_w, y - half_h), 2 * half_w, 2 * half_h, boxstyle="round,pad=0.05",
                                    facecolor="#eef3fb" if node.parents else "#f4f4f4", edgecolor="0.3"))
        title = names[id(node)] + (f"  [{node.op}]" if node.op else "")
        ax.text(x, y + 0.22, title, ha="center", va="center", fontsize=8, weight="bold")
        ax.text(x, y - 0.01, f"{node.data + 0.0:{fmt}}", ha="center", va="center", fontsize=8)
        ax.text(x, y - 0.26, f"d{out}/d{names[id(node)]} = {node.grad + 0.0:{fmt}}", ha="center", va="center",
                fontsize=7, color="tab:red")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax
