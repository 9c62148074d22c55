"""Every chapter executes without an error, and every chapter is wired into the book.

`make test` builds the book (which executes every chapter) before pytest runs; a chapter whose
executed notebook from that build is newer than the chapter and than every nnlib source is checked
from the build's output instead of being executed a second time. Run alone, pytest executes each
chapter itself, in its own folder, as the build does, and a failure names the chapter and the cell.
"""

import re

import pytest

from book import BOOK, ROOT, built_notebook, code_chapters, error_outputs, execute_chapter, read_chapter, toc_files

CHAPTERS = code_chapters()


@pytest.mark.book
@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_executes_without_errors(chapter):
    nb = built_notebook(chapter)
    if nb is None:
        nb = execute_chapter(chapter)          # raises ChapterFailed naming the chapter and cell
    assert error_outputs(nb) == [], f"{chapter.name}: error outputs in cells {error_outputs(nb)}"


def test_the_toc_lists_existing_chapters_and_every_chapter_is_listed():
    listed = toc_files()
    missing = [p for p in listed if not p.exists()]
    assert not missing, f"_toc.yml lists chapters that do not exist: {missing}"
    unlisted = sorted(set(BOOK.glob("*.md")) - set(listed))
    assert not unlisted, f"chapters not in _toc.yml (they would not be built): {unlisted}"
    assert len(CHAPTERS) >= 2


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_is_executable_myst(chapter):
    """Without the jupytext header and kernelspec a chapter's cells are silently not executed."""
    text = chapter.read_text()
    assert text.startswith("---\njupytext:"), f"{chapter.name} lacks the jupytext front matter"
    nb = read_chapter(chapter)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, f"{chapter.name} has no code cells"
    assert any(re.search(r"\bassert", c.source) for c in code), f"{chapter.name} asserts nothing"


def test_chapters_show_nnlib_rather_than_copy_it():
    """A chapter displays nnlib's source (show_source); it never defines a function nnlib has."""
    import inspect

    import nnlib  # noqa: F401  (loads the package so its modules can be listed)

    public = set()
    for path in (ROOT / "nnlib").glob("*.py"):
        public |= set(re.findall(r"^def ([a-zA-Z]\w*)\(", path.read_text(), flags=re.M))
    for chapter in CHAPTERS:
        defined = set(re.findall(r"^def (\w+)\(", chapter.read_text(), flags=re.M))
        copied = defined & public
        assert not copied, f"{chapter.name} redefines nnlib functions {sorted(copied)}: show_source them instead"
    assert inspect.isfunction(nnlib.sigmoid)


@pytest.mark.parametrize("chapter", [c for c in CHAPTERS if c != toc_files()[0]], ids=lambda p: p.stem)
def test_chapter_has_exercises_with_checked_solutions(chapter):
    """Every chapter (not the introduction) has at least three exercises, and at least one solution
    holds a code cell that asserts something (a derivation the reader can check)."""
    text = chapter.read_text()
    assert text.count("````{exercise}") >= 3, f"{chapter.name} has fewer than three exercises"
    solutions = re.findall(r"````\{solution-start\}.*?````\{solution-end\}", text, flags=re.S)
    assert any("{code-cell}" in s and re.search(r"\bassert", s) for s in solutions), \
        f"{chapter.name}: no solution has a code cell that asserts"


def _install_cells():
    return {chapter: next(c for c in read_chapter(chapter).cells if c.cell_type == "code") for chapter in CHAPTERS}


def test_every_chapter_opens_with_the_same_install_cell_that_the_build_skips():
    """A reader who runs a downloaded notebook outside the build gets nnlib installed by its first cell;
    the build must not run it (it would pip install during the build)."""
    cells = _install_cells()
    for chapter, cell in cells.items():
        assert "skip-execution" in cell.metadata.get("tags", []), f"{chapter.name}: first code cell is not tagged skip-execution"
        assert "find_spec(\"nnlib\")" in cell.source, f"{chapter.name}: the first code cell is not the install cell"
    sources = {cell.source for cell in cells.values()}
    assert len(sources) == 1, "the chapters' install cells differ"


