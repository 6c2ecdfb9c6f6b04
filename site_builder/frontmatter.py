"""The `content/` contract: one article per Markdown file with YAML front-matter.

Both halves use this module: ingest writes with `dump_article`, build and check read with
`parse_article`. Reading is strict (unknown keys, wrong types, bad dates are errors) and
reports every problem of a file with its line, instead of stopping at the first.

>>> text = dump_article(article)          # doctest: +SKIP
>>> parse_article(text, "content/2023/10/31/x.md")  # doctest: +SKIP
(Article(id='20231031-3f9a2c1e', ...), [])
"""

from __future__ import annotations

import datetime as dt
import re
import reprlib
from typing import Any

import yaml

from site_builder.characters import clean_texts, is_clean
from site_builder.models import KINDS, Article, Author, Kind, Problem, Source, front_matter_values
from site_builder.yamlnodes import compose, line_of

ID_RE = re.compile(r"^[0-9]{8}-[0-9a-z][0-9a-z-]{0,62}$")

REQUIRED = ("id", "title", "date", "source")
# Order of keys in written files: the order of DESIGN.md.
KEY_ORDER = (
    "id", "kind", "title", "kicker", "subtitle", "column", "date", "page", "page_name",
    "dateline", "province", "places", "authors", "summary", "continued_from", "source",
    "also_in",
)
KNOWN = frozenset(KEY_ORDER)


class _Dumper(yaml.SafeDumper):
    """Block style, unicode kept, flow style only for short lists of scalars."""


# YAML's other line breaks: PyYAML's writer leaves them raw in plain and quoted scalars,
# libyaml's reader folds them to spaces. Double quotes write them as escapes (\N \L \P).
_OTHER_BREAKS = ("\x85", "\u2028", "\u2029")


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if any(c in value for c in _OTHER_BREAKS):
        style: str | None = '"'
    else:
        style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_article(article: Article) -> str:
    """Front-matter and body as the text of a `content/` file (deterministic)."""
    fm: dict[str, Any] = {}
    values = front_matter_values(article)
    for key in KEY_ORDER:
        if values[key] is not None and values[key] != []:  # empty lists are left out, like nulls
            fm[key] = values[key]
    head = yaml.dump(
        fm, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000,
        default_flow_style=None,
    )
    body = article.body.strip("\n")
    return f"---\n{head}---\n\n{body}\n" if body else f"---\n{head}---\n"


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(yaml text, body, line number where the body starts) or None without front-matter."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
    if end == -1:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            return None
    head = text[4 : end + 1]
    body = text[end + 5 :]
    body_line = head.count("\n") + 3
    return head, body, body_line



def _line(node: yaml.Node) -> int:
    return line_of(node, 2)  # front-matter starts on line 2 of the file (after `---`)


_STR = "tag:yaml.org,2002:str"


def _construct(constructor: yaml.constructor.SafeConstructor, node: yaml.Node) -> Any:
    """A front-matter value from its node. A string, or a list of strings (most values: a
    title, the places), is taken as it stands, as the constructor would make it; anything
    else is made by the constructor."""
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode) and all(
            item.tag == _STR and isinstance(item, yaml.ScalarNode) for item in node.value):
        return [item.value for item in node.value]
    return constructor.construct_document(node)


