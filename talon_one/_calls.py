"""One call's decisions, whatever sends its bytes: deadlines, retries, redirects, errors.

Both transports run a call as a loop of attempts: ``talon_one._transport`` (urllib3, the
sync client) and ``talon_one._aio_transport`` (aiohttp, ``talon_one.aio``). Each sends the
same :class:`~talon_one._request.PreparedRequest` and reads the response its own way;
everything else is decided here, once, for both:

- the timeouts of the call (``(connect, read)`` or one number per attempt, ``total_timeout``
  for the whole call) and what is left of them;
- what an answer means (:meth:`CallState.answered`): a success, a redirect to follow (same
  origin only), or an error status, retried by ``talon_one._retry``'s policy or raised as
  its ApiException subclass;
- what a transport failure means (:meth:`CallState.failed`), once the transport has named
  it (exception, retry kind, which limit fired);
- how long to wait before the next attempt, or whether to raise instead
  (:meth:`CallState.next_delay`): the transport only sleeps for that long.
"""

import functools
import logging
import time
from typing import Any, Optional, Type, Union
from urllib.parse import urljoin, urlsplit

from talon_one import _observe, _retry, _writes
from talon_one._connections import origin_of
from talon_one._exceptions import (ApiConnectionError, ApiException, ApiRedirectError,
                                   ApiTimeoutError, exception_for_status)
from talon_one._redact import safe_url
from talon_one._request import DEFAULT, PreparedRequest, RequestOptions
from talon_one._response import RESTResponse
from talon_one._timeouts import Timeout

__all__ = ['MAX_REDIRECTS', 'REDIRECTS', 'CallState', 'log_request', 'same_origin']

logger = logging.getLogger('talon_one')

NO_TIMEOUT = Timeout()
REDIRECTS = frozenset((301, 302, 303, 307, 308))
MAX_REDIRECTS = 3
# A socket timeout this close to the call's deadline counts as the call's (total) limit.
SLACK = 1.0


class CallState(object):
    """The state of one call: its request (redirects change it), deadlines and attempts.

    ``answered(resp)`` and ``failed(...)`` return what the transport does next: a
    RESTResponse (done), a float (sleep that long, then try again) or None (try again now:
    a redirect). They raise the call's exception when it is over.
    """

    def __init__(self, configuration: Any, request: PreparedRequest,
                 options: RequestOptions) -> None:
        self.configuration = configuration
        self.request = request
        self.preload = options.preload_content
        self.timeout: Timeout = options.timeout or configuration._timeout or NO_TIMEOUT
        total = options.total_timeout
        self.total: Optional[float] = configuration.total_timeout if total is DEFAULT else total
        # Writes (issue 20): a call that waited for its turn counts from when it was made;
        # a call with an Idempotency-Key may be repeated (unless told otherwise).
        self.writes: Optional[_writes.WriteCall] = options.writes
        writes = self.writes
        self.started = time.monotonic() if writes is None else writes.made_at
        self.deadline = None if self.total is None else self.started + self.total
        self.retry_non_idempotent = options.retry_non_idempotent
        if self.retry_non_idempotent is None and writes is not None and (
                writes.idempotency_key is not None):
            self.retry_non_idempotent = True
        self.attempt = 0
        self.redirects = 0
        # Hooks, spans, trace context (talon_one._observe): None when none is configured.
        self.observer = _observe.start(configuration, request, options)

    @functools.cached_property
    def policy(self) -> _retry.RetryPolicy:
        """The retry policy, made when a first failure asks for it."""
        return _retry.RetryPolicy.from_configuration(self.configuration,
                                                     self.retry_non_idempotent)

    def _left(self) -> Optional[float]:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def _limit_of(self, failure: ApiTimeoutError) -> str:
        """Which limit a socket timeout was: the call's, once its deadline has come."""
        if self.deadline is not None and time.monotonic() >= self.deadline - SLACK / 10:
            return 'total'
        if self.timeout.total is not None:
            return 'attempt'
        return failure.limit or 'read'

    # -- outcomes ----------------------------------------------------------------------

    def answered(self, resp: Any) -> Union[RESTResponse, float, None]:
        """What a fully read answer means (``resp``: status, reason, data, headers)."""
        status = resp.status
        if 200 <= status <= 299:
            return RESTResponse(resp)
        if status in REDIRECTS:
            self._follow(resp)
            return None
        error = exception_for_status(status)(http_resp=RESTResponse(resp))
        error.retry_after = _retry.parse_retry_after(resp.headers.get('Retry-After'))
        if not self.policy.retries_status(self.request.method, status, self.attempt) and not (
                status == 409 and self._retries_conflict(error)):
            raise error
        return self.next_delay(error.retry_after, error, 'status %d' % status)

    def _retries_conflict(self, error: ApiException) -> bool:
        """A 409 of a clash with another request is retried as a 503 is (issue 20)."""
        policy = self.policy
        return (self.attempt < policy.max_retries and policy.may_repeat(self.request.method)
                and _writes.parallel_conflict(self.writes, error))

    def failed(self, failure: ApiConnectionError, kind: Optional[str], limit: Optional[str],
               started: float) -> float:
        """The wait before retrying after a transport failure, or raise it.

        ``failure`` is the talon_one exception (its cause the transport's error), ``kind``
        its retry kind (``_retry.CONNECT_ERROR``, ``READ_ERROR`` or None) and ``limit`` the
        deadline that ended the attempt, if one did.
        """
        request = self.request
        if limit is None and isinstance(failure, ApiTimeoutError) and failure.limit is not None:
            limit = self._limit_of(failure)
        if limit is not None:
            failure = self.timeout_error(limit, failure.__cause__)
        log_request(request.method, request.shown_url, 'failed', started, request)
        if self.observer is not None:
            self.observer.failed(failure)
        if limit == 'total' or not self.policy.retries_error(request.method, kind, self.attempt):
            raise failure from failure.__cause__
        # Why, for the log line and the retry hook: 'timeout (read)', 'ProtocolError'...
        cause = failure.__cause__
        reason = ('timeout (%s)' % limit if limit is not None
                  else type(cause if cause is not None else failure).__name__)
        return self.next_delay(None, failure, reason)

    def next_delay(self, retry_after: Optional[float], error: ApiException, cause: str) -> float:
        """Seconds to sleep before the next attempt, or raise ``error`` when that cannot be
        afforded (the attempt is counted: the transport sleeps, then tries again)."""
        policy = self.policy
        left = self._left()
        if retry_after is not None and (retry_after > policy.max_backoff
                                        or (left is not None and retry_after >= left)):
            raise error  # the server asks for more than the cap or the time left: caller decides
        delay = policy.delay(self.attempt, retry_after)
        if left is not None and delay >= left:
            raise error from error.__cause__  # the wait alone would use up the total timeout
        if self.observer is not None:
            self.observer.retry(cause, delay)
        logger.warning('Retrying %s %s after %s (retry %d of %d, waiting %.3f s)',
                       self.request.method, self.request.shown_url, cause, self.attempt + 1,
                       policy.max_retries, delay)
        self.attempt += 1
        return delay

    def _follow(self, resp: Any) -> None:
        """Point the call at a redirect's target: same origin only (or http -> https)."""
        request = self.request
        location = resp.headers.get('Location')
        if not location:
            raise exception_for_status(resp.status)(http_resp=RESTResponse(resp))
        target = urljoin(request.url, location)
        shown = safe_url(target)
        if not same_origin(request.url, target):
            raise ApiRedirectError(resp.status, resp.reason, location=shown,
                                   problem='not followed: another host (credentials and bodies '
                                           'are only sent to the configured host)',
                                   headers=resp.headers)
        if self.redirects >= MAX_REDIRECTS:
            raise ApiRedirectError(resp.status, resp.reason, location=shown,
                                   problem='not followed: more than %d redirects' % MAX_REDIRECTS,
                                   headers=resp.headers)
        self.redirects += 1
        method, body, headers = request.method, request.body, request.headers
        if resp.status == 303 and method != 'HEAD':
            method, body = 'GET', None
            headers = {name: value for name, value in headers.items()
                       if name.lower() not in ('content-type', 'content-length')}
        self.request = request.redirected(target, method, body, headers)

    def timeout_error(self, limit: str, cause: Optional[BaseException]) -> ApiTimeoutError:
        """The ApiTimeoutError of ``limit`` ('total', 'attempt', 'connect' or 'read')."""
        timeout = self.timeout
        if limit == 'total':
            text = 'total_timeout of %s s ran out (%d attempt%s)' % (
                _seconds(self.total), self.attempt + 1, '' if self.attempt == 0 else 's')
        elif limit == 'attempt':
            text = 'timeout of %s s for one attempt ran out' % _seconds(timeout.total)
        elif limit == 'connect':
            text = 'connect timeout of %s s ran out' % _seconds(timeout.connect)
        else:
            text = ('read timeout of %s s ran out before the whole response had arrived'
                    % _seconds(timeout.read))
        error = ApiTimeoutError(text, method=self.request.method, url=self.request.shown_url,
                                limit=limit)
        error.__cause__ = cause
        return error


