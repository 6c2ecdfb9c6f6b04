"""A built site checked against the build state: every file the build wrote, with its SHA-256.

`python build.py check --out public` runs `verify_site`: a missing, altered or extra file, or
a missing or unusable build state (`.public-cache/state.sqlite`), or a state that describes
another folder, is a `Problem` (`public/2023/10/31/index.html:1: altered …`).

>>> verify_site(Path("public"))  # doctest: +SKIP
[Problem(path='public/index.html', line=1, message='altered: its SHA-256 is not the one the build wrote')]
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from site_builder.models import Problem
from site_builder.site.state import State, StateError, cache_dir, folder_identity, previous_files


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def site_files(site: Path) -> list[str]:
    """Root-relative paths of every file and symlink under `site`; sorted."""
    found = []
    for folder, dirs, files in os.walk(site):
        rel_folder = Path(folder).relative_to(site)
        # A symlinked folder is listed as an entry of its own, never walked into.
        links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]
        dirs[:] = sorted(d for d in dirs if d not in links)
        found += [(rel_folder / name).as_posix() for name in [*files, *links]]
    return sorted(found)


def verify_site(site: Path) -> list[Problem]:
    """Every difference between `site` and what the build recorded, one problem per file."""
    if not site.is_dir():
        return [Problem(str(site), 1, "no site here: the folder does not exist")]
    try:
        state = State.open(cache_dir(site))
    except StateError as exc:
        where, _, reason = str(exc).partition(": ")
        return [Problem(where, 1, f"{reason}: this folder was not written by a complete build")]
    with state:
        identity = folder_identity(site)
        if state.get("live") == identity:
            recorded = {rel: sha.hex() for rel, sha in state.db.execute("SELECT path, sha256 FROM outputs")}
        elif state.get("previous") == identity:  # a build was killed between its commit and its swap
            recorded = {rel: sha.hex() for rel, sha in previous_files(state).items()}
        else:
            return [Problem(str(state.path), 1, f"the build state describes another folder than {site}")]
    problems: list[Problem] = []
    present = set(site_files(site))
    for rel in sorted(present | set(recorded)):
        path = site / rel
        expected = recorded.get(rel)
        if expected is None:
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
            if digest != expected:
                problems.append(Problem(str(path), 1, "altered: its SHA-256 is not the one the build wrote"))
    return problems
