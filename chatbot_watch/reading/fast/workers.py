"""Reading many files at once: in worker processes (spawned, one per core, for folders of 8 MiB or
more), with Python's cyclic garbage collector paused while records are made. The result is the
same as reading the files one by one in this process, which is what happens when no pool can be
started or it breaks."""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from chatbot_watch.datamodel.dataset import Packed, Problem, Record, unpack
from chatbot_watch.datamodel.schema import RecordKind

# Read one file of records: (kind, path, data folder, today, cache folder) -> records, problems,
# how many were read from YAML; and the same with its records packed (dataset.pack) for a worker.
Read = tuple[list[Record], list[Problem], int]
ReadOne = Callable[[RecordKind, Path, Path, dt.date, "Path | None"], Read]
ReadPacked = Callable[
    [RecordKind, Path, Path, dt.date, "Path | None"], tuple[str, str, list[Packed], list[Problem], int]
]


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while loading (and, in build.py, building).

    Loading allocates millions of long-lived objects and no reference cycles, yet every full
    collection walks all of them: at 100 times today's data that was 60% of the load time, for
    nothing collected. Reference counting still frees everything as usual. Nested use is fine:
    only the outermost block turns the collector back on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_files(
    jobs: list[tuple[RecordKind, Path]],
    data_dir: Path,
    today: dt.date,
    processes: int | None,
    cache_dir: Path | None,
    read: ReadOne,
    read_packed: ReadPacked,
) -> Iterator[Read]:
    """`read` (reading/load.py's `_read_file`) for each job, in order; large folders are read by a
    pool of processes, which run `read_packed` (the same, its records packed: a module-level
    function, so a spawned worker can import it).

    Composing YAML is most of the load time and each file stands alone, so with several cores
    and enough data the files are shared among worker processes. Whatever goes wrong with the
    pool (no processes or semaphores allowed, a worker killed), the files it has not answered
    are read here instead: the result is the same either way.
    """
    workers = _pool_size(jobs) if processes is None else min(processes, len(jobs))
    done = 0
    if workers > 1:
        try:
            ctx = multiprocessing.get_context("spawn")  # no fork: the caller may hold threads
            with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
                kinds, paths = zip(*jobs, strict=True)
                n = len(jobs)
                args = [data_dir] * n, [today] * n, [cache_dir] * n
                for packed in pool.map(read_packed, kinds, paths, *args):
                    yield _unpack(*packed)
                    done += 1
        except (OSError, BrokenProcessPool, pickle.PicklingError, ImportError):
            pass
    for kind, path in jobs[done:]:
        yield read(kind, path, data_dir, today, cache_dir)


def _unpack(
    kind: str, rel: str, packed: list[Packed], problems: list[Problem], n_read: int
) -> tuple[list[Record], list[Problem], int]:
    return unpack(kind, rel, packed), problems, n_read


POOL_MIN_BYTES = 8 * 2**20  # below this, starting processes costs more than it saves


def _pool_size(jobs: list[tuple[RecordKind, Path]]) -> int:
    """How many processes should read `jobs`: 1 (this one) for small data or a single core."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    if cores < 2 or len(jobs) < 2 or not _spawn_runs_no_script():
        return 1
    size = 0
    for _, path in jobs:
        try:
            size += path.stat().st_size
        except OSError:
            pass
    return min(cores, len(jobs)) if size >= POOL_MIN_BYTES else 1


def _spawn_runs_no_script() -> bool:
    """Whether a spawned worker starts without running the main script again.

    A worker imports the main module unless it is a package's `__main__` (`python -m
    chatbot_watch`, `python -m pytest`) or there is no script (`python -c`, a shell). A plain
    script would run its top-level code once more in every worker, so none is started for it
    unless asked for (`processes=`).
    """
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name.split(".")[-1] == "__main__":
        return True
    return getattr(main, "__file__", None) is None
