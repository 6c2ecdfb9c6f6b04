"""Work in a forked process: its result, its exception, a child not waited for."""

from __future__ import annotations

import os
import time

import pytest

from site_builder.site import forked as forked_module
from site_builder.site.forked import forked


def test_the_result_comes_back_from_the_child() -> None:
    parent = os.getpid()
    with forked(lambda: (os.getpid(), "工人日报" * 10_000)) as wait:
        pid, text = wait()
    assert pid != parent and text == "工人日报" * 10_000  # (more than a pipe holds at once)


def test_an_exception_in_the_child_is_raised_in_the_parent() -> None:
    def fails() -> None:
        raise ValueError("2023/10/31: no such folder")

    with forked(fails) as wait, pytest.raises(ValueError, match="no such folder"):
        wait()


def test_a_child_not_waited_for_is_stopped_and_reaped(tmp_path: os.PathLike[str]) -> None:
    marker = os.path.join(tmp_path, "pid")

    def slow() -> None:
        with open(marker, "w") as f:
            f.write(str(os.getpid()))
        time.sleep(60)

    with pytest.raises(RuntimeError), forked(slow):
        deadline = time.monotonic() + 10
        while not os.path.exists(marker) or not open(marker).read():
            assert time.monotonic() < deadline
            time.sleep(0.01)
        raise RuntimeError("the build failed")
    with open(marker) as f:
        child = int(f.read())
    with pytest.raises(ChildProcessError):  # (reaped: no longer a child of this process)
        os.waitpid(child, os.WNOHANG)


def test_without_fork_the_work_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked_module, "can_fork", lambda: False)
    with forked(os.getpid) as wait:
        assert wait() == os.getpid()
