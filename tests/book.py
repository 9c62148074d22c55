"""Helpers for the tests that execute and build the book (not a test module itself)."""

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import yaml
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
BUILD = ROOT / "_build"


def toc_files(root=ROOT):
    """The chapter paths listed in ``_toc.yml`` (root first), as ``book/<name>.md`` Paths."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return [root / f"{f}.md" for f in files]


def code_chapters():
    """The chapters in the table of contents that have code cells."""
    return [p for p in toc_files() if "{code-cell}" in p.read_text()]


def read_chapter(path):
    """A MyST chapter as a notebook (jupytext), with its code cells to execute."""
    return jupytext.read(path, fmt="md:myst")


def execute_chapter(path, timeout=600):
    """Execute a chapter in its own folder, as the book build does. Raises ``ChapterFailed``."""
    nb = read_chapter(path)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as error:
        raise ChapterFailed(path, _failing_cell(nb), str(error)) from None
    return nb


class ChapterFailed(AssertionError):
    def __init__(self, path, cell_index, message):
        self.path, self.cell_index = path, cell_index
        super().__init__(f"{path.relative_to(ROOT)}: code cell #{cell_index} failed\n{message}")


def _failing_cell(nb):
    code = [c for c in nb.cells if c.cell_type == "code"]
    for i, cell in enumerate(code, start=1):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return i
    return None


def error_outputs(nb):
    """(code-cell number, error name) for every error output in an executed notebook."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    return [(i, o.get("ename")) for i, c in enumerate(code, 1) for o in c.get("outputs", []) if o.get("output_type") == "error"
            and "raises-exception" not in c.get("metadata", {}).get("tags", [])]


def built_notebook(path):
    """The notebook the last book build executed for ``path``, if it is newer than the chapter and nnlib."""
    executed = BUILD / "jupyter_execute" / path.relative_to(ROOT).with_suffix(".ipynb")
    if not executed.exists():
        return None
    sources = [path, *sorted((ROOT / "nnlib").glob("*.py")), *BOOK.glob("*.py")]     # book/*.py: tf_setup
    if executed.stat().st_mtime < max(s.stat().st_mtime for s in sources):
        return None
    return nbformat.read(executed, as_version=4)


def build_book(cwd, *args, timeout=900):
    """The strict book build of `make test` (tools/build_book.py --all: every chapter executed, on all
    cores) of the book in ``cwd``, with this interpreter; return the CompletedProcess."""
    command = [sys.executable, str(ROOT / "tools" / "build_book.py"), "--all", *args]
    env = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def built_site():
    """``_build/html``, built (strictly) first when it is missing or older than a chapter, nnlib or the
    configuration. `make test` builds the site before pytest runs, so this is normally a no-op."""
    site = BUILD / "html"
    index = site / "searchindex.js"          # written by every build (index.html, a redirect, is not)
    sources = [*BOOK.glob("*.md"), *BOOK.glob("*.py"), *BOOK.glob("_ext/*.py"), *(ROOT / "nnlib").glob("*.py"), *(ROOT / "_static").glob("*"),
               *(ROOT / "tools").glob("*.py"), ROOT / "_config.yml", ROOT / "_toc.yml", ROOT / "CITATION.cff"]
    stale = lambda: not index.exists() or index.stat().st_mtime < max(s.stat().st_mtime for s in sources)
    if stale():
        BUILD.mkdir(exist_ok=True)
        with open(BUILD / ".site.lock", "w") as lock:      # pytest-xdist workers: one builds, the others wait
            fcntl.flock(lock, fcntl.LOCK_EX)
            if stale():
                result = build_book(ROOT)
                assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return site


def copy_book(dest, chapters=None, pages=0):
    """Copy the book sources to ``dest``; with ``chapters``, the table of contents lists only those,
    and ``pages`` more one-line pages (Sphinx reads in parallel only when it has more than 5 pages)."""
    for name in ("_config.yml", "_toc.yml", "CITATION.cff"):      # the introduction reads CITATION.cff
        shutil.copy(ROOT / name, dest / name)
    shutil.copytree(BOOK, dest / "book", ignore=shutil.ignore_patterns("_build", ".ipynb_checkpoints", "__pycache__"))
    shutil.copytree(ROOT / "_static", dest / "_static")
    # the performance chapter reads the committed benchmark results and imports the script
    shutil.copytree(ROOT / "benchmarks", dest / "benchmarks", ignore=shutil.ignore_patterns("__pycache__"))
    if chapters is not None:
        chapters = [*chapters, *(["bibliography"] if "bibliography" not in chapters else [])]   # citations resolve there
        for i in range(1, pages + 1):
            (dest / "book" / f"page_{i}.md").write_text(f"# Page {i}\n\nA page of the table of contents.\n")
            chapters.append(f"page_{i}")
        toc = {"format": "jb-book", "root": "book/intro", "chapters": [{"file": f"book/{c}"} for c in chapters]}
        (dest / "_toc.yml").write_text(yaml.safe_dump(toc))
    return dest


if __name__ == "__main__":
    # Strict build of some chapters in a temporary copy of the book, as `make test` builds them:
    #   .venv/bin/python tests/book.py derivatives computation_graph
    import tempfile

    names = sys.argv[1:] or sys.exit("usage: python tests/book.py CHAPTER [CHAPTER ...] (names without .md)")
    with tempfile.TemporaryDirectory() as tmp:
        copy_book(Path(tmp), chapters=names)
        result = build_book(tmp)
        print(result.stdout[-6000:], result.stderr[-6000:])
        print("BUILD", "OK" if result.returncode == 0 else f"FAILED (exit {result.returncode})")
        sys.exit(result.returncode)
