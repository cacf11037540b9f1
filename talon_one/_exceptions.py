"""Exceptions raised by the talon_one SDK.

The tree is drawn in ``talon_one/exceptions.py``, the public module that re-exports it.

Exception text is kept short and never contains request headers, so API keys and
signatures cannot leak through it.
"""

import json
from typing import Any, Dict, List, Mapping, Optional, Sequence, Type, Union, cast

__all__ = [
    'OpenApiException', 'ApiTypeError', 'ApiValueError', 'ApiAttributeError',
    'ApiKeyError', 'ApiException', 'BadRequestException', 'UnauthorizedException',
    'ForbiddenException', 'NotFoundException', 'ConflictException',
    'PayloadTooLargeException', 'TooManyRequestsException', 'ServiceException',
    'ApiResponseError', 'ApiRedirectError', 'ApiConnectionError', 'ApiTimeoutError',
    'ApiSSLError', 'exception_for_status', 'render_path',
]

PathToItem = Sequence[Union[str, int]]


_SHOWN_BODY = 120  # characters of a bad success body shown in ApiResponseError's text

def _standard_reason(status: int) -> Optional[str]:
    """The standard reason phrase of ``status`` (the http module loads when first needed)."""
    from http import HTTPStatus
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return None


class OpenApiException(Exception):
    """Base class of every exception raised by talon_one."""


def render_path(path_to_item: PathToItem) -> str:
    """Render a path such as ['body', 'items', 0] as "['body']['items'][0]"."""
    return ''.join('[%d]' % part if isinstance(part, int) else "['%s']" % part
                   for part in path_to_item)


class _InputError(OpenApiException):
    """Bad input, optionally located by ``path_to_item`` (appended to the message)."""

    def __init__(self, msg: str, path_to_item: Optional[PathToItem] = None) -> None:
        self.path_to_item = path_to_item
        if path_to_item:
            msg = '%s at %s' % (msg, render_path(path_to_item))
        super().__init__(msg)


class ApiTypeError(_InputError, TypeError):
    """A value has the wrong type (or an unknown keyword argument was passed)."""

    def __init__(self, msg: str, path_to_item: Optional[PathToItem] = None,
                 valid_classes: Optional[Sequence[type]] = None,
                 key_type: Optional[bool] = None) -> None:
        self.valid_classes = valid_classes
        self.key_type = key_type
        super().__init__(msg, path_to_item)


class ApiValueError(_InputError, ValueError):
    """A value breaks a rule (required, enum, length, range, pattern...)."""


class ApiAttributeError(_InputError, AttributeError):
    """An attribute that does not exist was read."""


class ApiKeyError(_InputError, KeyError):
    """A key that does not exist was read."""

    def __str__(self) -> str:
        # KeyError.__str__ would quote the message like a key.
        return str(self.args[0]) if self.args else ''


def _rebuild(cls: Type['ApiException'], state: Dict[str, Any]) -> 'ApiException':
    exc = cls.__new__(cls)
    exc.__dict__.update(state)
    exc.args = (str(exc),)
    return exc


class ApiException(OpenApiException):
    """The API answered with an HTTP error status (or, for subclasses, did not answer).

    Attributes: ``status``, ``reason``, ``body`` (str or None), ``headers``,
    and, when the body is a Talon.One error document, ``message``, ``errors``
    (list of dicts with title/details/source) and ``error_body`` (the parsed dict).
    """

    status: Optional[int]
    reason: Optional[str]
    body: Optional[str]
    headers: Optional[Mapping[str, str]]
    error_body: Optional[Dict[str, Any]]
    message: Optional[str]
    errors: List[Dict[str, Any]]
    #: Seconds the server asked to wait (``Retry-After``, as seconds or an HTTP date), if any.
    retry_after: Optional[float]
    #: The ``Idempotency-Key`` the call sent (its own or the SDK's), if any: send the same
    #: request again with ``_idempotency_key=e.idempotency_key`` to get its answer once.
    idempotency_key: Optional[str]

    def __init__(self, status: Optional[int] = None, reason: Optional[str] = None,
                 http_resp: Any = None, *, body: Union[str, bytes, None] = None,
                 headers: Optional[Mapping[str, str]] = None) -> None:
        if http_resp is not None:
            status = http_resp.status if status is None else status
            reason = getattr(http_resp, 'reason', None) if reason is None else reason
            if body is None:
                body = getattr(http_resp, 'data', None)
            if headers is None:
                # As in the official SDK: getheaders() when the response has it.
                getheaders = getattr(http_resp, 'getheaders', None)
                found = getheaders() if callable(getheaders) else getattr(
                    http_resp, 'headers', None)
                headers = cast('Optional[Mapping[str, str]]', found)  # e.g. HTTPHeaderDict
        if not reason and status:
            reason = _standard_reason(status)
        self.status = status
        self.reason = reason
        self.body = _decode_body(body)
        self.headers = headers
        self.error_body = None
        self.message = None
        self.errors = []
        self.retry_after = None
        self.idempotency_key = None
        self._parse_error_body()
        super().__init__(self._summary())

    def _parse_error_body(self) -> None:
        if not self.body:
            return
        try:
            parsed = json.loads(self.body)
        except ValueError:
            return
        if not isinstance(parsed, dict):
            return
        error_body = cast('Dict[str, Any]', parsed)  # a JSON object
        self.error_body = error_body
        errors = error_body.get('errors')
        if isinstance(errors, list):
            items = cast('Sequence[Any]', errors)
            self.errors = [e for e in items if isinstance(e, dict)]
        message = error_body.get('message')
        if isinstance(message, str) and message:
            self.message = message
        elif self.errors:
            first = self.errors[0]
            parts = [str(first[k]) for k in ('title', 'details') if first.get(k)]
            self.message = ': '.join(parts) or None

    def _summary(self) -> str:
        text = '(%s) %s' % (self.status, self.reason or 'HTTP error')
        if self.message:
            text = '%s: %s' % (text, self.message)
        return text

    def __str__(self) -> str:
        return self._summary()

    def __repr__(self) -> str:
        return '%s(status=%r, reason=%r, message=%r)' % (
            type(self).__name__, self.status, self.reason, self.message)

    def __reduce__(self) -> Any:
        return _rebuild, (type(self), dict(self.__dict__))


