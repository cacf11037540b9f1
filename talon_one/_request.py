"""The one request builder: what to call, with which values -> a :class:`PreparedRequest`.

Both ways of making a call end here: the generated ``IntegrationApi`` methods (through
``talon_one._operations``) and the legacy ``ApiClient.call_api``. Everything that turns
values into the bytes of a request happens once, in this module: the method check, path
parameters (percent-encoded so that each stays one segment), query and header values
(booleans ``true``/``false``, RFC 3339 date-times), the body (encoded once, by the codec),
the credentials and the signature over those exact body bytes, and the URL shown in logs
and errors (credentials masked). The transport only sends what it is given.
"""

import datetime
import functools
import mimetypes
import os
from collections import abc
from typing import (TYPE_CHECKING, Any, Dict, FrozenSet, Iterable, List, Mapping,
                    MutableMapping, Optional, Sequence, Tuple, Union, cast)
from urllib.parse import quote, urlencode, urlsplit

from talon_one._codec import json_bytes
from talon_one._datetimes import format_datetime
from talon_one._exceptions import ApiTypeError, ApiValueError
from talon_one._idempotency import check_key
from talon_one._redact import display_url
from talon_one._timeouts import Timeout, check_total_timeout

if TYPE_CHECKING:
    from talon_one._client import ClientBase
    from talon_one._writes import WriteCall

__all__ = [
    'HTTP_METHODS', 'PreparedRequest', 'RequestOptions', 'check_method', 'encode_body',
    'expand_parameters', 'file_fields', 'param_text', 'path_segment', 'prepare',
    'prepare_raw',
]

HTTP_METHODS = ('GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE')

Pairs = List[Tuple[str, Any]]
ParamsIn = Union[Mapping[str, Any], Iterable[Tuple[str, Any]], None]
FormField = Tuple[str, Any]

# Keywords of the per-call options, as the generated methods and call_api receive them.
OPTION_NAMES = ('_request_timeout', '_total_timeout', '_retry_non_idempotent', '_request_auth',
                '_content_type', '_headers', '_host',
                '_idempotency_key')  # (talon_one._idempotency)

#: ``RequestOptions.total_timeout`` when the call did not set one (the configuration's applies).
DEFAULT = object()


class RequestOptions(object):
    """The per-call options of one call, checked once (see ``OPTION_NAMES``)."""

    __slots__ = ('async_req', 'data_only', 'preload_content', 'timeout', 'total_timeout',
                 'retry_non_idempotent', 'request_auth', 'content_type', 'headers', 'host',
                 'idempotency_key', 'writes', 'operation')

    def __init__(self, async_req: bool = False, data_only: bool = True,
                 preload_content: bool = True, timeout: Optional[Timeout] = None,
                 total_timeout: Any = DEFAULT, retry_non_idempotent: Optional[bool] = None,
                 request_auth: Optional[Mapping[str, Any]] = None,
                 content_type: Optional[str] = None,
                 headers: Optional[Mapping[str, str]] = None,
                 host: Optional[str] = None, idempotency_key: Optional[str] = None) -> None:
        self.async_req = bool(async_req)
        self.data_only = bool(data_only)
        self.preload_content = bool(preload_content)
        self.timeout = timeout
        self.total_timeout = total_timeout      # seconds, None (no limit) or DEFAULT
        self.retry_non_idempotent = retry_non_idempotent
        self.request_auth = request_auth
        self.content_type = content_type
        self.headers = headers
        self.host = host.rstrip('/') if host else None
        # Writes (issue 20): the Idempotency-Key, and the call's lane and start
        # (talon_one._writes.WriteCall, set by the operations' _prepare_call).
        self.idempotency_key = idempotency_key
        self.writes: Optional['WriteCall'] = None
        # (Endpoint, values) of a generated method's call, for the hooks and spans
        # (talon_one._observe); None for call_api and RESTClientObject.request.
        self.operation: Optional[Tuple[Any, Mapping[str, Any]]] = None

    @classmethod
    def from_keywords(cls, keywords: Mapping[str, Any], *, async_req: Optional[bool],
                      data_only: Optional[bool], preload_content: Optional[bool]
                      ) -> 'RequestOptions':
        """Options from the legacy keywords (``_request_timeout=`` ...), checked once."""
        total: Any = DEFAULT
        if '_total_timeout' in keywords:
            total = check_total_timeout(keywords['_total_timeout'], '_total_timeout')
        retry_non_idempotent = keywords.get('_retry_non_idempotent')
        if retry_non_idempotent is not None and not isinstance(retry_non_idempotent, bool):
            raise ApiValueError('_retry_non_idempotent must be True or False, got %r'
                                % (retry_non_idempotent,))
        return cls(async_req=bool(async_req), data_only=bool(data_only),
                   preload_content=True if preload_content is None else preload_content,
                   timeout=Timeout.of(keywords.get('_request_timeout'), '_request_timeout'),
                   total_timeout=total, retry_non_idempotent=retry_non_idempotent,
                   request_auth=keywords.get('_request_auth'),
                   content_type=keywords.get('_content_type'),
                   headers=keywords.get('_headers'), host=keywords.get('_host'),
                   idempotency_key=check_key(keywords.get('_idempotency_key')))


