"""Input checks shared by every public nnlib function.

Each check raises ``ValueError`` (or ``TypeError`` for a non-numeric input) with a message that
names the argument, what was expected and what was given.
"""

import numpy as np


def as_float_array(name, a, ndim=None, finite=True):
    """Return ``a`` as a finite, non-empty float ndarray (float32 stays float32, the rest → float64).

    ``ndim`` (int or None) is the required number of dimensions. The input is never modified.
    ``finite=False`` skips the one check that reads every entry (for data-sized inputs whose result
    is checked instead: a NaN or inf in them reaches the result, and is then named here).
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
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values, got NaN or inf")
    return arr


def check_finite_through(results, inputs):
    """Check data-sized inputs through small results computed from them, instead of a pass over the data.

    A NaN or inf of an input reaches the results of the products, sums and ReLUs that use it. If
    every array of ``results`` is finite, return (O(results)); otherwise read the ``inputs`` (pairs
    name, array) in order and raise :func:`as_float_array`'s ValueError naming the first that holds
    NaN or inf. If none does (the results overflowed from finite inputs), return.
    """
    if all(np.isfinite(r).all() for r in results):
        return
    for name, a in inputs:
        as_float_array(name, a)


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
    """Return ``value`` if it is a positive number (a Python float; with ``integer``: a positive int, as
    :func:`check_int`), else a ``ValueError``. A count that may be 0 is ``check_int(name, v, minimum=0)``."""
    if integer:
        return check_int(name, value)
    val = as_scalar(name, value)
    if not val > 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return val


def check_interval(name, value, low=None, high=None, low_open=False, high_open=False):
    """Return ``value`` as a Python float if it is a finite real number (not a bool; a 1-element
    array is accepted, as by :func:`as_scalar`) in the interval — the one interval check of nnlib.

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
    try:
        v = None if isinstance(value, (bool, np.bool_)) or np.asarray(value).dtype == bool else as_scalar(name, value)
    except (TypeError, ValueError):
        v = None
    if v is None or not ((low is None or (v > low if low_open else v >= low))
                         and (high is None or (v < high if high_open else v <= high))):
        finite = v is not None or not np.issubdtype(np.asarray(value).dtype, np.number) \
            or np.all(np.isfinite(np.asarray(value)))
        raise ValueError(f"{name} must be {allowed}, got {value!r}" + ("" if finite else " (not finite)"))
    return v