class BadRequestException(ApiException):
    """HTTP 400."""


class UnauthorizedException(ApiException):
    """HTTP 401: missing or wrong API key / signature."""


class ForbiddenException(ApiException):
    """HTTP 403."""


class NotFoundException(ApiException):
    """HTTP 404."""


class ConflictException(ApiException):
    """HTTP 409."""


class PayloadTooLargeException(ApiException):
    """HTTP 413."""


class TooManyRequestsException(ApiException):
    """HTTP 429 (after the configured retries)."""


class ServiceException(ApiException):
    """HTTP 5xx."""


class ApiResponseError(ApiException):
    """A success status whose body is not the JSON the operation returns.

    For example an empty body, a body cut short, an HTML page, or a JSON array where an
    object was promised. ``status``, ``headers`` and the raw ``body`` are those of the
    response; ``problem`` says what is wrong with it.
    """

    problem: str

    def __init__(self, status: Optional[int] = None, reason: Optional[str] = None,
                 http_resp: Any = None, *, body: Union[str, bytes, None] = None,
                 headers: Optional[Mapping[str, str]] = None, problem: str = 'not JSON') -> None:
        self.problem = problem
        super().__init__(status, reason, http_resp, body=body, headers=headers)

    def _summary(self) -> str:
        text = '(%s) Invalid response body: %s' % (self.status, self.problem)
        if self.body:
            start = self.body[:_SHOWN_BODY]
            text += ': %r%s' % (start, '...' if len(self.body) > _SHOWN_BODY else '')
        return text


class ApiRedirectError(ApiException):
    """A redirect the SDK does not follow: to another host, or too many of them.

    The Integration API does not redirect; credentials and bodies are never sent to a host
    other than the configured one. ``status`` is the 3xx status, ``location`` the target.
    """

    location: Optional[str]

    def __init__(self, status: Optional[int] = None, reason: Optional[str] = None,
                 http_resp: Any = None, *, location: Optional[str] = None,
                 problem: str = 'not followed',
                 headers: Optional[Mapping[str, str]] = None) -> None:
        self.location = location
        self.problem = problem
        super().__init__(status, reason, http_resp, headers=headers)

    def _summary(self) -> str:
        return '(%s) %s: redirect to %s %s' % (self.status, self.reason or 'Redirect',
                                                self.location, self.problem)


class ApiConnectionError(ApiException):
    """No HTTP answer: refused, reset, DNS or protocol failure. ``status`` is 0.

    The urllib3 error is chained as ``__cause__``.
    """

    _title = 'Connection error'

    def __init__(self, reason: Optional[str] = None, *, method: Optional[str] = None,
                 url: Optional[str] = None) -> None:
        self.method = method
        self.url = url
        super().__init__(status=0, reason=reason)

    def _summary(self) -> str:
        where = ' (%s %s)' % (self.method, self.url) if self.method and self.url else ''
        return '(0) %s%s: %s' % (self._title, where, self.reason or 'no response')

    def __repr__(self) -> str:
        return '%s(reason=%r, method=%r, url=%r)' % (
            type(self).__name__, self.reason, self.method, self.url)


class ApiTimeoutError(ApiConnectionError):
    """A time limit ran out: ``limit`` is ``'connect'``, ``'read'``, ``'attempt'`` (a single
    number ``_request_timeout``) or ``'total'`` (``total_timeout``)."""

    _title = 'Timeout'

    def __init__(self, reason: Optional[str] = None, *, method: Optional[str] = None,
                 url: Optional[str] = None, limit: Optional[str] = None) -> None:
        self.limit = limit
        super().__init__(reason, method=method, url=url)


class ApiSSLError(ApiConnectionError):
    """TLS handshake or certificate verification failed."""

    _title = 'SSL error'


_BY_STATUS: Dict[int, Type[ApiException]] = {
    400: BadRequestException,
    401: UnauthorizedException,
    403: ForbiddenException,
    404: NotFoundException,
    409: ConflictException,
    413: PayloadTooLargeException,
    429: TooManyRequestsException,
}


def exception_for_status(status: Optional[int]) -> Type[ApiException]:
    """The ApiException subclass that matches an HTTP status."""
    cls = _BY_STATUS.get(status) if status is not None else None
    if cls is not None:
        return cls
    if status is not None and 500 <= status <= 599:
        return ServiceException
    return ApiException


def _decode_body(data: Union[str, bytes, bytearray, None]) -> Optional[str]:
    if data is None:
        return None
    if isinstance(data, str):
        return data
    return bytes(data).decode('utf-8', errors='replace')


# Shown (in tracebacks and reprs) and pickled under the public module that re-exports them.
for _cls in (OpenApiException, ApiTypeError, ApiValueError, ApiAttributeError, ApiKeyError,
             ApiException, BadRequestException, UnauthorizedException, ForbiddenException,
             NotFoundException, ConflictException, PayloadTooLargeException,
             TooManyRequestsException, ServiceException, ApiResponseError, ApiRedirectError,
             ApiConnectionError, ApiTimeoutError, ApiSSLError):
    _cls.__module__ = 'talon_one.exceptions'
del _cls
