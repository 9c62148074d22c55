"""The build's warm kernels (tools/kernel_zygote.py): a kernel forked from the zygote runs a chapter's
code as an ordinary kernel does — in its own process, in the chapter's folder, interruptible, gone
after shutdown — with the warm modules already imported; without a zygote the same kernelspec starts
an ordinary kernel. (Every build of the book, and the build-guard tests' broken builds, run on them.)"""

import os
import sys
import time

import pytest

from book import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import build_book  # noqa: E402
import kernel_zygote  # noqa: E402

jupyter_client = pytest.importorskip("jupyter_client")
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the zygote forks (Linux, macOS)")

PROBE = "import os, sys; print(os.getcwd(), os.getpid(), os.getppid(), 'numpy' in sys.modules, sep='|')"


def _run(kc, code, timeout=60):
    """Execute ``code``; return (its stdout, the reply's status)."""
    out = []
    reply = kc.execute_interactive(code, timeout=timeout,
                                   output_hook=lambda msg: out.append(msg["content"].get("text", "")))
    return "".join(out), reply["content"]["status"]


def _start(monkeypatch, env, cwd):
    for key in (kernel_zygote.ENV, "JUPYTER_PATH"):
        if key in env:
            monkeypatch.setenv(key, env[key])
        else:
            monkeypatch.delenv(key, raising=False)
    km = jupyter_client.KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(cwd), env={**os.environ})
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    return km, kc


def _figure_shown(kc):
    """A figure shown by a cell reaches the notebook as a PNG (matplotlib's inline backend hooked in)."""
    images = []
    kc.execute_interactive("import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0])\nplt.show()", timeout=60,
                           output_hook=lambda msg: images.append("image/png" in msg["content"].get("data", {})))
    return any(images)


def _gone(pid, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_a_forked_kernel_runs_in_its_own_process_and_folder_is_interruptible_and_ends(tmp_path, monkeypatch):
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    with build_book.warm_kernels(env) as warm:
        assert kernel_zygote.ENV in warm, "the zygote did not start"
        (tmp_path / "x").mkdir()
        km, kc = _start(monkeypatch, warm, tmp_path / "x")
        try:
            out, status = _run(kc, PROBE)
            cwd, pid, ppid, warm_numpy = out.strip().split("|")
            launcher = km.provisioner.process.pid
            assert status == "ok" and cwd == str(tmp_path / "x")
            assert int(pid) != launcher and int(ppid) != launcher       # forked by the zygote, not started by Jupyter
            assert warm_numpy == "True"                                   # numpy was imported before the first cell
            # stop_on_error=False: after an error with the default, ipykernel aborts the requests that
            # follow for a moment (as for any kernel), which would fail the next check by a race
            msg_id = kc.execute("import time; time.sleep(60)", stop_on_error=False)
            time.sleep(1)
            km.interrupt_kernel()                                          # SIGINT to the launcher, forwarded
            reply = kc.get_shell_msg(timeout=30)
            assert reply["parent_header"]["msg_id"] == msg_id
            assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
            assert _run(kc, "print(6 * 7)") == ("42\n", "ok")                # still alive after the interrupt
            assert _figure_shown(kc)                                        # the inline backend works
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=False)
        assert _gone(int(pid)) and not km.is_alive()


def test_without_a_zygote_the_kernelspec_starts_an_ordinary_kernel(tmp_path, monkeypatch):
    spec = kernel_zygote.kernelspec(tmp_path / "jupyter")
    env = {kernel_zygote.ENV: str(tmp_path / "nobody-listens.sock"), "JUPYTER_PATH": str(spec)}
    km, kc = _start(monkeypatch, env, tmp_path)
    try:
        out, status = _run(kc, PROBE)
        cwd, pid, ppid, warm_numpy = out.strip().split("|")
        assert status == "ok" and cwd == str(tmp_path)
        assert int(pid) == km.provisioner.process.pid                    # the launcher became the kernel
        assert warm_numpy == "False" and _figure_shown(kc)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
