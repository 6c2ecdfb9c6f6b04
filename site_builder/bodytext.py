"""An article's Markdown body, parsed once for everything made from it.

One article's page, e-book chapter, citation files, feed entry and search text all come
from the same body, and the build makes them one after another (`pipeline` orders the
outputs edition by edition). The last few parses are kept: each body is parsed once, and
its HTML and plain text are derived from the same tokens. The cache is keyed by the text
itself, so an edited body is never served stale.

Raw HTML in a body is shown as text, never passed through:

>>> to_html("a <b>")
'<p>a &lt;b&gt;</p>\\n'
>>> plain_text("**工会**为职工[办实事](x.html)。\\n\\n第二段")
'工会为职工办实事。\\n第二段'

Most bodies are nothing but paragraphs and `## ` headings, with no character that could be
markup (`plain_blocks`): those are read without markdown-it, in 0.03 ms a body against
0.21 ms (a full build with search reads each body twice: for its page and for the search
index). Their HTML and text are what markdown-it makes of them, byte for
byte (tested against it with generated bodies); any other body goes to markdown-it.

>>> plain_blocks("## 小标题\\n第一行\\n第二行\\n\\n第二段")
((2, ('小标题',)), (0, ('第一行', '第二行')), (0, ('第二段',)))
>>> to_html("## 小标题\\n第一行\\n第二行")
'<h2>小标题</h2>\\n<p>第一行\\n第二行</p>\\n'
>>> plain_blocks("第一行\\n- 列表") is None
True
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

_MARKDOWN = MarkdownIt("commonmark", {"html": False})
# An edition has a few dozen items; its outputs are made before the next edition's.
KEPT = 64
# What could make a body more than paragraphs and headings (`plain_blocks`):
# - a character of inline markup or an entity; whitespace other than spaces and line ends
#   (tabs, U+3000 …: each character that `str.isspace` says is one);
_MARKUP_CHARS = re.compile("[\\\\`*_\\[\\]<>&\\0\t\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f"
                           "\u205f\u3000]")
# - a line that starts with a space, with ASCII punctuation other than `#` (quotes, rules,
#   lists, fences, setext underlines) or with a number and `.` or `)` (a list item), or one
#   that ends with a space (a hard break). Searched in the body between two line ends.
_MARKUP_LINES = re.compile(r"\n(?:[ !\"$-/:-@\[-`{-~]|\d+[.)])| \n")
# A line that starts with `#` must be a whole heading.
_HEADING = re.compile(r"(#{1,6}) ([^ #\n](?:[^#\n]*[^ #\n])?)")
Block = tuple[int, tuple[str, ...]]  # heading level (0: a paragraph), its lines


@lru_cache(maxsize=KEPT)
def plain_blocks(text: str) -> tuple[Block, ...] | None:
    """The paragraphs and headings of a body that has nothing else (no `_MARKUP_CHARS`, no
    `_MARKUP_LINES`), or None."""
    if _MARKUP_CHARS.search(text) or _MARKUP_LINES.search(f"\n{text}\n"):
        return None
    blocks: list[Block] = []
    lines: list[str] = []
    for line in text.split("\n"):
        if line.startswith("#"):
            heading = _HEADING.fullmatch(line)
            if heading is None:
                return None
            if lines:
                blocks.append((0, tuple(lines)))
                lines = []
            blocks.append((len(heading[1]), (heading[2],)))
        elif line:
            lines.append(line)
        elif lines:
            blocks.append((0, tuple(lines)))
            lines = []
    if lines:
        blocks.append((0, tuple(lines)))
    return tuple(blocks)


@lru_cache(maxsize=KEPT)
def tokens(text: str) -> tuple[Token, ...]:
    return tuple(_MARKDOWN.parse(text))


@lru_cache(maxsize=KEPT)
def to_html(text: str) -> str:
    """The body as HTML; everything in it escaped by markdown-it."""
    blocks = plain_blocks(text)
    if blocks is None:
        return markdown_html(text)
    # (No `&`, `<` or `>` in such a body: `"` is all there is to escape.)
    return "".join(f"<h{n}>{lines[0]}</h{n}>\n" if n else "<p>" + "\n".join(lines) + "</p>\n"
                   for n, lines in blocks).replace('"', "&quot;")


@lru_cache(maxsize=KEPT)
def paragraphs(text: str) -> tuple[str, ...]:
    """The text of each paragraph or heading, without markup (for excerpts)."""
    blocks = plain_blocks(text)
    return markdown_paragraphs(text) if blocks is None else tuple("".join(lines) for _, lines in blocks)


def plain_text(text: str) -> str:
    """One line per block, inline markup dropped, line breaks as spaces, images as their alt
    text (for search)."""
    blocks = plain_blocks(text)
    return markdown_plain_text(text) if blocks is None else "\n".join(" ".join(lines) for _, lines in blocks)


# -- markdown-it's reading (any body) ------------------------------------------------------


def markdown_html(text: str) -> str:
    return str(_MARKDOWN.renderer.render(list(tokens(text)), _MARKDOWN.options, {}))


def markdown_paragraphs(text: str) -> tuple[str, ...]:
    texts: list[str] = []
    for token in tokens(text):
        if token.type == "inline" and token.children is not None:
            joined = "".join(c.content for c in token.children if c.type in ("text", "code_inline")).strip()
            if joined:
                texts.append(joined)
    return tuple(texts)


def markdown_plain_text(text: str) -> str:
    blocks: list[str] = []
    for token in tokens(text):
        if token.type != "inline" or token.children is None:
            continue
        parts: list[str] = []
        for child in token.children:
            if child.type in ("text", "code_inline", "html_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            elif child.type == "image":
                parts.append(child.content)  # alt text
        joined = "".join(parts).strip()
        if joined:
            blocks.append(joined)
    return "\n".join(blocks)
