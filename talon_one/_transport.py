"""HTTP transport: one urllib3 pool manager per client, retries, error translation.

``RESTClientObject.send`` sends a :class:`~talon_one._request.PreparedRequest` as it is
(built and signed once, so a retry sends the same bytes), retries according to
``talon_one._retry``, and turns every failure into a talon_one exception: HTTP error
statuses into ApiException subclasses, transport failures into ApiConnectionError /
ApiTimeoutError / ApiSSLError with the urllib3 error chained.
"""

import logging
import ssl
import time
from typing import TYPE_CHECKING, Any, Dict, Optional, Sequence, Tuple, Type, Union, cast

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError, HTTPError, MaxRetryError, NewConnectionError, ProtocolError,
    ProxyError, ReadTimeoutError, SSLError,
)

from talon_one import _retry
from talon_one._compat import RESTClientCompat
from talon_one._exceptions import (
    ApiConnectionError, ApiException, ApiSSLError, ApiTimeoutError, exception_for_status,
)
from talon_one._request import FormField, ParamsIn, PreparedRequest, prepare_raw
from talon_one._response import RESTResponse
from talon_one._timeouts import Timeout, TimeoutSetting

if TYPE_CHECKING:
    from talon_one._configuration import Configuration

__all__ = ['RESTClientObject', 'RESTResponse']

logger = logging.getLogger('talon_one')

Response = Union[RESTResponse, 'urllib3.HTTPResponse']


def _no_urllib3_retries() -> urllib3.util.Retry:
    # urllib3 must not retry on its own (the RetryPolicy does); redirects are still followed.
    try:
        return urllib3.util.Retry(total=None, connect=0, read=0, status=0, other=0,
                                  redirect=3, raise_on_redirect=False)
    except TypeError:  # urllib3 < 1.26 has no 'other' counter
        return urllib3.util.Retry(total=None, connect=0, read=0, status=0,
                                  redirect=3, raise_on_redirect=False)


_NO_URLLIB3_RETRIES = _no_urllib3_retries()
_NO_TIMEOUT = Timeout()


def _answer_last_status(retries: Any) -> Any:
    """A user's urllib3 Retry, made to hand back the last response when status retries run out.

    urllib3 would otherwise raise MaxRetryError without the response, and the caller would get
    a connection error instead of the status's ApiException with the server's error body.
    """
    if isinstance(retries, urllib3.util.Retry) and retries.raise_on_status:
        return retries.new(raise_on_status=False)
    return retries


class RESTClientObject(RESTClientCompat):
    """Sends requests through one thread-safe urllib3 PoolManager."""

    def __init__(self, configuration: 'Configuration', pools_size: int = 4,
                 maxsize: Optional[int] = None) -> None:
        self.configuration = configuration
        if maxsize is None:
            maxsize = configuration.connection_pool_maxsize or 10
        if configuration.ssl_ca_cert is not None:
            ca_certs = configuration.ssl_ca_cert
        else:
            import certifi  # imported here: it costs a noticeable part of `import talon_one`
            ca_certs = certifi.where()
        pool_args: Dict[str, Any] = {
            'num_pools': pools_size,
            'maxsize': maxsize,
            'cert_reqs': ssl.CERT_REQUIRED if configuration.verify_ssl else ssl.CERT_NONE,
            'ca_certs': ca_certs,
            'cert_file': configuration.cert_file,
            'key_file': configuration.key_file,
        }
        if configuration.assert_hostname is not None:
            pool_args['assert_hostname'] = configuration.assert_hostname
        if configuration.tls_server_name:
            pool_args['server_hostname'] = configuration.tls_server_name
        if configuration.socket_options is not None:
            pool_args['socket_options'] = configuration.socket_options
        if configuration.retries is not None:
            pool_args['retries'] = configuration.retries
        self.pool_manager = _make_pool_manager(configuration, pool_args)

    def close(self) -> None:
        """Close the idle connections (the object stays usable)."""
        self.pool_manager.clear()

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
        return self.send(request, Timeout.of(_request_timeout, '_request_timeout'),
                         _preload_content)

    def send(self, request: PreparedRequest, timeout: Optional[Timeout] = None,
             preload_content: bool = True) -> Response:
        """Send ``request`` (retrying as configured); the response of a success status."""
        configuration = self.configuration
        if timeout is None:
            timeout = configuration._timeout or _NO_TIMEOUT
        if configuration.retries is None:
            policy = _retry.RetryPolicy.from_configuration(configuration)
            urllib3_retries = _NO_URLLIB3_RETRIES
        else:
            policy = _retry.RetryPolicy(max_retries=0)
            urllib3_retries = _answer_last_status(configuration.retries)
        method = request.method

        attempt = 0
        while True:
            started = time.monotonic()
            try:
                resp = self.pool_manager.urlopen(
                    method, request.url, body=request.body, headers=request.headers,
                    timeout=timeout.urllib3(), retries=urllib3_retries,
                    preload_content=preload_content)
            except HTTPError as err:
                failure, kind = _translate_error(err, request)
                _log_request(method, request.shown_url, 'failed', started)
                if policy.retries_error(method, kind, attempt):
                    _wait(policy, attempt, request, type(failure.__cause__).__name__, None)
                    attempt += 1
                    continue
                raise failure from failure.__cause__
            if logger.isEnabledFor(logging.DEBUG):
                _log_request(method, request.shown_url, resp.status, started)
            if 200 <= resp.status <= 299:
                if not preload_content:
                    return cast('urllib3.HTTPResponse', resp)
                return RESTResponse(resp)
            if policy.retries_status(method, resp.status, attempt):
                retry_after = resp.headers.get('Retry-After')
                _discard(resp)
                _wait(policy, attempt, request, 'status %d' % resp.status, retry_after)
                attempt += 1
                continue
            raise _error_response(resp, request)


