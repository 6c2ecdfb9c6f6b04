"""Read `seeds/editions.yaml`: which file is which edition's page, with line-numbered errors.

Format (a list of entries):

    - file: 000_da4d75aed8247b84.txt
      date: 2023-10-31
      date_source: content      # optional
      page: 3                   # optional, 版次
      page_name: 工会新闻        # optional, 版名
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePosixPath

import yaml

from site_builder.models import EditionEntry, Problem

KEYS = frozenset({"file", "date", "date_source", "page", "page_name"})
# libyaml's parser when PyYAML has it: an archive's manifest lists tens of thousands of pages.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_manifest(path: Path, label: str) -> tuple[list[EditionEntry], list[int], list[Problem]]:
    """Entries, the line of each entry, and every problem of the file."""
    problems: list[Problem] = []
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return [], [], []
    except UnicodeDecodeError as exc:
        return [], [], [Problem(label, 1, f"not UTF-8 text ({exc.reason})")]
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = int(mark.line) + 1 if mark is not None else 1
        return [], [], [Problem(label, line, f"malformed YAML: {getattr(exc, 'problem', None) or exc}")]
    if root is None:
        return [], [], []
    if not isinstance(root, yaml.SequenceNode):
        return [], [], [Problem(label, int(root.start_mark.line) + 1, "expected a list of entries (- file: …, date: …)")]
    entries: list[EditionEntry] = []
    lines: list[int] = []
    seen: dict[str, int] = {}
    constructor = yaml.SafeLoader("")
    for node in root.value:
        line = int(node.start_mark.line) + 1
        if not isinstance(node, yaml.MappingNode):
            problems.append(Problem(label, line, "an entry must be a mapping with 'file' and 'date'"))
            continue
        values: dict[str, object] = {}
        for key_node, value_node in node.value:
            key_line = int(key_node.start_mark.line) + 1
            if key_node.value not in KEYS:
                problems.append(Problem(label, key_line, f"unknown key '{key_node.value}' (known: {', '.join(sorted(KEYS))})"))
                continue
            try:
                values[key_node.value] = constructor.construct_object(value_node, deep=True)
            except (yaml.YAMLError, ValueError, TypeError) as exc:
                problems.append(Problem(label, key_line, f"'{key_node.value}': invalid value ({exc})"))
        file = values.get("file")
        if not isinstance(file, str) or not file.strip():
            problems.append(Problem(label, line, "entry without a 'file' name"))
            continue
        pure = PurePosixPath(file)
        if pure.is_absolute() or ".." in pure.parts or "\\" in file or len(pure.parts) != 1 or "\x00" in file:
            problems.append(Problem(label, line, f"'file' must be a file name in the seeds folder, not {file!r}"))
            continue
        if file in seen:
            problems.append(Problem(label, line, f"'{file}' is listed twice (first at line {seen[file]})"))
            continue
        seen[file] = line
        date = values.get("date")
        if isinstance(date, dt.datetime):
            date = date.date()
        if isinstance(date, str):
            # A quoted date (`date: '2023-10-31'`) is a date all the same.
            try:
                date = dt.date.fromisoformat(date.strip())
            except ValueError:
                pass
        if date is not None and not isinstance(date, dt.date):
            problems.append(Problem(label, line, f"'date' must be a date like 2023-10-31, not {date!r}"))
            date = None
        page = values.get("page")
        if page is not None and (not isinstance(page, int) or isinstance(page, bool) or not 0 < page < 1000):
            problems.append(Problem(label, line, f"'page' must be a page number, not {page!r}"))
            page = None
        page_name = values.get("page_name")
        source = values.get("date_source")
        entries.append(EditionEntry(
            file=file, date=date if isinstance(date, dt.date) else None,
            date_source=str(source) if source is not None else None, page=page if isinstance(page, int) else None,
            page_name=str(page_name) if page_name is not None else None,
        ))
        lines.append(line)
    return entries, lines, problems
