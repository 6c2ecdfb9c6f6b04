"""Group a page's classified lines into items: headline + body + furniture.

A page reads as a sequence of units: headline runs (consecutive `H` lines), texts (from an
opener — news lead, byline, continuation marker — or a change of box, to the next), reading
boxes, column labels and notes. Texts are cut where their column width changes or a photo
caption closes an article (`bodies.py`); headline runs are shared among the texts around
them by one scored choice over the page (`assign.py`, `attach.py`). A single short line between two
paragraphs of one text, with the same column on both sides, is a subhead (小标题).
"""

from __future__ import annotations

from site_builder.ingest.attach import attach
from site_builder.ingest.bodies import CAPTION_CHARS, Split, paragraphs, split_text
from site_builder.ingest.captions import opens_with_day
from site_builder.ingest.layout import BODY_KINDS, Line
from site_builder.ingest.units import Unit, span


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
            # The box's text, up to its paragraph's end: a news lead or a continuation mark
            # opens the article under it; a sentence end short of the box's (wider) lines ends it.
            j = i + 1
            while j < len(lines) and lines[j].kind in ("T", "CAPTION_END"):
                j += 1
                box = max(x.width for x in lines[i + 1 : j])
                if lines[j - 1].paragraph_end or (lines[j - 1].sentence_end and lines[j - 1].width < box - 2.5):
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
    # On a page whose blank lines separate blocks, a line with a blank line on both sides is
    # a block of its own (a headline), not a line inside a text.
    if line.gap_before and after.gap_before:
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
    """A photo caption (a few sentences closed by a credit) follows: the line above is its title.
    Not when the caption opens further down, with the day the photo was taken after a
    sentence end: the text before it goes on above."""
    chars = 0
    for k in range(j, len(lines)):
        line = lines[k]
        if line.kind in ("CAPTION_END", "CREDIT"):
            return True
        chars += len(line.text)
        if line.kind != "T" or chars > CAPTION_CHARS or (k > j and lines[k - 1].sentence_end and opens_with_day(line.text)):
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


def segment(lines: list[Line]) -> list[Unit]:
    """Classified lines → item bodies with their headline, box, labels, in page order."""
    return attach(to_units(lines))


__all__ = ["Unit", "attach", "segment", "span", "to_units"]
