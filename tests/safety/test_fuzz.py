"""Fuzzing with hypothesis: the cleaner, segmenter, front-matter reader and URL builder never
crash on arbitrary text; the ingest keeps every non-space character of a page; every file it
writes reads back as the same article; ids are unique and stable.

Text is drawn from the characters of the real seed pages, the markers of newspaper layout
(本报讯, 记者, 摄, 阅读提示, 上接第1版 …), ASCII and hostile characters (controls, bidi,
zero-width, `<script>`, Jinja, YAML syntax), and from all of Unicode. Example counts are set
per test (`EXAMPLES`); the closing report of the work quotes them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
import re
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.characters import bidi_controls, forbidden, is_clean, strip_bidi
from site_builder.frontmatter import ID_RE, KEY_ORDER, _construct, dump_article, parse_article
from site_builder.ingest.clean import clean_paragraph, clean_text, fix_punctuation
from site_builder.ingest.conserve import fold
from site_builder.ingest.decode import decode_page
from site_builder.ingest.extract import extract
from site_builder.ingest.lines import classify
from site_builder.ingest.pipeline import content_files, ingest_pages
from site_builder.ingest.segment import segment
from site_builder.models import Article, Author, RawPage, Source
from site_builder.site.paths import unsafe_reason
from site_builder.urls import Urls, author_slug
from site_builder.yamlnodes import LOADER
from tests.ingest.conservation import FURNITURE, count, prose

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_CHARS = sorted({c for p in SEEDS.glob("*.txt") for c in p.read_text("utf-8") if not c.isspace()})
MARKERS = ["本报讯（记者", "）", "本报记者 ", "本报通讯员 ", " 摄", "阅 读 提 示", "（上接第1版）", "（下转第2版）",
           "——", "开栏的话", "非凡十年·工会篇", "10月25日，", "□", "<script>", "{{ 7*7 }}", "{% raw %}",
           "---", ": ", "- ", "#", "*", "[", "](javascript:x)", "\u202e", "\u200b", "\x07", "\x00", "\t", "\u3000"]
# Around the edges of `is_clean`'s common ranges, and what it must catch.
EDGE_CHARS = ["\x7f", "\x85", "\x9f", "\xa0", "\u05ff", "\u0600", "\u061c", "\u200e", "\u200f", "\u2010", "\u2027", "\u2028", "\u202a",
              "\u202e", "\u202f", "\u2030", "\u205e", "\u205f", "\u2066", "\u2069", "\u2100", "\u27bf", "\u2ffe", "\u303f",
              "\u3040", "\u4dff", "\u9fff", "\ua000", "\ud800", "\udfff", "\ufdd0", "\ufeff", "\uff00", "\uffef",
              "\ufffe", "\U0001fffe", "\U0010ffff", "\U00020000"]
EXAMPLES = {"is_clean": 500, "clean": 500, "segment": 300, "frontmatter_text": 500, "frontmatter_yaml": 200, "roundtrip": 200,
            "urls": 500, "conserve": 200, "ids": 100}

newspaper_text = st.lists(st.one_of(st.sampled_from(SEED_CHARS), st.sampled_from(MARKERS),
                                    st.sampled_from(list(" \n\n,.()12aZ"))), max_size=300).map("".join)
any_text = st.one_of(newspaper_text, st.text(max_size=200))
page_lines = st.lists(st.one_of(newspaper_text, st.text(max_size=40)), min_size=1, max_size=40)


def _settings(name: str) -> settings:
    return settings(max_examples=EXAMPLES[name], deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@_settings("is_clean")
@given(st.lists(st.one_of(any_text, st.sampled_from(EDGE_CHARS)), max_size=5).map("".join))
def test_the_fast_check_agrees_with_the_full_one(text: str) -> None:
    """`is_clean` (one scan for the usual characters) says what the per-character checks say."""
    assert is_clean(text) == (not forbidden(text) and not bidi_controls(text))


@_settings("clean")
@given(any_text)
def test_the_cleaner_never_crashes_nor_loses_a_visible_character(text: str) -> None:
    for cleaned in (clean_text(text), fix_punctuation(text), clean_paragraph(text.split("\n"))):
        assert isinstance(cleaned, str)
        assert fold(cleaned) == fold(text)


@_settings("segment")
@given(page_lines)
def test_the_segmenter_never_crashes(lines: list[str]) -> None:
    decoded, _, _ = decode_page("\n".join(lines).encode("utf-8"), "x.txt")
    items = [extract(unit) for unit in segment(classify(decoded))]
    for item in items:
        first, last = item.lines
        assert 1 <= first <= last <= max(1, len(decoded))


@_settings("frontmatter_text")
@given(st.one_of(any_text, any_text.map(lambda t: f"---\n{t}\n---\n正文"), any_text.map(lambda t: "---\n" + t)))
def test_the_front_matter_reader_never_crashes(text: str) -> None:
    article, problems = parse_article(text, "content/x.md")
    assert (article is None) == any(p.severity == "error" for p in problems)
    lines = text.count("\n") + 2
    assert all(1 <= p.line <= lines and p.path == "content/x.md" for p in problems), problems


yaml_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.dates(), any_text),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(any_text, inner, max_size=4)),
    max_leaves=12,
)


@_settings("frontmatter_yaml")
@given(st.dictionaries(st.one_of(st.sampled_from(KEY_ORDER), any_text), yaml_value, max_size=10), any_text)
def test_the_front_matter_reader_never_crashes_on_yaml(front: dict[str, object], body: str) -> None:
    head = yaml.safe_dump(front, allow_unicode=True)
    article, problems = parse_article(f"---\n{head}---\n\n{body}", "content/x.md")
    assert (article is None) == any(p.severity == "error" for p in problems)


# Written by hand, as editors write them: tags, quotes, block scalars, flow lists.
YAML_FORMS = ["!!str 2023", "'单引号'", '"双引号\\t"', "|\n  第一行\n  第二行", ">-\n  折叠\n  文字", "[北京, 上海]",
              "[!!str 1, '2']", "[1, 二]", "- 北京\n- !!int 3", "2023-10-31", "~", "yes", "0x1f", "!!binary aGk=",
              "[[a], b]", "{a: 1}", "[]", "''", "'123'"]


@_settings("frontmatter_yaml")
@given(st.one_of(yaml_value.map(lambda v: yaml.safe_dump(v, allow_unicode=True)), st.sampled_from(YAML_FORMS)))
def test_a_value_taken_as_it_stands_is_what_the_constructor_makes(value: str) -> None:
    """The front-matter reader takes strings and lists of strings from their nodes without the
    YAML constructor (`frontmatter._construct`): every value comes out as the constructor's."""
    node = yaml.compose(value, Loader=LOADER)
    if node is None:
        return
    made = yaml.constructor.SafeConstructor().construct_document(node)
    taken = _construct(yaml.constructor.SafeConstructor(), node)
    assert (type(taken), taken) == (type(made), made) or made != made  # (NaN is not itself)


