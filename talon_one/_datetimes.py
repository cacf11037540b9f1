"""RFC 3339 date-time and ISO 8601 date parsing and formatting.

The stdlib ``fromisoformat`` is the fast path; ``dateutil`` is imported only
when a string needs it (it is rarely needed and slow to import).
"""

import datetime
import re
import sys
from typing import Callable

__all__ = ['format_datetime', 'fromisoformat', 'normalise_rfc3339', 'parse_date', 'parse_datetime']

_UTC = datetime.timezone.utc

_RFC3339 = re.compile(
    r'(\d{4}-\d\d-\d\d)[Tt ](\d\d:\d\d(?::\d\d)?)(?:[.,](\d+))?([Zz]|[+-]\d\d(?::?\d\d)?)?$')


def normalise_rfc3339(text: str) -> str:
    """Rewrite an RFC 3339 date-time into the subset ``fromisoformat()`` of Python < 3.11 reads.

    ``Z`` becomes ``+00:00``, the fraction gets exactly 6 digits, offsets get a colon.
    Text that is not an RFC 3339 date-time is returned unchanged.
    """
    match = _RFC3339.match(text)
    if match is None:
        return text
    day, clock, fraction, zone = match.groups()
    text = day + 'T' + clock
    if fraction:
        text += '.' + (fraction + '000000')[:6]
    if zone:
        if zone in ('Z', 'z'):
            zone = '+00:00'
        elif len(zone) == 3:
            zone += ':00'
        elif ':' not in zone:
            zone = zone[:3] + ':' + zone[3:]
        text += zone
    return text


def _fromisoformat_compat(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(normalise_rfc3339(text))


# RFC 3339 text (what the API sends) to a datetime, naive when the text has no offset.
fromisoformat: Callable[[str], datetime.datetime] = (
    datetime.datetime.fromisoformat if sys.version_info >= (3, 11) else _fromisoformat_compat)


def parse_datetime(text: str) -> datetime.datetime:
    """Parse an RFC 3339 / ISO 8601 date-time into a timezone-aware ``datetime``.

    A missing offset means UTC. Raises ``ValueError`` when ``text`` is not a
    date-time.
    """
    try:
        value = fromisoformat(text)
    except (TypeError, ValueError):
        value = _parse_with_dateutil(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=_UTC)
    return value


def _parse_with_dateutil(text: object) -> datetime.datetime:
    if not isinstance(text, str):
        raise ValueError('not a date-time string: %r' % (text,))
    from dateutil.parser import isoparse  # type: ignore[import-untyped]  # rarely needed
    try:
        parsed: datetime.datetime = isoparse(text)
        return parsed
    except (ValueError, OverflowError) as error:
        raise ValueError('not an RFC 3339 date-time: %r' % (text,)) from error


def parse_date(text: str) -> datetime.date:
    """Parse an ISO 8601 date (``2021-03-04``) into a ``date``; ``ValueError`` if it is not one."""
    try:
        return datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        return _parse_with_dateutil(text).date()


def format_datetime(value: datetime.datetime) -> str:
    """RFC 3339 text with an offset; a naive ``datetime`` is taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=_UTC)
    return value.isoformat()
