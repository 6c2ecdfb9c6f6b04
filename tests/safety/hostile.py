"""Hostile articles: real newspaper text with attacks in every field, for the safety tests.

Every attack sets `window.__pwned` (or opens a dialog) if it ever runs, so a browser test
only has to look at one variable.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from site_builder.frontmatter import dump_article
from site_builder.models import Article, Author, Source
from tests.conftest import FIXTURE_CONTENT

SCRIPT = "<script>window.__pwned=1</script>"
ATTR = '"><img src=x onerror="window.__pwned=2">'
SVG = "<svg onload=window.__pwned=3>"
JINJA = "{{ 7*7 }}"
JINJA_BLOCK = "{% for x in range(3) %}重复{% endfor %}"
JINJA_OBJ = "{{ ''.__class__.__mro__ }}"
ZERO_WIDTH = "工\u200b会\u200d职\u2060工"
BIDI = "工会\u202e报日人工\u202c新闻"
ENTITY = "&lt;script&gt; &amp; &#60;"

# Text of the seed page 000 (温州市总工会), the sentence every long body repeats.
SENTENCE = "日前，浙江省温州市总工会主办的“我最善辩”暨机关职工辩论邀请赛总决赛落幕。"

BODY = f"""本报讯 {SCRIPT} 温州市总工会加强职工思想政治引领。

<img src=x onerror="window.__pwned=5">

<div onclick="window.__pwned=6">点击</div>

<iframe src="javascript:window.__pwned=7"></iframe>

<style>body{{display:none}}</style>

<!-- 注释 -->

[点我](javascript:window.__pwned=8) [大小写](JaVaScRiPt:window.__pwned=9) [实体](&#106;avascript:window.__pwned=10) \
[数据](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xMTwvc2NyaXB0Pg==) [vb](vbscript:msgbox(1)) \
[换行](java&#10;script:window.__pwned=15)

<javascript:window.__pwned=12>

![图](javascript:window.__pwned=13)

[空白]( javascript:window.__pwned=14 )

{JINJA} {JINJA_BLOCK} {JINJA_OBJ}

{ZERO_WIDTH} {ENTITY}
"""

# Hostile values; where bidi controls are given, the site shows the text without them.
MAIN = Article(
    id="20231031-e0000001", kind="article", date=dt.date(2023, 10, 31),
    title=f"工会文化大餐{SCRIPT}{JINJA}", kicker=ATTR, subtitle=JINJA_BLOCK, column=SVG,
    summary=f"{SCRIPT} 阅读提示", dateline=ATTR, page=3, page_name=f"工会新闻{SCRIPT}",
    province="浙江", places=(SCRIPT, "温州"),
    authors=(Author(SCRIPT, "记者"), Author("../../etc/passwd", ATTR), Author(ZERO_WIDTH, "通讯员"),
             Author("CON", "记者"), Author("a/b\\c..", "记者")),
    source=Source(f'000_{ATTR}.txt', (1, 2)), also_in=(f"<b>001.txt</b>{JINJA}",),
    body=BODY,
)
LONG = Article(
    id="20231031-e0000002", kind="article", date=dt.date(2023, 10, 31), page=3,
    title=BIDI, kicker=JINJA_OBJ, authors=(Author(f"赖书闻{BIDI}", "记者"),),
    source=Source("000_da4d75aed8247b84.txt", (3, 4)),
    body=SENTENCE * (1_048_576 // len(SENTENCE.encode("utf-8")) + 1),  # one line over 1 MiB
)
WIDTH = Article(
    id="20231031-e0000003", kind="notice", date=dt.date(2023, 10, 31), page=3,
    title=ZERO_WIDTH, subtitle=ENTITY, source=Source("000_da4d75aed8247b84.txt", (5, 6)),
    body=f"{ENTITY}\n\n{ZERO_WIDTH}",
)
HOSTILE = (MAIN, LONG, WIDTH)


def hostile_content(folder: Path) -> Path:
    """The fixture content plus the hostile articles, in `folder`."""
    shutil.copytree(FIXTURE_CONTENT, folder)
    for article in HOSTILE:
        path = folder / f"{article.date:%Y/%m/%d}/{article.id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_article(article), encoding="utf-8")
    return folder
