"""Rendering outputs on every core: forked workers render and write, the parent keeps count.

Workers are forked once the archive and the Jinja environment exist and share them
copy-on-write. Each worker walks the same (deterministic) sequence of outputs, renders
its share of the dirty ones and writes those files into the staging folder itself; only
(kind, path, SHA-256) triples come back. No HTML is sent and the outputs are never all
held in memory, in any process.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from queue import Empty

from site_builder.build.outputs import Contents, Output

# Below this many outputs to render, a pool costs more than it saves.
MIN_PARALLEL = 200
BATCH = 64

Written = tuple[str, str, str]  # kind, path, sha256
# An output and its group: the outputs of one group (an edition's pages, e-book, data and
# citations) are rendered by one worker, one after another, so that each article body is
# read and parsed once for all of them (see `bodytext`). ALONE: a group of its own.
Grouped = tuple[int, Output]
ALONE = -1


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def write_output(root: Path, output: Output, stores: Path | None) -> str:
    """Render `output` into the staging folder `root`; its SHA-256. An output made of pieces
    takes those it can from its store under `stores` and keeps the new file there."""
    target = root / output.path
    if output.pieces is None or stores is None:
        return write_file(target, output.render())
    from site_builder.build.pieces import PieceStore

    with PieceStore(stores / output.path.replace("/", "_")) as store:
        digest = write_file(target, output.pieces(store))
        store.keep(target)
    return digest


def write_file(target: Path, data: Contents) -> str:
    """Write a new file at `target` (its contents whole, or in pieces) and return its SHA-256.

    A file already there is unlinked first, never written through: in an incremental build
    the staging folder's files are hard links to the live site's.
    """
    try:
        f = target.open("xb")  # "x": fails rather than open an existing file (or link)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        f = target.open("xb")
    except FileExistsError:
        target.unlink()
        f = target.open("xb")
    digest = hashlib.sha256()
    with f:
        for piece in (data,) if isinstance(data, (str, bytes)) else data:
            raw = piece.encode("utf-8") if isinstance(piece, str) else piece
            f.write(raw)
            digest.update(raw)
    return digest.hexdigest()


def _mine(outputs: Iterable[Grouped], dirty: bytearray, worker: int, jobs: int) -> Iterator[Output]:
    """The dirty outputs this worker renders: every `jobs`-th group, counted among the dirty."""
    n, last = -1, ALONE
    for i, (group, output) in enumerate(outputs):
        if dirty[i]:
            if group == ALONE or group != last:
                n += 1
                last = group
            if n % jobs == worker:
                yield output


def render_outputs(
    outputs: Callable[[], Iterable[Grouped]], dirty: bytearray, root: Path, jobs: int,
    progress: Callable[[int], None], listed: list[Output] | None = None, stores: Path | None = None,
) -> Iterator[Written]:
    """Render and write the outputs flagged in `dirty` (by position in `outputs()`); when
    they are few, `listed` may hold them already (then `outputs()` is not walked again).
    `stores`: where outputs made of pieces keep them between builds (`pieces`)."""
    total = sum(dirty)
    if jobs <= 1 or total < MIN_PARALLEL or "fork" not in multiprocessing.get_all_start_methods():
        mine = listed if listed is not None else _mine(outputs(), dirty, 0, 1)
        for n, output in enumerate(mine, 1):
            yield output.kind, output.path, write_output(root, output, stores)
            progress(n)
        return
    ctx = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[list[Written] | str | None] = ctx.Queue()
    workers = [ctx.Process(target=_work, args=(outputs, dirty, w, jobs, root, stores, queue), daemon=True)
               for w in range(jobs)]
    for process in workers:
        process.start()
    ok = False
    try:
        done, finished = 0, 0
        while finished < jobs:
            try:
                message = queue.get(timeout=1.0)
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
        for process in workers:
            if not ok and process.is_alive():
                process.terminate()
            process.join()
    failed = [p.exitcode for p in workers if p.exitcode]
    if failed:
        raise RuntimeError(f"render workers exited with {failed}")


def _work(outputs: Callable[[], Iterable[Grouped]], dirty: bytearray, worker: int, jobs: int,
          root: Path, stores: Path | None, queue: multiprocessing.Queue[list[Written] | str | None]) -> None:
    try:
        batch: list[Written] = []
        for output in _mine(outputs(), dirty, worker, jobs):
            batch.append((output.kind, output.path, write_output(root, output, stores)))
            if len(batch) == BATCH:
                queue.put(batch)
                batch = []
        if batch:
            queue.put(batch)
        queue.put(None)
    except BaseException:
        queue.put(traceback.format_exc())
        raise
