"""The built book in a real browser: every page renders its maths offline, shows no error output,
loads every image, can be read in the light and in the dark theme (figures and text contrast with
what is behind them), every internal link and anchor resolves, and the search finds what it should.

`make test` builds the site first; run alone, this module builds it when it is missing or older than
the chapters or nnlib. Needs Debian's chromium (`make test` installs it when run as root): without it
the browser tests skip locally, and fail under CI.
"""

import os
import re
import shutil

import pytest
from playwright.sync_api import sync_playwright

from book import BUILD, built_site
from sitecheck import broken_links, browser_problems, find_chromium, html_pages, launch, redirect_target, search_problems



@pytest.fixture(scope="module")
def site():
    return built_site()


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
    problems, math_total, images_total, figures_read, text_read = [], 0, 0, {"light": 0, "dark": 0}, {"light": 0, "dark": 0}
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    for path in pages:
        target = redirect_target(path)
        if target is not None:          # e.g. the root index.html, a redirect to book/intro.html
            if not target.exists():
                problems.append(f"{path.relative_to(site)} redirects to a missing page {target}")
            continue
        shot = path.stem == "logistic_regression"
        report, found = browser_problems(page, path, site, screenshot=screenshots / f"{path.stem}.png" if shot else None,
                                         dark_screenshot=screenshots / f"{path.stem}-dark.png" if shot else None)
        problems += found
        math_total += report["mathCount"]
        images_total += report["imageCount"]
        for theme, seen in report["themes"].items():
            figures_read[theme] += len(seen["figures"]) if seen else 0
            text_read[theme] += seen["textChecked"] if seen else 0
    page.close()
    assert not problems, "\n".join(problems)
    assert math_total > 50 and images_total >= 4, (math_total, images_total)   # the checks saw real content
    assert all(n >= images_total for n in figures_read.values()) and min(text_read.values()) > 1000, (figures_read, text_read)
    for name in ("logistic_regression.png", "logistic_regression-dark.png"):
        assert (screenshots / name).stat().st_size > 10_000, name


@pytest.mark.book
def test_every_internal_link_and_anchor_resolves(site):
    cache, problems = {}, []
    for path in html_pages(site):
        problems += broken_links(path, site, cache)
    assert not problems, "\n".join(problems)


# A query, and the pages its results must include.
SEARCHES = {"sigmoid": ["book/activations.html"], "dropout": ["book/regularization.html"]}


@pytest.mark.book
def test_search_finds_the_expected_pages(site, browser):
    page, cache, problems = browser.new_page(), {}, []
    for query, expected in SEARCHES.items():
        _, found = search_problems(page, site, query, expected, cache)
        problems += found
    page.close()
    assert not problems, "\n".join(problems)


@pytest.mark.book
def test_the_search_check_catches_a_broken_index(site, browser, tmp_path):
    """A copy of the site whose search index is empty, and one whose index names a page that does not exist."""
    index = (site / "searchindex.js").read_text(encoding="utf-8")
    assert index.count('"book/activations"') == 1, "the planted breakage below needs the page's docname once in the index"
    page, reports = browser.new_page(), {}
    for case, planted in (("empty", ""), ("renamed", index.replace('"book/activations"', '"book/no_such_chapter"'))):
        copy = tmp_path / case
        copy.mkdir()
        for name in ("_static", "_images", "book"):
            (copy / name).symlink_to(site / name, target_is_directory=True)
        shutil.copy(site / "search.html", copy / "search.html")
        (copy / "searchindex.js").write_text(planted, encoding="utf-8")
        reports[case] = "\n".join(search_problems(page, copy, "sigmoid", SEARCHES["sigmoid"])[1])
    page.close()
    assert "search.html?q=sigmoid: the search index did not load" in reports["empty"], reports["empty"]
    renamed = reports["renamed"]
    assert "result 'book/no_such_chapter.html' points to a missing file" in renamed, renamed
    assert "book/activations.html is not among the results" in renamed, renamed


def _planted_figure(path, size=(480, 320)):
    """A figure with a transparent background and black lines and text: readable on a light page, not on a dark one."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.line([(40, 20), (40, h - 40), (w - 20, h - 40)], fill=(0, 0, 0, 255), width=2)        # axes
    draw.line([(40 + 12 * i, h - 40 - int(0.004 * (12 * i) ** 2)) for i in range(36)], fill=(0, 0, 0, 255), width=3)
    for i in range(5):
        draw.text((44 + 90 * i, h - 30), f"{i / 4:.2f}", fill=(0, 0, 0, 255))
    image.save(path)


@pytest.mark.book
def test_the_checks_catch_a_broken_page(site, browser, tmp_path):
    """Plant each kind of breakage in a copy of a real page: every one must be reported."""
    for folder in ("_static", "_images"):
        shutil.copytree(site / folder, tmp_path / folder)
    (tmp_path / "book").mkdir()
    original = (site / "book" / "logistic_regression.html").read_text(encoding="utf-8")
    _planted_figure(tmp_path / "_images" / "planted_transparent.png")
    real_figure = re.search(r'<img [^>]*src="(\.\./_images/[^"]+\.png)"', original).group(1)
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
    # The readability checks look at what a reader sees: plant these in the article itself (the first
    # <h1> of the page is in its print-only header, which the screen does not show).
    planted_in_article = (
        # a figure with a transparent background: black on the dark theme's dark page
        '<div class="cell_output docutils container"><img alt="planted" src="../_images/planted_transparent.png" /></div>'
        # a real figure that a CSS filter turns (almost) black, in both themes
        '<div class="cell_output docutils container">'
        f'<img alt="darkened" src="{real_figure}" style="filter: brightness(0.1)" /></div>'
        # output text with its own colour, near-black: invisible on the dark theme's dark output background
        '<div class="cell_output docutils container"><div class="output stream highlight-myst-ansi notranslate">'
        '<div class="highlight"><pre style="color: #202020">planted dark text</pre></div></div></div>'
    )
    broken = re.sub(r"(</h1>)", lambda m: m.group(1) + planted, original, count=1)
    article = broken.index('<article class="bd-article">')
    broken = broken[:article] + re.sub(r"(</h1>)", lambda m: m.group(1) + planted_in_article, broken[article:], count=1)
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
    assert "dark theme: figure ../_images/planted_transparent.png is not readable: it has a transparent background" in text, text
    assert "light theme: figure ../_images/planted_transparent.png" not in text, text     # black on white is fine
    for theme in ("light", "dark"):
        assert f"{theme} theme: figure {real_figure} is not readable: its content does not stand out" in text, text
    assert "dark theme: text colour too close to its background" in text and '"planted dark text"' in text, text
    assert "light theme: text colour too close" not in text, text
    links = "\n".join(broken_links(path, tmp_path))
    assert "no_such_page.html" in links and "#no-such-anchor" in links, links

    # And the unmodified page, in the same copied site, passes the browser checks.
    clean = tmp_path / "book" / "clean.html"
    clean.write_text(original, encoding="utf-8")
    page = browser.new_page()
    _, problems = browser_problems(page, clean, tmp_path)
    page.close()
    assert not problems, problems
