"""The asyncio transport of ``talon_one.aio``: aiohttp sends what the request builder made.

``AsyncTransport.send`` is the asyncio twin of ``RESTClientObject.send``: the same
:class:`~talon_one._request.PreparedRequest` (the same bytes, headers and signature), the
same decisions (``talon_one._calls.CallState``: timeouts, retry policy, Retry-After,
redirects to the same origin only, exceptions), only the sending and the sleeping differ:

- one ``aiohttp.ClientSession`` per client, made on first use inside the running loop, with
  ``connection_pool_maxsize`` connections per host (calls wait for a free one), the TLS
  settings of the configuration and its proxy;
- each attempt runs under a timer of the event loop: until a connection is obtained it is
  the call's deadline (the attempt's for a single-number timeout; connecting itself is
  bounded by the connect timeout), from then on the earliest of the call's deadline, the
  attempt's and the read budget (``(connect, read)``: the whole response, however slowly
  it comes). When it fires the attempt is cancelled, its connection closed, and the
  transport reports which limit ran out;
- a cancellation from outside (``task.cancel()``, ``asyncio.timeout``) closes the
  connection of the attempt and propagates unchanged;
- waits between attempts are ``asyncio.sleep`` (``sleep`` here, so tests can record them).
"""

import asyncio
import contextvars
import functools
import logging
import ssl
import time
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Tuple, Type, Union

import aiohttp
from yarl import URL

from talon_one import _retry
from talon_one._calls import CallState, connection_failure, log_request
from talon_one._deadlines import AttemptPlan
from talon_one._exceptions import ApiConnectionError, ApiSSLError, ApiTimeoutError, ApiValueError
from talon_one._request import PreparedRequest, RequestOptions
from talon_one._response import RESTResponse

if TYPE_CHECKING:
    from talon_one._configuration import Configuration

__all__ = ['AsyncTransport']

logger = logging.getLogger('talon_one')

# Headers aiohttp would add that urllib3 does not (Accept: */*, Accept-Encoding: gzip,
# its own User-Agent, Content-Type: application/octet-stream for bytes): skipped when the
# request does not carry its own (it usually does: then aiohttp adds none).
_SKIP_AUTO_HEADERS = ('Accept', 'Accept-Encoding', 'Content-Type', 'User-Agent')
# urllib3 sends Content-Length: 0 for these methods without a body, and for no other.
_BODY_METHODS = frozenset(('POST', 'PUT', 'PATCH'))
# aiohttp gives these a Content-Type (application/octet-stream) unless told not to.
_POST_METHODS = aiohttp.ClientRequest.POST_METHODS
_NO_OPTIONS = RequestOptions()

# Indirection so tests can record the waits instead of sleeping.
sleep = asyncio.sleep

# The attempt the running task is making, for the connector to say when it is connected.
_ATTEMPT: 'contextvars.ContextVar[Optional[_Attempt]]' = contextvars.ContextVar(
    'talon_one_attempt', default=None)


class _Request(aiohttp.ClientRequest):
    """aiohttp's request, without the ``Content-Length: 0`` it adds to a DELETE without a body
    (urllib3 sends none): the same bytes on the wire as the sync client."""

    GET_METHODS = aiohttp.ClientRequest.GET_METHODS | {'DELETE'}


class _Connector(aiohttp.TCPConnector):
    """aiohttp's connector, telling the attempt when its connection is ready (from then on
    the read budget runs)."""

    async def connect(self, req: aiohttp.ClientRequest, traces: Any,
                      timeout: aiohttp.ClientTimeout) -> Any:
        connection = await super().connect(req, traces, timeout)
        attempt = _ATTEMPT.get()
        if attempt is not None:
            attempt.connected()
        return connection


class _Answer(object):
    """A read aiohttp response, as ``RESTResponse`` and the exceptions take one."""

    __slots__ = ('status', 'reason', 'data', 'headers')

    def __init__(self, status: int, reason: Optional[str], data: bytes,
                 headers: Mapping[str, str]) -> None:
        self.status = status
        self.reason = reason
        self.data = data
        self.headers = headers


