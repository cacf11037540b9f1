"""HTTP transport: the client's connection pools, deadlines, retries, redirects, errors.

``RESTClientObject.send`` sends a :class:`~talon_one._request.PreparedRequest` as it is
(built and signed once, so a retry sends the same bytes):

- every attempt runs under an :class:`~talon_one._deadlines.AttemptPlan`: a single-number
  timeout bounds the whole attempt, ``(connect, read)`` bounds connecting and the time from
  the request being sent to the last byte, ``total_timeout`` bounds the whole call; no wait
  or retry is started that the time left cannot hold;
- retries follow ``talon_one._retry`` (a POST that may have reached the server is not sent
  again unless the user opted in); a ``Retry-After`` longer than the cap or the time left
  raises at once;
- redirects are followed only to the same origin (and from http to https on the same host),
  so credentials and bodies never reach another host;
- every failure becomes a talon_one exception: HTTP error statuses ApiException subclasses,
  transport failures ApiConnectionError / ApiTimeoutError / ApiSSLError (urllib3's chained).
"""

import functools
import logging
import time
from typing import TYPE_CHECKING, Any, Dict, Optional, Sequence, Tuple, Type, Union, cast

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError, EmptyPoolError, HTTPError, MaxRetryError, NewConnectionError,
    ProtocolError, ProxyError, ReadTimeoutError, SSLError,
)
from urllib3.util.retry import Retry

from talon_one import _retry
from talon_one._compat import RESTClientCompat
from talon_one._connections import Pools
from talon_one._deadlines import AttemptPlan, plan_attempt
from talon_one._calls import SLACK as _SLACK
from talon_one._calls import CallState, connection_failure, log_request, same_origin
from talon_one._exceptions import ApiConnectionError, ApiSSLError, ApiTimeoutError
from talon_one._request import (FormField, ParamsIn, PreparedRequest, RequestOptions,
                                prepare_raw)
from talon_one._response import RESTResponse
from talon_one._timeouts import Timeout, TimeoutSetting

if TYPE_CHECKING:
    from talon_one._configuration import Configuration

__all__ = ['RESTClientObject', 'RESTResponse']

logger = logging.getLogger('talon_one')

Response = Union[RESTResponse, 'urllib3.HTTPResponse']

# A socket timeout within _SLACK of the call's deadline is left as configured (not
# recomputed for every call): the deadline watchdog ends the call in time all the same.
_NO_OPTIONS = RequestOptions()
_same_origin = same_origin  # (moved to talon_one._calls; tests import it from here)


def _answer_last_status(retries: Any) -> Any:
    """A user's urllib3 Retry, made to hand back the last response when status retries run out.

    urllib3 would otherwise raise MaxRetryError without the response, and the caller would get
    a connection error instead of the status's ApiException with the server's error body.
    """
    if isinstance(retries, Retry) and retries.raise_on_status:
        return retries.new(raise_on_status=False)
    return retries


class RESTClientObject(RESTClientCompat):
    """Sends requests through the client's connection pools (one per origin, thread-safe)."""

    def __init__(self, configuration: 'Configuration', pools_size: int = 4,
                 maxsize: Optional[int] = None) -> None:
        self.configuration = configuration
        if maxsize is None:
            maxsize = configuration.connection_pool_maxsize or 32
        self._pools_size = pools_size
        self._maxsize = maxsize
        self._pool_manager: Optional[urllib3.PoolManager] = None
        proxy_manager = _proxy_manager(configuration, pools_size, maxsize)
        if proxy_manager is not None:
            self._pool_manager = proxy_manager
        self._pools = Pools(configuration, maxsize, proxy_manager)

    @property
    def pool_manager(self) -> urllib3.PoolManager:
        """A urllib3 PoolManager with this client's TLS settings (the official attribute).

        Calls of this SDK do not go through it (they use one pool per origin); it is made
        when first asked for, for code that sends its own requests with it.
        """
        if self._pool_manager is None:
            self._pool_manager = urllib3.PoolManager(
                num_pools=self._pools_size, maxsize=self._maxsize,
                **self._pools._https_args_for_manager())
        return self._pool_manager

    def close(self) -> None:
        """Close the idle connections (the object stays usable)."""
        self._pools.clear()
        if self._pool_manager is not None:
            self._pool_manager.clear()

    def request(self, method: str, url: str, query_params: ParamsIn = None,
                headers: Optional[Dict[str, str]] = None, body: Any = None,
                post_params: Optional[Sequence[FormField]] = None,
                _preload_content: bool = True,
                _request_timeout: TimeoutSetting = None) -> Response:
        """Send a request to a full URL (the official SDK's entry point).

        Returns a RESTResponse (or the raw urllib3 response when ``_preload_content`` is
        False). Raises ApiException subclasses for error statuses and ApiConnectionError
        subclasses when no answer arrives. ``body``: bytes are sent as is, str as UTF-8,
        anything else as JSON.
        """
        request = prepare_raw(method, url, query_params, headers, body, post_params)
        options = RequestOptions(preload_content=_preload_content,
                                 timeout=Timeout.of(_request_timeout, '_request_timeout'))
        return self.send(request, options)

    def send(self, request: PreparedRequest,
             options: Optional[RequestOptions] = None) -> Response:
        """Send ``request`` (retrying as configured); the response of a success status."""
        call = _Call(self, request, options or _NO_OPTIONS)
        if call.observer is None:
            return call.run()
        with call.observer:     # the hooks' and the spans' view of the call (_observe)
            return call.run()


