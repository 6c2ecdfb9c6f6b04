"""read_content: every problem of every file in one run, each as `path:line: message`."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.models import KINDS, Author, Source
from site_builder.site import cache as cache_module
from site_builder.site.cache import load_parse_cache, save_parse_cache, write_parse_cache
from site_builder.site.content import read_content
from site_builder.site.pipeline import BuildError, build_site
from site_builder.site.stored import read_body, stored
from tests.conftest import FIXTURE_CONTENT

GOOD = """---
id: {id}
kind: article
title: 工会文化大餐火出圈的背后……
date: {date}
province: 浙江
source:
  file: 000_da4d75aed8247b84.txt
  lines: [100, 251]
---

日前，浙江省温州市总工会主办的“我最善辩”暨机关职工辩论邀请赛总决赛落幕。
"""


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def good(ident: str = "20231031-3f9a2c1e", date: str = "2023-10-31") -> str:
    return GOOD.format(id=ident, date=date)


def test_fixture_content_is_clean() -> None:
    articles, problems = read_content(FIXTURE_CONTENT)
    assert problems == []
    assert len(articles) == 11
    assert [a.date for a in articles] == sorted(a.date for a in articles)


def test_all_problems_in_one_run(tmp_path: Path) -> None:
    c = tmp_path / "content"
    write(c, "2023/10/31/20231031-00000001.md", good("20231031-00000001").replace("title:", "titel:"))
    write(c, "2023/10/31/20231031-00000002.md", good("20231031-00000002").replace(
        "title: 工会文化大餐火出圈的背后……\n", ""))
    write(c, "2023/10/31/20231031-00000003.md", good("20231031-00000003", "2023-13-31"))
    write(c, "2023/10/31/20231031-00000004.md", good("20231031-00000004"))
    write(c, "2023/11/01/20231031-00000004.md", good("20231031-00000004"))
    write(c, "2022/01/01/20231031-00000005.md", good("20231031-00000005"))
    write(c, "2023/10/31/20231031-00000006.md", good("20231031-00000006").replace(
        "kind: article", "kind: [article"))
    articles, problems = read_content(c)
    text = "\n".join(str(p) for p in problems)
    assert f"{c}/2023/10/31/20231031-00000001.md:4: unknown key 'titel'" in text
    assert f"{c}/2023/10/31/20231031-00000002.md:1: missing required key 'title'" in text
    assert f"{c}/2023/10/31/20231031-00000003.md:5: 'date'" in text
    dup = next(p for p in problems if "duplicate id" in p.message)
    assert dup.path == f"{c}/2023/11/01/20231031-00000004.md"
    assert "2023/10/31/20231031-00000004.md" in dup.message
    assert f"{c}/2022/01/01/20231031-00000005.md:5: file is in '2022/01/01'" in text
    assert f"{c}/2023/10/31/20231031-00000006.md:4: malformed YAML" in text
    for p in problems:
        assert str(p).startswith(f"{p.path}:{p.line}: ")
    # Files that parse are still returned (the first of two duplicates only): `check`
    # can list them, while the build refuses to run on any error.
    assert {a.id for a in articles} == {"20231031-00000004", "20231031-00000005"}


def test_id_must_match_date_and_file_name(tmp_path: Path) -> None:
    c = tmp_path / "content"
    write(c, "2023/10/31/20231031-aaaaaaaa.md", good("20221031-aaaaaaaa"))
    _, problems = read_content(c)
    messages = [p.message for p in problems]
    assert any("must start with its date '20231031-'" in m for m in messages)
    assert any("file name '20231031-aaaaaaaa.md' must be '20221031-aaaaaaaa.md'" in m for m in messages)


def test_unknown_province(tmp_path: Path) -> None:
    c = tmp_path / "content"
    write(c, "2023/10/31/20231031-3f9a2c1e.md", good().replace("province: 浙江", "province: 浙州"))
    _, problems = read_content(c)
    assert [(p.line, "unknown province" in p.message) for p in problems] == [(6, True)]


def test_undecodable_file(tmp_path: Path) -> None:
    c = tmp_path / "content"
    path = write(c, "2023/10/31/20231031-3f9a2c1e.md", "")
    path.write_bytes(good().encode("gb18030"))
    _, problems = read_content(c)
    assert len(problems) == 1 and problems[0].line == 1 and "UTF-8" in problems[0].message


def test_skips_unassigned_and_underscore_files(tmp_path: Path) -> None:
    c = tmp_path / "content"
    write(c, "2023/10/31/20231031-3f9a2c1e.md", good())
    write(c, "_unassigned/2023/10/31/rest.md", "not front-matter at all")
    write(c, "2023/10/31/_draft.md", "nor this")
    write(c, "2023/10/31/.hidden.md", "nor this")
    articles, problems = read_content(c)
    assert problems == [] and [a.id for a in articles] == ["20231031-3f9a2c1e"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_outside_is_refused(tmp_path: Path) -> None:
    c = tmp_path / "content"
    outside = write(tmp_path, "elsewhere/20231031-3f9a2c1e.md", good())
    (c / "2023/10/31").mkdir(parents=True)
    (c / "2023/10/31/20231031-3f9a2c1e.md").symlink_to(outside)
    articles, problems = read_content(c)
    assert articles == [] and "outside the content folder" in problems[0].message


def test_failed_build_leaves_previous_site(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    out = tmp_path / "public"
    build_site(content, out)
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    victim = content / "2023/10/31/20231031-3f9a2c1e.md"
    victim.write_text(victim.read_text(encoding="utf-8").replace("title:", "titel:"), encoding="utf-8")
    with pytest.raises(BuildError) as info:
        build_site(content, out)
    assert f"{victim}:4: unknown key 'titel'" in str(info.value)
    after = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert after == before
    # No staging folder left behind; the parse cache of the first build stays.
    assert sorted(tmp_path.iterdir()) == [tmp_path / ".public-cache", content, out]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlinked_folders_are_not_walked(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    outside = tmp_path / "elsewhere"
    shutil.copytree(FIXTURE_CONTENT / "2023", outside)
    (content / "2024").symlink_to(outside, target_is_directory=True)
    (content / "2023" / "loop").symlink_to(content, target_is_directory=True)
    articles, problems = read_content(content)
    assert [str(p) for p in problems] == [
        f"{content / '2023' / 'loop'}:1: warning: symlinked folder inside the content folder: not read "
        "(move the files here)",
        f"{content / '2024'}:1: symlink points outside the content folder",
    ]
    assert len(articles) == 11


def test_parse_cache_round_trip_gives_the_same_articles(tmp_path: Path) -> None:
    cache: dict = {}
    fresh, _ = read_content(FIXTURE_CONTENT, cache=cache)
    out = tmp_path / "public"
    save_parse_cache(out, cache)
    with load_parse_cache(out) as loaded:
        assert set(loaded) == set(cache) and len(loaded) == 11
        again, problems = read_content(FIXTURE_CONTENT, cache=loaded)
    assert problems == []
    assert [(a, a.digest, a.meta_digest, a.path) for a in again] == [(a, a.digest, a.meta_digest, a.path)
                                                                     for a in fresh]
    assert all(a.body and a.body == read_body(Path(b.path)) for a, b in zip(again, fresh, strict=True))
    # Repeated values are the very ones the parsed articles hold (shared, not copies).
    for name in ("date", "province", "page_name", "authors"):
        assert all(getattr(a, name) is None or all(x is y for x, y in zip(getattr(a, name), getattr(b, name),
                                                                          strict=True))
                   if name == "authors" else getattr(a, name) is getattr(b, name)
                   for a, b in zip(again, fresh, strict=True)), name
    # Bodies are not in the cache: they are read from the files.
    cached_text = (out.parent / ".public-cache" / "content.jsonl").read_text("utf-8")
    assert all(a.title in cached_text and a.body[:40] not in cached_text for a in fresh)


def _damage_a_line(text: str) -> str:
    first, second, rest = text.split("\n", 2)
    row = json.loads(second)
    return "\n".join([first, json.dumps(row[:-1], ensure_ascii=False), rest])


@pytest.mark.parametrize("damage", [
    lambda text: text[:len(text) // 2],  # cut in the middle of a line
    lambda text: text.replace('{"code": "', '{"code": "other', 1),  # another version of the code
    _damage_a_line,  # a field missing: never taken for the next one
    lambda text: text.replace('"2023-10-31"', "20231031", 1),  # a date that is no date
    lambda text: text.replace("\n[", "\n{", 1),
    lambda text: "",
])
def test_a_damaged_parse_cache_is_empty(tmp_path: Path, damage: Callable[[str], str]) -> None:
    cache: dict = {}
    read_content(FIXTURE_CONTENT, cache=cache)
    out = tmp_path / "public"
    save_parse_cache(out, cache)
    path = out.parent / ".public-cache" / "content.jsonl"
    with load_parse_cache(out) as loaded:
        assert len(loaded) == 11
    path.write_text(damage(path.read_text("utf-8")), "utf-8")
    with load_parse_cache(out) as loaded:
        assert loaded == {}


_TEXT = st.text(max_size=6)
_ARTICLE = st.builds(
    stored,
    st.fixed_dictionaries({
        "id": _TEXT, "kind": st.sampled_from(KINDS), "title": _TEXT, "date": st.dates(),
        "source": st.builds(Source, _TEXT, st.tuples(st.integers(0, 10**6), st.integers(0, 10**6))),
        "kicker": st.none() | _TEXT, "subtitle": st.none() | _TEXT, "column": st.none() | _TEXT,
        "page": st.none() | st.integers(-1, 99), "page_name": st.none() | _TEXT, "dateline": st.none() | _TEXT,
        "province": st.none() | _TEXT, "places": st.lists(_TEXT, max_size=3),
        "authors": st.lists(st.builds(Author, _TEXT, _TEXT), max_size=3), "summary": st.none() | _TEXT,
        "continued_from": st.none() | _TEXT, "also_in": st.lists(_TEXT, max_size=2), "path": _TEXT,
        "digest": _TEXT, "meta_digest": _TEXT,
    }),
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_TEXT, st.tuples(st.integers(0, 2**63), st.integers(0, 2**40), _ARTICLE), max_size=4))
def test_any_article_comes_back_from_the_parse_cache_as_it_went_in(cache: dict) -> None:
    """Whatever the text (quotes, newlines, U+2028, emoji …): every field, None or not."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "public"
        save_parse_cache(out, cache)
        with load_parse_cache(out) as loaded:
            # Written again as read, every line copied: the same bytes.
            assert _cache_bytes(loaded) == (Path(folder) / ".public-cache" / "content.jsonl").read_bytes()

    def fields(entries: dict) -> dict:  # (the bodies are read from files: these have none)
        return {rel: (*stamp, [getattr(a, f.name) for f in dataclasses.fields(a) if f.name != "body"])
                for rel, (*stamp, a) in entries.items()}

    assert fields(loaded) == fields(cache)


