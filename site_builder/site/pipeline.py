"""The whole build, top to bottom: read → structure → outputs → render what changed → swap.

>>> report = build_site(Path("content"), Path("public"))  # doctest: +SKIP
>>> report.pages["article"], report.unchanged, report.seconds  # doctest: +SKIP
(1, 11840, 0.41)

Incremental by default. Every output file has a key (what it shows, the code, the templates
it uses); the manifest in the output records each file's key and SHA-256. A build renders
only the outputs whose key changed (or whose file is gone) into a staging folder that starts
as a hard-linked copy of the live site, deletes what the site no longer has, and swaps the
staging folder into place. Each edition's outputs (paths and keys) are planned anew only when
what they are made from changed (`memo`). When no input file changed at all (sizes and mtimes of content,
templates, static files and code), it stops before reading anything. `full=True` ignores
the previous site. The result is byte-identical to a clean build either way (tested).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from types import MappingProxyType
from typing import IO

from site_builder.config import SiteConfig
from site_builder.formats import citation, data, epub, feeds, sitemap
from site_builder.models import Edition, Problem
from site_builder.search.page import outputs as search_outputs
from site_builder.site.cache import (
    LoadedCache,
    cache_dir,
    install_parse_cache,
    load_parse_cache,
    write_parse_cache,
)
from site_builder.site.content import read_content
from site_builder.site.fingerprint import code_fingerprint, site_signature, up_to_date, walk_tree
from site_builder.site.manifest import MANIFEST, FileEntry, Manifest, file_sha256, manifest_text, read_manifest
from site_builder.site.memo import EditionMemo, Group, edition_context, memo_base, write_memo
from site_builder.site.output import Staging, static_files
from site_builder.site.outputs import Output, key_of
from site_builder.site.pages import edition_pages, site_pages
from site_builder.site.paths import collisions, planned_paths, unsafe_reason
from site_builder.site.render import TemplateFingerprints, fingerprints, make_environment
from site_builder.site.structure import Archive, build_archive
from site_builder.site.swap import remove_stale_builds
from site_builder.site.themes import THEMES_ROOT, template_dirs, theme_dirs
from site_builder.site.workers import ALONE, MIN_PARALLEL, Grouped, Renderers, default_jobs

Progress = Callable[[str, int, int], None]  # (stage, done, total)
Producer = Callable[[Archive, SiteConfig], Iterable[Output]]
EditionProducer = Callable[[Archive, SiteConfig, Edition], Iterable[Output]]  # one edition's files
PostRender = Callable[[Path], None]
Keyed = tuple[str, bytes]  # an output's path and final key, as the memo kept them

# The files besides the pages: feeds, sitemap, e-books, data for reuse, citation files.
DISTRIBUTION: tuple[Producer, ...] = (feeds.outputs, sitemap.outputs, data.outputs)
EDITION_DISTRIBUTION: tuple[EditionProducer, ...] = (epub.edition_outputs, data.edition_outputs,
                                                     citation.edition_outputs)
# Under the cache folder: the pieces big outputs keep between builds (see `pieces`).
PIECES = "pieces"


class BuildError(Exception):
    """Content (or the theme) has errors; nothing was written to the output folder."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Known:
    """What a caller read before `build_site`: the live site's manifest, the input signature."""

    manifest: Manifest | None
    signature: str


@dataclass(frozen=True)
class BuildReport:
    pages: Mapping[str, int]  # files written per kind: home, edition, article, static …
    articles: int
    editions: int
    unchanged: int  # output files kept from the previous build
    removed: int  # files of the previous build the site no longer has
    warnings: tuple[Problem, ...]
    seconds: float
    noop: bool = False  # no input changed: nothing was read or written

    @property
    def total_pages(self) -> int:
        """Pages (not theme assets) written."""
        return sum(n for kind, n in self.pages.items() if kind != "static")