class _Call(CallState):
    """One call over urllib3: its attempts, waits and redirects, within its deadlines (what
    they mean is decided by ``talon_one._calls.CallState``, shared with ``talon_one.aio``)."""

    def __init__(self, client: RESTClientObject, request: PreparedRequest,
                 options: RequestOptions) -> None:
        super().__init__(client.configuration, request, options)
        self.pools = client._pools
        # A user's urllib3 Retry replaces the built-in policy.
        self.urllib3_retries: Any = (False if self.configuration.retries is None
                                     else _answer_last_status(self.configuration.retries))

    @functools.cached_property
    def policy(self) -> _retry.RetryPolicy:
        """The retry policy, made when a first failure asks for it."""
        if self.configuration.retries is not None:
            return _retry.RetryPolicy(max_retries=0)
        return _retry.RetryPolicy.from_configuration(self.configuration,
                                                     self.retry_non_idempotent)

    # -- the loop ----------------------------------------------------------------------

    def run(self) -> Response:
        while True:
            plan, timeout = self._plan()
            if self.observer is not None:
                self.observer.attempt(self.request)
            started = time.monotonic()
            outcome: Union[Response, float, None]
            with plan_attempt(plan):
                try:
                    resp = self.pools.urlopen(
                        self.request, retries=self.urllib3_retries, redirect=False,
                        assert_same_host=False, timeout=timeout, pool_timeout=self._left(),
                        preload_content=False, release_conn=False)
                except HTTPError as err:
                    outcome = self._failed(err, plan, started)
                else:
                    outcome = self._answered(resp, plan, started)
                finally:
                    plan.disarm()
            if outcome is None:
                continue  # a redirect: the next attempt goes to its target at once
            if isinstance(outcome, (int, float)):
                _retry.sleep(outcome)
                continue
            return outcome

    def _plan(self) -> Tuple[AttemptPlan, urllib3.Timeout]:
        """The deadlines and the urllib3 timeout (of each wait) of the next attempt."""
        now = time.monotonic()
        left = self._left()
        if left is not None and left <= 0:
            raise self.timeout_error('total', None)
        timeout = self.timeout
        connect: Optional[float]
        read: Optional[float]
        if timeout.total is not None:
            connect = read = timeout.total
            plan = AttemptPlan(self.deadline, now + timeout.total, None)
        else:
            connect, read = timeout.connect, timeout.read
            plan = AttemptPlan(self.deadline, None, read)
        if self.pools.watches:
            # Reads block without a socket timeout; the watchdog keeps the deadlines.
            if left is not None and (connect is None or connect > left):
                return plan, urllib3.Timeout(connect=left, read=None)
            return plan, _blocking_reads(connect)
        if left is None or ((connect is not None and connect <= left)
                            and (read is not None and read - _SLACK <= left)):
            return plan, timeout.urllib3()
        return plan, urllib3.Timeout(connect=left if connect is None else min(connect, left),
                                     read=left if read is None else min(read, left))

    # -- outcomes ----------------------------------------------------------------------

    def _answered(self, resp: Any, plan: AttemptPlan,
                  started: float) -> Union[Response, float, None]:
        """The response of a success status; a wait or None to go round again."""
        request = self.request
        status = resp.status
        if logger.isEnabledFor(logging.DEBUG):
            log_request(request.method, request.shown_url, status, started, request)
        if self.observer is not None:
            self.observer.response(status, resp.headers, started)
        if 200 <= status <= 299 and not self.preload:
            # The caller reads (and releases) it, after the watchdog has let go of the socket:
            # each of its reads gets the read timeout (or the attempt's) instead.
            _set_read_timeout(resp, self.timeout.read if self.timeout.total is None
                              else self.timeout.total)
            return cast('urllib3.HTTPResponse', resp)
        try:
            resp.read(cache_content=True)
        except HTTPError as err:
            self._release(resp)
            return self._failed(err, plan, started)
        self._release(resp)
        return self.answered(resp)

    def _failed(self, err: Exception, plan: AttemptPlan, started: float) -> float:
        """The wait before retrying after a transport failure, or raise it."""
        failure, kind = _translate_error(err, self.request)
        return self.failed(failure, kind, plan.fired, started)

    @staticmethod
    def _release(resp: Any) -> None:
        try:
            resp.release_conn()
        except Exception:  # the connection is broken: the pool replaces it
            pass


