"""One training step of an LSTM character-level language model: nnlib vs PyTorch (CPU), float32.

The model is the language model of the chapter *A character-level language model* with an LSTM
cell: one-hot characters in (vocabulary 28), an LSTM of n_a = 50 units, a softmax over the
vocabulary at every step, the cross-entropy averaged over examples and steps, one step of plain
gradient descent. nnlib runs ``lstm_forward`` / ``lstm_backward`` of :mod:`nnlib.rnn`; PyTorch runs
``torch.nn.LSTM`` + ``torch.nn.Linear`` + ``cross_entropy`` + ``SGD`` on the same sizes.

Two batch shapes: m = 1 (the course trains on one name at a time) and m = 64, both with T = 12
steps (a colour name is 10.3 characters on average, plus the newline). Each contender runs in its
own subprocess, so its peak memory (the kernel's high-water mark of resident memory, reset before
the steps) is its own. Prints the median and best time per step, the ratio to PyTorch, the
system (kernel) CPU time per step, and the peak memory above the process's resident size before the
steps.

A third contender, ``nnlib (malloc keeps)``, is nnlib again in a process whose glibc malloc keeps
freed memory (``MALLOC_TRIM_THRESHOLD_`` and ``MALLOC_MMAP_THRESHOLD_`` at 256 MiB): numpy allocates
every temporary afresh, and with glibc's default thresholds the arrays of a few hundred KiB that an
LSTM step over 64 sequences allocates are returned to the kernel when freed and page-faulted back
in by the next step (system time), where PyTorch's caching allocator keeps its memory. The
difference between the two nnlib rows is that cost; nnlib's code is the same.

Run: ``.venv/bin/python benchmarks/bench_rnn.py`` (a minute or two; ``--quick`` for a smoke run
that writes nothing) or ``make bench``. PyTorch is optional: without it, only nnlib is timed. The
full run writes benchmarks/results/bench_rnn.json with the provenance of the run (commit,
uncommitted changes, date, machine, command, load average; see provenance.py), which the
performance chapter shows. A benchmark prints what it measures; it asserts nothing about speed.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from provenance import RESULTS_DIR, provenance, versions, write_results  # noqa: E402

RESULTS = RESULTS_DIR / "bench_rnn.json"

VOCAB, N_A, T_X = 28, 50, 12
# One thread each by default, as bench_conv (on a shared machine, two threads for a 50-unit LSTM measure
# the scheduler more than the step): numpy's OpenBLAS gets OPENBLAS_NUM_THREADS (set for the children
# below), PyTorch torch.set_num_threads. BENCH_THREADS=2 compares both on two threads.
THREADS = int(os.environ.get("BENCH_THREADS", 1))
STEPS, REPEATS = 30, 5


def _rss_kib(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def _reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:      # resets VmHWM (Linux ≥ 4.0)
            f.write("5")
        return True
    except OSError:
        return False


def _problem(m, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    idx = rng.integers(0, VOCAB, size=(m, T_X + 1))
    return idx[:, :-1], idx[:, 1:]            # inputs and next-character targets, (m, T_X)


def nnlib_step_fn(m):
    import numpy as np

    from nnlib import rnn

    rng = np.random.default_rng(1)
    scale = 1 / np.sqrt(N_A + VOCAB)
    p = {f"W{g}": (rng.normal(size=(N_A, N_A + VOCAB)) * scale).astype(np.float32) for g in "fico"}
    p |= {f"b{g}": np.zeros((N_A, 1), np.float32) for g in "fico"}
    p |= {"Wy": (rng.normal(size=(VOCAB, N_A)) * 0.1).astype(np.float32), "by": np.zeros((VOCAB, 1), np.float32)}
    inputs, targets = _problem(m)
    eye = np.eye(VOCAB, dtype=np.float32)
    x = eye[inputs].transpose(2, 0, 1)                     # (VOCAB, m, T_X)
    a0 = np.zeros((N_A, m), np.float32)
    lr = np.float32(0.1)

    def step():
        a, y, _, caches = rnn.lstm_forward(x, a0, p)
        rows, cols = targets, np.arange(m)[:, None]
        loss = -np.mean(np.log(y[rows, cols, np.arange(T_X)]))
        dz = y.copy()
        dz[rows, cols, np.arange(T_X)] -= 1
        dz /= m * T_X
        dz_cols = dz.reshape(VOCAB, m * T_X)                # the output layer's products over all steps at once
        g = rnn.lstm_backward((p["Wy"].T @ dz_cols).reshape(N_A, m, T_X), caches)
        g["dWy"], g["dby"] = dz_cols @ a.reshape(N_A, m * T_X).T, dz_cols.sum(axis=1, keepdims=True)
        for k in p:
            p[k] -= lr * g["d" + k]
        return float(loss)

    return step


def torch_step_fn(m):
    import torch

    torch.manual_seed(1)
    lstm, head = torch.nn.LSTM(VOCAB, N_A), torch.nn.Linear(N_A, VOCAB)
    params = list(lstm.parameters()) + list(head.parameters())
    optimizer = torch.optim.SGD(params, lr=0.1)
    inputs, targets = _problem(m)
    x = torch.nn.functional.one_hot(torch.as_tensor(inputs.T), VOCAB).float()      # (T_X, m, VOCAB)
    y = torch.as_tensor(targets.T.reshape(-1))

    def step():
        optimizer.zero_grad()
        out, _ = lstm(x)
        loss = torch.nn.functional.cross_entropy(head(out).reshape(-1, VOCAB), y)
        loss.backward()
        optimizer.step()
        return float(loss)

    return step


# The contenders: the step function each runs, and the environment of its child process.
KEEP = str(256 * 2**20)
CONTENDERS = {"nnlib": ("nnlib", {}),
              "nnlib (malloc keeps)": ("nnlib", {"MALLOC_TRIM_THRESHOLD_": KEEP, "MALLOC_MMAP_THRESHOLD_": KEEP}),
              "torch": ("torch", {})}


def measure(contender, m, steps=STEPS, repeats=REPEATS):
    """Run in a child process: time ``steps`` steps ``repeats`` times, and the peak memory of three steps."""
    import resource

    kind = CONTENDERS[contender][0]
    if kind == "torch":
        import torch

        torch.set_num_threads(THREADS)
    step = (nnlib_step_fn if kind == "nnlib" else torch_step_fn)(m)
    step()                                                 # warm-up
    rss_before = _rss_kib("VmRSS")
    peak_ok = _reset_peak()
    for _ in range(3):
        step()
    peak = _rss_kib("VmHWM") - rss_before if peak_ok else None
    times = []
    system = resource.getrusage(resource.RUSAGE_SELF).ru_stime
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        times.append((time.perf_counter() - start) / steps)
    system = (resource.getrusage(resource.RUSAGE_SELF).ru_stime - system) / (steps * repeats)
    times.sort()
    return {"median_ms": 1e3 * times[len(times) // 2], "best_ms": 1e3 * times[0], "system_ms": 1e3 * system,
            "peak_extra_mib": None if peak is None else peak / 1024}


def _child(contender, m, steps, repeats):
    print(json.dumps(measure(contender, m, steps, repeats)))


def main(argv=None):
    quick = "--quick" in (sys.argv[1:] if argv is None else argv)
    steps, repeats = (5, 2) if quick else (STEPS, REPEATS)
    run = provenance()
    try:
        import torch
        contenders = list(CONTENDERS)
        torch_version = torch.__version__
    except ImportError:
        contenders, torch_version = [c for c in CONTENDERS if CONTENDERS[c][0] == "nnlib"], None
    import numpy as np

    print(f"LSTM language model, vocabulary {VOCAB}, n_a = {N_A}, T = {T_X}, float32; numpy {np.__version__}, "
          f"PyTorch {torch_version or 'not installed'}; {os.cpu_count()} CPUs, {THREADS} thread(s) each")
    print(f"{'m':>4} {'contender':21} {'median ms':>10} {'best ms':>9} {'× PyTorch':>10} {'system ms':>10} {'peak MiB':>9}")
    rows = []
    for m in (1, 64):
        results = {}
        for contender in contenders:
            out = subprocess.run([sys.executable, __file__, "--child", contender, str(m), str(steps), str(repeats)],
                                 capture_output=True, text=True, check=True,
                                 env={**os.environ, "OPENBLAS_NUM_THREADS": str(THREADS), **CONTENDERS[contender][1]})
            results[contender] = json.loads(out.stdout.strip().splitlines()[-1])
        for contender, r in results.items():
            ratio = r["median_ms"] / results["torch"]["median_ms"] if "torch" in results else None
            peak = "n/a" if r["peak_extra_mib"] is None else f"{r['peak_extra_mib']:.1f}"
            print(f"{m:>4} {contender:21} {r['median_ms']:>10.3f} {r['best_ms']:>9.3f} "
                  f"{float('nan') if ratio is None else ratio:>10.2f} {r['system_ms']:>10.3f} {peak:>9}")
            rows.append({"m": m, "contender": contender, **r, "ratio_to_torch": ratio})
    if not quick:
        write_results(RESULTS, run, {
            "workload": {"vocabulary": VOCAB, "n_a": N_A, "T_x": T_X, "dtype": "float32", "threads": THREADS,
                         "steps": steps, "repeats": repeats, "batches": [1, 64]},
            "versions": versions("torch"), "results": rows})
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        _child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        main()
