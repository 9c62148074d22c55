"""Offer the whole book as a PDF in every page's download menu, once `make pdf` has built it.

`make pdf` writes ``_build/latex/book.pdf`` (LaTeX through tools/build_book.py --builder latex), then
writes the HTML pages again. When that file exists, this extension copies it into the site
(``_downloads/book.pdf``) and adds a "Book (PDF)" link to the download menu that sphinx-book-theme builds
(it runs after the theme's header buttons, priority 501). Without a built PDF the menu is unchanged.
"""

from pathlib import Path
from shutil import copy2

PDF = "book.pdf"
SITE_PATH = f"_downloads/{PDF}"


def built_pdf(app):
    return Path(app.outdir).parent / "latex" / PDF


def copy_pdf(app):
    if app.builder.format == "html" and built_pdf(app).exists():
        target = Path(app.outdir) / SITE_PATH
        target.parent.mkdir(parents=True, exist_ok=True)
        copy2(built_pdf(app), target)


def link_pdf(app, pagename, templatename, context, doctree):
    if not (Path(app.outdir) / SITE_PATH).exists():
        return
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].append({"type": "link", "url": context["pathto"](SITE_PATH, 1), "text": "Book (PDF)",
                                     "tooltip": "Download the whole book as a PDF", "icon": "fas fa-book",
                                     "label": "download-book-pdf-button"})


def setup(app):
    app.connect("builder-inited", copy_pdf)
    app.connect("html-page-context", link_pdf, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
