"""Group a page's classified lines into items: headline + body + furniture.

A page reads as a sequence of units: headline runs (consecutive `H` lines), texts (from an
opener — news lead, byline, continuation marker — or a change of box, to the next), reading
boxes, column labels and notes. Texts are cut where their column width changes or a photo
caption closes an article (`bodies.py`); headline runs are shared among the texts around
them by one scored choice over the page (`assign.py`). A single short line between two
paragraphs of one text, with the same column on both sides, is a subhead (小标题).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from site_builder.ingest.assign import Choice, Text, choose
from site_builder.ingest.bodies import CAPTION_CHARS, Split, paragraphs, split_text
from site_builder.ingest.clean import letters
from site_builder.ingest.layout import BODY_KINDS, Line

OPENING = 160


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


def to_units(lines: list[Line]) -> list[Unit]:
    units: list[Unit] = []

    def body() -> Unit:
        if not units or units[-1].kind != "body" or _closed(units[-1]):
            units.append(Unit("body", []))
        return units[-1]

    i = 0
    while i < len(lines):
        line = lines[i]
        if line.kind == "H":
            j = i
            while j < len(lines) and lines[j].kind == "H":
                j += 1
            block = lines[i:j]
            if _is_subhead(lines, i, j):
                body().lines.append(_as_subhead(line))
            else:
                units.append(Unit("head", block))
            i = j
            continue
        if line.kind == "SUMMARY":
            j = i + 1
            while j < len(lines) and lines[j].kind in BODY_KINDS:
                j += 1
                if lines[j - 1].paragraph_end:
                    break
            units.append(Unit("summary", lines[i:j]))
            i = j
            continue
        if line.kind in ("COLUMN", "NOTE", "STRAY"):
            units.append(Unit({"COLUMN": "column", "NOTE": "note", "STRAY": "stray"}[line.kind], [line]))
        elif line.kind in ("LEAD", "BYLINE", "CONT", "COLUMN_AUTHOR"):
            previous = units[-1] if units else None
            # A byline right after a column author (□田晓青) or a byline starts one body.
            if previous and previous.kind == "body" and previous.lines and \
                    all(x.kind in ("BYLINE", "COLUMN_AUTHOR") for x in previous.lines):
                previous.lines.append(line)
            else:
                units.append(Unit("body", [line]))
        else:  # T, CAPTION_END, CREDIT
            body().lines.append(line)
        i += 1
    return _notes_own_text(_merge_split_bodies(_split_bodies(units)))


def _closed(unit: Unit) -> bool:
    """A body ends with a photo credit: what follows is another item."""
    return bool(unit.lines) and unit.lines[-1].kind in ("CAPTION_END", "CREDIT")


def _split_bodies(units: list[Unit]) -> list[Unit]:
    out: list[Unit] = []
    for unit in units:
        if unit.kind == "body":
            out += [Unit("body", part, opened_by=split) for part, split in split_text(unit.lines)]
        else:
            out.append(unit)
    return out


def _is_subhead(lines: list[Line], i: int, j: int) -> bool:
    """One short line inside a text: between two paragraphs set in the same column, and not
    the title of a photo caption that follows."""
    if j - i != 1 or i == 0 or j >= len(lines):
        return False
    line, before, after = lines[i], lines[i - 1], lines[j]
    if line.text.endswith("——") or line.clause_end or line.width > line.column_width:
        return False
    if before.kind not in BODY_KINDS or before.kind == "CAPTION_END" or after.kind != "T":
        return False
    if _caption_follows(lines, j):
        return False
    # Line widths vary by a character or two with the punctuation in them (set full or
    # half width): the columns are the same when either measure says so.
    for box in (True, False):
        above, below = _run_width(lines, i, -1, box), _run_width(lines, j, 1, box)
        if above is None or below is None or abs(above - below) < max(3.5, 0.12 * min(above, below)):
            return True
    return False


def _run_width(lines: list[Line], start: int, step: int, box: bool) -> float | None:
    """The column of up to five text lines from `start` going `step`, within the text: the
    middle width of its full lines (a paragraph's last line is short)."""
    widths: list[float] = []
    k = start if step > 0 else start - 1
    while 0 <= k < len(lines) and lines[k].kind in ("T", "LEAD", "CONT") and len(widths) < 5:
        if not lines[k].paragraph_end:
            widths.append(lines[k].box if box else lines[k].width)
        k += step
    return sorted(widths)[len(widths) // 2] if len(widths) >= 2 else None


def _caption_follows(lines: list[Line], j: int) -> bool:
    """A photo caption (a few sentences closed by a credit) follows: the line above is its title."""
    chars = 0
    for line in lines[j:]:
        if line.kind in ("CAPTION_END", "CREDIT"):
            return True
        chars += len(line.text)
        if line.kind != "T" or chars > CAPTION_CHARS:
            return False
    return False


def _as_subhead(line: Line) -> Line:
    return Line(line.number, line.text, "SUBHEAD", line.width, line.column_width)


def _notes_own_text(units: list[Unit]) -> list[Unit]:
    """A note label (`开栏的话`) follows its own short text: when the text above it belongs to
    an item that opened with a lead, a byline or a continuation mark, the note's text is
    that item's last paragraph."""
    out: list[Unit] = []
    for n, unit in enumerate(units):
        after = units[n + 1] if n + 1 < len(units) else None
        if unit.kind == "body" and after is not None and after.kind == "note" and unit.lines \
                and unit.lines[0].kind in ("LEAD", "CONT", "BYLINE"):
            spans = paragraphs(unit.lines)
            if len(spans) > 1:
                start = spans[-1][0]
                out += [Unit("body", unit.lines[:start], opened_by=unit.opened_by),
                        Unit("body", unit.lines[start:], opened_by=Split(start, "the text of the note under it", 1.0))]
                continue
        out.append(unit)
    return out


def _merge_split_bodies(units: list[Unit]) -> list[Unit]:
    """A reading box printed in the middle of an article splits its body in two: rejoin them
    when the box has no headline beside it and the second part has no opener."""
    out: list[Unit] = []
    for unit in units:
        if (
            unit.kind == "body" and len(out) >= 2 and out[-1].kind == "summary"
            and out[-2].kind == "body" and unit.lines and unit.lines[0].kind in ("T", "SUBHEAD")
        ):
            box = out.pop()
            out[-1].lines.extend(unit.lines)
            out[-1].summary = box
            box.owner = out[-1]
            continue
        out.append(unit)
    return out


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


def attach(units: list[Unit]) -> list[Unit]:
    """Give each headline run, reading box, column label and note its body; returns bodies."""
    bodies = [u for u in units if u.kind == "body"]
    runs: list[list[Line]] = [[]]
    heads: list[list[Unit]] = [[]]
    for unit in units:
        if unit.kind == "body":
            runs.append([])
            heads.append([])
        elif unit.kind == "head":
            runs[-1] += unit.lines
            heads[-1].append(unit)
    following = {id(u): next((v for v in units[n + 1 :] if v.kind != "stray"), None) for n, u in enumerate(units)}
    texts = []
    for body in bodies:
        text = letters("".join(x.text for x in body.lines))
        texts.append(Text(text_kind(body, following[id(body)]), text[:OPENING], text[OPENING:]))
    choices = choose(runs, texts) if any(runs) else []
    for choice in choices:
        _realise(choice, runs[choice.gap], heads[choice.gap], bodies)
    for i, unit in enumerate(units):
        if unit.kind == "note":
            _attach_note(units, i, unit, bodies)
    for i, unit in enumerate(units):
        if unit.kind in ("summary", "column") and unit.owner is None:
            owner = _neighbour_owner(units, i, forward_first=unit.kind == "column")
            if owner is None:
                owner = Unit("body", [])
                bodies.append(owner)
            unit.owner = owner
            if unit.kind == "summary" and owner.summary is None:
                owner.summary = unit
            else:
                owner.columns.append(unit)
    bodies.sort(key=lambda b: span(b)[0])
    return bodies


def _realise(choice: Choice, run: list[Line], heads: list[Unit], bodies: list[Unit]) -> None:
    """Give the lines of run `choice.gap` to the bodies around it as the choice says."""
    i, cut = choice.gap, choice.cut
    up, down = run[: cut.up], run[cut.up :]
    above = bodies[i - 1] if i >= 1 else None
    below = bodies[i] if i < len(bodies) else None
    runner = choice.runner_up
    for body, side in ((above, "up"), (below, "down")):
        if body is not None and runner is not None:
            lines = run[: runner.up] if side == "up" else ([] if runner.label else run[runner.up :])
            body.runner_up = lines
    for part, body in ((up, above), (down, below)):
        if not part:
            continue
        if cut.label and part is down and body is not None:
            label = Unit("column", part, owner=body)
            body.columns.append(label)
            continue
        if body is None or body.head is not None:
            body = Unit("body", [])
            bodies.append(body)
        body.head = Unit("head", part, owner=body)
        body.choice = choice
        for unit in heads:
            if unit.lines[-1] in part:
                unit.owner = body
    for body in (above, below):
        if body is not None and body.choice is None:
            body.choice = choice


def _neighbour_owner(units: list[Unit], i: int, *, forward_first: bool) -> Unit | None:
    """A reading box belongs with the headline it stands beside (after it, else before it);
    a column label with the item it heads (before it, else after it)."""
    behind = units[i - 1].owner if i and units[i - 1].kind == "head" else None
    ahead = None
    for unit in units[i + 1 :]:
        if unit.kind in ("summary", "column", "note", "stray"):
            continue
        ahead = unit.owner if unit.kind == "head" else unit if unit.kind == "body" else None
        break
    first, second = (ahead, behind) if forward_first else (behind, ahead)
    return first or second


def _attach_note(units: list[Unit], i: int, note: Unit, bodies: list[Unit]) -> None:
    """`开栏的话` and its kin are printed after their text: their body is the nearest text
    without a headline; a column label beside the note names the column it opens."""
    orphans = [u for u in bodies if u.head is None and not u.notes and u.lines and u.lines[0].kind in ("T", "SUBHEAD")]
    before = [u for u in orphans if u.last_line < note.first_line]
    owner = before[-1] if before else (orphans[0] if orphans else None)
    if owner is None:
        owner = Unit("body", [])
        bodies.append(owner)
    owner.notes.append(note)
    note.owner = owner
    if i + 1 < len(units) and units[i + 1].kind == "column" and units[i + 1].owner is None:
        owner.columns.append(units[i + 1])
        units[i + 1].owner = owner


def span(body: Unit) -> tuple[int, int]:
    """First and last raw line of everything that belongs to an item."""
    parts = [body, *(u for u in (body.head, body.summary) if u), *body.columns, *body.notes]
    numbers = [line.number for part in parts for line in part.lines]
    return (min(numbers), max(numbers)) if numbers else (0, 0)


def segment(lines: list[Line]) -> list[Unit]:
    """Classified lines → item bodies with their headline, box, labels, in page order."""
    return attach(to_units(lines))


__all__ = ["Unit", "attach", "segment", "span", "to_units"]
