"""A `serve` preview running in a thread for tests: every build it makes is told on a queue,
so a test waits for the build an edit causes instead of sleeping."""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import threading
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from site_builder.cli import explain_failure
from site_builder.config import SiteConfig, load_config
from site_builder.models import Problem
from site_builder.site import serve as serving
from tests.conftest import FIXTURE_CONTENT

ARTICLE = "2023/10/31/20231031-3f9a2c1e"
TITLE = "title: 工会文化大餐火出圈的背后……"
TIMEOUT = 30.0  # seconds for a build to follow an edit (it takes well under one)


@dataclass(frozen=True)
class Build:
    changed: frozenset[Path] | None
    failure: BaseException | None


@dataclass
class Running:
    preview: serving.Preview
    project: Path
    builds: queue.Queue[Build] = field(default_factory=queue.Queue)
    settings_read: queue.Queue[SiteConfig | None] = field(default_factory=queue.Queue)
    log: list[str] = field(default_factory=list)  # "build", "settings", "broken settings", in order

    @property
    def content(self) -> Path:
        return self.project / "content"

    @property
    def site(self) -> Path:
        return self.project / "public"

    @property
    def article(self) -> Path:
        return self.content / f"{ARTICLE}.md"

    def next_build(self) -> Build:
        return self.builds.get(timeout=TIMEOUT)

    def next_settings(self) -> SiteConfig | None:
        return self.settings_read.get(timeout=TIMEOUT)

    def problems_shown(self) -> tuple[str, ...]:
        """The messages the pages are told, once there are some."""
        seen = -1
        while (news := self.preview.broadcast.wait(seen, TIMEOUT)) is not None:
            seen, state = news
            if state.problems:
                return state.problems
        raise AssertionError("the preview stopped")


@contextlib.contextmanager
def running_preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, quiet: bool = True) -> Iterator[Running]:
    """The fixture content copied to `tmp_path/project/content`, its settings in
    `project/site.yaml`, served (no search index: fast) until the block ends."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE_CONTENT, project / "content")
    settings_file = project / "site.yaml"
    settings_file.write_text("title: 工人日报数字版\n", encoding="utf-8")
    running: Running | None = None
    real_build_site, real_build = serving.build_site, serving.Preview.build
    told: list[tuple[frozenset[Path] | None, BaseException | None]] = []  # what build_site was given, and raised

    def build_site(*args: Any, **kwargs: Any) -> Any:
        changed = kwargs["changed"]
        told.append((None if changed is None else frozenset(changed), None))
        try:
            return real_build_site(*args, **kwargs)
        except BaseException as exc:
            told[-1] = (told[-1][0], exc)
            raise

    def build(preview: serving.Preview, changed: Collection[Path] | None) -> bool:
        # Told once the preview has taken the build's outcome in (its pages are told too).
        told.clear()
        try:
            return real_build(preview, changed)
        finally:
            assert running is not None and len(told) == 1
            running.log.append("build")
            running.builds.put(Build(*told[0]))

    def settings() -> tuple[SiteConfig | None, list[Problem]]:
        config, problems = load_config(settings_file)
        read = None if any(p.severity == "error" for p in problems) else config
        assert running is not None
        running.log.append("settings" if read is not None else "broken settings")
        running.settings_read.put(read)
        return read, problems

    monkeypatch.setattr(serving, "build_site", build_site)
    monkeypatch.setattr(serving.Preview, "build", build)
    preview = serving.Preview(project / "content", project / "public", "default", 0, None, settings=settings,
                              settings_file=settings_file, explain=explain_failure,
                              options=serving.Options(search=False, jobs=1, quiet=quiet))
    running = Running(preview, project)
    with preview:
        assert running.next_build() == Build(None, None)  # the first build: changed unknown
        running.log.clear()
        thread = threading.Thread(target=preview.run, name="preview", daemon=True)
        thread.start()
        try:
            yield running
        finally:
            preview.stop()
            thread.join(TIMEOUT)
    assert not thread.is_alive()


def save(path: Path, text: str) -> None:
    """As editors that keep a file whole do: a temporary file renamed over it."""
    temp = path.with_name(f".{path.name}.swx")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    save(path, text.replace(old, new, 1))
