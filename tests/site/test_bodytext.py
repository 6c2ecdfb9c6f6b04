"""Bodies read without markdown-it (`bodytext.plain_blocks`) give what markdown-it gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_builder import bodytext
from site_builder.frontmatter import split_front_matter

SEEDS_CONTENT = Path(__file__).resolve().parents[2] / "content"

# Lines made of what bodies hold (Chinese text, numbers, Latin words, punctuation of both
# kinds), of every ASCII character that can be markup, and of the whitespace that matters.
_PIECES = st.sampled_from([
    "工会", "职工", "“触角”", "，", "。", "2023年", "10月", "1.", "1)", "12.5%", "a", "B2", "#", "## ", "### ",
    "####### ", "# ", " ", "  ", "    ", "\t", "\u3000", "\u00a0", "\u2028", '"', "'", "-", "--", "---", "=", "==",
    "+", "*", "**", "_", "__", "`", "```", "~~~", ">", "<", "<b>", "&", "&amp;", "&#1;", "\\", "[", "]", "(x)",
    "!", "|", ":", "@", "http://x.cn", "\r", "\0", "\ufeff", "《工人日报》",
])
_LINES = st.lists(st.lists(_PIECES, max_size=6).map("".join), max_size=8)
BODIES = st.one_of(_LINES.map("\n".join), st.text(alphabet="工会# -*\n\"1.)>a \u3000", max_size=40))


def _same_as_markdown_it(body: str) -> None:
    assert bodytext.to_html(body) == bodytext.markdown_html(body)
    assert bodytext.paragraphs(body) == bodytext.markdown_paragraphs(body)
    assert bodytext.plain_text(body) == bodytext.markdown_plain_text(body)


@settings(max_examples=3000, deadline=None)
@given(BODIES)
@example("## 小标题\n第一行\n第二行\n\n第二段\n")
@example("第一段\n## 小标题\n#### 四级\n###### 六级\n正文")
@example('他说："好。"\n\n"引号"开头')
@example("#小标题\n\n##  两个空格\n\n## 结尾 ##\n\n## 中间#号")
@example("2023年\n\n1. 列表\n\n2) 列表")
@example("")
def test_plain_bodies_read_as_markdown_it_reads_them(body: str) -> None:
    _same_as_markdown_it(body)


def test_most_bodies_need_no_markdown_it() -> None:
    bodies = [split_front_matter(p.read_text(encoding="utf-8"))[1] for p in sorted(SEEDS_CONTENT.rglob("*.md"))]
    if not bodies:
        pytest.skip("no content ingested")
    plain = [b for b in bodies if bodytext.plain_blocks(b) is not None]
    assert len(plain) >= len(bodies) // 2
    for body in bodies:
        _same_as_markdown_it(body)


@pytest.mark.parametrize("body", ["第一行\n- 列表", "a *b*", "x\n    代码", "a  \nb", "a\tb", "工会\u3000职工",
                                  "> 引", "1. 一", "#标题", "## 标题 #", "a &amp; b", "行 "])
def test_markup_goes_to_markdown_it(body: str) -> None:
    assert bodytext.plain_blocks(body) is None
    _same_as_markdown_it(body)


def test_every_kind_of_whitespace_is_markup_but_spaces_and_line_ends() -> None:
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace() and chr(c) not in " \n"]
    assert [c for c in spaces if not bodytext._MARKUP_CHARS.search(c)] == []
