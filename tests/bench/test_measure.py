"""The instrument itself: memory of a process tree, files written versus files changed, edits."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from bench.measure import CommandFailed, compare, measure, snapshot
from bench.scenarios import AddedEditions, ArticleEdit, change_template
from bench.trees import CachedArchive
from site_builder.site.content import read_content

MIB = 1 << 20
CONTENT = Path(__file__).resolve().parents[2] / "content"
HOLD = "import time; b = bytearray({mib} << 20); b[::4096] = b'x' * len(b[::4096]); time.sleep(1.5)"


def test_peak_memory_of_one_process_and_of_the_tree() -> None:
    one = measure([sys.executable, "-c", HOLD.format(mib=120)])
    assert 120 * MIB < one.max_rss < 200 * MIB
    # Two children of 120 MiB at the same time: the tree holds ~240 MiB, no single process does.
    code = ("import subprocess, sys; ps = [subprocess.Popen([sys.executable, '-c', sys.argv[1]]) for _ in '12'];"
            "[p.wait() for p in ps]")
    tree = measure([sys.executable, "-c", code, HOLD.format(mib=120)])
    assert tree.max_rss < 200 * MIB
    assert tree.tree_rss > 220 * MIB


def test_a_small_child_of_a_large_harness_is_measured_small() -> None:
    """Linux counts what a child shares with its parent before it execs its command: the
    harness's own 300 MiB are not the child's."""
    held = bytearray(300 << 20)
    held[::4096] = b"x" * len(held[::4096])
    small = measure([sys.executable, "-c", "import time; time.sleep(0.5)"])
    assert small.max_rss < 100 * MIB and small.tree_rss < 100 * MIB
    assert len(held) == 300 << 20  # (held until here)


def test_failed_command_raises_with_its_output() -> None:
    with pytest.raises(CommandFailed, match="boom"):
        measure([sys.executable, "-c", "import sys; print('boom', file=sys.stderr); sys.exit(3)"])


def test_written_versus_changed(tmp_path: Path) -> None:
    for name in "abcd":
        (tmp_path / f"{name}.html").write_text(name)
    before = snapshot(tmp_path)
    (tmp_path / "a.html").unlink()
    (tmp_path / "a.html").write_text("a")  # rewritten, same bytes
    (tmp_path / "b.html").write_text("B")  # changed
    (tmp_path / "c.html").unlink()  # removed
    (tmp_path / "e.html").write_text("e")  # new
    changes = compare(before, snapshot(tmp_path, before))
    assert changes.written == 4
    assert changes.changed_paths == ("b.html", "c.html", "e.html")


def test_edit_changes_one_sentence_and_never_the_cache(tmp_path: Path) -> None:
    cache, work = tmp_path / "cache", tmp_path / "work"
    for path in CONTENT.rglob("*.md"):
        target = cache / path.relative_to(CONTENT)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
        (work / target.relative_to(cache)).parent.mkdir(parents=True, exist_ok=True)
        os.link(target, work / target.relative_to(cache))
    edit = ArticleEdit.pick(work)
    cached = cache / edit.path.relative_to(work)
    original = cached.read_bytes()
    edit.apply(0)
    first = edit.path.read_bytes()
    edit.apply(1)
    assert len({original, first, edit.path.read_bytes()}) == 3
    old_lines, new_lines = original.decode().splitlines(), first.decode().splitlines()
    assert sum(a != b for a, b in zip(old_lines, new_lines, strict=True)) == 1  # one paragraph
    assert read_content(work)[1] == []
    assert cached.read_bytes() == original
    stamp = os.stat(cached).st_mtime_ns, os.stat(cached).st_size
    edit.restore()
    assert edit.path.read_bytes() == original
    # (put back with its time: to the build that read the original, the file is as it was)
    assert (edit.path.stat().st_mtime_ns, edit.path.stat().st_size) == stamp
    assert cached.read_bytes() == original


def test_added_editions_go_with_the_folders_they_made(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "2024").mkdir(parents=True)
    archive = CachedArchive(tmp_path, 1, content, tmp_path / "hugo", 40, 10, 0, 0.0)
    added = AddedEditions(archive, content)
    added.add(0)
    added.add(1)
    files = sorted(p.relative_to(content).as_posix() for p in content.rglob("*.md"))
    days = {f.rsplit("/", 1)[0] for f in files}
    assert len(days) == 2 and files and all(f.endswith(".md") for f in files)
    assert read_content(content)[1] == []
    added.remove()
    assert [p.relative_to(content).as_posix() for p in content.rglob("*")] == ["2024"]


def test_template_change_is_a_site_override(tmp_path: Path) -> None:
    change_template(tmp_path, 0)
    first = (tmp_path / "templates" / "article.html").read_text(encoding="utf-8")
    change_template(tmp_path, 1)
    assert 'data-rev="1"' in first and first != (tmp_path / "templates" / "article.html").read_text(encoding="utf-8")
