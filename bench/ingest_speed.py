"""Ingest speed: raw pages per second, on copies of the real seed pages.

Copy `c` of `seeds/` has every digit shifted by `c` (the same shift in both extractions of
a page, so they are still recognised as one page) and its own edition date; the manifest
lists every file. `python build.py ingest` is timed into a fresh content folder on every
core and on one (`--jobs 1`), then run again with nothing changed and with one page changed
(the ingest then reads only that page's edition).
"""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.measure import Run, measure
from site_builder.ingest.decode import detect_and_decode

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
FIRST_DAY = dt.date(2019, 1, 1)


@dataclass(frozen=True)
class IngestSpeed:
    pages: int
    chars: int
    runs: tuple[Run, ...]  # a fresh ingest on every core
    serial: tuple[Run, ...] = ()  # a fresh ingest on one core (`--jobs 1`)
    rerun: tuple[Run, ...] = ()  # the same seeds again: nothing changed
    one_changed: tuple[Run, ...] = ()  # one page changed since the last run

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds

    @property
    def chars_per_second(self) -> float:
        return self.chars / self.seconds

    def rate(self, runs: tuple[Run, ...]) -> float:
        return self.pages / statistics.median(r.seconds for r in runs) if runs else 0.0


def make_pages(seeds: Path, out: Path, copies: int) -> tuple[int, int]:
    """`copies` × the seed pages in `out` with an editions.yaml; (pages, characters)."""
    manifest = yaml.safe_load((seeds / "editions.yaml").read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    entries, chars = [], 0
    for c in range(copies):
        shift = str.maketrans("0123456789", "".join(str((d + c) % 10) for d in range(10)))
        for entry in manifest:
            decoded = detect_and_decode((seeds / entry["file"]).read_bytes())
            if decoded is None:
                raise ValueError(f"cannot decode {entry['file']}")
            text = decoded[0].translate(shift)
            name = f"c{c:03d}-{entry['file']}"
            (out / name).write_text(text, encoding="utf-8")
            chars += len(text)
            # Pages of one original date stay together; each copy is a day of its own.
            offset = (entry["date"] - manifest[0]["date"]).days % 3
            entries.append({"file": name, "date": FIRST_DAY + dt.timedelta(days=3 * c + offset)})
    (out / "editions.yaml").write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return len(entries), chars


def ingest_speed(work: Path, copies: int, repeat: int) -> IngestSpeed:
    """A fresh ingest on every core and on one, then re-runs: nothing changed, one page changed."""
    pages_dir = work / "ingest-pages"
    if pages_dir.exists():
        shutil.rmtree(pages_dir)
    pages, chars = make_pages(SEEDS, pages_dir, copies)
    content = work / "ingest-content"

    def run(*extra: str, fresh: bool) -> Run:
        if fresh and content.exists():
            shutil.rmtree(content)
        return measure([sys.executable, str(REPO / "build.py"), "ingest", "--seeds", str(pages_dir),
                        "--content", str(content), *extra], cwd=REPO)

    serial = tuple(run("--jobs", "1", fresh=True) for _ in range(repeat))
    parallel = tuple(run(fresh=True) for _ in range(repeat))
    rerun = tuple(run(fresh=False) for _ in range(repeat))
    changed = []
    page = next(p for p in sorted(pages_dir.glob("*.txt")))
    for n in range(repeat):
        page.write_text(page.read_text("utf-8") + f"\n本报讯 第{n}次修订。\n", "utf-8")
        changed.append(run(fresh=False))
    return IngestSpeed(pages, chars, parallel, serial, rerun, tuple(changed))