class PreparedRequest(object):
    """A request ready to send: nothing in it is computed again, even when retried."""

    __slots__ = ('method', 'url', 'headers', 'body', 'shown_url', 'scheme', 'host', 'port',
                 'target')

    def __init__(self, method: str, url: str, headers: Dict[str, str], body: Optional[bytes],
                 shown_url: str, base: Optional[str] = None) -> None:
        self.method = method
        self.url = url            # with the encoded query
        self.headers = headers
        self.body = body          # the exact bytes (signed, when the operation is signed)
        self.shown_url = shown_url  # for people: no userinfo, query credentials masked
        if base is None:
            base = _base_of(url)
        # ``base`` (the configured host, usually) is parsed once, whatever the calls.
        self.scheme, self.host, self.port, prefix = _origin(base)
        target = prefix + url[len(base):]
        # The request target, as sent on the request line.
        self.target = target if target.startswith('/') else '/' + target

    def redirected(self, url: str, method: str, body: Optional[bytes],
                   headers: Dict[str, str]) -> 'PreparedRequest':
        """The same request sent to ``url`` (a redirect on the same origin)."""
        return PreparedRequest(method, url, headers, body, display_url(url))

    def __repr__(self) -> str:
        return '<PreparedRequest %s %s>' % (self.method, self.shown_url)


def _base_of(url: str) -> str:
    """``scheme://authority`` of ``url`` (all of it when it has no ``://``)."""
    start = url.find('://')
    if start < 0:
        return url
    ends = [index for index in (url.find('/', start + 3), url.find('?', start + 3)) if index >= 0]
    return url[:min(ends)] if ends else url


@functools.lru_cache(maxsize=64)
def _origin(base: str) -> Tuple[str, str, Optional[int], str]:
    """(scheme, host, port, path) of a base URL, checked once per distinct base."""
    parts = urlsplit(base)
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise ApiValueError('the URL must be absolute http(s), got %r'
                            % display_url(base.split('?', 1)[0]))
    try:
        port = parts.port
    except ValueError:
        raise ApiValueError('the URL has an invalid port: %r'
                            % display_url(base.split('?', 1)[0])) from None
    return parts.scheme, parts.hostname, port, parts.path


# -- values ------------------------------------------------------------------------------

