"""Putting a site in place: one atomic exchange, or two renames the next build can repair;
the leftovers of killed builds are removed, a running build's folder is left alone."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import site_builder.site.output as output
import site_builder.site.swap as swap
from site_builder.site.pipeline import build_site
from site_builder.site.swap import exchange, remove_stale_builds
from site_builder.site.verify import verify_site
from tests.conftest import FIXTURE_CONTENT


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a/旧.html").write_text("旧", "utf-8")
    (tmp_path / "b/新.html").write_text("新", "utf-8")
    if not exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("this system cannot exchange folders atomically")
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["新.html"]
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["旧.html"]


def test_leftovers_of_dead_builds_go_and_a_live_one_stays(tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    dead = dead_pid()
    (tmp_path / f".build-public-{dead}/2023").mkdir(parents=True)
    (tmp_path / f".build-public-{dead}-old").mkdir()
    live = tmp_path / f".build-public-{os.getppid()}"  # a running process: maybe a build
    live.mkdir()
    other = tmp_path / f".build-archive-{dead}"  # another output folder's: not ours
    other.mkdir()
    removed = remove_stale_builds(out)
    assert [p.name for p in removed] == [f".build-public-{dead}", f".build-public-{dead}-old"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([other.name, live.name, "public"])


def test_a_kill_between_the_two_renames_is_repaired(tmp_path: Path) -> None:
    """Without an atomic exchange the old site is renamed away first: killed right then,
    no `public/` exists; the next build puts the old site back before anything else."""
    out = tmp_path / "public"
    build_site(FIXTURE_CONTENT, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    dead = dead_pid()
    out.rename(tmp_path / f".build-public-{dead}-old")
    (tmp_path / f".build-public-{dead}").mkdir()  # the new site, never renamed in
    remove_stale_builds(out)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public-cache", "public"]


def test_the_two_rename_fallback_still_swaps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "exchange", lambda a, b: False)
    out = tmp_path / "public"
    build_site(FIXTURE_CONTENT, out)
    build_site(FIXTURE_CONTENT, out, "broadsheet")
    assert verify_site(out) == [] and (out / "static/broadsheet.css").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public-cache", "public"]


def test_a_long_block_is_flushed_as_it_runs_and_a_short_one_not_at_all(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    flushed: list[Path] = []
    monkeypatch.setattr(swap, "sync_filesystem", flushed.append)
    with swap.flushing(tmp_path, every=10.0):
        pass
    assert flushed == []  # (and the block did not wait ten seconds for the thread)
    with swap.flushing(tmp_path, every=0.02):
        time.sleep(0.3)
    assert len(flushed) >= 3 and set(flushed) == {tmp_path}
    count = len(flushed)
    time.sleep(0.1)
    assert len(flushed) == count  # the thread is gone with the block
    assert not [t for t in threading.enumerate() if t.name == "flush"]
