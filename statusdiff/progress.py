"""Progress for long work, drawn on stderr only when stderr is a terminal (rich, imported lazily).

Stages report completed units (bytes read, rows read, reports written) through a callback that
costs nothing when progress is off: readers call it once per chunk of input, never per row.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from rich.progress import TaskID

Advance = Callable[[int], None]
"""Report the units done so far (absolute, not a delta)."""


class Progress(Protocol):
    """Where stages report how far they got."""

    def stage(self, label: str, total: int | None) -> Advance:
        """Begin a stage of `total` units (None: unknown); returns its updater."""
        ...

    def close(self) -> None:
        """Remove the display."""
        ...


class NoProgress:
    """Progress that shows nothing (pipes, CI, --quiet, library use)."""

    def stage(self, label: str, total: int | None) -> Advance:
        """Return an updater that does nothing."""
        return _ignore

    def close(self) -> None:
        """Nothing to close."""


def _ignore(_done: int) -> None:
    return None


class TerminalProgress:
    """One rich progress bar per stage, on stderr."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.progress import (
            Progress as RichProgress,
        )

        self._bar = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            console=Console(file=stream),
            transient=True,
        )
        self._bar.start()
        self._last: TaskID | None = None

    def stage(self, label: str, total: int | None) -> Advance:
        """Start a bar; previous bars are completed."""
        if self._last is not None:
            self._bar.update(self._last, completed=self._bar.tasks[self._last].total or 0)
        from rich.markup import escape

        from .safe_text import shown

        # NOTE: a file name is neither rich markup nor terminal control sequences.
        task = self._bar.add_task(escape(shown(label)), total=total)
        self._last = task

        def advance(done: int) -> None:
            self._bar.update(task, completed=done)

        return advance

    def close(self) -> None:
        """Stop drawing."""
        self._bar.stop()


def for_stream(stream: TextIO | None = None, *, quiet: bool = False) -> Progress:
    """Terminal progress when the stream is an interactive terminal, else nothing."""
    stream = stream if stream is not None else sys.stderr
    stream = getattr(stream, "unescaped", stream)  # NOTE: the bar's own codes must reach it
    if quiet or not stream.isatty():
        return NoProgress()
    return TerminalProgress(stream)


@contextmanager
def showing(progress: Progress) -> Iterator[Progress]:
    """Close the display however the work ends."""
    try:
        yield progress
    finally:
        progress.close()
