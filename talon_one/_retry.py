"""When and how long to wait before retrying a request.

Policy (README, "Timeouts and retries"):
- the request did not reach the server (connection refused or failed, connect timeout):
  every method;
- HTTP 429 (the server says it did not process the request): every method;
- HTTP 502, 503, 504, and a connection that broke after the request may have been sent:
  idempotent methods only (GET, HEAD, PUT, DELETE, OPTIONS), unless the user opted in with
  ``retry_non_idempotent`` and accepts that a POST may then be processed twice.
Waits use capped exponential backoff with full jitter; a ``Retry-After`` header (seconds or
an HTTP date) replaces the computed wait. The transport does not wait longer than the cap
or than the time the call has left: it raises at once, with ``retry_after`` on the error.
"""

import email.utils
import random
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable, Optional

if TYPE_CHECKING:
    from talon_one._configuration import Configuration

__all__ = ['CONNECT_ERROR', 'IDEMPOTENT_METHODS', 'READ_ERROR', 'RetryPolicy',
           'parse_retry_after', 'sleep']

# Indirection so tests can record the waits instead of sleeping.
sleep = time.sleep

IDEMPOTENT_METHODS = frozenset(('GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE'))
RETRY_ANY_METHOD_STATUSES = frozenset((429,))
RETRY_IDEMPOTENT_STATUSES = frozenset((502, 503, 504))

CONNECT_ERROR = 'connect'   # nothing reached the server
READ_ERROR = 'read'         # the request may have reached the server


class RetryPolicy(object):
    """Decides whether attempt number ``attempt`` (0 = first retry) may happen, and when."""

    def __init__(self, max_retries: int = 2, backoff_factor: float = 0.5,
                 max_backoff: float = 30.0, retry_non_idempotent: bool = False,
                 rng: Callable[[], float] = random.random) -> None:
        self.max_retries = max_retries
        self.backoff_factor = backoff_factor
        self.max_backoff = max_backoff
        self.retry_non_idempotent = retry_non_idempotent
        self._rng = rng

    @classmethod
    def from_configuration(cls, configuration: 'Configuration',
                           retry_non_idempotent: Optional[bool] = None) -> 'RetryPolicy':
        if retry_non_idempotent is None:
            retry_non_idempotent = configuration.retry_non_idempotent
        return cls(max_retries=configuration.max_retries,
                   backoff_factor=configuration.retry_backoff_factor,
                   max_backoff=configuration.retry_max_backoff,
                   retry_non_idempotent=retry_non_idempotent)

    def may_repeat(self, method: str) -> bool:
        """True when sending ``method`` twice is harmless (or the user accepts it)."""
        return method in IDEMPOTENT_METHODS or self.retry_non_idempotent

    def retries_status(self, method: str, status: int, attempt: int) -> bool:
        if attempt >= self.max_retries:
            return False
        if status in RETRY_ANY_METHOD_STATUSES:
            return True
        return status in RETRY_IDEMPOTENT_STATUSES and self.may_repeat(method)

    def retries_error(self, method: str, kind: Optional[str], attempt: int) -> bool:
        if attempt >= self.max_retries:
            return False
        if kind == CONNECT_ERROR:
            return True
        return kind == READ_ERROR and self.may_repeat(method)

    def delay(self, attempt: int, retry_after: Optional[float] = None) -> float:
        """Seconds to wait before retry ``attempt`` (0-based): the server's, else backoff."""
        if retry_after is not None:
            return retry_after
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
