"""Which headline lines belong to which text: one choice over the whole page, by score.

Between two item texts on a page stand zero or more headline lines: the block printed after
the text above it (the common layout of these pages), the block printed before the text
under it, or both, one after the other. Each run is cut in two (`k` lines up, the rest down)
and every cut of every run is scored together, so that each text gets at most one block:

- words the block shares with the opening of the text (names, places, numbers: the
  character pairs of the headline found in the text's first sentences, weighted by how few
  texts on the page have them);
- its shape: a kicker (`…——`) is followed by its title, a subtitle (`——…`) follows one, a
  block has at most three lines, a photo's title is one line;
- an article or a photo without any headline costs more than a continuation without one; a
  block given to no text (its text is on another page) costs most;
- a slight preference for the side (after or before) the page uses elsewhere: the page is
  read both ways and the better reading wins.

A short line between two photos that both have their titles is their column label
(`动感2019`). The margin of each choice over the best reading with another cut of the same
run says how sure the ingest is (`Choice.margin`), for the review list.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from site_builder.ingest.clean import letters
from site_builder.ingest.layout import Line
from site_builder.ingest.titles import clean_headline, continues, open_end

ORPHAN = -6.0  # a headline block with no text
MISSING = {"photo": -3.0, "article": -3.0, "continuation": -0.6, "notice": 0.0}
SIDE = 0.4
COLUMN_LABEL = -0.8
BROKEN = -3.0


@dataclass(frozen=True)
class Text:
    """What the scorer needs to know of one item text."""

    kind: str  # article | photo | continuation | notice
    opening: str  # its first characters, letters only
    rest: str = ""  # the rest of it


@dataclass(frozen=True)
class Cut:
    """How one run of headline lines is shared: `up` lines go to the text above, the rest
    to the text below (or, as `label`, name the column of the text below)."""

    up: int
    label: bool = False


@dataclass(frozen=True)
class Choice:
    gap: int
    cut: Cut
    margin: float  # score of the best reading minus the best reading with another cut here
    runner_up: Cut | None


_PAIR = re.compile(r"(?=(..))", re.DOTALL)


def _pairs(text: str) -> set[str]:
    """Every two consecutive characters (one scan by the regular-expression engine)."""
    return set(_PAIR.findall(text))


class Scorer:
    """Scores of one page's blocks against its texts (the pair weights are the page's),
    each computed once: a page's runs are cut every way, read both ways."""

    def __init__(self, runs: list[list[Line]], texts: list[Text]) -> None:
        self.runs = runs
        self.texts = texts
        self.pairs = [_pairs(t.opening) for t in texts]
        self.later = [_pairs(t.rest) - p for t, p in zip(texts, self.pairs, strict=True)]
        self.df: Counter[str] = Counter(p for a, b in zip(self.pairs, self.later, strict=True) for p in a | b)
        self._lines: dict[tuple[int, int], float] = {}
        self._heads: dict[int, set[str]] = {}
        self._steps: dict[tuple[int, bool, Cut], tuple[float, bool, bool, bool]] = {}

    def _line(self, line: Line, body: int) -> float:
        """One headline line's evidence for a text: its pairs in the text's opening count
        fully, further down half, a pair the fewer the more texts of the page have it."""
        key = (line.number, body)
        if key not in self._lines:
            if line.number not in self._heads:
                self._heads[line.number] = _pairs(letters(line.text))
            head = self._heads[line.number]
            weight = sum(1.0 / self.df[p] for p in head & self.pairs[body])
            weight += 0.5 * sum(1.0 / self.df[p] for p in head & self.later[body])
            self._lines[key] = 1.5 * math.log1p(weight)
        return self._lines[key]

    def _broken(self, i: int, up: int) -> bool:
        """Run `i` cut above line `up` breaks a word the texts beside it use (`下班后，去职` /
        `工之家“打卡”`, and the text has 职工之家 again and again)."""
        run = self.runs[i]
        body = "".join(t.opening + t.rest for t in self.texts[max(0, i - 1) : i + 1])
        return continues(clean_headline(run[up - 1].text), clean_headline(run[up].text), body)

    def assign(self, block: list[Line], body: int) -> float:
        if self.texts[body].kind == "notice":
            return ORPHAN  # a notice is named by its label (`开栏的话`)
        score = sum(self._line(line, body) for line in block)
        if block[-1].text.endswith("——"):
            score -= 4.0  # a kicker without its title
        if block[0].text.lstrip().startswith("——"):
            score -= 4.0  # a subtitle without its title
        score -= 1.5 * max(0, len(block) - 3)
        if self.texts[body].kind == "photo":
            score -= 1.0 * (len(block) - 1)
        return score

    def step(self, i: int, free: bool, cut: Cut, side: str) -> tuple[float, bool]:
        """Score of cutting run `i` so, given whether the text above has no block yet; and
        whether the text below has one after it."""
        key = (i, free, cut)
        if key not in self._steps:
            self._steps[key] = self._step(i, free, cut)
        base, up_given, down_given, after = self._steps[key]
        bonus = up_given if side == "after" else down_given
        return base + (SIDE if bonus else 0.0), after

    def _step(self, i: int, free: bool, cut: Cut) -> tuple[float, bool, bool, bool]:
        run, m = self.runs[i], len(self.texts)
        up, down = run[: cut.up], run[cut.up :]
        score = 0.0
        if up and down and (open_end(up[-1].text) or self._broken(i, cut.up)):
            score += BROKEN  # the line above the cut goes on in the line below it
        up_given = bool(up) and i >= 1 and free
        if up:
            score += self.assign(up, i - 1) if up_given else ORPHAN
        elif i >= 1 and free:
            score += MISSING.get(self.texts[i - 1].kind, -3.0)
        if not down:
            return score, up_given, False, False
        if cut.label:
            return score + COLUMN_LABEL, up_given, False, False
        if i < m:
            return score + self.assign(down, i), up_given, True, True
        return score + ORPHAN, up_given, False, True


