"""The errata appendix quotes its sources exactly, and proves each entry with a cell.

Every entry of ``book/errata.md`` (a ``###`` heading under a ``## Source …`` section) names a source
file and line(s) in a line of the form::

    **Source** `000_48622387a02309fd.txt`, line 104:            (or: lines 417–419:)

followed by a ```` ```text ```` block holding the quote. The test reads the five source documents
and checks that the quote appears verbatim in the named line (a quote over several lines: its first
line in the first named line, its last line in the last one, and the whole quote in those lines
joined), that each entry has a code cell that asserts, and that the entries name only files of the
entry's own section. The sources are the repository's ``sources/`` (the five documents, unchanged).
"""

import re

import pytest

from book import BOOK, ROOT

ERRATA = BOOK / "errata.md"
SOURCE_NAMES = {
    "000": "000_48622387a02309fd.txt",
    "001": "001_64e237e7c0a71265.txt",
    "002": "002_d8fc0a1c36403f55.txt",
    "003": "003_2ada17b826ebb8dd.txt",
    "004": "004_1f11e1f935219905.txt",
}
QUOTE = re.compile(
    r"\*\*Source\*\* `(?P<file>\d{3}_[0-9a-f]{16}\.txt)`, lines? (?P<start>\d+)(?:–(?P<end>\d+))?:\n\n"
    r"```text\n(?P<quote>.*?)\n```",
    flags=re.S,
)


def _sources_dir():
    folder = ROOT / "sources"
    missing = [name for name in SOURCE_NAMES.values() if not (folder / name).is_file()]
    assert not missing, f"source documents missing from {folder}: {missing}"
    return folder


def _source_lines(name):
    return (_sources_dir() / name).read_text(encoding="utf-8").split("\n")


def _sections(text):
    """[(source number, section text)] for the '## Source 000 …' sections, in order."""
    parts = re.split(r"^## ", text, flags=re.M)
    return [(m.group(1), part) for part in parts if (m := re.match(r"Source (\d{3})\b", part))]


def _entries(section):
    """[(heading, entry text)] for the '### …' entries of one section."""
    parts = re.split(r"^### ", section, flags=re.M)[1:]
    return [(part.split("\n", 1)[0], part) for part in parts]


def _all_entries():
    text = ERRATA.read_text(encoding="utf-8")
    return [(number, heading, body) for number, section in _sections(text) for heading, body in _entries(section)]


def test_the_appendix_has_a_section_for_each_source_and_numbered_entries():
    text = ERRATA.read_text(encoding="utf-8")
    numbers = [number for number, _ in _sections(text)]
    assert numbers == sorted(SOURCE_NAMES), f"sections for sources {numbers}, expected {sorted(SOURCE_NAMES)}"
    for index, (number, section) in enumerate(_sections(text), start=1):
        headings = [h for h, _ in _entries(section)]
        assert headings, f"section {number} has no entries"
        expected = [f"{index}.{k}" for k in range(1, len(headings) + 1)]
        got = [h.split(" ", 1)[0] for h in headings]
        assert got == expected, f"section {number}: entries numbered {got}, expected {expected}"


def test_every_entry_quotes_its_own_source_and_is_checked_by_a_cell():
    entries = _all_entries()
    assert len(entries) >= 30, f"only {len(entries)} entries"
    for number, heading, body in entries:
        quotes = list(QUOTE.finditer(body))
        assert quotes, f"entry {heading!r} quotes no source line"
        for q in quotes:
            assert q.group("file") == SOURCE_NAMES[number], f"entry {heading!r} quotes {q.group('file')}"
        cells = re.findall(r"```\{code-cell\} python3\n(.*?)\n```", body, flags=re.S)
        assert any(re.search(r"\bassert", c) for c in cells), f"entry {heading!r} has no asserting cell"


def _check_quote(lines, start, end, quote):
    """None if ``quote`` is verbatim in source lines start..end (1-based), else the reason."""
    if not 1 <= start <= end <= len(lines):
        return f"lines {start}–{end} are outside the file ({len(lines)} lines)"
    q_lines = quote.split("\n")
    if end - start + 1 != len(q_lines):
        return f"a {len(q_lines)}-line quote names {end - start + 1} line(s)"
    if q_lines[0] not in lines[start - 1]:
        return f"{q_lines[0]!r} is not in line {start}: {lines[start - 1]!r}"
    if q_lines[-1] not in lines[end - 1]:
        return f"{q_lines[-1]!r} is not in line {end}: {lines[end - 1]!r}"
    if quote not in "\n".join(lines[start - 1:end]):
        return f"the quote is not verbatim in lines {start}–{end}"
    return None


def test_every_quote_is_verbatim_in_the_named_source_line():
    checked = 0
    for number, heading, body in _all_entries():
        lines = _source_lines(SOURCE_NAMES[number])
        for q in QUOTE.finditer(body):
            start = int(q.group("start"))
            end = int(q.group("end") or start)
            problem = _check_quote(lines, start, end, q.group("quote"))
            assert problem is None, f"entry {heading!r} ({q.group('file')}): {problem}"
            checked += 1
    assert checked >= 30


def test_the_quote_check_rejects_a_wrong_line_or_a_changed_quote():
    """The check itself can fail: a quote moved to the next line or changed by a character is refused."""
    lines = _source_lines(SOURCE_NAMES["000"])
    good = "z = w^T + b, where w \\in \\mathcal{R}^{n_x} and x \\in \\mathcal{R}^{n_x}"
    assert _check_quote(lines, 318, 318, good) is None
    assert _check_quote(lines, 319, 319, good) is not None
    assert _check_quote(lines, 318, 318, good.replace("w^T", "w^T x")) is not None
    assert _check_quote(lines, 10_000, 10_000, good) is not None
    two = "dw_2 + = x_2^{(i)} dz^{(i)}\ndw_2 + = x_2^{(i)} dz^{(i)}"
    assert _check_quote(lines, 418, 419, two) is None
    assert _check_quote(lines, 417, 418, two) is not None


def test_no_entry_quotes_a_claim_that_is_in_no_source():
    """Today's removed entries: '8.012' and a parity claim appear in no source document."""
    everything = "\n".join("\n".join(_source_lines(name)) for name in SOURCE_NAMES.values())
    for phrase in ("8.012", "parity"):
        assert phrase not in everything
    quotes = "\n".join(m.group("quote") for m in QUOTE.finditer(ERRATA.read_text(encoding="utf-8")))
    assert "8.012" not in quotes and "parity" not in quotes.lower()
