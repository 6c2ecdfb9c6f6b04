"""Rendering outputs on every core: forked workers render and write, the parent keeps count.

Workers are forked after the archive, the Jinja environment and the list of outputs exist,
so they share them copy-on-write and nothing but indices and digests crosses a pipe. Each
worker writes the files it renders into the staging folder itself: no HTML is held or sent.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from site_builder.build.outputs import Output

# Below this many outputs a pool costs more than it saves.
MIN_PARALLEL = 200
CHUNK = 64

# Set in the parent just before the fork; read by the workers.
_TASKS: Sequence[Output] = ()
_ROOT = Path()


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def write_file(target: Path, data: str | bytes) -> str:
    """Write a new file at `target` and return its SHA-256.

    The old file is unlinked first, never written through: in an incremental build the
    staging folder's files are hard links to the live site's.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        target.unlink()
    except FileNotFoundError:
        pass
    with target.open("xb") as f:
        f.write(raw)
    return hashlib.sha256(raw).hexdigest()


def _render_chunk(indices: range) -> list[tuple[int, str]]:
    return [(i, write_file(_ROOT / _TASKS[i].path, _TASKS[i].render())) for i in indices]


def render_outputs(
    outputs: Sequence[Output], root: Path, jobs: int, progress: Callable[[int], None]
) -> Iterator[tuple[Output, str]]:
    """Render and write every output under `root`; yields (output, sha256) as they finish."""
    global _TASKS, _ROOT
    for folder in sorted({(root / o.path).parent for o in outputs}):
        folder.mkdir(parents=True, exist_ok=True)
    if jobs <= 1 or len(outputs) < MIN_PARALLEL or "fork" not in multiprocessing.get_all_start_methods():
        for n, output in enumerate(outputs, 1):
            yield output, write_file(root / output.path, output.render())
            progress(n)
        return
    _TASKS, _ROOT = outputs, root
    try:
        chunks = [range(i, min(i + CHUNK, len(outputs))) for i in range(0, len(outputs), CHUNK)]
        done = 0
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for results in pool.imap_unordered(_render_chunk, chunks):
                for i, digest in results:
                    yield outputs[i], digest
                done += len(results)
                progress(done)
    finally:
        _TASKS, _ROOT = (), Path()
