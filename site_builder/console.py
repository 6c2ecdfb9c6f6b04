"""Where the command line's messages go: plain lines to a log, rich on a terminal.

`path:line: message` lines stay one line whatever their length, lose control characters
(a file name cannot move the cursor or retitle the window), and show no emoji codes.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, TextIO

from site_builder.models import Problem

if TYPE_CHECKING:
    from rich.console import Console as RichConsole
    from rich.console import RenderableType

# C0 controls but tab and newline, DEL and C1: a file name in a message cannot move the
# cursor, clear the screen or retitle the window of whoever reads the log.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class Console:
    """Where messages go: plain lines when the stream is not a terminal (a CI log, a file, a
    pipe); rich's Console, made on first need, for colour on a terminal, tables and the
    progress bar. A build that finds nothing changed does not import rich (~60 ms)."""

    def __init__(self, *, stderr: bool) -> None:
        self.stderr = stderr
        self._rich: RichConsole | None = None

    @property
    def stream(self) -> TextIO:
        return sys.stderr if self.stderr else sys.stdout

    @property
    def rich(self) -> RichConsole:
        if self._rich is None:
            from rich.console import Console as RichConsole

            # soft_wrap: a `path:line: message` stays one line whatever its length (editors
            # and CI parse it).
            width = None if self.stderr or self.stream.isatty() else 120
            # emoji=False: a file named `:smile:.md` is shown as named.
            self._rich = RichConsole(stderr=self.stderr, highlight=False, emoji=False, width=width, soft_wrap=True)
        return self._rich

    @property
    def is_terminal(self) -> bool:
        return self.rich.is_terminal

    def _plain(self) -> bool:
        """Whether rich would see no terminal here (its own order: TTY_COMPATIBLE, then
        FORCE_COLOR, then the stream), told without importing it."""
        compatible = os.environ.get("TTY_COMPATIBLE", "")
        if compatible in ("0", "1"):
            return compatible == "0"
        return not os.environ.get("FORCE_COLOR") and not self.stream.isatty()

    def print(self, message: RenderableType, *, markup: bool = True, style: str | None = None) -> None:
        if isinstance(message, str):
            message = _CONTROLS.sub("", message)  # (rich keeps ESC and C1 on a terminal)
            if not markup and self._plain():
                self.stream.write(message + "\n")
                self.stream.flush()
                return
        self.rich.print(message, markup=markup, style=style)


err = Console(stderr=True)
out = Console(stderr=False)


def progress_bar() -> tuple[AbstractContextManager[object], Callable[[str, int, int], None]]:
    if err._plain():  # no terminal to show a bar on (a log, CI): rich is not even imported
        return contextlib.nullcontext(), lambda stage, done, total: None
    # Imported here: a build that finds nothing changed shows no bar (and starts faster).
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=err.rich, transient=True, disable=not err.is_terminal)
    tasks: dict[str, TaskID] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    return bar, update


def report_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        err.print(str(problem), markup=False, style="red" if problem.severity == "error" else "yellow")