def param_text(value: Any) -> str:
    """Text of a path/query/header value: booleans true/false, RFC 3339 date-times."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def path_segment(value: Any, safe: str = '') -> str:
    """Percent-encode a path parameter so it stays one segment, whatever it contains."""
    text = quote(param_text(value), safe=safe)
    if text in ('.', '..'):
        # URL normalisation would drop a bare dot segment; %2E keeps it a value.
        text = text.replace('.', '%2E')
    return text


_SEPARATORS = {'csv': ',', 'ssv': ' ', 'tsv': '\t', 'pipes': '|'}


def expand_parameters(params: ParamsIn,
                      collection_formats: Optional[Mapping[str, str]] = None,
                      default_format: Optional[str] = None) -> Pairs:
    """(name, value) pairs; list values are expanded ('multi') or joined ('csv', 'ssv',
    'tsv', 'pipes') by ``collection_formats`` (else ``default_format``)."""
    if not params:
        return []
    formats = collection_formats or {}
    items: Iterable[Tuple[str, Any]]
    if isinstance(params, abc.Mapping):
        # (isinstance alone leaves the types open: the pairs could be a mapping themselves)
        items = cast('Mapping[str, Any]', params).items()
    else:
        items = params
    pairs: Pairs = []
    for name, value in items:
        fmt = formats.get(name, default_format)
        if fmt is None or not isinstance(value, (list, tuple)):
            pairs.append((name, value))
            continue
        values = cast('Sequence[Any]', value)  # the caller's list: its items may be anything
        if fmt == 'multi':
            pairs.extend((name, item) for item in values)
        else:
            pairs.append((name, _SEPARATORS.get(fmt, ',').join(param_text(v) for v in values)))
    return pairs


def check_method(method: object) -> str:
    """``method`` in upper case; ApiValueError unless it is one of HTTP_METHODS."""
    if not isinstance(method, str) or method.upper() not in HTTP_METHODS:
        raise ApiValueError('http method must be one of %s, got %r'
                            % (', '.join(HTTP_METHODS), method))
    return method.upper()


# -- body --------------------------------------------------------------------------------

def encode_body(headers: MutableMapping[str, str], body: Any,
                form: Optional[Sequence[FormField]] = None,
                check: Optional[FrozenSet[str]] = None) -> Optional[bytes]:
    """Bytes to send for ``body`` / ``form``; may set Content-Type in ``headers``.

    bytes pass through; str is UTF-8 encoded as is; form fields are url- or
    multipart-encoded; anything else (models, dicts, lists...) is compact JSON, its models
    checked on the way when ``check`` (the disabled keywords) is given.
    """
    content_type = _header(headers, 'Content-Type')
    if form:
        if body is not None:
            raise ApiValueError('body and post_params cannot be used together')
        if content_type and 'multipart/form-data' in content_type.lower():
            import urllib3
            data, multipart_type = urllib3.encode_multipart_formdata(list(form))
            _set_header(headers, 'Content-Type', multipart_type)
            return data
        if not content_type:
            _set_header(headers, 'Content-Type', 'application/x-www-form-urlencoded')
        return urlencode(list(form)).encode('utf-8')
    if body is None:
        return None
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode('utf-8')
    if not content_type:
        _set_header(headers, 'Content-Type', 'application/json')
    return json_bytes(body, check)


def file_fields(files: Optional[Mapping[str, Any]]) -> List[FormField]:
    """Multipart fields for ``files``: {field: path or list of paths}."""
    fields: List[FormField] = []
    for name, paths in (files or {}).items():
        if not paths:
            continue
        # One path or a list (or tuple) of paths.
        listed = cast('Sequence[Any]', paths) if isinstance(paths, (list, tuple)) else [paths]
        for path in listed:
            with open(path, 'rb') as handle:
                data = handle.read()
            filename = os.path.basename(path)
            mimetype = mimetypes.guess_type(filename)[0] or 'application/octet-stream'
            fields.append((name, (filename, data, mimetype)))
    return fields


def _header(headers: Mapping[str, str], name: str) -> Optional[str]:
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None


def _set_header(headers: MutableMapping[str, str], name: str, value: str) -> None:
    for key in [key for key in headers if key.lower() == name.lower()]:
        del headers[key]
    headers[name] = value


# -- the builder -------------------------------------------------------------------------

def prepare(client: 'ClientBase', method: str, path: str, options: RequestOptions, *,
            path_params: Sequence[Tuple[str, Any]] = (), query: Sequence[Tuple[str, Any]] = (),
            headers: Sequence[Tuple[str, Any]] = (), body: Any = None,
            form: Optional[Sequence[FormField]] = None,
            auth_settings: Sequence[str] = (), host: Optional[str] = None,
            check: Optional[FrozenSet[str]] = None) -> PreparedRequest:
    """The request for ``method path`` with these values, built once.

    ``path_params``, ``query`` and ``headers`` are (name, value) pairs, lists already
    expanded; ``host`` is the operation's base URL (default ``Configuration.host``),
    ``options.host`` (``_host=``) wins over it. ``check``: validate the body's models while
    encoding it (the disabled keywords; None: no checks).
    """
    method = check_method(method)
    configuration = client.configuration
    safe = configuration.safe_chars_for_path_param or ''
    for name, value in path_params:
        if value is not None:
            path = path.replace('{%s}' % name, path_segment(value, safe))

    pairs = [(name, param_text(value)) for name, value in query if value is not None]

    all_headers = dict(client.default_headers)
    if client.cookie:
        all_headers['Cookie'] = client.cookie
    for name, value in headers:
        if value is not None:
            all_headers[name] = param_text(value)
    if options.content_type and (body is not None or form):
        _set_header(all_headers, 'Content-Type', options.content_type)
    if options.headers:
        all_headers.update(options.headers)

    payload = encode_body(all_headers, body, form, check)
    client._add_credentials(all_headers, pairs, auth_settings, options.request_auth, payload)

    base = options.host or host or configuration.host
    url = base + path
    full_url = '%s?%s' % (url, urlencode(pairs)) if pairs else url
    return PreparedRequest(method, full_url, all_headers, payload, display_url(url, pairs), base)


def prepare_raw(method: str, url: str, query: ParamsIn = None,
                headers: Optional[Mapping[str, str]] = None, body: Any = None,
                form: Optional[Sequence[FormField]] = None) -> PreparedRequest:
    """A request for a full URL as given (``RESTClientObject.request``): no credentials."""
    method = check_method(method)
    all_headers = dict(headers or {})
    payload = encode_body(all_headers, body, form)
    pairs = [(name, value) for name, value in expand_parameters(query) if value is not None]
    full_url = url
    if pairs:
        full_url = '%s%s%s' % (url, '&' if '?' in url else '?', urlencode(pairs))
    return PreparedRequest(method, full_url, all_headers, payload, display_url(url, pairs))


def unexpected_keyword(name: str, method_name: str,
                       known: Sequence[str] = ()) -> ApiTypeError:
    """The error for a keyword argument a method does not take (as the official SDK words it),
    with the nearest names it does take when there are some (``dryrun`` -> ``dry``)."""
    message = "Got an unexpected keyword argument '%s' to method %s" % (name, method_name)
    import difflib   # only on this error path
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    if close:
        message += '; did you mean %s?' % ' or '.join("'%s'" % match for match in close)
    return ApiTypeError(message)
