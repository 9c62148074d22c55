"""Golden master of every training entry point (issue #15): parameters, costs, predictions and printed
output of each option × float64/float32, recorded from nnlib 0.1 before the engine was rebuilt, and
required to be **bit-identical** (``np.array_equal`` and the same dtype) after any refactoring.

    .venv/bin/python tests/test_golden_master.py --record    # rewrite tests/data/golden_master.npz

Record only from a tree whose numbers are known good (the data was recorded once, from the code
before the change, and committed); a test run never writes it.
"""

import contextlib
import io
import sys
from pathlib import Path

import numpy as np
import pytest

from nnlib import deep, logistic, optimizers, regularization, shallow

DATA = Path(__file__).parent / "data" / "golden_master.npz"
DTYPES = {"f64": np.float64, "f32": np.float32}


def _problem(dtype, n_x=3, m=37, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_x, m))
    Y = ((X[0:1] - 0.5 * X[1:2] + 0.3 * rng.normal(size=(1, m))) > 0).astype(float)
    return X.astype(dtype), Y


def _classes(dtype, n_x=3, m=37, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_x, m))
    y = np.argmax(np.stack([X[0], X[1], -X[0] - X[1]]), axis=0)
    return X.astype(dtype), deep.one_hot(y, 3)


def _deep(**options):
    """L_layer_model with ``options``; without options the course's defaults (cost every 100 iterations)."""
    def run(dtype):
        softmax = options.get("output") == "softmax"
        X, Y = _classes(dtype) if softmax else _problem(dtype)
        dims = [3, 5, 4, 3] if softmax else [3, 5, 4, 1]
        kwargs = {"record_every": 5, **options} if options else {}
        parameters, costs = deep.L_layer_model(X, Y, dims, 0.05, 25 if options else 201, True, **kwargs)
        out = {"costs": np.array(costs), **parameters}
        out["AL"] = deep.L_model_forward(X, parameters, output="softmax" if softmax else "sigmoid")[0]
        if softmax:
            out["classes"] = deep.predict_classes(X, parameters)
        else:
            out["p"] = deep.predict(X, Y, parameters)
        return out
    return run


def _two_layer(dtype):
    X, Y = _problem(dtype)
    parameters, costs = deep.two_layer_model(X, Y, (3, 4, 1), 0.5, 201, True)
    return {"costs": np.array(costs), **parameters, "p": deep.predict(X, Y, parameters)}


def _optimizers(optimizer, decay=None, mini_batch_size=8):
    def run(dtype):
        X, Y = _problem(dtype)
        parameters, costs = optimizers.model(X, Y, [3, 5, 4, 1], optimizer, learning_rate=0.01,
                                             mini_batch_size=mini_batch_size, num_epochs=1001, print_cost=True,
                                             decay=decay, decay_rate=0.5) if decay is not None else \
            optimizers.model(X, Y, [3, 5, 4, 1], optimizer, learning_rate=0.01, mini_batch_size=mini_batch_size,
                             num_epochs=12, print_cost=True)
        return {"costs": np.array(costs), **parameters}
    return run


def _regularization(**options):
    def run(dtype):
        X, Y = _problem(dtype)
        kwargs = dict(options)
        if kwargs.get("initialization") == "dict":
            np.random.seed(5)
            kwargs["initialization"] = {k: v.astype(dtype) for k, v in
                                        deep.initialize_parameters_deep([3, 5, 4, 1], scale="he").items()}
        parameters, costs = regularization.model(X, Y, [3, 5, 4, 1], learning_rate=0.1, num_iterations=40,
                                                 print_cost=True, record_every=2, **kwargs)
        return {"costs": np.array(costs), **parameters, "p": regularization.predict(X, parameters)}
    return run


def _shallow(dtype):
    X, Y = _problem(dtype)
    np.random.seed(2)
    parameters, costs = shallow.nn_model(X, Y, 4, num_iterations=1001, print_cost=True, return_costs=True)
    return {"costs": np.array(costs), **parameters, "p": shallow.predict(parameters, X)}


def _logistic(dtype):
    X, Y = _problem(dtype)
    Xt, Yt = _problem(dtype, seed=3)
    d = logistic.model(X, Y, Xt, Yt, num_iterations=301, learning_rate=0.1, print_cost=True)
    return {k: np.asarray(v) for k, v in d.items()}


