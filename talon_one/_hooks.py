"""Hooks: functions of yours called around every attempt of a call (``Configuration.hooks``).

``Configuration.hooks`` is a :class:`Hooks` mapping (``{'response': record_latency}``) with
up to three functions, each taking one frozen event:

- ``request`` -- :class:`RequestEvent`, before each attempt is sent (the first, each retry,
  each redirect): the operation, method, URL and headers (credentials masked) and the
  attempt number (1 for the first);
- ``response`` -- :class:`ResponseEvent`, when an attempt has its answer: the status, the
  response headers (cookies masked), the seconds since the attempt started, the attempt;
- ``retry`` -- :class:`RetryEvent`, when the call is going to try again: why (``'status
  503'``, ``'timeout (read)'``, ``'ProtocolError'``...) and the seconds it waits first.

The same hooks run for the sync client and for ``talon_one.aio`` (called in the event loop:
keep them quick, they are plain functions). An exception raised by a hook is logged on the
``talon_one`` logger and the call goes on. No event ever carries an API key, a signature,
a password or a cookie: URLs are shown as in the SDK's log lines, and the value of every
credential header is replaced by ``********``.
"""

import logging
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, Mapping, Optional, Tuple, TypedDict, cast

from talon_one._exceptions import ApiTypeError, ApiValueError
from talon_one._redact import MASK

__all__ = ['HOOK_NAMES', 'Hooks', 'RequestEvent', 'ResponseEvent', 'RetryEvent', 'check_hooks',
           'emit', 'masked_headers']

logger = logging.getLogger('talon_one')

HOOK_NAMES = ('request', 'response', 'retry')

# Headers whose values are credentials (or cookies) wherever they appear; the header names
# of the configured API keys and auth settings are added per configuration.
SECRET_HEADERS = frozenset(('authorization', 'proxy-authorization', 'content-signature',
                            'cookie', 'set-cookie', 'x-api-key'))


@dataclass(frozen=True)
class RequestEvent(object):
    """An attempt is about to be sent."""

    operation: Optional[str]     # 'update_customer_session_v2'; None for call_api / request
    method: str                  # 'PUT'
    url: str                     # the full URL, credentials masked
    headers: Mapping[str, str]   # the request's headers, credential values masked
    attempt: int                 # 1 for the first attempt, 2 for the next (retry or redirect)


@dataclass(frozen=True)
class ResponseEvent(object):
    """An attempt has its answer (any status: a retried 503 and a redirect too)."""

    operation: Optional[str]
    method: str
    url: str
    status: int
    headers: Mapping[str, str]   # the response's headers, cookies masked
    elapsed: float               # seconds from the attempt's start to its answer
    attempt: int


@dataclass(frozen=True)
class RetryEvent(object):
    """The call tries again after ``wait`` seconds, because of ``reason``."""

    operation: Optional[str]
    method: str
    url: str
    reason: str                  # 'status 503', 'timeout (read)', 'ProtocolError'...
    wait: float                  # seconds slept before the next attempt
    attempt: int                 # the attempt that failed (the next one is attempt + 1)


class Hooks(TypedDict, total=False):
    """``Configuration.hooks``: the functions called for each event (any of them)."""

    request: Callable[[RequestEvent], object]
    response: Callable[[ResponseEvent], object]
    retry: Callable[[RetryEvent], object]


#: (request, response, retry) functions, or None when no hook is set.
HookFunctions = Optional[Tuple[Optional[Callable[[Any], object]], ...]]


def check_hooks(value: object) -> Tuple[Optional[Dict[str, Any]], HookFunctions]:
    """(the hooks as a dict, their (request, response, retry) functions) for a setting."""
    if value is None:
        return None, None
    if not isinstance(value, Mapping):
        raise ApiTypeError("Configuration.hooks must be a dict like {'response': function}, "
                           "got %s" % type(value).__name__)
    hooks: Dict[str, Any] = dict(cast('Mapping[str, Any]', value))
    unknown = sorted(str(name) for name in hooks if name not in HOOK_NAMES)
    if unknown:
        raise ApiValueError('Configuration.hooks: unknown hook %s (the hooks are %s)'
                            % (', '.join(repr(name) for name in unknown), ', '.join(HOOK_NAMES)))
    for name, function in hooks.items():
        if function is not None and not callable(function):
            raise ApiTypeError('Configuration.hooks[%r] must be a function taking the event, '
                               'got %s' % (name, type(function).__name__))
    functions = tuple(hooks.get(name) for name in HOOK_NAMES)
    return hooks, (functions if any(f is not None for f in functions) else None)


def emit(name: str, function: Callable[[Any], object], event: object) -> None:
    """Call one hook; an exception it raises is logged, and the call goes on."""
    try:
        function(event)
    except Exception:
        logger.warning('talon_one: the %s hook %r raised (the call goes on)', name, function,
                       exc_info=True)


def masked_headers(headers: Mapping[str, str], secret: Iterable[str]) -> Dict[str, str]:
    """A copy of ``headers`` with the value of every header named in ``secret`` (lower
    case) or in ``SECRET_HEADERS`` replaced by ``MASK``."""
    names = secret if isinstance(secret, frozenset) else frozenset(secret)
    return {name: (MASK if (name.lower() in SECRET_HEADERS or name.lower() in names) else value)
            for name, value in headers.items()}
