"""read_content: every problem of every file in one run, each as `path:line: message`."""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.models import KINDS, Article, Author, Source
from site_builder.site.content import read_content
from site_builder.site.pipeline import BuildError, build_site
from site_builder.site.rows import article_row, row_article
from site_builder.site.scan import Scan, scan_content
from site_builder.site.state import State
from site_builder.site.stored import read_body, stored
from site_builder.site.view import ArchiveView
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


def _scan(content: Path, state: State, **options: object) -> Scan:
    with state.transaction():
        return scan_content(content, state, **options)  # type: ignore[arg-type]


def test_the_state_gives_back_the_articles_read(tmp_path: Path) -> None:
    fresh, _ = read_content(FIXTURE_CONTENT)
    with State.create(tmp_path / "cache") as state:
        scan = _scan(FIXTURE_CONTENT, state)
        assert scan.problems == () and len(scan.changes) == 11
        view = ArchiveView(state.db, f"{FIXTURE_CONTENT}/")
        again = [a for day in view.dates() for a in view.edition(day).articles]  # type: ignore[union-attr]
    key = {a.id: a for a in fresh}
    assert len(again) == 11
    for article in again:
        was = key[article.id]
        assert (article, article.digest, article.meta_digest, article.path) == (was, was.digest, was.meta_digest,
                                                                               was.path)
        assert article.body == read_body(Path(was.path))
    # Bodies are not in the state: they are read from the files.
    with State.open(tmp_path / "cache") as state:
        kept = "".join(f for (f,) in state.db.execute("SELECT fields FROM articles"))
    assert all(a.title in kept and a.body[:40] not in kept for a in fresh)


