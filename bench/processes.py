"""Every process `make bench` starts, and stopping all of them whatever happens.

Each server gets a session of its own and is stopped with its whole process tree; the bench
also makes itself the "child subreaper", so orphans (a chromium whose Lighthouse died,
workers whose master died) come back to it and are stopped too.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
from pathlib import Path


def children_of(pid: int) -> list[int]:
    """Every descendant of `pid`, from /proc (chromium leaves its launcher's group)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class Processes:
    """Everything this run starts, so that all of it is stopped, whatever happens."""

    def __init__(self):
        self.running: list[subprocess.Popen] = []

    def start(self, args, *, log: Path, **kwargs) -> subprocess.Popen:
        with open(log, "ab") as out:
            process = subprocess.Popen(
                args, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
            )
        self.running.append(process)
        return process

    def stop(self, process: subprocess.Popen, sig=signal.SIGTERM, wait: float = 15) -> None:
        """`sig` to the process, then SIGKILL to it and any descendant still there."""
        if process not in self.running:
            return
        self.running.remove(process)
        tree = children_of(process.pid)
        if process.poll() is None:
            try:
                process.send_signal(sig)
                process.wait(timeout=wait)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                pass
        for pid in [process.pid, *tree]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)

    def stop_all(self) -> None:
        for process in reversed(list(self.running)):
            self.stop(process)
        # Anything left that descends from this run (orphans come to it: see subreaper()).
        for pid in children_of(os.getpid()):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass


def subreaper() -> None:
    """Become the parent of our orphans (a chromium whose Lighthouse died, gunicorn workers
    whose master died), so that the clean-up still finds and stops them."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


PROCESSES = Processes()
