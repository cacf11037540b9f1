"""Progress of a run for people: a tqdm bar on a terminal, else a log line now and then.

``terminal(total, stream)`` gives a callable to pass as ``progress=``: a tqdm bar with
rate and ETA when tqdm is installed (``pip install talon_one[cli]``) and ``stream`` is a
terminal; otherwise a line every ``interval`` seconds (and at the end) written to the
``talon_one.bulk`` logger, or to ``stream`` when one is given (and a last one at the end,
when any was written). Call ``close()`` at the end.
"""

import importlib
import logging
import sys
import time
from typing import IO, Any, Callable, Optional

__all__ = ['LogProgress', 'Progress', 'TqdmProgress', 'terminal']

logger = logging.getLogger('talon_one.bulk')


class Progress(object):
    """A ``progress(done, total)`` callable that can be closed."""

    def __call__(self, done: int, total: Optional[int]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Show the final state and release the terminal."""

    def write(self, text: str) -> None:
        """Print a line of text without garbling the display (on stderr by default)."""
        sys.stderr.write(text + '\n')


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return '%d:%02d:%02d' % (seconds // 3600, seconds // 60 % 60, seconds % 60)


class LogProgress(Progress):
    """A line such as ``12000/100000 records (12%), 3400/s, ETA 0:00:26`` every
    ``interval`` seconds, to ``stream`` or to the ``talon_one.bulk`` logger (INFO)."""

    def __init__(self, label: str = 'records', interval: float = 5.0,
                 stream: Optional[IO[str]] = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.label = label
        self.interval = interval
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self.last_shown = self.started
        self.done = 0
        self.total: Optional[int] = None
        self.shown_done = -1

    def line(self) -> str:
        elapsed = max(self.clock() - self.started, 1e-9)
        rate = self.done / elapsed
        if self.total:
            share = min(self.done / self.total, 1.0)
            eta = (self.total - self.done) / rate if rate > 0 else 0.0
            return '%d/%d %s (%d%%), %.0f/s, ETA %s' % (
                self.done, self.total, self.label, share * 100, rate,
                _duration(max(eta, 0.0)))
        return '%d %s, %.0f/s' % (self.done, self.label, rate)

    def show(self) -> None:
        self.shown_done = self.done
        self.last_shown = self.clock()
        if self.stream is not None:
            self.stream.write(self.line() + '\n')
            self.stream.flush()
        else:
            logger.info('%s', self.line())

    def __call__(self, done: int, total: Optional[int]) -> None:
        self.done, self.total = done, total
        if self.clock() - self.last_shown >= self.interval:
            self.show()

    def write(self, text: str) -> None:
        if self.stream is not None:
            self.stream.write(text + '\n')
        else:
            logger.info('%s', text)

    def close(self) -> None:
        # A final line only after periodic ones: a short run needs none.
        if self.shown_done >= 0 and self.shown_done != self.done:
            self.show()


class TqdmProgress(Progress):
    """A tqdm bar (rate and ETA) on ``stream``."""

    def __init__(self, tqdm_class: Any, label: str = 'records',
                 stream: Optional[IO[str]] = None) -> None:
        self.stream = stream or sys.stderr
        self.bar: Any = tqdm_class(total=None, unit=' ' + label, unit_scale=True,
                                   file=self.stream, dynamic_ncols=True)
        self.done = 0

    def __call__(self, done: int, total: Optional[int]) -> None:
        if total is not None and self.bar.total != total:
            self.bar.total = total
        if done > self.done:
            self.bar.update(done - self.done)
            self.done = done

    def write(self, text: str) -> None:
        self.bar.write(text, file=self.stream)

    def close(self) -> None:
        self.bar.close()


def terminal(stream: Optional[IO[str]] = None, label: str = 'records',
             interval: float = 5.0, use_tqdm: Optional[bool] = None) -> Progress:
    """The progress display for ``stream`` (default stderr): see the module docstring.
    ``use_tqdm``: force (True) or refuse (False) the bar; None decides by the terminal."""
    target = stream if stream is not None else sys.stderr
    if use_tqdm is None:
        isatty = getattr(target, 'isatty', None)
        use_tqdm = bool(isatty is not None and isatty())
    if use_tqdm:
        try:
            tqdm_module = importlib.import_module('tqdm')
        except ImportError:
            pass
        else:
            return TqdmProgress(getattr(tqdm_module, 'tqdm'), label, target)
    return LogProgress(label, interval, target)