def parse_article(text: str, path: str) -> tuple[Article | None, list[Problem]]:
    """Read one `content/` file. Returns the article, or None and every problem found."""
    problems: list[Problem] = []

    def err(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    split = split_front_matter(text)
    if split is None:
        err(1, "missing front-matter: the file must start with '---' and close it with '---'")
        return None, problems
    head, body, body_line = split
    root, problem = compose(head, path, first_line=2)  # (front-matter starts on line 2, after `---`)
    if problem is not None:
        return None, [*problems, problem]
    if not isinstance(root, yaml.MappingNode):
        err(2, "front-matter must be a mapping of keys to values")
        return None, problems

    nodes: dict[str, yaml.Node] = {}
    for key_node, value_node in root.value:
        if not isinstance(key_node, yaml.ScalarNode):  # `{a: 1}: x` or `[a]: x`
            err(_line(key_node), "a front-matter key must be a plain name like 'title'")
            continue
        key = key_node.value
        if key in nodes:
            err(_line(key_node), f"duplicate key '{key}'")
        elif key not in KNOWN:
            hint = _close_key(key)
            err(_line(key_node), f"unknown key '{key}'" + (f" (did you mean '{hint}'?)" if hint else ""))
        nodes[key] = value_node
    for key in REQUIRED:
        if key not in nodes:
            err(1, f"missing required key '{key}'")

    loader_values: dict[str, Any] = {}
    constructor = yaml.constructor.SafeConstructor()
    # Most files have nothing to clean: one scan of the file instead of one per value. (A
    # double-quoted YAML value can spell a character as an escape: not with a backslash.)
    clean = "\\" not in head and is_clean(text)
    for key, node in nodes.items():
        if key not in KNOWN:
            continue
        try:
            value = _construct(constructor, node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            err(_line(node), f"'{key}': invalid value ({exc})")
            continue
        if clean:
            loader_values[key] = value
            continue
        loader_values[key], bad, removed = clean_texts(value)
        if bad:
            err(_line(node), f"'{key}' contains a {bad[0][1]}")
        if removed:
            problems.append(Problem(path, _line(node), f"bidi controls removed from '{key}': {removed}", "warning"))
    # The body: a bad character is reported on its own line.
    raw_body = body
    body, bad, removed = (body, [], "") if clean else clean_texts(raw_body)
    if bad:
        err(body_line + raw_body.count("\n", 0, bad[0][0]), f"the text contains a {bad[0][1]}")
    if removed:
        problems.append(Problem(path, body_line, f"bidi controls removed from the text: {removed}", "warning"))

    def text_field(key: str, *, required: bool = False) -> str | None:
        if key not in loader_values:
            return None
        value = loader_values[key]
        if value is None and not required:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and key in ("page_name", "dateline"):
            value = str(value)
        if not isinstance(value, str) or (required and not value.strip()):
            err(_line(nodes[key]), f"'{key}' must be a non-empty text, not {_describe(value)}")
            return None
        return value

    ident = text_field("id", required=True)
    if ident is not None and not ID_RE.match(ident):
        err(_line(nodes["id"]), f"'id' {ident!r} is not a URL-safe id like 20231031-3f9a2c1e")
        ident = None
    title = text_field("title", required=True)

    kind: Kind = "article"
    if "kind" in loader_values:
        if loader_values["kind"] in KINDS:
            kind = loader_values["kind"]
        else:
            err(_line(nodes["kind"]), f"'kind' must be one of {', '.join(KINDS)}, not {loader_values['kind']!r}")

    date: dt.date | None = None
    if "date" in loader_values:
        value = loader_values["date"]
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            date = value
        else:
            err(_line(nodes["date"]), f"'date' must be a date like 2023-10-31, not {_describe(value)}")

    page: int | None = None
    if loader_values.get("page") is not None:
        value = loader_values["page"]
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 1000:
            page = value
        else:
            err(_line(nodes["page"]), f"'page' must be a page number (1–999), not {_describe(value)}")

    def list_of_text(key: str) -> tuple[str, ...]:
        value = loader_values.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            err(_line(nodes[key]), f"'{key}' must be a list of texts")
            return ()
        return tuple(value)

    authors: list[Author] = []
    if loader_values.get("authors") is not None:
        value = loader_values["authors"]
        ok = isinstance(value, list) and all(
            isinstance(a, dict) and set(a) <= {"name", "role"} and isinstance(a.get("name"), str)
            and a["name"].strip() and isinstance(a.get("role", ""), str)
            for a in value
        )
        if ok:
            authors = [Author(a["name"], a.get("role") or "作者") for a in value]
        else:
            err(_line(nodes["authors"]), "'authors' must be a list of {name: …, role: …}")

    source: Source | None = None
    if "source" in loader_values:
        value = loader_values["source"]
        lines = value.get("lines") if isinstance(value, dict) else None
        if (
            isinstance(value, dict) and set(value) <= {"file", "lines"}
            and isinstance(value.get("file"), str) and value["file"].strip()
            and isinstance(lines, list) and len(lines) == 2
            and all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in lines)
            and lines[0] <= lines[1]
        ):
            source = Source(value["file"], (lines[0], lines[1]))
        else:
            err(_line(nodes["source"]), "'source' must be {file: NAME, lines: [FIRST, LAST]}")

    fields: dict[str, Any] = {
        key: text_field(key)
        for key in ("kicker", "subtitle", "column", "page_name", "dateline", "province", "summary", "continued_from")
    }
    places = list_of_text("places")
    also_in = list_of_text("also_in")

    if any(p.severity == "error" for p in problems) or None in (ident, title, date, source):
        return None, problems
    assert ident is not None and title is not None and date is not None and source is not None
    return (
        Article(
            id=ident, kind=kind, title=title, date=date, source=source, body=body.strip("\n"),
            page=page, places=places, authors=tuple(authors), also_in=also_in, path=path,
            **fields,
        ),
        problems,
    )


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist, _SHORT.maxdict = 2, 40, 40, 4, 4


def _describe(value: object) -> str:
    if value is None:
        return "an empty value"
    # reprlib: a huge or deeply nested value must not be rendered whole for a message.
    return f"{type(value).__name__} {_SHORT.repr(value)}"[:80]


def _close_key(key: str) -> str | None:
    import difflib

    match = difflib.get_close_matches(key, KEY_ORDER, n=1, cutoff=0.6)
    return match[0] if match else None
