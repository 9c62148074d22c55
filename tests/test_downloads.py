"""Every executed chapter can be downloaded from its page as a notebook (.ipynb) and as its MyST
source (.md); the notebook is the executed one, with outputs, and opens with the install cell that a
reader outside the book runs first (book/_ext/notebook_download.py puts it in the download menu)."""

import re

import nbformat
import pytest

from book import ROOT, built_site, code_chapters

CHAPTERS = code_chapters()


@pytest.fixture(scope="module")
def site():
    return built_site()


@pytest.mark.book
@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_page_offers_the_executed_notebook_and_the_source(site, chapter):
    name = chapter.relative_to(ROOT).with_suffix("")
    page = (site / name).with_suffix(".html").read_text()
    links = set(re.findall(r'href="([^"]+\.(?:ipynb|md))"', page))
    depth = "../" * (len(name.parts) - 1)
    assert f"{depth}_sources/{name}.ipynb" in links, f"{name}.html offers no .ipynb download"
    assert f"{depth}_sources/{name}.md" in links, f"{name}.html offers no .md download"

    nb = nbformat.read(site / "_sources" / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    install, rest = code[0], code[1:]
    assert "skip-execution" in install.metadata.get("tags", []) and install.outputs == []
    assert install.execution_count is None                       # the build did not run it
    assert rest and all(c.execution_count is not None for c in rest), f"{name}.ipynb is not the executed notebook"
    for cell in rest:                       # printed lines once: one stream output per name, as the page shows
        names = [o.name for o in cell.outputs if o.output_type == "stream"]
        assert len(names) == len(set(names)), f"{name}.ipynb: a cell's stream output is split or repeated: {cell.source[:80]!r}"