def test_a_first_read_loads_the_rows_before_their_indexes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first read inserts its rows with the tables' indexes dropped and makes the indexes
    after: the state ends with the schema of a new one; a read that fails halfway leaves it
    as it was, indexes and all."""

    def schema(state: State) -> list[tuple[str, str]]:
        return state.db.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name").fetchall()

    with State.create(tmp_path / "new") as state:
        expected = schema(state)
    assert sum(1 for _, sql in expected if sql.startswith("CREATE INDEX")) >= 10
    statements: list[str] = []
    with State.create(tmp_path / "cache") as state:
        state.db.set_trace_callback(statements.append)
        _scan(FIXTURE_CONTENT, state)
        state.db.set_trace_callback(None)
        assert schema(state) == expected
    inserts = [i for i, sql in enumerate(statements) if sql.startswith("INSERT INTO articles")]
    dropped = [i for i, sql in enumerate(statements) if sql.startswith('DROP INDEX "articles_')]
    made = [i for i, sql in enumerate(statements) if sql.startswith("CREATE INDEX articles_")]
    assert len(inserts) == 11 and len(dropped) == len(made) == 8
    assert max(dropped) < min(inserts) and max(inserts) < min(made)

    # A read killed halfway: the transaction is rolled back, the indexes with it.
    from site_builder.site import scan as scanning

    calls = 0
    real_store = scanning.store_article

    def killed(*args: object, **options: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 5:
            raise KeyboardInterrupt
        real_store(*args, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(scanning, "store_article", killed)
    with State.create(tmp_path / "killed") as state:
        with pytest.raises(KeyboardInterrupt), state.transaction():
            scan_content(FIXTURE_CONTENT, state)
        assert schema(state) == expected
        assert state.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


def test_a_full_build_s_read_stays_in_the_log_until_it_is_copied_in(tmp_path: Path) -> None:
    """Within `checkpoint_deferred` a commit copies nothing into the database file (its pages
    stay in the write-ahead log, readable); `checkpoint`, on a connection of its own, copies
    them; after the block, a big commit is copied in at once again (SQLite's default)."""

    def rows(n: int, start: int) -> list[tuple[str, str]]:
        return [(f"k{i}", "页" * 700) for i in range(start, start + n)]  # (~6 MB: some 1,500 pages)

    with State.create(tmp_path / "cache") as state:
        empty = state.path.stat().st_size
        with state.checkpoint_deferred(), state.transaction():
            state.db.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", rows(3000, 0))
        assert state.path.stat().st_size == empty
        assert state.get("k2999") == "页" * 700
        state.checkpoint()
        copied = state.path.stat().st_size
        assert copied > 6_000_000
        with state.transaction():
            state.db.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", rows(3000, 3000))
        assert state.path.stat().st_size > copied + 6_000_000


def test_a_scan_reads_only_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from site_builder.site import content as reader

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    read: list[str] = []
    real = reader.parse_with_body
    monkeypatch.setattr(reader, "parse_with_body", lambda path: read.append(path) or real(path))
    with State.create(tmp_path / "cache") as state:
        _scan(content, state)
        assert len(read) == 11
        read.clear()
        assert _scan(content, state).changes == () and read == []
        edited = content / "2023/10/31/20231031-3f9a2c1e.md"
        edited.write_text(edited.read_text("utf-8").replace("视频在市各报网", "视频在全市各报网"), "utf-8")
        (content / "2022/08/16/20220816-07f2d6a4.md").unlink()
        write(content, "2022/08/17/20220817-3f9a2c1e.md", good("20220817-3f9a2c1e", "2022-08-17"))
        changes = _scan(content, state).changes
        assert sorted(read) == [str(content / "2022/08/17/20220817-3f9a2c1e.md"), str(edited)]
        assert {(c.rel, c.old is not None, c.new is not None) for c in changes} == {
            ("2023/10/31/20231031-3f9a2c1e.md", True, True), ("2022/08/16/20220816-07f2d6a4.md", True, False),
            ("2022/08/17/20220817-3f9a2c1e.md", False, True)}
        edit = next(c for c in changes if c.old and c.new)
        assert edit.old.meta_digest == edit.new.meta_digest and edit.old.digest != edit.new.digest


def test_a_file_with_errors_is_reported_again_without_being_read(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from site_builder.site import content as reader

    content = tmp_path / "content"
    write(content, "2023/10/31/20231031-3f9a2c1e.md", good().replace("kind: article", "kind: article\ntitel: x"))
    with State.create(tmp_path / "cache") as state:
        first = _scan(content, state).problems
        assert [p.message for p in first] == ["unknown key 'titel' (did you mean 'title'?)"]
        monkeypatch.setattr(reader, "parse_with_body", None)  # (not called: it would fail)
        assert _scan(content, state).problems == first
        assert _scan(content, state, folders={"2023/10/31"}).problems == first


def test_told_folders_are_the_only_ones_looked_at(tmp_path: Path) -> None:
    """`serve` knows what changed: the other folders are taken as they were."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    with State.create(tmp_path / "cache") as state:
        _scan(content, state)
        for day in ("2023/10/31", "2022/08/16"):
            path = next((content / day).glob("*.md"))
            path.write_text(path.read_text("utf-8") + "补记\n", "utf-8")
        assert [c.rel[:10] for c in _scan(content, state, folders={"2023/10/31"}).changes] == ["2023/10/31"]
        shutil.rmtree(content / "2022/09")  # a month gone: told by its folder
        assert {c.rel[:7] for c in _scan(content, state, folders={"2022/09"}).changes} == {"2022/09"}
        assert [c.rel[:10] for c in _scan(content, state).changes] == ["2022/08/16"]


_TEXT = st.text(max_size=6)
_ARTICLE = st.builds(
    stored,
    st.fixed_dictionaries({
        "id": _TEXT, "kind": st.sampled_from(KINDS), "title": _TEXT, "date": st.dates(),
        "source": st.builds(Source, _TEXT, st.tuples(st.integers(0, 10**6), st.integers(0, 10**6))),
        "kicker": st.none() | _TEXT, "subtitle": st.none() | _TEXT, "column": st.none() | _TEXT,
        "page": st.none() | st.integers(1, 999), "page_name": st.none() | _TEXT, "dateline": st.none() | _TEXT,
        "province": st.none() | _TEXT, "places": st.lists(_TEXT, max_size=3),
        "authors": st.lists(st.builds(Author, _TEXT, _TEXT), max_size=3), "summary": st.none() | _TEXT,
        "continued_from": st.none() | _TEXT, "also_in": st.lists(_TEXT, max_size=2), "path": st.just("x.md"),
        "digest": _TEXT, "meta_digest": _TEXT,
    }),
)


@settings(max_examples=200, deadline=None)
@given(_ARTICLE, st.integers(0, 2**63), st.integers(0, 2**40))
def test_any_article_comes_back_from_its_row_as_it_went_in(article: Article, mtime: int, size: int) -> None:
    """Whatever the text (quotes, newlines, U+2028, emoji …): every field, None or not."""
    row = article_row(article, "2023/10/31/x.md", (mtime, size))
    again = row_article(row.fields, "x.md")
    assert [getattr(again, f.name) for f in dataclasses.fields(Article) if f.name != "body"] == [
        getattr(article, f.name) for f in dataclasses.fields(Article) if f.name != "body"]
    assert (row.mtime_ns, row.size, row.folder) == (mtime, size, "2023/10/31")


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


def test_the_walk_shared_among_processes_finds_what_one_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from site_builder.site import walk

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    write(content, "top.md", good())  # a file at the top, and a symlinked folder there
    os.symlink(tmp_path, content / "elsewhere")
    serial = walk.walk_content(content, None, 1)
    monkeypatch.setattr(walk, "PARALLEL_WALK", 1)
    shared = walk.walk_content(content, None, 2)
    assert shared == serial and len(serial.stamps) == 4 and len(serial.problems) == 1
