"""Training benchmark: nnlib against hand-written numpy, PyTorch (CPU) and scikit-learn.

Workload (issue #8): full-batch gradient descent on a [784, 256, 128, 1] network (ReLU hidden,
sigmoid output, binary cross-entropy), X of shape (784, m) standard normal, random 0/1 labels,
20 iterations, learning rate 0.01, in float64 and float32. All contenders start from the same
parameters. Runs are interleaved and repeated; the table reports min and median.

Two hand-written numpy references (issue #15): ``numpy_reference``, the minimal loop (no dA0, no
caches kept, parameters updated in place), and ``numpy_course_loop``, the same maths written as the
course's four step functions return it — the caches, and the grads *with* dA0 = W1ᵀ dZ1 (a 784 × m
product no update needs), held by the loop until the next iteration replaces them, new parameter
arrays — but with no validation and no layer objects. What a loop of nnlib's step functions
(``nnlib_steps``) costs beyond ``numpy_course_loop`` is nnlib's overhead; what ``numpy_course_loop``
costs beyond ``numpy_reference`` is the course's contract. Of the contract, dA0's matrix product
adds 2·m·n1·n0 flops to the minimal iteration's 2·m·(3 Σ_l n_l·n_(l−1) − n1·n0)
(``flops_per_iteration``, ``contract``): 14.0 GFLOP instead of 10.0 here, so a loop that returns
dA0 takes at least 1.40× the minimal loop's time. The printout gives that ratio, the GEMM bound
with and without dA0, and each contender's ratio to both references.

    .venv/bin/python benchmarks/bench_train.py            # the full run (a few minutes)
    .venv/bin/python benchmarks/bench_train.py --quick    # a small smoke run
    make bench                                            # the full run, PyTorch installed first

It prints a table and writes benchmarks/results/bench_train.json, with the provenance of the run (the
commit, whether the tree had uncommitted changes, the date, the machine, the command and the load
average), which the performance chapter shows. PyTorch and scikit-learn are optional: without them
their rows say why they are missing (`pip install torch==2.13.0`).
This is a measurement script, not a test: nothing here asserts a time.
"""

import argparse
import os
import platform
import statistics
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np

import nnlib
from nnlib import deep

sys.path.insert(0, str(Path(__file__).resolve().parent))
from provenance import RESULTS_DIR, provenance, versions, write_results  # noqa: E402

RESULTS = RESULTS_DIR / "bench_train.json"
LAYERS = [784, 256, 128, 1]
COURSE_LOOP = "numpy course loop (dA0)"


