"""Everything from content/ is escaped: hostile titles, bodies and names are shown as text."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from site_builder.frontmatter import dump_article
from site_builder.models import Article, Author, Source
from site_builder.site.pipeline import build_site
from site_builder.urls import Urls, author_slug

LD_JSON = re.compile(r'<script type="application/ld\+json">[^<]*</script>')

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}",
    "{% raw %}",
]


def test_hostile_content_is_text(tmp_path: Path) -> None:
    content = tmp_path / "content"
    article = Article(
        id="20231031-00000bad", kind="article", date=dt.date(2023, 10, 31),
        title="工会<script>alert('标题')</script>" + HOSTILE[2],
        kicker=HOSTILE[1], subtitle=HOSTILE[3], column="<b>栏目</b>", summary=HOSTILE[0],
        dateline='10月25日"><svg onload=alert(1)>',
        province="浙江", places=("<i>温州</i>",),
        authors=(Author("<script>x</script>", "记者"), Author("../../etc/passwd", "通讯员"),
                 Author("a/b\\c..", '"><img onerror=1>')),
        source=Source('000_"><script>.txt', (1, 2)),
        also_in=("<b>001.txt</b>",),
        body="本报讯<script>alert('正文')</script>\n\n<img src=x onerror=alert(1)>\n\n"
             "[点我](javascript:alert(1)) {{ 7*7 }}",
    )
    path = content / "2023/10/31/20231031-00000bad.md"
    path.parent.mkdir(parents=True)
    path.write_text(dump_article(article), encoding="utf-8")
    out = tmp_path / "public"
    build_site(content, out)

    pages = sorted(out.rglob("*.html"))
    for page in pages:
        # JSON-LD blocks are data, escaped on their own (tests/test_metadata.py), and the search
        # page's own scripts (static files, no inline code) are allowed: take them out.
        text = LD_JSON.sub("", page.read_text(encoding="utf-8"))
        text = re.sub(r'<script src="(\.\./)*static/[\w-]+\.js" defer></script>', "", text)
        assert "<script" not in text, page
        assert "<img" not in text, page
        assert "<svg onload" not in text, page
        assert "onerror=" not in text.replace("onerror=1&gt;", "").replace(
            "onerror=alert(1)&gt;", ""), page
        assert "javascript:" not in text.replace("(javascript:alert(1))", ""), page
        assert "49" not in text.replace("2049", ""), page  # {{ 7*7 }} not evaluated
    html = (out / Urls.article(article)).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;标题&#39;)&lt;/script&gt;{{ 7*7 }}" in html
    assert "&lt;script&gt;alert(&#39;正文&#39;)&lt;/script&gt;" in html or \
        "&lt;script&gt;alert('正文')&lt;/script&gt;" in html
    assert "&lt;i&gt;温州&lt;/i&gt;" in html


def test_author_slugs_cannot_escape(tmp_path: Path) -> None:
    for name in ("..", "../..", "a/b", "a\x00b", "/etc/passwd", "\\..\\", "CON", ""):
        slug = author_slug(name)
        assert slug.startswith("a-") and slug[2:].isalnum() and len(slug) == 12
        assert Urls.author(name) == f"authors/{slug}.html"