def _cache_bytes(cache: dict) -> bytes:
    out = io.BytesIO()
    write_parse_cache(cache, out)
    return out.getvalue()


def test_a_cache_written_again_copies_the_lines_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    out = tmp_path / "public"
    cache: dict = {}
    read_content(content, cache=cache)
    save_parse_cache(out, cache)
    untouched = load_parse_cache(out)
    read_content(content, cache=untouched)
    assert untouched.as_read()  # nothing read again: nothing to write
    untouched.close()
    files = sorted(content.rglob("2*.md"))
    edited, gone = files[0], files[1]
    edited.write_text(edited.read_text("utf-8").replace("title: ", "title: 改", 1), "utf-8")
    gone.unlink()
    write(content, "2023/11/01/20231101-00000001.md", GOOD.format(id="20231101-00000001", date="2023-11-01"))

    loaded = load_parse_cache(out)
    read_content(content, cache=loaded)
    assert not loaded.as_read()
    encoded: list[str] = []
    real = cache_module._fields
    monkeypatch.setattr(cache_module, "_fields", lambda article: encoded.append(article.id) or real(article))
    written = _cache_bytes(loaded)
    # Only the edited and the new article were encoded; the others' lines were copied …
    assert sorted(encoded) == sorted(["20231101-00000001", edited.stem])
    # … and the file is the one written from scratch, which reads back as the content.
    assert written == _cache_bytes(dict(loaded))
    (out.parent / ".public-cache" / "content.jsonl").write_bytes(written)
    with load_parse_cache(out) as again:
        assert read_content(content, cache=again)[0] == read_content(content)[0]
    loaded.close()


