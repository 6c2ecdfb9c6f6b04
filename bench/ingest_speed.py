"""Ingest speed: raw pages per second, on copies of the real seed pages.

Copy `c` of `seeds/` has every digit shifted by `c` (the same shift in both extractions of
a page, so they are still recognised as one page) and its own edition date; the manifest
lists every file. `python build.py ingest` is timed into a fresh content folder.
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
    runs: tuple[Run, ...]

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds

    @property
    def chars_per_second(self) -> float:
        return self.chars / self.seconds


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
    pages_dir = work / "ingest-pages"
    if pages_dir.exists():
        shutil.rmtree(pages_dir)
    pages, chars = make_pages(SEEDS, pages_dir, copies)
    runs = []
    for _ in range(repeat):
        content = work / "ingest-content"
        if content.exists():
            shutil.rmtree(content)
        runs.append(measure([sys.executable, str(REPO / "build.py"), "ingest", "--seeds", str(pages_dir),
                             "--content", str(content)], cwd=REPO))
    return IngestSpeed(pages, chars, tuple(runs))
