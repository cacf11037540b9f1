"""Operations as data, and the base class of the generated ``IntegrationApi``.

The generated module describes every operation with an :class:`Endpoint` and keeps
thin methods that hand their arguments to :class:`ApiBase`, which checks them (unknown
and missing arguments, client-side validation), builds the request with
``talon_one._request.prepare`` and lets the ApiClient run it. All argument errors are
raised before any I/O, also for ``async_req=True`` calls.
"""

import warnings
from typing import (TYPE_CHECKING, Any, Dict, FrozenSet, Iterable, List, Literal, Mapping,
                    Optional, Sequence, Tuple, TypedDict, TypeVar, cast)

from talon_one import _writes
from talon_one._exceptions import ApiTypeError, ApiValueError
from talon_one._idempotency import HEADER as _IDEMPOTENCY_HEADER
from talon_one._idempotency import check_write
from talon_one._request import (OPTION_NAMES, RequestOptions, param_text, prepare,
                               unexpected_keyword)
from talon_one._timeouts import TimeoutSetting
from talon_one._validation import InvalidModel, ValidationSettings, check_rules

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from talon_one._aio_client import AsyncApiClient
    from talon_one._client_options import ClientOptions
    from talon_one._client import ApiClient, ClientBase
    from talon_one._request import PreparedRequest

__all__ = ['ApiBase', 'AsyncApiBase', 'CallOptions', 'Endpoint', 'HttpInfo', 'HttpInfoOptions',
           'Param']

T = TypeVar('T')
_AsyncApi = TypeVar('_AsyncApi', bound='AsyncApiBase')
_Api = TypeVar('_Api', bound='ApiBase')

#: What ``*_with_http_info`` returns: ``(data, status, headers)``.
HttpInfo = Tuple[T, int, Mapping[str, str]]


class HttpInfoOptions(TypedDict, total=False):
    """Per-call options every operation method takes (the official SDK's names)."""

    _request_timeout: TimeoutSetting   # seconds, or (connect, read); default Configuration.timeout
    _total_timeout: Optional[float]    # seconds for the whole call (Configuration.total_timeout)
    _retry_non_idempotent: bool        # also retry a POST that may have reached the server
    _request_auth: Optional[Dict[str, Any]]  # one auth setting used instead of the configured ones
    _content_type: Optional[str]       # Content-Type of the body instead of application/json
    _headers: Optional[Dict[str, str]]  # extra headers for this call
    _host: Optional[str]               # base URL for this call instead of Configuration.host
    _idempotency_key: Optional[str]    # Idempotency-Key of a write (<= 255 chars; every retry)


class CallOptions(HttpInfoOptions, total=False):
    """The options of the plain methods: they always return only the data."""

    _return_http_data_only: Literal[True]


_KEYWORDS = frozenset(OPTION_NAMES)
assert frozenset(HttpInfoOptions.__annotations__) == _KEYWORDS


class Param(object):
    """One parameter of an operation.

    ``location`` is ``'path'``, ``'query'`` or ``'body'``; ``type`` is a type string;
    ``rules`` uses the keys of ``Model.validations``; ``default`` is the server's default
    (documentation only: it is never sent). A ``list[...]`` query parameter goes out as
    one ``name=value`` per item, or as one comma-separated value when ``comma_separated``
    (the spec's ``explode: false``); an empty list sends nothing either way.
    """

    __slots__ = ('attr', 'api_name', 'location', 'type', 'required', 'rules', 'default',
                 'comma_separated', 'is_list')

    def __init__(self, attr: str, api_name: Optional[str], location: str, type: str,
                 required: bool = False, rules: Optional[Dict[str, Any]] = None,
                 default: Any = None, comma_separated: bool = False) -> None:
        self.attr = attr
        self.api_name = api_name
        self.location = location
        self.type = type
        self.required = required
        self.rules = rules
        self.default = default
        self.comma_separated = comma_separated
        self.is_list = type.startswith('list[')

    def __repr__(self) -> str:
        return 'Param(%r, %r, %r, %r, required=%r)' % (
            self.attr, self.api_name, self.location, self.type, self.required)


class Endpoint(object):
    """One operation: HTTP method, path template, parameters, response types and auth."""

    def __init__(self, name: str, operation_id: str, method: str, path: str,
                 params: Sequence[Param], responses: Mapping[int, Optional[str]],
                 auth: Sequence[str], deprecated: bool = False) -> None:
        self.name = name
        self.operation_id = operation_id
        self.method = method
        self.path = path
        self.params = tuple(params)
        self.responses = dict(responses)
        self.auth = tuple(auth)
        self.deprecated = deprecated
        # Derived once: the generated methods pass required parameters positionally,
        # path parameters first, then the body; then the optional ones.
        self.positional = (tuple(p for p in self.params if p.required and p.location == 'path')
                           + tuple(p for p in self.params if p.required and p.location != 'path'))
        self.keywords = {p.attr: p for p in self.params if not p.required}
        self.signature = self.positional + tuple(self.keywords.values())

    def __repr__(self) -> str:
        return 'Endpoint(%r, %s %s)' % (self.name, self.method, self.path)


