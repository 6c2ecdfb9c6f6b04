"""Planning and making one scope: its outputs' keys against the last build's, the changed ones
written into the staging folder.

An output's final key is its own (what it shows) combined with the code's and, for a
templated page, its templates' and the site settings'. It is written when the last build
recorded another key for its path (or none, or the path must be made again), and kept
otherwise: the staging folder holds the live site's file already. A file made again with
the bytes the live site has keeps the live file (its inode and mtime: a sync to the host
sees no change). The scope's outputs of the last build it no longer makes are removed.

>>> result = make_scope("edition\\t2023-10-31", ctx, previous, staging)  # doctest: +SKIP
>>> [(row.path, row.written) for row in result.rows][:1]  # doctest: +SKIP
[('2023/10/31/index.html', True)]
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.models import Problem
from site_builder.site.fingerprint import code_fingerprint
from site_builder.site.outputs import BuildError as BuildError
from site_builder.site.outputs import Output, key_of
from site_builder.site.paths import unsafe_reason
from site_builder.site.produce import Context, produce
from site_builder.site.render import fingerprints
from site_builder.site.workers import write_output

KEY_BYTES = 16  # a key is the first 16 bytes of a SHA-256



@dataclass(frozen=True)
class Row:
    """One output as this build leaves it."""

    path: str
    kind: str
    key: bytes
    sha256: bytes
    written: bool  # written by this build (else kept from the live site)
    # Made in the staging folder by this build, written or put back as the live file (either
    # way a name in its folder was added or replaced: the folder's time moved).
    made: bool = False


@dataclass
class ScopeResult:
    name: str
    rows: list[Row] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # outputs of the last build it no longer makes
    problems: list[Problem] = field(default_factory=list)


Previous = Mapping[str, tuple[bytes, bytes]]  # path → (key, sha256) as the last build left them


@dataclass(frozen=True)
class Staging:
    """Where a scope's files go: the staging folder, and the live site its kept files are from."""

    root: Path
    live: Path


def make_scope(name: str, ctx: Context, previous: Previous, staging: Staging,
               again: Collection[str] = ()) -> ScopeResult:
    """Plan the scope `name` and write its changed outputs into the staging folder. `again`:
    paths to write even if their key is unchanged (gone from the live site)."""
    result = ScopeResult(name)
    keys = Keys(ctx)
    seen: set[str] = set()
    for output in produce(name, ctx):
        path = output.path
        unsafe = unsafe_reason(path)
        if unsafe is not None:
            result.problems.append(Problem(path, 1, f"a {output.kind} cannot be written here: {unsafe}"))
            continue
        if path in seen:
            result.problems.append(Problem(path, 1, f"two outputs would be written here (the second is a {output.kind})"))
            continue
        seen.add(path)
        key = keys.of(output)
        before = previous.get(path)
        if before is not None and before[0] == key and path not in again:
            result.rows.append(Row(path, output.kind, key, before[1], False))
            continue
        if result.problems:
            continue  # (nothing more is written once the scope is known to fail)
        digest = bytes.fromhex(write_output(staging.root, output))
        written = not (before is not None and before[1] == digest and keep_live(staging, path, digest.hex()))
        result.rows.append(Row(path, output.kind, key, digest, written, made=True))
    result.removed = sorted(p for p in previous if p not in seen)
    return result


class Keys:
    """An output's final key: its own combined with the code's and, for a templated page, its
    templates' and the site settings' (computed once per set of templates)."""

    def __init__(self, ctx: Context) -> None:
        self.templates = fingerprints(ctx.env)
        self.settings = repr(ctx.config)
        self.code = code_fingerprint()
        self.suffixes: dict[tuple[str, ...], str] = {}

    def of(self, output: Output) -> bytes:
        suffix = self.suffixes.get(output.templates)
        if suffix is None:
            used = (self.templates.of(output.templates), self.settings) if output.templates else ""
            suffix = self.suffixes[output.templates] = key_of(self.code, used)
        return hashlib.sha256(f"{output.key}\0{suffix}".encode()).digest()[:KEY_BYTES]


def keep_live(staging: Staging, path: str, sha256: str) -> bool:
    """Put the live site's file back in place of the one just written at `path`, when it
    still has the bytes just written (`sha256`). False (the new file stays) when the live
    site has no such file, or a link, or other bytes (altered by hand: the new file mends it)."""
    dst = os.path.join(staging.root, path)
    tmp = f"{dst}.live-{os.getpid()}"
    try:
        os.link(os.path.join(staging.live, path), tmp, follow_symlinks=False)
    except OSError:
        return False
    try:  # the very file to be installed is checked (O_NOFOLLOW: a link is refused)
        with os.fdopen(os.open(tmp, os.O_RDONLY | os.O_NOFOLLOW), "rb") as f:
            same = hashlib.file_digest(f, "sha256").hexdigest() == sha256
    except OSError:
        same = False
    if not same:
        os.unlink(tmp)
        return False
    os.replace(tmp, dst)
    return True
