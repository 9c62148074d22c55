"""Let Sphinx read, and so execute, the chapters in parallel (`sphinx-build -j auto`, tools/build_book.py).

Sphinx reads serially as soon as one loaded extension does not declare ``parallel_read_safe``. Three
that this book loads do not declare it, and each is safe, read from its source (pinned versions):

- ``sphinx_multitoc_numbering`` (loaded by sphinx_external_toc and by Jupyter Book): it replaces
  ``TocTreeCollector.assign_section_numbers``, which Sphinx calls once, in the main process, after
  every document has been read and merged; it keeps no state from reading.
- ``sphinx_jupyterbook_latex`` (added by Jupyter Book, ``latex.use_jupyterbook_latex``): its
  ``config-inited`` and ``builder-inited`` handlers run in the main process before reading; its read
  transforms change only the document being read; its post-transforms act in LaTeX builds only.
- ``sphinx-mathjax-offline``: it sets ``mathjax_path`` and copies MathJax into the site in a
  ``build-finished`` handler, in the main process.

``sphinx_proof`` declares itself safe, but its domain lacks ``merge_domaindata``, which Sphinx calls to
merge each worker's results (``NotImplementedError``). It keeps nothing in the domain's data: its
proofs live in ``env.proof_list``, which its own ``env-merge-info`` handler merges. The domain is
replaced by a subclass whose ``merge_domaindata`` has nothing to do.

Each worker sends the whole environment back, pickled, and the main process unpickles and merges it,
one document after another; the environment holds what every document read so far left in it.
``sphinx_exercise`` leaves a lot: its registry keeps each solution's node as it sits in the document's
tree, and each exercise's node as a copy that still points at the document, so pickling the environment
pickled every document with exercises again (5.7 MB at the end of a build of 36 chapters, pickled and
unpickled once per document). After a document is read, its registry entries become detached copies,
the copies a parallel build's main process gets back anyway; sphinx_exercise reads only their
attributes, titles and children.

Sphinx also splits the documents into fixed chunks in alphabetical order, one per process (with 20
documents and 2 cores, two chunks of 10, however long they take to execute), and starts all but the
first ``nproc`` chunks last-listed first. Here each document is its own chunk, so a core takes the next
chapter as soon as it is free, and the chapters that take the longest start first
(``benchmarks/results/chapter_cpu.json``, each chapter's CPU seconds measured by
``benchmarks/bench_chapters.py --write``; a document it does not list counts as the median), so that
the build does not end with one core executing a long chapter while the other idles. The order
changes nothing but the schedule. Pages are then written by one more process than Sphinx uses
(``one_more_writer``).
"""

import json
import statistics
from pathlib import Path

import sphinx.builders
from sphinx_proof.domain import ProofDomain

DECLARED_SAFE = ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex", "sphinx-mathjax-offline")
CHAPTER_CPU = "benchmarks/results/chapter_cpu.json"


def longest_first(cpu_seconds):
    """Sphinx's make_chunks: one document per chunk, arranged so that the longest (by ``cpu_seconds``)
    start first. Sphinx's ParallelTasks starts the first ``nproc`` chunks as they are added and each
    later one when a process is free, taking the most recently added chunk (``dict.popitem``): the
    chunks after the first ``nproc`` are listed in reverse."""
    default = statistics.median(cpu_seconds.values()) if cpu_seconds else 0.0

    def one_document_per_chunk(documents, nproc, maxbatch=10):
        start_order = sorted(documents, key=lambda document: -cpu_seconds.get(document, default))
        return [[document] for document in start_order[:nproc] + start_order[nproc:][::-1]]
    return one_document_per_chunk


class MergeableProofDomain(ProofDomain):
    def merge_domaindata(self, docnames, otherdata):
        """Nothing to merge: sphinx_proof's data is ``env.proof_list`` (merged on env-merge-info)."""


def detach_exercise_registry(app, doctree):
    """Replace the sphinx_exercise registry's nodes of the document just read by detached copies."""
    for entry in getattr(app.env, "sphinx_exercise_registry", {}).values():
        if entry["docname"] == app.env.docname:
            node = entry["node"].deepcopy()
            for descendant in node.findall():
                descendant.document = None
            entry["node"] = node


def one_more_writer(app, env):
    """After reading: Sphinx writes the pages with ``-j N`` in N − 1 processes while the main one
    resolves each page for them; with N = 2 the single writer was the bottleneck. Writing gets N
    writers beside the main process (a no-execution build's writing phase: 7.6–8.9 s → 5.6–6.8 s)."""
    if app.parallel > 1:
        app.parallel += 1


def setup(app):
    for name in DECLARED_SAFE:
        app.setup_extension(name)              # no-op when it is already loaded
        extension = app.extensions[name]
        extension.parallel_read_safe = extension.parallel_write_safe = True
    app.setup_extension("sphinx_proof")
    app.add_domain(MergeableProofDomain, override=True)
    hints = Path(app.srcdir) / CHAPTER_CPU
    sphinx.builders.make_chunks = longest_first(json.loads(hints.read_text()) if hints.exists() else {})
    app.connect("doctree-read", detach_exercise_registry, priority=900)     # after sphinx_exercise's own
    app.connect("env-updated", one_more_writer)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