class _Attempt(object):
    """One attempt's deadlines, kept by one timer of the event loop that cancels the task."""

    __slots__ = ('plan', 'loop', 'task', 'handle', 'limit', 'fired', 'is_connected', 'offset')

    def __init__(self, plan: AttemptPlan, loop: asyncio.AbstractEventLoop,
                 task: 'asyncio.Task[Any]') -> None:
        self.plan = plan
        self.loop = loop
        self.task = task
        self.handle: Optional[asyncio.TimerHandle] = None
        self.limit = ''
        self.fired: Optional[str] = None
        self.is_connected = False
        # monotonic -> loop time (the same clock for the default loops, not for every loop)
        self.offset = loop.time() - time.monotonic()
        self._arm(None)

    def _arm(self, read_from: Optional[float]) -> None:
        deadline, limit = self.plan._deadline(read_from)
        handle = self.handle
        if handle is not None:
            if deadline is not None and limit == self.limit and (
                    abs(handle.when() - deadline - self.offset) < 1e-9):
                return  # the same deadline as before (the call's, say): keep its timer
            handle.cancel()
            self.handle = None
        if deadline is not None:
            self.limit = limit
            self.handle = self.loop.call_at(deadline + self.offset, self._fire)

    def connected(self) -> None:
        """The connection is ready: the read budget starts (when there is one)."""
        if not self.is_connected:
            self.is_connected = True
            if self.plan.read_budget is not None and self.fired is None:
                self._arm(time.monotonic())

    def _fire(self) -> None:
        self.handle = None
        self.fired = self.limit
        self.task.cancel()

    def stop(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None

    def ours(self) -> bool:
        """After a CancelledError: True when only this attempt's timer cancelled the task."""
        if self.fired is None:
            return False
        uncancel = getattr(self.task, 'uncancel', None)
        if uncancel is None:        # Python < 3.11: the timer's, as far as anyone can tell
            return True
        left: int = uncancel()
        return left == 0            # anything left is someone else's cancellation


def _skipped(headers: Mapping[str, str]) -> Tuple[str, ...]:
    """The headers aiohttp must not add to these (urllib3 would not send them)."""
    present = {name.lower() for name in headers}
    return tuple(name for name in _SKIP_AUTO_HEADERS if name.lower() not in present)


@functools.lru_cache(maxsize=64)
def _client_timeout(connect: Optional[float]) -> aiohttp.ClientTimeout:
    """aiohttp's timeout of an attempt: connecting only (the attempt's timer does the rest)."""
    return aiohttp.ClientTimeout(total=None, connect=None, sock_connect=connect, sock_read=None)


class AsyncTransport(object):
    """Sends prepared requests through one aiohttp session (made on first use)."""

    def __init__(self, configuration: 'Configuration') -> None:
        self.configuration = configuration
        proxy = configuration.proxy
        if proxy and not proxy.lower().startswith(('http://', 'https://')):
            raise ApiValueError('talon_one.aio supports http(s) proxies only, got %r'
                                % proxy.split('://', 1)[0])
        self.maxsize = configuration.connection_pool_maxsize or 32
        self._session: Optional[aiohttp.ClientSession] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._ssl: Optional[ssl.SSLContext] = None
        extra: Dict[str, Any] = {}
        self._proxy_headers: Optional[Dict[str, str]] = None
        if proxy:
            extra['proxy'] = proxy
            if configuration.proxy_headers:
                self._proxy_headers = dict(configuration.proxy_headers)
                extra['proxy_headers'] = self._proxy_headers
        server_hostname = configuration.tls_server_name or (
            configuration.assert_hostname if isinstance(configuration.assert_hostname, str)
            else None)
        if server_hostname:
            extra['server_hostname'] = server_hostname
        self._extra = extra

    @property
    def session(self) -> aiohttp.ClientSession:
        """The aiohttp session of the running event loop (made when first needed)."""
        loop = asyncio.get_running_loop()
        session = self._session
        if session is None or session.closed or self._loop is not loop:
            session = self._session = self._new_session()
            self._loop = loop
        return session

    def _new_session(self) -> aiohttp.ClientSession:
        if self._ssl is None:
            self._ssl = _ssl_context(self.configuration)
        connector = _Connector(limit=0, limit_per_host=self.maxsize, ssl=self._ssl)
        return aiohttp.ClientSession(
            connector=connector, request_class=_Request,
            cookie_jar=aiohttp.DummyCookieJar(), timeout=aiohttp.ClientTimeout(total=None),
            auto_decompress=True, trust_env=False)

    async def close(self) -> None:
        """Close the session and its connections (a later call opens a new one)."""
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    async def send(self, request: PreparedRequest,
                   options: Optional[RequestOptions] = None) -> RESTResponse:
        """Send ``request`` (retrying as configured); the response of a success status."""
        call = _AsyncCall(self, request, options or _NO_OPTIONS)
        if call.observer is None:
            return await call.run()
        with call.observer:     # the hooks' and the spans' view of the call (_observe)
            return await call.run()


class _AsyncCall(CallState):
    """One call over aiohttp: its attempts and waits; ``CallState`` decides what they mean."""

    def __init__(self, transport: AsyncTransport, request: PreparedRequest,
                 options: RequestOptions) -> None:
        super().__init__(transport.configuration, request, options)
        self.transport = transport

    async def run(self) -> RESTResponse:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None, 'talon_one.aio calls run in a task'
        transport = self.transport
        session = transport.session
        extra = transport._extra
        proxy_headers = transport._proxy_headers
        while True:
            left = self._left()
            if left is not None and left <= 0:
                raise self.timeout_error('total', None)
            started = time.monotonic()
            timeout = self.timeout
            if timeout.total is not None:
                plan = AttemptPlan(self.deadline, started + timeout.total, None)
                connect: Optional[float] = timeout.total
            else:
                plan = AttemptPlan(self.deadline, None, timeout.read)
                connect = timeout.connect
            if self.observer is not None:
                self.observer.attempt(self.request)
            attempt = _Attempt(plan, loop, task)
            token = _ATTEMPT.set(attempt)
            outcome: Union[RESTResponse, float, None]
            # (sent and read here, not in a coroutine of its own: one frame less to resume at
            # every step of every call)
            request = self.request
            body = request.body
            # The head as urllib3 writes it: Host, Accept-Encoding, Content-Length, the rest.
            headers: Dict[str, str] = {'Accept-Encoding': 'identity'}
            if body is not None:
                headers['Content-Length'] = str(len(body))
            elif request.method in _BODY_METHODS:
                headers['Content-Length'] = '0'
            headers.update(request.headers)
            if proxy_headers and request.scheme == 'http':
                # Through a proxy, a plain-http request carries them itself (as urllib3's
                # ProxyManager sends it); an https one has them on its CONNECT (aiohttp's).
                headers.update(proxy_headers)
            skip = None
            if 'Accept' not in headers or 'User-Agent' not in headers or (
                    'Content-Type' not in headers and (body is not None
                                                       or request.method in _POST_METHODS)):
                skip = _skipped(headers)
            try:
                resp = await session.request(
                    request.method, URL(request.url, encoded=True), data=body,
                    headers=headers, skip_auto_headers=skip, allow_redirects=False,
                    timeout=_client_timeout(connect), **extra)
                try:
                    data = await resp.read()
                except BaseException:
                    resp.close()   # cancelled or broken: the connection is not reused
                    raise
            except asyncio.CancelledError:
                attempt.stop()
                if not attempt.ours():
                    raise
                kind: Optional[str] = (_retry.READ_ERROR if attempt.is_connected
                                       else _retry.CONNECT_ERROR)
                error = self.timeout_error(attempt.fired or 'total', None)
                outcome = self.failed(
                    error, kind, attempt.fired, started)
            except aiohttp.ClientError as err:
                attempt.stop()
                failure, kind = _translate_error(err, request, attempt.is_connected)
                outcome = self.failed(failure, kind, None, started)
            else:
                attempt.stop()
                status = resp.status
                if logger.isEnabledFor(logging.DEBUG):
                    log_request(request.method, request.shown_url, status, started, request)
                if self.observer is not None:
                    self.observer.response(status, resp.headers, started)
                outcome = self.answered(_Answer(status, resp.reason, data, resp.headers))
            finally:
                attempt.stop()   # (whatever ended the attempt: its timer must not fire later)
                _ATTEMPT.reset(token)
            if outcome is None:
                continue  # a redirect: the next attempt goes to its target at once
            if isinstance(outcome, (int, float)):
                await sleep(outcome)
                continue
            return outcome


def _ssl_context(configuration: 'Configuration') -> ssl.SSLContext:
    """The client's TLS settings as an SSLContext (as the sync client's pools apply them)."""
    from talon_one._connections import _ca_bundle
    if configuration.verify_ssl:
        context = ssl.create_default_context(cafile=_ca_bundle(configuration))
        if configuration.assert_hostname is False:
            context.check_hostname = False
    else:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    if configuration.cert_file:
        context.load_cert_chain(configuration.cert_file, configuration.key_file)
    return context


# aiohttp error -> (talon_one exception, retry kind, timeout limit); the first match wins.
_ERROR_CLASSES: Tuple[Tuple[Type[Exception], Type[ApiConnectionError], Optional[str],
                            Optional[str]], ...] = (
    (aiohttp.ClientSSLError, ApiSSLError, None, None),
    (aiohttp.ServerFingerprintMismatch, ApiSSLError, None, None),
    (aiohttp.ClientConnectorError, ApiConnectionError, _retry.CONNECT_ERROR, None),
    (aiohttp.ServerTimeoutError, ApiTimeoutError, _retry.READ_ERROR, 'read'),
    (aiohttp.ClientConnectionError, ApiConnectionError, _retry.READ_ERROR, None),
    (aiohttp.ClientPayloadError, ApiConnectionError, _retry.READ_ERROR, None),
    (aiohttp.ClientResponseError, ApiConnectionError, _retry.READ_ERROR, None),
)


def _translate_error(err: aiohttp.ClientError, request: PreparedRequest,
                     connected: bool) -> Tuple[ApiConnectionError, Optional[str]]:
    """(talon_one exception, retry kind or None) for an aiohttp error (chained as the cause).

    Before the connection is ready nothing reached the server (a connect error, retried for
    every method); only ``request.shown_url`` (no credentials) appears in the text.
    """
    exception_class: Type[ApiConnectionError] = ApiConnectionError
    kind: Optional[str] = None
    limit: Optional[str] = None
    for aiohttp_class, candidate, candidate_kind, candidate_limit in _ERROR_CLASSES:
        if isinstance(err, aiohttp_class):
            exception_class, kind, limit = candidate, candidate_kind, candidate_limit
            break
    if not connected and kind is not None:
        kind = _retry.CONNECT_ERROR
        if limit is not None:
            limit = 'connect'
    name = type(err).__name__
    os_error = getattr(err, 'os_error', None)
    if isinstance(os_error, OSError):
        name = '%s (%s)' % (name, type(os_error).__name__)
    return connection_failure(err, name, request, exception_class, limit), kind
