"""The index files answer queries exactly: the Python reading of them (`query.search`) equals a
search of the docs themselves, for generated docs and queries; and a unit's files are a
function of its docs' cards and term records alone."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import replace
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.search import postings
from site_builder.search.catalog import catalog_file
from site_builder.search.digits import decode_postings, postings_text
from site_builder.search.docs import SearchDoc, day_order, doc_files, doc_terms, read_terms, term_weights
from site_builder.search.index import index_files
from site_builder.search.postings import UnitIndex, group_files, group_paths, read_group, shard_of, unit_index
from site_builder.search.query import Query, decode_days, search
from site_builder.search.text import WORD_CHARS, fold, pair_counts, pairs, searchable, words
from site_builder.search.units import Group, Unit

# Characters of real headlines (seeds/), few enough that pairs, words and texts collide.
CHARS = "工会职工服务中心全国总阶段简单温州文化GDP2023a股·，。（）“” "
# Headlines whose words the bodies have too: relevance puts headline words first.
HEADLINES = ["工会服务职工", "职工之家", "温州文化", "全国总工会", "GDP2023", "a股"]
DAYS = [dt.date(2022, 8, 16), dt.date(2022, 8, 17), dt.date(2022, 9, 16), dt.date(2023, 1, 5), dt.date(2023, 10, 31)]
PROVINCES = ["", "浙江", "北京"]
KINDS = ["article", "photo"]
COLUMNS = ["", "非凡十年·工会篇"]


@st.composite
def archives(draw: st.DrawFn) -> list[SearchDoc]:
    n = draw(st.integers(1, 24))
    docs = []
    for i in range(n):
        text = st.text(alphabet=CHARS, max_size=60) | st.lists(st.sampled_from(HEADLINES), max_size=6).map("，".join)
        docs.append(SearchDoc(
            id=f"d{i:03d}-{draw(st.integers(0, 9))}", url=f"a/{i}.html", date=draw(st.sampled_from(DAYS)),
            title=draw(st.sampled_from(HEADLINES) | st.text(alphabet=CHARS, min_size=1, max_size=12)),
            kicker=draw(st.sampled_from(["", *HEADLINES]) | text.map(lambda t: t[:10])),
            subtitle=draw(st.sampled_from(["", "服务职工"])), province=draw(st.sampled_from(PROVINCES)),
            kind=draw(st.sampled_from(KINDS)), column=draw(st.sampled_from(COLUMNS)), text=draw(text),
        ))
    return docs


@st.composite
def queries(draw: st.DrawFn, docs: list[SearchDoc]) -> Query:
    """Words cut out of the docs' texts (and now and then one that is in none), with filters."""
    found = []
    for _ in range(draw(st.integers(0, 3))):
        doc = draw(st.sampled_from(docs))
        text = searchable(doc.kicker, doc.title, doc.subtitle, doc.text)
        start = draw(st.integers(0, max(0, len(text) - 1)))
        found.append(text[start:start + draw(st.integers(1, 5))])
    if draw(st.booleans()):
        found.append(draw(st.text(alphabet=CHARS, min_size=1, max_size=3)))
    day = draw(st.sampled_from(DAYS)).isoformat()
    return Query(
        q=" ".join(found), province=draw(st.sampled_from(PROVINCES)), kind=draw(st.sampled_from(["", *KINDS])),
        column=draw(st.sampled_from(COLUMNS)), year=draw(st.sampled_from(["", "2022", "2023"])),
        month=draw(st.sampled_from(["", "08", "10"])), start=draw(st.sampled_from(["", day])),
        end=draw(st.sampled_from(["", "2022-09-16", "2023-12-31"])),
        sort=draw(st.sampled_from(["", "newest", "oldest"])),
    )