def build_site(
    content_dir: Path,
    out_dir: Path,
    theme: str = "default",
    *,
    progress: Progress | None = None,
    post_render: PostRender | None = None,
    themes_root: Path = THEMES_ROOT,
    producers: Sequence[Producer] = DISTRIBUTION,
    edition_producers: Sequence[EditionProducer] = EDITION_DISTRIBUTION,
    config: SiteConfig | None = None,
    jobs: int | None = None,
    full: bool = False,
    known: Known | None = None,
) -> BuildReport:
    """Build `content_dir` into `out_dir` with `theme`; raise BuildError on content errors.

    `post_render(staging_dir)` runs on the finished site before it replaces `out_dir`
    (the place for search indexing); if it raises, `out_dir` is left as it was. The files
    under its `owns` prefixes (e.g. `pagefind/`) are its own: kept for it, never deleted here.
    `producers` make the site-wide files besides the pages (feeds, sitemap, bulk data),
    `edition_producers` each edition's (e-book, edition JSON, citation files).
    `known`: the live manifest and input signature, when the caller (the command line, for
    its quick no-op check) has read them already under the build lock.
    """
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)

    themes = theme_dirs(theme, themes_root)
    if not themes[0].is_dir():
        raise BuildError([Problem(str(themes[0]), 1, f"unknown theme '{theme}'")])
    search_path = template_dirs(themes, content_dir)
    static_dirs = [t / "static" for t in themes]
    owned = tuple(getattr(post_render, "owns", ()))

    config = config or SiteConfig()
    remove_stale_builds(out_dir)  # folders of killed builds go (or the old site comes back) first
    if known is None:
        signature = site_signature(content_dir, theme, themes_root, post_render is not None, config)
        previous = None if full else read_manifest(out_dir)  # read once: the no-op check and the plan
    else:
        signature, previous = known.signature, None if full else known.manifest
    if previous is not None and up_to_date(out_dir, (previous.inputs, previous.files.keys()), signature):
        return BuildReport(MappingProxyType({}), 0, 0, len(previous.files), 0, (), _since(started), noop=True)

    cache = LoadedCache() if full else load_parse_cache(out_dir)
    # Written out now and let go: the articles are all the rest of the build needs of it (at
    # 100,000 articles the cache's own entries hold ~18 MiB, in every forked worker too). Put
    # in place only when the build succeeds; an unnamed temporary file leaves nothing if not.
    written_cache: IO[bytes] | None = None
    with cache:
        jobs = jobs or default_jobs()
        articles, problems = read_content(content_dir, cache=cache, jobs=jobs)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise BuildError(errors)
        report("read", len(articles), len(articles))
        if not cache.as_read():
            written_cache = tempfile.TemporaryFile("w+b")
            try:
                write_parse_cache(cache, written_cache)
            except BaseException:
                written_cache.close()
                raise
    del cache

    archive = build_archive(articles)
    # No path made from content leaves the site or is claimed twice (named by both sources).
    clashes = collisions(planned_paths(archive))
    if clashes:
        raise BuildError(clashes)
    env = make_environment(search_path, site=config)
    statics = static_files(static_dirs)

    def edition_outputs(i: int) -> Iterator[Output]:
        yield from edition_pages(env, archive, i)
        for make_edition in edition_producers:
            yield from make_edition(archive, config, archive.editions[i])

    def site_outputs() -> Iterator[Output]:
        whole: list[Iterable[Output]] = [site_pages(env, archive), search_outputs(archive, env)]
        whole += [make(archive, config) for make in producers]
        yield from chain.from_iterable(whole)
        yield from _static_outputs(statics)

    def outputs() -> Iterator[Grouped]:
        # Made again by each worker process: the outputs are never all held in memory.
        # Edition by edition first: an edition's files are one group (see `workers`).
        for i in range(len(archive.editions)):
            for output in edition_outputs(i):
                yield i, output
        for output in site_outputs():
            yield ALONE, output

    old = previous.files if previous is not None else {}
    settings = repr(config)
    base = memo_base(code_fingerprint(), fingerprints(env).every(), settings,
                     *(_producer_name(p) for p in edition_producers))
    memo = EditionMemo.empty() if previous is None else EditionMemo.open(cache_dir(out_dir), base)
    groups: list[Group] = []

    def planned() -> Iterator[Output | Keyed]:
        """The outputs in the order of `outputs()`; an edition whose context is in the memo
        and whose files the live site has with the memo's keys, as (path, key) only."""
        editions = archive.editions
        for i, edition in enumerate(editions):
            context = edition_context(edition, editions[i - 1] if i else None,
                                      editions[i + 1] if i + 1 < len(editions) else None)
            date = edition.date.isoformat()
            entry = memo.get(date)
            items: list[Output | Keyed]
            if entry is not None and entry.context == context and entry.live(old):
                items = list(entry.keyed())
            else:
                items, entry = list(edition_outputs(i)), None
            start = groups[-1].end if groups else 0
            groups.append(Group(date, context, start, start + len(items), entry is not None))
            yield from items
        yield from site_outputs()

    with Renderers(outputs, jobs) as renderers:
        if previous is None:
            # Every output will be rendered: the workers are forked before the plan exists,
            # so that they never hold it (see `Renderers`); an article has at least a page.
            renderers.fork_now(archive.article_count)
        plan = plan_outputs(planned(), old, owned, fingerprints(env), settings)
        stale = sorted(p for p in old if p not in plan.index and p != MANIFEST and not p.startswith(owned))

        stores = cache_dir(out_dir) / PIECES
        if full:  # nothing kept from earlier builds is used
            shutil.rmtree(stores, ignore_errors=True)
        staging = Staging(out_dir, recycle=previous is not None)
        try:
            missing = staging.link_from_live_site(plan.kept() + [p for p in old if p.startswith(owned)],
                                                  _NewSite(plan.index, owned, old))
            # (The search step's own files are its own to check and make again.)
            plan.render_again(p for p in missing if not p.startswith(owned))
            counts: Counter[str] = Counter()
            same = 0  # rendered again with the bytes the live site has: its file is kept
            for kind, path, digest in renderers.render(plan.dirty, staging.root,
                                                       lambda n: report("render", n, plan.written), plan.listed,
                                                       stores=stores):
                plan.rendered(path, digest)
                before = old.get(path)
                if before is not None and before.sha256 == digest and staging.keep_live(path, digest):
                    same += 1
                else:
                    counts[kind] += 1

            if post_render is not None:
                post_render(staging.root)
            entries = plan.entries(_owned_entries(staging.root, owned, out_dir, old))
            # Written last: a site with a manifest is a complete one (`build.py check --out`).
            staging.write(MANIFEST, manifest_text(entries, signature))
            staging.swap_into_place()
        except BaseException:
            staging.discard()
            raise
    if written_cache is not None:
        with written_cache:
            install_parse_cache(out_dir, written_cache)
    if not memo.exhausted_exactly(len(groups)) or not all(g.memo for g in groups):
        write_memo(cache_dir(out_dir), base, groups, plan.index, bytes(plan.keys))

    return BuildReport(
        pages=MappingProxyType(dict(sorted(counts.items()))),
        articles=len(articles),
        editions=len(archive.editions),
        unchanged=plan.total - plan.written + same,
        removed=len(stale),
        warnings=tuple(p for p in problems if p.severity == "warning"),
        seconds=_since(started),
    )


