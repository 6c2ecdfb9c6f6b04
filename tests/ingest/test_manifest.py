"""editions.yaml: what an editor writes is read as meant, and mistakes are named by line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from site_builder.ingest.manifest import read_manifest


def test_a_quoted_date_is_a_date(tmp_path: Path) -> None:
    (tmp_path / "editions.yaml").write_text(
        "- file: a.txt\n  date: '2023-10-31'\n- file: b.txt\n  date: \"2022-08-16\"\n- file: c.txt\n  date: 2022-09-16\n",
        "utf-8")
    entries, lines, problems = read_manifest(tmp_path / "editions.yaml", "editions.yaml")
    assert problems == []
    assert [e.date for e in entries] == [dt.date(2023, 10, 31), dt.date(2022, 8, 16), dt.date(2022, 9, 16)]
    assert lines == [1, 3, 5]


def test_a_date_that_is_none_is_named_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "editions.yaml").write_text("- file: a.txt\n  date: '2023-13-31'\n- file: b.txt\n  date: soon\n", "utf-8")
    entries, _, problems = read_manifest(tmp_path / "editions.yaml", "editions.yaml")
    assert [str(p) for p in problems] == [
        "editions.yaml:1: 'date' must be a date like 2023-10-31, not '2023-13-31'",
        "editions.yaml:3: 'date' must be a date like 2023-10-31, not 'soon'",
    ]
    assert [e.date for e in entries] == [None, None]
