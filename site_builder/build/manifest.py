"""The output manifest: every file of the built site with its SHA-256 and build key.

`<site>/.manifest.json`: `{"format": 1, "files": {"<root path>": {"key": …, "sha256": …}}}`.
An incremental build reads the keys to know what it may keep; `check --out` compares the
files on disk with the digests.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

MANIFEST = ".manifest.json"
FORMAT = 1


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    key: str = ""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Manifest:
    files: Mapping[str, FileEntry]
    inputs: str = ""  # signature of the inputs the site was built from (see fingerprint.py)


def load_manifest(site: Path) -> Manifest | None:
    """The manifest of `site`, or None when it has none (or an unreadable one)."""
    try:
        data = json.loads((site / MANIFEST).read_text("utf-8"))
        if data.get("format") != FORMAT:
            return None
        files = {path: FileEntry(e["sha256"], e.get("key", "")) for path, e in data["files"].items()}
        return Manifest(files, str(data.get("inputs", "")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def manifest_text(files: Mapping[str, FileEntry], inputs: str = "") -> str:
    entries = {p: {"key": e.key, "sha256": e.sha256} for p, e in sorted(files.items())}
    data = {"format": FORMAT, "inputs": inputs, "files": entries}
    return json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
