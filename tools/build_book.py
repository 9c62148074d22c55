"""Build the book with Sphinx on all cores, configured from _config.yml (the single source).

    python tools/build_book.py [--all | --write-all] [--builder html|latex]

Run it from the book's root (the folder of _config.yml and _toc.yml): `make book`, `make test`,
`make pdf` and the build-guard tests (tests/test_build_guard.py) all build through it.

1. `jupyter-book config sphinx .` writes conf.py from _config.yml and _toc.yml. conf.py is generated
   on every build and git-ignored: edit _config.yml, never conf.py. One thing is appended: the
   folders of `sphinx: local_extensions` go on sys.path (`jupyter-book build` does that in its own
   process; the generated conf.py does not); for LaTeX, `latex_documents` (book.tex, from the root
   of _toc.yml and the title and author of _config.yml; `jupyter-book build` sets its title after
   Sphinx starts, which a conf.py cannot).
2. `sphinx-build -j auto -W -n --keep-going -T` (and `-E` with --all): the strict flags of
   `jupyter-book build -W -n --keep-going [--all]`, on all cores, with the traceback of a failing cell
   printed even when it fails in a worker process. book/_ext/parallel_build.py declares the extensions
   that are parallel-safe without saying so; any other extension that does not declare it would be a
   warning, which -W turns into an error: the build cannot silently fall back to reading serially.
3. Every chapter's kernel is forked from one warm process that has already imported numpy, matplotlib,
   SymPy, scikit-learn and ipykernel (tools/kernel_zygote.py): a fresh process per chapter, as
   before, without a second and a half of imports each. Without it (it failed to start, or
   NNBOOK_COLD_KERNELS=1), kernels start the ordinary way.
4. Each chapter's kernel gets one OpenBLAS thread (OPENBLAS_NUM_THREADS=1, unless the caller set it):
   the build already runs one chapter per core, and a chapter's BLAS threads would only compete with
   the other chapter's (OpenBLAS's waiting threads spin). A chapter that measures threads asks for
   them (`threadpoolctl.threadpool_limits(os.cpu_count())`, which raises the limit again).
"""

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

import kernel_zygote  # tools/, beside this script

OUTPUT = {"html": "_build/html", "latex": "_build/latex"}


def write_conf(root, builder):
    """Generate ``root/conf.py`` from _config.yml and _toc.yml."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    subprocess.run([str(jupyter_book), "config", "sphinx", "."], cwd=root, check=True, capture_output=True, text=True)
    config = yaml.safe_load((root / "_config.yml").read_text())
    local = (config.get("sphinx") or {}).get("local_extensions") or {}
    paths = sorted({str((root / path).resolve()) for path in local.values()})
    lines = ["", "# Appended by tools/build_book.py: the folders of sphinx.local_extensions in _config.yml.",
             "import sys", *(f"sys.path.insert(0, {path!r})" for path in paths)]
    if builder == "latex":
        toc_root = yaml.safe_load((root / "_toc.yml").read_text())["root"]
        # the document class of sphinx_jupyterbook_latex (the latex_theme it sets when Sphinx starts)
        lines.append(f"latex_documents = [({toc_root!r}, 'book.tex', {config['title']!r}, {config['author']!r}, 'jupyterBook')]")
    conf = root / "conf.py"
    conf.write_text(conf.read_text() + "\n".join(lines) + "\n")


def sphinx_build_args(builder="html", fresh=False, write_all=False):
    """The arguments of sphinx-build: strict, on all cores; ``fresh`` re-reads (re-executes) every
    chapter, ``write_all`` writes every page again from what was read before."""
    return ["-j", "auto", "-W", "-n", "--keep-going", "-T", *(["-E"] if fresh else []), *(["-a"] if write_all else []),
            "-b", builder, "-d", "_build/.doctrees", ".", OUTPUT[builder]]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--all", action="store_true", help="re-read (and re-execute) every chapter (sphinx-build -E)")
    parser.add_argument("--write-all", action="store_true", help="write every page again, executing nothing (sphinx-build -a)")
    parser.add_argument("--builder", choices=sorted(OUTPUT), default="html")
    args = parser.parse_args(argv)
    root = Path.cwd()
    if not (root / "_config.yml").exists():
        sys.exit(f"run from the book's root: no _config.yml in {root}")
    write_conf(root, args.builder)
    sphinx_build = Path(sys.executable).parent / "sphinx-build"
    env = {"OPENBLAS_NUM_THREADS": "1", **os.environ, "JUPYTER_PLATFORM_DIRS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    executes = args.builder == "html" and not args.write_all     # the others only write what was read
    with (warm_kernels(env) if executes else contextlib.nullcontext(env)) as env:
        return subprocess.run([str(sphinx_build), *sphinx_build_args(args.builder, args.all, args.write_all)],
                              cwd=root, env=env).returncode


@contextlib.contextmanager
def warm_kernels(env):
    """The build's environment with the warm-kernel zygote running (tools/kernel_zygote.py): its socket
    in NNBOOK_ZYGOTE and, first on JUPYTER_PATH, the kernelspec that forks kernels from it."""
    if env.get("NNBOOK_COLD_KERNELS") == "1" or not hasattr(os, "fork"):
        yield env
        return
    with tempfile.TemporaryDirectory(prefix="nnbook-kernels-") as tmp:
        socket_path = str(Path(tmp) / "zygote.sock")
        zygote = subprocess.Popen([sys.executable, str(Path(kernel_zygote.__file__).resolve()), "serve", socket_path],
                                  env=env, stdout=subprocess.PIPE, text=True)
        try:
            if zygote.stdout.readline().strip() != "ready":
                print("tools/build_book.py: the warm-kernel process did not start; kernels start cold", file=sys.stderr)
                yield env
                return
            jupyter_path = os.pathsep.join(filter(None, [str(kernel_zygote.kernelspec(Path(tmp))), env.get("JUPYTER_PATH")]))
            yield {**env, kernel_zygote.ENV: socket_path, "JUPYTER_PATH": jupyter_path}
        finally:
            zygote.terminate()
            zygote.wait(timeout=30)
            zygote.stdout.close()


if __name__ == "__main__":
    sys.exit(main())
