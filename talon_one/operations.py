"""Operations as data, and the code that turns a method call into a request.

The generated ``IntegrationApi`` describes every operation with an
:class:`Endpoint` and keeps two thin methods per operation; everything they
share lives in :class:`ApiBase`: argument checks, client-side validation,
deprecation warnings, building the path, query and headers, and the call to
``ApiClient.call_api``. All argument errors are raised before any I/O.
"""

import warnings
from urllib.parse import quote

from talon_one.api_client import ApiClient, param_text
from talon_one.exceptions import ApiTypeError, ApiValueError
from talon_one.model_base import Model
from talon_one.validation import check_rules

# Keyword arguments every method accepts besides the operation's optional parameters.
REQUEST_OPTIONS = frozenset([
    'async_req', '_return_http_data_only', '_preload_content', '_request_timeout',
    '_request_auth', '_content_type', '_headers', '_host',
])


class Param(object):
    """One parameter of an operation.

    ``location`` is ``'path'``, ``'query'`` or ``'body'``; ``type`` is a type
    string; ``rules`` uses the keys of ``Model.validations``; ``default`` is
    the server's default (documentation only: it is never sent).
    """

    __slots__ = ('attr', 'api_name', 'location', 'type', 'required', 'rules', 'default')

    def __init__(self, attr, api_name, location, type, required=False, rules=None,
                 default=None):
        self.attr = attr
        self.api_name = api_name
        self.location = location
        self.type = type
        self.required = required
        self.rules = rules
        self.default = default

    def __repr__(self):
        return 'Param(%r, %r, %r, %r, required=%r)' % (
            self.attr, self.api_name, self.location, self.type, self.required)


class Endpoint(object):
    """One operation: HTTP method, path template, parameters, response types and auth."""

    def __init__(self, name, operation_id, method, path, params, responses, auth,
                 deprecated=False):
        self.name = name
        self.operation_id = operation_id
        self.method = method
        self.path = path
        self.params = tuple(params)
        self.responses = dict(responses)
        self.auth = tuple(auth)
        self.deprecated = deprecated
        # Derived once: the generated methods pass required parameters positionally,
        # path parameters first, then the body.
        self.positional = (tuple(p for p in self.params if p.required and p.location == 'path')
                           + tuple(p for p in self.params if p.required and p.location != 'path'))
        self.keywords = {p.attr: p for p in self.params if not p.required}
        # Order of the values the generated methods pass: required, then optional keywords.
        self.signature = self.positional + tuple(self.keywords.values())

    def __repr__(self):
        return 'Endpoint(%r, %s %s)' % (self.name, self.method, self.path)


def _path_segment(value):
    """Percent-encode a path parameter so it stays one segment, whatever it contains."""
    text = quote(param_text(value), safe='')
    if text in ('.', '..'):
        # URL normalisation would drop a bare dot segment; %2E keeps it a value.
        text = text.replace('.', '%2E')
    return text


class ApiBase(object):
    """Base of the generated API classes."""

    def __init__(self, api_client=None):
        if api_client is None:
            api_client = ApiClient()
        self.api_client = api_client

    def _call(self, endpoint, args, kwargs):
        """Run an operation and return only the response data."""
        if endpoint.deprecated:
            _warn_deprecated(endpoint)
        kwargs['_return_http_data_only'] = True
        return self._request(endpoint, args, kwargs)

    def _call_with_http_info(self, endpoint, args, kwargs):
        """Run an operation and return ``(data, status, headers)``."""
        if endpoint.deprecated:
            _warn_deprecated(endpoint)
        return self._request(endpoint, args, kwargs)

    def _request(self, endpoint, args, kwargs):
        values = self._arguments(endpoint, args, kwargs)
        if self.api_client.configuration.client_side_validation:
            _validate(endpoint, values)

        path = endpoint.path
        query = []
        body = None
        for param in endpoint.params:
            value = values.get(param.attr)
            if value is None:
                continue
            if param.location == 'path':
                path = path.replace('{%s}' % param.api_name, _path_segment(value))
            elif param.location == 'query':
                query.append((param.api_name, param_text(value)))
            else:
                body = value

        headers = {'Accept': 'application/json'}
        if body is not None:
            headers['Content-Type'] = kwargs.get('_content_type') or 'application/json'
        if kwargs.get('_headers'):
            headers.update(kwargs['_headers'])

        return self.api_client.call_api(
            path, endpoint.method,
            path_params=None,
            query_params=query,
            header_params=headers,
            body=body,
            post_params=[],
            files={},
            response_type=endpoint.responses,
            auth_settings=list(endpoint.auth),  # a list, as the official SDK passes
            async_req=kwargs.get('async_req'),
            _return_http_data_only=kwargs.get('_return_http_data_only'),
            collection_formats={},
            _preload_content=kwargs.get('_preload_content', True),
            _request_timeout=kwargs.get('_request_timeout'),
            _host=kwargs.get('_host'),
            _request_auth=kwargs.get('_request_auth'),
        )

    @staticmethod
    def _arguments(endpoint, args, kwargs):
        """Map the call's arguments to parameter names; reject unknown and missing ones."""
        for key in kwargs:
            if key not in endpoint.keywords and key not in REQUEST_OPTIONS:
                raise ApiTypeError("Got an unexpected keyword argument '%s' to method %s"
                                   % (key, endpoint.name))
        values = {}
        for param, value in zip(endpoint.signature, args):
            if value is not None:
                values[param.attr] = value
            elif param.required:
                raise ApiValueError('Missing the required parameter `%s` when calling `%s`'
                                    % (param.attr, endpoint.name))
        for name in endpoint.keywords:
            if kwargs.get(name) is not None:
                values[name] = kwargs[name]
        return values


def _validate(endpoint, values):
    """Client-side checks of the parameter rules and of the body, before any request."""
    for param in endpoint.params:
        value = values.get(param.attr)
        if value is None:
            continue
        if param.location == 'body':
            _validate_body(endpoint, param, value)
        elif param.rules:
            check_rules('Invalid value for parameter `%s` when calling `%s`'
                        % (param.attr, endpoint.name), param.rules, value)


def _validate_body(endpoint, param, body):
    if param.type == 'object':
        return
    if isinstance(body, Model):
        if type(body).__name__ != param.type:
            raise ApiTypeError('Invalid type for parameter `body` when calling `%s`: expected '
                               '%s, got %s' % (endpoint.name, param.type, type(body).__name__))
        body.validate(param.type)
    elif not isinstance(body, dict):
        # A raw dict is sent as given; anything else cannot be the JSON object expected.
        raise ApiTypeError('Invalid type for parameter `body` when calling `%s`: expected '
                           '%s (or a dict), got %s' % (endpoint.name, param.type,
                                                       type(body).__name__))


def _warn_deprecated(endpoint):
    # Skip this function, ApiBase._call* and the generated method: point at the caller's line.
    warnings.warn('%s (operation %s) is deprecated by the Talon.One API'
                  % (endpoint.name, endpoint.operation_id), DeprecationWarning, stacklevel=4)
