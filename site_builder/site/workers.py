"""Making scopes on every core: forked workers plan and write whole scopes, the parent keeps
the state.

Each worker opens its own read-only connection to the state (it sees the content as read
and the site as the last build left it), takes scopes from a shared queue a batch at a time,
plans them and writes their changed files into the staging folder itself; only the rows of
the outputs (path, key, SHA-256, written or kept) come back. No HTML is sent, and no
process holds the outputs of the whole site.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from queue import Empty
from typing import TYPE_CHECKING

from site_builder.site.outputs import Contents, Output

if TYPE_CHECKING:
    from site_builder.site.plan import ScopeResult

# Below this many scopes to make, forking costs more than it saves.
MIN_PARALLEL = 64
BATCH = 16

MakeScope = Callable[[str], "ScopeResult"]  # made in each process (a worker: after it is forked)


def write_output(root: Path, output: Output) -> str:
    """Render `output` into the staging folder `root`; its SHA-256."""
    return write_file(os.path.join(root, output.path), output.render())


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def write_file(target: str | Path, data: Contents) -> str:
    """Write a new file at `target` (its contents whole, or in pieces) and return its SHA-256.

    A file already there is unlinked first, never written through: the staging folder's
    files are hard links to the live site's. (The system's calls, not a Python file object:
    a site is tens of thousands of small files, each written at once.)
    """
    try:
        fd = os.open(target, _NEW_FILE, 0o666)  # O_EXCL: fails rather than open an existing file (or link)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        fd = os.open(target, _NEW_FILE, 0o666)
    except FileExistsError:
        os.unlink(target)
        fd = os.open(target, _NEW_FILE, 0o666)
    digest = hashlib.sha256()
    try:
        for piece in (data,) if isinstance(data, (str, bytes)) else data:
            raw = memoryview(piece.encode("utf-8") if isinstance(piece, str) else piece)
            digest.update(raw)
            while raw:
                raw = raw[os.write(fd, raw):]
    finally:
        os.close(fd)
    return digest.hexdigest()


def make_all(names: Sequence[str], maker: Callable[[], MakeScope], jobs: int,
             progress: Callable[[int], None]) -> Iterator[ScopeResult]:
    """Every scope's result, in no set order: in this process when there are few, else on
    `jobs` forked workers, each with the scope maker `maker()` makes for it."""
    if jobs <= 1 or len(names) < MIN_PARALLEL or "fork" not in multiprocessing.get_all_start_methods():
        make = maker()
        for n, name in enumerate(names, 1):
            yield make(name)
            progress(n)
        return
    gc.collect()  # (what the read let go is freed before the workers copy this process)
    gc.freeze()
    ctx = multiprocessing.get_context("fork")
    tasks: multiprocessing.Queue[list[str] | None] = ctx.Queue()
    results: multiprocessing.Queue[list[ScopeResult] | str | None] = ctx.Queue()
    for start in range(0, len(names), BATCH):
        tasks.put(list(names[start:start + BATCH]))
    for _ in range(jobs):
        tasks.put(None)
    workers = [ctx.Process(target=_work, args=(maker, tasks, results), daemon=True) for _ in range(jobs)]
    for process in workers:
        process.start()
    ok = False
    try:
        done, finished = 0, 0
        while finished < jobs:
            try:
                message = results.get(timeout=1.0)
            except Empty:  # a worker killed from outside (out of memory …) sends nothing
                dead = [p.exitcode for p in workers if p.exitcode not in (None, 0)]
                if dead:
                    raise RuntimeError(f"a render worker died (exit code {dead[0]})") from None
                continue
            if message is None:
                finished += 1
            elif isinstance(message, str):
                raise RuntimeError(f"a render worker failed:\n{message}")
            else:
                yield from message
                done += len(message)
                progress(done)
        ok = True
    finally:
        if not ok:  # (the batches no worker took stay unsent: exiting must not wait to send them)
            tasks.cancel_join_thread()
        for process in workers:
            if not ok and process.is_alive():
                process.terminate()
            process.join()
        gc.unfreeze()


def _work(maker: Callable[[], MakeScope], tasks: multiprocessing.Queue[list[str] | None],
          results: multiprocessing.Queue[list[ScopeResult] | str | None]) -> None:
    try:
        make = maker()
        while (batch := tasks.get()) is not None:
            results.put([make(name) for name in batch])
        results.put(None)
    except BaseException:
        results.put(traceback.format_exc())
        raise
