"""Killing a build or an ingest (SIGKILL) at any moment loses nothing.

Build: the live site is always a complete site, the previous one or the new one, verified file
by file against the build state; the next build cleans up after the killed one. Ingest: every file
in content/ is whole (the old or the new version, never a mix), and the next run finishes the
job without mistaking the killed run's writes for an editor's corrections.

Kill points: for each command, a few are events seen in the file system (the lock taken, the
staging folder made, pages written, the state committed, the swap done; a temporary file, the
state file, the first new article), the rest are random delays
(seeded) over the measured length of a whole run. Only the main process is killed, the way
`kill -9` does; a child it leaves (a render worker) must go away by itself.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from site_builder.ingest.pipeline import content_files, ingest_pages, read_pages
from site_builder.site.content import read_content
from site_builder.site.lock import lock_path
from site_builder.site.pipeline import build_site
from site_builder.site.state import State, cache_dir, folder_identity, previous_files
from site_builder.site.verify import verify_site
from tests.conftest import FIXTURE_CONTENT

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
KILLS = 20
SEED = 8

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")


def spawn(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def live_members(group: int) -> list[int]:
    """Processes of a process group that are still running (zombies nobody reaps excluded)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                alive.append(int(entry.name))
    return alive


def kill(proc: subprocess.Popen[bytes], when: Callable[[], bool] | float, timeout: float = 120) -> str:
    """SIGKILL `proc` after `when` seconds or as soon as `when()` holds; 'finished' if it ended first."""
    deadline = time.monotonic() + timeout
    if isinstance(when, float):
        try:
            proc.wait(timeout=when)
            return "finished"
        except subprocess.TimeoutExpired:
            pass
    else:
        # Polled every 2 ms: often enough to land inside a step, rarely enough to leave the
        # two cores to the run under test.
        while not when():
            if proc.poll() is not None:
                return "finished"
            assert time.monotonic() < deadline, "kill point never reached"
            time.sleep(0.002)
    if proc.poll() is not None:
        return "finished"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # Children (render workers) see their pipe from the killed build close and exit on their own.
    deadline = time.monotonic() + 30
    while live_members(proc.pid):
        assert time.monotonic() < deadline, f"children of a killed run keep running: {live_members(proc.pid)}"
        time.sleep(0.01)
    return "killed"


# ---------------------------------------------------------------- build


def fingerprint(site: Path) -> dict[str, str]:
    """Every file of the live site with its SHA-256, as the build state records it."""
    with State.open(cache_dir(site)) as state:
        if state.get("live") == folder_identity(site):
            files = {path: sha for path, sha in state.db.execute("SELECT path, sha256 FROM outputs")}
        else:
            assert state.get("previous") == folder_identity(site)
            files = previous_files(state)
    return {rel: sha.hex() for rel, sha in files.items()}


