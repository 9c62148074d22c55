"""The portability check: does every chapter's claim hold on another machine?

Another CPU or another BLAS kernel changes the last bits of every matrix product, and a chaotic
computation (training at a large learning rate, a long run) amplifies them until a cost, an
accuracy or a "best" hyperparameter changes. A chapter that asserts such an outcome builds on the
author's machine and fails on the reader's. This script executes chapters the way the book build
does (tests/book.py), but under conditions that change those last bits:

- two or more OpenBLAS kernels other than this machine's default (``OPENBLAS_CORETYPE``), each
  checked with threadpoolctl to really be another kernel;
- perturbed initial conditions: every ``np.random.randn`` draw multiplied by ``1 + 1e-12·sin(1e4·r)``
  (deterministic in the drawn value, so two draws of the same seed stay equal, and the global
  random state and draw order are untouched).

Where the machine sets ``OPENBLAS_CORETYPE`` itself (on some processors older OpenBLAS builds
compute wrong results without it), the kernel variants are left out and a second perturbation
pattern is used instead. `make test` and CI never change OpenBLAS settings; this check is what an
author runs before landing a chapter:

    make portability                              # every chapter (about 3 builds' worth of CPU)
    make portability CHAPTERS="deep_network lstm" # some chapters (names without .md)
    .venv/bin/python tests/portability.py --thorough deep_network   # every kernel, two perturbations
    .venv/bin/python tests/portability.py --list-variants

It prints one line per chapter and variant and exits non-zero when any execution failed.
"""

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from book import BOOK, ChapterFailed, code_chapters, execute_chapter, read_chapter  # noqa: E402

# Kernels to try, most different from a modern default first; the first ones that differ from the
# machine's default kernel are used.
KERNELS = ["Prescott", "Haswell", "Sandybridge", "Nehalem"]
N_KERNELS = 2

PERTURB = """\
import numpy as _np
_randn = _np.random.randn
def _perturbed_randn(*shape, _scale={scale}, _freq={freq}):
    r = _randn(*shape)
    return r * (1 + _scale * _np.sin(_freq * r))
_np.random.randn = _perturbed_randn
"""
PERTURBATIONS = {"a": PERTURB.format(scale=1e-12, freq=1e4), "b": PERTURB.format(scale=-3e-12, freq=7.3e3)}


def blas_architecture(env):
    """The OpenBLAS kernel numpy runs under ``env`` (as threadpoolctl reports it)."""
    code = "import numpy, threadpoolctl; print(threadpoolctl.threadpool_info()[0]['architecture'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def variants(thorough=False):
    """[(name, extra environment, key of PERTURBATIONS or None)], and notes on what was left out.
    ``thorough``: every other kernel this CPU runs, and a second perturbation pattern."""
    base = dict(os.environ)
    default = blas_architecture(base)
    chosen, notes = [], [f"this machine's default OpenBLAS kernel: {default}"]
    second = ("perturbed -3e-12 (another pattern)", {}, "b")
    if "OPENBLAS_CORETYPE" in os.environ:
        notes.append(f"OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']} is set by the machine: kernel variants left out")
        chosen.append(second)
    else:
        seen = {default}
        for kernel in KERNELS:
            arch = blas_architecture({**base, "OPENBLAS_CORETYPE": kernel})
            if arch not in seen and (thorough or len(chosen) < N_KERNELS):
                seen.add(arch)
                chosen.append((f"kernel={kernel} ({arch})", {"OPENBLAS_CORETYPE": kernel}, None))
        if len(chosen) < N_KERNELS:
            notes.append(f"only {len(chosen)} other kernels available on this CPU")
        if thorough:
            chosen.append(second)
    chosen.append(("perturbed 1e-12", {}, "a"))
    return chosen, notes


def run_one(chapter, variant_index):
    """Execute one chapter under one variant in a child process (the kernel inherits its environment)."""
    name, extra, perturbation = VARIANTS[variant_index]
    env = {**os.environ, **extra}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--execute", str(chapter), perturbation or "none"],
                          env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    message = (proc.stdout + proc.stderr).strip().splitlines()
    return chapter, name, proc.returncode == 0, seconds, message


def execute(chapter, perturbation):
    """Child process: execute ``chapter`` with the perturbation cell first (if any)."""
    if perturbation == "none":
        execute_chapter(chapter)
        return
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = read_chapter(chapter)
    nb.cells.insert(0, nbformat.v4.new_code_cell(PERTURBATIONS[perturbation]))
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(chapter.parent)}})
    try:
        client.execute()
    except CellExecutionError as error:
        raise ChapterFailed(chapter, None, str(error)) from None


VARIANTS, NOTES = None, None


def main(argv=None):
    global VARIANTS, NOTES
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", help="chapter names without .md (default: every chapter)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--thorough", action="store_true", help="every other kernel and two perturbation patterns")
    parser.add_argument("--list-variants", action="store_true")
    parser.add_argument("--execute", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.execute:
        chapter, perturbation = Path(args.execute[0]), args.execute[1]
        try:
            execute(chapter, perturbation)
        except ChapterFailed as failure:
            lines = str(failure).splitlines()
            print("\n".join(line for line in lines if line.strip())[-1500:])
            return 1
        return 0
    VARIANTS, NOTES = variants(args.thorough)
    for note in NOTES:
        print("#", note)
    print("# variants:", "; ".join(name for name, _, _ in VARIANTS))
    if args.list_variants:
        return 0
    chapters = [BOOK / f"{c}.md" for c in args.chapters] if args.chapters else code_chapters()
    missing = [c for c in chapters if not c.exists()]
    if missing:
        parser.error(f"no such chapter: {', '.join(str(m) for m in missing)}")
    jobs = [(c, i) for c in chapters for i in range(len(VARIANTS))]
    failures = 0
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for chapter, name, ok, seconds, message in pool.map(lambda job: run_one(*job), jobs):
            print(f"{'ok  ' if ok else 'FAIL'}  {chapter.stem:34s} {name:28s} {seconds:6.1f} s", flush=True)
            if not ok:
                failures += 1
                print("      " + "\n      ".join(message[-12:]), flush=True)
    print(f"{len(jobs) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
