"""The offline index builder and the Pagefind output of the seed site."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from site_builder.models import Article, Source
from site_builder.search.offline import (
    FIELDS,
    covered,
    fallback_records,
    fallback_script,
    plain_text,
    script_json,
)
from site_builder.search.step import SearchIndexError, SearchStep
from site_builder.site.pipeline import build_site
from tests.search.conftest import CONTENT, SearchSite


def _article(n: int, body: str = "正文", **kw: object) -> Article:
    date = dt.date(2023, 1, 1) + dt.timedelta(days=n)
    return Article(id=f"{date:%Y%m%d}-{n:08x}", kind="article", title=f"标题{n}", date=date,
                   source=Source(file="x.txt", lines=(1, 2)), body=body, **kw)  # type: ignore[arg-type]


def _payload(script: str) -> dict[str, object]:
    prefix, _, rest = script.partition("window.GRRB_SEARCH = ")
    assert prefix.startswith("/*") and rest.endswith(";\n")
    data: dict[str, object] = json.loads(rest[:-2])
    return data


def test_plain_text_strips_markdown() -> None:
    md = "## 小标题\n\n**工会**为职工[办实事](x.html)，`代码`与*强调*。\n续行\n\n> 引文\n\n- 一\n- 二"
    assert plain_text(md) == "小标题\n工会为职工办实事，代码与强调。 续行\n引文\n一\n二"


def test_plain_text_keeps_html_as_text() -> None:
    assert plain_text("a <script>x</script> b") == "a <script>x</script> b"


def test_script_json_cannot_close_the_script() -> None:
    text = script_json({"t": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"t": "</script><!-- & \u2028"}


def test_records_newest_first_relative_urls_and_fields() -> None:
    rows, total = fallback_records([_article(1, kicker="引题", province="浙江"), _article(2)])
    assert total == 2
    assert [r[FIELDS.index("title")] for r in rows] == ["标题2", "标题1"]
    row = dict(zip(FIELDS, rows[1], strict=True))
    assert row["url"] == "../2023/01/02/20230102-00000001.html"
    assert (row["kicker"], row["province"], row["kind"], row["date"]) == ("引题", "浙江", "article", "2023-01-02")


def test_cap_keeps_the_most_recent_and_reports_total() -> None:
    data = _payload(fallback_script([_article(n) for n in range(10)], cap=3))
    assert data["total"] == 10 and data["cap"] == 3
    rows = data["articles"]
    assert isinstance(rows, list) and [r[1] for r in rows] == ["标题9", "标题8", "标题7"]


def test_script_is_deterministic_and_escaped() -> None:
    arts = [_article(1, body="</script><b>工会</b> & 职工")]
    assert fallback_script(arts) == fallback_script(list(reversed(arts)))
    script = fallback_script(arts)
    assert "</script>" not in script and "<b>" not in script
    data = _payload(script)
    rows = data["articles"]
    assert isinstance(rows, list) and rows[0][FIELDS.index("text")] == "</script><b>工会</b> & 职工"


def test_seed_site_search_page_and_fallback(search_site: SearchSite) -> None:
    html = (search_site.root / "search" / "index.html").read_text(encoding="utf-8")
    for script in ("search-match.js", "search-online.js", "search.js"):
        assert f'<script src="../static/{script}" defer></script>' in html
        assert (search_site.root / "static" / script).is_file()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline script"
    assert 'data-fallback-src="fallback-index.js"' in html and 'data-pagefind-src="../pagefind/"' in html
    assert 'data-units="2023 2022-09 2022-08"' in html
    assert '<option value="北京">' in html and '<option value="2023">' in html
    assert '<option value="09">9月</option>' in html and '<option value="非凡十年·工会篇">' in html
    assert 'name="from" type="date" min="2022-08-16" max="2023-10-31"' in html
    data = _payload((search_site.root / "search" / "fallback-index.js").read_text(encoding="utf-8"))
    assert data["total"] == search_site.search.articles


def test_pagefind_failure_fails_the_build_and_keeps_the_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from site_builder.search import pagefind as search_pagefind

    async def broken(*args: object) -> None:
        raise RuntimeError("pagefind service died")

    out = tmp_path / "public"
    out.mkdir()
    (out / "index.html").write_text("old site", encoding="utf-8")
    monkeypatch.setattr(search_pagefind, "_index_unit", broken)
    with pytest.raises(SearchIndexError, match="pagefind service died"):
        build_site(CONTENT, out, post_render=SearchStep(quiet=True))
    assert (out / "index.html").read_text(encoding="utf-8") == "old site"
    # Staging removed; the cache of parsed content may stay (it describes the content, not a site).
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".public-cache") == ["public"]


def test_byte_budget_keeps_the_newest_that_fit() -> None:
    body = "今天，北京市首个“首都工匠学院”在北京市总工会职工大学挂牌。" * 20
    arts = [_article(n, body=body) for n in range(10)]
    one = sum(len(field.encode("utf-8")) for field in fallback_records(arts[:1])[0][0])
    rows, total = fallback_records(arts, cap=10, budget=one * 5 // 2)
    assert total == 10 and [r[1] for r in rows] == ["标题9", "标题8"]
    assert len(fallback_records(arts, cap=10, budget=1)[0]) == 1  # never empty
    script = fallback_script(arts, cap=10, budget=one * 5 // 2)
    assert covered(script) == 2 and script.startswith("/* 工人日报 offline search index, 2 of 10 articles")
