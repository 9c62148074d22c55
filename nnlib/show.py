"""Show nnlib's own source in a chapter, so the book never holds a second copy of it.

``show_source(nnlib.activations.sigmoid)`` in a code cell displays the function's current source
as a highlighted code block — in the built book and in a downloaded notebook alike.
"""

import inspect
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent


class SourceCode:
    """The source of a function, class or module, displayed as a Python code block."""

    def __init__(self, obj):
        self.source = inspect.getsource(obj).rstrip("\n")
        path = Path(inspect.getsourcefile(obj)).resolve()
        self.path = path.relative_to(_ROOT).as_posix() if path.is_relative_to(_ROOT) else path.name
        self.line = inspect.getsourcelines(obj)[1]

    def _repr_markdown_(self):
        return f"From `{self.path}`, line {self.line}:\n\n````python\n{self.source}\n````\n"

    def __repr__(self):
        return f"# {self.path}, line {self.line}\n{self.source}"


def show_source(*objects):
    """Return the source of ``objects`` for display (several objects are shown one after another)."""
    if not objects:
        raise ValueError("show_source needs at least one function, class or module")
    if len(objects) == 1:
        return SourceCode(objects[0])
    return _Several([SourceCode(o) for o in objects])


class _Several:
    def __init__(self, parts):
        self.parts = parts

    def _repr_markdown_(self):
        return "\n".join(p._repr_markdown_() for p in self.parts)

    def __repr__(self):
        return "\n\n".join(repr(p) for p in self.parts)
