"""Offer every executed chapter as a notebook (.ipynb) in the page's download menu, next to its .md.

sphinx-book-theme adds the .ipynb download only when a launch button (Binder, JupyterHub, Colab) is
configured, and a launch button needs the book's public repository URL. This extension does the same
two steps the theme does for a launch button: put the notebook that myst-nb executed into
``_sources/`` and tell the theme it is there. It runs before the theme's header buttons (priority 500
< 501); when a launch button is configured later, the theme finds ``ipynb_source`` set and agrees.

One repair on the way: with ``nb_merge_streams`` myst-nb merges a cell's stream outputs into the
first of each name *in place* for the page, but the executed notebook it keeps still lists the later
pieces after the merged first one, so a downloaded notebook showed some printed lines twice. The copy
keeps one stream output per name, holding exactly the text the page shows.
"""

import json
from pathlib import Path


def offer_executed_notebook(app, pagename, templatename, context, doctree):
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if context.get("ipynb_source") or not executed.exists():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    notebook = json.loads(executed.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = merged_streams(cell["outputs"])
    target.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    context["ipynb_source"] = f"{pagename}.ipynb"


def merged_streams(outputs):
    """One stream output per name (stdout, stderr), at the place of its first piece. A later piece whose
    text the first already contains (myst-nb merged it there) is dropped; any other is appended."""
    text = lambda o: "".join(o["text"]) if isinstance(o["text"], list) else o["text"]    # noqa: E731
    kept, first = [], {}
    for output in outputs:
        if output["output_type"] != "stream":
            kept.append(output)
        elif output["name"] not in first:
            first[output["name"]] = dict(output, text=text(output))
            kept.append(first[output["name"]])
        else:
            merged = first[output["name"]]
            if text(output).rstrip() not in merged["text"]:
                merged["text"] += text(output)
    return kept


def setup(app):
    app.connect("html-page-context", offer_executed_notebook, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
