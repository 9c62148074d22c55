"""Warm kernels for the book build: every chapter's kernel is forked from a process that has already
imported what the chapters import.

    python tools/kernel_zygote.py serve SOCKET          # started and stopped by tools/build_book.py
    python tools/kernel_zygote.py launch -f CONNECTION  # the kernelspec's command (see kernelspec())

A chapter's kernel spends about a second and a half of CPU importing numpy, matplotlib, SymPy,
scikit-learn (which imports scipy.stats) and ipykernel before its first cell does any work — about a
quarter of the whole build's CPU on two cores. The build therefore starts one *zygote* that imports
them once, and points Jupyter at a kernelspec whose command is ``launch``: the launcher connects to the
zygote over a Unix socket, hands it its standard streams, working directory, environment and
arguments, and the zygote forks a child that becomes the kernel (ipykernel's own launcher, started
with the same arguments). Each chapter still runs in a fresh process of its own, from the same
imported state: nothing a chapter does reaches another one.

The launcher stays the process that Jupyter started and manages: it forwards SIGINT, SIGTERM and
SIGQUIT to the kernel, and exits with the kernel's exit status; if the launcher is killed, the zygote
kills its kernel. Without a zygote (the environment variable ``NNBOOK_ZYGOTE`` unset, or nothing
listening), the launcher becomes a plain ``ipykernel_launcher``, so a kernelspec that names it always
works. Only Linux and macOS (fork, Unix sockets).

Nothing is imported here that starts a thread: OpenBLAS's threads (one, in the build) are created
lazily, and ipykernel starts its threads in the child.
"""

import json
import os
import selectors
import signal
import socket
import struct
import sys
from pathlib import Path

ENV = "NNBOOK_ZYGOTE"
# What the chapters' first cells import, imported once in the zygote (TensorFlow is not: it starts
# threads when it is imported, and only four chapters use it). Not ipykernel.kernelapp: its defaults
# read the variables Jupyter sets for each kernel (JPY_PARENT_PID) when it is imported, so each child
# imports it (4 ms) after taking on its launcher's environment.
# Nor pyplot and the inline backend: the backend hooks itself into the IPython shell that imports it,
# and a shell exists only in the child (matplotlib's figure and Agg canvas are the costly part anyway).
WARM = ("numpy", "scipy.stats", "sympy", "matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg",
        "sklearn.datasets", "threadpoolctl", "IPython", "ipykernel.ipkernel", "myst_nb", "nnlib", "nnlib.symbolic",
        "nnlib.show", "nnlib.plotting")


def kernelspec(folder, python=sys.executable):
    """Write ``folder/kernels/python3/kernel.json`` (the name the chapters ask for) whose command is
    ``launch``; put ``folder`` first on JUPYTER_PATH to use it. Returns ``folder``."""
    spec = folder / "kernels" / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [python, str(Path(__file__).resolve()), "launch", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel, forked from the build's warm process)", "language": "python",
        "metadata": {"debugger": False}}, indent=1))
    return folder


# ----------------------------------------------------------------------------------------------
# The zygote.


def serve(path):
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")   # as ipykernel sets it
    for module in WARM:
        __import__(module)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    kernels = {}                                        # pid -> the launcher's connection
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)
    try:
        while True:
            for key, _ in selector.select(timeout=0.05):
                if key.fileobj is listener:
                    connection, _ = listener.accept()
                    pid = _fork_kernel(connection, listener, selector)
                    kernels[pid] = connection
                    selector.register(connection, selectors.EVENT_READ, pid)
                else:                                   # the launcher went away first: its kernel goes too
                    if not key.fileobj.recv(1):
                        _kill(key.data)
                        selector.unregister(key.fileobj)
            _reap(kernels, selector)
    finally:
        for pid in kernels:
            _kill(pid)


def _fork_kernel(connection, listener, selector):
    message, fds, _, _ = socket.recv_fds(connection, 1 << 20, 3)
    request = json.loads(message)
    pid = os.fork()
    if pid:
        for fd in fds:
            os.close(fd)
        connection.sendall(struct.pack("!i", pid))
        return pid
    try:                                                 # the child: become the launcher's kernel
        selector.close()
        listener.close()
        connection.close()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.setpgid(0, 0)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = ["ipykernel_launcher", *request["argv"]]
        if sys.path and sys.path[0] == str(Path(__file__).resolve().parent):
            del sys.path[0]                              # as `python -m ipykernel_launcher` has no script folder
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=request["argv"])
        code = 0
    except SystemExit as exit_:
        code = 0 if exit_.code is None else exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _reap(kernels, selector):
    while kernels:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        connection = kernels.pop(pid, None)
        if connection is not None:
            try:
                connection.sendall(struct.pack("!i", os.waitstatus_to_exitcode(status)))
            except OSError:
                pass
            try:
                selector.unregister(connection)
            except (KeyError, ValueError):
                pass
            connection.close()


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# ----------------------------------------------------------------------------------------------
# The launcher (the kernelspec's command).


def launch(argv):
    path = os.environ.get(ENV)
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        if not path:
            raise OSError("no zygote")
        connection.connect(path)
    except OSError:                                     # no warm process: an ordinary kernel
        connection.close()
        os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *argv])
    request = {"argv": argv, "cwd": os.getcwd(), "env": {k: v for k, v in os.environ.items() if k != ENV}}
    socket.send_fds(connection, [json.dumps(request).encode()], [0, 1, 2])
    pid = struct.unpack("!i", _receive(connection, 4))[0]
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT):
        signal.signal(signum, lambda signum, _frame: _forward(pid, signum))
    code = _receive(connection, 4)
    sys.exit(struct.unpack("!i", code)[0] if code else 1)


def _forward(pid, signum):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _receive(connection, n):
    data = b""
    while len(data) < n:
        chunk = connection.recv(n - len(data))
        if not chunk:
            break
        data += chunk
    return data


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        serve(sys.argv[2])
    elif len(sys.argv) >= 2 and sys.argv[1] == "launch":
        launch(sys.argv[2:])
    else:
        sys.exit(__doc__.split("\n\n")[1])