def brute_force(docs: list[SearchDoc], query: Query) -> list[str]:
    """The URLs of the docs that hold every word and pass every filter, in the documented order."""
    ws = words(query.q)
    keyed = [w for w in ws if pairs(w)]
    if query.q.strip() and not keyed:
        return []
    if not query.q.strip() and not any((query.province, query.kind, query.column, query.year, query.month,
                                        query.start, query.end)):
        pass  # (the page asks for a word or a filter; the index answers with every doc)
    hits = []
    for doc in docs:
        iso = doc.date.isoformat()
        text = searchable(doc.kicker, doc.title, doc.subtitle, doc.text)
        if not all(w in fold(text) for w in ws):
            continue
        if any(getattr(query, f) and getattr(query, f) != getattr(doc, f) for f in ("province", "kind", "column")):
            continue
        if ((query.year and iso[:4] != query.year) or (query.month and iso[5:7] != query.month)
                or (query.start and iso < query.start) or (query.end and iso > query.end)):
            continue
        counts, head = pair_counts(text), pair_counts(doc.headline)
        heads = sum(all(p in head for p in pairs(w)) for w in keyed)
        freq = sum(min(min(counts[p], 4) for p in pairs(w)) for w in keyed)
        hits.append((doc, heads, freq))
    newest = sorted(hits, key=lambda h: (h[0].date, h[0].id), reverse=True)
    if query.sort == "oldest":
        newest.reverse()
    elif query.sort != "newest" and query.q.strip():
        newest.sort(key=lambda h: (-h[1], -h[2]))  # (stable: newest first among equals)
    return [h[0].url for h in newest]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_index_answers_as_the_docs_do(data: st.DataObject) -> None:
    docs = data.draw(archives())
    files = index_files(docs, max_docs=data.draw(st.sampled_from([2, 5, 1000])),
                        max_group_docs=data.draw(st.sampled_from([1, 8, 1000])))
    for _ in range(4):
        query = data.draw(queries(docs))
        assert search(files.__getitem__, query) == brute_force(docs, query), query


def test_relevance_headline_then_how_often_then_newest() -> None:
    def doc(i: int, day: int, title: str, text: str) -> SearchDoc:
        return SearchDoc(f"d{i}", f"{i}.html", DAYS[day], title, "", "", "", "article", "", text)

    docs = [doc(0, 4, "新闻", "职工"), doc(1, 0, "服务职工", ""), doc(2, 1, "新闻", "职工职工职工"),
            doc(3, 2, "新闻", "职工"), doc(4, 3, "职工之家", "职工职工")]
    files = index_files(docs, max_docs=2, max_group_docs=3)
    # In the headline (4 twice: more often), then by how often (2), then newest first (0, 3).
    assert search(files.__getitem__, Query("职工")) == ["4.html", "1.html", "2.html", "0.html", "3.html"]
    assert search(files.__getitem__, Query("职工", sort="oldest")) == ["1.html", "2.html", "3.html", "4.html", "0.html"]
    assert search(files.__getitem__, Query("职工", sort="newest")) == ["0.html", "4.html", "3.html", "2.html", "1.html"]


def test_a_word_of_two_characters_needs_no_check_and_a_run_across_words_is_found() -> None:
    docs = [SearchDoc("a", "a.html", DAYS[0], "阶段简单", "", "", "", "article", "", "")]
    files = index_files(docs)
    assert search(files.__getitem__, Query("段简")) == ["a.html"]
    assert search(files.__getitem__, Query("ＧＤＰ")) == search(files.__getitem__, Query("gdp")) == []
    assert search(files.__getitem__, Query("段")) == []  # one character alone finds nothing


@given(st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 7)), unique_by=lambda x: x[0], max_size=50))
def test_posting_lists_read_back(postings: list[tuple[int, int]]) -> None:
    postings.sort()
    assert decode_postings(postings_text([8 * n + w for n, w in postings])) == postings


