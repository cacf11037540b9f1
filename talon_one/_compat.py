"""The surface of the official 4.0.0 runtime that this SDK keeps for existing code.

Everything here is an adapter over the live code: ``ApiClient.call_api`` builds its
request with the one request builder (``talon_one._request.prepare``) and runs it like a
generated method; ``sanitize_for_serialization`` and ``deserialize`` go through the codec;
the ``GET`` ... ``PATCH`` helpers call ``RESTClientObject.request``. New code has no need
for any of it.
"""

import datetime
from typing import (TYPE_CHECKING, Any, Dict, List, Mapping, MutableMapping, Optional, Sequence,
                    Tuple, Type, TypeVar)

from talon_one._codec import encode
from talon_one._request import (FormField, ParamsIn, RequestOptions, expand_parameters,
                                file_fields, param_text, prepare)
from talon_one._response import ResponseType, decode_response

if TYPE_CHECKING:
    from talon_one._configuration import Configuration
    from talon_one._request import PreparedRequest
    from talon_one._timeouts import TimeoutSetting

__all__ = ['ApiClientCompat', 'RESTClientCompat']

M = TypeVar('M')


class ApiClientCompat(object):
    """The official ``ApiClient`` methods and constants, as a base of ``ApiClient``."""

    PRIMITIVE_TYPES = (float, bool, bytes, str, int)
    NATIVE_TYPES_MAPPING = {
        'int': int,
        'long': int,
        'float': float,
        'str': str,
        'bool': bool,
        'date': datetime.date,
        'datetime': datetime.datetime,
        'object': object,
    }

    if TYPE_CHECKING:  # provided by ApiClient
        configuration: Configuration
        rest_client: Any

        def _run(self, request: PreparedRequest, options: RequestOptions,
                 response_type: ResponseType) -> Any: ...

        def _add_credentials(self, headers: MutableMapping[str, str],
                             queries: List[Tuple[str, Any]], auth_settings: Sequence[str],
                             request_auth: Optional[Mapping[str, Any]],
                             body: Optional[bytes]) -> None: ...

    def call_api(self, resource_path: str, method: str, path_params: ParamsIn = None,
                 query_params: ParamsIn = None, header_params: ParamsIn = None,
                 body: Any = None, post_params: ParamsIn = None,
                 files: Optional[Mapping[str, Any]] = None, response_type: ResponseType = None,
                 auth_settings: Optional[Sequence[str]] = None, async_req: Optional[bool] = None,
                 _return_http_data_only: Optional[bool] = None,
                 collection_formats: Optional[Mapping[str, str]] = None,
                 _preload_content: bool = True, _request_timeout: 'TimeoutSetting' = None,
                 _host: Optional[str] = None, _request_auth: Optional[Mapping[str, Any]] = None,
                 *, response_types_map: ResponseType = None) -> Any:
        """Send a request and return its deserialized result (the official entry point).

        :param resource_path: path template, e.g. ``/v2/customer_sessions/{customerSessionId}``.
        :param method: HTTP method.
        :param path_params: raw values substituted (percent-encoded) into the path.
        :param query_params: dict or list of (name, value); booleans become true/false.
        :param header_params: dict of extra headers (e.g. Accept, Content-Type).
        :param body: Model, dict, list or primitive (sent as JSON), or bytes (sent as is).
        :param post_params: form fields; ``files``: {field: path or [paths]} (multipart).
        :param response_type: type string (``'Audience'``, ``'list[str]'``...) or a dict
            {status: type string or None}; ``response_types_map`` is an alias.
        :param auth_settings: names of the security schemes the operation accepts.
        :param async_req: run on the client's thread pool; returns an AsyncResult.
        :param _return_http_data_only: return only the data instead of (data, status, headers).
        :param collection_formats: {param: 'multi'|'csv'|'ssv'|'tsv'|'pipes'}.
        :param _preload_content: False returns the raw urllib3 response (not read).
        :param _request_timeout: seconds or (connect, read); default Configuration.timeout.
        :param _host: base URL for this call instead of Configuration.host.
        :param _request_auth: one auth setting dict used instead of ``auth_settings``.
        """
        options = RequestOptions.from_keywords(
            {'_request_timeout': _request_timeout, '_host': _host,
             '_request_auth': _request_auth},
            async_req=async_req, data_only=_return_http_data_only,
            preload_content=_preload_content)
        form = None
        if post_params or files:
            form = [(name, param_text(value))
                    for name, value in expand_parameters(post_params, collection_formats)
                    if value is not None]
            form += file_fields(files)
        request = prepare(
            self, method, resource_path, options,  # type: ignore[arg-type]  # an ApiClient
            path_params=expand_parameters(path_params, collection_formats),
            # OpenAPI 3's default for a list in the query: one pair per item.
            query=expand_parameters(query_params, collection_formats, 'multi'),
            headers=expand_parameters(header_params, collection_formats),
            body=body, form=form, auth_settings=auth_settings or ())
        return self._run(request, options,
                         response_type if response_type is not None else response_types_map)

    def request(self, method: str, url: str, query_params: ParamsIn = None,
                headers: Optional[Dict[str, str]] = None,
                post_params: Optional[Sequence[FormField]] = None, body: Any = None,
                _preload_content: bool = True, _request_timeout: 'TimeoutSetting' = None) -> Any:
        """Send one request through the REST client (no serialization, no auth)."""
        return self.rest_client.request(
            method, url, query_params=query_params, headers=headers, body=body,
            post_params=post_params, _preload_content=_preload_content,
            _request_timeout=_request_timeout)

    def sanitize_for_serialization(self, obj: Any) -> Any:
        """JSON-ready form of ``obj``: models by API names, datetimes as RFC 3339, dates as
        ISO dates, NULL as None, lists/tuples/dicts recursively."""
        return encode(obj)

    def deserialize(self, response: Any, response_type: ResponseType) -> Any:
        """Python value of ``response.data`` (anything with ``status`` and ``data``) for
        ``response_type`` (a type string, a model class or a {status: type} dict)."""
        return decode_response(response, response_type, self.configuration)

    def deserialize_model(self, data: Any, klass: Type[M]) -> M:
        """An instance of the model ``klass`` from ``data`` (a dict in its wire form).

        Parsed leniently, like every response; a class without properties (or data that is
        not a dict) gives ``data`` back as is.
        """
        if not getattr(klass, 'openapi_types', None) or not isinstance(data, dict):
            return data  # type: ignore[no-any-return]  # as the official SDK does
        return klass.from_wire(data)  # type: ignore[attr-defined, no-any-return]

    def parameters_to_tuples(self, params: ParamsIn,
                             collection_formats: Optional[Mapping[str, str]]
                             ) -> List[Tuple[str, Any]]:
        """(name, value) pairs; values of params in ``collection_formats`` are expanded
        ('multi') or joined ('csv', 'ssv', 'tsv', 'pipes')."""
        return expand_parameters(params, collection_formats)

    def files_parameters(self, files: Optional[Mapping[str, Any]] = None) -> List[FormField]:
        """Multipart fields for ``files``: {field: path or list of paths}."""
        return file_fields(files)

    def select_header_accept(self, accepts: Sequence[str]) -> Optional[str]:
        """Accept header for the given media types (application/json preferred)."""
        if not accepts:
            return None
        lowered = [accept.lower() for accept in accepts]
        if 'application/json' in lowered:
            return 'application/json'
        return ', '.join(accepts)

    def select_header_content_type(self, content_types: Sequence[str],
                                   method: Optional[str] = None, body: Any = None) -> str:
        """Content-Type for the given media types (application/json preferred)."""
        if not content_types:
            return 'application/json'
        lowered = [content_type.lower() for content_type in content_types]
        if 'application/json' in lowered or '*/*' in lowered:
            return 'application/json'
        return content_types[0]

    def update_params_for_auth(self, headers: MutableMapping[str, str],
                               querys: List[Tuple[str, Any]], auth_settings: Sequence[str],
                               request_auth: Optional[Mapping[str, Any]] = None, *,
                               body: Optional[bytes] = None) -> None:
        """Add the credentials of the configured schemes among ``auth_settings``.

        :param headers: header dict to update.
        :param querys: list of (name, value) query pairs to update.
        :param auth_settings: names of the schemes the operation accepts.
        :param request_auth: one auth setting dict used instead of the configured ones.
        :param body: the exact body bytes to be sent (signed for integration_auth; None
            signs the empty body).
        """
        self._add_credentials(headers, querys, auth_settings, request_auth, body)