def _set_read_timeout(resp: Any, seconds: Optional[float]) -> None:
    """Give the socket under a raw response a timeout for each of its reads."""
    connection = getattr(resp, 'connection', None) or getattr(resp, '_connection', None)
    sock = getattr(connection, 'sock', None)
    if sock is not None:
        try:
            sock.settimeout(seconds)
        except OSError:
            pass  # already closed: reading will say so


@functools.lru_cache(maxsize=64)
def _blocking_reads(connect: Optional[float]) -> urllib3.Timeout:
    """A urllib3 Timeout bounding only connecting (reads are the watchdog's)."""
    return urllib3.Timeout(connect=connect, read=None)


def _proxy_manager(configuration: 'Configuration', pools_size: int,
                   maxsize: int) -> Optional[urllib3.PoolManager]:
    proxy = configuration.proxy
    if not proxy:
        return None
    pools = Pools(configuration, maxsize)
    args = dict(pools._https_args_for_manager(), num_pools=pools_size, maxsize=maxsize,
                block=True)
    if proxy.lower().startswith('socks'):
        from urllib3.contrib.socks import SOCKSProxyManager  # needs PySocks
        manager: urllib3.PoolManager = SOCKSProxyManager(
            proxy, headers=configuration.proxy_headers, **args)
        return manager
    return urllib3.ProxyManager(proxy_url=proxy, proxy_headers=configuration.proxy_headers,
                                **args)


# urllib3 error -> (talon_one exception, retry kind). The first match wins: a
# NewConnectionError is also a ConnectTimeoutError in urllib3 2, and is not a timeout.
_ERROR_CLASSES: Tuple[Tuple[Type[Exception], Type[ApiConnectionError], Optional[str],
                            Optional[str]], ...] = (
    (ProxyError, ApiConnectionError, _retry.CONNECT_ERROR, None),
    (SSLError, ApiSSLError, None, None),
    (NewConnectionError, ApiConnectionError, _retry.CONNECT_ERROR, None),
    (ConnectTimeoutError, ApiTimeoutError, _retry.CONNECT_ERROR, 'connect'),
    (ReadTimeoutError, ApiTimeoutError, _retry.READ_ERROR, 'read'),
    (EmptyPoolError, ApiTimeoutError, None, 'total'),
    (ProtocolError, ApiConnectionError, _retry.READ_ERROR, None),
)


def _translate_error(err: Exception,
                     request: PreparedRequest) -> Tuple[ApiConnectionError, Optional[str]]:
    """(talon_one exception, retry kind or None) for a urllib3 error.

    Only ``request.shown_url`` (no credentials) appears in the exception's text. The
    exception's ``__cause__`` is the most specific urllib3 error (the reason of a
    MaxRetryError); raise it with ``raise failure from failure.__cause__``.
    """
    if isinstance(err, MaxRetryError) and err.reason is not None:
        err = err.reason
    exception_class: Type[ApiConnectionError] = ApiConnectionError
    kind: Optional[str] = None
    limit: Optional[str] = None
    for urllib3_class, candidate, candidate_kind, candidate_limit in _ERROR_CLASSES:
        if isinstance(err, urllib3_class):
            exception_class, kind, limit = candidate, candidate_kind, candidate_limit
            break
    # (Some urllib3 messages, LocationParseError's, quote the whole URL.)
    return connection_failure(err, type(err).__name__, request, exception_class, limit), kind
