"""The check processes: Great Expectations runs here, never in the run's own process.

GX spends most of a suite's time in Python, so one process per core checks a layer about that
many times faster; each opens the build file read-only, which any number of readers may do at
once. A fork server imports GX once and forks each worker from that clean, single-threaded
process (forking the run's own process, with its threads, would not be safe).
"""

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor

WORKERS = max(1, min(4, os.cpu_count() or 1))
_workers: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def workers() -> ProcessPoolExecutor:
    """The pool shared by every check step (and the Data Docs) of a run."""
    global _workers
    with _lock:
        if _workers is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["orchestration.quality.fork_server", "orchestration.quality.runner",
                                             "great_expectations"])
            _workers = ProcessPoolExecutor(max_workers=WORKERS, mp_context=context)
        return _workers


def warm_in_background() -> None:
    """Start the check processes now, from a thread: starting one waits until the fork server
    has imported GX (seconds), which the caller spends loading the definitions meanwhile."""

    def warm() -> None:
        for _ in range(WORKERS):
            workers().submit(os.getpid)

    threading.Thread(target=warm, name="warm-check-processes", daemon=True).start()


def shutdown() -> None:
    """Stop the check processes (waiting for any validation still running)."""
    if _workers is not None:
        _workers.shutdown(wait=True)
