"""Convolution benchmark (issue #16): nnlib's vectorized kernels against the course's loops, and one
CNN training step against PyTorch (CPU).

1. ``conv_forward`` + ``conv_backward`` and ``pool_forward`` + ``pool_backward``, vectorized vs the
   loop references (``*_loops``), on the sizes the chapters use: the course's conv_forward case,
   a mini-batch of the digits CNN (32 × 8 × 8 × 1 → 16 filters of 3 × 3, "same"), and its pooling.
   Goal: ≥ 100× faster.
2. One training step of the chapter's CNN (Conv2D 16 @ 3 × 3 same + ReLU → max-pool 2 → flatten →
   softmax layer of 10; forward, cross-entropy, backward, gradient step) in float32, nnlib against
   ``torch.nn.functional`` with the same shapes and the same number of threads, for mini-batches
   of 32 and 256. Goal: ≤ 1.5× PyTorch's time. Peak memory of nnlib's step (tracemalloc sees
   numpy's allocations, not libtorch's).

    .venv/bin/python benchmarks/bench_conv.py [--threads 1] [--repeat 30]   # a few minutes
    .venv/bin/python benchmarks/bench_conv.py --quick                        # a smoke run, no JSON
    make bench                                                               # PyTorch installed first

It prints two tables and writes benchmarks/results/bench_conv.json with the provenance of the run
(commit, uncommitted changes, date, machine, command, load average; see provenance.py), which the
performance chapter shows. PyTorch is optional (``pip install torch==2.13.0``). This script
measures and prints; it asserts no time.
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from nnlib import cnn, conv, deep, layers, losses, optim

sys.path.insert(0, str(Path(__file__).resolve().parent))
from provenance import RESULTS_DIR, provenance, versions, write_results  # noqa: E402

RESULTS = RESULTS_DIR / "bench_conv.json"


def best_time(fn, repeat):
    """Minimum and median wall time of ``fn()`` over ``repeat`` runs (after one warm-up run)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def interleaved_times(fns, repeat):
    """Minimum wall time of each function, run in turn (a, b, a, b, ...) so that a burst of load on
    a shared machine hits all of them alike."""
    for fn in fns:
        fn()
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def kernel_cases(rng):
    return {
        "course conv (2,5,7,4) W (3,3,4,8) p1 s2": ("conv", rng.standard_normal((2, 5, 7, 4)), rng.standard_normal((3, 3, 4, 8)),
                                                    rng.standard_normal((1, 1, 1, 8)), {"pad": 1, "stride": 2}),
        "digits conv (32,8,8,1) W (3,3,1,16) same": ("conv", rng.standard_normal((32, 8, 8, 1)), rng.standard_normal((3, 3, 1, 16)),
                                                     np.zeros((1, 1, 1, 16)), {"pad": 1, "stride": 1}),
        "digits conv (256,8,8,1) W (3,3,1,16) same": ("conv", rng.standard_normal((256, 8, 8, 1)), rng.standard_normal((3, 3, 1, 16)),
                                                      np.zeros((1, 1, 1, 16)), {"pad": 1, "stride": 1}),
        "digits max-pool (32,8,8,16) f2 s2": ("pool", rng.standard_normal((32, 8, 8, 16)), {"f": 2, "stride": 2}),
    }