def make_problem(m, layers=LAYERS, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((layers[0], m)).astype(dtype)
    Y = (rng.random((1, m)) < 0.5).astype(dtype)
    params = {}
    for l in range(1, len(layers)):      # He scaling, so 20 steps make visible progress
        params[f"W{l}"] = (rng.standard_normal((layers[l], layers[l - 1])) * np.sqrt(2 / layers[l - 1])).astype(dtype)
        params[f"b{l}"] = np.zeros((layers[l], 1), dtype=dtype)
    return X, Y, params


def _cost(A, Y):
    """The cross-entropy of probabilities A, clipped to [ε, 1 − ε] as nnlib clips them."""
    eps = np.finfo(A.dtype).eps
    A = np.clip(A, eps, 1 - eps)
    return float(-np.mean(Y * np.log(A) + (1 - Y) * np.log1p(-A)))


def numpy_reference(X, Y, params, learning_rate, iterations):
    """The same maths by hand: no validation, no caches, no dA0. Returns (params, costs)."""
    p = {k: v.copy() for k, v in params.items()}
    L = len(p) // 2
    m = X.shape[1]
    costs = []
    for _ in range(iterations):
        A, Zs, As = X, [], [X]
        for l in range(1, L + 1):
            Z = p[f"W{l}"] @ A + p[f"b{l}"]
            A = np.maximum(Z, 0) if l < L else 1 / (1 + np.exp(-Z))
            Zs.append(Z)
            As.append(A)
        costs.append(_cost(A, Y))
        dZ = (A - Y) / m
        for l in range(L, 0, -1):
            dW = dZ @ As[l - 1].T
            db = dZ.sum(axis=1, keepdims=True)
            if l > 1:
                dZ = (p[f"W{l}"].T @ dZ) * (Zs[l - 2] > 0)
            p[f"W{l}"] -= learning_rate * dW
            p[f"b{l}"] -= learning_rate * db
    return p, costs


def numpy_course_loop(X, Y, params, learning_rate, iterations):
    """The course's step functions by hand, in the loop of :func:`nnlib_steps`: the forward pass
    returns its caches, the backward pass every dA (dA0 too), dW and db in a new dict, the update new
    arrays; no validation, no layer objects. Returns (params, costs)."""
    L, m = len(params) // 2, X.shape[1]

    def forward(A, p):
        caches = []
        for l in range(1, L + 1):
            Z = p[f"W{l}"] @ A + p[f"b{l}"]
            caches.append((A, p[f"W{l}"], Z))
            A = np.maximum(Z, 0) if l < L else 1 / (1 + np.exp(-Z))
        return A, caches

    def backward(AL, Y, caches):
        grads, dZ = {}, AL - Y                   # dZ^[L] = dA^[L] σ'(Z^[L]), per example
        for l in range(L, 0, -1):
            A_prev, W, Z = caches[l - 1]
            if l < L:
                dZ = dA * (Z > 0)
            grads[f"dW{l}"], grads[f"db{l}"] = (dZ @ A_prev.T) / m, dZ.sum(axis=1, keepdims=True) / m
            grads[f"dA{l - 1}"] = dA = W.T @ dZ
        return grads

    p, costs = dict(params), []
    for _ in range(iterations):
        AL, caches = forward(X, p)
        costs.append(_cost(AL, Y))
        grads = backward(AL, Y, caches)
        p = {k: v - learning_rate * grads["d" + k] for k, v in p.items()}
    return p, costs


def nnlib_steps(X, Y, params, learning_rate, iterations):
    """nnlib's course-style step functions in a loop (what a reader of the book writes)."""
    p = {k: v.copy() for k, v in params.items()}
    costs = []
    for _ in range(iterations):
        AL, caches = deep.L_model_forward(X, p)
        costs.append(float(deep.compute_cost(AL, Y)))
        grads = deep.L_model_backward(AL, Y, caches)
        p = deep.update_parameters(p, grads, learning_rate)
    return p, costs


def nnlib_model(X, Y, params, learning_rate, iterations):
    """nnlib.deep.L_layer_model, the library's training loop (its own course initialisation: the
    starting point changes the cost reached, not the time per iteration)."""
    layers = [X.shape[0]] + [params[f"W{l}"].shape[0] for l in range(1, len(params) // 2 + 1)]
    return deep.L_layer_model(X, Y, layers, learning_rate=learning_rate, num_iterations=iterations)


def torch_contender():
    try:
        import torch
    except ImportError:
        return None, "not installed (pip install torch==2.13.0)"
    torch.set_num_threads(os.cpu_count() or 1)

    def run(X, Y, params, learning_rate, iterations):
        dtype = torch.float32 if X.dtype == np.float32 else torch.float64
        L = len(params) // 2
        layers = []
        for l in range(1, L + 1):
            lin = torch.nn.Linear(params[f"W{l}"].shape[1], params[f"W{l}"].shape[0]).to(dtype)
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(params[f"W{l}"]))
                lin.bias.copy_(torch.from_numpy(params[f"b{l}"].ravel()))
            layers += [lin, torch.nn.ReLU()] if l < L else [lin]
        net = torch.nn.Sequential(*layers)
        opt = torch.optim.SGD(net.parameters(), lr=learning_rate)
        loss_fn = torch.nn.BCEWithLogitsLoss()
        if id(X) not in run.cache:       # the transposed copy is made once, outside the timed runs
            run.cache[id(X)] = (torch.from_numpy(np.ascontiguousarray(X.T)), torch.from_numpy(Y.T.copy()))
        xt, yt = run.cache[id(X)]
        costs = []
        for _ in range(iterations):
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(net(xt), yt)
            loss.backward()
            opt.step()
            costs.append(float(loss.detach()))
        return net, costs

    run.cache = {}
    import torch as _t
    return run, f"torch {_t.__version__}"


def sklearn_contender():
    try:
        import sklearn
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        return None, "not installed"

    def run(X, Y, params, learning_rate, iterations):
        clf = MLPClassifier(hidden_layer_sizes=tuple(LAYERS[1:-1]), activation="relu", solver="sgd",
                            batch_size=X.shape[1], learning_rate_init=learning_rate, momentum=0.0,
                            nesterovs_momentum=False, alpha=0.0, max_iter=iterations, shuffle=False, tol=0.0,
                            n_iter_no_change=10**9, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            if id(X) not in run.cache:
                run.cache[id(X)] = np.ascontiguousarray(X.T)
            clf.fit(run.cache[id(X)], Y.ravel())
        return clf, list(clf.loss_curve_)

    run.cache = {}
    return run, f"scikit-learn {sklearn.__version__} (its own Glorot init)"


def gemm_bound_seconds(layers, m, dtype, repeats=5, input_gradient=False):
    """The GEMM bound: the time of exactly one iteration's matrix products and nothing else — the
    forward W·A of every layer, and backward dW = dZ·Aᵀ for every layer and dA = Wᵀ·dZ for all but
    the first (``input_gradient``: for the first too, dA0 as the course's backward pass returns it).
    No implementation of the iteration can be faster than its own matrix products."""
    rng = np.random.default_rng(1)
    A = [rng.standard_normal((n, m)).astype(dtype) for n in layers]
    W = [None] + [rng.standard_normal((layers[l], layers[l - 1])).astype(dtype) for l in range(1, len(layers))]

    def products():
        for l in range(1, len(layers)):
            W[l] @ A[l - 1]
        for l in range(len(layers) - 1, 0, -1):
            A[l] @ A[l - 1].T
            if l > 1 or input_gradient:
                W[l].T @ A[l]

    products()
    return min(_timed(products) for _ in range(repeats))


def flops_per_iteration(layers, m, input_gradient=False):
    """Forward matmuls cost 2·n_l·n_(l−1)·m; backward needs dW for every layer and dA for all but the
    first — about twice the forward (``input_gradient``: dA for the first layer too, the course's dA0)."""
    forward = sum(2 * layers[l] * layers[l - 1] * m for l in range(1, len(layers)))
    first = 1 if input_gradient else 2
    backward = forward + sum(2 * layers[l] * layers[l - 1] * m for l in range(first, len(layers)))
    return forward + backward


def minimum_bytes(layers, m, itemsize):
    """Data + parameters + gradients + what backprop must keep (Z and A of every layer)."""
    data = (layers[0] + 1) * m
    params = sum(layers[l] * (layers[l - 1] + 1) for l in range(1, len(layers)))
    activations = sum(2 * layers[l] * m for l in range(1, len(layers)))
    return (data + 2 * params + activations) * itemsize


def _timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def peak_memory(fn, X, Y, params, learning_rate, iterations):
    """Peak bytes in use during training (tracemalloc, which sees numpy's allocations): what the run
    allocated at its peak plus the inputs it was given (X, Y and the starting parameters), so that it
    compares with :func:`minimum_bytes`, which counts those too."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn(X, Y, params, learning_rate, iterations)
    extra = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return extra + X.nbytes + Y.nbytes + sum(p.nbytes for p in params.values())


def compare(m, iterations, repeats, learning_rate=0.01):
    contenders = {"numpy reference": (numpy_reference, "hand-written, ~30 lines"),
                  COURSE_LOOP: (numpy_course_loop, "hand-written, returns what the course's functions return"),
                  "nnlib (step functions)": (nnlib_steps, f"nnlib {nnlib.__version__}")}
    contenders["nnlib.deep.L_layer_model"] = (nnlib_model, f"nnlib {nnlib.__version__}")
    skipped = {}
    for name, factory in (("PyTorch CPU", torch_contender), ("scikit-learn MLPClassifier", sklearn_contender)):
        run, note = factory()
        if run is None:
            skipped[name] = note
        else:
            contenders[name] = (run, note)
    rows = []
    for dtype in (np.float64, np.float32):
        X, Y, params = make_problem(m, dtype=dtype)
        times = {name: [] for name in contenders}
        bounds, course_bounds = [], []
        final_costs = {}
        for name, (fn, _) in contenders.items():          # warm-up, and the cost reached
            _, costs = fn(X, Y, params, learning_rate, 2)
        for _ in range(repeats):                           # interleaved repeats, the GEMM bounds among them
            bounds.append(gemm_bound_seconds(LAYERS, m, dtype, repeats=2))
            course_bounds.append(gemm_bound_seconds(LAYERS, m, dtype, repeats=2, input_gradient=True))
            for name, (fn, _) in contenders.items():
                t0 = time.perf_counter()
                _, costs = fn(X, Y, params, learning_rate, iterations)
                times[name].append(time.perf_counter() - t0)
                final_costs[name] = float(costs[-1])
        bound, course_bound = min(bounds) * iterations, min(course_bounds) * iterations
        gflops = flops_per_iteration(LAYERS, m) * iterations / bound / 1e9
        ref, course_ref = min(times["numpy reference"]), min(times[COURSE_LOOP])
        for name, (fn, note) in contenders.items():
            best = min(times[name])
            memory = peak_memory(fn, X, Y, params, learning_rate, iterations) if not name.startswith(("PyTorch", "scikit")) else None
            rows.append({"contender": name, "dtype": np.dtype(dtype).name, "note": note,
                         "min_s": best, "median_s": statistics.median(times[name]), "ratio_to_numpy": best / ref,
                         "ratio_to_course_loop": best / course_ref,
                         "fraction_of_gemm_bound": bound / best, "gemm_bound_s": bound, "gemm_gflops": gflops,
                         "course_gemm_bound_s": course_bound,
                         "peak_memory_mb": None if memory is None else memory / 2**20,
                         "minimum_memory_mb": minimum_bytes(LAYERS, m, np.dtype(dtype).itemsize) / 2**20,
                         "final_cost": final_costs[name]})
    return rows, skipped


def scaling(iterations=3, repeats=2):
    out = []
    for label, layers, m in ([("m", LAYERS, mm) for mm in (1_000, 10_000, 50_000)]
                             + [("width", [784, w, w // 2, 1], 10_000) for w in (64, 256, 1024)]):
        X, Y, params = make_problem(m, layers=layers)
        for name, fn in (("numpy reference", numpy_reference), ("nnlib (step functions)", nnlib_steps)):
            best = min(_timed(lambda: fn(X, Y, params, 0.01, iterations)) for _ in range(repeats))
            out.append({"vary": label, "layers": layers, "m": m, "contender": name, "seconds_per_iteration": best / iterations})
    return out


def contract(layers=LAYERS, m=10_000):
    """The flops of one iteration without and with dA0, and their ratio: the least time a loop that
    returns dA0 can take, in units of the minimal loop's (all else being equal)."""
    minimal, course = flops_per_iteration(layers, m), flops_per_iteration(layers, m, input_gradient=True)
    return {"gflop_minimal": minimal / 1e9, "gflop_course": course / 1e9, "flop_ratio": course / minimal}


def print_table(rows, skipped, m):
    c = contract(m=m)
    print(f"one iteration: {c['gflop_minimal']:.2f} GFLOP of matrix products, {c['gflop_course']:.2f} with dA0: "
          f"a loop that returns dA0 takes at least {c['flop_ratio']:.3f}× the minimal loop's time")
    print(f"{'contender':28} {'dtype':8} {'min s':>8} {'median s':>9} {'× numpy':>8} {'× course':>9} {'GEMM %':>7} "
          f"{'peak MB':>8} {'min MB':>7}")
    for r in rows:
        mem = "—" if r["peak_memory_mb"] is None else f"{r['peak_memory_mb']:.0f}"
        print(f"{r['contender']:28} {r['dtype']:8} {r['min_s']:8.3f} {r['median_s']:9.3f} {r['ratio_to_numpy']:8.2f} "
              f"{r['ratio_to_course_loop']:9.2f} {100 * r['fraction_of_gemm_bound']:6.0f}% {mem:>8} {r['minimum_memory_mb']:7.0f}")
    for dtype in sorted({r["dtype"] for r in rows}, reverse=True):
        r = next(r for r in rows if r["dtype"] == dtype)
        print(f"{dtype}: GEMM bound {r['gemm_bound_s']:.3f} s, with dA0 {r['course_gemm_bound_s']:.3f} s "
              f"(× {r['course_gemm_bound_s'] / r['gemm_bound_s']:.2f})")
    for name, why in skipped.items():
        print(f"{name:28} skipped: {why}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="m = 1000, 3 iterations, 2 repeats; no scaling; no JSON")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    m, iterations, repeats = (1_000, 3, 2) if args.quick else (10_000, 20, args.repeats)
    run = provenance()
    rows, skipped = compare(m, iterations, repeats)
    print(f"[784, 256, 128, 1], m = {m}, {iterations} iterations, {repeats} interleaved repeats, {os.cpu_count()} cores")
    print(f"load average {run['load_average']}")
    print_table(rows, skipped, m)
    if args.quick:
        return rows
    scale = scaling()
    print("\nscaling (seconds per iteration):")
    for s in scale:
        print(f"  {s['vary']:5} layers={s['layers']} m={s['m']:6} {s['contender']:24} {s['seconds_per_iteration']:.4f}")
    write_results(RESULTS, run, {
        "workload": {"layers": LAYERS, "m": m, "iterations": iterations, "learning_rate": 0.01, "repeats": repeats},
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(), "processor": platform.processor()},
        "versions": versions("torch", "sklearn"), "contract": contract(m=m), "results": rows, "skipped": skipped,
        "scaling": scale})
    return rows


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
