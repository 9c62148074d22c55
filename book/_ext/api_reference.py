"""The API reference of nnlib, generated from the docstrings (``book/api_reference.md``).

``.. nnlib-api::`` (inside an ``{eval-rst}`` block) writes one section per public nnlib module: a
summary table (autosummary) and every public function, class, method and constant (autodoc, the
docstrings' numpydoc sections rendered as definition lists). A public module is a module of the package
whose name has no leading underscore; a public name is one without a leading underscore *defined*
in the module (not imported into it). The directive's content lists modules in reading order, one a
line; a public module missing from the list is appended, so a new module (``nnlib/conv.py``) is in
the reference without any edit, and a listed module that no longer exists fails the build.

Chapter mentions become links: a docstring that names a chapter the way nnlib's docstrings do —
``the chapter *Deep neural networks*`` — gets a cross-reference to that chapter instead of the
emphasis, where the chapter is part of the build (a title may be shortened to a prefix of at least
12 characters: *Optimization algorithms* names *Optimization algorithms, batch norm and …*).
"""

import ast
import inspect
import pkgutil
import re
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

PACKAGE = "nnlib"


def package_dir():
    import nnlib

    return Path(nnlib.__file__).parent


def public_modules():
    """The public modules of nnlib, by name (``activations``, ``deep``, …), sorted."""
    return sorted(m.name for m in pkgutil.iter_modules([str(package_dir())]) if not m.name.startswith("_"))


