"""The book's guarantee: a chapter whose cell raises, or whose derivation is wrong, fails the build.

Each test copies the book to a temporary folder with a table of contents of two pages (to keep it
quick), breaks one chapter, runs the same strict build as `make test`, and checks that the build
fails *and* that its output shows the broken cell — so the failure is the one we planted.
"""

import pytest

from book import ROOT, copy_book, jupyter_book

BUILD_ARGS = ("build", "--all", "-W", "-n", "--keep-going", ".")
FRONT_MATTER_END = "name: python3\n---\n"


def build_broken(tmp_path, chapter, old, new):
    copy_book(tmp_path, chapters=[chapter])
    path = tmp_path / "book" / f"{chapter}.md"
    text = path.read_text()
    assert text.count(old) == 1, f"the text to break is not (exactly once) in {chapter}.md: {old!r}"
    path.write_text(text.replace(old, new))
    result = jupyter_book(*BUILD_ARGS, cwd=tmp_path)
    return result, result.stdout + result.stderr


@pytest.mark.book
def test_a_failing_assert_fails_the_build_and_is_named(tmp_path):
    planted = FRONT_MATTER_END + '\n```{code-cell} python3\nassert 1 + 1 == 3, "planted failure"\n```\n'
    result, log = build_broken(tmp_path, "logistic_regression", FRONT_MATTER_END, planted)
    assert result.returncode != 0, log[-3000:]
    assert "planted failure" in log and "logistic_regression" in log, log[-3000:]
    assert not (tmp_path / "_build" / "html" / "book" / "logistic_regression.html").exists()


@pytest.mark.book
def test_a_wrong_sympy_derivation_fails_the_build(tmp_path):
    right = 'assert_equal(dsigma, sigma * (1 - sigma), "σ\'(z) and σ(z)(1 − σ(z))")'
    wrong = 'assert_equal(dsigma, sigma * (1 + sigma), "σ\'(z) and σ(z)(1 − σ(z))")'
    result, log = build_broken(tmp_path, "logistic_regression", right, wrong)
    assert result.returncode != 0, log[-3000:]
    assert "σ'(z) and σ(z)(1 − σ(z)) differ" in log, log[-3000:]


def test_the_strict_build_settings_are_in_place():
    """The settings the two tests above depend on, read from the real configuration."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "force"
    assert config["execute"].get("allow_errors") is False
    assert config["sphinx"]["config"]["nb_execution_raise_on_error"] is True
    makefile = (ROOT / "Makefile").read_text()
    assert "JB_STRICT := $(BIN)/jupyter-book build -W -n --keep-going" in makefile
    assert "$(JB_STRICT) --all ." in makefile          # make test re-executes every chapter