def test_the_install_cell_installs_nnlib_with_the_book_extra_from_book_folder_only_when_missing(monkeypatch):
    """Run the install cell with pip stubbed: nothing when nnlib imports, else `pip install ..[book]`
    from the chapter's folder (book/), whose parent is the project that declares the `book` extra."""
    import importlib.util
    import subprocess
    import sys
    import tomllib

    source = next(iter(_install_cells().values())).source
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda cmd, check: calls.append((cmd, check)))
    exec(compile(source, "install-cell", "exec"), {})
    assert calls == []                                     # nnlib is installed here: no pip

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "nnlib" else real_find_spec(name, *a))
    exec(compile(source, "install-cell", "exec"), {})
    [(cmd, check)] = calls
    assert cmd[:4] == [sys.executable, "-m", "pip", "install"] and check is True
    target = cmd[-1]
    path, extra = target.split("[")
    project = tomllib.loads(((BOOK / path).resolve() / "pyproject.toml").read_text())["project"]
    assert project["name"] == "nnlib" and extra.rstrip("]") in project["optional-dependencies"]


def test_the_book_extra_provides_every_package_the_chapters_import():
    """What a chapter imports (besides the standard library and nnlib) comes with `nnlib[book]`,
    directly or as a dependency, so the install cell gives a reader everything."""
    import sys
    import tomllib
    from importlib import metadata

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [Requirement(r).name for r in project["dependencies"] + project["optional-dependencies"]["book"]]
    provided, todo = set(), list(wanted)
    while todo:                                   # the extra's distributions and all they require
        name = todo.pop().lower().replace("_", "-")
        if name in provided:
            continue
        provided.add(name)
        for r in metadata.requires(name) or []:
            req = Requirement(r)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    dists = metadata.packages_distributions()
    modules = set()
    for chapter in CHAPTERS:
        for cell in read_chapter(chapter).cells:
            if cell.cell_type == "code":
                modules |= set(re.findall(r"^(?:from|import) ([A-Za-z_]\w*)", cell.source, flags=re.M))
    # bench_train and tf_setup are files of the repository (benchmarks/, book/). TensorFlow, which
    # tf_setup imports, is deliberately not in the extra (≈ 1.4 GB): tf_setup's ImportError names
    # the pinned package to install.
    third_party = {m for m in modules - set(sys.stdlib_module_names) - {"nnlib", "bench_train", "tf_setup"}}
    assert {"numpy", "sympy", "matplotlib", "sklearn", "myst_nb"} <= third_party
    missing = {m: dists.get(m) for m in third_party
               if not {d.lower().replace("_", "-") for d in dists.get(m, [])} & provided}
    assert not missing, f"chapters import modules that nnlib[book] does not install: {missing}"


def _glue_calls_that_display(source):
    """Line numbers of ``glue(...)`` calls in a code cell that do not pass ``display=False``."""
    import ast

    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "glue":
            display = {k.arg: k.value for k in node.keywords}.get("display")
            if not (isinstance(display, ast.Constant) and display.value is False):
                lines.append(node.lineno)
    return lines


def test_glued_values_are_not_shown_twice():
    """A glued value appears where the prose puts it ({glue:text}); without display=False it would also
    appear as a stray output block under its cell."""
    assert _glue_calls_that_display('glue("a", 1.0)\nglue("b", 2.0, display=False)\nx.glue("c", 3)') == [1, 3]
    stray = {}
    for chapter in CHAPTERS:
        code = [c for c in read_chapter(chapter).cells if c.cell_type == "code"]
        found = [(i, line) for i, cell in enumerate(code, 1) for line in _glue_calls_that_display(cell.source)]
        if found:
            stray[chapter.name] = found
    assert not stray, f"glue(...) without display=False (code cell, line): {stray}"