def test_a_last_line_cut_short_or_a_stale_stamp_is_not_copied(tmp_path: Path) -> None:
    cache: dict = {}
    read_content(FIXTURE_CONTENT, cache=cache)
    out = tmp_path / "public"
    save_parse_cache(out, cache)
    path = out.parent / ".public-cache" / "content.jsonl"
    path.write_bytes(path.read_bytes().removesuffix(b"\n"))  # (still valid JSON lines)
    with load_parse_cache(out) as loaded:
        assert len(loaded) == 11
        assert _cache_bytes(loaded) == _cache_bytes(cache)  # the last line is encoded again, whole
        assert loaded.source is not None
        # The file changed under the cache (no build does so): a line whose stamps are not
        # those read is not taken.
        loaded.source.seek(0)
        first, second, *rest = loaded.source.read().split(b"\n")
        row = json.loads(second)
        loaded.source = io.BytesIO(b"\n".join([first, json.dumps([row[0], row[1] + 1, *row[2:]],
                                                               ensure_ascii=False).encode(), *rest]))
        assert _cache_bytes(loaded) == _cache_bytes(cache)


def test_a_line_that_is_not_the_entry_read_is_not_copied(tmp_path: Path) -> None:
    cache: dict = {}
    read_content(FIXTURE_CONTENT, cache=cache)
    out = tmp_path / "public"
    save_parse_cache(out, cache)
    loaded = load_parse_cache(out)
    assert loaded.source is not None
    text = loaded.source.read()
    loaded.source.close()
    # The file held open now says other things at the same places: a line is taken only
    # when it is whole and names its entry, else the entry is encoded again.
    first, *lines = text.split(b"\n")
    loaded.source = io.BytesIO(b"\n".join([first, *reversed(lines[:-1]), b""]))
    assert _cache_bytes(loaded) == _cache_bytes(cache)
    loaded.close()


