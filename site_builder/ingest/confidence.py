"""How sure the ingest is of an item's boundaries and headline, and why: for the review list.

The headline choice is scored over the whole page (`assign.py`); its margin is how much
better the chosen reading is than the best reading that cuts the same headline run
otherwise. An item is worth an editor's look when that margin is narrow, when no headline
was found for an article or a photo, when a headline has no text, or when its text was cut
from the text above it on a weak cue (a dated caption with no change of column).

>>> Doubt(0.4, "headline after the text", "no headline", ("headline choice by a narrow margin (0.4)",)).uncertain
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from site_builder.ingest.layout import Line
from site_builder.ingest.units import Unit

# Below this margin (in score points: a shared word is worth about 1.5) a choice is doubtful.
REVIEW_MARGIN = 1.5
# A cut between two texts on a change of column this large (em) is clear.
CLEAR_STEP = 4.0


@dataclass(frozen=True)
class Doubt:
    margin: float  # inf: nothing to choose between
    decision: str  # what the ingest did
    runner_up: str  # what it would have done next
    reasons: tuple[str, ...] = ()  # why an editor should look (empty: sure)

    @property
    def uncertain(self) -> bool:
        return bool(self.reasons)


SURE = Doubt(math.inf, "", "")


def _lines(lines: list[Line]) -> str:
    numbers = [x.number for x in lines]
    where = f"line {numbers[0]}" if len(numbers) == 1 else f"lines {numbers[0]}–{numbers[-1]}"
    return f"“{' / '.join(x.text.strip() for x in lines)}” ({where})"


def _headline(body: Unit, lines: list[Line] | None) -> str:
    if not lines:
        return "no headline"
    side = "before" if body.lines and lines[-1].number < body.lines[0].number else "after"
    return f"headline {_lines(lines)}, printed {side} the text"


def doubt(body: Unit, kind: str, derived_title: bool) -> Doubt:
    """The doubt about one item, from how its body was cut and its headline chosen."""
    reasons: list[str] = []
    head = body.head.lines if body.head else None
    decision = _headline(body, head)
    runner = "" if body.runner_up is None else _headline(body, body.runner_up)
    margin = body.margin
    if margin < REVIEW_MARGIN:
        reasons.append(f"headline choice by a narrow margin ({margin:.1f})")
    if derived_title and kind in ("article", "photo"):
        reasons.append(f"no headline found for this {kind}: its title is its first words")
    if not body.lines:
        reasons.append("a headline with no text under or above it")
    split = body.opened_by
    if split is not None:
        decision += f"; text cut from the text above at line {body.lines[0].number}: {split.reason}"
        if split.strength < CLEAR_STEP and "blank line" not in split.reason:
            reasons.append(f"text cut from the text above on a weak cue ({split.reason})")
    return Doubt(margin, decision, runner, tuple(reasons))
