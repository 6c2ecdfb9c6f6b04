"""An item as the segmenter builds it: a text with its headline block, reading box, labels
and notes (`Unit`), and what is asked of one."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from site_builder.ingest.assign import Choice
from site_builder.ingest.bodies import Split
from site_builder.ingest.layout import Line


@dataclass
class Unit:
    kind: str  # head | body | summary | column | note | stray
    lines: list[Line]
    head: Unit | None = None  # for a body: its headline block
    summary: Unit | None = None
    columns: list[Unit] = field(default_factory=list)
    notes: list[Unit] = field(default_factory=list)
    owner: Unit | None = None  # for a head/summary/column/note: the body it belongs to
    # For a body: how its headline was chosen (the review list shows the unsure ones).
    choice: Choice | None = None
    runner_up: list[Line] | None = None  # the headline lines the runner-up reading gives it
    opened_by: Split | None = None  # for a body cut from the text above it: where and why

    @property
    def first_line(self) -> int:
        return self.lines[0].number

    @property
    def last_line(self) -> int:
        return self.lines[-1].number

    @property
    def margin(self) -> float:
        return self.choice.margin if self.choice else math.inf


def text_kind(body: Unit, after: Unit | None = None) -> str:
    """What a text is, for the headline choice: a note label under it (`开栏的话`) makes it a
    notice, which takes no headline."""
    if after is not None and after.kind == "note":
        return "notice"
    if body.lines and body.lines[0].kind == "CONT":
        return "continuation"
    if any(x.kind in ("CAPTION_END", "CREDIT") for x in body.lines):
        return "photo"
    return "article"


def span(body: Unit) -> tuple[int, int]:
    """First and last raw line of everything that belongs to an item."""
    parts = [body, *(u for u in (body.head, body.summary) if u), *body.columns, *body.notes]
    numbers = [line.number for part in parts for line in part.lines]
    return (min(numbers), max(numbers)) if numbers else (0, 0)
