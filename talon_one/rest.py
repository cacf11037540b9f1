"""HTTP transport: one urllib3 pool manager per client, retries, error translation.

``RESTClientObject.request`` sends bytes as given (the ApiClient serializes and signs the
body once), retries according to ``talon_one.retry``, and turns every failure into a
talon_one exception: HTTP error statuses into ApiException subclasses, transport
failures into ApiConnectionError / ApiTimeoutError / ApiSSLError with the urllib3
error chained.
"""

import json
import logging
import ssl
import time
from urllib.parse import urlencode

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError, HTTPError, MaxRetryError, NewConnectionError, ProtocolError,
    ProxyError, ReadTimeoutError, SSLError,
)

from talon_one import retry as retry_module
from talon_one.configuration import check_timeout
from talon_one.exceptions import (  # noqa: F401  (ApiException is re-exported)
    ApiConnectionError, ApiException, ApiSSLError, ApiTimeoutError, ApiValueError,
    exception_for_status,
)
from talon_one.redact import display_url, safe_url  # noqa: F401  (safe_url is re-exported)

logger = logging.getLogger('talon_one')

HTTP_METHODS = ('GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE')


def _no_urllib3_retries():
    # urllib3 must not retry on its own (the RetryPolicy does); redirects are still followed.
    try:
        return urllib3.util.Retry(total=None, connect=0, read=0, status=0, other=0,
                                  redirect=3, raise_on_redirect=False)
    except TypeError:  # urllib3 < 1.26 has no 'other' counter
        return urllib3.util.Retry(total=None, connect=0, read=0, status=0,
                                  redirect=3, raise_on_redirect=False)


_NO_URLLIB3_RETRIES = _no_urllib3_retries()


def _answer_last_status(retries):
    """A user's urllib3 Retry, made to hand back the last response when status retries run out.

    urllib3 would otherwise raise MaxRetryError without the response, and the caller would get
    a connection error instead of the status's ApiException with the server's error body.
    """
    if isinstance(retries, urllib3.util.Retry) and retries.raise_on_status:
        return retries.new(raise_on_status=False)
    return retries


class RESTResponse(object):
    """A fully read response: ``status``, ``reason``, ``data`` (bytes), ``headers``."""

    def __init__(self, resp):
        self.urllib3_response = resp
        self.status = resp.status
        self.reason = resp.reason
        self.data = resp.data
        self.headers = resp.headers

    def getheaders(self):
        """All response headers (HTTPHeaderDict)."""
        return self.headers

    def getheader(self, name, default=None):
        """One response header."""
        return self.headers.get(name, default)


