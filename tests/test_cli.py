"""The command line's messages: plain lines for logs, rich only where it is needed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder import cli, console
from site_builder.models import Problem
from tests.conftest import FIXTURE_CONTENT

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _no_forced_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # (CI runners often set these; the plain path is the one a log gets without them.)
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)


def test_a_no_op_build_answers_without_importing_what_it_does_not_use(tmp_path: Path) -> None:
    """A no-op stats the content and stops: no progress bars (rich), no reading of article
    files (the front-matter reader, the state's rows), no pages (Jinja, Markdown), no pool of
    workers (multiprocessing: the walk's share is one fork)."""
    out = tmp_path / "public"
    settings = tmp_path / "site.yaml"
    settings.write_text("title: 工人日报数字版\n", "utf-8")  # (no base URL: a warning is printed)
    build = ["build", "--content", str(FIXTURE_CONTENT), "--out", str(out), "--no-search", "--config", str(settings)]
    assert cli.main(build) == 0
    unused = ["rich", "site_builder.site.content", "site_builder.frontmatter", "site_builder.site.rows", "jinja2",
              "markdown_it", "multiprocessing"]
    probe = ("import sys; from site_builder.cli import main; code = main(sys.argv[1:]); "
             f"print(sorted({{m.split('.')[0] if m.startswith(('rich', 'jinja2', 'markdown_it', 'multiprocessing')) else m "
             f"for m in sys.modules}} & set({unused!r}))); sys.exit(code)")
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    done = subprocess.run([sys.executable, "-c", probe, *build], capture_output=True, text=True, cwd=ROOT,
                          check=True, env=env)
    told, imported = done.stdout.splitlines()
    assert told.startswith(f"nothing changed: {out}/ is up to date (") and imported == "[]"
    assert f"{settings}:" in done.stderr and "warning: base_url is empty" in done.stderr


def test_messages_to_a_log_are_plain_lines_without_control_characters(capsys: pytest.CaptureFixture[str]) -> None:
    console.report_problems([Problem("content/2023/10/31/a\x1b]0;pwned\x07.md", 4, "unknown key 'x'"),
                          Problem("site.yaml", 2, "base_url is empty :smile:", "warning")])
    console.out.print("built\r 1 article", markup=False)
    captured = capsys.readouterr()
    # One line each, as written (no colour codes, no emoji made of `:smile:`), controls gone.
    assert captured.err == ("content/2023/10/31/a]0;pwned.md:4: unknown key 'x'\n"
                            "site.yaml:2: warning: base_url is empty :smile:\n")
    assert captured.out == "built 1 article\n"


def test_a_terminal_gets_rich_without_control_characters_or_emoji(monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # (rich's own switch: a terminal, whatever the stream)
    terminal = console.Console(stderr=True)
    terminal.print("a\x1b]0;pwned\x07:smile:.md:1: bad", markup=False, style="red")
    shown = capsys.readouterr().err
    assert "a]0;pwned:smile:.md:1: bad" in shown and "\x1b]" not in shown and "\x07" not in shown
    assert "\x1b[31m" in shown  # (in colour: it went through rich)


def test_a_long_message_stays_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    path = "content/" + "很长的文件夹/" * 40 + "a.md"
    console.report_problems([Problem(path, 1, "not valid UTF-8 (byte 3)")])
    assert capsys.readouterr().err == f"{path}:1: not valid UTF-8 (byte 3)\n"
