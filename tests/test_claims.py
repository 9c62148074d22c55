"""The book's two promises, checked mechanically on every chapter listed in ``_toc.yml``.

1. **Every theorem, lemma and corollary is checked by a cell.** After each ``prf:theorem``,
   ``prf:lemma`` or ``prf:corollary`` block, a code cell containing an ``assert`` (``assert``,
   ``assert_equal``, ``np.testing.assert_…``) must follow *in the same section*, i.e. before the
   next heading of the same or a higher level. A cell before the block does not count: whatever
   the derivation before it showed, the statement as written is checked after it, where a reader
   looks for the check.

2. **No result number is typed by hand.** The prose is scanned for numerals. Scanned: every
   paragraph, list, heading, table and the text inside directives (exercises, solutions, proofs,
   admonitions). Not scanned: code cells and code fences, ``$$…$$`` and ``{math}`` blocks, directive
   options (``:label:`` …), roles (``{glue:text}`…```, ``{cite}`…```, ``{doc}`…```), inline code,
   link targets, quotations (lines starting with ``>``, and text in double quotes "…" or “…”: a
   source quoted exactly, as the errata do), and inline math ``$…$`` — except that a
   number after an approximation sign in inline math (``\\approx``, ``≈``, ``\\lesssim``,
   ``\\gtrsim``) *is* scanned, since "≈ 36" is a result, not notation.

   A numeral found there is allowed when it is

   - an integer from 0 to 10 (counts, exponents, "one of the two", digit classes) — except after
     an approximation sign, where it is a result like any other;
   - a year (1900–2099); a reference: a number after "section", "equation", "chapter", "entry" or
     "line" (and its ranges, "lines 277–279", "lines 421 and 471"), a heading's own number
     (``### 1.1``), ``(3.1)``, or a range of entries ``1.1–1.15``;
   - written in one of the chapter's code cells (with or without thousands separators; a
     percentage may be written there as a fraction, 75% as ``0.75``; a decimal cut short with an
     ellipsis may be the start of the code's number): then it is a setup value the code uses
     (1,797 digits, 300 epochs, α = 0.009), a course value the code asserts, or a bound an ``assert``
     checks ("the cell asserts more than 95%"), and the cell is its source;
   - in ``ALLOWED`` below, per chapter, with the reason (course values quoted as inputs).

   Anything else is a result typed by hand: glue it from the cell that computes it and assert it
   there (``glue("name", value, display=False)`` and ``{glue:text}`name:.2f```).

The tests of the tests plant an unchecked theorem and a hand-typed number in a copy of a chapter and
check that both are caught.
"""

import re

import pytest

from book import toc_files

CHAPTERS = toc_files()

# Numerals allowed in one chapter's prose although no code cell of it writes them, with the reason.
ALLOWED = {
    "derivatives": {"1.1": "the unit roundoff u = 2^-53 ≈ 1.1e-16, a constant of IEEE double precision"},
    "deep_network": {"1.1": "the unit roundoff u = 2^-53 ≈ 1.1e-16, a constant of IEEE double precision"},
    "logistic_regression_application": {"50": "the setup: the last 50 of the 200 training images (slice(150, 200))"},
    "perceptron": {"51": "the setup: Iris flowers 51–150 (1-based) are iris.target[50:]",
                   "150": "the setup: Iris flowers 51–150 (1-based) are iris.target[50:]"},
    "regularization": {"98": "the course's 98/1/1 split for millions of examples, quoted",
                       "500": "the setup: 560 moons, 60 for training, the other 500 for dev"},
    "cnn_architectures": {"20": "He et al. (2016): plain networks of 20 and more layers train worse, reported in the cited paper",
                          "152": "He et al. (2016): the depth of their deepest ImageNet ResNet, reported in the cited paper"},
    "errata": {"11.001": "the value the Week 1–2 notes state (line 221), quoted in an entry's heading"},
}

PROOF_BLOCKS = ("prf:theorem", "prf:lemma", "prf:corollary")
FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*(\{[^}]*\})?\s*(.*)$")
HEADING = re.compile(r"^(#{1,6})\s")
ASSERT = re.compile(r"\bassert\w*\b|np\.testing\.assert")
NUMERAL = re.compile(r"(?<![\w.,\\^_{])\d+(?:,\d{3})*(?:\.\d+)?(?![\w])")
REFERENCE = re.compile(r"\b(?:[Ss]ections?|[Ee]quations?|[Cc]hapters?|[Ee]ntr(?:y|ies)|[Ll]ines?)[\s,]+\d+(?:\.\d+)*"
                       r"(?:\s*(?:–|-|,|and)\s*\d+(?:\.\d+)*)*")
APPROX = re.compile(r"(?:\\approx|≈|\\lesssim|\\gtrsim)\s*-?\s*(\d+(?:,\d{3})*(?:\.\d+)?)")


def _blocks(text):
    """The chapter as a list of ("code" | "md", text) in reading order (jupytext's cells)."""
    nb = read_chapter_text(text)
    return [("code" if c.cell_type == "code" else "md", c.source) for c in nb.cells]


