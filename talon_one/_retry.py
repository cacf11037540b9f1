"""When and how long to wait before retrying a request.

Policy (see docs/design.md):
- connection errors (nothing reached the server): every method;
- HTTP 429 and 503 (the server refused the work): every method;
- HTTP 502, 504 and read errors (the server may have done the work): idempotent methods only.
Waits use capped exponential backoff with full jitter; a ``Retry-After`` header (seconds
or HTTP date) replaces the computed wait, capped at the same maximum.
"""

import email.utils
import random
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable, Optional

if TYPE_CHECKING:
    from talon_one._configuration import Configuration

# Indirection so tests can record the waits instead of sleeping.
sleep = time.sleep

IDEMPOTENT_METHODS = frozenset(('GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE'))
RETRY_ANY_METHOD_STATUSES = frozenset((429, 503))
RETRY_IDEMPOTENT_STATUSES = frozenset((502, 504))

CONNECT_ERROR = 'connect'
READ_ERROR = 'read'


class RetryPolicy(object):
    """Decides whether attempt number ``attempt`` (0 = first retry) may happen, and when."""

    def __init__(self, max_retries: int = 2, backoff_factor: float = 0.5,
                 max_backoff: float = 30.0, rng: Callable[[], float] = random.random) -> None:
        self.max_retries = max_retries
        self.backoff_factor = backoff_factor
        self.max_backoff = max_backoff
        self._rng = rng

    @classmethod
    def from_configuration(cls, configuration: 'Configuration') -> 'RetryPolicy':
        return cls(max_retries=configuration.max_retries,
                   backoff_factor=configuration.retry_backoff_factor,
                   max_backoff=configuration.retry_max_backoff)

    def retries_status(self, method: str, status: int, attempt: int) -> bool:
        if attempt >= self.max_retries:
            return False
        if status in RETRY_ANY_METHOD_STATUSES:
            return True
        return status in RETRY_IDEMPOTENT_STATUSES and method in IDEMPOTENT_METHODS

    def retries_error(self, method: str, kind: Optional[str], attempt: int) -> bool:
        if attempt >= self.max_retries:
            return False
        if kind == CONNECT_ERROR:
            return True
        return kind == READ_ERROR and method in IDEMPOTENT_METHODS

    def delay(self, attempt: int, retry_after: Optional[str] = None) -> float:
        """Seconds to wait before retry ``attempt`` (0-based)."""
        hinted = parse_retry_after(retry_after)
        if hinted is not None:
            return min(hinted, self.max_backoff)
        ceiling = min(self.max_backoff, self.backoff_factor * 2.0 ** attempt)
        return ceiling * self._rng()


def parse_retry_after(value: Optional[str], now: Optional[datetime] = None) -> Optional[float]:
    """Seconds from a Retry-After header value (delta-seconds or HTTP date); None if unusable."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())
