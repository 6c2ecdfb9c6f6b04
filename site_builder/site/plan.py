"""The plan of a build: every output's path and key, and which must be rendered again.

An output's final key is its own (what it shows) combined with the code's and, for a
templated page, its templates' and the site settings'. An output is dirty unless the live
site has its file with the same key. Two outputs at one path, or a path outside the site or
reserved, are an error naming both.

>>> plan = plan_outputs(outputs, live_manifest.files, ("pagefind/",), templates, settings)  # doctest: +SKIP
>>> plan.total, plan.written  # doctest: +SKIP
(34115, 5)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain

from site_builder.models import Problem
from site_builder.site.fingerprint import code_fingerprint
from site_builder.site.manifest import MANIFEST, FileEntry
from site_builder.site.memo import Keyed
from site_builder.site.outputs import Output, key_of
from site_builder.site.paths import unsafe_reason
from site_builder.site.render import TemplateFingerprints
from site_builder.site.workers import MIN_PARALLEL


class BuildError(Exception):
    """Content (or the theme) has errors; nothing was written to the output folder."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


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
        sha256 = sha256_bytes(before.sha256) if before is not None and before.key == key.hex() else None
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


def sha256_bytes(text: str) -> bytes | None:
    """A manifest's SHA-256 as bytes; None unless it is one as the build writes it."""
    if len(text) != 2 * SHA_BYTES:
        return None
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        return None
    return raw if raw.hex() == text else None