class RESTClientObject(object):
    """Sends requests through one thread-safe urllib3 PoolManager."""

    def __init__(self, configuration, pools_size=4, maxsize=None):
        self.configuration = configuration
        if maxsize is None:
            maxsize = configuration.connection_pool_maxsize or 10
        pool_args = {
            'num_pools': pools_size,
            'maxsize': maxsize,
            'cert_reqs': ssl.CERT_REQUIRED if configuration.verify_ssl else ssl.CERT_NONE,
            'ca_certs': configuration.ssl_ca_cert,
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

    def close(self):
        """Close the idle connections (the object stays usable)."""
        self.pool_manager.clear()

    def request(self, method, url, query_params=None, headers=None, body=None,
                post_params=None, _preload_content=True, _request_timeout=None):
        """Send a request; returns RESTResponse (or the raw urllib3 response when
        ``_preload_content`` is False). Raises ApiException subclasses for error
        statuses and ApiConnectionError subclasses when no answer arrives.

        ``body``: bytes are sent as is; other values are encoded by ``encode_body``.
        """
        method = _check_method(method)
        headers = dict(headers or {})
        payload = encode_body(headers, body, post_params)
        full_url = url
        if query_params:
            full_url = '%s%s%s' % (url, '&' if '?' in url else '?', urlencode(query_params))
        timeout = to_urllib3_timeout(self.configuration.timeout if _request_timeout is None
                                     else _request_timeout)
        if self.configuration.retries is None:
            policy = retry_module.RetryPolicy.from_configuration(self.configuration)
            urllib3_retries = _NO_URLLIB3_RETRIES
        else:
            policy = retry_module.RetryPolicy(max_retries=0)
            urllib3_retries = _answer_last_status(self.configuration.retries)

        attempt = 0
        while True:
            started = time.monotonic()
            try:
                resp = self.pool_manager.urlopen(
                    method, full_url, body=payload, headers=headers, timeout=timeout,
                    retries=urllib3_retries, preload_content=_preload_content)
            except HTTPError as err:
                # Text for people never shows credentials of the URL or of query_params.
                shown = display_url(url, query_params)
                failure, kind = translate_error(err, method, full_url, shown)
                _log_request(method, shown, 'failed', started)
                if policy.retries_error(method, kind, attempt):
                    _wait(policy, attempt, method, shown, type(failure.__cause__).__name__,
                          None)
                    attempt += 1
                    continue
                raise failure from failure.__cause__
            if logger.isEnabledFor(logging.DEBUG):
                _log_request(method, display_url(url, query_params), resp.status, started)
            if 200 <= resp.status <= 299:
                return RESTResponse(resp) if _preload_content else resp
            if policy.retries_status(method, resp.status, attempt):
                retry_after = resp.headers.get('Retry-After')
                _discard(resp)
                _wait(policy, attempt, method, display_url(url, query_params),
                      'status %d' % resp.status, retry_after)
                attempt += 1
                continue
            try:
                error_resp = RESTResponse(resp)  # reads the body if not preloaded
            except HTTPError as err:
                failure, _ = translate_error(err, method, full_url,
                                             display_url(url, query_params))
                raise failure from failure.__cause__
            finally:
                resp.release_conn()
            raise exception_for_status(resp.status)(http_resp=error_resp)

    # Method helpers kept for compatibility with the official SDK.
    def GET(self, url, headers=None, query_params=None, _preload_content=True,
            _request_timeout=None):
        return self.request('GET', url, headers=headers, query_params=query_params,
                            _preload_content=_preload_content, _request_timeout=_request_timeout)

    def HEAD(self, url, headers=None, query_params=None, _preload_content=True,
             _request_timeout=None):
        return self.request('HEAD', url, headers=headers, query_params=query_params,
                            _preload_content=_preload_content, _request_timeout=_request_timeout)

    def OPTIONS(self, url, headers=None, query_params=None, post_params=None, body=None,
                _preload_content=True, _request_timeout=None):
        return self.request('OPTIONS', url, headers=headers, query_params=query_params,
                            post_params=post_params, body=body,
                            _preload_content=_preload_content, _request_timeout=_request_timeout)

    def DELETE(self, url, headers=None, query_params=None, body=None, _preload_content=True,
               _request_timeout=None):
        return self.request('DELETE', url, headers=headers, query_params=query_params,
                            body=body, _preload_content=_preload_content,
                            _request_timeout=_request_timeout)

    def POST(self, url, headers=None, query_params=None, post_params=None, body=None,
             _preload_content=True, _request_timeout=None):
        return self.request('POST', url, headers=headers, query_params=query_params,
                            post_params=post_params, body=body,
                            _preload_content=_preload_content, _request_timeout=_request_timeout)

    def PUT(self, url, headers=None, query_params=None, post_params=None, body=None,
            _preload_content=True, _request_timeout=None):
        return self.request('PUT', url, headers=headers, query_params=query_params,
                            post_params=post_params, body=body,
                            _preload_content=_preload_content, _request_timeout=_request_timeout)

    def PATCH(self, url, headers=None, query_params=None, post_params=None, body=None,
              _preload_content=True, _request_timeout=None):
        return self.request('PATCH', url, headers=headers, query_params=query_params,
                            post_params=post_params, body=body,
                            _preload_content=_preload_content, _request_timeout=_request_timeout)


def _check_method(method):
    """``method`` in upper case; ApiValueError unless it is one of HTTP_METHODS."""
    if not isinstance(method, str) or method.upper() not in HTTP_METHODS:
        raise ApiValueError('http method must be one of %s, got %r'
                            % (', '.join(HTTP_METHODS), method))
    return method.upper()


def _wait(policy, attempt, method, shown_url, cause, retry_after):
    delay = policy.delay(attempt, retry_after)
    logger.warning('Retrying %s %s after %s (retry %d of %d, waiting %.3f s)',
                   method, shown_url, cause, attempt + 1, policy.max_retries, delay)
    retry_module.sleep(delay)


def _discard(resp):
    """Read and drop the rest of a response so its connection can be reused."""
    try:
        resp.read()
    except HTTPError:
        pass
    resp.release_conn()


def _make_pool_manager(configuration, pool_args):
    proxy = configuration.proxy
    if not proxy:
        return urllib3.PoolManager(**pool_args)
    if proxy.lower().startswith('socks'):
        from urllib3.contrib.socks import SOCKSProxyManager  # needs PySocks
        return SOCKSProxyManager(proxy, headers=configuration.proxy_headers, **pool_args)
    return urllib3.ProxyManager(proxy_url=proxy, proxy_headers=configuration.proxy_headers,
                                **pool_args)


def encode_body(headers, body, post_params=None):
    """Bytes to send for ``body`` / ``post_params``; may set Content-Type in ``headers``.

    bytes pass through; str is UTF-8 encoded as is; form params are url- or
    multipart-encoded; anything else is compact JSON.
    """
    content_type = _header(headers, 'Content-Type')
    if post_params:
        if body is not None:
            raise ApiValueError('body and post_params cannot be used together')
        if content_type and 'multipart/form-data' in content_type.lower():
            data, multipart_type = urllib3.encode_multipart_formdata(post_params)
            _set_header(headers, 'Content-Type', multipart_type)
            return data
        if not content_type:
            _set_header(headers, 'Content-Type', 'application/x-www-form-urlencoded')
        return urlencode(post_params).encode('utf-8')
    if body is None:
        return None
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode('utf-8')
    if not content_type:
        _set_header(headers, 'Content-Type', 'application/json')
    return json_bytes(body)


def json_bytes(value):
    """Compact UTF-8 JSON; NaN and infinity are refused (they are not JSON)."""
    try:
        text = json.dumps(value, separators=(',', ':'), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as err:
        raise ApiValueError('request body cannot be encoded as JSON: %s' % err) from None
    return text.encode('utf-8')


def to_urllib3_timeout(value):
    """urllib3 Timeout from seconds (total) or a (connect, read) pair."""
    value = check_timeout(value, '_request_timeout')
    if value is None:
        return urllib3.Timeout(connect=None, read=None)
    if isinstance(value, tuple):
        return urllib3.Timeout(connect=value[0], read=value[1])
    return urllib3.Timeout(total=value)


# urllib3 error -> (talon_one exception, retry kind). The first match wins: a
# NewConnectionError is also a ConnectTimeoutError in urllib3 2, and is not a timeout.
_ERROR_CLASSES = (
    (ProxyError, ApiConnectionError, retry_module.CONNECT_ERROR),
    (SSLError, ApiSSLError, None),
    (NewConnectionError, ApiConnectionError, retry_module.CONNECT_ERROR),
    (ConnectTimeoutError, ApiTimeoutError, retry_module.CONNECT_ERROR),
    (ReadTimeoutError, ApiTimeoutError, retry_module.READ_ERROR),
    (ProtocolError, ApiConnectionError, retry_module.READ_ERROR),
)


def translate_error(err, method, url, shown_url):
    """(talon_one exception, retry kind or None) for a urllib3 error.

    ``url`` is the URL requested, ``shown_url`` the same without credentials
    (``redact.display_url``): only the latter appears in the exception's text.
    The exception's ``__cause__`` is the most specific urllib3 error (the reason of a
    MaxRetryError); raise it with ``raise failure from failure.__cause__``.
    """
    if isinstance(err, MaxRetryError) and err.reason is not None:
        err = err.reason
    for urllib3_class, exception_class, kind in _ERROR_CLASSES:
        if isinstance(err, urllib3_class):
            break
    else:
        exception_class, kind = ApiConnectionError, None
    # Some urllib3 messages (LocationParseError) quote the whole URL.
    reason = '%s: %s' % (type(err).__name__, str(err).replace(url, shown_url))
    failure = exception_class(reason, method=method, url=shown_url)
    failure.__cause__ = err
    return failure, kind


def _log_request(method, shown_url, status, started):
    logger.debug('%s %s -> %s (%.1f ms)', method, shown_url, status,
                 (time.monotonic() - started) * 1000.0)


def _header(headers, name):
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None


def _set_header(headers, name, value):
    for key in [key for key in headers if key.lower() == name.lower()]:
        del headers[key]
    headers[name] = value
