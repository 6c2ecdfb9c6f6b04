"""One build of an output folder at a time: the second fails at once, says who holds the lock,
writes nothing, and the first finishes a complete site."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_builder.site.lock import LockedError, build_lock, lock_path
from site_builder.site.verify import verify_site
from tests.conftest import FIXTURE_CONTENT
from tests.safety.hostile import hostile_content

ROOT = Path(__file__).resolve().parents[2]


def run_build(content: Path, out: Path, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content), "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs,  # type: ignore[call-overload]
    )


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else b"/"
            for p in sorted(folder.rglob("*"))}


def test_the_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    out = tmp_path / "public"
    with build_lock(out) as held:
        assert held == lock_path(out) == tmp_path / ".public.lock"
        assert held.read_text() == f"{os.getpid()}\n"
        with pytest.raises(LockedError) as caught, build_lock(out):
            pass
        assert str(caught.value) == f"{out}: another build is running (pid {os.getpid()})"
        with build_lock(tmp_path / "other"):  # another folder: another lock
            pass
    with build_lock(out):  # released on leaving the block
        pass
    assert held.read_text() == ""


def test_a_second_build_stops_at_once_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "public"
    with build_lock(out):
        before = tree(tmp_path)
        started = time.monotonic()
        second = run_build(FIXTURE_CONTENT, out)
        stdout, stderr = second.communicate(timeout=60)
        assert second.returncode == 1
        # The settings' warning (no base URL) may come first; the lock's message is the last word.
        lines = stderr.strip().splitlines()
        assert lines[-1] == f"{out}: another build is running (pid {os.getpid()})"
        assert all(": warning: " in line for line in lines[:-1]), lines
        assert "Traceback" not in stdout + stderr
        assert time.monotonic() - started < 30  # no waiting for the lock (Python start-up only)
        assert tree(tmp_path) == before


def test_two_builds_started_together(tmp_path: Path) -> None:
    """The hostile content (a 1 MiB article) with search: the first holds the lock for
    seconds, while the second needs only to start Python."""
    content = hostile_content(tmp_path / "content")
    out = tmp_path / "public"
    first = run_build(content, out)
    deadline = time.monotonic() + 60
    while not (lock_path(out).exists() and lock_path(out).read_text().strip()):
        assert first.poll() is None, first.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.005)
    second = run_build(content, out)
    _, second_err = second.communicate(timeout=60)
    _, first_err = first.communicate(timeout=300)
    assert first.returncode == 0, first_err
    assert second.returncode == 1 and f"another build is running (pid {first.pid})" in second_err
    assert verify_site(out) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public-cache", ".public.lock", "content", "public"]
