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
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

_MARKDOWN = MarkdownIt("commonmark", {"html": False})
# An edition has a few dozen items; its outputs are made before the next edition's.
KEPT = 64


@lru_cache(maxsize=KEPT)
def tokens(text: str) -> tuple[Token, ...]:
    return tuple(_MARKDOWN.parse(text))


@lru_cache(maxsize=KEPT)
def to_html(text: str) -> str:
    """The body as HTML; everything in it escaped by markdown-it."""
    return str(_MARKDOWN.renderer.render(list(tokens(text)), _MARKDOWN.options, {}))


@lru_cache(maxsize=KEPT)
def paragraphs(text: str) -> tuple[str, ...]:
    """The text of each paragraph or heading, without markup (for excerpts)."""
    texts: list[str] = []
    for token in tokens(text):
        if token.type == "inline" and token.children is not None:
            joined = "".join(c.content for c in token.children if c.type in ("text", "code_inline")).strip()
            if joined:
                texts.append(joined)
    return tuple(texts)


def plain_text(text: str) -> str:
    """One line per block, inline markup dropped, line breaks as spaces, images as their alt
    text (for search)."""
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
