"""Where the batch runner's builds run: in this process, in a local process pool, or
on a Dask distributed cluster (``--cluster tcp://host:8786``).

An executor knows nothing about jobs: it calls one picklable top-level function on
each argument tuple it is given and yields ``(index, result)`` as each call finishes,
``result`` being what the function returned or the exception that lost the call (a
worker that died). Dask is imported only when a cluster is asked for (BENCHMARKS.md
says why Dask rather than Ray).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import UserError
from ..version import __version__
from .procs import init_worker

# How long connecting to a cluster may take, all checks included.
CONNECT_TIMEOUT = 10.0
# The job's context (corpus, termbase, cache, fonts) travels in its payload; these
# are what a build still reads from the environment and that change what it writes:
# the client's values (or their absence) travel with each task, so a worker builds
# what the local pool would.
FORWARDED_ENV = ("SOURCE_DATE_EPOCH", "SACREBLEU_SEED")


class Executor:
    """Run calls of ``fn``; the base runs them one after the other in this process."""

    def describe(self, n: int) -> str:
        return "in this process"

    def map_unordered(self, fn: Callable, calls: list[tuple]) -> Iterator[tuple[int, object]]:
        for i, args in enumerate(calls):
            try:
                yield i, fn(*args)
            except Exception as e:   # fn should not raise; report it as a lost call
                yield i, e

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class LocalPool(Executor):
    """Up to ``workers`` spawned processes that die with this one (procs.init_worker)
    and record themselves in ``registry`` so that a run after a ``kill -9`` can stop
    them; one call or one worker runs in this process."""

    def __init__(self, workers: int, registry: Path):
        self.workers = workers
        self.registry = registry

    def describe(self, n: int) -> str:
        return f"with {min(self.workers, n)} worker(s)"

    def map_unordered(self, fn, calls):
        if self.workers <= 1 or len(calls) <= 1:
            yield from super().map_unordered(fn, calls)
            return
        try:
            lost = yield from self._pool(fn, calls, range(len(calls)), self.workers)
            # A worker that dies (killed, out of memory) breaks the whole pool and
            # every unfinished call with it: run those again, each in a fresh process
            # of its own, so that only the call that kills its process fails.
            for i in sorted(lost):
                again = yield from self._pool(fn, calls, [i], 1)
                if again:
                    yield i, again[i]
        finally:
            with contextlib.suppress(FileNotFoundError):
                self.registry.unlink()

    def _pool(self, fn, calls, which, workers: int):
        """Yield (index, result) for the calls ``which`` on a fresh pool; return the
        calls a broken pool lost, with the exception that lost them."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed
        from concurrent.futures.process import BrokenProcessPool

        lost = {}
        # spawn: workers start clean (no inherited threads or open Typst/torch state)
        with ProcessPoolExecutor(max_workers=min(workers, len(which)),
                                 mp_context=multiprocessing.get_context("spawn"),
                                 initializer=init_worker,
                                 initargs=(os.getpid(), str(self.registry))) as pool:
            futs = {pool.submit(fn, *calls[i]): i for i in which}
            for fut in as_completed(futs):
                try:
                    yield futs[fut], fut.result()
                except BrokenProcessPool as e:
                    lost[futs[fut]] = e
                except Exception as e:   # fn should not raise; report it as lost
                    yield futs[fut], e
        return lost


# One build at a time per worker process: a build redirects stderr (and stdout for
# score) while it runs, which two threads of one worker would interleave.
_BUILD_LOCK = threading.Lock()


def run_on_worker(fn: Callable, env: dict, args: tuple) -> tuple[object, str]:
    """Call ``fn(*args)`` on a cluster worker with the client's ``FORWARDED_ENV``
    values; return its result and what it wrote to stderr, which the client prints."""
    with _BUILD_LOCK:
        saved = {k: os.environ.get(k) for k in env}
        messages = io.StringIO()
        try:
            _set_env(env)
            _clear_toolkit_caches()
            with contextlib.redirect_stderr(messages):
                result = fn(*args)
        finally:
            _set_env(saved)
        return result, messages.getvalue()


