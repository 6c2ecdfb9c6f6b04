"""`build.py serve`: the preview rebuilds when the content or the settings change, and keeps
serving the last good site while the settings have errors."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from site_builder.config import SiteConfig, load_config
from site_builder.site import serve as serving
from tests.conftest import FIXTURE_CONTENT


def test_serve_rebuilds_when_the_settings_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "project" / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    settings_file = content.parent / "site.yaml"
    site = content.parent / "public"
    stamp = iter(range(1, 100))

    def save(text: str) -> Callable[[], None]:
        def step() -> None:
            settings_file.write_text(text, encoding="utf-8")
            second = next(stamp)
            os.utime(settings_file, ns=(second * 10**9, second * 10**9))  # a new mtime, whatever the clock
        return step

    def check(title: str) -> Callable[[], None]:
        return lambda: assert_title(site, title)

    steps: Iterator[Callable[[], None]] = iter([
        check("工人日报数字版"),
        save("title: '工人日报 网络版\n"),  # unclosed quote: an error
        check("工人日报数字版"),  # the previous site, still served
        save("title: 工人日报 网络版\n"),
        check("工人日报 网络版"),
    ])

    def tick(_seconds: float) -> None:
        step = next(steps, None)
        if step is None:
            raise KeyboardInterrupt
        step()

    def settings() -> SiteConfig | None:
        config, problems = load_config(settings_file)
        return None if any(p.severity == "error" for p in problems) else config

    monkeypatch.setattr(serving.time, "sleep", tick)
    save("title: 工人日报数字版\n")()
    serving.serve(content, site, "default", 0, settings(), settings=settings, settings_file=settings_file)
    out = capsys.readouterr().out
    assert out.count("settings have errors; still serving the previous site") == 1
    assert out.count("built ") == 2  # at the start, and once the settings were mended


def assert_title(site: Path, title: str) -> None:
    assert f"<title>{title}</title>" in (site / "index.html").read_text(encoding="utf-8")


def test_serve_without_a_settings_file_rebuilds_with_the_settings_given(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "project" / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    site = content.parent / "public"
    article = next(content.rglob("20231031-3f9a2c1e.md"))
    page = site / "2023/10/31/20231031-3f9a2c1e.html"
    steps: Iterator[Callable[[], None]] = iter([
        lambda: _replace(article, "title: 工会文化大餐火出圈的背后……", "title: 工会文化大餐为何火出圈"),
        lambda: None,
    ])

    def tick(_seconds: float) -> None:
        step = next(steps, None)
        if step is None:
            raise KeyboardInterrupt
        step()

    monkeypatch.setattr(serving.time, "sleep", tick)
    serving.serve(content, site, "default", 0)
    assert "工会文化大餐为何火出圈" in page.read_text(encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(10**18, 10**18))  # a new mtime, whatever the clock
