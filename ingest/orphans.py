"""Helper processes never outlive the process they work for.

On Linux a process can ask the kernel to kill it when its parent dies (`prctl`
PR_SET_PDEATHSIG): the worker pool's forkserver asks for it when it starts (`forkserver_guard`
is in its preload list), and every worker asks for it when it starts, so a main process killed
by any signal (kill -9 included) takes the forkserver with it, and the forkserver its workers,
within milliseconds. Elsewhere the workers still end when their pipe closes between files.

`multiprocessing` also keeps a temporary folder per process (the forkserver's socket), left
behind when the process is killed; `private_temp_dir` names it after the process
(``kamrap-mp-PID-…``), so the next run removes the folders of processes that are gone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing.process
import os
import re
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

_PR_SET_PDEATHSIG = 1
_TEMP_PREFIX = "kamrap-mp-"
_TEMP_NAME = re.compile(rf"^{_TEMP_PREFIX}(?P<pid>\d+)-")


def die_with_parent(sig: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send `sig` to this process when its parent ends; if the parent ended
    already (this process was re-parented before it could ask), end now. False where the
    kernel cannot do it (not Linux)."""
    if not sys.platform.startswith("linux"):
        return False
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if os.getppid() != parent or parent == 1:  # the parent died before the request
        os._exit(1)
    return True


def private_temp_dir() -> Path:
    """This process's multiprocessing temporary folder, named after its pid (created once);
    folders of earlier kamrap processes that are gone are removed first."""
    # where multiprocessing keeps its tempdir: a private attribute, so typeshed does not declare it
    config: dict[str, Any] = multiprocessing.process.current_process()._config  # type: ignore[attr-defined]
    current = config.get("tempdir")
    if current and Path(current).name.startswith(f"{_TEMP_PREFIX}{os.getpid()}-"):
        return Path(current)
    base = socket_base()
    remove_stale_temp_dirs(Path(base))
    folder = tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}{os.getpid()}-", dir=base)
    from multiprocessing import util

    util.Finalize(None, shutil.rmtree, args=(folder, True), exitpriority=-100)
    config["tempdir"] = folder
    return Path(folder)


#: Longest path of a Unix socket, its terminating NUL included (Linux's sockaddr_un.sun_path)
_SUN_PATH_MAX = 108


def socket_base() -> str:
    """Where `private_temp_dir` makes its folder: the temporary folder (TMPDIR), or /tmp when the
    forkserver's socket in it (``<base>/kamrap-mp-PID-xxxxxxxx/listener-xxxxxxxx``) would be too
    long a path for a Unix socket (starting the workers would fail with "AF_UNIX path too
    long"). A socket takes no room, so /tmp serves whatever TMPDIR was chosen for."""
    base = tempfile.gettempdir()
    socket = f"{base}/{_TEMP_PREFIX}{os.getpid()}-xxxxxxxx/listener-xxxxxxxx"
    if len(os.fsencode(socket)) < _SUN_PATH_MAX or not os.access("/tmp", os.W_OK | os.X_OK):
        return base
    return "/tmp"


def remove_stale_temp_dirs(base: Path | None = None) -> list[Path]:
    """Remove the temporary folders of kamrap processes no longer running; the folders removed."""
    base = Path(base or tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = list(base.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if not match or not _owned(entry) or _running(int(match["pid"])):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _owned(path: Path) -> bool:
    try:
        return path.is_dir() and not path.is_symlink() and path.stat().st_uid == os.getuid()
    except OSError:
        return False


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
