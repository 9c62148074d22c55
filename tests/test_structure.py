"""The shape of nnlib's code (issue #15): a one-way import hierarchy, private names kept private,
chapters on the public API, and the size limits (no module over 500 lines, no function body over 60).

Read from the source with ``ast``; nothing is imported or executed.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NNLIB = ROOT / "nnlib"
MODULES = {p.stem: p for p in sorted(NNLIB.glob("*.py")) if p.stem != "__init__"}
CHAPTERS = sorted((ROOT / "book").glob("*.md"))


def _tree(path):
    return ast.parse(path.read_text(), filename=str(path))


def _nnlib_imports(tree):
    """(module imported, names imported from it, line) for every import of an nnlib module, anywhere."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "nnlib":
            for alias in node.names:
                found.append((alias.name, [], node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nnlib."):
            found.append((node.module.split(".")[1], [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name.split(".")[1], [], node.lineno) for a in node.names if a.name.startswith("nnlib.")]
    return found


def _module_aliases(tree):
    """Local name → nnlib module, for ``from nnlib import x as y`` and ``import nnlib.x as y``."""
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "nnlib":
            aliases.update({a.asname or a.name: a.name for a in node.names})
        elif isinstance(node, ast.Import):
            aliases.update({a.asname: a.name.split(".")[1] for a in node.names if a.name.startswith("nnlib.") and a.asname})
    return aliases


def _private(name):
    return name.startswith("_") and not name.startswith("__")


def test_no_import_cycle_inside_nnlib():
    graph = {m: {imp for imp, _, _ in _nnlib_imports(_tree(p)) if imp in MODULES and imp != m} for m, p in MODULES.items()}
    state = {}

    def visit(m, path):
        if state.get(m) == "done":
            return
        assert state.get(m) != "open", f"import cycle: {' → '.join(path + [m])}"
        state[m] = "open"
        for n in sorted(graph[m]):
            visit(n, path + [m])
        state[m] = "done"

    for m in MODULES:
        visit(m, [])


def test_no_cross_module_use_of_a_private_name():
    """``from nnlib.deep import _x`` or ``deep._x`` in another module only when ``deep`` is an underscore module."""
    bad = []
    for name, path in MODULES.items():
        tree = _tree(path)
        for module, names, line in _nnlib_imports(tree):
            if module != name and not module.startswith("_"):
                bad += [f"{name}.py:{line} imports {module}.{n}" for n in names if _private(n)]
        aliases = _module_aliases(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and _private(node.attr):
                module = aliases.get(node.value.id)
                if module and module != name and not module.startswith("_"):
                    bad.append(f"{name}.py:{node.lineno} uses {module}.{node.attr}")
    assert not bad, "private names used across modules:\n" + "\n".join(bad)


def _function_body_lines(node):
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]                                 # the docstring does not count
    if not body:
        return 0
    return body[-1].end_lineno - body[0].lineno + 1


def test_size_limits():
    too_long = [f"{n}.py: {len(p.read_text().splitlines())} lines" for n, p in MODULES.items()
                if len(p.read_text().splitlines()) > 500]
    for name, path in MODULES.items():
        for node in ast.walk(_tree(path)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _function_body_lines(node) > 60:
                too_long.append(f"{name}.py:{node.lineno} {node.name}: body of {_function_body_lines(node)} lines")
    assert not too_long, "over the size limits (500 lines a module, 60 a function body):\n" + "\n".join(too_long)


CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)


def _code_cells(path):
    for match in CELL.finditer(path.read_text()):
        source = "\n".join(line for line in match.group(1).splitlines()
                           if not line.lstrip().startswith(("%", "!", ":")))     # magics and cell options
        yield path.read_text()[:match.start()].count("\n") + 1, source


def _private_uses(source, nnlib_names=None):
    """Private attributes of nnlib names (modules, classes, functions) used outside show_source(...);
    ``nnlib_names`` collects the names imported from nnlib (by earlier cells too)."""
    tree = ast.parse(source)
    nnlib_names = set() if nnlib_names is None else nnlib_names
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "nnlib":
            for a in node.names:
                if _private(a.name):
                    yield f"imports {node.module}.{a.name}"
                nnlib_names.add(a.asname or a.name)
        elif isinstance(node, ast.Import):
            nnlib_names |= {a.asname or a.name.split(".")[0] for a in node.names if a.name.split(".")[0] == "nnlib"}
    shown = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "show_source":
            shown |= {id(n) for arg in node.args for n in ast.walk(arg)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr) and id(node) not in shown:
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in nnlib_names:
                yield f"uses {ast.unparse(node)}"


def test_the_private_use_detector_works():
    assert list(_private_uses("from nnlib import deep\nshow_source(deep._forward)\n")) == []
    assert list(_private_uses("from nnlib import deep\ndeep._forward(1)\n")) == ["uses deep._forward"]
    assert list(_private_uses("from nnlib.deep import _forward\n")) == ["imports nnlib.deep._forward"]
    assert "uses P._LinearNeuron._w" in _private_uses("from nnlib.linear_models import P\nP._LinearNeuron._w\n")
    names = set()
    assert list(_private_uses("from nnlib import deep as d\n", names)) == [] and names == {"d"}
    assert list(_private_uses("d._x(1)\n", names)) == ["uses d._x"]
    assert list(_private_uses("import numpy as np\nnp._x\n")) == []


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_chapters_call_only_public_nnlib(chapter):
    names = set()
    bad = [f"{chapter.name}:{line}: {use}" for line, source in _code_cells(chapter) for use in _private_uses(source, names)]
    assert not bad, "chapter code calls private nnlib names (show_source may display them):\n" + "\n".join(bad)
