"""CPU time of each chapter's execution, and of its slowest cells (issue #20).

On the shared 2-core machine a chapter's wall-clock time depends on what else runs; its CPU time
(user + system of the kernel process, its threads and its children) hardly does. This executes
chapters one at a time, as the book build does (tests/book.py: the chapter's folder, nbclient, the
install cell skipped), and prints per chapter the kernel's CPU seconds, its start-up share (kernel
start before the first cell), the wall seconds and the load average; with ``--cells N`` also the N
cells that took the most CPU. A measurement, not a test.

    .venv/bin/python benchmarks/bench_chapters.py                       # every chapter
    .venv/bin/python benchmarks/bench_chapters.py lstm rnn --cells 5    # some chapters (names without .md)

The cold book build is modelled as about max(total CPU / cores, longest chapter) plus Sphinx's own
reading and writing; ``benchmarks/bench_build.sh`` measures the real build.
"""

import argparse
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


def run(path):
    nb = read_chapter(path)
    client = TimedClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    load, start = os.getloadavg()[0], time.perf_counter()
    client.execute()
    return client, time.perf_counter() - start, load


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", help="chapter names without .md (default: every chapter with code)")
    parser.add_argument("--cells", type=int, default=0, help="print each chapter's N slowest cells (CPU)")
    args = parser.parse_args(argv)
    paths = [BOOK / f"{name}.md" for name in args.chapters] if args.chapters else code_chapters()
    rows = []
    print(f"{'chapter':32} {'CPU s':>7} {'start-up':>8} {'wall s':>7}  load")
    for path in paths:
        client, wall, load = run(path)
        rows.append((path.stem, client.total, wall))
        print(f"{path.stem:32} {client.total:7.1f} {client.startup:8.1f} {wall:7.1f}  {load:.1f}", flush=True)
        for index, cpu, cell_wall, first in sorted(client.cells, key=lambda c: -c[1])[:args.cells]:
            print(f"    cell {index:3d} {cpu:6.2f} s CPU {cell_wall:6.2f} s wall  {first}")
    if len(rows) > 1:
        total = sum(r[1] for r in rows)
        longest = max(rows, key=lambda r: r[1])
        print(f"{'total':32} {total:7.1f}   ({len(rows)} chapters; longest {longest[0]} {longest[1]:.1f} s CPU;"
              f" max(total / {os.cpu_count()}, longest) = {max(total / os.cpu_count(), longest[1]):.1f} s)")


if __name__ == "__main__":
    main()
