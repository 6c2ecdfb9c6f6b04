"""build_site: staging and swap, the post-render hook, themes and template overrides."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_builder.site.pipeline import BuildError, build_site
from tests.conftest import FIXTURE_CONTENT


def test_a_failing_build_keeps_the_previous_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from site_builder.site import produce

    out = tmp_path / "public"
    build_site(FIXTURE_CONTENT, out)
    before = (out / "index.html").read_bytes()

    def broken(*args: object) -> list[object]:
        raise RuntimeError("模板出错")

    monkeypatch.setitem(produce.PRODUCERS, "home", broken)
    with pytest.raises(RuntimeError):
        build_site(FIXTURE_CONTENT, out, "broadsheet")
    assert (out / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public-cache", "public"]


def test_rebuild_replaces_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    (out / "stale.html").write_text("old", encoding="utf-8")
    build_site(FIXTURE_CONTENT, out)
    assert not (out / "stale.html").exists() and (out / "index.html").exists()


def test_unknown_theme(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="unknown theme 'nope'"):
        build_site(FIXTURE_CONTENT, tmp_path / "public", "nope")
    assert not (tmp_path / "public").exists()


def test_site_can_override_one_template(tmp_path: Path) -> None:
    content = tmp_path / "site" / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    (tmp_path / "site/templates").mkdir()
    (tmp_path / "site/templates/404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>走错了</h1>{% endblock %}\n', encoding="utf-8"
    )
    out = tmp_path / "public"
    build_site(content, out, "broadsheet")
    assert "<h1>走错了</h1>" in (out / "404.html").read_text(encoding="utf-8")
    assert "工人日報" in (out / "404.html").read_text(encoding="utf-8")  # theme's masthead kept
    assert "走错了" not in (out / "about.html").read_text(encoding="utf-8")


def test_progress_is_reported(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    build_site(FIXTURE_CONTENT, tmp_path / "public", progress=lambda *a: calls.append(a))
    assert calls[0] == ("read", 11, 11)  # (the files read: all, the first time)
    # Every scope of a first build: 3 editions, 7 provinces with 9 province-years, 9
    # reporters with 10 reporter-years, 2 years of calendars and of sitemaps, 3 months of
    # data, and 10 scopes of the whole site.
    assert calls[-1] == ("render", 55, 55)


def test_empty_content_builds(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    report = build_site(tmp_path / "content", tmp_path / "public")
    assert report.articles == 0 and (tmp_path / "public/index.html").is_file()


def test_cli_no_search_renders_the_pages_only(tmp_path: Path) -> None:
    """`build --no-search` (for timing the render): the search page but no index; the next
    build without the flag adds the index."""
    from site_builder import cli

    out = tmp_path / "public"
    assert cli.main(["build", "--content", str(FIXTURE_CONTENT), "--out", str(out), "--no-search"]) == 0
    assert (out / "index.html").is_file() and (out / "search/index.html").is_file()
    assert sorted(p.name for p in (out / "search").iterdir()) == ["index.html"]
    assert cli.main(["build", "--content", str(FIXTURE_CONTENT), "--out", str(out)]) == 0
    assert (out / "search/catalog.js").is_file() and (out / "search/g").is_dir() and (out / "search/d").is_dir()


