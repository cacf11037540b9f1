"""Timeouts as users give them (seconds, or ``(connect, read)``), checked once into a value.

Every place that accepts a timeout (``Configuration.timeout``, the per-call
``_request_timeout``) goes through :meth:`Timeout.of`, so the rules and the error message
exist once; the transport only ever sees :class:`Timeout` objects.
"""

from typing import TYPE_CHECKING, Any, Optional, Sequence, Tuple, Union, cast

from talon_one._exceptions import ApiValueError

if TYPE_CHECKING:
    import urllib3

__all__ = ['Timeout', 'TimeoutSetting', 'check_total_timeout']

#: What a timeout setting may be: seconds, or a (connect, read) pair (None: no limit).
TimeoutSetting = Union[None, float, Tuple[Optional[float], Optional[float]]]


class Timeout(object):
    """An immutable, checked timeout.

    ``connect`` and ``read`` are seconds (None: no limit); ``total`` is set instead
    when a single number was given.
    """

    __slots__ = ('connect', 'read', 'total', 'setting', '_urllib3')

    connect: Optional[float]
    read: Optional[float]
    total: Optional[float]
    setting: TimeoutSetting

    def __init__(self, connect: Optional[float] = None, read: Optional[float] = None,
                 total: Optional[float] = None) -> None:
        object.__setattr__(self, 'connect', connect)
        object.__setattr__(self, 'read', read)
        object.__setattr__(self, 'total', total)
        setting: TimeoutSetting = total if total is not None else (
            None if connect is None and read is None else (connect, read))
        object.__setattr__(self, 'setting', setting)
        object.__setattr__(self, '_urllib3', None)

    @classmethod
    def of(cls, value: object, field: str) -> Optional['Timeout']:
        """The Timeout for a setting, None for None; ApiValueError naming ``field`` otherwise."""
        if value is None:
            return None
        if isinstance(value, Timeout):
            return value
        if _is_positive_number(value):
            return cls(total=_seconds(value))
        if isinstance(value, (tuple, list)):
            parts = cast('Sequence[object]', value)  # the caller's: checked below
            if len(parts) == 2 and all(part is None or _is_positive_number(part)
                                       for part in parts):
                connect, read = (None if part is None else _seconds(part) for part in parts)
                return cls(connect=connect, read=read)
        raise ApiValueError('%s must be a number of seconds > 0 or a (connect, read) tuple of '
                            'them, got %r' % (field, value))

    def urllib3(self) -> 'urllib3.Timeout':
        """The equivalent ``urllib3.Timeout``, made once."""
        made: Optional['urllib3.Timeout'] = getattr(self, '_urllib3')
        if made is None:
            import urllib3
            if self.total is not None:
                made = urllib3.Timeout(total=self.total)
            else:
                made = urllib3.Timeout(connect=self.connect, read=self.read)
            object.__setattr__(self, '_urllib3', made)
        return made

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError('Timeout is immutable')

    def __reduce__(self) -> Tuple[type, Tuple[Optional[float], Optional[float], Optional[float]]]:
        return Timeout, (self.connect, self.read, self.total)

    def __copy__(self) -> 'Timeout':
        return self

    def __deepcopy__(self, memo: Any) -> 'Timeout':
        return self

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Timeout):
            return NotImplemented
        return (self.connect, self.read, self.total) == (other.connect, other.read, other.total)

    def __hash__(self) -> int:
        return hash((self.connect, self.read, self.total))

    def __repr__(self) -> str:
        if self.total is not None:
            return 'Timeout(total=%r)' % self.total
        return 'Timeout(connect=%r, read=%r)' % (self.connect, self.read)


def _is_positive_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def _seconds(value: object) -> float:
    return float(value)  # type: ignore[arg-type]  # an int or float: checked by the caller


def check_total_timeout(value: object, field: str) -> Optional[float]:
    """A whole-call budget: None (no limit) or seconds > 0; ApiValueError naming ``field``."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    raise ApiValueError('%s must be a number of seconds > 0 or None, got %r' % (field, value))
