"""nnlib as a package: the sdist and the wheel that `python -m build` makes, their metadata, and the
wheel installed into a fresh virtual environment that has numpy and nothing else.

Offline: the wheel is built without build isolation (setuptools is pinned in requirements.txt), and
numpy comes from this environment — its installed files are packed back into a wheel — so pip
installs with ``--no-index``. The fresh environment then trains a small network with
``L_layer_model``: nnlib works without SymPy, matplotlib, IPython, scikit-learn or Jupyter.
"""

import base64
import csv
import hashlib
import importlib.metadata
import io
import os
import subprocess
import sys
import tarfile
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

import nnlib

ROOT = Path(__file__).resolve().parent.parent
OFFLINE_PIP = {**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
OFFLINE_PIP.pop("PIP_FIND_LINKS", None)


def run(*args, **kwargs):
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, args))}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """The sdist and the wheel, built as a release builds them (the wheel from the sdist)."""
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ROOT, cwd=ROOT, env=OFFLINE_PIP)
    (sdist,), (wheel,) = sorted(out.glob("*.tar.gz")), sorted(out.glob("*.whl"))
    return sdist, wheel


def test_names_carry_the_version(dist):
    sdist, wheel = dist
    assert sdist.name == f"nnlib-{nnlib.__version__}.tar.gz"
    assert wheel.name == f"nnlib-{nnlib.__version__}-py3-none-any.whl"


def test_twine_check_passes(dist):
    result = run(sys.executable, "-m", "twine", "check", "--strict", *dist)
    assert result.stdout.count("PASSED") == 2, result.stdout


def test_wheel_metadata(dist):
    with zipfile.ZipFile(dist[1]) as whl:
        names = whl.namelist()
        meta = whl.read(f"nnlib-{nnlib.__version__}.dist-info/METADATA").decode()
    headers = [line for line in meta.split("\n\n", 1)[0].splitlines()]
    for expected in (f"Version: {nnlib.__version__}", "License-Expression: MIT", "Requires-Python: >=3.11",
                     "Provides-Extra: book", "Requires-Dist: numpy>=1.26", "Description-Content-Type: text/markdown",
                     "Classifier: Programming Language :: Python :: 3.11"):
        assert expected in headers, (expected, headers)
    book_extra = [h for h in headers if h.startswith("Requires-Dist:") and 'extra == "book"' in h]
    assert {h.split()[1].split(">")[0] for h in book_extra} == {"sympy", "matplotlib", "ipython", "scikit-learn", "myst-nb"}
    assert not [h for h in headers if h.startswith("Requires-Dist:") and "extra" not in h and "numpy" not in h]
    modules = {n for n in names if n.startswith("nnlib/") and n.endswith(".py")}
    assert modules == {f"nnlib/{p.name}" for p in (ROOT / "nnlib").glob("*.py")}
    assert f"nnlib-{nnlib.__version__}.dist-info/licenses/LICENSE" in names
    assert not [n for n in names if not n.startswith(("nnlib/", f"nnlib-{nnlib.__version__}.dist-info/"))]


def test_sdist_holds_the_package_and_not_the_book(dist):
    with tarfile.open(dist[0]) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    top = {n.split("/")[0] for n in names}
    assert {"pyproject.toml", "README.md", "LICENSE", "PKG-INFO", "nnlib", "CHANGELOG.md", "CITATION.cff"} <= top
    assert not top & {"book", "_build", "tests", "sources", "benchmarks", "_static", "_config.yml", "_toc.yml"}, top
    assert {f"nnlib/{p.name}" for p in (ROOT / "nnlib").glob("*.py")} <= names


def _repack_installed(dist_name, out):
    """Pack an installed distribution (its files listed in RECORD) back into a wheel in ``out``."""
    dist = importlib.metadata.distribution(dist_name)
    info = next(p for p in dist.files if p.name == "METADATA").parent
    tag = next(line.split(": ")[1] for line in dist.read_text("WHEEL").splitlines() if line.startswith("Tag: "))
    wheel = out / f"{dist.metadata['Name']}-{dist.version}-{tag}.whl"
    skip = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_STORED) as whl:
        for path in dist.files:
            if path.parts[0] == ".." or path.suffix == ".pyc" or (path.parent == info and path.name in skip):
                continue
            data = Path(dist.locate_file(path)).read_bytes()
            whl.writestr(str(path), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            writer.writerow([str(path), f"sha256={digest}", len(data)])
        writer.writerow([f"{info}/RECORD", "", ""])
        whl.writestr(f"{info}/RECORD", record.getvalue())
    return wheel


TRAINING = textwrap.dedent("""
    import importlib.metadata, importlib.util, sys
    import numpy as np
    import nnlib
    from nnlib.deep import L_layer_model, L_model_forward

    assert "site-packages" in nnlib.__file__, nnlib.__file__
    assert nnlib.__version__ == importlib.metadata.version("nnlib") == sys.argv[1], nnlib.__version__
    book_packages = ("sympy", "matplotlib", "IPython", "sklearn", "myst_nb", "scipy", "jupyter_book")
    assert not [p for p in book_packages if importlib.util.find_spec(p)], "a book dependency is installed"

    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 400))
    Y = (X[0:1] * X[1:2] > 0).astype(float)        # XOR of the signs: needs the hidden layer
    parameters, costs = L_layer_model(X, Y, [2, 8, 1], learning_rate=0.5, num_iterations=1500)
    AL, _ = L_model_forward(X, parameters)
    accuracy = float(np.mean((AL > 0.5) == Y))
    assert costs[-1] < costs[0] / 2 and accuracy > 0.9, (costs, accuracy)
    print("trained", len(costs), costs[0], costs[-1], accuracy)
""")


def test_wheel_installs_with_only_numpy_and_trains(dist, tmp_path):
    links = tmp_path / "wheels"
    links.mkdir()
    _repack_installed("numpy", links)
    (links / dist[1].name).write_bytes(dist[1].read_bytes())
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-index", "--find-links", links, "nnlib",
        env=OFFLINE_PIP)
    assert not (env_dir / "bin" / "pip").exists()     # no pip either: the environment holds only what pip put there
    packages = sorted(p.name.split("-")[0].lower() for p in (env_dir / "lib").glob("python3*/site-packages/*.dist-info"))
    assert packages == ["nnlib", "numpy"], packages
    result = run(python, "-I", "-c", TRAINING, nnlib.__version__, cwd=tmp_path)
    assert result.stdout.startswith("trained"), result.stdout
