"""Incremental builds: after any change, the site equals a clean build of the same content,
byte for byte, and only the pages that show what changed are written."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from site_builder.site import making, workers
from site_builder.site.making import REWRITTEN_SHARE
from site_builder.site.output import spare_dir
from site_builder.site.pipeline import BuildReport, build_site
from site_builder.site.render import TemplateFingerprints, make_environment
from site_builder.site.state import STATE_FILE, State, cache_dir
from site_builder.site.themes import THEMES_ROOT, template_dirs, theme_dirs
from site_builder.site.verify import verify_site
from tests.conftest import FIXTURE_CONTENT

WENZHOU = "2023/10/31/20231031-3f9a2c1e"  # 工会文化大餐火出圈的背后……, 浙江, 邹倜然 and 邵晨晨


def tree(site: Path) -> dict[str, bytes]:
    """Every file of a site."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "project" / "content"
    shutil.copytree(FIXTURE_CONTENT, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_same_as_clean_build(content: Path, site: Path, tmp_path: Path) -> BuildReport:
    clean = tmp_path / "clean" / "public"
    report = build_site(content, clean, full=True)
    assert tree(site) == tree(clean)
    return report


def assert_same_counts(report: BuildReport, clean: BuildReport) -> None:
    """An incremental build's numbers (kept in the state from build to build) are a clean build's."""
    assert (report.articles, report.editions) == (clean.articles, clean.editions)
    assert report.unchanged + sum(report.pages.values()) == sum(clean.pages.values())


def assert_folder_times_kept(site: Path) -> None:
    """The state's folder times are those of the live site's folders and of the spare's: what
    a build compares to find a folder changed by hand."""
    state = State.open(cache_dir(site))
    try:
        live = "b" if state.get("dirs") == "b" else "a"
        trees = {live: site, "b" if live == "a" else "a": spare_dir(site)}
        if state.get("spare") is None:
            del trees["b" if live == "a" else "a"]
        rows = state.db.execute("SELECT path, a, b FROM dirs").fetchall()
    finally:
        state.close()
    for column, root in trees.items():
        kept = {path: (a if column == "a" else b) for path, a, b in rows}
        kept = {path: mtime for path, mtime in kept.items() if mtime is not None}
        folders = [root, *(p for p in root.rglob("*") if p.is_dir())]
        found = {"" if p == root else p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in folders}
        assert kept == found, (column, root.name, set(kept.items()) ^ set(found.items()))


def written(report: BuildReport) -> dict[str, int]:
    return dict(report.pages)


def change_body(content: Path) -> None:
    edit(content / f"{WENZHOU}.md", "视频在市各报网", "视频在全市各报网")


def change_title(content: Path) -> None:
    edit(content / f"{WENZHOU}.md", "title: 工会文化大餐火出圈的背后……", "title: 工会文化大餐为何火出圈")


def add_edition(content: Path) -> None:
    src = content / f"{WENZHOU}.md"
    day = content / "2023/11/01"
    day.mkdir(parents=True)
    text = src.read_text(encoding="utf-8").replace("20231031-3f9a2c1e", "20231101-3f9a2c1e")
    (day / "20231101-3f9a2c1e.md").write_text(text.replace("date: 2023-10-31", "date: 2023-11-01"), "utf-8")


def delete_article(content: Path) -> None:
    (content / f"{WENZHOU}.md").unlink()


def override(content: Path, name: str, old: str, new: str) -> None:
    """The site's own copy of a default template, with `old` replaced by `new`."""
    templates = content.parent / "templates"
    templates.mkdir(exist_ok=True)
    text = (Path(__file__).parents[2] / "themes/default/templates" / name).read_text(encoding="utf-8")
    assert old in text
    (templates / name).write_text(text.replace(old, new, 1), encoding="utf-8")


def override_template(content: Path) -> None:
    override(content, "article.html", "返回本期", "返回本期版面")


def rebuilt_after(change: Callable[[Path], None], content: Path) -> BuildReport:
    """Build the site, make the change, build again: the second build's report."""
    site = content.parent / "public"
    build_site(content, site)
    change(content)
    return build_site(content, site)


@pytest.mark.parametrize("change", [change_body, change_title, add_edition, delete_article, override_template])
def test_incremental_build_equals_clean_build(
    change: Callable[[Path], None], content: Path, tmp_path: Path
) -> None:
    report = rebuilt_after(change, content)
    assert not report.noop
    assert_same_counts(report, assert_same_as_clean_build(content, content.parent / "public", tmp_path))


def test_body_edit_rewrites_only_the_pages_that_show_the_article(content: Path) -> None:
    site = content.parent / "public"
    build_site(content, site)
    ris = site / f"{WENZHOU}.ris"
    before = ris.stat()
    change_body(content)
    report = build_site(content, site)
    # Its page, the day's e-book and JSON, the month's JSONL, the site's feed and 浙江's feed (full
    # text), its search file and the search shards of the words the edit changed (its search
    # unit is made again; the shards left as they were keep their files). Not the pages that
    # list it (its day, home, 浙江, its reporters), its BibTeX, the edition index: they show its
    # front-matter, which did not change. Its RIS file is made again (its abstract is the
    # body's opening) but has the same bytes: the live file stays, inode and mtime.
    counts = written(report)
    assert 2 <= counts.pop("search-index") <= 4
    assert counts == {"article": 1, "epub": 1, "data": 2, "feed": 2}
    assert report.removed == 0
    after = ris.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_live_file_altered_by_hand_is_mended_when_its_bytes_are_made_again(
        content: Path, tmp_path: Path) -> None:
    """The RIS file made again by a body edit has the bytes the build recorded; the live one,
    cut by hand, has not: the new one goes live, not a link to the damaged one."""
    site = content.parent / "public"
    build_site(content, site)
    ris = site / f"{WENZHOU}.ris"
    ris.write_bytes(ris.read_bytes()[:20])  # (through every link to it)
    change_body(content)
    build_site(content, site)
    assert verify_site(site) == []
    assert_same_as_clean_build(content, site, tmp_path)


def test_an_editors_swap_file_among_the_templates_is_no_template(content: Path, tmp_path: Path) -> None:
    override_template(content)
    (content.parent / "templates" / ".article.html.swp").write_bytes(b"b0VIM 9.0\x00\xff\xfe" * 50)
    site = content.parent / "public"
    build_site(content, site)
    change_title(content)
    build_site(content, site)
    clean = tmp_path / "clean" / "public"
    build_site(content, clean, full=True)
    assert tree(site) == tree(clean)


def test_a_theme_that_shows_bodies_in_a_list_is_rebuilt_by_a_body_edit(content: Path, tmp_path: Path) -> None:
    """A listing is keyed by front-matter only while its templates cannot show the body."""
    override(content, "edition.html", "{% block main %}",
             "{% block main %}{% for a in edition.articles %}{{ a.body|markdown }}{% endfor %}")
    report = rebuilt_after(change_body, content)
    assert report.pages["edition"] == 1 and "home" not in report.pages
    assert_same_as_clean_build(content, content.parent / "public", tmp_path)


def test_title_edit_also_rewrites_the_neighbours_that_link_to_it(content: Path) -> None:
    report = rebuilt_after(change_title, content)
    assert report.pages["article"] == 3  # itself and the two articles whose pager names it


def test_template_change_rebuilds_only_what_uses_it(content: Path) -> None:
    site = content.parent / "public"
    first = build_site(content, site)
    override_template(content)
    report = build_site(content, site)
    assert written(report) == {"article": first.pages["article"]}  # and no e-book, feed or data file


def test_deleted_article_removes_its_page(content: Path) -> None:
    site = content.parent / "public"
    report = rebuilt_after(delete_article, content)
    # Its page, its RIS and BibTeX files, the pages of its two reporters, who signed nothing
    # else here: each one's first page and year page; 浙江's 2023 page (浙江 has 2022); and the
    # search file of its day's last doc (the day has one doc fewer).
    assert report.removed == 9 and not (site / "region/zhejiang/2023.html").exists() and not (site / f"{WENZHOU}.html").exists()
    assert not (site / f"{WENZHOU}.ris").exists() and not (site / f"{WENZHOU}.bib").exists()
    assert not list(site.glob("authors/a-e6ded31eb9*"))  # 邹倜然


def test_nothing_changed_reads_and_writes_nothing(content: Path) -> None:
    site = content.parent / "public"
    build_site(content, site)
    stamps = {p: p.stat().st_mtime_ns for p in site.rglob("*")}
    report = build_site(content, site)
    assert report.noop and report.total_pages == 0
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*")} == stamps


@pytest.mark.parametrize("spare", [True, False])
def test_a_page_deleted_from_the_site_comes_back(content: Path, tmp_path: Path, spare: bool) -> None:
    """A folder of the site changed by hand (a file deleted, a file added): the next build is
    not a no-op, it swaps in the site as built; from the spare site (a link to the file it
    kept) or, without one, made again."""
    site = content.parent / "public"
    build_site(content, site)
    if spare:
        change_body(content)
        build_site(content, site)
    else:
        shutil.rmtree(spare_dir(site))
    (site / "about.html").unlink()
    (site / "2023" / "stray.html").write_text("x", encoding="utf-8")
    report = build_site(content, site)
    assert not report.noop
    assert written(report) == ({} if spare else {"about": 1})
    assert_same_as_clean_build(content, site, tmp_path)
    assert build_site(content, site).noop


def test_rebuild_never_writes_through_to_the_previous_sites_files(content: Path, tmp_path: Path) -> None:
    """Staging starts as hard links to the live site: a copy someone holds must not change."""
    site = content.parent / "public"
    build_site(content, site)
    held = tmp_path / "held.html"
    os.link(site / f"{WENZHOU}.html", held)
    before = held.read_bytes()
    change_body(content)
    build_site(content, site)
    assert held.read_bytes() == before
    assert (site / f"{WENZHOU}.html").read_bytes() != before


def test_parallel_and_serial_builds_are_identical(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "MIN_PARALLEL", 0)
    monkeypatch.setattr(workers, "BATCH", 3)
    parallel = build_site(content, tmp_path / "parallel" / "public", jobs=2, full=True)
    serial = build_site(content, tmp_path / "serial" / "public", jobs=1, full=True)
    assert parallel.pages == serial.pages
    assert tree(tmp_path / "parallel" / "public") == tree(tmp_path / "serial" / "public")


@pytest.mark.parametrize("damage", ["corrupt", "another format", "missing", "another folder"])
def test_a_state_that_cannot_be_used_means_a_full_build(content: Path, tmp_path: Path, damage: str) -> None:
    site = content.parent / "public"
    first = build_site(content, site)
    state = cache_dir(site) / STATE_FILE
    if damage == "corrupt":
        state.write_bytes(b"SQLite format 3\x00" + b"\x17" * 3000)
    elif damage == "another format":
        import sqlite3

        with sqlite3.connect(state) as db:
            db.execute("UPDATE meta SET value = '0' WHERE key = 'format'")
    elif damage == "missing":
        state.unlink()
    else:  # the site folder is not the one the state describes (a copy put in its place)
        shutil.copytree(site, tmp_path / "copy")
        shutil.rmtree(site)
        (tmp_path / "copy").rename(site)
    change_body(content)
    report = build_site(content, site)
    assert report.pages == first.pages
    assert [w.message for w in report.warnings if "building in full" in w.message] == (
        [] if damage == "another folder" else [report.warnings[0].message])
    assert_same_as_clean_build(content, site, tmp_path)
    assert verify_site(site) == []


def test_a_build_killed_after_the_content_was_read_is_finished_by_the_next(
        content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the content's changes reach is kept (`pending`) when they are read: a build that
    fails after that leaves it for the next, which finds no change in the files."""
    from site_builder.site import making

    site = content.parent / "public"
    build_site(content, site)
    change_title(content)

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(making, "make_all", killed)
    with pytest.raises(KeyboardInterrupt):
        build_site(content, site)
    monkeypatch.undo()
    report = build_site(content, site)
    assert report.pages["article"] == 3
    assert_same_as_clean_build(content, site, tmp_path)


def test_a_failing_render_worker_fails_the_build_and_keeps_the_site(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from site_builder.site.outputs import Output

    site = content.parent / "public"
    build_site(content, site)
    before = tree(site)

    def broken() -> str:
        raise ValueError("模板出错")

    from site_builder.site import produce

    real = produce.PRODUCERS["edition"]
    monkeypatch.setitem(produce.PRODUCERS, "edition", lambda ctx, args: [
        *real(ctx, args), Output("feed", f"broken-{args[0]}.xml", "k", broken)])
    monkeypatch.setattr(workers, "MIN_PARALLEL", 0)
    change_body(content)
    with pytest.raises(RuntimeError, match="模板出错"):
        build_site(content, site, jobs=2, full=True)
    assert tree(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == [".public-cache", "content", "public"]


def test_of_the_default_theme_only_the_article_page_shows_bodies() -> None:
    env = make_environment(template_dirs(theme_dirs("default", THEMES_ROOT), FIXTURE_CONTENT))
    fingerprints = TemplateFingerprints(env)
    assert fingerprints.shows_body(("article.html",))
    assert not any(fingerprints.shows_body((name,)) for name in ("home.html", "edition.html", "region.html",
                                                                 "author.html"))


def counted_links(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The hard links made from now on, by their new paths."""
    links: list[str] = []
    real_link = os.link

    def counted(src: str, dst: str, **options: bool) -> None:
        links.append(dst)
        real_link(src, dst, **options)

    monkeypatch.setattr(os, "link", counted)
    return links


def test_builds_that_start_from_the_spare_site_equal_clean_builds(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the third build on, staging starts as the site the previous swap replaced (the
    spare), two builds old: after every kind of change, and changes undone, the site equals a
    clean build."""
    site = content.parent / "public"
    links = counted_links(monkeypatch)
    first = build_site(content, site)
    files = sum(first.pages.values())
    # Nothing was replaced: the spare is a copy of the first site, a link per file.
    into_spare = {d for d in links if f"/{spare_dir(site).name}.new/" in d}  # (a retry after a mkdir: once)
    assert spare_dir(site).is_dir() and len(into_spare) == sum(1 for p in site.rglob("*") if p.is_file())

    def undo_body(content: Path) -> None:
        edit(content / f"{WENZHOU}.md", "视频在全市各报网", "视频在市各报网")

    def page_deleted_from_site(content: Path) -> None:
        (site / "about.html").unlink()
        edit(content / f"{WENZHOU}.md", "视频在市各报网", "视频在各报网")

    def remove_edition(content: Path) -> None:
        shutil.rmtree(content / "2023/11")

    def same_pages(content: Path) -> None:  # (a new file digest: pages made again, with the bytes they had)
        with (content / f"{WENZHOU}.md").open("a", encoding="utf-8") as f:
            f.write("\n")

    steps = [change_body, same_pages, undo_body, change_title, add_edition, page_deleted_from_site,
             override_template, remove_edition, delete_article, undo_body]
    for n, change in enumerate(steps):
        if change is undo_body and n == len(steps) - 1:
            (content / f"{WENZHOU}.md").parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(FIXTURE_CONTENT / f"{WENZHOU}.md", content / f"{WENZHOU}.md")
        else:
            change(content)
        links.clear()
        report = build_site(content, site)
        linked = len(links)
        assert not report.noop, change.__name__
        assert_same_as_clean_build(content, site, tmp_path / str(n))
        assert_folder_times_kept(site)
        assert spare_dir(site).is_dir()
        if n < len(steps) - 1 and change in (change_body, undo_body):  # an edit links what changed, not the site
            assert linked < 20 < files, (change.__name__, linked)
    assert sorted(p.name for p in site.parent.iterdir()) == [".public-cache", "content", "public", "templates"]
    # What the builds put in the trash (replaced files, the stray ones) is deleted after them.
    trash = site.parent / ".public-cache" / "trash"
    deadline = time.monotonic() + 30
    while trash.exists() and any(trash.iterdir()):
        assert time.monotonic() < deadline, list(trash.iterdir())
        time.sleep(0.05)


def _killed_at_the_tenth_spare_link(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """`os.link` raising KeyboardInterrupt at the tenth link into the spare's copy (the
    list it returns holds the number of such links made or tried)."""
    real_link = os.link
    calls = [0]

    def killed(src: str, dst: str, **options: bool) -> None:
        if ".new/" in dst:
            calls[0] += 1
            if calls[0] == 10:
                raise KeyboardInterrupt
        real_link(src, dst, **options)

    monkeypatch.setattr(os, "link", killed)
    return calls


def test_a_build_killed_while_it_copies_the_site_as_the_spare(content: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that rewrote much of the site copies its new site as the spare (links) while it
    is flushed to disk, before the swap: killed halfway, the site it was to replace is live,
    whole and described by the state, and the next build brings the site up to date and
    leaves no half copy behind."""
    site = content.parent / "public"
    build_site(content, site)
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    change_body(content)
    monkeypatch.setattr(making, "REWRITTEN_SHARE", 10**9)  # (one file rewritten is much of the site)
    links = _killed_at_the_tenth_spare_link(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        build_site(content, site)
    monkeypatch.undo()
    assert links == [10]
    assert verify_site(site) == []
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    report = build_site(content, site)
    assert report.pages["article"] == 1
    assert not spare_dir(site).with_name(spare_dir(site).name + ".new").exists()
    assert_same_as_clean_build(content, site, tmp_path)
    assert sorted(p.name for p in spare_dir(site).parent.iterdir() if "spare" in p.name) == ["spare-site"]


def test_a_full_build_killed_while_it_links_its_files_into_the_spare(content: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A full build links each file it writes into the spare's copy as it goes: killed
    halfway, the site it was to replace is live and whole; the next build (full: the state
    no longer names the live site) leaves a whole spare and no half copy, from which an
    edit's build equals a clean build."""
    site = content.parent / "public"
    build_site(content, site)
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    links = _killed_at_the_tenth_spare_link(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        build_site(content, site, full=True)
    monkeypatch.undo()
    assert links == [10]
    # (The site is as it was; the state, made anew by `full`, names none: the next build is full.)
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    build_site(content, site)
    assert verify_site(site) == []
    assert not spare_dir(site).with_name(spare_dir(site).name + ".new").exists()
    spare = {p.relative_to(spare_dir(site)): p.stat().st_ino for p in spare_dir(site).rglob("*") if p.is_file()}
    assert spare == {p.relative_to(site): p.stat().st_ino for p in site.rglob("*") if p.is_file()}
    change_body(content)
    assert build_site(content, site).pages["article"] == 1
    assert_same_as_clean_build(content, site, tmp_path)


def test_a_build_killed_between_its_commit_and_its_swap(content: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The state names the site it is to put live and the one it replaces: killed in between,
    the live site still verifies, and the next build finishes the job from it."""
    from site_builder.site.output import Staging

    site = content.parent / "public"
    build_site(content, site)
    change_body(content)
    build_site(content, site)  # (a spare, and changes to replay on it)
    before = tree(site)
    change_title(content)

    def killed(self: Staging) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Staging, "swap_into_place", killed)
    with pytest.raises(KeyboardInterrupt):
        build_site(content, site)
    monkeypatch.undo()
    assert tree(site) == before and verify_site(site) == []
    report = build_site(content, site)
    assert report.pages["article"] == 3 and not report.warnings
    assert_same_as_clean_build(content, site, tmp_path)
    assert verify_site(site) == [] and build_site(content, site).noop


def test_duplicate_ids_are_followed_across_builds(content: Path, tmp_path: Path) -> None:
    """Two files of one id are looked for among the files a build reads again: each build
    reports what a clean build of the same content reports, as a copy comes, other files
    change, the copy's id changes back and forth, and the copy goes."""
    from site_builder.site.outputs import BuildError

    site = content.parent / "public"
    build_site(content, site)
    copy = content / "2023/10/31/20231031-00000077.md"
    original = (content / f"{WENZHOU}.md").read_text("utf-8")

    def errors(out: Path, **options: bool) -> list[str]:
        try:
            build_site(content, out, **options)
        except BuildError as exc:
            return sorted(str(p) for p in exc.problems)
        return []

    steps: list[Callable[[], None]] = [
        lambda: copy.write_text(original, "utf-8"),
        lambda: change_body(content),
        lambda: copy.write_text(original.replace(f"id: {WENZHOU.rsplit('/', 1)[1]}", "id: 20231031-00000077"), "utf-8"),
        lambda: copy.write_text(original, "utf-8"),
        lambda: copy.unlink(),
    ]
    for n, step in enumerate(steps):
        step()
        found = errors(site)
        assert found == errors(tmp_path / f"clean-{n}", full=True), n
        assert any("duplicate id '20231031-3f9a2c1e'" in e for e in found) == (n in (0, 1, 3)), (n, found)
        assert bool(found) == (n in (0, 1, 3)), (n, found)


def test_after_a_build_that_rewrote_most_of_the_site_an_edit_links_only_what_changed(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new theme rewrites every page: that build copies its site as the spare (a link per
    file), so that the next one-article fix does not replay every page's change on the old
    spare."""
    site = content.parent / "public"
    build_site(content, site)
    override(content, "base.html", "</body>", "<!-- 新版式 --></body>")
    links = counted_links(monkeypatch)
    report = build_site(content, site)
    files = sum(1 for p in site.rglob("*") if p.is_file())
    assert REWRITTEN_SHARE * sum(report.pages.values()) > files
    assert len({d for d in links if f"/{spare_dir(site).name}.new/" in d}) == files
    links.clear()
    change_body(content)
    assert build_site(content, site).pages["article"] == 1
    assert len(links) < 20 < files
    assert_same_as_clean_build(content, site, tmp_path)


def test_a_page_deleted_by_hand_stays_back_in_the_builds_after(content: Path, tmp_path: Path) -> None:
    """A page deleted from the live site that the next build does not make comes back from
    the spare; the build after that starts from the site the deletion was made in, and must
    bring it back too."""
    site = content.parent / "public"
    build_site(content, site)
    change_body(content)
    build_site(content, site)  # (a spare, and changes to replay on it)
    (site / "404.html").unlink()
    edit(content / f"{WENZHOU}.md", "视频在全市各报网", "视频在市各报网")
    build_site(content, site)
    assert (site / "404.html").is_file()
    change_body(content)
    build_site(content, site)
    assert_same_as_clean_build(content, site, tmp_path)


def test_an_edit_stats_only_the_folders_it_changed_and_still_finds_hand_changes_anywhere(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a build, only the folders it wrote in (and those the replay on the spare wrote in)
    are stat'ed, not every folder of the site; yet a file deleted by hand from a folder that
    no build touched for a while, in whichever of the two trees is live, is found by the next
    build and brought back."""
    from site_builder.site import folders as site_folders

    site = content.parent / "public"
    build_site(content, site)
    stats: list[int] = []
    real = site_folders._stat_folders

    def counted(root: Path, folders: Iterable[str]) -> list[tuple[str, int | None]]:
        found = real(root, folders)
        stats.append(len(found))
        return found

    monkeypatch.setattr(site_folders, "_stat_folders", counted)
    folders = sum(1 for p in site.rglob("*") if p.is_dir()) + 1
    pages = sorted(p for p in site.rglob("*.html") if "2023/10/31" not in p.as_posix() and p.name != "index.html")
    for n in range(4):  # (the live site and the spare change places at each build)
        edit(content / f"{WENZHOU}.md", *(("视频在市各报网", "视频在全市各报网") if n % 2 == 0 else
                                        ("视频在全市各报网", "视频在市各报网")))
        stats.clear()
        build_site(content, site)
        assert_folder_times_kept(site)
        # (The check before the build stats every folder, in a forked process; the record after
        # it, here, only those the build and the replay on the spare wrote in.)
        assert 0 < sum(stats) - stats.count(folders) * folders < folders / 2, (stats, folders)
        gone = pages[n * 7 % len(pages)]
        gone.unlink()
        report = build_site(content, site)
        assert not report.noop and gone.is_file(), gone
        assert_folder_times_kept(site)
        assert build_site(content, site).noop
    assert_same_as_clean_build(content, site, tmp_path)