def test_killed_builds_leave_a_complete_site(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    variants = {"a": tmp_path / "content-a", "b": tmp_path / "content-b"}
    shutil.copytree(FIXTURE_CONTENT, variants["a"])
    shutil.copytree(FIXTURE_CONTENT, variants["b"])
    edited = variants["b"] / "2023/10/31/20231031-3f9a2c1e.md"
    edited.write_text(edited.read_text("utf-8").replace("火出圈的背后", "火出圈的背后（修订）"), "utf-8")
    out = tmp_path / "public"
    expected = {}
    for name in ("b", "a"):  # reference sites; the live one starts as a
        build_site(variants[name], out, full=True)
        expected[name] = fingerprint(out)
    assert expected["a"] != expected["b"]
    started = time.monotonic()
    first = spawn("build", "--content", str(variants["a"]), "--out", str(out))
    assert first.wait(timeout=300) == 0
    whole = time.monotonic() - started
    live = "a"

    def staging(pid: int) -> Path:
        return tmp_path / f".build-public-{pid}"

    events: dict[str, Callable[[int], bool]] = {
        "lock taken": lambda pid: lock_path(out).exists() and lock_path(out).read_text().strip() == str(pid),
        "staging made": lambda pid: staging(pid).is_dir(),
        "pages written": lambda pid: (staging(pid) / "index.html").exists(),
        "search page": lambda pid: (staging(pid) / "search/index.html").exists(),
        "state committed": lambda pid: folder_identity(out) != committed(),
        "search index": lambda pid: (staging(pid) / "search/catalog.js").exists(),
    }
    points: list[tuple[str, float]] = [(name, 0.0) for name in events] + [("swapped", 0.0)]
    points += [("random", rng.uniform(0, 1.1 * whole)) for _ in range(KILLS - len(points))]
    outcomes: Counter[str] = Counter()
    def committed() -> str | None:
        try:
            with State.open(cache_dir(out)) as state:
                return state.get("live")
        except Exception:  # (being written: read again)
            return folder_identity(out)

    for point, delay in points:
        target = "b" if live == "a" else "a"
        inode = out.stat().st_ino
        proc = spawn("build", "--content", str(variants[target]), "--out", str(out))
        if point == "random":
            how = kill(proc, delay)
        elif point == "swapped":
            how = kill(proc, lambda old=inode: out.exists() and out.stat().st_ino != old)
        else:
            how = kill(proc, lambda event=events[point], pid=proc.pid: event(pid))
        problems = verify_site(out)
        assert problems == [], (point, delay, how, problems)
        now = fingerprint(out)
        assert now in (expected[live], expected[target]), (point, delay)
        result = "new" if now == expected[target] else "old"
        outcomes[f"{how} → {result}"] += 1
        live = target if result == "new" else live
    # Both outcomes happened: kills before the swap kept the old site, after it the new one.
    assert outcomes["killed → old"] >= len(events) - 1 and outcomes["killed → new"] + outcomes["finished → new"] >= 1
    print(f"\nbuild: {len(points)} kill points over a {whole:.2f}s build: {dict(outcomes)}")
    # The next build runs (no stale lock), cleans up every leftover and finishes the site.
    final = spawn("build", "--content", str(variants["a"]), "--out", str(out))
    assert final.wait(timeout=300) == 0
    assert verify_site(out) == [] and fingerprint(out) == expected["a"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public-cache", ".public.lock", "content-a", "content-b", "public"]


# ---------------------------------------------------------------- ingest


def seeds_variant(folder: Path, revised: bool) -> Path:
    """The four seed pages as two editions each (more files to write); the revised variant
    renames every page (版名) and moves one edition to another day."""
    folder.mkdir()
    entries = yaml.safe_load((SEEDS / "editions.yaml").read_text("utf-8"))
    out = []
    for copy in range(2):
        for entry in entries:
            name = entry["file"].replace(".txt", f"-{copy}.txt")
            shutil.copyfile(SEEDS / entry["file"], folder / name)
            date = entry["date"] + dt.timedelta(days=7 * copy + (1 if revised and copy == 1 else 0))
            page_name = f"{entry.get('page_name') or '要闻'}{'（修订）' if revised else ''}"
            out.append({**entry, "file": name, "date": date, "page_name": page_name})
    (folder / "editions.yaml").write_text(yaml.safe_dump(out, allow_unicode=True), "utf-8")
    return folder


def reference(seeds: Path) -> dict[str, bytes]:
    pages, _ = read_pages(seeds)
    return content_files(ingest_pages(pages))


def files_of(content: Path) -> dict[str, bytes]:
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in content.rglob("*")
            if p.is_file() and not p.name.startswith(".")}


def test_killed_ingests_leave_whole_files(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    seeds = {"x": seeds_variant(tmp_path / "seeds-x", False), "y": seeds_variant(tmp_path / "seeds-y", True)}
    expected = {name: reference(folder) for name, folder in seeds.items()}
    assert expected["x"].keys() != expected["y"].keys() and len(expected["x"]) > 50
    content = tmp_path / "content"
    started = time.monotonic()
    first = spawn("ingest", "--seeds", str(seeds["x"]), "--content", str(content))
    while not content.is_dir() and first.poll() is None:  # when writing starts
        time.sleep(0.002)
    writing = time.monotonic() - started
    assert first.wait(timeout=300) == 0
    whole = time.monotonic() - started
    assert files_of(content) == expected["x"]
    live = "x"
    state = content / ".ingest-state.json"

    def temp_file() -> bool:
        return any(p.name.endswith(".tmp") for p in content.rglob(".*"))

    def state_changed(inode: int) -> Callable[[], bool]:
        return lambda: state.exists() and state.stat().st_ino != inode

    def stamps() -> dict[Path, tuple[int, int]]:
        return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in content.rglob("*.md")}

    def files_changed(count: int) -> Callable[[], bool]:
        before = stamps()
        return lambda: sum(1 for p, stamp in stamps().items() if before.get(p) != stamp) >= count

    points: list[tuple[str, float]] = [("temp file", 0), ("state", 0), ("1 file", 0), ("10 files", 0)]
    # Most of a run is start-up and reading: half the random points fall in the writing part.
    points += [("random", rng.uniform(0, whole) if n % 2 else rng.uniform(0.8 * writing, 1.1 * whole))
               for n in range(KILLS - len(points))]
    outcomes: Counter[str] = Counter()
    leftovers = 0
    for point, delay in points:
        target = "y" if live == "x" else "x"
        events = {"temp file": temp_file, "state": state_changed(state.stat().st_ino),
                  "1 file": files_changed(1), "10 files": files_changed(10)}
        proc = spawn("ingest", "--seeds", str(seeds[target]), "--content", str(content))
        how = kill(proc, events.get(point, delay))
        now = files_of(content)
        for rel, data in now.items():  # every file whole: one version or the other
            assert data in (expected["x"].get(rel), expected["y"].get(rel)), (point, delay, rel)
        json.loads(state.read_text("utf-8"))  # the state file is whole too
        articles, problems = read_content(content)
        assert [p for p in problems if p.severity == "error"] == [] and articles
        leftovers += sum(1 for p in content.rglob(".*.tmp"))
        result = "new" if now == expected[target] else "old" if now == expected[live] else "mixed"
        assert how == "killed" or result == "new", (point, delay, "a whole run left an incomplete content/")
        outcomes[f"{how} → {result}"] += 1
        live = target if result == "new" else live if result == "old" else target
    print(f"\ningest: {len(points)} kill points over a {whole:.2f}s ingest (writing from {writing:.2f}s): "
          f"{dict(outcomes)}, "
          f"{leftovers} temporary files left by killed runs")
    assert outcomes["killed → mixed"] >= 1  # some kills did land while files were being written
    # The next run completes the job; nothing a killed run wrote is taken for a hand edit.
    for name in ("y", "x") if live == "x" else ("x", "y"):
        final = subprocess.run([sys.executable, str(ROOT / "build.py"), "ingest", "--seeds", str(seeds[name]),
                                "--content", str(content)], capture_output=True, text=True, timeout=300, check=False)
        assert final.returncode == 0, final.stderr
        assert "kept: edited by hand" not in final.stderr
        assert files_of(content) == expected[name]
        assert not list(content.rglob("*.tmp"))
