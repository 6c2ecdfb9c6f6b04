"""sitemap.xml is valid against the sitemaps.org 0.9 schema and lists every page; robots.txt."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from lxml import etree

from site_builder.formats.sitemap import outputs
from site_builder.site.content import read_content
from site_builder.site.structure import build_archive
from tests.conftest import BASE_CONFIG, FIXTURE_CONTENT

SCHEMAS = Path(__file__).parents[1] / "fixtures" / "schemas"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = BASE_CONFIG.base_url


def _valid(xml: bytes, schema: str) -> etree._ElementTree:
    tree = etree.ElementTree(etree.fromstring(xml))
    xsd = etree.XMLSchema(etree.parse(str(SCHEMAS / schema)))
    assert xsd.validate(tree), xsd.error_log
    return tree


def test_sitemap_is_valid_and_complete(based_site: Path) -> None:
    tree = _valid((based_site / "sitemap.xml").read_bytes(), "sitemap.xsd")
    locs = {u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS)
            for u in tree.findall("s:url", NS)}
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


def test_a_large_site_gets_a_sitemap_index() -> None:
    articles, _ = read_content(FIXTURE_CONTENT)
    files = {o.path: o.render() for o in outputs(build_archive(articles), BASE_CONFIG, max_urls=10)}
    parts = sorted(p for p in files if p.startswith("sitemap-"))
    assert len(parts) >= 4
    index = _valid(str(files["sitemap.xml"]).encode(), "siteindex.xsd")
    assert [s.findtext("s:loc", namespaces=NS) for s in index.findall("s:sitemap", NS)] == [
        f"{BASE}sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    listed = []
    for part in parts:
        tree = _valid(str(files[part]).encode(), "sitemap.xsd")
        listed += [u.findtext("s:loc", namespaces=NS) for u in tree.findall("s:url", NS)]
    assert len(listed) == len(set(listed)) and len(listed) > 30


def test_schema_check_can_fail() -> None:
    """A relative loc (what an unconfigured site would have to write) is rejected."""
    xml = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>index.html</loc></url></urlset>'
    tree = etree.ElementTree(etree.fromstring(xml))
    assert not etree.XMLSchema(etree.parse(str(SCHEMAS / "sitemap.xsd"))).validate(tree)


def test_keys_follow_the_base_url() -> None:
    articles, _ = read_content(FIXTURE_CONTENT)
    archive = build_archive(articles)
    one = {o.path: o.key for o in outputs(archive, BASE_CONFIG)}
    other = {o.path: o.key for o in outputs(archive, dataclasses.replace(BASE_CONFIG, base_url="https://example.com/"))}
    assert one["sitemap.xml"] != other["sitemap.xml"] and one["robots.txt"] != other["robots.txt"]
