"""``Idempotency-Key``: the per-call option ``_idempotency_key=`` and its checks.

The key is sent as the ``Idempotency-Key`` header of every attempt of the call (the request is
built once, so a retry sends the same key). The server keeps the answer of a keyed write for
24 hours and answers a repeat with it, without doing the work again: a keyed call is retried
like a PUT (``talon_one._calls``). Which POSTs get a key of the SDK's own is in
``talon_one._writes.WRITES``.
"""

from typing import Any, Optional

from talon_one._exceptions import ApiValueError

__all__ = ['HEADER', 'MAX_LENGTH', 'OPTION', 'check_key']

HEADER = 'Idempotency-Key'
OPTION = '_idempotency_key'
MAX_LENGTH = 255     # the spec: "should not exceed 255 characters"
_READS = frozenset(('GET', 'HEAD', 'OPTIONS'))


def check_key(value: Any) -> Optional[str]:
    """``value`` when it is a usable key (or None); ApiValueError naming the option."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiValueError('%s must be a str, got %s' % (OPTION, type(value).__name__))
    if not value:
        raise ApiValueError('%s must not be empty' % OPTION)
    if len(value) > MAX_LENGTH:
        raise ApiValueError('%s must be at most %d characters, got %d'
                            % (OPTION, MAX_LENGTH, len(value)))
    if value != value.strip() or any(ord(char) < 0x20 or ord(char) == 0x7f for char in value):
        raise ApiValueError('%s must be header text: no control characters, no leading or '
                            'trailing spaces, got %r' % (OPTION, value))
    try:
        value.encode('latin-1')
    except UnicodeEncodeError:
        raise ApiValueError('%s must be ISO-8859-1 header text, got %r'
                            % (OPTION, value)) from None
    return value


def check_write(key: Optional[str], method: str, operation: str) -> None:
    """A key on a read is a mistake: reads are repeated freely and the server ignores it."""
    if key is not None and method in _READS:
        raise ApiValueError('%s is for writes; %s is a %s' % (OPTION, operation, method))
