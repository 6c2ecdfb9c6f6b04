"""The whole build, top to bottom: read → structure → outputs → render what changed → swap.

>>> report = build_site(Path("content"), Path("public"))  # doctest: +SKIP
>>> report.pages["article"], report.unchanged, report.seconds  # doctest: +SKIP
(1, 11840, 0.41)

Incremental by default. Every output file has a key (what it shows, the code, the templates
it uses); the manifest in the output records each file's key and SHA-256. A build renders
only the outputs whose key changed (or whose file is gone) into a staging folder that starts
as a hard-linked copy of the live site, deletes what the site no longer has, and swaps the
staging folder into place. When no input file changed at all (sizes and mtimes of content,
templates, static files and code), it stops before reading anything. `full=True` ignores
the previous site. The result is byte-identical to a clean build either way (tested).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from site_builder.build.cache import load_parse_cache, save_parse_cache
from site_builder.build.content import read_content
from site_builder.build.fingerprint import code_fingerprint, site_signature, up_to_date
from site_builder.build.manifest import MANIFEST, FileEntry, file_sha256, load_manifest, manifest_text
from site_builder.build.output import Staging, static_files
from site_builder.build.outputs import Output, key_of
from site_builder.build.pages import site_pages
from site_builder.build.render import TemplateFingerprints, make_environment
from site_builder.build.structure import Archive, build_archive
from site_builder.build.themes import THEMES_ROOT, template_dirs, theme_dirs
from site_builder.build.workers import default_jobs, render_outputs
from site_builder.models import Problem

Progress = Callable[[str, int, int], None]  # (stage, done, total)
Producer = Callable[[Archive], Iterable[Output]]
PostRender = Callable[[Path], None]


class BuildError(Exception):
    """Content (or the theme) has errors; nothing was written to the output folder."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


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
    producers: Sequence[Producer] = (),
    jobs: int | None = None,
    full: bool = False,
) -> BuildReport:
    """Build `content_dir` into `out_dir` with `theme`; raise BuildError on content errors.

    `post_render(staging_dir)` runs on the finished site before it replaces `out_dir`
    (the place for search indexing); if it raises, `out_dir` is left as it was. The files
    under its `owns` prefixes (e.g. `pagefind/`) are its own: kept for it, never deleted here.
    """
    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)

    themes = theme_dirs(theme, themes_root)
    if not themes[0].is_dir():
        raise BuildError([Problem(str(themes[0]), 1, f"unknown theme '{theme}'")])
    search_path = template_dirs(themes, content_dir)
    static_dirs = [t / "static" for t in themes]
    owned = tuple(getattr(post_render, "owns", ()))

    signature = site_signature(content_dir, theme, themes_root, post_render is not None)
    if not full and (current := up_to_date(out_dir, signature)) is not None:
        return BuildReport(MappingProxyType({}), 0, 0, len(current.files), 0, (), _since(started), noop=True)
    previous = None if full else load_manifest(out_dir)

    cache = {} if full else load_parse_cache(out_dir)
    stamps = {rel: entry[:2] for rel, entry in cache.items()}
    jobs = jobs or default_jobs()
    articles, problems = read_content(content_dir, cache=cache, jobs=jobs)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise BuildError(errors)
    report("read", len(articles), len(articles))

    archive = build_archive(articles)
    env = make_environment(search_path)
    outputs = [*site_pages(env, archive), *(o for make in producers for o in make(archive))]
    outputs += _static_outputs(static_files(static_dirs))
    _refuse_collisions(outputs, owned)
    keys = _final_keys(outputs, TemplateFingerprints(env))

    staging = Staging(out_dir)
    try:
        kept = staging.clone_live_site() if previous is not None else set()
        old = previous.files if previous is not None else {}
        dirty = [o for o in outputs if o.path not in kept or old.get(o.path, _NONE).key != keys[o.path]]
        entries = {o.path: old[o.path] for o in outputs if o.path in kept and old.get(o.path, _NONE).key == keys[o.path]}
        wanted = {o.path for o in outputs}
        stale = sorted(p for p in kept if p not in wanted and p != MANIFEST and not p.startswith(owned))
        for path in stale:
            staging.remove(path)

        counts: Counter[str] = Counter()
        for output, digest in render_outputs(dirty, staging.root, jobs,
                                             lambda n: report("render", n, len(dirty))):
            entries[output.path] = FileEntry(digest, keys[output.path])
            counts[output.kind] += 1

        if post_render is not None:
            post_render(staging.root)
        entries.update(_owned_entries(staging.root, owned, old))
        staging.write(MANIFEST, manifest_text(entries, signature))
        staging.swap_into_place()
    except BaseException:
        staging.discard()
        raise
    if stamps != {rel: entry[:2] for rel, entry in cache.items()}:
        save_parse_cache(out_dir, cache)

    return BuildReport(
        pages=MappingProxyType(dict(sorted(counts.items()))),
        articles=len(articles),
        editions=len(archive.editions),
        unchanged=len(outputs) - len(dirty),
        removed=len(stale),
        warnings=tuple(p for p in problems if p.severity == "warning"),
        seconds=_since(started),
    )


_NONE = FileEntry("", "")


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 3)


def _static_outputs(files: Mapping[str, Path]) -> list[Output]:
    return [Output("static", path, file_sha256(src), src.read_bytes) for path, src in files.items()]


def _refuse_collisions(outputs: Sequence[Output], owned: tuple[str, ...]) -> None:
    seen: dict[str, Output] = {}
    problems = []
    for output in outputs:
        if output.path in seen:
            problems.append(Problem(output.path, 1, f"two outputs would be written here: a {seen[output.path].kind} "
                                                    f"page and a {output.kind} page"))
        elif output.path == MANIFEST or output.path.startswith(owned):
            problems.append(Problem(output.path, 1, f"a {output.kind} page cannot be written to a reserved path"))
        seen[output.path] = output
    if problems:
        raise BuildError(problems)


def _final_keys(outputs: Sequence[Output], templates: TemplateFingerprints) -> dict[str, str]:
    """Each output's own key, with the code and its templates' fingerprints folded in."""
    code = code_fingerprint()
    return {o.path: key_of(o.key, code, templates.of(o.templates) if o.templates else "") for o in outputs}


def _owned_entries(root: Path, owned: tuple[str, ...], old: Mapping[str, FileEntry]) -> dict[str, FileEntry]:
    """Manifest entries for the files the post-render step wrote (search index …)."""
    entries = {}
    for prefix in owned:
        base = root / prefix
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files:
            entries[path.relative_to(root).as_posix()] = FileEntry(file_sha256(path))
    return entries
