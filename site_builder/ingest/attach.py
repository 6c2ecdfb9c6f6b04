"""Give each headline run, reading box, column label and note of a page its text.

The headline runs are shared by one scored choice over the page (`assign.py`); a reading box
goes with the headline it stands beside, a column label with the item it heads, a note
(`开栏的话`) with the text above it.
"""

from __future__ import annotations

from site_builder.ingest.assign import Choice, Text, choose
from site_builder.ingest.clean import letters
from site_builder.ingest.layout import Line
from site_builder.ingest.units import Unit, span, text_kind

OPENING = 160  # characters of a text a headline is compared with first


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