def _unit_docs() -> list[SearchDoc]:
    return [SearchDoc(f"2022081{i}-x{i}", f"2022/08/1{i}/x.html", dt.date(2022, 8, 10 + i % 3), f"职工之家第{i}期",
                      "温州市总工会" if i % 2 else "", "", PROVINCES[i % 3], KINDS[i % 2], COLUMNS[i % 2],
                      "工会服务职工，阶段简单。" * (i % 5)) for i in range(10)]


def test_a_unit_is_made_from_cards_and_records_alone_in_any_order() -> None:
    unit = Unit(2022, (8,))
    docs = _unit_docs()
    entries = [(d, doc_terms(d)) for d in docs]
    part = unit_index(unit, entries, 4)
    assert unit_index(unit, [(replace(d, text=""), record) for d, record in reversed(entries)], 4) == part
    assert set(part.shards) <= set(range(4)) and len(part.shards) > 1


def test_a_group_is_its_units_side_by_side_and_reads_back() -> None:
    units = (Unit(2022, (8,)), Unit(2022, (9,)))
    group = Group(units)
    docs = _unit_docs()
    parts = [unit_index(units[0], [(d, doc_terms(d)) for d in docs], 8),
             unit_index(units[1], [(replace(d, date=dt.date(2022, 9, 1)), doc_terms(d)) for d in docs[:3]], 8)]
    files = group_files(group, parts, 8)
    assert sorted(files) == sorted(group_paths(group, 8))
    assert read_group(files, group, 8) == {p.name: p for p in parts}


def test_terms_record_holds_each_pair_once_with_its_weight() -> None:
    doc = SearchDoc("x", "x.html", DAYS[0], "职工之家", "", "", "", "article", "", "职工职工职工职工职工")
    weights = term_weights(doc_terms(doc))
    # 职工: in the headline (4) and 6 times (capped at 4: 3); 工职: 4 times in the body alone.
    assert weights == {"职工": 7, "工之": 4, "之家": 4, "工职": 3}


_TEXT = st.text(st.sampled_from("职工之家工会ＧＤＰgdpAB12１２ 。，“”\n\t-—·𠀀〇"), max_size=80)


@settings(max_examples=300, deadline=None)
@given(_TEXT, _TEXT, _TEXT, _TEXT)
def test_terms_record_weighs_every_pair_as_the_definition_says(kicker: str, title: str, subtitle: str,
                                                               text: str) -> None:
    """Each pair of `text.pair_counts` of headline and body, once, weighed `min(tf, 4) - 1`,
    plus 4 when the headline has it; nothing else (no pair across a separator)."""
    doc = SearchDoc("x", "x.html", DAYS[0], title, kicker, subtitle, "", "article", "", text)
    record = doc_terms(doc)
    got = term_weights(record)
    head = pair_counts(doc.headline)
    expected = {pair: min(tf, 4) - 1 + (4 if pair in head else 0)
                for pair, tf in pair_counts(searchable(kicker, title, subtitle, text)).items()}
    assert got == expected
    # Grouped by weight, each group in the pairs' order; two bytes a code point unless one needs more.
    assert list(got.items()) == sorted(got.items(), key=lambda item: (item[1], item[0]))
    first, _, _ = read_terms(record)
    assert first.itemsize == (2 if all(ord(c) < 0x10000 for pair in got for c in pair) else 4)


def test_the_terms_tables_fold_and_tell_word_characters_as_the_text_module_does() -> None:
    """For every code point: the table's word characters are `WORD_CHARS`, and a character
    that folds (`text.fold`) to a word character is folded to it by the table."""
    from site_builder.search.docs import word_tables

    folded, word = word_tables()
    is_word = re.compile(f"[{WORD_CHARS}]")
    for code in range(0x110000):
        char = chr(code)
        assert bool(word[code]) == bool(is_word.fullmatch(char)), hex(code)
        target = fold(char)
        if is_word.fullmatch(target):
            assert folded[code] == ord(target), hex(code)
        else:
            assert not word[folded[code]], hex(code)


