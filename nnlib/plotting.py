"""Plotting helpers shared by the chapters (needs matplotlib, from the ``book`` extra)."""

from types import SimpleNamespace

import numpy as np

from nnlib._validate import as_float_array
from nnlib.autodiff import AutodiffTypeError, Value, topological_order


def plot_decision_boundary(predict, X, Y, ax=None, resolution=200, padding=0.5, title=None):
    """Shade the regions a 2-D classifier assigns to each class, and scatter the data over them.

    Parameters
    ----------
    predict : callable mapping a (2, k) array of points (one per column) to k labels, any shape
        that ravels to (k,) — e.g. ``lambda P: nnlib.shallow.predict(parameters, P)``, or
        ``lambda P: model.predict(P.T)`` for a model that takes one example per row
    X : (2, m) inputs, one example per column
    Y : (1, m) or (m,) labels
    ax : matplotlib Axes (a new figure's when None)

    Returns the Axes.
    """
    import matplotlib.pyplot as plt

    X = as_float_array("X", X, ndim=2)
    if X.shape[0] != 2:
        raise ValueError(f"X must have shape (2, m) for a 2-D plot, got {X.shape}")
    labels = np.ravel(as_float_array("Y", Y))
    if labels.shape[0] != X.shape[1]:
        raise ValueError(f"Y must have {X.shape[1]} labels (one per column of X), got {labels.shape[0]}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    x0 = np.linspace(X[0].min() - padding, X[0].max() + padding, resolution)
    x1 = np.linspace(X[1].min() - padding, X[1].max() + padding, resolution)
    g0, g1 = np.meshgrid(x0, x1)
    grid = np.vstack([g0.ravel(), g1.ravel()])
    regions = np.ravel(np.asarray(predict(grid))).reshape(g0.shape)
    classes = np.unique(np.concatenate([np.unique(labels), np.unique(regions)]))
    cmap = plt.get_cmap("coolwarm", max(len(classes), 2))
    ax.contourf(g0, g1, np.searchsorted(classes, regions), levels=np.arange(len(classes) + 1) - 0.5, cmap=cmap, alpha=0.3)
    ax.scatter(X[0], X[1], c=np.searchsorted(classes, labels), cmap=cmap, vmin=-0.5, vmax=len(classes) - 0.5,
               s=14, edgecolors="k", linewidths=0.3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title)
    return ax


# ---------------------------------------------------------------- computation graphs (nnlib.autodiff)
# Drawing lives here, not in the autodiff engine: the engine is numbers and gradients, this is matplotlib.


def draw_graph(value, ax=None, grad_name=None, fmt=".4g", orientation="auto"):
    """Draw the computation graph that produced ``value`` (call ``value.backward()`` first).

    Each box shows a node's label and operation, its forward value, and (in red) its gradient
    d(value)/d(node); each arrow is labelled (in blue) with the local derivative ∂(child)/∂(parent)
    that the backward pass multiplies by. Chapter *Computation graphs*.

    Parameters
    ----------
    value : the output :class:`nnlib.autodiff.Value`
    ax : matplotlib Axes (a new figure's when None)
    grad_name : how to write the output in the gradients, e.g. "J" for "dJ/da" (default: its label)
    fmt : format spec of the numbers
    orientation : "horizontal" (inputs left, output right), "vertical" (inputs at the top) or
        "auto" (horizontal up to 5 levels, so that a long graph stays readable on a page)

    Returns the Axes.
    """
    import matplotlib.pyplot as plt

    if not isinstance(value, Value):
        raise AutodiffTypeError(f"draw_graph needs a Value, got {type(value).__name__}")
    if orientation not in ("auto", "horizontal", "vertical"):
        raise ValueError(f"orientation must be 'auto', 'horizontal' or 'vertical', got {orientation!r}")
    order = topological_order(value)
    if len(order) > 60:
        raise ValueError(f"the graph has {len(order)} nodes; draw_graph is meant for at most 60")
    g = _graph_layout(value, order, orientation)
    xs, ys = zip(*(g.to_xy(*p) for p in g.place.values()))
    xlim = (min(xs) - 1.0, max(xs) + (2.0 if g.vertical else 1.0))
    ylim = (min(ys) - 0.65, max(ys) + (0.65 if g.vertical else 1.2))
    if ax is None:                  # 0.62 inch per unit: the 8-point text fits the boxes, the axes fill the figure
        fig, ax = plt.subplots(figsize=(0.62 * (xlim[1] - xlim[0]), 0.62 * (ylim[1] - ylim[0])))
        fig.subplots_adjust(left=0, right=1, bottom=0, top=1)
    for node in order:
        _draw_edges(ax, g, node, fmt)
    _draw_boxes(ax, g, grad_name or value.label or "out", fmt)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def _graph_layout(value, order, orientation):
    """Names, levels and positions of the nodes. Levels: the output last, every other node one level
    before its earliest user; within a level, nodes sorted by the mean position of their users."""
    names = {id(n): n.label or (f"x{i}" if not n.parents else f"n{i}") for i, n in enumerate(order)}
    users = {}
    for node in order:
        for p in node.parents:
            users.setdefault(id(p), []).append(node)
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

    return SimpleNamespace(order=order, names=names, place=place, vertical=vertical, half_w=half_w, half_h=half_h,
                           half_along=half_along, half_across=half_across, to_xy=to_xy)


def _clearance(g, s0, t0, s1, t1):
    """How far an edge must bow (across) to pass beside the boxes between its ends (0: none)."""
    need = 0.0
    for other in g.order:
        sb, tb = g.place[id(other)]
        if s0 + g.half_along < sb < s1 - g.half_along:
            f = (sb - s0 - g.half_along) / (s1 - s0 - 2 * g.half_along)
            t_chord = t0 + f * (t1 - t0)
            if abs(t_chord - tb) < g.half_across + 0.15:
                need = max(need, (tb + g.half_across + 0.4 - t_chord) / (4 * f * (1 - f)))
    return need


def _draw_edges(ax, g, node, fmt):
    """The arrows into ``node``, each labelled with its local derivative."""
    s1, t1 = g.place[id(node)]
    count = {}
    for parent in node.parents:
        count[id(parent)] = count.get(id(parent), 0) + 1
    k_of = {}
    for parent, local in zip(node.parents, node.local_grads):
        s0, t0 = g.place[id(parent)]
        k = k_of[id(parent)] = k_of.get(id(parent), -1) + 1
        length = s1 - s0 - 2 * g.half_along
        if count[id(parent)] > 1:                      # an input used twice by one node: two curves
            bend = 0.25 * length * (k - (count[id(parent)] - 1) / 2)
        else:
            bend = _clearance(g, s0, t0, s1, t1)
        # arc3 bows the curve's middle by rad·length/2 to the right of its direction of travel; the
        # vertical frame is a reflection of the horizontal one, which flips that side.
        rad = (2 if g.vertical else -2) * bend / length
        ax.annotate("", xy=g.to_xy(s1 - g.half_along, t1), xytext=g.to_xy(s0 + g.half_along, t0),
                    arrowprops=dict(arrowstyle="->", color="0.35", lw=1.0, shrinkA=0, shrinkB=0,
                                    connectionstyle=f"arc3,rad={rad}"))
        text = f"∂{g.names[id(node)]}/∂{g.names[id(parent)]} = {local + 0.0:{fmt}}"
        _edge_label(ax, g, node, parent, text, (s0, t0, s1, t1), bend, length)


def _edge_label(ax, g, node, parent, text, ends, bend, length):
    s0, t0, s1, t1 = ends
    style = dict(fontsize=7, color="tab:blue", bbox=dict(facecolor="white", edgecolor="none", pad=0.4, alpha=0.85))
    if not g.vertical:
        x, y = g.to_xy((s0 + s1) / 2, (t0 + t1) / 2 + bend + (0.06 if bend >= 0 else -0.06))
        ax.text(x, y, text, ha="center", va="bottom" if bend >= 0 else "top", **style)
        return
    # beside the edge: on the outer side of a bow, else on the side its input comes from
    f = 0.5 if bend else 0.4                   # converging edges are further apart nearer their inputs
    x, y = g.to_xy(s0 + g.half_along + f * length, t0 + f * (t1 - t0) + bend * 4 * f * (1 - f))
    if bend:
        left = bend > 0
    elif t0 != t1:                             # the side the input comes from
        left = t0 > t1
    else:                                      # straight down: away from the node's other inputs
        others = [g.place[id(q)][1] - t1 for q in node.parents if q is not parent]
        left = bool(others) and sum(others) < 0
    ax.text(x + (-0.1 if left else 0.1), y, text, ha="right" if left else "left", va="center", **style)


def _draw_boxes(ax, g, out, fmt):
    from matplotlib.patches import FancyBboxPatch

    for node in g.order:
        x, y = g.to_xy(*g.place[id(node)])
        ax.add_patch(FancyBboxPatch((x - g.half_w, y - g.half_h), 2 * g.half_w, 2 * g.half_h, boxstyle="round,pad=0.05",
                                    facecolor="#eef3fb" if node.parents else "#f4f4f4", edgecolor="0.3"))
        title = g.names[id(node)] + (f"  [{node.op}]" if node.op else "")
        ax.text(x, y + 0.22, title, ha="center", va="center", fontsize=8, weight="bold")
        ax.text(x, y - 0.01, f"{node.data + 0.0:{fmt}}", ha="center", va="center", fontsize=8)
        ax.text(x, y - 0.26, f"d{out}/d{g.names[id(node)]} = {node.grad + 0.0:{fmt}}", ha="center", va="center",
                fontsize=7, color="tab:red")