def _clear_toolkit_caches() -> None:
    """Empty the toolkit's functools caches. Some are keyed by a path or by nothing
    (the apertium package's version, the font set of a folder, an embedding model)
    and assume one run per process, which holds for pool workers and not for a
    cluster worker that serves run after run: an upgrade or an edit between two runs
    would go unseen. Emptying them costs about 0.07 s a build (reloading the fonts)."""
    for name, module in list(sys.modules.items()):
        if name != "celac_i18n" and not name.startswith("celac_i18n."):
            continue
        for obj in list(vars(module).values()):
            members = vars(obj).values() if isinstance(obj, type) else (obj,)
            for f in members:
                if callable(getattr(f, "cache_clear", None)) and hasattr(f, "__wrapped__"):
                    f.cache_clear()


def first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [""])[0]


def _set_env(values: dict) -> None:
    for k, v in values.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def worker_facts(shared: list[str]) -> dict:
    """What the client checks on the scheduler and each worker before it sends any
    job: the versions that must agree, and whether it sees the client's files at the
    same paths (by content)."""
    from importlib.metadata import version

    seen = {}
    for p in shared:
        try:
            seen[p] = hashlib.sha256(Path(p).read_bytes()).hexdigest()
        except OSError:
            seen[p] = None
    # Python's major.minor decides pickles and bytecode; Dask's wire format its own
    versions = {"celac-i18n": __version__, "python": "{}.{}".format(*sys.version_info[:2]),
                **{pkg: version(pkg) for pkg in ("distributed", "cloudpickle", "msgpack")}}
    return {"versions": versions, "host": socket.gethostname(), "seen": seen}


_ADDRESS = re.compile(r"^(?:(tcp|tls)://)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$")


def parse_address(address: str) -> tuple[str, str, int]:
    """``tcp://host:port`` (or ``tls://``, or ``host:port``) → (scheme, host, port)."""
    m = _ADDRESS.match(address.strip())
    if not m or not 0 < int(m.group(3)) < 65536:
        raise UserError(f"--cluster {address!r}: not a scheduler address "
                        "(expected tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786)")
    return m.group(1) or "tcp", m.group(2).strip("[]"), int(m.group(3))


