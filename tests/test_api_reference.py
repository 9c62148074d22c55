"""The API reference (book/api_reference.md) documents every public name of nnlib, and nothing else.

A public name is one without a leading underscore defined in a public module (a module of the package
without a leading underscore): functions, classes, their public methods and properties, constants.
The documented names are read from the built site's Sphinx inventory (``objects.inv``), so this
checks what autodoc actually rendered, not what the reference page asks for.
"""

import ast
import inspect
import pkgutil
import re
import sys
from importlib import import_module
from pathlib import Path

import pytest

import nnlib
from book import BOOK, built_site

sys.path.insert(0, str(BOOK / "_ext"))
import api_reference  # noqa: E402  (book/_ext/api_reference.py)

PACKAGE_DIR = Path(nnlib.__file__).parent
OBJECT_TYPES = {"py:module", "py:function", "py:class", "py:exception", "py:method", "py:property", "py:data",
                "py:classmethod", "py:staticmethod"}


def public_names():
    """Every public name of nnlib, qualified (``nnlib.deep.L_layer_model``, ``nnlib.layers.Dense.forward``)."""
    names = {"nnlib"}
    for info in pkgutil.iter_modules([str(PACKAGE_DIR)]):
        if info.name.startswith("_"):
            continue
        qualified = f"nnlib.{info.name}"
        names.add(qualified)
        module = import_module(qualified)
        tree = ast.parse(inspect.getsource(module))
        for node in tree.body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names |= {f"{qualified}.{n.id}" for t in targets for n in ast.walk(t)
                          if isinstance(n, ast.Name) and not n.id.startswith("_")}
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                names.add(f"{qualified}.{node.name}")
                obj = getattr(module, node.name)
                if inspect.isclass(obj):
                    names |= {f"{qualified}.{node.name}.{m}" for m, v in vars(obj).items()
                              if not m.startswith("_") and (inspect.isfunction(v) or isinstance(v, (property, staticmethod, classmethod)))}
    return names


def documented_names(site):
    from sphinx.util.inventory import InventoryFile

    with open(site / "objects.inv", "rb") as stream:
        inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
    return {name: uri for kind, entries in inventory.items() if kind in OBJECT_TYPES
            for name, (_, _, uri, _) in entries.items() if name == "nnlib" or name.startswith("nnlib.")}


@pytest.fixture(scope="module")
def site():
    return built_site()


@pytest.mark.book
def test_reference_documents_every_public_name_and_nothing_else(site):
    documented = documented_names(site)
    expected = public_names()
    missing, stale = sorted(expected - documented.keys()), sorted(documented.keys() - expected)
    assert not missing, f"public names missing from the API reference: {missing}"
    assert not stale, f"names in the API reference that are not public names of nnlib: {stale}"
    assert {uri.split("#")[0] for uri in documented.values()} == {"book/api_reference.html"}


@pytest.mark.book
def test_reference_links_to_the_chapters_and_chapters_link_to_it(site):
    page = (site / "book" / "api_reference.html").read_text()
    chapters = set(re.findall(r'href="(\w+)\.html"', page))
    # module docstrings name their chapters: e.g. nnlib.activations links to two
    assert {"activations", "logistic_regression", "deep_network", "optimization", "regularization"} <= chapters, chapters
    linking = [p.stem for p in (site / "book").glob("*.html")
               if p.stem != "api_reference" and re.search(r'href="api_reference\.html#(module-)?nnlib\.', p.read_text())]
    assert len(linking) >= 3, linking


def test_the_reference_order_lists_only_public_modules_and_appends_the_others():
    """The page lists modules in reading order; a listed module that is gone is an error, a public module
    that is not listed (a new one) is appended at the end, so the reference never misses a module."""
    listed = (BOOK / "api_reference.md").read_text().split(".. nnlib-api::")[1].split("```")[0].split()
    modules = api_reference.public_modules()
    assert len(listed) == len(set(listed)) and set(listed) <= set(modules), sorted(set(listed) - set(modules))
    assert {"activations", "deep", "layers", "training"} <= set(modules)
    order = api_reference.module_order(listed[:3])
    assert order[:3] == listed[:3] and sorted(order) == modules


def test_chapter_mentions_become_links():
    class App:
        class env:
            found_docs = {"book/deep_network", "book/optimization"}

    api_reference._TITLES.update({"Deep neural networks": "book/deep_network",
                                  "Optimization algorithms, batch norm and hyperparameter search": "book/optimization",
                                  "Activation functions": "book/activations"})
    lines = ["Derived in the chapter *Deep neural", "    networks* and *Optimization algorithms*;",
             "*Activation functions* is not in this build, *Deep* is too short, ``*x*`` stays."]
    api_reference.link_chapter_mentions(App, "function", "f", None, {}, lines)
    text = "\n".join(lines)
    assert ":doc:`Deep neural networks </book/deep_network>`" in text
    assert ":doc:`Optimization algorithms </book/optimization>`" in text
    assert "*Activation functions*" in text and "*Deep*" in text and "``*x*``" in text


def test_numpydoc_sections_become_definition_lists():
    """nnlib's "name : meaning" entries (continued on indented lines), a numpy-style bare name, text
    before the first entry, and prose after a section's entries (which stays prose)."""
    lines = ["Summary.", "", "Parameters", "----------", "X : (n_x, m) inputs", "    one example per column",
             "alpha, beta : the rates", "", "gamma", "    a bare name, described below it", "",
             "Prose after the entries, with a colon: here.", "", "Returns", "-------",
             "(1, m) array of 0 and 1", "Examples", "--------", ">>> 1 + 1", "2"]
    api_reference.render_sections(None, "function", "f", None, {}, lines)
    assert lines == ["Summary.", "", ".. rubric:: Parameters", "", "``X``", "   (n_x, m) inputs", "   one example per column",
                     "``alpha``, ``beta``", "   the rates", "``gamma``", "   a bare name, described below it", "",
                     "Prose after the entries, with a colon: here.", "", ".. rubric:: Returns", "",
                     "(1, m) array of 0 and 1", "", ".. rubric:: Examples", "", ">>> 1 + 1", "2"]
