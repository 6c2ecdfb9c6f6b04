"""The build records every file it wrote with its SHA-256; `check --out` finds any file
missing, altered or added, and a state that is missing, damaged or another folder's."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.site.pipeline import build_site
from site_builder.site.state import STATE_FILE, State, cache_dir
from site_builder.site.verify import site_files, verify_site
from tests.conftest import FIXTURE_CONTENT


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A site of the fixture content of its own (tests alter it)."""
    out = tmp_path / "public"
    build_site(FIXTURE_CONTENT, out)
    return out


def recorded(site: Path) -> dict[str, str]:
    with State.open(cache_dir(site)) as state:
        return {path: sha.hex() for path, sha in state.db.execute("SELECT path, sha256 FROM outputs")}


def test_the_build_records_every_file_with_its_digest(site: Path) -> None:
    files = recorded(site)
    assert sorted(files) == site_files(site)
    for rel, sha in files.items():
        assert sha == hashlib.sha256((site / rel).read_bytes()).hexdigest()


def test_two_builds_record_the_same_files(tmp_path: Path, site: Path) -> None:
    build_site(FIXTURE_CONTENT, tmp_path / "again")
    assert recorded(tmp_path / "again") == recorded(site)


def test_a_fresh_site_verifies(site: Path) -> None:
    assert verify_site(site) == []


def test_missing_altered_and_extra_files_are_found(built: Path) -> None:
    (built / "about.html").unlink()
    with (built / "index.html").open("ab") as f:
        f.write(b"<!-- changed -->")
    (built / "2023/10/31/evil.html").write_text("<script>alert(1)</script>", "utf-8")
    (built / "static/style.css").write_bytes((built / "static/style.css").read_bytes().replace(b"a", b"b", 1))
    assert [str(p) for p in verify_site(built)] == [
        f"{built}/2023/10/31/evil.html:1: extra file: not written by the build",
        f"{built}/about.html:1: missing: the build wrote it, it is gone",
        f"{built}/index.html:1: altered: its SHA-256 is not the one the build wrote",
        f"{built}/static/style.css:1: altered: its SHA-256 is not the one the build wrote",
    ]


def test_a_link_in_place_of_a_file_is_found(built: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.html").write_bytes((built / "about.html").read_bytes())
    (built / "about.html").unlink()
    os.symlink(tmp_path / "outside.html", built / "about.html")
    os.symlink(tmp_path, built / "elsewhere")
    messages = [str(p) for p in verify_site(built)]
    assert messages == [
        f"{built}/about.html:1: not a regular file (the build writes no links or devices)",
        f"{built}/elsewhere:1: extra file: not written by the build",
    ]


@pytest.mark.parametrize(("damage", "message"), [
    ("missing", "no build state: this folder was not written by a complete build"),
    ("corrupt", "damaged build state"),
    ("format", "build state of another format: this folder was not written by a complete build"),
    ("copy", "the build state describes another folder than"),
])
def test_a_state_that_cannot_vouch_for_the_site_is_one_problem(built: Path, tmp_path: Path, damage: str,
                                                               message: str) -> None:
    state = cache_dir(built) / STATE_FILE
    site = built
    if damage == "missing":
        state.unlink()
    elif damage == "corrupt":
        state.write_bytes(b"SQLite format 3\x00" + b"\x17" * 3000)
    elif damage == "format":
        with sqlite3.connect(state) as db:
            db.execute("UPDATE meta SET value = '0' WHERE key = 'format'")
    else:  # a copy of the site put where it was
        shutil.copytree(built, tmp_path / "copy")
        shutil.rmtree(built)
        (tmp_path / "copy").rename(built)
    problems = verify_site(site)
    assert len(problems) == 1 and message in str(problems[0]), problems


def test_check_command_exit_codes(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--out", str(built)]) == 0
    assert "0 problem(s)" in capsys.readouterr().out
    (built / "index.html").write_text("altered", "utf-8")
    assert main(["check", "--out", str(built)]) == 1
    assert f"{built}/index.html:1: altered" in capsys.readouterr().err
    # Both: content is checked as before, the site too; one problem anywhere fails the run.
    assert main(["check", "--content", str(FIXTURE_CONTENT), "--out", str(built)]) == 1
    captured = capsys.readouterr()
    assert "11 articles" in captured.out and "altered" in captured.err
    assert main(["check", "--content", str(FIXTURE_CONTENT)]) == 0
    assert main(["check", "--out", str(built.parent / "nowhere")]) == 1
    assert "no site here" in capsys.readouterr().err
