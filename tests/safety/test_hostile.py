"""Hostile content is shown as text: no element, attribute, link or template code from content.

The hostile articles (tests/safety/hostile.py) put `<script>`, `"><img onerror>`,
`javascript:` links, Jinja syntax, raw HTML, zero-width and bidi characters and a 1 MiB
single-line body into every field. Every page of the built site is parsed: no element or
attribute of theirs may appear, only their text.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from site_builder.ingest.pipeline import ingest
from site_builder.site.content import read_content
from site_builder.site.pipeline import build_site
from site_builder.site.render import render_markdown
from site_builder.urls import Urls
from tests.safety.conftest import HostileSite
from tests.safety.hostile import BIDI, JINJA, JINJA_BLOCK, LONG, MAIN, SCRIPT, SENTENCE, WIDTH, ZERO_WIDTH

# Elements content could smuggle in; the templates use none of them.
FORBIDDEN_TAGS = {"iframe", "img", "object", "embed", "style", "base", "frame", "frameset", "applet",
                  "video", "audio", "source", "math", "template", "noscript", "textarea", "xmp"}
URL_ATTRS = {"href", "src", "action", "formaction", "poster", "srcset", "data", "xlink:href"}
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text of each inline <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.inline_script = ""
        self.json_ld: list[str] = []  # <script type="application/ld+json">: data, never run
        self._in_script = False
        self._in_json = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        self._in_json = tag == "script" and values.get("type") == "application/ld+json"
        self._in_script = tag == "script" and not self._in_json
        if self._in_json:
            self.json_ld.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_json = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline_script += data
        elif self._in_json:
            self.json_ld[-1] += data
            return  # not text of the page
        self.text.append(data)


def elements(page: Path) -> _Elements:
    parser = _Elements()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_no_element_attribute_or_link_from_content(hostile_site: HostileSite) -> None:
    pages = sorted(hostile_site.root.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        found = elements(page)
        rel = page.relative_to(hostile_site.root).as_posix()
        assert found.inline_script == "", rel
        for block in found.json_ld:  # structured data: JSON with no markup in it
            json.loads(block)
            assert "<" not in block and ">" not in block, (rel, block[:200])
        for tag, attrs in found.tags:
            assert tag not in FORBIDDEN_TAGS, (rel, tag, attrs)
            if tag == "script" and attrs.get("type") != "application/ld+json":
                assert re.fullmatch(r"(\.\./)*static/[\w-]+\.js", attrs.get("src", "")), (rel, attrs)
            if tag == "svg":
                assert rel == Urls.regions, rel
            for name, value in attrs.items():
                assert not name.startswith("on"), (rel, tag, name)
                if name in URL_ATTRS:
                    # As a browser's URL parser sees it: tabs and newlines dropped, spaces trimmed.
                    url = re.sub(r"[\t\n\r]", "", value).strip()
                    assert not BAD_SCHEME.match(url), (rel, tag, name, value)


def _text(page: Path) -> str:
    return "".join(elements(page).text)


def test_every_field_is_shown_as_text(hostile_site: HostileSite) -> None:
    page = hostile_site.root / Urls.article(MAIN)
    text = _text(page)
    for value in (MAIN.title, MAIN.kicker, MAIN.subtitle, MAIN.column, MAIN.dateline, MAIN.page_name,
                  MAIN.source.file, *MAIN.places, *MAIN.also_in, *(a.name for a in MAIN.authors),
                  *(a.role for a in MAIN.authors)):
        assert value and value in text, value
    for line in ("<img src=x onerror=\"window.__pwned=5\">", "<div onclick=\"window.__pwned=6\">点击</div>",
                 "<style>body{display:none}</style>", "<!-- 注释 -->", "[点我](javascript:window.__pwned=8)",
                 "<javascript:window.__pwned=12>", "![图](javascript:window.__pwned=13)",
                 f"{JINJA} {JINJA_BLOCK}", ZERO_WIDTH,
                 "<script> & <"):  # Markdown entities name characters: shown as those characters
        assert line in text, line
    assert WIDTH.subtitle in _text(hostile_site.root / Urls.article(WIDTH))  # not Markdown: as typed
    # Jinja syntax is never evaluated, anywhere: 7*7 never becomes 49, the loop never repeats.
    for other in hostile_site.root.rglob("*.html"):
        html = other.read_text(encoding="utf-8")
        assert "重复重复" not in html and "<class " not in html
    assert "49" not in text and text.count(JINJA_BLOCK) == 3  # subtitle, body and the citation's 副题
    assert SCRIPT in _text(hostile_site.root / Urls.author(SCRIPT))


def test_raw_html_in_markdown_is_text() -> None:
    """The Markdown renderer itself: raw HTML off, dangerous links not made links."""
    html = render_markdown('<b onclick="x()">粗</b>\n\n<script>alert(1)</script>\n\n[链接](javascript:alert(1))')
    assert "<b" not in html and "<script" not in html and "<a " not in html
    assert "&lt;b onclick=&quot;x()&quot;&gt;粗&lt;/b&gt;" in html


def test_bidi_controls_are_removed_with_a_warning(hostile_site: HostileSite) -> None:
    page = hostile_site.root / Urls.article(LONG)
    shown = BIDI.replace("\u202e", "").replace("\u202c", "")
    assert f"<h1 class=\"story-title\">{shown}</h1>" in page.read_text("utf-8")
    for html in hostile_site.root.rglob("*.html"):
        assert not re.search("[\u202a-\u202e\u2066-\u2069]", html.read_text("utf-8")), html
    warnings = [str(p) for p in hostile_site.report.warnings]
    path = str(hostile_site.content / "2023/10/31/20231031-e0000002.md")
    assert f"{path}:4: warning: bidi controls removed from 'title': U+202C, U+202E" in warnings
    assert any(w.startswith(f"{path}:9: warning: bidi controls removed from 'authors'") for w in warnings)


def test_zero_width_characters_stay_as_text(hostile_site: HostileSite) -> None:
    html = (hostile_site.root / Urls.article(WIDTH)).read_text("utf-8")
    assert f'<h1 class="story-title">{ZERO_WIDTH}</h1>' in html


def test_a_one_mebibyte_line_is_one_paragraph(hostile_site: HostileSite) -> None:
    html = (hostile_site.root / Urls.article(LONG)).read_text("utf-8")
    assert len(LONG.body.encode("utf-8")) > 1_048_576 and "\n" not in LONG.body
    assert f"<p>{LONG.body}</p>" in html
    # (The head's description and JSON-LD quote the opening too: count in the story body.)
    story = html.split('<div class="story-body">', 1)[1].split("</div>", 1)[0]
    assert story.count(SENTENCE) == LONG.body.count(SENTENCE)


def test_hostile_content_checks_clean_apart_from_bidi(hostile_site: HostileSite) -> None:
    articles, problems = read_content(hostile_site.content)
    assert len(articles) == 14
    assert {p.severity for p in problems} == {"warning"}
    assert all("bidi" in p.message for p in problems)


def test_hostile_seed_text_is_text_after_ingest_and_build(tmp_path: Path) -> None:
    """Attacks printed in a raw page (headline, byline, body) come out of ingest and build as text."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    page = (SEEDS / "000_da4d75aed8247b84.txt").read_text("utf-8")
    attacks = {
        "本报讯（记者赖志凯）": "本报讯（记者赖志凯<script>window.__pwned=1</script>）",
        "北京市工业（国防）工会启动": '北京市工业（国防）工会启动"><img src=x onerror=alert(1)>',
        "这次活动的视频": "这次活动的视频{{ 7*7 }}{% raw %}[点我](javascript:alert(1))<div onclick=alert(1)>\u202e",
        " 本报记者 邹倜然": " 本报记者 邹倜然<b>",
    }
    for printed, hostile in attacks.items():
        assert printed in page
        page = page.replace(printed, hostile, 1)
    (seeds / "000_da4d75aed8247b84.txt").write_text(page, "utf-8")
    (seeds / "editions.yaml").write_text("- file: 000_da4d75aed8247b84.txt\n  date: 2023-10-31\n", "utf-8")
    content, out = tmp_path / "content", tmp_path / "public"
    ingest(seeds, content)
    articles, problems = read_content(content)
    assert problems == [] and len(articles) >= 8
    build_site(content, out)
    shown = "".join(_text(p) for p in sorted(out.rglob("*.html")))
    for text in ("<script>window.__pwned=1</script>", '"><img src=x onerror=alert(1)>', "{{ 7*7 }}{% raw %}",
                 "[点我](javascript:alert(1))<div onclick=alert(1)>"):
        assert text in shown, text
    for html in sorted(out.rglob("*.html")):
        found = elements(html)
        assert found.inline_script == "" and not {t for t, _ in found.tags} & FORBIDDEN_TAGS, html
        assert not [n for _, attrs in found.tags for n in attrs if n.startswith("on")], html
