"""RFC 3339 date-times: the only time format on the wire."""

import datetime as _dt
import functools
import re

UTC = _dt.timezone.utc
_RFC3339 = re.compile(
    r'^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$')


def now() -> _dt.datetime:
    return _dt.datetime.now(UTC)


def fmt(value: _dt.datetime) -> str:
    """Format an aware datetime as RFC 3339 in UTC, milliseconds and ``Z``."""
    value = value.astimezone(UTC)
    # Four year digits and always three fraction digits, so stored strings sort by time.
    return '%04d-%02d-%02dT%02d:%02d:%02d.%03dZ' % (
        value.year, value.month, value.day, value.hour, value.minute, value.second,
        value.microsecond // 1000)


def parse(text: object) -> _dt.datetime:
    """Parse an RFC 3339 string; ValueError when it is not one."""
    if not isinstance(text, str):
        raise ValueError('not an RFC 3339 date-time: %r' % (text,))
    return _parse(text)


# Campaign windows and coupon dates are parsed on every evaluation: the same few strings.
# datetimes are immutable, so a cached one can be shared.
@functools.lru_cache(maxsize=4096)
def _parse(text: str) -> _dt.datetime:
    if not _RFC3339.match(text):
        raise ValueError('not an RFC 3339 date-time: %r' % (text,))
    normalized = text.replace('z', 'Z').replace('t', 'T').replace(' ', 'T')
    if normalized.endswith('Z'):
        normalized = normalized[:-1] + '+00:00'
    match = re.match(r'^(.*?)(\.\d+)?([+-]\d{2}:?\d{2})$', normalized)
    assert match is not None    # _RFC3339 matched: so does this
    base, fraction, offset = match.group(1), match.group(2) or '', match.group(3)
    if ':' not in offset:
        offset = offset[:3] + ':' + offset[3:]
    fraction = fraction[:7].ljust(7, '0') if fraction else ''
    value = _dt.datetime.fromisoformat(base + fraction + offset)
    try:
        value.astimezone(UTC)   # e.g. 9999-12-31T23:59:59-05:00 has no UTC form to store
    except OverflowError:
        raise ValueError('date-time out of range: %r' % (text,)) from None
    return value


def is_rfc3339(text: object) -> bool:
    try:
        parse(text)
    except ValueError:
        return False
    return True


_EARLIEST = _dt.datetime.min.replace(tzinfo=UTC) + _dt.timedelta(days=1)
_LATEST = _dt.datetime.max.replace(tzinfo=UTC) - _dt.timedelta(days=1)


def add_days(value: _dt.datetime, days: float) -> _dt.datetime:
    """``value`` moved by ``days``, clamped to the calendar's range instead of overflowing
    (a day of margin keeps the result formattable in UTC from any offset)."""
    try:
        moved = value + _dt.timedelta(days=days)
    except OverflowError:
        return _LATEST if days > 0 else _EARLIEST
    return min(max(moved, _EARLIEST), _LATEST)
