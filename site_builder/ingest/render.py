"""An article's file bytes, as `frontmatter.dump_article` writes them, faster.

PyYAML's emitter is pure Python and was a fifth of the ingest's time. The front-matter of an
article is a fixed set of keys with plain values, so most files are written here directly,
with PyYAML's own rules deciding each scalar's style (`Emitter.analyze_scalar`, the
resolver): plain when YAML reads it back as the same string, else single-quoted. Anything
else — a line break, a character that needs escaping, a line near the emitter's width — is
left to `dump_article` itself. The bytes are the same either way (tested on the seeds, the
generated pages and random articles).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from yaml import ScalarNode
from yaml.emitter import Emitter
from yaml.resolver import Resolver

from site_builder.frontmatter import KEY_ORDER, dump_article
from site_builder.models import Article, front_matter_values

_EMITTER = Emitter(io.StringIO(), allow_unicode=True)
_RESOLVER = Resolver()
_STR = "tag:yaml.org,2002:str"
_WIDE = 800  # the emitter folds lines past its width (1000): leave long ones to it
_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")


class _Slow(Exception):
    """A value the direct writer does not take on: `dump_article` writes the file."""


def render(article: Article) -> bytes:
    try:
        return _render(article).encode()
    except _Slow:
        return dump_article(article).encode()


def _scalar(value: str, *, flow: bool) -> str:
    """`value` as the emitter writes it in a block (or flow) context, or _Slow."""
    if any(b in value for b in _BREAKS) or len(value) > _WIDE:
        raise _Slow
    analysis = _EMITTER.analyze_scalar(value)
    implicit = _RESOLVER.resolve(ScalarNode, value, (True, False)) == _STR  # type: ignore[no-untyped-call]
    if implicit and not analysis.empty and (analysis.allow_flow_plain if flow else analysis.allow_block_plain):
        return value
    if analysis.allow_single_quoted:
        return "'" + value.replace("'", "''") + "'"
    raise _Slow


def _value(value: Any, *, flow: bool = False) -> str:
    if isinstance(value, bool) or value is None:
        raise _Slow
    if isinstance(value, str):
        return _scalar(value, flow=flow)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    raise _Slow


def _flow_list(items: list[Any]) -> str:
    return "[" + ", ".join(_value(x, flow=True) for x in items) + "]"


def _render(article: Article) -> str:
    values = front_matter_values(article)
    out = ["---"]
    for key in KEY_ORDER:
        value = values[key]
        if value is None or value == []:
            continue
        if key == "authors":
            out.append("authors:")
            out += [f"- {{name: {_value(a['name'], flow=True)}, role: {_value(a['role'], flow=True)}}}" for a in value]
        elif key == "source":
            out += ["source:", f"  file: {_value(value['file'])}", f"  lines: {_flow_list(value['lines'])}"]
        elif isinstance(value, list):
            out.append(f"{key}: {_flow_list(value)}")
        else:
            out.append(f"{key}: {_value(value)}")
    if any(len(line) > _WIDE for line in out):
        raise _Slow
    out.append("---")
    head = "\n".join(out) + "\n"
    body = article.body.strip("\n")
    return f"{head}\n{body}\n" if body else head
