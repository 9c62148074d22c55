"""Where a benchmark's results come from, and how they are written — shared by the benchmark scripts.

Every committed result file (``benchmarks/results/*.json``) carries a ``provenance`` record: the
commit, whether the tree had uncommitted changes, the date, the machine, the command that produced
it and the load average before and after the run (the machine may be shared), and ``versions``, the
packages that ran. The performance chapter shows them next to the numbers.

    from provenance import provenance, versions, write_results
    run = provenance()                 # at the start of the run
    ...                                # measure
    write_results(path, run, {...})    # adds the load average after the run, writes the JSON
"""

import json
import os
import platform
import shlex
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import nnlib

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def _git(*args):
    try:
        out = subprocess.run(["git", *args], cwd=RESULTS_DIR.parent, capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def _cpu_model():
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or platform.machine()
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), platform.machine())


def load_average():
    return [round(x, 2) for x in os.getloadavg()]


def provenance():
    """Which commit, date, machine and command produced the results (``BENCH_COMMAND`` names the
    command when a Makefile target runs the script)."""
    status = _git("status", "--porcelain", "--untracked-files=no")
    command = os.environ.get("BENCH_COMMAND") or shlex.join(["python", *sys.argv])
    return {"commit": _git("rev-parse", "HEAD"), "uncommitted_changes": None if status is None else bool(status),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "machine": f"{_cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
            "command": command, "load_average": load_average()}


def versions(*optional):
    """Python, numpy and nnlib versions, and those of the optional modules named (None when missing)."""
    v = {"python": platform.python_version(), "numpy": np.__version__, "nnlib": nnlib.__version__}
    for mod in optional:
        try:
            v[mod] = __import__(mod).__version__
        except ImportError:
            v[mod] = None
    return v


def write_results(path, run, payload):
    """Write ``{"provenance": run, **payload}`` to ``path`` as JSON, with the load average after the run."""
    run = dict(run, load_average_after=load_average())
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"provenance": run, **payload}, indent=2) + "\n")
    shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    print(f"\nwrote {shown}")
    return path