def check_choice(name, value, choices):
    """Return ``value`` if it is one of ``choices`` (strings), else a ValueError listing them."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(repr(c) for c in choices)}, got {value!r}")
    return value


# Parameter dicts and layer sizes of the course's networks (deep, regularization, optimizers, network).

BN_KEYS = ("gamma", "beta", "running_mean", "running_var")   # a batch-norm network's hidden layer l: (n^[l], 1) each


def check_dtype(dtype):
    """float32 or float64 as a numpy dtype, else a ValueError."""
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    return dtype


def check_layer_dims(layer_dims, name="layer_dims"):
    """``[n_x, n^[1], ..., n^[L]]`` (at least 2 positive integers) as a list of ints."""
    if isinstance(layer_dims, np.ndarray):
        layer_dims = layer_dims.tolist()
    if not isinstance(layer_dims, (list, tuple)) or len(layer_dims) < 2:
        raise ValueError(f"{name} must be a list of at least 2 layer sizes [n_x, n^[1], ..., n^[L]], got {layer_dims!r}")
    return [check_int(f"{name}[{i}]", n) for i, n in enumerate(layer_dims)]


def check_one_hot(name, Y, shape, dtype=None):
    """One-hot labels of ``shape`` (n_classes, m): 0/1 entries, a single 1 per column (in ``dtype``)."""
    Y = as_float_array(name, Y, ndim=2)
    if dtype is not None:
        Y = Y.astype(dtype, copy=False)
    check_shape(name, Y, shape)
    if not np.all((Y == 0) | (Y == 1)) or not np.all(Y.sum(axis=0) == 1):
        raise ValueError(f"{name} must be one-hot: every column holds a single 1 and zeros elsewhere (see one_hot)")
    return Y


def split_key(key):
    """``"running_mean12"`` → ``("running_mean", 12)``; (None, 0) for keys without a layer number."""
    if isinstance(key, str):
        stem = key.rstrip("0123456789")
        if stem and stem != key:
            return stem, int(key[len(stem):])
    return None, 0


def key_order(key):
    """Sort key of a parameter dict: by layer, then W, b, gamma, beta, running_mean, running_var."""
    stem, layer = split_key(key)
    return layer, ("W", "b", *BN_KEYS).index(stem) if stem in ("W", "b", *BN_KEYS) else 9, str(key)


def check_parameters(parameters, n_x=None, allow_batchnorm=False, learned_only=False):
    """Validate ``{"W1", "b1", ..., "WL", "bL"}`` (consecutive shapes); return (L, validated dict).

    With ``allow_batchnorm``, a batch-norm network's dict is accepted as well (any key gamma/beta/
    running_mean/running_var marks one): ``W1, ..., WL, bL`` and, for l = 1, ..., L − 1,
    ``gamma{l}, beta{l}, running_mean{l}, running_var{l}`` of shape (n^[l], 1), running_var ≥ 0
    (``learned_only``: a dict without any running average is accepted too, as training starts).
    """
    if not isinstance(parameters, dict) or not parameters:
        raise ValueError(f"parameters must be a non-empty dict W1, b1, ..., WL, bL, got {type(parameters).__name__}")
    parts = [split_key(k) for k in parameters]
    L = max((layer for stem, layer in parts if stem in ("W", "b")), default=0)
    batchnorm = allow_batchnorm and any(stem in BN_KEYS for stem, _ in parts)
    hidden = BN_KEYS if batchnorm else ("b",)
    if batchnorm and learned_only and not any(stem in BN_KEYS[2:] for stem, _ in parts):
        hidden = BN_KEYS[:2]
    expected = {f"W{l}" for l in range(1, L + 1)} | {f"b{L}"} | {f"{p}{l}" for p in hidden for l in range(1, L)}
    missing = sorted(expected - set(parameters), key=key_order)
    extra = sorted(map(str, set(parameters) - expected))
    if L == 0 or missing or extra:
        found = f"missing {missing}" if missing else f"unexpected keys {extra}" if extra else f"got {sorted(map(str, parameters))}"
        if batchnorm:
            raise ValueError("parameters of a batch-norm network must have exactly the keys W1, ..., WL, bL and "
                             f"gamma, beta, running_mean, running_var 1, ..., L − 1: {found}")
        raise ValueError(f"parameters must have exactly the keys W1, b1, ..., WL, bL: {found}")
    checked, n_prev = {}, n_x
    for l in range(1, L + 1):
        W = as_float_array(f"W{l}", parameters[f"W{l}"], ndim=2)
        if n_prev is not None:
            check_shape(f"W{l}", W, (None, n_prev))
        checked[f"W{l}"] = W
        for name in (f"{p}{l}" for p in (("b",) if l == L else hidden)):
            checked[name] = check_shape(name, as_float_array(name, parameters[name], ndim=2), (W.shape[0], 1))
        n_prev = W.shape[0]
    for l in range(1, L) if "running_var1" in checked else ():
        if checked[f"running_var{l}"].min() < 0:
            raise ValueError(f"running_var{l} must be ≥ 0 (a variance), got {checked[f'running_var{l}'].min()!r}")
    return L, checked


def check_upstream(layer, dA, shape):
    """The ``dA`` a layer's ``backward`` receives: an array of ``shape``, the shape of the output of the
    layer's last forward pass (None: there was none yet). O(shapes); used by every layer."""
    name = type(layer).__name__
    if shape is None:
        raise ValueError(f"{name}.backward needs a forward pass first (called before forward)")
    dA = np.asarray(dA)
    if dA.shape != tuple(shape):
        raise ValueError(f"{name}.backward expects dA of the forward output's shape {tuple(shape)}, got {dA.shape}")
    return dA
