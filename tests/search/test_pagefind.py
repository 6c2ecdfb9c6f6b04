"""Pagefind index units: layout, the substring index, keys, reuse between builds, and scheduling."""

from __future__ import annotations

import asyncio
import datetime as dt
import gzip
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from site_builder.search import pagefind as search_pagefind
from site_builder.search import parts as search_parts
from site_builder.search import units as search_units
from site_builder.search.grams import PAGES_FILE, bigrams, chunk_of, indexed_pages, page_table
from site_builder.search.offline import plain_text
from site_builder.search.page import search_page_units
from site_builder.search.pagefind import unit_names
from site_builder.search.parts import PartDigests, indexed_part, unit_keys
from site_builder.search.step import SearchStep
from site_builder.search.units import Unit, unit_named
from site_builder.site import pipeline
from site_builder.site.content import read_content
from site_builder.site.manifest import verify_site
from site_builder.site.pipeline import build_site
from site_builder.urls import Urls
from tests.search.conftest import CONTENT, SearchSite

UNITS = ["2022-08", "2022-09", "2023"]  # the seed content cut at conftest.UNIT_PAGES


def _grams(folder: Path, name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(gzip.decompress((folder / "grams" / name).read_bytes()))
    return data


def _in_unit(unit: Unit, date: dt.date) -> bool:
    return date.year == unit.year and date.month in unit.months


def test_one_index_per_unit_and_one_library(search_site: SearchSite) -> None:
    root = search_site.root / "pagefind"
    articles, _ = read_content(CONTENT)
    assert sorted(p.name for p in root.iterdir()) == [*UNITS, "lib"]
    assert unit_names(search_site.root) == UNITS == search_page_units(search_site.root)
    lib = {p.name for p in (root / "lib").iterdir()}
    assert {"pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind", ".key"} <= lib
    assert not any("-ui" in name for name in lib)
    for name in UNITS:
        unit = unit_named(name)
        n = sum(_in_unit(unit, a.date) for a in articles)
        names = {p.name for p in (root / name).iterdir()}
        assert {"pagefind-entry.json", "fragment", "index", "grams", ".key"} <= names
        assert not names & {"pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind", "pagefind-ui.js"}
        assert len(list((root / name / "fragment").glob("*.pf_fragment"))) == n > 0
        entry = json.loads((root / name / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == ["zh-cn"]
    assert [u.unit.name for u in search_site.search.units] == UNITS
    assert search_site.search.pages_indexed == len(articles)


def test_substring_index_lists_every_run_of_every_article(search_site: SearchSite) -> None:
    """Every pair of CJK characters of every headline and body leads to its article."""
    articles, _ = read_content(CONTENT)
    checked = 0
    for name in UNITS:
        folder = search_site.root / "pagefind" / name
        table = _grams(folder, PAGES_FILE)
        assert table["year"] == unit_named(name).year
        rows = page_table(table)
        pages = indexed_pages(folder)
        assert [r["fragment"] for r in rows] == [p.fragment for p in pages]
        number = {p.url: n for n, p in enumerate(pages)}
        chunks = {k: _grams(folder, f"c{k}.grams") for k in range(int(str(table["chunks"])))}
        for article in (a for a in articles if _in_unit(unit_named(name), a.date)):
            n = number["/" + Urls.article(article)]
            assert rows[n]["province"] == (article.province or "") and rows[n]["kind"] == article.kind
            assert rows[n]["day"] == article.date.month * 100 + article.date.day
            text = "\n".join(filter(None, (article.kicker, article.title, article.subtitle, plain_text(article.body))))
            for gram in bigrams(text):
                deltas = chunks[chunk_of(gram, len(chunks))][gram]
                assert isinstance(deltas, list)
                postings = [sum(deltas[:i + 1]) for i in range(len(deltas))]
                assert n in postings, (article.id, gram)
                checked += 1
    assert checked > 5000


def test_key_follows_the_indexed_text_only(search_site: SearchSite, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(search_site.root / "2022", site / "2022")
    keys = unit_keys(site)
    assert list(keys) == [unit_named("2022")]
    key, pages = keys[unit_named("2022")]
    assert pages == 18
    page = sorted((site / "2022").rglob("2022*.html"))[0]
    html = page.read_text(encoding="utf-8")
    # The footer names the latest edition: it changes every day, the index must not.
    page.write_text(html.replace("最新一期", "最新一期（更新）"), encoding="utf-8")
    assert unit_keys(site)[unit_named("2022")] == (key, pages)
    part = indexed_part(html.encode("utf-8")).decode("utf-8")
    assert part.startswith("<article") and part.endswith("</article>") and "最新一期" not in part
    page.write_text(html.replace("</h1>", "（更正）</h1>", 1), encoding="utf-8")
    assert unit_keys(site)[unit_named("2022")][0] != key


def _calls(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[Any]:
    """The first argument of every call of `owner.name` from now on."""
    seen: list[Any] = []
    real = getattr(owner, name)

    def counted(first: Any, *rest: Any) -> Any:
        seen.append(first)
        return real(first, *rest)

    monkeypatch.setattr(owner, name, counted)
    return seen


def test_a_page_is_read_again_only_when_its_file_changed(search_site: SearchSite, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    shutil.copytree(search_site.root / "2022", site / "2022")
    cache = tmp_path / "cache" / "parts.json"
    read = _calls(monkeypatch, search_parts, "_part_digest")
    keys = unit_keys(site, PartDigests(cache))
    assert len(read) == len(list((site / "2022").rglob("*.html")))
    read.clear()
    assert unit_keys(site, PartDigests(cache)) == keys and read == []
    page = sorted((site / "2022").rglob("2022*.html"))[0]
    new = page.with_name("new.tmp")  # replaced, as the build replaces a page: a new file
    new.write_text(page.read_text(encoding="utf-8").replace("</h1>", "（更正）</h1>", 1), encoding="utf-8")
    os.replace(new, page)
    changed = unit_keys(site, PartDigests(cache))
    assert read == [str(page)] and changed != keys
    assert changed == unit_keys(site)  # as when every page is read
    stamped = json.loads(cache.read_text(encoding="utf-8"))
    stamped["pages"] = {rel: entry[:3] for rel, entry in stamped["pages"].items()}  # no digests
    for damaged in ("{not json", '{"code": "other", "pages": {}}', json.dumps({"pages": [1]}), json.dumps(stamped)):
        cache.write_text(damaged, encoding="utf-8")
        assert unit_keys(site, PartDigests(cache)) == changed


def test_the_search_index_files_kept_are_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Their SHA-256 for the manifest is the live manifest's: `check` still finds each right."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    out = tmp_path / "public"
    build_site(content, out, post_render=SearchStep(quiet=True, previous=out))
    read = _calls(monkeypatch, pipeline, "file_sha256")
    edited = sorted((content / "2022").rglob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n补记一句。\n", encoding="utf-8")
    build_site(content, out, post_render=SearchStep(quiet=True, previous=out))
    index_files = [p for p in (out / "pagefind").rglob("*") if p.is_file()]
    hashed = [p for p in read if "pagefind" in p.parts]
    # The files of the unit indexed again, each once; not those of 2023 or lib/.
    assert sorted(p.as_posix().split("/pagefind/", 1)[1] for p in hashed) == \
        sorted(p.relative_to(out / "pagefind").as_posix() for p in index_files if "2022" in p.parts)
    assert len(index_files) > len(hashed)
    assert verify_site(out) == []


def _snapshot(folder: Path, into: Path) -> dict[Path, bytes]:
    """Hard-link every file of `folder` into `into` and remember its bytes."""
    saved = {}
    for path in folder.rglob("*"):
        if path.is_file():
            link = into / path.relative_to(folder)
            link.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, link)
            saved[link] = path.read_bytes()
    return saved


def test_unchanged_units_are_reused_and_an_edited_unit_reindexed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    out = tmp_path / "public"

    def build() -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        step = SearchStep(quiet=True, previous=out)
        build_site(content, out, post_render=step)
        return (step.report.indexed, step.report.reused) if step.report is not None else None

    assert build() == (("2022", "2023"), ())
    saved = _snapshot(out / "pagefind", tmp_path / "before")
    assert build() is None  # nothing changed: the build stops before the search step
    (content / "2023").touch()  # a changed input, but no changed page
    for page in (content / "2023").rglob("*.md"):
        page.touch()
    assert build() == ((), ("2022", "2023"))

    # Edit one article of 2022: a sentence of a 2022-09-16 article added to its body.
    edited = sorted((content / "2022").rglob("*.md"))[0]
    added = "北京市首个“首都工匠学院”在北京市总工会职工大学挂牌"
    edited.write_text(edited.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{added}。\n", encoding="utf-8")
    assert build() == (("2022",), ("2023",))
    # 2023 reused by hard links: the same files, not copies.
    assert (out / "pagefind" / "2023" / ".key").stat().st_ino == (tmp_path / "before" / "2023" / ".key").stat().st_ino
    # Nothing the earlier build wrote was changed in place.
    assert all(link.read_bytes() == data for link, data in saved.items())
    folder = out / "pagefind" / "2022"
    table = _grams(folder, PAGES_FILE)
    chunk = _grams(folder, f"c{chunk_of('学院', int(str(table['chunks'])))}.grams")
    pages = indexed_pages(folder)
    number = next(n for n, p in enumerate(pages) if edited.stem in p.url)
    deltas = chunk["学院"]
    assert isinstance(deltas, list) and number in [sum(deltas[:i + 1]) for i in range(len(deltas))]
    assert added in pages[number].text


def test_a_year_grown_past_the_limit_is_cut_into_months(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """2022 has 18 articles: one index up to 18; with a 19th it becomes two month units (Q3
    alone would be 19). 2023, unchanged and still one unit, is reused."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    out = tmp_path / "public"
    monkeypatch.setattr(search_units, "MAX_UNIT_PAGES", 18)

    def build() -> tuple[tuple[str, ...], tuple[str, ...]]:
        step = SearchStep(quiet=True, previous=out)
        build_site(content, out, post_render=step)
        assert step.report is not None
        return step.report.indexed, step.report.reused

    assert build() == (("2022", "2023"), ())
    source = content / "2022/09/16/20220916-0d81ed52.md"
    added = source.with_name("20220916-0d81ed53.md")
    added.write_text(source.read_text(encoding="utf-8").replace("20220916-0d81ed52", "20220916-0d81ed53")
                     .replace("劳动和技能竞赛助推", "技能竞赛再助推"), encoding="utf-8")
    assert build() == (("2022-08", "2022-09"), ("2023",))
    assert unit_names(out) == ["2022-08", "2022-09", "2023"] == search_page_units(out)
    assert sorted(p.name for p in (out / "pagefind").iterdir()) == ["2022-08", "2022-09", "2023", "lib"]
    pages = indexed_pages(out / "pagefind" / "2022-09")
    assert len(pages) == 10 and any("技能竞赛再助推" in p.text for p in pages)
    # An edit in August re-indexes August only.
    august = sorted((content / "2022/08").rglob("*.md"))[0]
    august.write_text(august.read_text(encoding="utf-8").rstrip("\n") + "\n\n补记一段。\n", encoding="utf-8")
    assert build() == (("2022-08",), ("2022-09", "2023"))


def test_units_are_indexed_two_at_a_time_within_the_page_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """The scheduler never runs more than PARALLEL_UNITS jobs, nor more pages than PARALLEL_PAGES
    between them, yet runs a unit larger than the budget (alone)."""
    monkeypatch.setattr(search_pagefind, "PARALLEL_PAGES", 100)
    running: list[int] = []
    seen: list[tuple[int, ...]] = []

    async def job(limit: search_pagefind._Limit, pages: int) -> None:
        async with limit.take(pages):
            running.append(pages)
            seen.append(tuple(running))
            await asyncio.sleep(0.01)
            running.remove(pages)

    async def main() -> None:
        limit = search_pagefind._Limit()
        await asyncio.gather(*(job(limit, n) for n in (60, 50, 40, 30, 150, 20, 10, 70)))

    # A thread of its own, as in index_units: Playwright's loop may be running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, main()).result()
    assert len(seen) == 8
    assert all(len(now) <= search_pagefind.PARALLEL_UNITS for now in seen)
    assert all(sum(now) <= 100 or len(now) == 1 for now in seen)
    assert (150,) in seen and max(len(now) for now in seen) == 2


def test_every_bundle_pagefind_wrote_is_whole(search_site: SearchSite) -> None:
    root = search_site.root / "pagefind"
    for name in UNITS:
        pages = len(list((root / name / "fragment").glob("*.pf_fragment")))
        assert search_pagefind.incomplete(root / name, pages) is None
    assert search_pagefind.incomplete(root / "lib", 1) is None


def _cut(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize(("damage", "told"), [
    (lambda unit: (unit / "pagefind-entry.json").write_bytes(b""), "not a Pagefind entry file"),
    (lambda unit: (unit / "pagefind-entry.json").write_text(
        (unit / "pagefind-entry.json").read_text("utf-8").replace('"page_count":', '"page_count":1'), "utf-8"),
     "pages, not"),
    (lambda unit: next(unit.glob("*.pf_meta")).unlink(), "missing"),
    (lambda unit: next((unit / "fragment").iterdir()).write_bytes(b""), "empty"),
    (lambda unit: _cut(next((unit / "index").iterdir())), "cut short"),
])
def test_a_bundle_cut_short_is_told(search_site: SearchSite, tmp_path: Path, damage: Any, told: str) -> None:
    unit = tmp_path / "2023"
    shutil.copytree(search_site.root / "pagefind" / "2023", unit)
    pages = len(list((unit / "fragment").glob("*.pf_fragment")))
    assert search_pagefind.incomplete(unit, pages) is None
    damage(unit)
    problem = search_pagefind.incomplete(unit, pages)
    assert problem is not None and told in problem


def test_the_service_runs_until_what_it_wrote_is_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind's service answers before its last writes are done: the entry file is written
    late here (as the service's background threads do); the unit is whole all the same."""
    real = search_pagefind.PagefindIndex.write_files

    async def late(self: Any, output_path: str | None = None) -> None:
        await real(self, output_path)
        entry = Path(self._config["output_path"]) / "pagefind-entry.json"
        text = entry.read_bytes()
        entry.write_bytes(b"")
        asyncio.get_running_loop().call_later(0.3, entry.write_bytes, text)

    monkeypatch.setattr(search_pagefind.PagefindIndex, "write_files", late)
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    out = tmp_path / "public"
    step = SearchStep(quiet=True)
    build_site(content, out, post_render=step)
    for name in [*unit_names(out), "lib"]:
        assert search_pagefind.incomplete(out / "pagefind" / name) is None
    # Never written: the build fails, naming the file, and the live site is left as it was.
    monkeypatch.setattr(search_pagefind, "SETTLE_SECONDS", 0.5)

    async def never(self: Any, output_path: str | None = None) -> None:
        await real(self, output_path)
        (Path(self._config["output_path"]) / "pagefind-entry.json").write_bytes(b"")

    monkeypatch.setattr(search_pagefind.PagefindIndex, "write_files", never)
    (content / "2023").touch()
    for page in (content / "2023").rglob("*.md"):
        page.write_text(page.read_text("utf-8") + "\n补记。\n", "utf-8")
    with pytest.raises(search_pagefind.SearchIndexError, match=r"pagefind-entry\.json: not a Pagefind entry file"):
        build_site(content, out, post_render=SearchStep(quiet=True, previous=out))
    assert verify_site(out) == []


def test_a_unit_an_earlier_build_left_cut_short_is_indexed_again(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    out = tmp_path / "public"
    build_site(content, out, post_render=SearchStep(quiet=True, previous=out))
    for page in content.rglob("*.md"):
        page.touch()  # (a build that reaches the search step, with no page changed)
    # What a build before this check could leave: the key written, the entry file empty.
    (out / "pagefind" / "2023" / "pagefind-entry.json").write_bytes(b"")
    step = SearchStep(quiet=True, previous=out)
    build_site(content, out, post_render=step)
    assert step.report is not None and step.report.indexed == ("2023",) and step.report.reused == ("2022",)
    assert search_pagefind.incomplete(out / "pagefind" / "2023") is None