def choose(runs: list[list[Line]], texts: list[Text]) -> list[Choice]:
    """The best cut of every run (`runs[i]` stands before `texts[i]`, the last one after the
    last text), read with either side preferred."""
    scorer = Scorer(runs, texts)
    readings = [_best(scorer, side) for side in ("after", "before")]
    return max(readings, key=lambda r: r[0])[1]


def _cuts(run: list[Line], below: bool) -> list[Cut]:
    cuts = [Cut(k) for k in range(len(run) + 1)]
    if below and run and len(run[-1].text.replace(" ", "")) <= 8:
        cuts.append(Cut(len(run) - 1, label=True))
    return cuts


def _best(scorer: Scorer, side: str) -> tuple[float, list[Choice]]:
    """Forward and backward passes over the runs; state: the text above has a block."""
    runs, texts = scorer.runs, scorer.texts
    n = len(runs)
    states = (False, True)
    cuts = [_cuts(runs[i], i < len(texts)) for i in range(n)]
    forward = [{s: -math.inf for s in states} for _ in range(n + 1)]
    forward[0][True] = 0.0  # nothing above the first run
    for i in range(n):
        for taken in states:
            if forward[i][taken] == -math.inf:
                continue
            for cut in cuts[i]:
                gain, after = scorer.step(i, not taken, cut, side)
                forward[i + 1][after] = max(forward[i + 1][after], forward[i][taken] + gain)
    backward = [{s: -math.inf for s in states} for _ in range(n + 1)]
    backward[n] = {s: 0.0 for s in states}
    for i in range(n - 1, -1, -1):
        for taken in states:
            for cut in cuts[i]:
                gain, after = scorer.step(i, not taken, cut, side)
                backward[i][taken] = max(backward[i][taken], gain + backward[i + 1][after])
    total = max(forward[n].values())
    choices = []
    taken = True
    for i in range(n):
        by_cut: dict[Cut, float] = {}
        for state in states:
            if forward[i][state] == -math.inf:
                continue
            for cut in cuts[i]:
                gain, after = scorer.step(i, not state, cut, side)
                by_cut[cut] = max(by_cut.get(cut, -math.inf), forward[i][state] + gain + backward[i + 1][after])
        # The best reading, followed from the top (Viterbi); its margin against another cut here.
        options = [(gain + backward[i + 1][after], cut, after) for cut in cuts[i]
                   for gain, after in [scorer.step(i, not taken, cut, side)]]
        _, best, taken = max(options, key=lambda o: (o[0], -o[1].up, not o[1].label))
        others = sorted(((v, c) for c, v in by_cut.items() if c != best), key=lambda vc: (-vc[0], vc[1].up))
        margin = total - others[0][0] if others else math.inf
        choices.append(Choice(i, best, margin, others[0][1] if others else None))
    return total, choices
