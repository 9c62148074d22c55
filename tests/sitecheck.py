"""Checks of the built HTML book as a reader's browser sees it (used by tests/test_site.py).

Each check returns a list of problems (strings); an empty list means the page is fine. The browser
checks run in Debian's Chromium driven by Playwright, with every request that is not ``file:`` or
``data:`` aborted and reported — the book must render with no network.
"""

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

from bs4 import BeautifulSoup

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def find_chromium():
    # Debian's chromium here and on CI; GitHub's Ubuntu runners ship google-chrome instead.
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def html_pages(site):
    return sorted(p for p in Path(site).rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


def redirect_target(path):
    """The page a meta-refresh redirect page (such as the root index.html) sends to, else None."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    meta = soup.find("meta", attrs={"http-equiv": lambda v: v and v.lower() == "refresh"})
    if meta is None:
        return None
    url = meta.get("content", "").split("url=", 1)[-1].strip()
    return (path.parent / unquote(urldefrag(url)[0])).resolve()


def _ids(path, cache):
    if path not in cache:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        cache[path] = {tag["id"] for tag in soup.find_all(id=True)} | {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}
    return cache[path]


def broken_links(page, site, cache=None):
    """Internal links (href/src) of ``page`` whose file, or whose #anchor, does not exist."""
    cache = {} if cache is None else cache
    site = Path(site).resolve()
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    problems = []
    for tag, attr in (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src")):
        for element in soup.find_all(tag, attrs={attr: True}):
            url = element[attr]
            parsed = urlparse(url)
            if parsed.scheme or url.startswith(("//", "mailto:", "javascript:")):
                continue
            target_part, fragment = parsed.path, parsed.fragment      # drops ?v=… cache-busting queries
            target = (page.parent / unquote(target_part)).resolve() if target_part else page.resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{page.relative_to(site)}: <{tag} {attr}={url!r}> points to a missing file")
            elif fragment and target.suffix == ".html" and unquote(fragment) not in _ids(target, cache):
                problems.append(f"{page.relative_to(site)}: <{tag} {attr}={url!r}> points to a missing anchor")
    return problems


# Runs in the page after load: what a reader would see.
PAGE_REPORT_JS = """
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  const mathNodes = Array.from(document.querySelectorAll('.math'));
  const unrendered = mathNodes.filter(n => !n.querySelector('mjx-container')).map(n => n.textContent.slice(0, 80));
  const merrors = Array.from(document.querySelectorAll('mjx-merror')).map(n => n.textContent.slice(0, 80));
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, .highlight, mjx-container, mjx-assistive-mml').forEach(n => n.remove());
  const text = clone.textContent;
  const rawMath = [];
  for (const marker of ['$$', '\\\\(', '\\\\[', '\\\\begin{']) {
    const i = text.indexOf(marker);
    if (i >= 0) rawMath.push(text.slice(Math.max(0, i - 40), i + 60).replace(/\\s+/g, ' '));
  }
  const outputs = Array.from(document.querySelectorAll('.cell_output .output, .cell_output')).filter(
    n => !n.closest('.tag_raises-exception'));
  const errorOutputs = outputs.filter(n => n.matches('.traceback, .error, .stderr') || n.querySelector('.traceback, .error, .stderr')
    || /Traceback \\(most recent call last\\)/.test(n.textContent)).map(n => n.textContent.slice(0, 120));
  const images = Array.from(document.images);
  const brokenImages = images.filter(img => !(img.complete && img.naturalWidth > 0)).map(img => img.getAttribute('src'));
  return {mathCount: mathNodes.length, unrendered, merrors, rawMath, errorOutputs: [...new Set(errorOutputs)],
          imageCount: images.length, brokenImages};
}
"""


def browser_problems(page_obj, path, site, screenshot=None):
    """Open ``path`` in the Playwright page ``page_obj``; return (report, problems)."""
    requests = []

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            r.continue_()
        else:
            requests.append(url)
            r.abort()

    page_obj.route("**/*", route)
    console_errors = []
    page_obj.on("pageerror", lambda e: console_errors.append(str(e)))
    page_obj.goto(path.resolve().as_uri(), wait_until="load")
    report = page_obj.evaluate(PAGE_REPORT_JS)
    if screenshot:
        page_obj.screenshot(path=str(screenshot), full_page=False)
    page_obj.unroute("**/*")
    name = path.relative_to(site)
    problems = [f"{name}: request to the network: {u}" for u in requests]
    problems += [f"{name}: math not rendered by MathJax: {t!r}" for t in report["unrendered"]]
    problems += [f"{name}: MathJax error: {t!r}" for t in report["merrors"]]
    problems += [f"{name}: raw TeX in the visible text: {t!r}" for t in report["rawMath"]]
    problems += [f"{name}: error output in a cell: {t!r}" for t in report["errorOutputs"]]
    problems += [f"{name}: image does not load: {s}" for s in report["brokenImages"]]
    problems += [f"{name}: JavaScript error: {e}" for e in console_errors]
    return report, problems


def launch(playwright):
    chromium = find_chromium()
    return playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True,
                                      env={**os.environ, "HOME": os.environ.get("HOME", "/tmp")})
