"""nnlib.datasets: the course's planar "flower", reproduced draw for draw."""

import numpy as np
import pytest

from nnlib.datasets import load_planar_dataset


def course_load_planar_dataset():
    """The course's planar_utils.load_planar_dataset, as published (the reference)."""
    np.random.seed(1)
    m = 400  # number of examples
    N = int(m / 2)  # number of points per class
    D = 2  # dimensionality
    X = np.zeros((m, D))  # data matrix where each row is a single example
    Y = np.zeros((m, 1), dtype="uint8")  # labels vector (0 for red, 1 for blue)
    a = 4  # maximum ray of the flower
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + np.random.randn(N) * 0.2  # theta
        r = a * np.sin(4 * t) + np.random.randn(N) * 0.2  # radius
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    X = X.T
    Y = Y.T
    return X, Y


def test_default_is_exactly_the_course_dataset():
    X, Y = load_planar_dataset()
    X_ref, Y_ref = course_load_planar_dataset()
    assert X.shape == (2, 400) and Y.shape == (1, 400)
    assert X.dtype == np.float64 and Y.dtype == np.uint8
    assert np.array_equal(X, X_ref) and np.array_equal(Y, Y_ref)       # bit for bit
    assert X.strides == X_ref.strides                                   # the same memory layout too
    assert np.array_equal(Y[0], np.repeat([0, 1], 200))


def test_global_random_state_ends_where_the_course_leaves_it():
    load_planar_dataset()
    after_ours = np.random.rand(3)
    course_load_planar_dataset()
    after_course = np.random.rand(3)
    assert np.array_equal(after_ours, after_course)


def test_seed_none_draws_from_the_current_global_state():
    np.random.seed(1)
    X, Y = load_planar_dataset(seed=None)
    assert np.array_equal(X, load_planar_dataset()[0])
    np.random.seed(5)
    assert not np.array_equal(load_planar_dataset(seed=None)[0], X)


def test_other_sizes_and_seeds():
    X, Y = load_planar_dataset(m=100, seed=7)
    assert X.shape == (2, 100) and Y.shape == (1, 100) and Y.sum() == 50
    X2, _ = load_planar_dataset(m=100, seed=7)
    assert np.array_equal(X, X2)
    assert not np.array_equal(X, load_planar_dataset(m=100, seed=8)[0])
    # a petal is at most a = 4 long, plus noise of standard deviation 0.2
    assert np.all(np.isfinite(X)) and np.abs(X).max() < 4 + 6 * 0.2
    X_small, Y_small = load_planar_dataset(m=2)
    assert X_small.shape == (2, 2) and np.array_equal(Y_small, [[0, 1]])


@pytest.mark.parametrize("m", [0, 1, 3, 401, -2, 2.0, "400", True, None])
def test_bad_sizes_are_rejected(m):
    with pytest.raises(ValueError, match="m must be an even integer"):
        load_planar_dataset(m=m)


@pytest.mark.parametrize("seed", [-1, 1.5, "1", True])
def test_bad_seeds_are_rejected(seed):
    with pytest.raises(ValueError, match="seed must be a non-negative integer or None"):
        load_planar_dataset(seed=seed)