def read_chapter_text(text):
    import jupytext

    return jupytext.reads(text, fmt="md:myst")


# ---------------------------------------------------------------- 1. theorems are checked by a cell

def unchecked_statements(text):
    """Labels (or first lines) of theorem/lemma/corollary blocks with no asserting code cell in their
    section after them (or before them, within the same section)."""
    items = []          # ("heading", level) | ("code", asserts?) | ("stmt", name)
    for kind, source in _blocks(text):
        if kind == "code":
            items.append(("code", bool(ASSERT.search(source))))
            continue
        in_fence = 0
        for line in source.split("\n"):
            m = FENCE.match(line)
            if m and (m.group(2) or m.group(3)):
                in_fence += 1
                if (m.group(2) or "").strip("{}") in PROOF_BLOCKS:
                    items.append(("stmt", f"{m.group(2)} {m.group(3)}".strip()))
            elif m and in_fence:
                in_fence -= 1
            elif not in_fence and HEADING.match(line):
                items.append(("heading", len(HEADING.match(line).group(1))))
    missing = []
    for i, (kind, value) in enumerate(items):
        if kind != "stmt":
            continue
        level = max((v for k, v in items[:i] if k == "heading"), default=1)
        end = next((j for j in range(i + 1, len(items)) if items[j][0] == "heading" and items[j][1] <= level), len(items))
        if not any(k == "code" and v for k, v in items[i + 1:end]):
            missing.append(value)
    return missing


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_theorem_is_checked_by_a_cell(chapter):
    missing = unchecked_statements(chapter.read_text())
    assert not missing, f"{chapter.name}: no asserting code cell in the section of {missing}"


# ---------------------------------------------------------------- 2. no number typed by hand

def _code_numbers(text):
    numbers = set()
    for kind, source in _blocks(text):
        if kind == "code":
            for token in re.findall(r"\d[\d_]*(?:\.\d+)?(?:e-?\d+)?", source):
                numbers.add(token.replace("_", ""))
    return numbers


def prose(text):
    """The scanned prose of a chapter (see the module docstring), with line numbers kept."""
    out = []
    for kind, source in _blocks(text):
        if kind == "code":
            continue
        lines = source.split("\n")
        skip_stack, after_fence = [], False
        for line in lines:
            m = FENCE.match(line)
            if m and (m.group(2) or m.group(3)) and not (m.group(1).startswith(":") and not m.group(2)):
                name = (m.group(2) or "").strip("{}") or "code"
                skip_stack.append(name in ("math", "code", "code-block", "raw", "glue:figure", "glue:math") or not m.group(2))
                after_fence = True
                out.append("")
                continue
            if m and not m.group(2) and not m.group(3):
                if skip_stack:
                    skip_stack.pop()
                out.append("")
                continue
            if after_fence and re.match(r"^\s*:[\w-]+:", line):
                out.append("")
                continue
            after_fence = False
            if any(skip_stack) or line.lstrip().startswith(">") or re.match(r"^\s*\([\w-]+\)=\s*$", line):
                out.append("")
                continue
            out.append(line)
    return "\n".join(out)


def hand_typed_numbers(text, chapter_name=""):
    """(numeral, context) for each numeral of the prose that no rule allows."""
    body = prose(text)
    body = re.sub(r"\$\$.*?\$\$", " ", body, flags=re.S)
    approximations = []

    def inline_math(m):
        approximations.extend(APPROX.findall(m.group(0)))
        return " "

    body = re.sub(r"(?<!\\)\$[^$]+?(?<!\\)\$", inline_math, body, flags=re.S)
    body = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", body)             # roles: glue, cite, doc, ref, math
    body = re.sub(r"`[^`]*`", " ", body)                         # inline code
    body = re.sub(r"\]\([^)]*\)", "]", body)                     # link targets
    body = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    body = re.sub(REFERENCE, " ", body)
    body = re.sub(r"^#+\s+\d+(?:\.\d+)*", " ", body, flags=re.M)             # numbered headings
    body = re.sub(r"\(\d+\.\d+\)|\b\d+\.\d+–\d+\.\d+\b", " ", body)            # (2.1), 1.1–1.15
    body = re.sub(r'"[^"\n]*"|“[^”]*”', " ", body)                         # quotations
    code = _code_numbers(text)
    allowed = ALLOWED.get(chapter_name, {})
    found = []
    for numeral, context in [*((n, f"≈ {n} (in math)") for n in approximations),
                             *((m.group(), body[max(m.start() - 40, 0):m.end() + 30]) for m in NUMERAL.finditer(body))]:
        plain = numeral.replace(",", "")
        if "." not in plain and (int(plain) <= 10 or 1900 <= int(plain) <= 2099) and not context.startswith("≈ "):
            continue
        percent = body_after(context, numeral).startswith("%")
        if plain in code or numeral in allowed or _same_number_in(plain, code, percent):
            continue
        found.append((numeral, " ".join(context.split())))
    return found


def body_after(context, numeral):
    return context[context.find(numeral) + len(numeral):].lstrip() if numeral in context else ""