# Non-empty once bidi controls are removed (a value of nothing but controls is an empty value).
field_text = st.one_of(newspaper_text, st.text(min_size=1, max_size=60)).filter(lambda t: strip_bidi(t).strip() != "")
articles = st.builds(
    Article,
    id=st.from_regex(ID_RE, fullmatch=True).map(lambda i: "20231031-" + i[9:]),
    kind=st.sampled_from(["article", "photo", "continuation", "notice"]),
    title=field_text, date=st.just(dt.date(2023, 10, 31)),
    source=st.builds(Source, file=field_text, lines=st.just((1, 2))),
    body=any_text, kicker=st.none() | field_text, subtitle=st.none() | field_text,
    column=st.none() | field_text, page=st.none() | st.integers(1, 999), dateline=st.none() | field_text,
    places=st.lists(field_text, max_size=3).map(tuple),
    authors=st.lists(st.builds(Author, name=field_text, role=field_text), max_size=3).map(tuple),
    summary=st.none() | field_text,
)


@_settings("roundtrip")
@given(articles)
def test_what_the_writer_writes_the_reader_reads_back(article: Article) -> None:
    """Either the reader names a forbidden character, or it gets the same article back (bidi
    controls aside, which it removes; the body's outer blank lines are not part of it)."""
    back, problems = parse_article(dump_article(article), "content/x.md")
    if back is None:
        assert any("contains a" in p.message for p in problems), problems
        return
    assert dump_article(back) == dump_article(_without_bidi(article))


