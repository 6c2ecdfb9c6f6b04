"""Re-running the ingest: unchanged seeds touch no file at all; an editor's correction is kept
and reported; the leftovers of a killed run are cleaned up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.ingest.write import STATE, write_content
from site_builder.site.pipeline import build_site

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def ingest(seeds: Path, content: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "ingest", "--seeds", str(seeds),
                           "--content", str(content)], capture_output=True, text=True, timeout=300, check=False)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Bytes, inode and modification time of every file: a rewrite with equal bytes shows too."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_unchanged_seeds_change_no_file(tmp_path: Path) -> None:
    seeds, content = tmp_path / "seeds", tmp_path / "content"
    shutil.copytree(SEEDS, seeds)
    assert ingest(seeds, content).returncode == 0
    before = snapshot(content)
    assert STATE in before and len(before) > 20
    again = ingest(seeds, content)
    assert again.returncode == 0, again.stderr
    assert snapshot(content) == before
    assert "0 written" in again.stdout and "0 removed" in again.stdout


def test_a_correction_is_kept_and_reported(tmp_path: Path) -> None:
    seeds, content = tmp_path / "seeds", tmp_path / "content"
    shutil.copytree(SEEDS, seeds)
    assert ingest(seeds, content).returncode == 0
    article = next(p for p in sorted(content.rglob("*.md")) if "工会" in p.read_text("utf-8"))
    corrected = article.read_text("utf-8").replace("工会", "工會", 1)
    article.write_text(corrected, "utf-8")
    for _ in range(2):  # and it stays kept on every later run
        result = ingest(seeds, content)
        assert result.returncode == 0
        assert f"{article}:1: kept: edited by hand, not overwritten" in result.stderr.splitlines()
        assert article.read_text("utf-8") == corrected
    # The corrected text is what the site shows.
    build_site(content, tmp_path / "public")
    page = tmp_path / "public" / article.relative_to(content).with_suffix(".html")
    assert "工會" in page.read_text("utf-8")


def test_leftovers_of_a_killed_ingest_are_removed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    folder = content / "2023/10/31"
    folder.mkdir(parents=True)
    dead = folder / ".20231031-3f9a2c1e.md.999999999.k3j4h5.tmp"  # no such process
    dead.write_bytes(b"---\nid: 2023")
    alive = folder / f".20231031-1d8e6b3a.md.{os.getppid()}.a1b2c3.tmp"  # a live process: not ours to delete
    alive.write_bytes(b"---\n")
    not_ours = folder / "notes.tmp"
    not_ours.write_bytes(b"")
    report = write_content(content, {"2023/10/31/20231031-3f9a2c1e.md": b"---\n"})
    assert report.stale_temps == ["2023/10/31/.20231031-3f9a2c1e.md.999999999.k3j4h5.tmp"]
    assert not dead.exists() and alive.exists() and not_ours.exists()
    assert (folder / "20231031-3f9a2c1e.md").read_bytes() == b"---\n"


def test_a_run_killed_half_way_is_not_taken_for_hand_edits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed after some of its writes (simulated), a run leaves files the next run, with
    other seeds, must still recognise as its own and update."""
    import site_builder.ingest.write as write

    content = tmp_path / "content"
    old = {f"2023/10/31/20231031-0000000{n}.md": f"---\nid: 旧{n}\n".encode() for n in range(5)}
    new = {rel: data.replace("旧".encode(), "新".encode()) for rel, data in old.items()}
    write_content(content, old)
    real, calls = write.atomic_write, []

    def dies_after_two(path: Path, data: bytes, *, sync_folder: bool = True) -> None:
        calls.append(path.name)
        if len(calls) == 4:  # the intent state, then two articles, then the kill
            raise KeyboardInterrupt
        real(path, data, sync_folder=sync_folder)

    monkeypatch.setattr(write, "atomic_write", dies_after_two)
    with pytest.raises(KeyboardInterrupt):
        write_content(content, new)
    monkeypatch.setattr(write, "atomic_write", real)
    assert calls[0] == STATE and sum(p.read_bytes() in new.values() for p in content.rglob("*.md")) == 2
    report = write_content(content, old)  # back to the old seeds: every file is ours
    assert report.kept_edits == [] and len(report.written) == 2
    assert {p.relative_to(content).as_posix(): p.read_bytes() for p in content.rglob("*.md")} == old
