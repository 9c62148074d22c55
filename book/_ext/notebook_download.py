"""Offer every executed chapter as a notebook (.ipynb) in the page's download menu, next to its .md.

sphinx-book-theme adds the .ipynb download only when a launch button (Binder, JupyterHub, Colab) is
configured, and a launch button needs the book's public repository URL. This extension does the same
two steps the theme does for a launch button: copy the notebook that myst-nb executed into
``_sources/`` and tell the theme it is there. It runs before the theme's header buttons (priority 500
< 501); when a launch button is configured later, the theme finds ``ipynb_source`` set and agrees.
"""

from pathlib import Path
from shutil import copy2


def offer_executed_notebook(app, pagename, templatename, context, doctree):
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if context.get("ipynb_source") or not executed.exists():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app):
    app.connect("html-page-context", offer_executed_notebook, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
