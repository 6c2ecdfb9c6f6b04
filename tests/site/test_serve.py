"""`build.py serve`: the OS's file events drive the rebuilds (one a save, with the paths
changed), editors' temporary files do not, a failed build or broken settings keep the
last good site served and say why, and what is written is what `build` writes."""

from __future__ import annotations

import filecmp
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.site.pipeline import BuildError, build_site
from tests.conftest import FIXTURE_CONTENT
from tests.site.previewing import ARTICLE, TITLE, Build, edit, running_preview, save

OTHER = "2022/08/16/20220816-07f2d6a4"


def test_a_save_is_one_rebuild_told_the_file_and_editors_files_are_none(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with running_preview(tmp_path, monkeypatch) as running:
        # Editors' files alone are no change; a save by rename is one rebuild, told its file.
        article = running.article
        article.with_name(f".{article.name}.swp").write_bytes(b"b0VIM 9.0")
        article.with_name(f"{article.name}___jb_tmp___").write_text("…", encoding="utf-8")
        (running.content / "_drafts").mkdir()
        (running.content / "_drafts" / "草稿.md").write_text("…", encoding="utf-8")
        (running.content / "notes.txt").write_text("…", encoding="utf-8")
        edit(article, TITLE, "title: 工会文化大餐为何火出圈")
        assert running.next_build() == Build(frozenset({article}), None)
        assert "工会文化大餐为何火出圈" in (running.site / f"{ARTICLE}.html").read_text(encoding="utf-8")

        # A vim save: a probe file, the old file kept as a backup while the new one is written.
        other, text = running.content / f"{OTHER}.md", (running.content / f"{OTHER}.md").read_text(encoding="utf-8")
        probe, backup = other.with_name("4913"), other.with_name(f"{other.name}~")
        probe.write_text("", encoding="utf-8")
        probe.unlink()
        os.replace(other, backup)
        other.write_text(text.replace("title: ", "title: 改", 1), encoding="utf-8")
        backup.unlink()
        built = running.next_build()
        if built.changed == {other} and not other.exists():
            built = running.next_build()  # (a machine so busy that the save came in two parts)
        assert built == Build(frozenset({other}), None)
        assert running.builds.empty()


def test_broken_settings_keep_the_site_served_and_the_changes_wait_for_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with running_preview(tmp_path, monkeypatch) as running:
        settings_file = running.project / "site.yaml"
        save(settings_file, "title: '工人日报 网络版\n")  # unclosed quote
        assert running.next_settings() is None
        assert all(p.startswith(f"{settings_file}:") for p in running.problems_shown())
        edit(running.article, TITLE, "title: 工会文化大餐为何火出圈")  # saved while the settings are broken
        save(settings_file, "title: 工人日报 网络版\n")
        assert running.next_settings() is not None
        changed = set(running.next_build().changed or ())
        if running.article not in changed:  # (the two saves can come as two batches, either first)
            changed |= running.next_build().changed or ()
        assert changed == {settings_file, running.article}
        assert running.log[:2] == ["broken settings", "settings"]  # nothing built while they were broken
        assert "<title>工人日报 网络版</title>" in (running.site / "index.html").read_text(encoding="utf-8")
        assert running.preview.broadcast.current().problems == ()
    out = capsys.readouterr().out
    assert out.count("settings have errors; still serving the previous site") >= 1


def test_a_failed_build_shows_why_keeps_the_site_and_its_changes_are_built_with_the_fix(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with running_preview(tmp_path, monkeypatch) as running:
        page = running.site / f"{ARTICLE}.html"
        before = page.read_bytes()
        edit(running.article, TITLE, f"titel: 标题\n{TITLE}")
        failed = running.next_build()
        assert isinstance(failed.failure, BuildError) and failed.changed == {running.article}
        state = running.preview.broadcast.current()
        assert state.problems == (f"{running.article}:4: unknown key 'titel' (did you mean 'title'?)",)
        assert page.read_bytes() == before  # still served
        other = running.content / f"{OTHER}.md"
        edit(other, "title: ", "title: 改")
        assert isinstance(running.next_build().failure, BuildError)
        edit(running.article, f"titel: 标题\n{TITLE}", "title: 工会文化大餐为何火出圈")
        # Built with every path changed since the last build that succeeded.
        assert running.next_build() == Build(frozenset({running.article, other}), None)
        assert running.preview.broadcast.current().problems == ()
        assert running.preview.broadcast.current().version != state.version
    captured = capsys.readouterr()
    assert "unknown key 'titel'" in captured.err + captured.out
    assert "build failed: 1 problem(s); still serving the previous site" in captured.out


def test_a_template_error_is_shown_and_an_overrides_folder_made_while_serving_is_watched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with running_preview(tmp_path, monkeypatch) as running:
        templates = running.project / "templates"
        templates.mkdir()
        assert running.next_build().changed == {templates}
        override = templates / "article.html"
        save(override, '{% extends "base.html" %}{% block main %}{% if %}{% endblock %}')
        build = running.next_build()
        assert build.changed == {override} and build.failure is not None
        (problem,) = running.preview.broadcast.current().problems
        assert problem.startswith(f"{override}:1: Expected an expression")
        save(override, '{% extends "base.html" %}{% block main %}<p>改过的模板</p>{% endblock %}')
        assert running.next_build() == Build(frozenset({override}), None)
        assert "改过的模板" in (running.site / f"{ARTICLE}.html").read_text(encoding="utf-8")


def test_a_content_folder_made_again_is_watched_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with running_preview(tmp_path, monkeypatch) as running:
        shutil.copytree(FIXTURE_CONTENT, tmp_path / "again")
        shutil.rmtree(running.content)  # as `rm -rf content` before an ingest
        os.rename(tmp_path / "again", running.content)
        while running.content not in (running.next_build().changed or ()):
            pass  # (its removal and its making again may come as two builds)
        edit(running.article, TITLE, "title: 工会文化大餐为何火出圈")
        page = running.site / f"{ARTICLE}.html"
        while "工会文化大餐为何火出圈" not in page.read_text(encoding="utf-8"):
            running.next_build()  # (queue.Empty after a while: the save was not seen)


def test_what_serve_writes_is_what_build_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with running_preview(tmp_path, monkeypatch) as running:
        edit(running.article, TITLE, "title: 工会文化大餐为何火出圈")
        assert running.next_build().failure is None
        plain = tmp_path / "plain"
        build_site(running.content, plain, jobs=1, search=False)  # (as the preview: no search index)
        served = sorted(p.relative_to(running.site) for p in running.site.rglob("*") if p.is_file())
        assert served == sorted(p.relative_to(plain) for p in plain.rglob("*") if p.is_file())
        _match, mismatch, errors = filecmp.cmpfiles(running.site, plain, [str(p) for p in served], shallow=False)
        assert mismatch == errors == []
        assert not [p for p in served if b"__serve" in (running.site / p).read_bytes()]


def test_a_port_in_use_is_said_plainly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["serve", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "public"),
                     "--config", str(tmp_path / "site.yaml"), "--port", str(port)])
    assert code == 1
    assert f"port {port} is in use (another serve?); stop it or choose another with --port" in capsys.readouterr().err
    assert not (tmp_path / "public").exists()  # found before building


def test_ctrl_c_stops_serve_and_frees_the_output(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE_CONTENT, project / "content")
    command = [sys.executable, "build.py", "serve", "--content", str(project / "content"),
               "--out", str(project / "public"), "--config", str(project / "site.yaml"), "--port", "0",
               "--no-search", "--jobs", "1"]
    root = Path(__file__).parents[2]
    with subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          env={**os.environ, "PYTHONUNBUFFERED": "1"}) as proc:
        assert proc.stdout is not None
        watchdog = threading.Timer(60, proc.kill)  # (a serve that never says it serves)
        watchdog.start()
        for line in proc.stdout:
            if line.startswith("serving http://127.0.0.1:"):
                break
        watchdog.cancel()
        proc.send_signal(signal.SIGINT)
        rest = proc.communicate(timeout=30)[0]
    assert proc.returncode == 0, rest
    assert rest.strip().endswith("stopped") and "Traceback" not in rest
    # The build lock is free again: a build can run.
    assert main(["build", "--content", str(project / "content"), "--out", str(project / "public"),
                 "--config", str(project / "site.yaml"), "--no-search", "--jobs", "1"]) == 0