def test_parallel_parse_equals_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    from site_builder.site import content as content_module

    monkeypatch.setattr(content_module, "PARALLEL_PARSE", 0)
    parallel = read_content(FIXTURE_CONTENT, jobs=2)
    serial = read_content(FIXTURE_CONTENT, jobs=1)
    assert parallel == serial and [a.digest for a in parallel[0]] == [a.digest for a in serial[0]]
    assert [(a.path, a.meta_digest) for a in parallel[0]] == [(a.path, a.meta_digest) for a in serial[0]]


def test_articles_sent_one_by_one_share_their_repeated_values() -> None:
    # As the parse workers send them: each in a message of its own (a pickle shares values
    # only within one), the body left out.
    articles, _ = read_content(FIXTURE_CONTENT)
    received = [pickle.loads(pickle.dumps(a)) for a in articles]
    assert received == articles
    assert [(a.path, a.digest, a.meta_digest) for a in received] == [(a.path, a.digest, a.meta_digest)
                                                                     for a in articles]
    assert all(a.body[:20].encode() not in pickle.dumps(a) for a in articles if a.body)
    for name in ("province", "date", "page_name", "authors"):
        values = [getattr(a, name) for a in received if getattr(a, name)]
        if name == "authors":
            values = [author for authors in values for author in authors]
        assert len(values) > len(set(values)), name
        assert len({id(v) for v in values}) == len(set(values)), name


def test_a_body_saved_during_a_build_is_never_kept_under_its_old_digest(tmp_path: Path) -> None:
    """`build.py serve` rebuilds in one process: a file saved between parsing and rendering
    must not be remembered as the body of the text it replaced (an undo would show it)."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    articles, _ = read_content(content)
    article = articles[0]
    original = Path(article.path).read_bytes()
    Path(article.path).write_bytes(original + "\n改过的一段。\n".encode())  # saved mid-build
    assert article.body.endswith("改过的一段。")
    Path(article.path).write_bytes(original)  # the edit undone: the parsed digest matches again
    assert article.body == read_body(Path(article.path)) and "改过的一段" not in article.body