class _NewSite:
    """The paths of the site being built: its outputs, the manifest, and the files of the
    post-render step (`owned`), which it keeps or replaces itself."""

    def __init__(self, outputs: Container[str], owned: tuple[str, ...], old: Mapping[str, FileEntry]) -> None:
        self.outputs, self.owned, self.old = outputs, owned, old

    def __contains__(self, path: object) -> bool:
        return path in self.outputs or path == MANIFEST or (
            isinstance(path, str) and path.startswith(self.owned) and path in self.old)


def _producer_name(producer: Callable[..., object]) -> str:
    """A module-level function by its name; anything else (a closure, a partial, an object,
    whose settings its name does not tell) by its repr, which differs from run to run: the
    memo is then never reused for it, never wrong."""
    name = getattr(producer, "__qualname__", None)
    if isinstance(name, str) and "<locals>" not in name and hasattr(producer, "__module__"):
        return f"{producer.__module__}.{name}"
    return repr(producer)


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 3)


def _static_outputs(files: Mapping[str, Path]) -> Iterator[Output]:
    for path, src in files.items():
        yield Output("static", path, file_sha256(src), src.read_bytes)


KEY_BYTES = 16  # a key is the first 16 bytes of a SHA-256 (32 hex digits in the manifest)
SHA_BYTES = 32
_UNKNOWN = bytes(SHA_BYTES)  # the SHA-256 of an output still to be rendered


@dataclass
class Plan:
    """What a build will write, output by output in the order of `outputs()`: its path, its
    key, whether it must be rendered and, once it is written (or kept from the live site),
    its SHA-256. Held as bytes, not an object per file: at 100,000 articles there are
    ~340,000 outputs, and every render worker is forked with the plan in its memory."""

    index: dict[str, int]  # path → position
    keys: bytearray  # KEY_BYTES per output
    digests: bytearray  # SHA_BYTES per output: the file's SHA-256, when not dirty
    dirty: bytearray
    written: int
    listed: list[Output] | None  # the dirty outputs themselves, when there are few (an edit)

    @property
    def total(self) -> int:
        return len(self.dirty)

    def kept(self) -> list[str]:
        """The outputs the live site has already (with the same key), in output order."""
        return [path for path, i in self.index.items() if not self.dirty[i]]

    def render_again(self, paths: Iterable[str]) -> None:
        """These files, kept from the live site by the plan, are gone from it: render them."""
        for path in paths:
            i = self.index.get(path)
            if i is not None and not self.dirty[i]:
                self.dirty[i] = 1
                self.written += 1
                self.listed = None  # not among the outputs kept: walk them all again

    def rendered(self, path: str, sha256: str) -> None:
        i = self.index[path]
        self.digests[i * SHA_BYTES:(i + 1) * SHA_BYTES] = bytes.fromhex(sha256)

    def entries(self, extra: Mapping[str, FileEntry]) -> Mapping[str, FileEntry]:
        """The manifest's entries: every output's, and `extra` (the search step's files)."""
        return _PlanEntries(self, extra)