class DaskCluster(Executor):
    """The workers of a running Dask scheduler. Connecting checks, within
    ``timeout`` seconds and before anything is written: the address, that a Dask
    scheduler answers there, that it has workers, that the scheduler and every worker
    run the versions this client runs (toolkit, Python, Dask's wire format) and that
    every worker sees ``shared`` (the job file) at the same path."""

    def __init__(self, address: str, shared: list[str] = (), timeout: float = CONNECT_TIMEOUT):
        scheme, host, port = parse_address(address)
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise UserError("--cluster needs Dask distributed: pip install "
                            "'celac-i18n[cluster]'") from None
        self.address = f"{scheme}://{host}:{port}" if ":" not in host else \
            f"{scheme}://[{host}]:{port}"
        self.client = None
        deadline = time.monotonic() + timeout
        left = lambda: max(0.5, deadline - time.monotonic())  # noqa: E731
        self._reach(host, port, left())
        self._identify(left())
        try:
            self._connect(shared, left)
        except BaseException:
            self.close()
            raise

    def _say_unreachable(self, why: str):
        return UserError(f"--cluster {self.address}: cannot reach a Dask scheduler ({why})")

    def _reach(self, host: str, port: int, timeout: float) -> None:
        # A refused port or an unknown host fails at once here; Dask would retry
        # until its timeout.
        try:
            socket.create_connection((host, port), timeout=timeout).close()
        except socket.gaierror as e:
            raise self._say_unreachable(f"unknown host: {e.strerror}") from None
        except TimeoutError:
            raise self._say_unreachable(f"no answer within {timeout:.0f} s") from None
        except OSError as e:
            raise self._say_unreachable(e.strerror or type(e).__name__) from None

    def _identify(self, timeout: float) -> None:
        """Ask what listens there, over a connection of our own in a private event
        loop: a Client that fails to connect leaves threads and a noisy, slow
        ``__del__`` behind, and a service that is not Dask answers with bytes Dask
        reads as a huge message length."""
        import asyncio

        from distributed.comm import connect

        async def identity() -> dict:
            comm = await connect(self.address, timeout=timeout)
            try:
                await comm.write({"op": "identity"})
                return await comm.read()
            finally:
                await comm.close()

        try:
            ident = asyncio.run(asyncio.wait_for(identity(), timeout))
        except TimeoutError:            # asyncio's too, since Python 3.11
            raise self._say_unreachable(f"no answer within {timeout:.0f} s") from None
        except OSError as e:    # a closed connection, a TLS mismatch
            raise self._say_unreachable(f"{first_line(e) or type(e).__name__}; is a Dask "
                                        "scheduler listening there?") from None
        except Exception:       # garbage read as a message (a bogus length: MemoryError)
            raise self._say_unreachable("what answers there does not speak Dask's "
                                        "protocol") from None
        kind = ident.get("type") if isinstance(ident, dict) else None
        if kind != "Scheduler":
            raise UserError(f"--cluster {self.address}: that is a Dask {kind or 'service'}, "
                            "not the scheduler (give the scheduler's address)")

    def _connect(self, shared: list[str], left: Callable[[], float]) -> None:
        import warnings

        from distributed import Client

        try:
            with warnings.catch_warnings():     # version mismatches are checked below
                warnings.simplefilter("ignore")
                self.client = Client(self.address, timeout=left(), set_as_default=False)
        except (TimeoutError, OSError) as e:
            raise self._say_unreachable(first_line(e)) from None
        try:
            self.client.wait_for_workers(1, timeout=left())
        except (TimeoutError, OSError):
            raise UserError(f"--cluster {self.address}: the scheduler has no workers "
                            "(start some with `dask worker ADDRESS --nthreads 1`)") from None
        mine = worker_facts(list(shared))
        facts: dict = {}
        try:
            # the scheduler unpickles each task, so it needs the toolkit as well
            try:
                facts["the scheduler"] = self.client.run_on_scheduler(
                    worker_facts, [], callback_timeout=left())
            except (TimeoutError, OSError):
                raise
            except Exception as e:
                facts["the scheduler"] = e
            else:
                facts.update((f"worker {a}", f) for a, f in sorted(self.client.run(
                    worker_facts, list(shared), on_error="return",
                    callback_timeout=left()).items()))
        except (TimeoutError, OSError):
            raise self._say_unreachable("the cluster did not answer in time") from None
        for who, f in facts.items():
            if isinstance(f, BaseException):
                raise UserError(f"--cluster {self.address}: {who} cannot load celac-i18n "
                                f"({type(f).__name__}: {first_line(f)}); install the same "
                                "toolkit version on the scheduler and every worker")
            for pkg, v in f["versions"].items():
                if v != mine["versions"][pkg]:
                    raise UserError(f"--cluster {self.address}: {who} runs {pkg} {v}, "
                                    f"this client {mine['versions'][pkg]}")
            for p, digest in f["seen"].items():
                if digest != mine["seen"][p]:
                    what = "does not see" if digest is None else "sees another"
                    raise UserError(f"--cluster {self.address}: {who} ({f['host']}) {what} "
                                    f"{p}: inputs and the output folder must be on storage "
                                    "shared at the same path")
        self.n_workers = len(facts) - 1

    def describe(self, n: int) -> str:
        return f"on the cluster at {self.address} ({self.n_workers} worker(s))"

    def map_unordered(self, fn, calls):
        from distributed import as_completed

        env = {k: os.environ.get(k) for k in FORWARDED_ENV}
        token = os.urandom(4).hex()
        # no retries: a job that kills its worker is rescheduled by the scheduler up
        # to its allowed-failures, then fails alone (KilledWorker)
        futs = {self.client.submit(run_on_worker, fn, env, args, pure=False,
                                   key=f"celac-{fn.__name__}-{token}-{i}"): i
                for i, args in enumerate(calls)}
        try:
            for fut in as_completed(futs, loop=self.client.loop):
                try:
                    result, messages = fut.result()
                except Exception as e:      # KilledWorker, a lost scheduler
                    yield futs[fut], e
                    continue
                if messages:
                    sys.stderr.write(messages)
                    sys.stderr.flush()
                yield futs[fut], result
        finally:
            self.client.cancel(list(futs))

    def close(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.close(timeout=5)
            self.client = None


def open_executor(workers: int, cluster: str | None, registry: Path,
                  shared: list[str] = ()) -> Executor:
    """The executor a batch run asked for; a cluster is connected (and checked) here."""
    if cluster:
        return DaskCluster(cluster, shared)
    return LocalPool(workers, registry)