def _same_number_in(plain, code, percent=False):
    """The numeral's value is written in a code cell: the same number (``1797`` for ``1,797``), a
    percentage as a fraction (``75%`` for ``0.75``), or the start of a longer decimal (a quotation
    truncated with an ellipsis, ``0.1666…`` of ``0.16666666666666666``)."""
    value = float(plain)
    values = {_float(c) for c in code}
    if value in values or (percent and any(v is not None and abs(v * 100 - value) < 1e-9 for v in values)):
        return True
    return "." in plain and any(c.startswith(plain) for c in code)


def _float(token):
    try:
        return float(token)
    except ValueError:
        return None


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_no_number_is_typed_by_hand(chapter):
    found = hand_typed_numbers(chapter.read_text(), chapter.stem)
    assert not found, f"{chapter.name}: numbers typed in the prose (glue them from a cell and assert them): {found}"


# ---------------------------------------------------------------- the tests of the tests

SAMPLE = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A chapter

## First section

````{prf:theorem} Checked
:label: thm-checked

$1 + 1 = 2$, as $\\frac{1}{2} \\cdot 4 = 2$.
````

```{code-cell} python3
assert 1 + 1 == 2
```

## Second section

A setup of 300 epochs and a threshold the cell asserts: above 95%.

```{code-cell} python3
n_epochs = 300
assert 97.0 > 95
```
"""


def test_the_sample_chapter_passes():
    assert unchecked_statements(SAMPLE) == []
    assert hand_typed_numbers(SAMPLE) == []


def test_a_planted_unchecked_theorem_is_caught():
    planted = SAMPLE + "\n## Third section\n\n````{prf:corollary} Unchecked\n:label: cor-x\n\nFalse.\n````\n\nProse.\n"
    assert unchecked_statements(planted) == ["{prf:corollary} Unchecked"]
    # A cell in the *next* section does not check it.
    assert unchecked_statements(planted + "\n## Fourth\n\n```{code-cell} python3\nassert True\n```\n")
    # A cell without an assert does not check it either.
    assert unchecked_statements(planted + "\n```{code-cell} python3\nprint(1)\n```\n")
    assert unchecked_statements(planted + "\n```{code-cell} python3\nassert True\n```\n") == []


def test_every_chapter_with_a_theorem_is_seen():
    """The scanner finds the blocks at all (a parser that found none would pass everything)."""
    counted = sum(len(re.findall(r"\{prf:(?:theorem|lemma|corollary)\}", p.read_text())) for p in CHAPTERS)
    assert counted >= 10
    assert unchecked_statements(SAMPLE.replace("assert 1 + 1 == 2", "print(1 + 1)")) == ["{prf:theorem} Checked"]


@pytest.mark.parametrize("planted, numeral", [
    ("The network reaches 87.5% accuracy.", "87.5"),
    ("It has 17 parameters.", "17"),
    ("The cost falls to $J \\approx 0.0110$.", "0.0110"),
    ("It overflows for $z \\lesssim -710$.", "710"),
    ("- in a list: 1,234 steps", "1,234"),
    ("## A 47% heading", "47"),
    ("````{exercise}\n:label: ex-x\n\nWhy 42?\n````", "42"),
])
def test_a_planted_hand_typed_number_is_caught(planted, numeral):
    found = hand_typed_numbers(SAMPLE + "\n" + planted + "\n")
    assert [n for n, _ in found] == [numeral], found


def test_numbers_the_rules_allow_are_not_reported():
    text = SAMPLE + "\nIn 1986, see Section 3 and (2.1); $W^{[12]}$ and $$x_{123}$$ and `x[64]` and " \
                    "{glue:text}`acc:.1f`% and 300 epochs; > quoted.\n\n> A quotation with 4.58 in it.\n"
    assert hand_typed_numbers(text) == []


def test_a_cell_before_the_statement_does_not_check_it():
    planted = SAMPLE + "\n## Third\n\n```{code-cell} python3\nassert True\n```\n\n````{prf:lemma} After the cell\n:label: l\n\nX.\n````\n"
    assert unchecked_statements(planted) == ["{prf:lemma} After the cell"]


def test_planting_in_a_real_chapter_is_caught():
    """The tests of the tests on a temporary copy of a real chapter's text: the shallow network's
    false corollary planted unchecked, and a hand-typed count planted in its prose."""
    text = next(p for p in CHAPTERS if p.stem == "shallow_network").read_text()
    assert unchecked_statements(text) == [] and hand_typed_numbers(text, "shallow_network") == []
    false_corollary = ("\n````{prf:corollary} Zeros stay symmetric\n:label: planted\n\n"
                       "From $W^{[1]} = 0$ all hidden units remain identical.\n````\n\n")
    planted = text.replace("\n## Summary\n", "\n## Planted\n" + false_corollary + "## Summary\n", 1)
    assert unchecked_statements(planted) == ["{prf:corollary} Zeros stay symmetric"]
    planted = text.replace("\n## Summary\n", "\n## Summary\n\nThe flower network has 17 parameters.\n", 1)
    assert [n for n, _ in hand_typed_numbers(planted, "shallow_network")] == ["17"]
