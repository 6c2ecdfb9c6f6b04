"""Group a page's classified lines into items: headline + body + furniture.

A page reads as a sequence of units: headline blocks (consecutive `H` lines), bodies (text
from an opener — news lead, byline, continuation marker — or from a headline to the next),
reading boxes, column labels and notes. Each headline block belongs to one body: the body
right before it when that body has no headline yet (headline printed after its text, the
common layout of these pages), else the body after it. A single short line between two
paragraphs of one body is a subhead (小标题), not a headline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from site_builder.ingest.lines import BODY_KINDS, CLAUSE_END_RE, Line


@dataclass
class Unit:
    kind: str  # head | body | summary | column | note
    lines: list[Line]
    head: Unit | None = None  # for a body: its headline block
    summary: Unit | None = None
    columns: list[Unit] = field(default_factory=list)
    notes: list[Unit] = field(default_factory=list)
    owner: Unit | None = None  # for a head/summary/column/note: the body it belongs to

    @property
    def first_line(self) -> int:
        return self.lines[0].number

    @property
    def last_line(self) -> int:
        return self.lines[-1].number


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
            if _is_subhead(block, lines[i - 1] if i else None, lines[j] if j < len(lines) else None) \
                    and not _caption_follows(lines, j):
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
        if line.kind in ("COLUMN", "NOTE"):
            units.append(Unit("column" if line.kind == "COLUMN" else "note", [line]))
        elif line.kind in ("LEAD", "BYLINE", "CONT", "COLUMN_AUTHOR"):
            previous = units[-1] if units else None
            # A byline right after a column author (□田晓青) or a byline starts one body.
            if previous and previous.kind == "body" and previous.lines and \
                    all(x.kind in ("BYLINE", "COLUMN_AUTHOR") for x in previous.lines):
                previous.lines.append(line)
            else:
                units.append(Unit("body", [line]))
        else:  # T, CAPTION_END, CREDIT, SUBHEAD
            target = body()
            target.lines.append(line)
        i += 1
    return _merge_split_bodies(units)


def _closed(unit: Unit) -> bool:
    """A body ends with a photo credit: what follows is another item."""
    return bool(unit.lines) and unit.lines[-1].kind in ("CAPTION_END", "CREDIT")


def _is_subhead(block: list[Line], before: Line | None, after: Line | None) -> bool:
    if len(block) != 1 or block[0].text.endswith("——") or before is None or after is None:
        return False
    return before.kind in BODY_KINDS and before.kind != "CAPTION_END" and after.kind == "T" \
        and not CLAUSE_END_RE.search(block[0].text) and block[0].width <= block[0].column_width


def _caption_follows(lines: list[Line], j: int) -> bool:
    """A photo caption (a few lines closed by a credit) follows: the line above is its title."""
    for line in lines[j : j + 6]:
        if line.kind in ("CAPTION_END", "CREDIT"):
            return True
        if line.kind not in ("T",):
            return False
    return False


def _as_subhead(line: Line) -> Line:
    return Line(line.number, line.text, "SUBHEAD", line.width, line.column_width)


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


def attach(units: list[Unit]) -> list[Unit]:
    """Give each headline block, reading box, column label and note its body; returns bodies.

    Headlines are attached both ways — each to the body before it where free (headline
    printed after the text), and each to the body after it where free — and the reading
    that leaves fewer items without a headline wins; ties go to headline-after-text, the
    common layout of these pages.
    """
    heads = [i for i, u in enumerate(units) if u.kind == "head"]
    backward = _attach_heads(units, heads, prefer_previous=True)
    forward = _attach_heads(units, list(reversed(heads)), prefer_previous=False)
    chosen = forward if _cost(units, forward) < _cost(units, backward) else backward
    bodies = [u for u in units if u.kind == "body"]
    for i, owner in chosen.items():
        if owner is None:
            owner = Unit("body", [])
            bodies.append(owner)
        owner.head, units[i].owner = units[i], owner
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


def _attach_heads(units: list[Unit], order: list[int], *, prefer_previous: bool) -> dict[int, Unit | None]:
    taken: set[int] = set()
    chosen: dict[int, Unit | None] = {}
    for i in order:
        first, second = (_body_before, _body_after) if prefer_previous else (_body_after, _body_before)
        owner = None
        for find in (first, second):
            j = find(units, i)
            if j is not None and j not in taken:
                owner = j
                break
        if owner is not None:
            taken.add(owner)
        chosen[i] = units[owner] if owner is not None else None
    return chosen


def _body_before(units: list[Unit], i: int) -> int | None:
    return i - 1 if i and units[i - 1].kind == "body" else None


def _body_after(units: list[Unit], i: int) -> int | None:
    for j in range(i + 1, len(units)):
        if units[j].kind == "body":
            return j
        if units[j].kind == "head":
            return None
    return None


def _cost(units: list[Unit], chosen: dict[int, Unit | None]) -> float:
    """Items left without a headline (a continuation fragment often has none: half a point),
    and headlines left without a text."""
    owners = {id(b) for b in chosen.values() if b is not None}
    cost = 2.0 * sum(1 for b in chosen.values() if b is None)
    for unit in units:
        if unit.kind == "body" and id(unit) not in owners:
            cost += 0.5 if unit.lines and unit.lines[0].kind == "CONT" else 1.0
    return cost


def _neighbour_owner(units: list[Unit], i: int, *, forward_first: bool) -> Unit | None:
    """A reading box belongs with the headline it stands beside (after it, else before it);
    a column label with the item it heads (before it, else after it)."""
    behind = units[i - 1].owner if i and units[i - 1].kind == "head" else None
    ahead = None
    for unit in units[i + 1 :]:
        if unit.kind in ("summary", "column", "note"):
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
