"""YAML read as nodes with their lines, refusing what no editor means: aliases, deep nesting.

Aliases (`*a`) can expand a few lines into gigabytes (billion laughs), and PyYAML's scanner is
quadratic in the depth of flow collections (`[[[[…`: a few kilobytes of brackets would take it
minutes). A problem comes back as a `Problem` on the line of the file it is on.

>>> root, problem = compose("title: 工会\\n", "site.yaml", first_line=1)
>>> type(root).__name__, problem
('MappingNode', None)
"""

from __future__ import annotations

import yaml

from site_builder.models import Problem

# libyaml's parser when PyYAML was built with it (the wheels are): ~5× faster on 10,000 files.
LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 50  # open brackets: no real value needs more than a handful


def compose(text: str, path: str, *, first_line: int) -> tuple[yaml.Node | None, Problem | None]:
    """The root node of `text` (None for an empty document), or the problem that stops it.
    `first_line`: the line of the file that `text` starts on."""
    deep = _too_deep(text, first_line)
    if deep is not None:
        return None, Problem(path, deep, f"malformed YAML: nested too deeply (more than {MAX_DEPTH} open brackets)")
    try:
        # (An alias needs a `*`: the parse for them is skipped when there is none.)
        alias = None
        if "*" in text:
            alias = next((e for e in yaml.parse(text, Loader=LOADER) if isinstance(e, yaml.AliasEvent)), None)
        if alias is not None:
            line = int(alias.start_mark.line) + first_line if alias.start_mark else first_line
            return None, Problem(path, line, "YAML aliases (*name) are not allowed")
        return yaml.compose(text, Loader=LOADER), None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = int(mark.line) + first_line if mark is not None else 1
        return None, Problem(path, line, f"malformed YAML: {getattr(exc, 'problem', None) or exc}")
    except RecursionError:
        return None, Problem(path, first_line, "malformed YAML: nested too deeply")


def line_of(node: yaml.Node, first_line: int) -> int:
    """The file line a node starts on (marks count from 0)."""
    return int(node.start_mark.line) + first_line


def _too_deep(text: str, first_line: int) -> int | None:
    """The line where brackets nest deeper than MAX_DEPTH (quotes not parsed: no real value
    holds 50 open brackets), or None."""
    if sum(text.count(c) for c in "[{") <= MAX_DEPTH:  # the common case, without a loop
        return None
    depth = 0
    for number, line in enumerate(text.split("\n"), first_line):
        for char in line:
            depth += char in "[{"
            depth -= char in "]}" and depth > 0
            if depth > MAX_DEPTH:
                return number
    return None
