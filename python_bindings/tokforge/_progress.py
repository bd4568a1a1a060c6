"""Progress display for training: tqdm when installed, else a text bar.

The text bar rewrites one line with a carriage return. Terminals and Jupyter
both render that as an updating line. When stderr is neither (a log file, a
CI job), only the final line of each stage is printed.
"""

from __future__ import annotations

import sys
import time
from typing import Any, Optional, Protocol

_UNITS = {"bytes": "B", "sequences": "seq", "tokens": "tok"}


class ProgressReporter(Protocol):
    def update(self, stage: str, done: int, total: Optional[int], unit: str) -> None: ...

    def close(self) -> None: ...


class NullProgress:
    """Reporter that shows nothing, for ``progress=False``."""

    def update(self, stage: str, done: int, total: Optional[int], unit: str) -> None:
        pass

    def close(self) -> None:
        pass


def _human(value: float, unit: str) -> str:
    if unit == "bytes":
        for suffix, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
            if value >= size:
                return f"{value / size:.1f} {suffix}"
        return f"{int(value)} B"
    return f"{int(value):,} {unit}"


def _in_notebook() -> bool:
    return "ipykernel" in sys.modules


class TextProgress:
    """One updating text line per stage on ``stream`` (stderr by default)."""

    WIDTH = 30
    MIN_INTERVAL = 0.1  # seconds between redraws

    def __init__(self, stream: Any = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        isatty = getattr(self._stream, "isatty", lambda: False)
        self._live = bool(isatty()) or _in_notebook()
        self._stage: Optional[str] = None
        self._line = ""
        # The first stage starts when the reporter is created, because its
        # first report may come only when it ends.
        self._started = time.monotonic()
        self._last_draw = 0.0

    def _format(self, stage: str, done: int, total: Optional[int], unit: str) -> str:
        elapsed = max(time.monotonic() - self._started, 1e-9)
        rate = f"{_human(done / elapsed, unit)}/s"
        if total:
            fraction = min(done / total, 1.0)
            filled = int(fraction * self.WIDTH)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            return (f"{stage:<9} [{bar}] {fraction * 100:5.1f}%  "
                    f"{_human(done, unit)} / {_human(total, unit)}  {rate}")
        return f"{stage:<9} {_human(done, unit)}  {rate}"

    def _finish_stage(self) -> None:
        if self._stage is None:
            return
        if self._live:
            self._stream.write("\r" + self._line + "\n")
        else:
            self._stream.write(self._line + "\n")
        self._stream.flush()
        self._stage = None

    def update(self, stage: str, done: int, total: Optional[int], unit: str) -> None:
        now = time.monotonic()
        if stage != self._stage:
            if self._stage is not None:
                self._finish_stage()
                self._started = now
            self._stage = stage
            self._last_draw = 0.0
        self._line = self._format(stage, done, total, unit)
        if self._live and now - self._last_draw >= self.MIN_INTERVAL:
            self._last_draw = now
            self._stream.write("\r" + self._line)
            self._stream.flush()

    def close(self) -> None:
        self._finish_stage()


class TqdmProgress:
    """One tqdm bar per stage; tqdm.auto picks the widget in Jupyter."""

    def __init__(self, tqdm_class: Any) -> None:
        self._tqdm = tqdm_class
        self._bar: Any = None
        self._stage: Optional[str] = None

    def update(self, stage: str, done: int, total: Optional[int], unit: str) -> None:
        if stage != self._stage:
            self.close()
            self._stage = stage
            self._bar = self._tqdm(
                desc=stage, total=total or None, unit=_UNITS.get(unit, unit),
                unit_scale=unit == "bytes", leave=True,
            )
        if total and self._bar.total != total:
            self._bar.total = total
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        self._bar = None
        self._stage = None


def make_progress(enabled: bool) -> ProgressReporter:
    """Return the reporter for ``enabled``: tqdm if importable, else text."""
    if not enabled:
        return NullProgress()
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return TextProgress()
    return TqdmProgress(tqdm)