def _without_bidi(a: Article) -> Article:
    """The article as the reader gives it back: bidi controls removed from every text (a body
    of nothing but controls is no body)."""
    def opt(v: str | None) -> str | None:
        return None if v is None else strip_bidi(v)

    return dataclasses.replace(
        a, title=strip_bidi(a.title), body=strip_bidi(a.body), kicker=opt(a.kicker), subtitle=opt(a.subtitle),
        column=opt(a.column), dateline=opt(a.dateline), summary=opt(a.summary),
        source=Source(strip_bidi(a.source.file), a.source.lines), places=tuple(map(strip_bidi, a.places)),
        authors=tuple(Author(strip_bidi(x.name), strip_bidi(x.role)) for x in a.authors),
    )


@_settings("urls")
@given(st.text(), st.lists(st.text(), max_size=5), st.lists(st.text(), max_size=5))
def test_the_url_builder_never_crashes_and_stays_in_the_site(name: str, src: list[str], dst: list[str]) -> None:
    slug = author_slug(name)
    assert re.fullmatch(r"a-[0-9a-f]{10}", slug) and Urls.author(name) == f"authors/{slug}.html"
    assert unsafe_reason(Urls.author(name)) is None
    segments = [s for s in src + dst if s and "/" not in s and s not in (".", "..")]
    source = "/".join([*segments[:2], "index.html"])
    target = "/".join([*segments[2:], "x.html"])
    link = Urls.link(source, target)
    assert not link.startswith("/")
    assert posixpath.normpath(posixpath.join(posixpath.dirname(source), link)) == posixpath.normpath(target)


@_settings("conserve")
@given(page_lines, st.sampled_from([None, dt.date(2023, 10, 31)]))
def test_the_ingest_keeps_every_character_and_writes_readable_files(lines: list[str], date: dt.date | None) -> None:
    decoded, _, _ = decode_page("\n".join(lines).encode("utf-8"), "x.txt")
    if not decoded:
        return
    items = [extract(u) for u in segment(classify(decoded))]
    result = ingest_pages([RawPage("x.txt", decoded, date)])
    files = content_files(result)
    # Counted from the page and the written files: every character is in an article or in the
    # remainder (only furniture words have no field), none is invented, and the remainder
    # holds no prose of the page.
    missing, extra, remainder = count(decoded, files)
    assert set(missing) <= FURNITURE, "".join(missing.elements())
    assert not extra, "".join(extra.elements())
    assert prose(remainder, decoded) == "", prose(remainder, decoded)
    assert result.pages[0].unassigned == sum(remainder.values())
    # The articles carry exactly the items' text (the characters `account` counted) …
    def fields(x: object) -> tuple[object, ...]:
        return tuple(getattr(x, f) for f in ("kind", "title", "kicker", "subtitle", "column", "summary",
                                             "continued_from", "body", "authors", "dateline"))

    assert sorted(map(fields, result.articles), key=repr) == sorted(map(fields, items), key=repr)
    # … and every file holds exactly its article.
    by_id = {a.id: a for a in result.articles}
    for rel, data in files.items():
        if rel.startswith("_unassigned/"):
            continue
        back, problems = parse_article(data.decode("utf-8"), rel)
        assert back is not None and problems == [], (rel, problems)
        assert back == by_id[back.id] and rel == f"{back.date:%Y/%m/%d}/{back.id}.md"
        assert unsafe_reason(Urls.article(back)) is None


@_settings("ids")
@given(st.lists(page_lines, min_size=1, max_size=3))
def test_ids_are_unique_and_stable(pages_lines: list[list[str]]) -> None:
    pages = []
    for n, lines in enumerate(pages_lines):
        decoded, _, _ = decode_page("\n".join(lines).encode("utf-8"), f"{n:03d}.txt")
        if decoded:
            pages.append(RawPage(f"{n:03d}_{n}.txt", decoded, dt.date(2023, 10, 31)))
    first = ingest_pages(pages).articles
    ids = [a.id for a in first]
    assert len(ids) == len(set(ids)) and all(ID_RE.match(i) for i in ids)
    assert [a.id for a in ingest_pages(pages).articles] == ids  # same input, same ids
    # The order pages are given in does not move an id.
    assert {(a.id, a.title) for a in ingest_pages(list(reversed(pages))).articles} == {(a.id, a.title) for a in first}
