"""sitemap.xml is valid against the sitemaps.org 0.9 schema and lists every page; robots.txt."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from lxml import etree

from site_builder.config import SiteConfig
from site_builder.site.outputs import contents_bytes
from tests.conftest import BASE_CONFIG, FIXTURE_CONTENT
from tests.scoped import site_outputs

SCHEMAS = Path(__file__).parents[1] / "fixtures" / "schemas"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = BASE_CONFIG.base_url


def _valid(xml: bytes, schema: str) -> etree._ElementTree:
    tree = etree.ElementTree(etree.fromstring(xml))
    xsd = etree.XMLSchema(etree.parse(str(SCHEMAS / schema)))
    assert xsd.validate(tree), xsd.error_log
    return tree


def _locs(site: Path) -> dict[str, str]:
    """Every URL of the sitemap's parts with its lastmod; each part valid, each named once."""
    index = _valid((site / "sitemap.xml").read_bytes(), "siteindex.xsd")
    locs: dict[str, str] = {}
    for part in index.findall("s:sitemap", NS):
        tree = _valid((site / part.findtext("s:loc", namespaces=NS).removeprefix(BASE)).read_bytes(), "sitemap.xsd")
        for u in tree.findall("s:url", NS):
            assert u.findtext("s:loc", namespaces=NS) not in locs
            locs[u.findtext("s:loc", namespaces=NS)] = u.findtext("s:lastmod", namespaces=NS)
    return locs


def test_sitemap_is_valid_and_complete(based_site: Path) -> None:
    locs = _locs(based_site)
    # Not the 404 page, nor the search page (its results are not content of their own).
    pages = {p.relative_to(based_site).as_posix() for p in based_site.rglob("*.html")} - {"404.html", "search/index.html"}
    assert {loc.removeprefix(BASE) for loc in locs} == pages
    assert locs[BASE + "2023/10/31/20231031-3f9a2c1e.html"] == "2023-10-31"
    assert locs[BASE + "2022/08/16/index.html"] == "2022-08-16"
    # A province page changes when its newest article does.
    assert locs[BASE + "region/zhejiang/index.html"] == "2023-10-31"
    assert locs[BASE + "index.html"] == "2023-10-31"


def test_robots_names_the_sitemap(based_site: Path, site: Path) -> None:
    robots = (based_site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *\nDisallow:\n" in robots
    assert robots.endswith(f"\nSitemap: {BASE}sitemap.xml\n")
    # Without a base URL there is no sitemap (it needs absolute URLs) and robots.txt names none.
    assert not (site / "sitemap.xml").exists()
    assert "Sitemap" not in (site / "robots.txt").read_text(encoding="utf-8")


def test_the_index_names_a_part_of_pages_and_one_per_year(based_site: Path) -> None:
    """A year's part lists its editions and articles: it changes only when that year does."""
    index = _valid((based_site / "sitemap.xml").read_bytes(), "siteindex.xsd")
    parts = {s.findtext("s:loc", namespaces=NS): s.findtext("s:lastmod", namespaces=NS)
             for s in index.findall("s:sitemap", NS)}
    assert parts == {f"{BASE}sitemap-pages.xml": "2023-10-31", f"{BASE}sitemap-2022.xml": "2022-09-16",
                     f"{BASE}sitemap-2023.xml": "2023-10-31"}
    year = (based_site / "sitemap-2022.xml").read_text(encoding="utf-8")
    assert f"{BASE}2022/08/16/20220816-07f2d6a4.html" in year and "2023/" not in year


def test_many_pages_are_cut_into_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    from site_builder.formats import sitemap

    monkeypatch.setattr(sitemap, "MAX_URLS", 10)
    files = {p: contents_bytes(o.render()) for p, (o, _) in site_outputs(FIXTURE_CONTENT, BASE_CONFIG).items()}
    pages = sorted(p for p in files if p.startswith("sitemap-pages"))
    assert len(pages) >= 4
    listed = []
    for part in pages:
        tree = _valid(files[part], "sitemap.xsd")
        listed += [u.findtext("s:loc", namespaces=NS) for u in tree.findall("s:url", NS)]
    assert len(listed) == len(set(listed)) > 30


def test_schema_check_can_fail() -> None:
    """A relative loc (what an unconfigured site would have to write) is rejected."""
    xml = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>index.html</loc></url></urlset>'
    tree = etree.ElementTree(etree.fromstring(xml))
    assert not etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap.xsd"))).validate(tree)


def test_keys_follow_the_base_url() -> None:
    def keys(config: SiteConfig) -> dict[str, bytes]:
        return {p: key for p, (o, key) in site_outputs(FIXTURE_CONTENT, config).items()}

    one, other = keys(BASE_CONFIG), keys(dataclasses.replace(BASE_CONFIG, base_url="https://example.com/"))
    assert all(one[p] != other[p] for p in one if p.startswith(("sitemap", "robots")))