class ApiBase(object):
    """Base of the generated API classes."""

    def __init__(self, api_client: Optional['ApiClient'] = None) -> None:
        if api_client is None:
            from talon_one._client import ApiClient
            api_client = ApiClient()
        self.api_client = api_client

    def with_options(self: _Api, **overrides: 'Unpack[ClientOptions]') -> _Api:
        """This API on ``api_client.with_options(**overrides)``: the same connection pools,
        only the given settings differ (``timeout``, ``total_timeout``, ``max_retries``,
        ``retry_non_idempotent``, ``default_headers``)."""
        return type(self)(self.api_client.with_options(**overrides))

    def _call(self, endpoint: Endpoint, args: Tuple[Any, ...], options: Mapping[str, Any],
              async_req: bool = False, preload_content: bool = True,
              data_only: bool = True) -> Any:
        """Check the arguments of one call of ``endpoint``, build its request and run it."""
        request, call_options = _prepare_call(self.api_client, endpoint, args, options,
                                              async_req, preload_content, data_only)
        return self.api_client._run(request, call_options, endpoint.responses)

    @staticmethod
    def _options(endpoint: Endpoint, options: Mapping[str, Any], async_req: bool,
                 preload_content: bool, data_only: bool) -> RequestOptions:
        for key in options:
            if key == '_return_http_data_only' and data_only:
                if options[key] is False:
                    raise ApiValueError('_return_http_data_only=False needs %s_with_http_info; '
                                        '%s always returns only the data'
                                        % (endpoint.name, endpoint.name))
            elif key not in _KEYWORDS:
                raise unexpected_keyword(key, endpoint.name,
                                         list(endpoint.keywords) + sorted(_KEYWORDS))
        return RequestOptions.from_keywords(options, async_req=async_req, data_only=data_only,
                                            preload_content=preload_content)


class AsyncApiBase(object):
    """Base of the generated ``AsyncIntegrationApi``: the same checks and request builder as
    ApiBase; the request is sent by an ``AsyncApiClient`` (aiohttp)."""

    def __init__(self, api_client: Optional['AsyncApiClient'] = None) -> None:
        if api_client is None:
            from talon_one._aio_client import AsyncApiClient
            api_client = AsyncApiClient()
        self.api_client: 'AsyncApiClient' = api_client

    def with_options(self: _AsyncApi, **overrides: 'Unpack[ClientOptions]') -> _AsyncApi:
        """This API on ``api_client.with_options(**overrides)`` (the same aiohttp session;
        leaving ``async with`` of the new one does not close it)."""
        return type(self)(self.api_client.with_options(**overrides))

    async def __aenter__(self: _AsyncApi) -> _AsyncApi:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.api_client.close()

    async def _call(self, endpoint: Endpoint, args: Tuple[Any, ...], options: Mapping[str, Any],
                    data_only: bool = True) -> Any:
        """Check the arguments of one call of ``endpoint``, build its request and send it."""
        request, call_options = _prepare_call(self.api_client, endpoint, args, options,
                                              False, True, data_only)
        return await self.api_client._run(request, call_options, endpoint.responses)


def _prepare_call(api_client: 'ClientBase', endpoint: Endpoint, args: Tuple[Any, ...],
                  options: Mapping[str, Any], async_req: bool, preload_content: bool,
                  data_only: bool) -> Tuple['PreparedRequest', RequestOptions]:
    """Check the arguments of one call of ``endpoint`` and build its request (the one
    builder of both clients: the same bytes, credentials and signature)."""
    if endpoint.deprecated:
        _warn_deprecated(endpoint)
    call_options = ApiBase._options(endpoint, options, async_req, preload_content, data_only)
    values = _values(endpoint, args)
    settings = api_client.configuration._validation_settings
    check = None
    if settings.enabled:
        _validate(endpoint, values, settings)
        check = settings.disabled  # the body's models are checked while it is encoded

    path_params: List[Tuple[str, Any]] = []
    query: List[Tuple[str, Any]] = []
    body = None
    for param in endpoint.params:
        value = values.get(param.attr)
        if value is None:
            continue
        if param.location == 'path':
            path_params.append((param.api_name or param.attr, value))
        elif param.location == 'query':
            name = param.api_name or param.attr
            if not param.is_list:
                query.append((name, value))
            elif param.comma_separated:
                # An empty list is no value (RFC 6570, as for the exploded form):
                # 'name=' would be a filter on the empty string.
                if value:
                    query.append((name, ','.join(param_text(item) for item in value)))
            else:
                query.extend((name, item) for item in value)
        else:
            body = value
    configuration = api_client.configuration
    headers: List[Tuple[str, Any]] = [('Accept', 'application/json')]
    # Writes (issue 20): the call's lane and Idempotency-Key (talon_one._writes).
    key = call_options.idempotency_key
    check_write(key, endpoint.method, endpoint.name)
    own = _writes.key_in_headers(call_options.headers) if key is None else None  # _headers=
    if own is not None:
        key = own
    writes = _writes.plan(endpoint.operation_id, endpoint.method, path_params, body,
                          key, configuration)
    if writes is not None:
        call_options.writes = writes
        if writes.idempotency_key is not None and own is None:
            headers.append((_IDEMPOTENCY_HEADER, writes.idempotency_key))
    try:
        request = prepare(
            api_client, endpoint.method, endpoint.path, call_options,
            path_params=path_params, query=query, headers=headers,
            body=body, auth_settings=endpoint.auth, check=check,
            host=configuration.host_for_operation(endpoint.operation_id, endpoint.name))
    except InvalidModel as invalid:
        raise _invalid_body(endpoint, body, invalid, check) from None
    call_options.operation = (endpoint, values)  # for the hooks and spans (talon_one._observe)
    return request, call_options


