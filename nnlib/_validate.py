"""Input checks shared by every public nnlib function.

Each check raises ``ValueError`` (or ``TypeError`` for a non-numeric input) with a message that
names the argument, what was expected and what was given.
"""

import numpy as np


def as_float_array(name, a, ndim=None):
    """Return ``a`` as a finite, non-empty float ndarray (float32 stays float32, the rest → float64).

    ``ndim`` (int or None) is the required number of dimensions. The input is never modified.
    """
    arr = np.asarray(a)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must be a numeric array, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must be real, got dtype {arr.dtype}")
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {arr.shape} ({arr.ndim}-D)")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values, got NaN or inf")
    return arr


def check_shape(name, arr, expected):
    """Raise ``ValueError`` unless ``arr.shape`` matches ``expected`` (``None`` = any size)."""
    ok = arr.ndim == len(expected) and all(e is None or e == s for e, s in zip(expected, arr.shape))
    if not ok:
        shown = "(" + ", ".join("any" if e is None else str(e) for e in expected)
        shown += ",)" if len(expected) == 1 else ")"
        raise ValueError(f"{name} must have shape {shown}, got {arr.shape}")
    return arr


def as_labels(name, Y, m, allowed=(0, 1), dtype=None):
    """Return labels as a ``(1, m)`` float array whose values are all in ``allowed``.

    A 1-D ``(m,)`` vector is accepted and reshaped to ``(1, m)`` explicitly (the course passes
    ``Y_test`` that way); any other shape — ``(m, 1)`` above all, which would broadcast to
    ``(m, m)`` — raises ``ValueError``. With ``dtype`` (that of X, say) the labels are cast to it,
    so float32 data stays float32.
    """
    Yarr = as_float_array(name, Y)
    if dtype is not None:
        Yarr = Yarr.astype(dtype, copy=False)
    if Yarr.ndim == 1 and Yarr.shape[0] == m:
        Yarr = Yarr.reshape(1, m)
    check_shape(name, Yarr, (1, m))
    bad = ~np.isin(Yarr, allowed)
    if bad.any():
        raise ValueError(
            f"{name} must contain only the labels {set(allowed)}, got {Yarr[bad][0]:g} "
            f"(at column {int(np.argmax(bad.ravel()))})"
        )
    return Yarr


def as_scalar(name, value):
    """Return ``value`` as a finite Python float; a 1-element array is accepted.

    A Python float is a "weak" scalar for numpy: ``float32_array + b`` stays float32, where a
    ``np.float64`` b would promote the result to float64.
    """
    arr = np.asarray(value)
    if arr.size != 1:
        raise ValueError(f"{name} must be a scalar, got shape {arr.shape}")
    return float(as_float_array(name, arr).reshape(()))


def check_int(name, value, minimum=1):
    """Return ``value`` as an int, raising ``ValueError`` unless it is an integer ≥ ``minimum``
    (``True``/``False`` and floats such as 2.0 are refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        kind = {0: "a non-negative integer", 1: "a positive integer"}.get(minimum, f"an integer ≥ {minimum}")
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    return int(value)


def check_positive(name, value, integer=False):
    """Raise ``ValueError`` unless ``value`` is a positive number (with ``integer``: a non-negative int)."""
    if integer:
        return check_int(name, value, minimum=0)
    val = as_scalar(name, value)
    if not val > 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return val


def check_interval(name, value, low=None, high=None, low_open=False, high_open=False):
    """Return ``value`` as a Python float if it is a finite real number (not a bool) in the interval.

    ``low``/``high`` None means unbounded; the message names the interval as in "a number in [0, 1)",
    "a number ≥ 0" or "a number > 0".
    """
    if low is not None and high is not None:
        allowed = f"a number in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    elif low is not None:
        allowed = f"a number {'>' if low_open else '≥'} {low:g}"
    elif high is not None:
        allowed = f"a number {'<' if high_open else '≤'} {high:g}"
    else:
        allowed = "a finite number"
    ok = not isinstance(value, (bool, np.bool_)) and isinstance(value, (int, float, np.integer, np.floating)) \
        and np.isfinite(value)
    if ok:
        v = float(value)
        ok = (low is None or (v > low if low_open else v >= low)) and (high is None or (v < high if high_open else v <= high))
    if not ok:
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    return float(value)


def check_choice(name, value, choices):
    """Return ``value`` if it is one of ``choices`` (strings), else a ValueError listing them."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(repr(c) for c in choices)}, got {value!r}")
    return value
