"""Loyalty durations as the API writes them (``validityDuration`` "30D",
``extensionDuration`` "12h"): a positive count and one unit letter."""

import calendar
import datetime
import re
from typing import Optional

from talon_one.sandbox import timeutil

# h hours, D days, W weeks, M calendar months, Y calendar years.
UNITS = 'hDWMY'
_DURATION = re.compile(r'^([1-9][0-9]{0,5})([%s])$' % UNITS)
MAX_DAYS = 36500        # like the world's day counts: within what a calendar holds


def parse(text: object) -> Optional[str]:
    """The problem with ``text`` as a duration (None: it is one)."""
    if not isinstance(text, str) or not _DURATION.match(text):
        return 'must be a count and a unit (%s), e.g. 30D or 12h' % ', '.join(UNITS)
    if _days(text) > MAX_DAYS:
        return 'must be at most %d days long' % MAX_DAYS
    return None


def _days(text: str) -> float:
    count, unit = int(text[:-1]), text[-1]
    return count * {'h': 1 / 24.0, 'D': 1, 'W': 7, 'M': 31, 'Y': 366}[unit]


def add(moment: datetime.datetime, text: str) -> datetime.datetime:
    """``moment`` plus the duration (months and years on the calendar, day clamped; a
    result past the calendar's end is its last day, like timeutil.add_days)."""
    count, unit = int(text[:-1]), text[-1]
    if unit == 'h':
        return timeutil.add_days(moment, count / 24.0)
    if unit in 'DW':
        return timeutil.add_days(moment, count * (7 if unit == 'W' else 1))
    months = moment.month - 1 + count * (12 if unit == 'Y' else 1)
    year, month = moment.year + months // 12, months % 12 + 1
    if year > 9999:
        return timeutil.add_days(moment, count * 366)     # clamps to the last day
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return timeutil.add_days(moment.replace(year=year, month=month, day=day), 0)   # clamped