def bench_kernels(repeat, quick=False):
    print("1. vectorized vs the course's loops (forward + backward), float64")
    print(f"{'case':45s} {'loops ms':>10s} {'vectorized ms':>14s} {'speed-up':>9s}")
    rows = []
    for name, case in kernel_cases(np.random.default_rng(0)).items():
        if quick and case[1].shape[0] > 32:
            continue
        if case[0] == "conv":
            _, A, W, b, hp = case

            def fast(A=A, W=W, b=b, hp=hp):
                Z, cache = conv.conv_forward(A, W, b, hp)
                conv.conv_backward(Z, cache)

            def slow(A=A, W=W, b=b, hp=hp):
                Z, cache = conv.conv_forward_loops(A, W, b, hp)
                conv.conv_backward_loops(Z, cache)
        else:
            _, A, hp = case

            def fast(A=A, hp=hp):
                P, cache = conv.pool_forward(A, hp)
                conv.pool_backward(P, cache)

            def slow(A=A, hp=hp):
                P, cache = conv.pool_forward_loops(A, hp)
                conv.pool_backward_loops(P, cache)
        t_slow = best_time(slow, max(1, repeat // 10))[0]
        t_fast = best_time(fast, repeat)[0]
        print(f"{name:45s} {1e3 * t_slow:10.2f} {1e3 * t_fast:14.3f} {t_slow / t_fast:8.0f}×")
        rows.append({"case": name, "kind": case[0], "loops_ms": 1e3 * t_slow, "vectorized_ms": 1e3 * t_fast,
                     "speedup": t_slow / t_fast})
    return rows


def nnlib_step(m, seed=0):
    """The chapter's CNN in float32 (a Sequential with batch_axis=0), and a function doing one
    training step on a batch of m images — what nnlib.training.train does per mini-batch."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, 8, 8, 1)).astype(np.float32)
    Y = deep.one_hot(rng.integers(0, 10, m), 10).astype(np.float32)
    conv_layer = cnn.Conv2D(1, 16, 3, pad="same", activation="relu", seed=seed)
    for name in conv_layer.params:
        conv_layer.params[name] = conv_layer.params[name].astype(np.float32)
    dense = layers.Dense((rng.standard_normal((10, 256)) / 16).astype(np.float32), np.zeros((10, 1), np.float32))
    network = layers.Sequential([conv_layer, cnn.Pool2D(2), cnn.Flatten(), dense], batch_axis=0)
    loss, optimizer = losses.SoftmaxCrossEntropy(), optim.GradientDescent(0.1)

    def step():
        network.backward(loss.gradient(network.forward(X, training=True), Y))
        optimizer.step(network)
    return step, X, Y, network.layers, {"W": dense.params["W"], "b": dense.params["b"]}


def torch_step(m, X, Y, layers, out):
    import torch
    import torch.nn.functional as F_

    x = torch.from_numpy(X.transpose(0, 3, 1, 2).copy())
    target = torch.from_numpy(Y.argmax(axis=0))
    W1 = torch.from_numpy(layers[0].params["W"].transpose(3, 2, 0, 1).copy()).requires_grad_()
    b1 = torch.from_numpy(layers[0].params["b"].ravel().copy()).requires_grad_()
    # nnlib flattens (h, w, c) row by row; PyTorch (c, h, w): permute before flattening to match
    W2 = torch.from_numpy(out["W"].copy()).requires_grad_()
    b2 = torch.from_numpy(out["b"].ravel().copy()).requires_grad_()
    params = [W1, b1, W2, b2]

    def step():
        h = F_.max_pool2d(F_.relu(F_.conv2d(x, W1, b1, padding=1)), 2)
        logits = h.permute(0, 2, 3, 1).reshape(m, -1) @ W2.T + b2
        loss = F_.cross_entropy(logits, target)
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= 0.1 * p.grad
    return step


def peak_bytes(step):
    step()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    step()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def bench_training(repeat, threads):
    print(f"\n2. one training step of the digits CNN, float32, {threads} thread(s)")
    try:
        import torch
        torch.set_num_threads(threads)
    except ImportError:
        torch = None
        print("   PyTorch is not installed: only nnlib is timed (pip install torch==2.13.0)")
    print(f"{'batch':>6s} {'nnlib ms':>10s} {'torch ms':>10s} {'nnlib/torch':>12s} {'nnlib peak MB':>14s} {'batch MB':>9s}")
    rows = []
    for m in (32, 256):
        step, X, Y, layers, out = nnlib_step(m)
        if torch:
            t_nnlib, t_torch = interleaved_times([step, torch_step(m, X, Y, layers, out)], repeat)
        else:
            t_nnlib, t_torch = best_time(step, repeat)[0], float("nan")
        peak = peak_bytes(step)
        print(f"{m:6d} {1e3 * t_nnlib:10.3f} {1e3 * t_torch:10.3f} {t_nnlib / t_torch:11.2f}× "
              f"{peak / 2**20:14.2f} {X.nbytes / 2**20:9.3f}")
        rows.append({"batch": m, "nnlib_ms": 1e3 * t_nnlib, "torch_ms": None if torch is None else 1e3 * t_torch,
                     "ratio_to_torch": None if torch is None else t_nnlib / t_torch,
                     "nnlib_peak_mb": peak / 2**20, "batch_mb": X.nbytes / 2**20})
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--quick", action="store_true", help="3 repeats, no batch-256 loops; no JSON")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else args.repeat
    run = provenance()
    print(f"numpy {np.__version__}, {os.cpu_count()} CPUs visible, {args.threads} thread(s)\n")
    with threadpool_limits(limits=args.threads):
        kernels = bench_kernels(repeat, quick=args.quick)
        training = bench_training(repeat, args.threads)
    if not args.quick:
        write_results(RESULTS, run, {
            "workload": {"threads": args.threads, "repeat": repeat, "kernel_dtype": "float64", "training_dtype": "float32",
                         "cnn": "Conv2D 16 @ 3x3 same + ReLU, max-pool 2, flatten, softmax 10 on 8x8x1 images"},
            "versions": versions("torch"), "kernels": kernels, "training": training})
    return kernels, training


if __name__ == "__main__":
    main()
