"""Checks of the built HTML book as a reader's browser sees it (used by tests/test_site.py).

Each check returns a list of problems (strings); an empty list means the page is fine. The browser
checks run in Debian's Chromium driven by Playwright, with every request that is not ``file:`` or
``data:`` aborted and reported — the book must render with no network. They cover rendering (maths,
error output, images, JavaScript errors), readability in the light and the dark theme (contrast of
figures and text, READABILITY_JS) and the search page (search_problems).
"""

import os
import shutil
from pathlib import Path
from urllib.parse import quote, unquote, urldefrag, urlparse

from bs4 import BeautifulSoup
from playwright.sync_api import TimeoutError as PlaywrightTimeout

# --allow-file-access-from-files: the page's own images count as same-origin, so the readability check
# can read their pixels from a canvas (as it could on the http server a reader uses; every file: URL
# is otherwise an origin of its own and the canvas is "tainted").
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--allow-file-access-from-files"]


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


def _ids_in(soup):
    return {tag["id"] for tag in soup.find_all(id=True)} | {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}


def _ids(path, cache):
    if path not in cache:
        cache[path] = _ids_in(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser"))
    return cache[path]


def broken_links(page, site, cache=None):
    """Internal links (href/src) of ``page`` whose file, or whose #anchor, does not exist."""
    cache = {} if cache is None else cache
    site = Path(site).resolve()
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    cache.setdefault(page.resolve(), _ids_in(soup))     # parse each page once (parsing is most of the time)
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


# Runs in the page in its current theme: can a reader read the figures and the text? Returns the
# figures and the text whose contrast is too low. Colours are the computed ones, so whatever the theme
# does in this mode (a CSS filter on images, its own colours for outputs and code) is taken into account.
READABILITY_JS = r"""
(opts) => {
  const {textRatio, largeTextRatio, sameKind, figureRatio, figureInkShare, drawnRatio, drawnShare, maxPixels} = opts;
  const probe = document.createElement('canvas').getContext('2d', {willReadFrequently: true});
  const parsed = new Map();
  const rgba = (css) => {                 // any CSS colour -> [r, g, b, alpha 0..1]
    if (!parsed.has(css)) {
      const m = /^rgba?\(([^)]*)\)$/.exec(css);
      let c;
      if (m) { const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(parseFloat); c = [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; }
      else { probe.clearRect(0, 0, 1, 1); probe.fillStyle = css; probe.fillRect(0, 0, 1, 1);
             const d = probe.getImageData(0, 0, 1, 1).data; c = [d[0], d[1], d[2], d[3] / 255]; }
      parsed.set(css, c);
    }
    return parsed.get(css);
  };
  const over = (top, below) => [0, 1, 2].map(i => top[i] * top[3] + below[i] * (1 - top[3]));
  const behindMemo = new Map();
  const behind = (el) => {                // the opaque colour painted behind el's content (its own background included)
    if (!el || el.nodeType !== 1) return [255, 255, 255];
    if (!behindMemo.has(el)) behindMemo.set(el, over(rgba(getComputedStyle(el).backgroundColor), behind(el.parentElement)));
    return behindMemo.get(el);
  };
  // Closed drop-downs (togglebutton: exercise solutions, hidden cells) hide their content with
  // opacity 0 and visibility hidden until a reader opens them: checked as if open.
  const closed = '.toggle-hidden .admonition-title ~ *';
  const hidden = (el, cs) => cs.visibility !== 'visible' && !el.closest('.toggle-hidden');
  const opacityMemo = new Map();
  const opacity = (el) => {
    if (!el || el.nodeType !== 1) return 1;
    if (!opacityMemo.has(el))
      opacityMemo.set(el, (el.matches(closed) ? 1 : parseFloat(getComputedStyle(el).opacity)) * opacity(el.parentElement));
    return opacityMemo.get(el);
  };
  const LIN = Array.from({length: 256}, (_, v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  const lum = (c) => 0.2126 * LIN[Math.round(c[0])] + 0.7152 * LIN[Math.round(c[1])] + 0.0722 * LIN[Math.round(c[2])];
  const ratio = (l1, l2) => (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  const css = (c) => `rgb(${c.map(Math.round).join(', ')})`;
  const where = (el) => {
    const named = el.closest('.admonition[id]') || el.closest('[id]');     // an exercise's label, else a section
    const classes = typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    return (named ? '#' + named.id + ' ' : '') + el.tagName.toLowerCase() + classes;
  };

  const article = document.querySelector('.bd-article') || document.querySelector('[role="main"]') || document.body;
  const pageBackground = behind(article);

  // Text: the elements of the article with text of their own (and the MathJax formulas), also in
  // closed drop-downs (a reader opens them), the first few of each kind - same tag, classes and
  // inline style, in the same kind of parent and container - since those share their colours (a page
  // has thousands of code tokens).
  const elements = new Set();
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.nodeValue.trim()) elements.add(n.parentElement);
  article.querySelectorAll('mjx-container').forEach(e => elements.add(e));
  const kind = (el) => el ? `${el.tagName}.${el.className}[${el.getAttribute('style') || ''}]` : '';
  const kinds = new Map();
  const lowText = new Map();
  let textChecked = 0;
  for (const el of elements) {
    const container = el.closest('[style], .cell_output, .cell_input, .admonition, table, pre, blockquote, aside, dl, figure');
    const sort = kind(el) + ' < ' + kind(el.parentElement) + ' @ ' + kind(container);
    const count = kinds.get(sort) || 0;
    if (count >= sameKind) continue;
    kinds.set(sort, count + 1);
    // (the theme's own controls - search field, buttons - are not the book's text)
    if (el.closest('mjx-assistive-mml, script, style, noscript, .visually-hidden, .sr-only, form, button')) continue;
    const cs = getComputedStyle(el);
    if (hidden(el, cs) || opacity(el) < 0.5) continue;
    const bg = behind(el), fg = over(rgba(cs.color), bg);
    const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight, 10) >= 700;
    const need = size >= 24 || (size >= 18.66 && bold) ? largeTextRatio : textRatio;
    const r = ratio(lum(fg), lum(bg));
    textChecked++;
    const key = css(fg) + ' on ' + css(bg);
    if (r < need && !lowText.has(key))
      lowText.set(key, `${key} (${r.toFixed(2)}:1 < ${need}:1) in ${where(el)}: `
                       + JSON.stringify(el.textContent.trim().slice(0, 50)));
  }

  // Figures: every loaded image (also in closed drop-downs), drawn as the browser shows it (with its computed CSS
  // filter) over the page background behind it (its own CSS background left out on purpose: a
  // figure must not depend on the theme painting one).
  const figures = [];
  for (const img of Array.from(document.images)) {
    const cs = getComputedStyle(img);
    if (!(img.complete && img.naturalWidth > 0) || hidden(img, cs)) continue;
    // at the size the reader sees it (never above its own resolution, nor above maxPixels)
    const shownWidth = (img.getBoundingClientRect().width || img.naturalWidth) * (window.devicePixelRatio || 1);
    const k = Math.min(1, shownWidth / img.naturalWidth, Math.sqrt(maxPixels / (img.naturalWidth * img.naturalHeight)));
    const w = Math.max(1, Math.round(img.naturalWidth * k)), h = Math.max(1, Math.round(img.naturalHeight * k));
    const canvas = document.createElement('canvas');
    canvas.width = w; canvas.height = h;
    const ctx = canvas.getContext('2d', {willReadFrequently: true});
    const name = img.getAttribute('src');
    let source, shown;
    try {
      ctx.drawImage(img, 0, 0, w, h);
      source = ctx.getImageData(0, 0, w, h).data;
      const page = behind(img.parentElement);
      ctx.clearRect(0, 0, w, h);
      ctx.fillStyle = css(page);
      ctx.fillRect(0, 0, w, h);
      ctx.filter = cs.filter || 'none';
      ctx.drawImage(img, 0, 0, w, h);
      shown = ctx.getImageData(0, 0, w, h).data;
    } catch (e) { figures.push({src: name, problem: 'its pixels cannot be read: ' + e}); continue; }
    // Its own background: the colour of its border (2 px wide) when that border is opaque.
    const band = Math.max(1, Math.min(2, Math.floor(Math.min(w, h) / 4)));
    let ring = 0, opaque = 0;
    const ringColour = [[], [], []];
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      if (x >= band && x < w - band && y >= band && y < h - band) { x = w - band - 1; continue; }
      const i = 4 * (y * w + x);
      ring++;
      if (source[i + 3] >= 250) opaque++;
      for (let c = 0; c < 3; c++) ringColour[c].push(shown[i + c]);
    }
    const median = (a) => { a.sort((p, q) => p - q); return a[a.length >> 1]; };
    const own = opaque >= 0.95 * ring;
    const background = own ? ringColour.map(median) : behind(img.parentElement);
    const lb = lum(background);
    let strong = 0, drawn = 0, drawnOk = 0;
    for (let i = 0; i < shown.length; i += 4) {
      const l = 0.2126 * LIN[shown[i]] + 0.7152 * LIN[shown[i + 1]] + 0.0722 * LIN[shown[i + 2]];
      const r = ratio(l, lb);
      if (r >= figureRatio) strong++;
      if (source[i + 3] >= 128) { drawn++; if (r >= drawnRatio) drawnOk++; }
    }
    const pixels = w * h;
    const figure = {src: name, own, filter: cs.filter, background: css(background),
                    strongShare: strong / pixels, drawnShare: drawn ? drawnOk / drawn : 0};
    if (own && strong < figureInkShare * pixels)
      figure.problem = `its content does not stand out from its own background ${css(background)} as shown `
        + `(CSS filter ${cs.filter}): only ${(100 * strong / pixels).toFixed(2)}% of its pixels reach ${figureRatio}:1`;
    else if (!own && drawnOk < drawnShare * drawn)
      figure.problem = `it has a transparent background and its drawing does not stand out from the page's ${css(background)} `
        + `(CSS filter ${cs.filter}): only ${(100 * (drawn ? drawnOk / drawn : 0)).toFixed(1)}% of its drawn pixels `
        + `reach ${drawnRatio}:1 `
        + `(give it an opaque background: matplotlib's default white facecolor, no transparent=True)`;
    figures.push(figure);
  }
  return {theme: document.documentElement.dataset.theme, pageBackground: css(pageBackground), pageLuminance: lum(pageBackground),
          textChecked, lowText: Array.from(lowText.values()), figures};
}
"""

READABILITY_OPTIONS = {
    "textRatio": 4.5, "largeTextRatio": 3.0,      # WCAG 2 AA for text (large: ≥ 24 px, or ≥ 18.66 px bold)
    "sameKind": 3,                                 # text elements checked per kind (see READABILITY_JS)
    "figureRatio": 4.5, "figureInkShare": 0.002,  # a figure on its own background: ≥ 0.2 % of it (text, axes) at 4.5:1
    "drawnRatio": 3.0, "drawnShare": 0.5,         # a transparent figure: most of what it draws at 3:1 against the page
    "maxPixels": 400_000,                          # larger figures are scaled down to this many pixels (speed)
}

# Click the theme's own colour-mode button (pydata-sphinx-theme: auto -> dark -> light -> auto ...; it
# sets data-theme on <html> and remembers the mode in localStorage) until the page shows ``theme``.
SWITCH_THEME_JS = """
(theme) => {
  const button = document.querySelector('.theme-switch-button');
  for (let i = 0; button && i < 3 && document.documentElement.dataset.theme !== theme; i++) button.click();
  return document.documentElement.dataset.theme;
}
"""


# One round trip per theme (each one waits for the page to restyle and repaint): switch, check, and
# with ``forget``, drop the mode the button stored so that the next page opens in the default mode.
THEME_CHECK_JS = f"""
([theme, opts, forget]) => {{
  const shown = ({SWITCH_THEME_JS})(theme);
  const report = shown === theme ? ({READABILITY_JS})(opts) : {{}};
  if (forget) {{ localStorage.removeItem('mode'); localStorage.removeItem('theme'); }}
  return {{...report, shown}};
}}
"""


def readability_problems(page_obj, name, theme, forget=False):
    """Switch the loaded page to ``theme`` ("light" or "dark") and check that its figures and text can be read."""
    report = page_obj.evaluate(THEME_CHECK_JS, [theme, READABILITY_OPTIONS, forget])
    if report["shown"] != theme:
        return None, [f"{name}: cannot switch the page to the {theme} theme with the theme's button "
                      f"(it shows {report['shown']!r})"]
    problems = []
    if (report["pageLuminance"] < 0.2) != (theme == "dark"):     # the switch really changed the colours
        problems.append(f"{name}: the {theme} theme has the page background {report['pageBackground']}")
    problems += [f"{name}: {theme} theme: figure {f['src']} is not readable: {f['problem']}"
                 for f in report["figures"] if "problem" in f]
    problems += [f"{name}: {theme} theme: text colour too close to its background: {t}" for t in report["lowText"]]
    return report, problems


def _offline(page_obj, requests):
    """Abort every request that is not to a local file (and remember it)."""
    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            r.continue_()
        else:
            requests.append(url)
            r.abort()

    page_obj.route("**/*", route)


def browser_problems(page_obj, path, site, screenshot=None, themes=("light", "dark"), dark_screenshot=None):
    """Open ``path`` in the Playwright page ``page_obj``; return (report, problems).

    After the rendering checks, the page is switched to each theme in ``themes`` with the theme's own
    button, and its figures and text are checked for contrast (readability_problems)."""
    requests = []
    _offline(page_obj, requests)
    page_obj.emulate_media(reduced_motion="reduce")     # no colour transitions while the theme switches
    console_errors = []
    page_obj.on("pageerror", lambda e: console_errors.append(str(e)))
    page_obj.goto(path.resolve().as_uri(), wait_until="load")
    report = page_obj.evaluate(PAGE_REPORT_JS)
    if screenshot:
        page_obj.screenshot(path=str(screenshot), full_page=False)
    name = path.relative_to(site)
    theme_problems, report["themes"] = [], {}
    for i, theme in enumerate(themes):
        report["themes"][theme], found = readability_problems(page_obj, name, theme, forget=i == len(themes) - 1)
        theme_problems += found
        if theme == "dark" and dark_screenshot:
            page_obj.screenshot(path=str(dark_screenshot), full_page=False)
    page_obj.unroute("**/*")
    problems = [f"{name}: request to the network: {u}" for u in requests]
    problems += [f"{name}: math not rendered by MathJax: {t!r}" for t in report["unrendered"]]
    problems += [f"{name}: MathJax error: {t!r}" for t in report["merrors"]]
    problems += [f"{name}: raw TeX in the visible text: {t!r}" for t in report["rawMath"]]
    problems += [f"{name}: error output in a cell: {t!r}" for t in report["errorOutputs"]]
    problems += [f"{name}: image does not load: {s}" for s in report["brokenImages"]]
    problems += [f"{name}: JavaScript error: {e}" for e in console_errors]
    return report, problems + theme_problems


def search_problems(page_obj, site, query, expected, cache=None, timeout=10_000):
    """Search the site for ``query`` on its search page (Sphinx's searchtools.js and searchindex.js,
    as a reader's browser runs them); the results must include every page in ``expected`` (paths
    relative to the site) and every result link must resolve. Returns (result hrefs, problems)."""
    cache = {} if cache is None else cache
    site = Path(site)
    requests, errors = [], []
    _offline(page_obj, requests)
    page_obj.on("pageerror", lambda e: errors.append(str(e)))
    page_obj.goto((site / "search.html").resolve().as_uri() + "?q=" + quote(query), wait_until="load")
    name = f"search.html?q={query}"
    hrefs, problems = [], []
    # searchindex.js is a plain <script> of search.html: once the page has loaded, it has run.
    if not page_obj.evaluate("() => typeof Search === 'object' && Search.hasIndex()"):
        problems.append(f"{name}: the search index did not load (searchindex.js)")
    else:
        try:    # Sphinx writes the summary ("Search finished, found N page(s) ...") when it has listed every result
            page_obj.wait_for_function("() => (document.querySelector('#search-results p.search-summary') || {}).textContent",
                                       timeout=timeout)
        except PlaywrightTimeout:
            problems.append(f"{name}: the search did not finish within {timeout / 1000:g} s")
        hrefs = page_obj.evaluate("() => Array.from(document.querySelectorAll('#search-results ul.search li > a'),"
                                  " a => a.getAttribute('href'))")
        if not hrefs:
            summary = page_obj.evaluate("() => (document.querySelector('#search-results') || {}).innerText")
            problems.append(f"{name}: no results: {summary!r}")
        pages = set()
        for href in hrefs:
            path, fragment = urldefrag(href)
            target = site / unquote(urlparse(path).path)
            pages.add(unquote(urlparse(path).path))
            if not target.is_file():
                problems.append(f"{name}: result {href!r} points to a missing file")
            elif fragment and unquote(fragment) not in _ids(target.resolve(), cache):
                problems.append(f"{name}: result {href!r} points to a missing anchor")
        problems += [f"{name}: {page} is not among the results {sorted(pages)}" for page in expected if page not in pages]
    page_obj.unroute("**/*")
    problems += [f"{name}: request to the network: {u}" for u in requests]
    problems += [f"{name}: JavaScript error: {e}" for e in errors]
    return hrefs, problems


def launch(playwright):
    chromium = find_chromium()
    return playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True,
                                      env={**os.environ, "HOME": os.environ.get("HOME", "/tmp")})
