"""The output manifest: every file of a built site with its SHA-256, and a check against it.

`<site>/.manifest.json` is written by the build just before the site goes live:

    {"format": 1, "inputs": "…", "files": {"index.html": {"key": "…", "sha256": "9f2c…"}, …}}

`key` is the build key the incremental pipeline recorded for the file ("" when none: the
search step's files); `inputs` the signature of the inputs the site was built from (see
`fingerprint.py`): equal signatures mean a rebuild has nothing to do.
`python build.py check --out public` runs `verify_site`: a missing, altered or extra file, or
a missing or corrupt manifest, is a `Problem` (`public/2023/10/31/index.html:1: altered …`).

>>> verify_site(Path("public"))  # doctest: +SKIP
[Problem(path='public/index.html', line=1, message='altered: its SHA-256 is not the one the build wrote')]
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

from site_builder.atomic import atomic_write
from site_builder.models import Problem

MANIFEST = ".manifest.json"
FORMAT = 1


@dataclass(frozen=True, slots=True)  # ~3 per article, twice over during a build: kept small
class FileEntry:
    sha256: str  # hex digest of the file's bytes
    key: str = ""  # the build key it was rendered from, "" if unknown


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def site_files(site: Path) -> list[str]:
    """Root-relative paths of every file and symlink under `site`, except the manifest; sorted."""
    found = []
    for folder, dirs, files in os.walk(site):
        rel_folder = Path(folder).relative_to(site)
        # A symlinked folder is listed as an entry of its own, never walked into.
        links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]
        dirs[:] = sorted(d for d in dirs if d not in links)
        for name in [*files, *links]:
            rel = (rel_folder / name).as_posix()
            if rel != MANIFEST:
                found.append(rel)
    return sorted(found)


def scan_site(site: Path, keys: Mapping[str, str] | None = None) -> dict[str, FileEntry]:
    """A manifest entry for every file under `site` (the keys, where given, recorded too)."""
    keys = keys or {}
    return {rel: FileEntry(file_sha256(site / rel), keys.get(rel, "")) for rel in site_files(site)}


@dataclass(frozen=True)
class Manifest:
    files: Mapping[str, FileEntry]
    inputs: str = ""


def manifest_text(files: Mapping[str, FileEntry], inputs: str = "") -> Iterator[str]:
    """The manifest as written, in pieces: the text `json.dumps(…, indent=1, sort_keys=True)`
    makes, without holding a copy of every entry as a dict (a 100,000-article site has 340,000).

    Each string is quoted by the function `json.dumps` itself quotes with (`ensure_ascii=False`),
    so the text is the same, without the cost of a `json.dumps` call for each of ~3 strings per
    entry; the entries are yielded `_ENTRIES_PER_PIECE` at a time, not one piece each."""
    names = sorted(files)
    yield '{\n "files": {'
    for start in range(0, len(names), _ENTRIES_PER_PIECE):
        piece = ",".join([_entry(rel, files[rel]) for rel in names[start:start + _ENTRIES_PER_PIECE]])
        yield f",{piece}" if start else piece
    yield f'{chr(10) + " " if files else ""}}},\n "format": {FORMAT}'
    yield f',\n "inputs": {_quoted(inputs)}\n}}\n' if inputs else "\n}\n"


_ENTRIES_PER_PIECE = 1000  # ~140 kB of text
# A string as `json.dumps(text, ensure_ascii=False)` writes it: the very function it calls.
_quoted = encode_basestring


def _entry(rel: str, entry: FileEntry) -> str:
    return (f'\n  {_quoted(rel)}: {{\n   "key": {_quoted(entry.key)},\n'
            f'   "sha256": {_quoted(entry.sha256)}\n  }}')


def manifest_bytes(files: Mapping[str, FileEntry], inputs: str = "") -> bytes:
    return "".join(manifest_text(files, inputs)).encode("utf-8")


def write_manifest(site: Path, files: Mapping[str, FileEntry]) -> None:
    atomic_write(site / MANIFEST, manifest_bytes(files))


# Absolute, `.` or `..` as a part, an empty part (`a//b`, `a/`), a backslash or NUL.
_UNSAFE = re.compile(r"\A/|(?:\A|/)\.{1,2}(?:/|\Z)|//|/\Z|[\\\x00]")


def _safe(rel: str) -> bool:
    """A manifest path must name a file inside the site, in its one spelling: no `..`, no
    absolute path, no `\\` (one regular expression: a manifest has ~3 entries per article)."""
    return bool(rel) and _UNSAFE.search(rel) is None


# What an unsafe path shows once every path is put between newlines (see `_all_safe`).
_UNSAFE_JOINED = ("\n\n", "\n/", "/\n", "//", "\\", "\x00",
                  "\n.\n", "\n./", "/.\n", "/./", "\n..\n", "\n../", "/..\n", "/../")


def _all_safe(rels: Collection[str]) -> bool:
    """Whether every path is `_safe`. The regular expression costs ~3 µs a path (~100 ms at
    10,000 articles); first, one look at all the paths put between newlines for the pieces any
    unsafe path has there (`.` or `..` between separators, `//`, a leading `/` …): that takes
    a few milliseconds. Only if one is found (a path may hold a newline) is each path checked.
    (The joined copy, ~14 MB at 100,000 articles, is let go before the entries are made.)"""
    joined = "\n".join(("", *rels, ""))
    return not any(piece in joined for piece in _UNSAFE_JOINED) or all(map(_safe, rels))


def _load(raw: bytes) -> dict[str, Any] | str:
    """The manifest's JSON with its `files` object, or the reason it is unusable."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return f"not valid JSON ({exc})"
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("files"), dict):
        return f"not a format {FORMAT} manifest"
    return data


