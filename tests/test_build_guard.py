"""The book's guarantee: a chapter whose cell raises, whose derivation is wrong, that writes to
stderr or that has a broken reference fails the build, and the log names the chapter and the cell.

Each test copies the book to a temporary folder with a short table of contents (the chapter to break,
the introduction, the bibliography and three one-line pages: more than five pages, so that Sphinx
reads them in parallel as it reads the whole book), breaks one chapter, runs the same strict build as
`make book` and `make test` (tools/build_book.py --all), and checks that the build fails *and* that its
output shows the broken cell — so the failure is the one we planted.
"""

import os

import pytest

from book import ROOT, build_book, copy_book

FRONT_MATTER_END = "name: python3\n---\n"
PARALLEL = (os.cpu_count() or 1) > 1         # sphinx-build -j auto reads in parallel on more than one core


def build_broken(tmp_path, chapter, old, new):
    copy_book(tmp_path, chapters=[chapter], pages=3)
    path = tmp_path / "book" / f"{chapter}.md"
    text = path.read_text()
    assert text.count(old) == 1, f"the text to break is not (exactly once) in {chapter}.md: {old!r}"
    path.write_text(text.replace(old, new))
    result = build_book(tmp_path)
    log = result.stdout + result.stderr
    assert "doing serial read" not in log, log[-3000:]
    return result, log


@pytest.mark.book
def test_a_failing_assert_fails_the_build_and_is_named(tmp_path):
    planted = FRONT_MATTER_END + '\n```{code-cell} python3\nassert 1 + 1 == 3, "planted failure"\n```\n'
    result, log = build_broken(tmp_path, "logistic_regression", FRONT_MATTER_END, planted)
    assert result.returncode != 0, log[-3000:]
    assert "planted failure" in log and "logistic_regression" in log, log[-3000:]
    assert 'assert 1 + 1 == 3, "planted failure"' in log, log[-3000:]          # the cell's source
    if PARALLEL:
        assert "(Error in parallel process)" in log, log[-3000:]               # it failed in a worker
    assert not (tmp_path / "_build" / "html" / "book" / "logistic_regression.html").exists()


@pytest.mark.book
def test_a_wrong_sympy_derivation_fails_the_build(tmp_path):
    right = 'assert_equal(dsigma, sigma * (1 - sigma), "σ\'(z) and σ(z)(1 − σ(z))")'
    wrong = 'assert_equal(dsigma, sigma * (1 + sigma), "σ\'(z) and σ(z)(1 − σ(z))")'
    result, log = build_broken(tmp_path, "logistic_regression", right, wrong)
    assert result.returncode != 0, log[-3000:]
    assert "σ'(z) and σ(z)(1 − σ(z)) differ" in log and "logistic_regression" in log, log[-3000:]


@pytest.mark.book
def test_stderr_output_and_a_broken_reference_fail_the_build(tmp_path):
    planted = (FRONT_MATTER_END + "\nSee {doc}`no_such_chapter`.\n\n"
               '```{code-cell} python3\nimport sys\nprint("planted stderr", file=sys.stderr)\n```\n')
    result, log = build_broken(tmp_path, "logistic_regression", FRONT_MATTER_END, planted)
    assert result.returncode != 0, log[-3000:]
    warnings = [line for line in log.splitlines() if "WARNING" in line and "logistic_regression.md" in line]
    assert any("unknown document" in w and "no_such_chapter" in w for w in warnings), log[-3000:]
    assert any("stderr" in w for w in warnings), log[-3000:]


def test_the_strict_build_settings_are_in_place():
    """The settings the tests above depend on, read from the real configuration."""
    import sys

    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "force"
    assert config["execute"].get("allow_errors") is False
    assert config["execute"].get("stderr_output") == "warn"
    assert config["sphinx"]["config"]["nb_execution_raise_on_error"] is True
    makefile = (ROOT / "Makefile").read_text()
    assert "BUILD_BOOK := $(BIN)/python tools/build_book.py" in makefile
    assert "\t$(BUILD_BOOK) --all\n" in makefile          # make test re-executes every chapter
    sys.path.insert(0, str(ROOT / "tools"))
    from build_book import sphinx_build_args

    args = sphinx_build_args()
    assert {"-W", "-n", "--keep-going", "-T"} <= set(args) and args[args.index("-j") + 1] == "auto"
    assert "-E" in sphinx_build_args(fresh=True) and "-E" not in args


def parallel_build_extension():
    import importlib
    import sys

    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    return importlib.import_module("parallel_build")


def test_the_longest_chapters_start_first_and_the_measured_list_names_real_chapters(monkeypatch):
    """book/_ext/parallel_build.py orders the build by benchmarks/results/chapter_cpu.json (a chapter it
    does not list counts as the median), and Sphinx's ParallelTasks really starts them in that order;
    the list names only chapters that exist."""
    import json
    import multiprocessing.context
    import time

    from sphinx.util.parallel import ParallelTasks

    extension = parallel_build_extension()
    cpu = json.loads((ROOT / extension.CHAPTER_CPU).read_text())
    assert cpu and all((ROOT / f"{document}.md").exists() for document in cpu), sorted(cpu)

    started = []
    fork_start = multiprocessing.context.ForkProcess.start
    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start",
                        lambda process: (started.append(process._args[2][0]), fork_start(process))[1])
    measured = {"a": 1.0, "b": 9.0, "c": 4.0, "d": 2.0, "e": 6.0}              # median 4.0
    for nproc in (1, 2):
        started.clear()
        tasks = ParallelTasks(nproc)
        for chunk in extension.longest_first(measured)(["a", "b", "c", "d", "e", "new"], nproc):
            tasks.add_task(lambda chunk: time.sleep(0.01), chunk)
        tasks.join()
        assert started == ["b", "e", "c", "new", "d", "a"], (nproc, started)
    assert extension.longest_first({})(["b", "a", "c"], 2) == [["b"], ["a"], ["c"]]   # nothing measured: as given


def test_exercise_registry_nodes_are_detached_from_their_documents():
    """After a document is read, sphinx_exercise's registry holds copies of its nodes that point at no
    document, so each parallel worker does not pickle every document with exercises back to the main
    process (book/_ext/parallel_build.py)."""
    from types import SimpleNamespace

    from docutils import nodes
    from docutils.utils import new_document

    document = new_document("chapter")
    solution = nodes.container(ids=["sol"])
    solution += nodes.paragraph(text="a solution")
    document += nodes.section("", solution)
    solution.document = document
    registry = {"sol": {"docname": "book/a", "node": solution}, "other": {"docname": "book/b", "node": solution}}
    app = SimpleNamespace(env=SimpleNamespace(docname="book/a", sphinx_exercise_registry=registry))
    parallel_build_extension().detach_exercise_registry(app, document)
    copy = registry["sol"]["node"]
    assert copy is not solution and copy.parent is None and copy.astext() == "a solution"
    assert all(node.document is None for node in copy.findall())
    assert solution.parent is not None and solution.document is document             # the document is untouched
    assert registry["other"]["node"] is solution                                      # another document's entry is left alone


def test_pages_are_written_by_one_more_process_in_a_parallel_build():
    from types import SimpleNamespace

    writer = parallel_build_extension().one_more_writer
    parallel, serial = SimpleNamespace(parallel=2), SimpleNamespace(parallel=1)
    writer(parallel, None), writer(serial, None)
    assert parallel.parallel == 3 and serial.parallel == 1          # a serial build stays serial
