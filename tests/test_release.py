"""Releases: one version (nnlib/__init__.py) that the package metadata, the changelog, the citation
file and the release workflow agree on."""

import datetime
import importlib.metadata
import re
import tomllib
from pathlib import Path

import yaml

import nnlib

ROOT = Path(__file__).resolve().parent.parent


def test_version_is_single_sourced():
    """pyproject.toml reads the version from nnlib/__init__.py; the installed metadata agrees."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in pyproject["project"] and pyproject["project"]["dynamic"] == ["version"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "nnlib.__version__"}
    assert importlib.metadata.version("nnlib") == nnlib.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", nnlib.__version__)
    assert tuple(map(int, nnlib.__version__.split("."))) >= (0, 2, 0)


def changelog_versions():
    """{version: date} of the released sections of CHANGELOG.md, newest first."""
    text = (ROOT / "CHANGELOG.md").read_text()
    assert "\n## Unreleased\n" in text
    return dict(re.findall(r"^## (\d+\.\d+\.\d+) — (\d{4}-\d{2}-\d{2})$", text, flags=re.M))


def test_changelog_has_this_version_first():
    versions = changelog_versions()
    assert list(versions)[0] == nnlib.__version__ and "0.1.0" in versions
    dates = [datetime.date.fromisoformat(d) for d in versions.values()]
    assert dates == sorted(dates, reverse=True)


def test_citation_file_matches_the_release():
    """CITATION.cff (CFF 1.2.0; validated with `cffconvert --validate`, see the #22 report) names this
    version, its release date in the changelog, and the package's licence."""
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0"
    assert {"message", "title", "authors", "version", "date-released", "license", "type"} <= citation.keys()
    assert all("name" in a or {"given-names", "family-names"} <= a.keys() for a in citation["authors"])
    assert str(citation["version"]) == nnlib.__version__
    assert str(citation["date-released"]) == changelog_versions()[nnlib.__version__]
    assert citation["license"] == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"] == "MIT"


def test_release_workflow_builds_the_files_on_a_version_tag():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text())
    assert workflow[True] == {"push": {"tags": ["v*"]}}          # YAML 1.1 reads the key `on` as True
    runs = "\n".join(step.get("run", "") for step in workflow["jobs"]["release"]["steps"])
    for command in ("make dist", "make book", "make -n pdf", "gh release create"):
        assert command in runs, command
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^dist: ", makefile, flags=re.M) and "twine check --strict" in makefile