CASES = {
    "deep_default": _deep(),
    "deep_every5": _deep(record_every=5),
    "deep_softmax": _deep(output="softmax"),
    "deep_l2": _deep(lambd=0.7),
    "deep_dropout": _deep(keep_prob=0.8),
    "deep_dropout_global_rng": _deep(keep_prob=0.8, seed=None),
    "deep_momentum": _deep(optimizer="momentum", beta=0.8),
    "deep_rmsprop": _deep(optimizer="rmsprop"),
    "deep_adam": _deep(optimizer="adam"),
    "deep_minibatch": _deep(mini_batch_size=8),
    "deep_minibatch_adam_l2_dropout": _deep(mini_batch_size=10, optimizer="adam", lambd=0.3, keep_prob=0.9),
    "deep_batchnorm": _deep(batchnorm=True),
    "deep_batchnorm_minibatch_momentum": _deep(batchnorm=True, mini_batch_size=8, optimizer="momentum",
                                               bn_momentum=0.5),
    "deep_batchnorm_dropout_adam": _deep(batchnorm=True, keep_prob=0.85, optimizer="adam"),
    "deep_softmax_adam_minibatch_l2": _deep(output="softmax", optimizer="adam", mini_batch_size=9, lambd=0.2),
    "deep_softmax_batchnorm": _deep(output="softmax", batchnorm=True),
    "deep_he_scale": _deep(scale="he", optimizer="gd"),
    "two_layer": _two_layer,
    "optimizers_gd": _optimizers("gd"),
    "optimizers_momentum": _optimizers("momentum"),
    "optimizers_rmsprop": _optimizers("rmsprop"),
    "optimizers_adam": _optimizers("adam"),
    "optimizers_adam_full_batch": _optimizers("adam", mini_batch_size=64),
    "optimizers_decay": _optimizers("gd", decay=optimizers.update_lr),
    "optimizers_schedule": _optimizers("adam", decay=optimizers.schedule_lr_decay),
    "regularization_plain": _regularization(),
    "regularization_l2": _regularization(lambd=0.7),
    "regularization_dropout": _regularization(keep_prob=0.8),
    "regularization_both": _regularization(lambd=0.1, keep_prob=0.7, seed=4),
    "regularization_zeros": _regularization(initialization="zeros"),
    "regularization_random": _regularization(initialization="random"),
    "regularization_dict": _regularization(initialization="dict"),
    "shallow": _shallow,
    "logistic": _logistic,
}


def run_case(name, dtype_name):
    """Run one case from a fixed global random state; return its arrays and its printed output."""
    np.random.seed(12345)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        arrays = CASES[name](DTYPES[dtype_name])
    arrays["printed"] = np.array(buffer.getvalue())
    arrays["state_after"] = np.random.get_state()[1][:8].copy()    # the global random draws consumed
    return {f"{name}/{dtype_name}/{k}": v for k, v in arrays.items()}


def record():
    data = {}
    for name in CASES:
        for dtype_name in DTYPES:
            data.update(run_case(name, dtype_name))
    DATA.parent.mkdir(exist_ok=True)
    np.savez_compressed(DATA, **data)
    print(f"wrote {len(data)} arrays to {DATA}")


@pytest.fixture(scope="module")
def golden():
    with np.load(DATA) as f:
        return {k: f[k] for k in f.files}


@pytest.mark.parametrize("dtype_name", DTYPES)
@pytest.mark.parametrize("name", CASES)
def test_bit_identical_to_the_golden_master(golden, name, dtype_name):
    now = run_case(name, dtype_name)
    prefix = f"{name}/{dtype_name}/"
    recorded = {k for k in golden if k.startswith(prefix)}
    assert recorded, f"no golden data for {prefix}"
    assert set(now) == recorded, f"keys differ: {sorted(set(now) ^ recorded)}"
    for key in sorted(recorded):
        assert now[key].dtype == golden[key].dtype, f"{key}: dtype {now[key].dtype}, recorded {golden[key].dtype}"
        assert now[key].shape == golden[key].shape, f"{key}: shape {now[key].shape}, recorded {golden[key].shape}"
        assert np.array_equal(now[key], golden[key]), f"{key} differs from the golden master"


def test_the_golden_master_covers_every_option():
    """A failing guard if an option were dropped from the table (the recorded file has them all)."""
    text = " ".join(CASES)
    for word in ("softmax", "l2", "dropout", "momentum", "rmsprop", "adam", "minibatch", "batchnorm", "decay",
                 "two_layer", "optimizers", "regularization", "shallow", "logistic"):
        assert word in text


if __name__ == "__main__" and "--record" in sys.argv:
    record()
