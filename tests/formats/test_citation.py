"""Citations: GB/T 7714 text on the article page, RIS and BibTeX files beside it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from site_builder.config import SiteConfig
from site_builder.formats.citation import bibtex, gbt7714, ris
from site_builder.models import Article, Author
from site_builder.site.content import read_content
from tests.conftest import BASE_CONFIG, FIXTURE_CONTENT


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    found, _ = read_content(FIXTURE_CONTENT)
    return {a.id: a for a in found}


def test_gbt7714_newspaper_form(articles: dict[str, Article]) -> None:
    config = SiteConfig()
    assert gbt7714(articles["20220816-5b1e0c7a"], config) == "赖志凯. 向前一步，贴近职工[N]. 工人日报, 2022-08-16(2)."
    # No page known: no (版次).
    assert gbt7714(articles["20231031-3f9a2c1e"], config) == (
        "邹倜然, 邵晨晨. 工会文化大餐火出圈的背后……[N]. 工人日报, 2023-10-31.")


def test_gbt7714_many_authors_none_and_subtitle(articles: dict[str, Article]) -> None:
    article = dataclasses.replace(
        articles["20220816-5b1e0c7a"], subtitle="北京市总工会服务职工纪事",
        authors=(Author("张翀", "记者"), Author("张婧", "通讯员"), Author("谢朝华", "通讯员"), Author("赖志凯", "记者")))
    assert gbt7714(article, SiteConfig()) == (
        "张翀, 张婧, 谢朝华, 等. 向前一步，贴近职工: 北京市总工会服务职工纪事[N]. 工人日报, 2022-08-16(2).")
    unsigned = dataclasses.replace(article, authors=())
    assert gbt7714(unsigned, SiteConfig()).startswith("向前一步，贴近职工: ")


def test_ris_record(articles: dict[str, Article]) -> None:
    text = ris(articles["20220816-5b1e0c7a"], BASE_CONFIG)
    lines = text.split("\r\n")
    assert lines[0] == "TY  - NEWS" and lines[-2] == "ER  - " and lines[-1] == ""
    fields = [(line[:2], line[6:]) for line in lines[:-1]]
    assert all(line[2:6] == "  - " for line in lines[:-1])
    assert ("TI", "向前一步，贴近职工") in fields and ("AU", "赖志凯") in fields
    assert ("T2", "工人日报") in fields and ("DA", "2022/08/16") in fields and ("SP", "2") in fields
    assert ("UR", "https://example.org/gongren/2022/08/16/20220816-5b1e0c7a.html") in fields
    assert "UR  - " not in ris(articles["20220816-5b1e0c7a"], SiteConfig())  # no base URL: no link


def test_bibtex_entry_escapes_tex(articles: dict[str, Article]) -> None:
    entry = bibtex(articles["20231031-3f9a2c1e"], BASE_CONFIG)
    assert entry.startswith("@article{grrb-20231031-3f9a2c1e,\n")
    assert "  author = {{邹倜然} and {邵晨晨}},\n" in entry
    assert "  journal = {工人日报},\n" in entry and "  month = oct,\n" in entry
    assert entry.endswith("  url = {https://example.org/gongren/2023/10/31/20231031-3f9a2c1e.html}\n}\n")
    hostile = dataclasses.replace(articles["20231031-3f9a2c1e"], title="50% & {职工} #1 \\end_")
    assert r"title = {50\% \& \{职工\} \#1 \textbackslash{}end\_}" in bibtex(hostile, SiteConfig())


def test_article_page_shows_citation_and_links_the_files(built_sites: dict[str, tuple[Path, object]]) -> None:
    for theme in ("default", "broadsheet"):
        site = built_sites[theme][0]
        page = (site / "2022/08/16/20220816-5b1e0c7a.html").read_text(encoding="utf-8")
        assert ('<span class="citation">赖志凯. 向前一步，贴近职工[N]. 工人日报, 2022-08-16(2).</span> '
                '<a class="permalink" href="20220816-5b1e0c7a.html">2022/08/16/20220816-5b1e0c7a.html</a>') in page
        assert '<a href="20220816-5b1e0c7a.ris" download>RIS</a>' in page
        assert '<a href="20220816-5b1e0c7a.bib" download>BibTeX</a>' in page
        assert (site / "2022/08/16/20220816-5b1e0c7a.ris").read_bytes().startswith(b"TY  - NEWS\r\n")


def test_permalink_is_absolute_with_a_base_url(based_site: Path) -> None:
    page = (based_site / "2022/08/16/20220816-5b1e0c7a.html").read_text(encoding="utf-8")
    assert ('<a class="permalink" href="20220816-5b1e0c7a.html">'
            'https://example.org/gongren/2022/08/16/20220816-5b1e0c7a.html</a>') in page
