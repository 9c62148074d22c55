"""The built book in a real browser: every page renders its maths offline, shows no error output,
loads every image, and every internal link and anchor resolves.

`make test` builds the site first; run alone, this module builds it when it is missing or older than
the chapters or nnlib. Needs Debian's chromium (`make test` installs it when run as root): without it
the browser tests skip locally, and fail under CI.
"""

import os
import re
import shutil

import pytest
from playwright.sync_api import sync_playwright

from book import BOOK, BUILD, ROOT, jupyter_book
from sitecheck import broken_links, browser_problems, find_chromium, html_pages, launch, redirect_target

SITE = BUILD / "html"


@pytest.fixture(scope="module")
def site():
    index = SITE / "index.html"
    sources = [*BOOK.glob("*.md"), *(ROOT / "nnlib").glob("*.py"), ROOT / "_config.yml", ROOT / "_toc.yml"]
    if not index.exists() or index.stat().st_mtime < max(s.stat().st_mtime for s in sources):
        result = jupyter_book("build", "--all", "-W", "-n", "--keep-going", ".", cwd=ROOT)
        assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return SITE


@pytest.fixture(scope="module")
def browser():
    if find_chromium() is None:
        reason = "Debian's chromium is not installed (make test installs it as root: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.mark.book
def test_every_page_renders_in_a_browser_without_network(site, browser):
    pages = html_pages(site)
    chapters = [p for p in pages if p.parent.name == "book"]
    assert len(chapters) >= 2, pages
    screenshots = BUILD / "screenshots"
    screenshots.mkdir(exist_ok=True)
    problems, math_total, images_total = [], 0, 0
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    for path in pages:
        target = redirect_target(path)
        if target is not None:          # e.g. the root index.html, a redirect to book/intro.html
            if not target.exists():
                problems.append(f"{path.relative_to(site)} redirects to a missing page {target}")
            continue
        shot = screenshots / f"{path.stem}.png" if path.stem == "logistic_regression" else None
        report, found = browser_problems(page, path, site, screenshot=shot)
        problems += found
        math_total += report["mathCount"]
        images_total += report["imageCount"]
    page.close()
    assert not problems, "\n".join(problems)
    assert math_total > 50 and images_total >= 4, (math_total, images_total)   # the checks saw real content
    assert (screenshots / "logistic_regression.png").stat().st_size > 10_000


@pytest.mark.book
def test_every_internal_link_and_anchor_resolves(site):
    cache, problems = {}, []
    for path in html_pages(site):
        problems += broken_links(path, site, cache)
    assert not problems, "\n".join(problems)


@pytest.mark.book
def test_the_checks_catch_a_broken_page(site, browser, tmp_path):
    """Plant each kind of breakage in a copy of a real page: every one must be reported."""
    for folder in ("_static", "_images"):
        shutil.copytree(site / folder, tmp_path / folder)
    (tmp_path / "book").mkdir()
    original = (site / "book" / "logistic_regression.html").read_text(encoding="utf-8")
    planted = (
        # display TeX that MathJax cannot typeset stays on the page as raw $$ … $$
        '<p>Unrendered: $$ x^2 + \\frac{1}{ $$</p>'
        # a math node MathJax cannot typeset (unbalanced braces are left as raw text)
        '<p><span class="math notranslate nohighlight">\\(\\frac{1}{\\)</span></p>'
        '<p><a href="no_such_page.html">dead link</a> <a href="#no-such-anchor">dead anchor</a></p>'
        '<img src="no_such_image.png" alt="missing">'
        '<div class="cell_output docutils container"><div class="output traceback highlight-ipythontb notranslate">'
        '<pre>Traceback (most recent call last)</pre></div></div>'
    )
    broken = re.sub(r"(</h1>)", lambda m: m.group(1) + planted, original, count=1)
    assert broken != original
    path = tmp_path / "book" / "logistic_regression.html"
    path.write_text(broken, encoding="utf-8")

    page = browser.new_page()
    _, problems = browser_problems(page, path, tmp_path)
    page.close()
    text = "\n".join(problems)
    assert "raw TeX in the visible text: " in text and "$$ x^2 + " in text, text
    assert "math not rendered by MathJax: '\\\\(\\\\frac{1}{\\\\)'" in text, text
    assert "image does not load: no_such_image.png" in text, text
    assert "error output in a cell" in text, text
    links = "\n".join(broken_links(path, tmp_path))
    assert "no_such_page.html" in links and "#no-such-anchor" in links, links

    # And the unmodified page, in the same copied site, passes the browser checks.
    clean = tmp_path / "book" / "clean.html"
    clean.write_text(original, encoding="utf-8")
    page = browser.new_page()
    _, problems = browser_problems(page, clean, tmp_path)
    page.close()
    assert not problems, problems
