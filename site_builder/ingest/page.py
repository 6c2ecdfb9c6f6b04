"""One raw page → its items, on its own: the part of the ingest that runs on every core.

    classify lines → segment → extract → account for every character

A page's result depends on nothing but its text, so it is computed in a worker process and
kept in the ingest's state (as JSON) until the page changes.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, fields
from typing import Any

from site_builder.ingest.confidence import Doubt
from site_builder.ingest.conserve import account
from site_builder.ingest.dedupe import extraction_quality
from site_builder.ingest.extract import Extracted, extract
from site_builder.ingest.lines import classify
from site_builder.ingest.segment import segment
from site_builder.models import Author, RawPage


@dataclass(frozen=True)
class PageResult:
    file: str
    items: tuple[Extracted, ...]
    remainder: str  # characters of the page that no item holds, sorted
    extra: str  # characters items hold that the page lacks (none, unless a rule is wrong)
    quality: float  # lower is a better extraction (ASCII punctuation in Chinese text)


def read_page(page: RawPage) -> PageResult:
    """The items of one page and what is left of it."""
    items = tuple(extract(unit) for unit in segment(classify(page.lines)))
    missing, extra = account(page.lines, items)
    return PageResult(
        page.file, items, "".join(sorted(missing.elements())), "".join(sorted(extra.elements())),
        extraction_quality(page.lines),
    )


def to_json(result: PageResult) -> str:
    def plain(item: Extracted) -> dict[str, Any]:
        # Field by field (`dataclasses.asdict` copies deeply, and this runs for every item).
        data = {f.name: getattr(item, f.name) for f in fields(item)}
        data["authors"] = [{"name": a.name, "role": a.role} for a in item.authors]
        d = item.doubt
        data["doubt"] = {"margin": None if math.isinf(d.margin) else d.margin, "decision": d.decision,
                         "runner_up": d.runner_up, "reasons": list(d.reasons)}
        return data

    return json.dumps({"file": result.file, "items": [plain(i) for i in result.items], "remainder": result.remainder,
                       "extra": result.extra, "quality": result.quality}, ensure_ascii=False, separators=(",", ":"))


def from_json(text: str) -> PageResult:
    """A stored result; raises ValueError (or KeyError, TypeError) when it is not one."""
    data = json.loads(text)
    items = []
    for raw in data["items"]:
        doubt = raw.pop("doubt")
        items.append(Extracted(**{
            **raw, "authors": tuple(Author(**a) for a in raw["authors"]), "lines": tuple(raw["lines"]),
            "consumed": tuple(raw["consumed"]),
            "doubt": Doubt(math.inf if doubt["margin"] is None else float(doubt["margin"]), doubt["decision"],
                           doubt["runner_up"], tuple(doubt["reasons"])),
        }))
    return PageResult(str(data["file"]), tuple(items), str(data["remainder"]), str(data["extra"]), float(data["quality"]))