class _PlanEntries(Mapping[str, FileEntry]):
    """A plan's outputs (and the files besides) as manifest entries, made when asked for."""

    def __init__(self, plan: Plan, extra: Mapping[str, FileEntry]) -> None:
        self.plan, self.extra = plan, extra

    def __getitem__(self, path: str) -> FileEntry:
        i = self.plan.index.get(path)
        if i is None:
            return self.extra[path]
        return FileEntry(self.plan.digests[i * SHA_BYTES:(i + 1) * SHA_BYTES].hex(),
                         self.plan.keys[i * KEY_BYTES:(i + 1) * KEY_BYTES].hex())

    def __iter__(self) -> Iterator[str]:
        return chain(self.plan.index, self.extra)

    def __len__(self) -> int:
        return len(self.plan.index) + len(self.extra)


def plan_outputs(outputs: Iterable[Output | Keyed], old: Mapping[str, FileEntry],
                 owned: tuple[str, ...], templates: TemplateFingerprints, settings: str) -> Plan:
    """Each output's final key (its own, the code's, its templates' and, for a templated
    page, the site settings it can show), or the (path, final key) the memo kept for it;
    dirty unless the live site has the file with the same key (a file gone from the live
    site is found when it is linked: `render_again`). Two outputs at one path are an error."""
    code = code_fingerprint()
    index: dict[str, int] = {}
    keys, digests, dirty = bytearray(), bytearray(), bytearray()
    listed: list[Output] | None = []
    problems = []
    # What an output's key is combined with, per set of templates: computed once per set.
    suffixes: dict[tuple[str, ...], str] = {}
    for output in outputs:
        if isinstance(output, Output):
            path, kind = output.path, output.kind
            suffix = suffixes.get(output.templates)
            if suffix is None:
                used = (templates.of(output.templates), settings) if output.templates else ""
                suffix = suffixes[output.templates] = key_of(code, used)
            key = hashlib.sha256(f"{output.key}\0{suffix}".encode()).digest()[:KEY_BYTES]
        else:
            (path, key), kind = output, "file"
        # (A path from the memo is one an earlier build planned, and checked, for the same
        # content; the live manifest has it with this key, or it is never taken: not again.)
        unsafe = unsafe_reason(path) if isinstance(output, Output) else None
        if unsafe is not None:
            problems.append(Problem(path, 1, f"a {kind} cannot be written here: {unsafe}"))
        elif path in index:
            problems.append(Problem(path, 1, f"two outputs would be written here (the second is a {kind})"))
        elif path == MANIFEST or path.startswith(owned):
            problems.append(Problem(path, 1, f"a {kind} cannot be written to a reserved path"))
        index[path] = len(dirty)
        keys += key
        before = old.get(path)
        sha256 = _sha256_bytes(before.sha256) if before is not None and before.key == key.hex() else None
        if sha256 is not None:
            digests += sha256
            dirty.append(0)
        else:
            digests += _UNKNOWN
            dirty.append(1)
            if listed is not None:
                if isinstance(output, Output) and len(listed) < MIN_PARALLEL:
                    listed.append(output)
                else:  # many, or one the memo kept as a path and key alone (its manifest
                    # entry has a malformed SHA-256): rendered from `outputs()` again
                    listed = None
    if problems:
        raise BuildError(problems)
    return Plan(index, keys, digests, dirty, sum(dirty), listed)


def _sha256_bytes(text: str) -> bytes | None:
    """A manifest's SHA-256 as bytes; None unless it is one as the build writes it."""
    if len(text) != 2 * SHA_BYTES:
        return None
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        return None
    return raw if raw.hex() == text else None


def _owned_entries(root: Path, owned: tuple[str, ...], live: Path,
                   old: Mapping[str, FileEntry]) -> dict[str, FileEntry]:
    """Manifest entries for the files the post-render step wrote (search index …). A file
    still the live site's own (the same file: the step kept its link) keeps the SHA-256
    the live manifest records for it; the others are read (at 10,000 articles the search
    index is ~11,000 files, of which an edit changes one unit's)."""
    entries = {}
    for prefix in owned:
        base = root / prefix
        if base.is_file():
            found = [prefix]
        else:
            start = prefix if prefix.endswith("/") else f"{prefix}/"
            found = [rel for rel, entry in walk_tree(str(base), start) if entry.is_file(follow_symlinks=False)]
        for rel in sorted(found):
            before = old.get(rel)
            if before is not None and _sha256_bytes(before.sha256) is not None and _same_file(root / rel, live / rel):
                entries[rel] = FileEntry(before.sha256)
            else:
                entries[rel] = FileEntry(file_sha256(root / rel))
    return entries


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
