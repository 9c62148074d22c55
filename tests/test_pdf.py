"""The PDF edition (`make pdf`, _build/latex/book.pdf): a title page, a table of contents, every
chapter of _toc.yml with its title, the bibliography, and no unresolved reference (no `??` in the
text, no undefined reference or citation in the LaTeX log); a planted broken reference is caught.

These tests need the PDF that `make pdf` builds (Debian's TeX packages; the build reads the chapters
that `make book` executed and takes minutes more), so they run only when it has been built: `make pdf`
runs them right after building it (`-m pdf`). `make test` does not build the PDF and leaves them out
(`-m "not pdf"`); run on their own without a current PDF, they fail and say to run `make pdf`.
"""

import re
import shutil
import subprocess

import pytest

from book import BUILD, build_book, copy_book, toc_files

LATEX = BUILD / "latex"
PDF = LATEX / "book.pdf"

def _pdf_state():
    if not PDF.exists():
        return "the PDF edition is not built: run `make pdf` (it runs these tests)"
    if PDF.stat().st_mtime < max(p.stat().st_mtime for p in [*toc_files(), BUILD.parent / "_toc.yml"]):
        return "the PDF edition is older than the chapters: run `make pdf` (it runs these tests)"
    return None


pytestmark = pytest.mark.pdf


@pytest.fixture(autouse=True)
def _current_pdf():
    state = _pdf_state()
    assert state is None, state


def chapter_title(path):
    return next(line[2:].strip() for line in path.read_text().splitlines() if line.startswith("# "))


def pdf_text(pdf):
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def page_count(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, flags=re.M).group(1))


def unresolved(pdf, log):
    """Every sign of an unresolved reference: `??` in the text, undefined references or citations in the log."""
    problems = [f"'??' in the text: …{m.group(0)}…" for m in re.finditer(r".{0,40}\?\?.{0,40}", pdf_text(pdf))]
    problems += re.findall(r"LaTeX Warning: (?:Reference|Citation|Hyper reference) `[^']*' on page \d+ undefined", log)
    problems += re.findall(r"LaTeX Warning: There were undefined references", log)
    return problems


def normalized(text):
    return re.sub(r"\s+", " ", text.replace("\N{RIGHT SINGLE QUOTATION MARK}", "'")).lower()


@pytest.mark.book
def test_the_pdf_has_a_title_page_a_contents_and_every_chapter():
    text = pdf_text(PDF)
    pages = text.split("\f")
    titles = [chapter_title(p) for p in toc_files()]
    assert "Neural Networks from Scratch" in pages[0] and "The nnlib authors" in pages[0], pages[0][:500]
    assert any("contents" in page.lower() for page in pages[1:5]), "no table of contents in the first pages"
    flat = normalized(text)
    missing = [t for t in titles if normalized(t) not in flat]
    assert not missing, f"chapter titles not in the PDF: {missing}"
    assert page_count(PDF) >= 5 * len(titles), page_count(PDF)          # chapters with their code and outputs
    assert "rumelhart" in flat, "the bibliography is missing"            # a cited reference (book/references.bib)


@pytest.mark.book
def test_the_pdf_has_no_unresolved_reference():
    log = (LATEX / "book.log").read_text(errors="replace")
    assert unresolved(PDF, log) == []


@pytest.mark.book
def test_every_page_offers_the_pdf_in_its_download_menu():
    site = BUILD / "html"
    assert (site / "_downloads" / "book.pdf").read_bytes() == PDF.read_bytes()
    for chapter in toc_files():
        name = chapter.relative_to(chapter.parents[1]).with_suffix("")
        page = (site / name).with_suffix(".html").read_text()
        assert 'href="../_downloads/book.pdf"' in page, f"{name}.html does not link the PDF"


@pytest.mark.book
def test_a_planted_broken_reference_is_caught(tmp_path):
    """A reference that Sphinx cannot see (inside the TeX of an equation) but LaTeX cannot resolve."""
    copy_book(tmp_path, chapters=["planted"])
    (tmp_path / "book" / "intro.md").write_text("# Neural Networks from Scratch\n\nA short book.\n")   # no links out
    (tmp_path / "book" / "planted.md").write_text("# Planted\n\nAs equation $\\eqref{planted-missing}$ says.\n")
    result = build_book(tmp_path, "--builder", "latex")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    latex = tmp_path / "_build" / "latex"
    subprocess.run(["make", "-C", str(latex), "all-pdf", "LATEXMKOPTS=-interaction=nonstopmode -halt-on-error"],
                   capture_output=True, text=True, timeout=600)
    problems = unresolved(latex / "book.pdf", (latex / "book.log").read_text(errors="replace"))
    assert any("planted-missing" in p for p in problems), problems
    assert any("??" in p for p in problems), problems
    shutil.rmtree(latex)
