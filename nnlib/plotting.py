"""Plotting helpers shared by the chapters (needs matplotlib, from the ``book`` extra)."""

import numpy as np

from nnlib._validate import as_float_array


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