# The end of a manifest as `manifest_text` writes it: its input signature, then the close.
_INPUTS_AT_END = re.compile(r',\n "inputs": ("(?:[^"\\\n]|\\.)*")\n}\n\Z')
_TAIL = 256


def signed_otherwise(site: Path, signature: str) -> bool:
    """Whether the manifest's end names other inputs than `signature` (its last bytes
    alone are read): then the site is out of date, and its whole JSON need not be read to
    tell. False when it names `signature`, or when its end is not as the build writes it."""
    try:
        with (site / MANIFEST).open("rb") as f:
            f.seek(max(0, f.seek(0, os.SEEK_END) - _TAIL))
            tail = f.read().decode("utf-8", "replace")
    except OSError:
        return False
    found = _INPUTS_AT_END.search(tail)
    try:
        return found is not None and json.loads(found[1]) != signature
    except ValueError:  # not a JSON string after all
        return False


def peek_manifest(site: Path) -> tuple[str, Collection[str]] | None:
    """The manifest's input signature and paths (entries not checked), or None: enough to
    tell that nothing changed, in half the time of `read_manifest`. An unsafe path can
    only make that check fail (it is never a file found in the site)."""
    try:
        data = _load((site / MANIFEST).read_bytes())
    except OSError:
        return None
    if isinstance(data, str):
        return None
    inputs = data.get("inputs", "")
    return (inputs if isinstance(inputs, str) else ""), data["files"].keys()


def _parse(raw: bytes) -> Manifest | str:
    """The manifest, or the reason it is unusable."""
    data = _load(raw)
    if isinstance(data, str):
        return data
    entries: dict[str, FileEntry] = {}
    files: dict[str, Any] = data["files"]
    unsafe = not _all_safe(files)  # then the first one (in the file's order) is named
    for rel, entry in files.items():
        if unsafe and not _safe(rel):
            return f"entry {rel!r} is not a path inside the site"
        if not (isinstance(entry, dict) and isinstance(entry.get("sha256"), str)
                and isinstance(entry.get("key", ""), str)):
            return f"entry {rel!r} has no sha256"
        entries[rel] = FileEntry(entry["sha256"], entry.get("key", ""))
    inputs = data.get("inputs", "")
    return Manifest(entries, inputs if isinstance(inputs, str) else "")


def load_manifest(site: Path) -> dict[str, FileEntry] | None:
    """The manifest's files of `site`, or None when it is missing or unreadable."""
    manifest = read_manifest(site)
    return dict(manifest.files) if manifest is not None else None


def read_manifest(site: Path) -> Manifest | None:
    """The manifest of `site` with its input signature, or None when missing or unreadable."""
    try:
        raw = (site / MANIFEST).read_bytes()
    except OSError:
        return None
    parsed = _parse(raw)
    return None if isinstance(parsed, str) else parsed


def verify_site(site: Path) -> list[Problem]:
    """Every difference between `site` and its manifest, one problem per file."""
    shown = str(site / MANIFEST)
    if not site.is_dir():
        return [Problem(str(site), 1, "no site here: the folder does not exist")]
    try:
        parsed = _parse((site / MANIFEST).read_bytes())
    except FileNotFoundError:
        return [Problem(shown, 1, "no manifest: this folder was not written by a complete build")]
    except OSError as exc:
        return [Problem(shown, 1, f"cannot read the manifest: {exc.strerror}")]
    if isinstance(parsed, str):
        return [Problem(shown, 1, f"corrupt manifest: {parsed}")]
    problems: list[Problem] = []
    present = set(site_files(site))
    files = parsed.files
    for rel in sorted(present | set(files)):
        path = site / rel
        entry = files.get(rel)
        if entry is None:
            problems.append(Problem(str(path), 1, "extra file: not written by the build"))
        elif rel not in present:
            problems.append(Problem(str(path), 1, "missing: the build wrote it, it is gone"))
        elif path.is_symlink() or not path.is_file():
            problems.append(Problem(str(path), 1, "not a regular file (the build writes no links or devices)"))
        else:
            try:
                digest = file_sha256(path)
            except OSError as exc:
                problems.append(Problem(str(path), 1, f"cannot read: {exc.strerror}"))
                continue
            if digest != entry.sha256:
                problems.append(Problem(str(path), 1, "altered: its SHA-256 is not the one the build wrote"))
    return problems
