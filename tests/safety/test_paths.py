"""Paths made from content stay inside the output folder and name one file each; symlinks in
content/ never lead the build or the ingest out of it."""

from __future__ import annotations

import os
import re
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import site_builder.urls as urls
from site_builder.frontmatter import ID_RE, parse_article
from site_builder.ingest.write import write_content
from site_builder.site.content import read_content
from site_builder.site.paths import ensure_safe, unsafe_reason
from site_builder.site.pipeline import BuildError, build_site
from site_builder.urls import Urls, author_slug
from tests.conftest import FIXTURE_CONTENT
from tests.site.test_content import good, write

HOSTILE_NAMES = ["../x", "..", "/etc/passwd", "a/b", "a\\b", "a\x00b", "", " ", "CON", "con.txt", "NUL", "COM1",
                 "lpt9.html", "x.", "x ", "..\\..\\windows", "%2e%2e%2f", "\u202e", "工会/../../"]


@pytest.mark.parametrize("bad", [f"20231031-{n}" for n in HOSTILE_NAMES] + HOSTILE_NAMES + ["20231031-ABC", "20231031-工会"])
def test_an_id_that_is_no_safe_file_name_is_refused(bad: str) -> None:
    text = good().replace("id: 20231031-3f9a2c1e", f"id: {bad!r}" if bad.strip() else "id: ''")
    article, problems = parse_article(text, "content/2023/10/31/x.md")
    assert article is None
    assert any(p.line == 2 and "'id'" in p.message for p in problems), problems


@settings(max_examples=300)
@given(st.from_regex(ID_RE, fullmatch=True))
def test_every_accepted_id_makes_a_safe_page_path(ident: str) -> None:
    path = f"2023/10/31/{ident}.html"
    assert unsafe_reason(path) is None
    assert Urls.link("2023/10/31/index.html", path) == f"{ident}.html"


@settings(max_examples=300)
@given(st.text())
def test_every_author_name_makes_a_safe_page_path(name: str) -> None:
    path = Urls.author(name)
    assert unsafe_reason(path) is None and path.startswith("authors/a-") and path.count("/") == 1


@pytest.mark.parametrize("path", ["../x.html", "a/../../x.html", "/etc/passwd", "a\\..\\x", "a\x00.html", "",
                                  "a//b.html", "./a.html", "authors/CON", "authors/con.html", "aux", "a.", "a /b",
                                  'a"b.html', "a:b.html", "a\nb.html"])
def test_unsafe_output_paths(path: str, tmp_path: Path) -> None:
    assert unsafe_reason(path) is not None
    with pytest.raises(ValueError, match="refusing to write"):
        ensure_safe(tmp_path, path)


