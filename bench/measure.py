"""Run a command and measure it: wall time, peak memory, and which output files it changed.

Memory is measured two ways, because a build with search is two processes at once (Python
and the Pagefind binary it starts):
- `max_rss`: the largest single process of the tree, exact (`os.wait4` of the child reports
  the maximum over the child and every descendant it waited for) — unless that maximum is
  no more than this process's own size when it started the child: Linux counts the memory
  a child shares with its parent until it execs the command (here, the harness's file
  snapshots: 400 MiB at 100,000 articles), and a no-op that held 38 MiB was reported at
  400. Then the largest process sampled from /proc (every 50 ms) is reported;
- `tree_rss`: the largest *sum* of the tree's resident sets, sampled from /proc every 50 ms,
  with `pagefind_rss` the part of it that was Pagefind.

>>> run = measure([sys.executable, "-c", "print(1)"])  # doctest: +SKIP
>>> run.seconds, run.max_rss  # doctest: +SKIP
(0.02, 9_437_184)
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
SAMPLE_SECONDS = 0.05


class CommandFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class Run:
    seconds: float
    max_rss: int  # bytes, largest single process (exact)
    tree_rss: int  # bytes, largest sampled sum over the process tree
    pagefind_rss: int  # bytes, largest sampled sum over Pagefind processes
    stdout: str
    stderr: str


def measure(cmd: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> Run:
    """Run `cmd` to completion; raise CommandFailed (with its output) if it exits non-zero."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        own = _rss(os.getpid())[0]
        started = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=dict(env) if env is not None else None,
                                stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        sampler = _TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        sampler.stop()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise CommandFailed(f"{' '.join(cmd)} exited {proc.returncode}:\n{stdout[-2000:]}\n{stderr[-2000:]}")
    # ru_maxrss is in KiB on Linux.
    largest = usage.ru_maxrss * 1024 if usage.ru_maxrss * 1024 > own else sampler.single_peak
    return Run(seconds, largest, max(sampler.tree_peak, largest), sampler.pagefind_peak, stdout, stderr)


class _TreeSampler(threading.Thread):
    """Sum of RSS over a process and its descendants, sampled until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.tree_peak = 0
        self.single_peak = 0  # the largest single process
        self.pagefind_peak = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            total = pagefind = 0
            for pid in _tree(self.pid):
                rss, name = _rss(pid)
                total += rss
                self.single_peak = max(self.single_peak, rss)
                if name.startswith("pagefind"):
                    pagefind += rss
            self.tree_peak = max(self.tree_peak, total)
            self.pagefind_peak = max(self.pagefind_peak, pagefind)
            self._done.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:  # gone between two reads
            continue
    return pids


def _rss(pid: int) -> tuple[int, str]:
    try:
        with open(f"/proc/{pid}/statm") as f:
            resident = int(f.read().split()[1]) * PAGE
        with open(f"/proc/{pid}/comm") as f:
            return resident, f.read().strip()
    except (OSError, IndexError, ValueError):
        return 0, ""


# ---- which files a build wrote, and which it changed ----

@dataclass(frozen=True)
class FileState:
    stat: tuple[int, int, int]  # size, mtime_ns, inode: a rewrite changes one of them
    digest: bytes


Snapshot = dict[str, FileState]


@dataclass(frozen=True)
class Changes:
    written: int  # files created, rewritten (even with the same bytes) or removed
    changed: int  # files whose bytes differ, created or removed
    changed_paths: tuple[str, ...]


def snapshot(root: Path, previous: Snapshot | None = None) -> Snapshot:
    """Every file under `root`; digests are reused from `previous` where the stat is the same."""
    previous = previous or {}
    files: Snapshot = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            path = os.path.join(dirpath, name)
            st = os.stat(path)
            rel = os.path.relpath(path, root)
            stat = (st.st_size, st.st_mtime_ns, st.st_ino)
            old = previous.get(rel)
            files[rel] = old if old is not None and old.stat == stat else FileState(stat, _digest(path))
    return files


def compare(before: Snapshot, after: Snapshot) -> Changes:
    written = [p for p, s in after.items() if p not in before or before[p].stat != s.stat]
    written += [p for p in before if p not in after]
    changed = sorted(p for p in written if p not in after or p not in before or before[p].digest != after[p].digest)
    return Changes(len(written), len(changed), tuple(changed))


def _digest(path: str) -> bytes:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "blake2b").digest()


def count_files(root: Path) -> int:
    return sum(len(names) for _, _, names in os.walk(root))


if __name__ == "__main__":  # python -m bench.measure CMD…: one measured run, for trying things out
    run = measure(sys.argv[1:])
    print(f"{run.seconds:.2f}s, max rss {run.max_rss >> 20} MiB, tree {run.tree_rss >> 20} MiB")