def _seconds(value: Optional[float]) -> str:
    return 'no limit' if value is None else ('%g' % value)


def same_origin(url: str, target: str) -> bool:
    """Same scheme, host and port, or http -> https on the same host (default ports)."""
    here, there = urlsplit(url), urlsplit(target)
    if not there.hostname or there.scheme not in ('http', 'https'):
        return False
    try:
        origin = origin_of(here.scheme, here.hostname or '', here.port)
        other = origin_of(there.scheme, there.hostname, there.port)
    except ValueError:
        return False
    if origin == other:
        return True
    return (origin[0], other[0]) == ('http', 'https') and origin[1] == other[1] and (
        origin[2], other[2]) == (80, 443)


def log_request(method: str, shown_url: str, status: object, started: float,
                request: Optional[PreparedRequest] = None) -> None:
    key = None if request is None else request.headers.get('Idempotency-Key')
    if key is None:
        logger.debug('%s %s -> %s (%.1f ms)', method, shown_url, status,
                     (time.monotonic() - started) * 1000.0)
    else:
        logger.debug('%s %s -> %s (%.1f ms, Idempotency-Key %s)', method, shown_url, status,
                     (time.monotonic() - started) * 1000.0, key)


def connection_failure(err: BaseException, name: str, request: PreparedRequest,
                       exception_class: Type[ApiConnectionError],
                       limit: Optional[str]) -> ApiConnectionError:
    """The talon_one exception for a transport error ``err`` (either transport's), named
    ``name``, chained to it. Some messages quote the whole URL: only ``request.shown_url``
    (no credentials) appears in the text."""
    text = str(err).replace(request.url, request.shown_url)
    base_url = request.url.split('?', 1)[0]
    text = text.replace(base_url, request.shown_url.split('?', 1)[0])
    reason = '%s: %s' % (name, text)
    failure: ApiConnectionError
    if exception_class is ApiTimeoutError:
        failure = ApiTimeoutError(reason, method=request.method, url=request.shown_url,
                                  limit=limit)
    else:
        failure = exception_class(reason, method=request.method, url=request.shown_url)
    failure.__cause__ = err
    return failure