def test_an_unsafe_output_stops_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever makes it (a bug, a theme's producer), a path out of the site is never written."""
    from site_builder.site import produce
    from site_builder.site.outputs import Output

    monkeypatch.setitem(produce.PRODUCERS, "about", lambda ctx, args: [Output("about", "../x.html", "k",
                                                                                    lambda: "x")])
    with pytest.raises(BuildError) as caught:
        build_site(FIXTURE_CONTENT, tmp_path / "public")
    assert [str(p) for p in caught.value.problems] == [
        "../x.html:1: a about cannot be written here: the path climbs out of its folder ('..')"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public-cache"]


def test_safe_output_paths() -> None:
    for path in ("index.html", "2023/10/31/20231031-3f9a2c1e.html", "authors/a-e6ded31eb9.html",
                 "region/shaanxi/index.html", "static/search.js", "2023/10/31/edition.epub", "search/g/2023/s0.js"):
        assert unsafe_reason(path) is None, path


def test_colliding_author_pages_stop_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two reporters whose pages would be one file (a slug collision, forced here)."""
    monkeypatch.setattr(urls, "author_slug", lambda name: "a-0000000000")
    with pytest.raises(BuildError) as caught:
        build_site(FIXTURE_CONTENT, tmp_path / "public")
    first = caught.value.problems[0]
    assert first.path == "authors/a-0000000000.html"
    assert re.fullmatch("two outputs would be written here: one by author .+, one by author .+", first.message)
    assert not (tmp_path / "public").exists()
    assert author_slug("邹倜然") == "a-e6ded31eb9"  # the real one is untouched


def test_duplicate_ids_name_both_files(tmp_path: Path) -> None:
    """Two files of one id would be one page: an error naming both (the second is misfiled too)."""
    c = tmp_path / "content"
    write(c, "2023/10/31/20231031-3f9a2c1e.md", good())
    write(c, "2023/10/31/_copy/20231031-3f9a2c1e.md", good())  # skipped: underscore folder
    os.symlink(c / "2023/10/31/20231031-3f9a2c1e.md", c / "2023/10/31/20231031-00000002.md")
    articles, problems = read_content(c)
    assert len(articles) == 1
    assert f"{c}/2023/10/31/20231031-3f9a2c1e.md:2: duplicate id '20231031-3f9a2c1e' " \
        f"(also in {c}/2023/10/31/20231031-00000002.md)" in [str(p) for p in problems]


def test_symlinks_out_of_content_are_refused(tmp_path: Path) -> None:
    c = tmp_path / "content"
    outside = tmp_path / "outside"
    write(outside, "10/31/20231031-3f9a2c1e.md", good())
    write(outside, "secret.md", good("20231031-00000009"))
    (c / "2023").mkdir(parents=True)
    os.symlink(outside, c / "2023/linked")  # a folder leading out
    os.symlink(outside / "secret.md", c / "2023/20231031-00000009.md")  # a file leading out
    write(c, "2023/10/31/20231031-3f9a2c1e.md", good())
    os.symlink(c / "2023/10", c / "2023/inside")  # a folder inside: not followed, said so
    os.mkfifo(c / "2023/10/31/20231031-0000fifo.md")  # reading a FIFO would hang the build
    articles, problems = read_content(c)
    assert [a.id for a in articles] == ["20231031-3f9a2c1e"]
    assert sorted(str(p) for p in problems) == sorted([
        f"{c}/2023/linked:1: symlink points outside the content folder",
        f"{c}/2023/inside:1: warning: symlinked folder inside the content folder: not read (move the files here)",
        f"{c}/2023/20231031-00000009.md:1: symlink points outside the content folder",
        f"{c}/2023/10/31/20231031-0000fifo.md:1: not a regular file",
    ])


def test_the_ingest_never_writes_or_deletes_through_a_symlink_out(tmp_path: Path) -> None:
    content, outside = tmp_path / "content", tmp_path / "outside"
    outside.mkdir()
    (outside / "10").mkdir()
    content.mkdir()
    os.symlink(outside, content / "2023")
    rel = "2023/10/31/20231031-3f9a2c1e.md"
    (content / ".ingest-state.json").write_text('{"2023/10/keep.md": "x", "../outside/victim.md": "y"}', "utf-8")
    (outside / "victim.md").write_text("不是我们的", "utf-8")
    report = write_content(content, {rel: good().encode(), "2022/08/16/x.md": b"---\n"})
    assert report.refused == ["2023/10/31/20231031-3f9a2c1e.md", "../outside/victim.md", "2023/10/keep.md"]
    assert report.written == ["2022/08/16/x.md"]
    assert sorted(p.relative_to(outside).as_posix() for p in outside.rglob("*")) == ["10", "victim.md"]


@pytest.mark.parametrize("name", ["..", ".", "a/b", "../../etc/passwd", "/abs", "CON", ""])
def test_a_page_file_from_the_manifest_cannot_leave_seeds(tmp_path: Path, name: str) -> None:
    from site_builder.ingest.manifest import read_manifest

    (tmp_path / "editions.yaml").write_text(f"- file: {name!r}\n  date: 2023-10-31\n", "utf-8")
    entries, _, problems = read_manifest(tmp_path / "editions.yaml", "editions.yaml")
    assert [e.file for e in entries if set(e.file) & set("/\\") or e.file in ("", ".", "..")] == []
    if name in ("..", ".", "a/b", "../../etc/passwd", "/abs", ""):
        assert problems and problems[0].line == 1


def test_ids_never_hold_characters_a_file_system_treats_specially() -> None:
    allowed = set(string.digits + string.ascii_lowercase + "-")
    assert ID_RE.pattern == r"^[0-9]{8}-[0-9a-z][0-9a-z-]{0,62}$" and allowed >= set("20231031-3f9a2c1e")
