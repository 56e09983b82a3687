"""What keeps batch runs from outliving or trampling each other.

- One run at a time per output folder: an exclusive lock on ``.celac-batch.lock``; a
  second run of the same job file waits for the first and says so.
- Pool workers die with their parent: on Linux the kernel sends them SIGKILL when
  the parent dies (``PR_SET_PDEATHSIG``), and a watchdog thread checks the parent
  every half second everywhere else (and covers a parent that died before the
  worker was set up).
- Each worker records its pid and start time in ``.celac-batch.workers``; the next
  run kills any that still live (same pid *and* start time, so never an unrelated
  process that reuses the pid) and removes temp files a killed run left behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Callable

LOCK_NAME = ".celac-batch.lock"
WORKERS_NAME = ".celac-batch.workers"
_PR_SET_PDEATHSIG = 1


@contextlib.contextmanager
def output_lock(out_dir: Path, say: Callable[[str], None]):
    """Hold the output folder's lock for the whole run; wait (and say so) if taken."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / LOCK_NAME, "a+", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "?"
            say(f"waiting: another batch run (pid {holder}) is writing {out_dir}")
            t0 = time.monotonic()
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            say(f"the other run finished after {time.monotonic() - t0:.1f} s; going on")
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks (field 22 of /proc/PID/stat), or None
    when it is gone or a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return None if fields[0] == "Z" else fields[19]


def init_worker(parent: int, registry: str) -> None:
    """Pool initializer: die with ``parent``, and record this worker for the next run."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    if os.getppid() != parent:      # the parent died before the signal was armed
        os._exit(1)
    threading.Thread(target=watch, name="celac-parent-watch", daemon=True).start()
    me = os.getpid()
    with contextlib.suppress(OSError):
        with open(registry, "a", encoding="utf-8") as fh:
            fh.write(f"{me} {_start_time(me) or '-'}\n")


def clean_leftovers(out_dir: Path, outputs: list[Path], say: Callable[[str], None]) -> None:
    """Kill workers a killed run left alive; remove the temp files and folders it left
    beside ``outputs``. Called with the output lock held, so no live run owns them."""
    registry = out_dir / WORKERS_NAME
    killed = 0
    with contextlib.suppress(FileNotFoundError):
        for line in registry.read_text(encoding="utf-8").splitlines():
            pid_s, _, start = line.partition(" ")
            if not pid_s.isdigit() or int(pid_s) == os.getpid():
                continue
            if _start_time(int(pid_s)) == start.strip():
                with contextlib.suppress(OSError):
                    os.kill(int(pid_s), signal.SIGKILL)
                    killed += 1
        registry.unlink()
    if killed:
        say(f"stopped {killed} worker(s) left running by an earlier run that was killed")
    for out in outputs:
        shutil.rmtree(work_dir(out), ignore_errors=True)
        for p in out.parent.glob(f".{out.name}.*.tmp"):
            with contextlib.suppress(OSError):
                p.unlink()


def work_dir(output: Path) -> Path:
    """The private folder runs before the operations layer wrote ``output`` into (an
    operation now writes a temp file beside it); a killed old run may have left one."""
    return output.parent / f".{output.name}.celac-tmp"
