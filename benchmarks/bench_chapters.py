"""CPU time of each chapter's execution, and of its slowest cells (issue #20).

On the shared 2-core machine a chapter's wall-clock time depends on what else runs; its CPU time
(user + system of the kernel process, its threads and its children) hardly does. This executes
chapters one at a time, as the book build does (tests/book.py: the chapter's folder, nbclient, the
install cell skipped), and prints per chapter the kernel's CPU seconds, its start-up share (kernel
start before the first cell), the wall seconds and the load average; with ``--cells N`` also the N
cells that took the most CPU. A measurement, not a test.

    .venv/bin/python benchmarks/bench_chapters.py                       # every chapter
    .venv/bin/python benchmarks/bench_chapters.py lstm rnn --cells 5    # some chapters (names without .md)
    .venv/bin/python benchmarks/bench_chapters.py --profile /tmp/prof  # and a cProfile file per chapter
    .venv/bin/python benchmarks/bench_chapters.py --figures            # and the CPU spent rendering figures
    .venv/bin/python benchmarks/bench_chapters.py --write benchmarks/results/chapter_cpu.json

``--write`` records each chapter's CPU seconds in a JSON file; book/_ext/parallel_build.py reads
``benchmarks/results/chapter_cpu.json`` to start the longest chapters first.

The cold book build is modelled as about max(total CPU / cores, longest chapter) plus Sphinx's own
reading and writing; ``benchmarks/bench_build.sh`` measures the real build.
"""

import argparse
import ast
import copy
import json
import os
import sys
import time
from pathlib import Path

import psutil
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from book import BOOK, code_chapters, read_chapter  # noqa: E402


def cpu_seconds(process):
    times = process.cpu_times()
    return times.user + times.system + times.children_user + times.children_system


class TimedClient(NotebookClient):
    """An nbclient that records the kernel's CPU seconds and the wall seconds of every code cell."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cells = []          # (cell index, CPU s, wall s, first source line)
        self.startup = None

    def kernel_process(self):
        return psutil.Process(self.km.provisioner.process.pid)

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        process = self.kernel_process()
        before, start = cpu_seconds(process), time.perf_counter()
        if self.startup is None:
            self.startup = before
        result = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        if cell.cell_type == "code":
            first = next((line for line in cell.source.splitlines() if line.strip() and not line.startswith("#")), "")
            self.cells.append((cell_index, cpu_seconds(process) - before, time.perf_counter() - start, first[:70]))
        self.total = cpu_seconds(process)
        return result


PROFILE_START = "import cProfile as _cProfile\n_profile = _cProfile.Profile()\n_profile.enable()"
PROFILE_STOP = "_profile.disable()\n_profile.dump_stats({path!r})"


# The inline backend renders each figure shown (the canvas's print_figure, which draws it twice with
# bbox_inches="tight"); a chapter's tight_layout() draws it once more. Both are timed in the kernel.
FIGURES_START = """\
import time as _time, matplotlib.backend_bases as _backend_bases, matplotlib.figure as _figure
_figure_cpu = {"print_figure": [0.0, 0], "tight_layout": [0.0, 0]}
def _timed(name, function):
    def wrapper(*args, **kwargs):
        start = _time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            _figure_cpu[name][0] += _time.process_time() - start
            _figure_cpu[name][1] += 1
    return wrapper
_canvas = _backend_bases.FigureCanvasBase
_canvas.print_figure = _timed("print_figure", _canvas.print_figure)
_figure.Figure.tight_layout = _timed("tight_layout", _figure.Figure.tight_layout)"""
FIGURES_STOP = "print(_figure_cpu)"


def inserted(nb, start, stop):
    """``nb`` with a code cell ``start`` after the install cell and a code cell ``stop`` at the end."""
    code = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    first, last = copy.deepcopy(nb.cells[code[0]]), copy.deepcopy(nb.cells[code[0]])
    first.source, last.source, first.metadata, last.metadata = start, stop, {}, {}
    nb.cells = nb.cells[:code[0] + 1] + [first] + nb.cells[code[0] + 1:] + [last]
    return nb


def run(path, profile=None, figures=False):
    nb = read_chapter(path)
    if figures:
        nb = inserted(nb, FIGURES_START, FIGURES_STOP)
    if profile:                    # profile every cell after the install cell (cells 1 and 2 are skipped)
        nb = inserted(nb, PROFILE_START, PROFILE_STOP.format(path=str(Path(profile) / f"{path.stem}.prof")))
    client = TimedClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    load, start = os.getloadavg()[0], time.perf_counter()
    client.execute()
    figures = ast.literal_eval(nb.cells[-1].outputs[0]["text"]) if figures else None
    return client, time.perf_counter() - start, load, figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", help="chapter names without .md (default: every chapter with code)")
    parser.add_argument("--cells", type=int, default=0, help="print each chapter's N slowest cells (CPU)")
    parser.add_argument("--write", metavar="JSON", help="write {chapter: CPU seconds} to this file")
    parser.add_argument("--figures", action="store_true", help="print the CPU seconds spent rendering figures")
    parser.add_argument("--profile", metavar="DIR", help="write DIR/<chapter>.prof (cProfile of the kernel's cells)")
    args = parser.parse_args(argv)
    paths = [BOOK / f"{name}.md" for name in args.chapters] if args.chapters else code_chapters()
    rows = []
    print(f"{'chapter':32} {'CPU s':>7} {'start-up':>8} {'wall s':>7}  load")
    for path in paths:
        client, wall, load, figures = run(path, args.profile, args.figures)
        rows.append((path.stem, client.total, wall, figures))
        shown = "".join(f"  {name} {seconds:.1f} s ({count})" for name, (seconds, count) in (figures or {}).items())
        print(f"{path.stem:32} {client.total:7.1f} {client.startup:8.1f} {wall:7.1f}  {load:.1f}{shown}", flush=True)
        for index, cpu, cell_wall, first in sorted(client.cells, key=lambda c: -c[1])[:args.cells]:
            print(f"    cell {index:3d} {cpu:6.2f} s CPU {cell_wall:6.2f} s wall  {first}")
    if args.write:
        cpu = {f"book/{name}": round(seconds, 1) for name, seconds, *_ in sorted(rows, key=lambda r: -r[1])}
        Path(args.write).write_text(json.dumps(cpu, indent=1) + "\n")
    if len(rows) > 1:
        total = sum(r[1] for r in rows)
        longest = max(rows, key=lambda r: r[1])
        print(f"{'total':32} {total:7.1f}   ({len(rows)} chapters; longest {longest[0]} {longest[1]:.1f} s CPU;"
              f" max(total / {os.cpu_count()}, longest) = {max(total / os.cpu_count(), longest[1]):.1f} s)")
        if args.figures:
            for name in ("print_figure", "tight_layout"):
                print(f"{name:32} {sum(r[3][name][0] for r in rows):7.1f}   ({sum(r[3][name][1] for r in rows)} calls)")


if __name__ == "__main__":
    main()
