"""The output manifest: every file with its SHA-256; `check --out` finds any file missing,
altered or added, and a missing or corrupt manifest."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path, PurePosixPath
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.cli import main
from site_builder.site import manifest
from site_builder.site.manifest import (
    MANIFEST,
    FileEntry,
    _all_safe,
    _safe,
    file_sha256,
    load_manifest,
    manifest_bytes,
    manifest_text,
    signed_otherwise,
    site_files,
    verify_site,
    write_manifest,
)
from site_builder.site.pipeline import build_site
from tests.conftest import FIXTURE_CONTENT


@pytest.fixture
def built(tmp_path: Path, site: Path) -> Path:
    """A private copy of the fixture site (tests alter it)."""
    out = tmp_path / "public"
    shutil.copytree(site, out)
    return out


def test_the_build_lists_every_file_with_its_digest(site: Path) -> None:
    raw = (site / MANIFEST).read_bytes()
    data = json.loads(raw)
    assert data["format"] == 1
    files = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p.name != MANIFEST]
    assert sorted(data["files"]) == sorted(files) == site_files(site)
    for rel, entry in data["files"].items():
        assert entry["sha256"] == hashlib.sha256((site / rel).read_bytes()).hexdigest()
        # Every file is one the build rendered, with its build key (the search index's too).
        assert len(entry["key"]) == 32, rel
    # Sorted keys, one-space indent, '\n' newlines and a final one: the same bytes every time.
    assert raw == (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
    assert b"\r" not in raw
    assert load_manifest(site) == {rel: FileEntry(e["sha256"], e["key"]) for rel, e in data["files"].items()}


def test_two_builds_write_the_same_manifest(tmp_path: Path, site: Path) -> None:
    build_site(FIXTURE_CONTENT, tmp_path / "again")
    assert (tmp_path / "again" / MANIFEST).read_bytes() == (site / MANIFEST).read_bytes()


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


@pytest.mark.parametrize(("text", "message"), [
    (None, "no manifest: this folder was not written by a complete build"),
    ("{", "corrupt manifest: not valid JSON"),
    ('{"format": 2, "files": {}}', "corrupt manifest: not a format 1 manifest"),
    ('{"format": 1, "files": {"../../etc/passwd": {"sha256": "00"}}}', "corrupt manifest: entry '../../etc/passwd'"),
    ('{"format": 1, "files": {"/etc/passwd": {"sha256": "00"}}}', "corrupt manifest: entry '/etc/passwd'"),
    ('{"format": 1, "files": {"index.html": {"sha": "00"}}}', "corrupt manifest: entry 'index.html' has no"),
    # The first bad entry in the file's order is named, whatever is wrong with it.
    ('{"format": 1, "files": {"a": {"sha": "00"}, "../b": {"sha256": "00"}}}', "corrupt manifest: entry 'a' has no"),
    ('{"format": 1, "files": {"a": {"sha256": "00"}, "b//c": {"sha": "00"}}}', "corrupt manifest: entry 'b//c' is not"),
])
def test_a_missing_or_corrupt_manifest_is_one_problem(built: Path, text: str | None, message: str) -> None:
    if text is None:
        (built / MANIFEST).unlink()
    else:
        (built / MANIFEST).write_text(text, "utf-8")
    problems = verify_site(built)
    assert len(problems) == 1 and str(problems[0]).startswith(f"{built}/{MANIFEST}:1: {message}")
    assert load_manifest(built) is None


def test_write_and_load_round_trip(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("工会", "utf-8")
    entries = {"a.html": FileEntry(file_sha256(tmp_path / "a.html"), "k1")}
    write_manifest(tmp_path, entries)
    assert load_manifest(tmp_path) == entries
    assert (tmp_path / MANIFEST).read_bytes() == manifest_bytes(entries)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


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


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="a./\\\x00\n", max_size=12))
def test_a_manifest_path_is_safe_only_in_its_one_spelling_inside_the_site(rel: str) -> None:
    """The one-regex check agrees with path logic: relative, no `.` or `..` part, normalised."""
    pure = PurePosixPath(rel)
    inside = (rel not in ("", ".") and not pure.is_absolute() and not {".", ".."} & set(pure.parts)
              and "\\" not in rel and "\x00" not in rel and pure.as_posix() == rel)
    assert _safe(rel) == inside


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=8), st.builds(FileEntry, st.text(max_size=4), st.text(max_size=4)), max_size=4),
       st.text(max_size=6))
def test_the_manifest_is_written_as_json_dumps_would(files: dict[str, FileEntry], inputs: str) -> None:
    data: dict[str, object] = {"format": 1, "files": {r: {"sha256": e.sha256, "key": e.key} for r, e in files.items()}}
    if inputs:
        data["inputs"] = inputs
    expected = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    assert manifest_bytes(files, inputs) == expected.encode("utf-8")


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.text(alphabet="a./\\\x00\n", max_size=6), max_size=5))
def test_all_paths_are_safe_exactly_when_each_one_is(rels: list[str]) -> None:
    """The one look at every path (a path may hold a newline: then each is checked)."""
    assert _all_safe(rels) == all(_safe(rel) for rel in rels)


# What JSON escapes (quotes, backslashes, control characters) and what it writes as is with
# ensure_ascii=False (U+2028, DEL, emoji, Chinese, a lone surrogate), and any character.
_AWKWARD = st.text(st.sampled_from('a/."\\\x00\x1f\n\t\u2028\u2029\x7f\U0001f600工会\ud800') | st.characters(),
                   max_size=10)


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(_AWKWARD, st.builds(FileEntry, _AWKWARD, _AWKWARD), max_size=7), _AWKWARD,
       st.integers(1, 3))
def test_the_manifest_text_is_json_dumps_for_any_path(files: dict[str, FileEntry], inputs: str,
                                                      per_piece: int) -> None:
    """Strings quoted as json.dumps quotes them, entries joined across pieces of a few."""
    data: dict[str, object] = {"format": 1, "files": {r: {"sha256": e.sha256, "key": e.key} for r, e in files.items()}}
    if inputs:
        data["inputs"] = inputs
    with mock.patch.object(manifest, "_ENTRIES_PER_PIECE", per_piece):
        text = "".join(manifest_text(files, inputs))
    assert text == json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# An input signature: theme names and settings can be any text a file can hold.
_SIGNATURE = st.text(st.sampled_from('a:."\\\x1f\n\u2028工') | st.characters(blacklist_categories=("Cs",)),
                     max_size=12)


@settings(max_examples=300, deadline=None)
@given(written=_SIGNATURE, asked=_SIGNATURE, files=st.integers(0, 3))
def test_a_manifest_signed_otherwise_is_told_from_its_end(tmp_path_factory: pytest.TempPathFactory, written: str,
                                                          asked: str, files: int) -> None:
    """Never "other inputs" for the same ones; for short ones, always when they differ."""
    site = tmp_path_factory.mktemp("site")
    entries = {f"{n}.html": FileEntry("0" * 64, "1" * 32) for n in range(files)}
    (site / MANIFEST).write_bytes(manifest_bytes(entries, written))
    told = signed_otherwise(site, asked)
    assert not told or written != asked
    if written and asked != written and len(json.dumps(written, ensure_ascii=False).encode()) < 200:
        assert told


@pytest.mark.parametrize("text", [None, "", "{not json", '{"files": {}, "inputs": "x"}',
                                  '{\n "files": {},\n "format": 1,\n "inputs": "\\x"\n}\n'])
def test_a_manifest_end_not_as_the_build_writes_it_tells_nothing(tmp_path: Path, text: str | None) -> None:
    if text is not None:
        (tmp_path / MANIFEST).write_text(text, encoding="utf-8")
    assert not signed_otherwise(tmp_path, "y")