def defined_names(module):
    """Public names defined in ``nnlib/<module>.py``: (functions and classes, constants), in source order."""
    tree = ast.parse((package_dir() / f"{module}.py").read_text(encoding="utf-8"))
    objects, data = [], []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            objects.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            data += [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
    public = lambda names: [n for n in dict.fromkeys(names) if not n.startswith("_")]
    return public(objects), public(data)


def module_section(module):
    """reStructuredText for one module: title, summary table, autodoc entries."""
    qualified = f"{PACKAGE}.{module}"
    objects, data = defined_names(module)
    lines = [qualified, "-" * len(qualified), "", f".. automodule:: {qualified}", "   :members:", "   :undoc-members:",
             "   :ignore-module-all:", "   :member-order: bysource", "   :show-inheritance:"]
    if data:
        lines.append(f"   :exclude-members: {', '.join(data)}")
    lines.append("")
    if objects + data:
        lines += [".. rubric:: Summary", "", ".. autosummary::", "   :nosignatures:", ""]
        lines += [f"   {name}" for name in objects + data] + [""]
    # Constants have no docstring of their own; autodata shows their value (and a ``#:`` comment).
    for name in data:
        lines += [f".. autodata:: {qualified}.{name}", ""]
    return lines


def module_order(listed):
    """The listed modules (reading order), then every other public module, alphabetically."""
    available = public_modules()
    stale = [m for m in listed if m not in available]
    if stale:
        raise ValueError(f"nnlib-api lists modules that are not public modules of nnlib: {stale}")
    return listed + [m for m in available if m not in listed]


class NnlibApi(SphinxDirective):
    has_content = True

    def run(self):
        listed = [line.strip() for line in self.content if line.strip()]
        try:
            order = module_order(listed)
        except ValueError as error:
            raise self.error(str(error)) from None
        rst = [line for module in order for line in module_section(module)]
        container = nodes.container()
        nested_parse_with_titles(self.state, StringList(rst, source="nnlib-api"), container)
        return container.children


def chapter_titles(srcdir):
    """{title: docname} of every chapter in book/ (first ``# `` heading)."""
    titles = {}
    for path in sorted((Path(srcdir) / "book").glob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                titles[line[2:].strip()] = f"book/{path.stem}"
                break
    return titles


MENTION = re.compile(r"(?<![*\w`])\*([A-Z][^*`]+?)\*(?![*\w])", re.S)


def link_chapter_mentions(app, what, name, obj, options, lines):
    """Turn ``*Chapter title*`` in a docstring into a link to the chapter (when it is in the build)."""
    if not lines:
        return
    titles = _TITLES
    found = app.env.found_docs

    def replace(match):
        mention = " ".join(match.group(1).split())
        for title, docname in titles.items():
            exact_or_prefix = title == mention or (len(mention) >= 12 and title.startswith(mention))
            if exact_or_prefix and docname in found:
                return f":doc:`{mention} </{docname}>`"
        return match.group(0)

    text = MENTION.sub(replace, "\n".join(lines))
    lines[:] = text.split("\n")


ENTRY_SECTIONS = {"Parameters", "Other Parameters", "Returns", "Yields", "Raises", "Warns", "Attributes"}
TEXT_SECTIONS = {"Examples", "Notes", "See Also", "References"}
ENTRY = re.compile(r"^(\*{0,2}[A-Za-z_][\w.]*(?:, \*{0,2}[A-Za-z_][\w.]*)*)(?:\s+:\s+(.*))?$")


def _is_header(lines, i):
    return (i + 1 < len(lines) and lines[i].strip() in ENTRY_SECTIONS | TEXT_SECTIONS
            and re.fullmatch(r"\s*-{3,}\s*", lines[i + 1]) is not None)


def _entry(lines, i):
    """The (names, text) of a ``name : text`` line, or of a bare ``name`` line with an indented next line."""
    match = ENTRY.match(lines[i])
    if not match or (match.group(2) is None and not (i + 1 < len(lines) and lines[i + 1][:1].isspace())):
        return None
    return match.group(1), match.group(2) or ""


def render_sections(app, what, name, obj, options, lines):
    """numpydoc sections as nnlib writes them — ``name : shape and meaning`` on one line, continued on
    the next lines — rendered as a heading and a definition list (``name`` → its text). A section's
    entries end at a blank line that is not followed by another entry; the prose after it stays prose."""
    out, i = [], 0
    while i < len(lines):
        if not _is_header(lines, i):
            out.append(lines[i])
            i += 1
            continue
        title = lines[i].strip()
        out += [f".. rubric:: {title}", ""]
        i += 2
        if title in TEXT_SECTIONS:
            continue
        started = False                            # text before the first entry is a paragraph
        while i < len(lines) and not _is_header(lines, i):
            if not lines[i].strip():
                j = i
                while j < len(lines) and not lines[j].strip():
                    j += 1
                if j < len(lines) and not _is_header(lines, j) and _entry(lines, j):
                    i = j
                    continue
                break
            entry = _entry(lines, i) if not lines[i][:1].isspace() else None
            if entry is None:                      # a continuation line of the current entry
                out.append(("   " if started else "") + lines[i].strip())
            else:
                started = True
                names, text = entry
                out += [", ".join(f"``{n.strip()}``" for n in names.split(",")), *(["   " + text] if text else [])]
            i += 1
        if i < len(lines) and lines[i].strip():    # a blank line ends the definition list
            out.append("")
    lines[:] = out


def drop_type_docstring(app, what, name, obj, options, lines):
    """A constant without a ``#:`` comment would show its type's docstring (``int``'s, SymPy ``Symbol``'s)."""
    if what == "data" and lines and not callable(obj):
        type_doc = inspect.getdoc(type(obj)) or ""
        if "\n".join(lines).strip() == type_doc.strip():
            lines.clear()


_TITLES = {}


def remember_titles(app):
    _TITLES.clear()
    _TITLES.update(chapter_titles(app.srcdir))


def setup(app):
    # sphinx.ext.autodoc, autosummary and napoleon are in _config.yml's extension list.
    app.add_directive("nnlib-api", NnlibApi)
    app.connect("builder-inited", remember_titles)
    app.connect("autodoc-process-docstring", drop_type_docstring, priority=400)
    app.connect("autodoc-process-docstring", render_sections, priority=450)
    app.connect("autodoc-process-docstring", link_chapter_mentions, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