class RESTClientCompat(object):
    """The official ``RESTClientObject`` helpers, one per HTTP method."""

    if TYPE_CHECKING:  # provided by RESTClientObject
        def request(self, method: str, url: str, query_params: ParamsIn = None,
                    headers: Optional[Dict[str, str]] = None, body: Any = None,
                    post_params: Optional[Sequence[FormField]] = None,
                    _preload_content: bool = True,
                    _request_timeout: TimeoutSetting = None) -> Any: ...

    def GET(self, url: str, headers: Optional[Dict[str, str]] = None,
            query_params: ParamsIn = None, _preload_content: bool = True,
            _request_timeout: 'TimeoutSetting' = None) -> Any:
        return self.request('GET', url, headers=headers, query_params=query_params,
                            _preload_content=_preload_content, _request_timeout=_request_timeout)

    def HEAD(self, url: str, headers: Optional[Dict[str, str]] = None,
             query_params: ParamsIn = None, _preload_content: bool = True,
             _request_timeout: 'TimeoutSetting' = None) -> Any:
        return self.request('HEAD', url, headers=headers, query_params=query_params,
                            _preload_content=_preload_content, _request_timeout=_request_timeout)

    def OPTIONS(self, url: str, headers: Optional[Dict[str, str]] = None,
                query_params: ParamsIn = None,
                post_params: Optional[Sequence[FormField]] = None, body: Any = None,
                _preload_content: bool = True, _request_timeout: 'TimeoutSetting' = None) -> Any:
        return self.request('OPTIONS', url, headers=headers, query_params=query_params,
                            post_params=post_params, body=body,
                            _preload_content=_preload_content, _request_timeout=_request_timeout)

    def DELETE(self, url: str, headers: Optional[Dict[str, str]] = None,
               query_params: ParamsIn = None, body: Any = None, _preload_content: bool = True,
               _request_timeout: 'TimeoutSetting' = None) -> Any:
        return self.request('DELETE', url, headers=headers, query_params=query_params,
                            body=body, _preload_content=_preload_content,
                            _request_timeout=_request_timeout)

    def POST(self, url: str, headers: Optional[Dict[str, str]] = None,
             query_params: ParamsIn = None, post_params: Optional[Sequence[FormField]] = None,
             body: Any = None, _preload_content: bool = True,
             _request_timeout: 'TimeoutSetting' = None) -> Any:
        return self.request('POST', url, headers=headers, query_params=query_params,
                            post_params=post_params, body=body,
                            _preload_content=_preload_content, _request_timeout=_request_timeout)

    def PUT(self, url: str, headers: Optional[Dict[str, str]] = None,
            query_params: ParamsIn = None, post_params: Optional[Sequence[FormField]] = None,
            body: Any = None, _preload_content: bool = True,
            _request_timeout: 'TimeoutSetting' = None) -> Any:
        return self.request('PUT', url, headers=headers, query_params=query_params,
                            post_params=post_params, body=body,
                            _preload_content=_preload_content, _request_timeout=_request_timeout)

    def PATCH(self, url: str, headers: Optional[Dict[str, str]] = None,
              query_params: ParamsIn = None, post_params: Optional[Sequence[FormField]] = None,
              body: Any = None, _preload_content: bool = True,
              _request_timeout: 'TimeoutSetting' = None) -> Any:
        return self.request('PATCH', url, headers=headers, query_params=query_params,
                            post_params=post_params, body=body,
                            _preload_content=_preload_content, _request_timeout=_request_timeout)