def test_a_terms_record_of_another_format_or_length_is_refused() -> None:
    record = doc_terms(SearchDoc("x", "x.html", DAYS[0], "职工之家", "", "", "", "article", "", "工会"))
    for bad in (b"T1" + record[2:], record[:-1], record + b"\0\0", record[:2] + b"\3" + record[3:], b"T2"):
        with pytest.raises(ValueError):
            read_terms(bad)


def _unit_index_by_hand(unit: Unit, entries: list[tuple[SearchDoc, bytes]], shards: int) -> UnitIndex:
    """`unit_index` as the format describes it, a posting at a time (its facets taken as made)."""
    records = {id(card): record for card, record in entries}
    lists: defaultdict[str, list[int]] = defaultdict(list)
    for n, card in enumerate(day_order(card for card, _ in entries)):
        for pair, weight in term_weights(records[id(card)]).items():
            lists[pair].append(8 * n + weight)
    by_shard: defaultdict[int, list[tuple[str, list[int]]]] = defaultdict(list)
    for pair, found in sorted(lists.items()):
        by_shard[shard_of(pair, shards)].append((pair, found))
    parts = {k: ["".join(p for p, _ in found), " ".join(postings_text(f) for _, f in found)] for k, found in by_shard.items()}
    return UnitIndex(unit.name, parts, unit_index(unit, entries, shards).facets)


_UNIT_TEXT = st.text(st.sampled_from("职工之家工会ＧＤＰgdp12 。𠀀𠀁〇"), max_size=30)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_UNIT_TEXT, _UNIT_TEXT), max_size=12), st.integers(1, 9), st.booleans())
def test_a_unit_is_the_postings_the_format_describes(texts: list[tuple[str, str]], shards: int, spread: bool) -> None:
    """A unit's part, made an array at a time, is the one made a posting at a time: for any
    docs, number of shards, characters beyond U+FFFF; docs far apart (numbers of 2 and 3
    digits); with the postings sorted as one number each or (too many bits) by pair."""
    unit = Unit(2022, (8,))
    docs = [SearchDoc(f"{i:04d}", f"{i}.html", dt.date(2022, 8, 1 + i % 28), title, "", "", "", "article", "", text)
            for i, (title, text) in enumerate(texts)]
    if spread:  # (doc numbers 0 … 700: gaps of hundreds)
        docs += [replace(docs[-1] if docs else SearchDoc("x", "x.html", DAYS[0], "", "", "", "", "article", ""),
                         id=f"z{i:04d}", date=dt.date(2022, 8, 31), text="职工之家𠀀𠀁" if i % 350 == 0 else "")
                 for i in range(700)]
    entries = [(d, doc_terms(d)) for d in docs]
    expected = _unit_index_by_hand(unit, entries, shards)
    assert unit_index(unit, entries, shards) == expected
    with mock.patch.object(postings, "_KEY_BITS", 8):
        assert unit_index(unit, entries, shards) == expected


def test_doc_files_are_ranked_by_id_within_their_day() -> None:
    docs = _unit_docs()
    files = doc_files(reversed(docs))
    assert files == doc_files(docs)
    day = sorted(d.id for d in docs if d.date == dt.date(2022, 8, 11))
    assert f'"url":"2022/08/1{day[0][7]}/x.html"'.encode() in files["search/d/2022/08/11/0.js"]


def test_catalog_days_read_back() -> None:
    counts = {dt.date(2022, 8, 16): 3, dt.date(2022, 8, 20): 120, dt.date(2022, 9, 1): 1}
    _, data = catalog_file([Group((Unit(2022, (8, 9)),))], counts, 1)
    from site_builder.search.script import read_data_script

    catalog = read_data_script(data)
    assert isinstance(catalog, dict)
    ((entry,),) = [g["units"] for g in catalog["groups"]]
    assert decode_days(entry["first"], entry["days"]) == sorted(counts.items())