def _values(endpoint: Endpoint, args: Tuple[Any, ...]) -> Dict[str, Any]:
    """The call's values by parameter name; ApiValueError for a missing required one."""
    values: Dict[str, Any] = {}
    for param, value in zip(endpoint.signature, args):
        if value is not None:
            values[param.attr] = _shaped(endpoint, param, value) if param.location == 'query' \
                else value
        elif param.required:
            raise ApiValueError('Missing the required parameter `%s` when calling `%s`'
                                % (param.attr, endpoint.name))
    return values


def _shaped(endpoint: Endpoint, param: Param, value: Any) -> Any:
    """A query value in the shape its parameter takes: one value for a list parameter is a
    list of one (4.0.0 code passes one ``subledger_id`` where 2026 takes several); a list
    or a mapping for a one-value parameter is refused, before it becomes a garbled query."""
    many = isinstance(value, (list, tuple, set, frozenset))
    if param.is_list:
        if isinstance(value, Mapping):
            raise ApiTypeError('Invalid type for parameter `%s` when calling `%s`: expected '
                               'a list, got %s' % (param.attr, endpoint.name,
                                                   type(cast(Any, value)).__name__))
        return list(cast('Iterable[Any]', value)) if many else [value]
    if many or isinstance(value, Mapping):
        raise ApiTypeError('Invalid type for parameter `%s` when calling `%s`: expected %s, '
                           'got %s' % (param.attr, endpoint.name, param.type,
                                       type(cast(Any, value)).__name__))
    return value


def _validate(endpoint: Endpoint, values: Mapping[str, Any],
              settings: ValidationSettings) -> None:
    """Client-side checks of the parameter rules and of the body, before any request."""
    for param in endpoint.params:
        value = values.get(param.attr)
        if value is None:
            continue
        if param.location == 'body':
            _validate_body(endpoint, param, value, settings)
        elif param.rules:
            check_rules('Invalid value for parameter `%s` when calling `%s`'
                        % (param.attr, endpoint.name), param.rules, value, settings.disabled)


def _validate_body(endpoint: Endpoint, param: Param, body: Any,
                   settings: ValidationSettings) -> None:
    """The body's type; its contents are checked while it is encoded."""
    if param.type == 'object':
        return
    if hasattr(body, '_raise_first_failure'):  # a model
        if type(body).__name__ != param.type:
            raise ApiTypeError('Invalid type for parameter `body` when calling `%s`: expected '
                               '%s, got %s' % (endpoint.name, param.type, type(body).__name__))
    elif not isinstance(body, dict):
        # A raw dict is sent as given; anything else cannot be the JSON object expected.
        raise ApiTypeError('Invalid type for parameter `body` when calling `%s`: expected '
                           '%s (or a dict), got %s' % (endpoint.name, param.type,
                                                       type(body).__name__))


def _invalid_body(endpoint: Endpoint, body: Any, invalid: InvalidModel,
                  disabled: Optional[FrozenSet[str]]) -> ApiValueError:
    """The error naming the full path of what the encoder found wrong in ``body``."""
    raise_first_failure = getattr(body, '_raise_first_failure', None)
    if raise_first_failure is not None:
        try:
            raise_first_failure(type(body).__name__, disabled or frozenset())
        except ApiValueError as error:
            return error
    suffix, message = invalid.failure  # a model inside a plain dict body
    return ApiValueError('%s%s: %s' % (type(invalid.model).__name__, suffix, message))


def _warn_deprecated(endpoint: Endpoint) -> None:
    # Skip this function, _prepare_call, ApiBase._call (or AsyncApiBase._call) and the
    # generated method: point at the caller's line.
    warnings.warn('%s (operation %s) is deprecated by the Talon.One API'
                  % (endpoint.name, endpoint.operation_id), DeprecationWarning, stacklevel=5)