def _error_response(resp: Any, request: PreparedRequest) -> ApiException:
    """The ApiException for an error status (its body read, the connection released)."""
    try:
        error_resp = RESTResponse(resp)  # reads the body if not preloaded
    except HTTPError as err:
        failure, _ = _translate_error(err, request)
        failure.__suppress_context__ = True
        return failure
    finally:
        resp.release_conn()
    return exception_for_status(resp.status)(http_resp=error_resp)


def _wait(policy: _retry.RetryPolicy, attempt: int, request: PreparedRequest, cause: str,
          retry_after: Optional[str]) -> None:
    delay = policy.delay(attempt, retry_after)
    logger.warning('Retrying %s %s after %s (retry %d of %d, waiting %.3f s)',
                   request.method, request.shown_url, cause, attempt + 1, policy.max_retries,
                   delay)
    _retry.sleep(delay)


def _discard(resp: Any) -> None:
    """Read and drop the rest of a response so its connection can be reused."""
    try:
        resp.read()
    except HTTPError:
        pass
    resp.release_conn()


def _make_pool_manager(configuration: 'Configuration',
                       pool_args: Dict[str, Any]) -> urllib3.PoolManager:
    proxy = configuration.proxy
    if not proxy:
        return urllib3.PoolManager(**pool_args)
    if proxy.lower().startswith('socks'):
        from urllib3.contrib.socks import SOCKSProxyManager  # needs PySocks
        manager: urllib3.PoolManager = SOCKSProxyManager(
            proxy, headers=configuration.proxy_headers, **pool_args)
        return manager
    return urllib3.ProxyManager(proxy_url=proxy, proxy_headers=configuration.proxy_headers,
                                **pool_args)


# urllib3 error -> (talon_one exception, retry kind). The first match wins: a
# NewConnectionError is also a ConnectTimeoutError in urllib3 2, and is not a timeout.
_ERROR_CLASSES: Tuple[Tuple[Type[Exception], Type[ApiConnectionError], Optional[str]], ...] = (
    (ProxyError, ApiConnectionError, _retry.CONNECT_ERROR),
    (SSLError, ApiSSLError, None),
    (NewConnectionError, ApiConnectionError, _retry.CONNECT_ERROR),
    (ConnectTimeoutError, ApiTimeoutError, _retry.CONNECT_ERROR),
    (ReadTimeoutError, ApiTimeoutError, _retry.READ_ERROR),
    (ProtocolError, ApiConnectionError, _retry.READ_ERROR),
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
    for urllib3_class, candidate, candidate_kind in _ERROR_CLASSES:
        if isinstance(err, urllib3_class):
            exception_class, kind = candidate, candidate_kind
            break
    # Some urllib3 messages (LocationParseError) quote the whole URL.
    text = str(err).replace(request.url, request.shown_url)
    base_url = request.url.split('?', 1)[0]
    text = text.replace(base_url, request.shown_url.split('?', 1)[0])
    reason = '%s: %s' % (type(err).__name__, text)
    failure = exception_class(reason, method=request.method, url=request.shown_url)
    failure.__cause__ = err
    return failure, kind


def _log_request(method: str, shown_url: str, status: object, started: float) -> None:
    logger.debug('%s %s -> %s (%.1f ms)', method, shown_url, status,
                 (time.monotonic() - started) * 1000.0)
