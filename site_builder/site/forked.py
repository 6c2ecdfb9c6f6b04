"""One piece of work done in a forked process while this one goes on: a share of the content
walk, the check of the live site's folders. For a single task a fork and a pipe cost less than a
pool (no worker threads, no task queues): at 100,000 articles the walk's share of the work is
a quarter of a second, and a pool's start and stop were a tenth of that and more."""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")


def default_jobs() -> int:
    """The processes a build runs at most: the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def can_fork() -> bool:
    return hasattr(os, "fork")


@contextlib.contextmanager
def forked(work: Callable[[], T]) -> Iterator[Callable[[], T]]:
    """`work` run in a forked child from now on; yields the function that waits for it and
    returns its result (or raises its exception). Where the system cannot fork, the work is
    done here, at once. A child not waited for is stopped on the way out."""
    if not can_fork():
        value = work()
        yield lambda: value
        return
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # (the child: never returns into the caller's code)
        status = 0
        try:
            os.close(read)
            try:
                data = pickle.dumps((True, work()), pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # (raised again in the parent)
                data = pickle.dumps((False, exc), pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write)
    waited = False

    def wait() -> T:
        nonlocal waited
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        waited = True
        os.waitpid(pid, 0)
        if not data:
            raise ChildProcessError("a forked process ended without its result")
        done, value = pickle.loads(data)
        if not done:
            raise value
        return value  # type: ignore[no-any-return]

    try:
        yield wait
    finally:
        if not waited:
            with contextlib.suppress(OSError):
                os.close(read)
            with contextlib.suppress(OSError):
                os.kill(pid, 9)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
