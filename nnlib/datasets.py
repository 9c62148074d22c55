"""Small 2-D datasets generated in code (nothing is downloaded).

Used in the chapter *Planar data classification with one hidden layer*.
Every loader returns the course's layout: ``X`` (2, m) with one example per column, ``Y`` (1, m).
"""

import numpy as np


def load_planar_dataset(m=400, seed=1):
    """The course's "flower": two classes of points on the petals of a rose curve r = 4 sin 4t.

    Parameters
    ----------
    m : number of points, even (m/2 per class; 400 by default, as in the course)
    seed : seed for numpy's **global** random state (1 by default, as in the course), or None to
        draw from the global state as it is

    Returns
    -------
    X : (2, m) float64 coordinates, one point per column (a transposed view, as in the course)
    Y : (1, m) uint8 labels: 0 ("red") for the first m/2 columns, 1 ("blue") for the rest

    With the defaults this is exactly the course's dataset: like the course's
    ``planar_utils.load_planar_dataset`` it calls ``np.random.seed(1)`` — so it resets the global
    random state, a side effect — and then, for class j = 0 and then j = 1, draws N = m/2 angles
    t = linspace(3.12 j, 3.12 (j + 1), N) + 0.2 · randn(N) and radii r = 4 sin(4t) + 0.2 · randn(N),
    and places the point (r sin t, r cos t).
    """
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 2 or m % 2:
        raise ValueError(f"m must be an even integer ≥ 2 (m/2 points per class), got {m!r}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise ValueError(f"seed must be a non-negative integer or None, got {seed!r}")
    if seed is not None:
        np.random.seed(seed)
    m = int(m)
    N = m // 2
    a = 4  # the maximum radius: the length of a petal
    X = np.zeros((m, 2))
    Y = np.zeros((m, 1), dtype=np.uint8)
    for j in range(2):
        rows = slice(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + np.random.randn(N) * 0.2  # angle
        r = a * np.sin(4 * t) + np.random.randn(N) * 0.2  # radius
        X[rows] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[rows] = j
    return X.T, Y.T
