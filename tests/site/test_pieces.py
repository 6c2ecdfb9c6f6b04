"""The bulk data file is re-made piece by piece: an edit re-makes its edition's lines only,
and a store that does not match its file, or older code, is never used."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_builder.formats import data
from site_builder.site import pieces
from site_builder.site.cache import cache_dir
from site_builder.site.pipeline import PIECES, build_site
from tests.conftest import FIXTURE_CONTENT
from tests.site.test_incremental import WENZHOU, change_body, edit

JSONL = "data/articles.jsonl"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "project" / "content"
    shutil.copytree(FIXTURE_CONTENT, folder)
    return folder


def made_editions(content: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Build `content` (incrementally); the dates of the editions whose lines were made."""
    made: list[str] = []
    real = data._edition_lines

    def counted(edition: data.Edition) -> str:
        made.append(edition.date.isoformat())
        return real(edition)

    monkeypatch.setattr(data, "_edition_lines", counted)
    build_site(content, content.parent / "public")
    return made


def clean_jsonl(content: Path, tmp_path: Path) -> bytes:
    clean = tmp_path / "clean" / "public"
    build_site(content, clean, full=True)
    return (clean / JSONL).read_bytes()


def test_an_edit_remakes_the_lines_of_its_edition_only(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = content.parent / "public"
    first = made_editions(content, monkeypatch)
    assert len(first) == len(set(first)) >= 3  # every edition, once
    change_body(content)
    assert made_editions(content, monkeypatch) == ["2023-10-31"]
    assert (site / JSONL).read_bytes() == clean_jsonl(content, tmp_path)
    # The store holds the live file itself (a hard link), not a copy.
    assert (cache_dir(site) / PIECES / "data_articles.jsonl" / pieces.DATA).stat().st_ino == (site / JSONL).stat().st_ino


def test_other_code_or_a_store_not_matching_its_file_remakes_every_edition(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = content.parent / "public"
    every = sorted(made_editions(content, monkeypatch))
    store = cache_dir(site) / PIECES / "data_articles.jsonl"

    def rebuild_after(text: str) -> list[str]:
        edit(content / f"{WENZHOU}.md", "视频在", text)
        return sorted(made_editions(content, monkeypatch))

    # The file replaced by another (a build killed between the link and the index).
    (store / pieces.DATA).unlink()
    (store / pieces.DATA).write_bytes((site / JSONL).read_bytes())
    assert rebuild_after("视频在1") == every
    # A damaged index.
    (store / pieces.INDEX).write_text("{not json", encoding="utf-8")
    assert rebuild_after("视频在2") == every
    # Other code, reading an index of this code, and this code reading the other's.
    assert rebuild_after("视频在3") == ["2023-10-31"]
    with monkeypatch.context() as other:
        other.setattr(pieces, "code_fingerprint", lambda: "other code")
        assert rebuild_after("视频在4") == every
    assert rebuild_after("视频在5") == every
    assert (site / JSONL).read_bytes() == clean_jsonl(content, tmp_path)


def test_a_full_build_uses_nothing_kept(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    every = sorted(made_editions(content, monkeypatch))
    made: list[str] = []
    real = data._edition_lines
    monkeypatch.setattr(data, "_edition_lines", lambda e: made.append(e.date.isoformat()) or real(e))
    build_site(content, content.parent / "public", full=True)
    assert sorted(made) == every
