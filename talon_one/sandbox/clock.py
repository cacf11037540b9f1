"""The sandbox clock: real time plus an offset that tests may move (``/_sandbox/clock``).

Every operation reads the time through ``Service.now()``, which asks this clock, so moving it
forward is seen by everything the operations compute from "now" (campaign windows, coupon
expiry, loyalty pending and expiry dates, the 24 hours an ``Idempotency-Key`` is kept).
A reset puts it back to real time; it is not stored in a ``--db`` file.
"""

import datetime
from typing import Any, Dict, Union

from talon_one.sandbox import timeutil

Amount = Union[int, float, datetime.timedelta]
MAX_OFFSET_DAYS = 36500


class Clock(object):
    def __init__(self) -> None:
        self.offset = datetime.timedelta(0)

    def now(self) -> datetime.datetime:
        offset = self.offset
        return timeutil.now() + offset if offset else timeutil.now()

    def advance(self, amount: Amount) -> datetime.datetime:
        """Move the clock forward by ``amount`` (seconds or a timedelta); the new time."""
        delta = amount if isinstance(amount, datetime.timedelta) else \
            datetime.timedelta(seconds=amount)
        if delta < datetime.timedelta(0):
            raise ValueError('the sandbox clock only moves forward (got %s)' % (delta,))
        self.set_offset(self.offset + delta)
        return self.now()

    def set_offset(self, offset: datetime.timedelta) -> None:
        if abs(offset) > datetime.timedelta(days=MAX_OFFSET_DAYS):
            raise ValueError('the sandbox clock stays within %d days of real time'
                             % MAX_OFFSET_DAYS)
        self.offset = offset

    def reset(self) -> None:
        self.offset = datetime.timedelta(0)

    def as_json(self) -> Dict[str, Any]:
        return {'now': timeutil.fmt(self.now()),
                'offsetSeconds': self.offset.total_seconds()}
