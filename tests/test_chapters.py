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
