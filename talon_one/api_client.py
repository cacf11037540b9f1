"""ApiClient: builds requests (path, query, headers, body, auth), sends them through
``rest.RESTClientObject`` and turns responses into Python values.

One ApiClient may be shared by many threads: it holds one urllib3 PoolManager and keeps
no per-request state on the instance (``last_response`` is per thread).
"""

import codecs
import datetime
import json
import mimetypes
import os
import re
import tempfile
import threading
from urllib.parse import quote

from talon_one import signing
from talon_one.async_pool import DaemonThreadPool
from talon_one.configuration import Configuration, check_timeout
from talon_one.conversion import deserialize_value
from talon_one.datetimes import format_datetime
from talon_one.exceptions import ApiResponseError, ApiTypeError, ApiValueError
from talon_one.null import NULL
from talon_one.redact import Secret
from talon_one.version import __version__

DEFAULT_USER_AGENT = 'talon_one-python/%s' % __version__

def _rest():
    # urllib3 comes in with the first client, so `import talon_one` stays light.
    from talon_one import rest
    return rest


# Response types a body that is not JSON may satisfy as plain text.
_TEXT_TYPES = ('str', 'object')


def param_text(value):
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


class ApiClient(object):
    """Generic client for the Talon.One Integration API.

    :param configuration: a Configuration; defaults to a copy of ``Configuration.get_default()``.
    :param header_name: name of a header sent with every request.
    :param header_value: its value.
    :param cookie: value of a Cookie header sent with every request.
    :param pool_threads: threads used for ``async_req=True`` calls (created on first use).
    """

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

    def __init__(self, configuration=None, header_name=None, header_value=None, cookie=None,
                 pool_threads=1):
        if configuration is None:
            configuration = Configuration.get_default_copy()
        self.configuration = configuration
        self.pool_threads = pool_threads
        self.rest_client = _rest().RESTClientObject(configuration)
        self.default_headers = {}
        if header_name is not None:
            self.default_headers[header_name] = header_value
        self.cookie = cookie
        self.user_agent = configuration.user_agent or DEFAULT_USER_AGENT
        self.client_side_validation = configuration.client_side_validation
        self._pool = None
        self._pool_lock = threading.Lock()
        self._local = threading.local()

    # -- lifecycle -------------------------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()

    def close(self):
        """Close the async thread pool (without waiting) and the idle connections."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
        self.rest_client.close()

    @property
    def pool(self):
        """The daemon thread pool for async_req calls, created on first use."""
        if self._pool is None:
            with self._pool_lock:
                if self._pool is None:
                    self._pool = DaemonThreadPool(self.pool_threads)
        return self._pool

    # -- headers ---------------------------------------------------------------------

    @property
    def user_agent(self):
        """User-Agent header sent with every request."""
        return self.default_headers['User-Agent']

    @user_agent.setter
    def user_agent(self, value):
        self.default_headers['User-Agent'] = value

    def set_default_header(self, header_name, header_value):
        """Send ``header_name: header_value`` with every request."""
        self.default_headers[header_name] = header_value

    @property
    def last_response(self):
        """The last RESTResponse received by the calling thread (None before any)."""
        return getattr(self._local, 'last_response', None)

    @last_response.setter
    def last_response(self, value):
        self._local.last_response = value

    # -- calls -----------------------------------------------------------------------

    def call_api(self, resource_path, method, path_params=None, query_params=None,
                 header_params=None, body=None, post_params=None, files=None,
                 response_type=None, auth_settings=None, async_req=None,
                 _return_http_data_only=None, collection_formats=None, _preload_content=True,
                 _request_timeout=None, _host=None, _request_auth=None, *,
                 response_types_map=None):
        """Send a request and return its deserialized result.

        :param resource_path: path template, e.g. ``/v2/customer_sessions/{customerSessionId}``.
        :param method: HTTP method.
        :param path_params: dict of raw values substituted (percent-encoded) into the path.
        :param query_params: dict or list of (name, value); booleans become true/false.
        :param header_params: dict of extra headers (e.g. Accept, Content-Type).
        :param body: Model, dict, list or primitive (sent as JSON), or bytes (sent as is).
        :param post_params: form fields; ``files``: {field: path or [paths]} (multipart).
        :param response_type: type string (``'Audience'``, ``'list[str]'``...) or a dict
            {status: type string or None}; ``response_types_map`` is an alias.
        :param auth_settings: names of the security schemes the operation accepts.
        :param async_req: run on the client's thread pool; returns an object with ``get()``.
        :param _return_http_data_only: return only the data instead of (data, status, headers).
        :param collection_formats: {param: 'multi'|'csv'|'ssv'|'tsv'|'pipes'}.
        :param _preload_content: False returns the raw urllib3 response (not read).
        :param _request_timeout: seconds or (connect, read); default Configuration.timeout.
        :param _host: base URL for this call instead of Configuration.host.
        :param _request_auth: one auth setting dict used instead of ``auth_settings``.
        """
        if response_type is None:
            response_type = response_types_map
        check_timeout(_request_timeout, '_request_timeout')
        args = (resource_path, method, path_params, query_params, header_params, body,
                post_params, files, response_type, auth_settings, _return_http_data_only,
                collection_formats, _preload_content, _request_timeout, _host, _request_auth)
        if not async_req:
            return self._call_api(*args)
        return self.pool.apply_async(self._call_api, args)

    def _call_api(self, resource_path, method, path_params, query_params, header_params, body,
                  post_params, files, response_type, auth_settings, _return_http_data_only,
                  collection_formats, _preload_content, _request_timeout, _host, _request_auth):
        config = self.configuration
        headers = dict(self.default_headers)
        if self.cookie:
            headers['Cookie'] = self.cookie
        if header_params:
            for name, value in self.parameters_to_tuples(header_params, collection_formats):
                if value is not None:
                    headers[name] = param_text(value)

        if path_params:
            safe = config.safe_chars_for_path_param
            for name, value in self.parameters_to_tuples(path_params, collection_formats):
                resource_path = resource_path.replace(
                    '{%s}' % name, quote(param_text(value), safe=safe))

        queries = self._query_tuples(query_params, collection_formats)

        form = None
        if post_params or files:
            form = [(name, param_text(value)) for name, value in
                    self.parameters_to_tuples(post_params or [], collection_formats)
                    if value is not None]
            form += self.files_parameters(files)
        payload = _rest().encode_body(headers, self._body_value(body), form)

        self.update_params_for_auth(headers, queries, auth_settings,
                                    request_auth=_request_auth, body=payload)

        url = (_host.rstrip('/') if _host else config.host) + resource_path
        response = self.rest_client.request(
            method, url, query_params=queries, headers=headers, body=payload,
            _preload_content=_preload_content, _request_timeout=_request_timeout)
        self.last_response = response
        if not _preload_content:
            return response

        data = self.deserialize(response, response_type)
        if _return_http_data_only:
            return data
        return data, response.status, response.headers

    def request(self, method, url, query_params=None, headers=None, post_params=None,
                body=None, _preload_content=True, _request_timeout=None):
        """Send one request through the REST client (no serialization, no auth)."""
        return self.rest_client.request(
            method, url, query_params=query_params, headers=headers, body=body,
            post_params=post_params, _preload_content=_preload_content,
            _request_timeout=_request_timeout)

    # -- serialization ---------------------------------------------------------------

    def sanitize_for_serialization(self, obj):
        """JSON-ready form of ``obj``: models via ``to_wire()``, datetimes as RFC 3339,
        dates as ISO dates, NULL as None, lists/tuples/dicts recursively."""
        if obj is None or isinstance(obj, self.PRIMITIVE_TYPES):
            return obj
        if isinstance(obj, list):
            return [self.sanitize_for_serialization(item) for item in obj]
        if isinstance(obj, tuple):
            return tuple(self.sanitize_for_serialization(item) for item in obj)
        if isinstance(obj, dict):
            return {key: self.sanitize_for_serialization(value) for key, value in obj.items()}
        if isinstance(obj, datetime.datetime):
            return format_datetime(obj)
        if isinstance(obj, datetime.date):
            return obj.isoformat()
        to_wire = getattr(type(obj), 'to_wire', None)
        if to_wire is not None:
            return to_wire(obj)
        if obj is NULL:
            return None
        raise ApiTypeError('cannot serialize a value of type %s to JSON' % type(obj).__name__)

    def _body_value(self, body):
        if body is None or isinstance(body, (bytes, bytearray, str)):
            return body
        return self.sanitize_for_serialization(body)

    def deserialize(self, response, response_type):
        """Python value of ``response.data`` for ``response_type``.

        ``response_type`` is a type string, a model class, or a dict {status: type}; no
        type, an empty body or HTTP 204 give None. A body that is not JSON is returned as text
        for ``str`` / ``object`` and raises ``ApiResponseError`` for any other type.
        """
        # Like the official client, anything with a ``.data`` will do (e.g. a webhook body).
        status = getattr(response, 'status', None)
        if isinstance(response_type, dict):
            response_type = response_type.get(status)
        if response_type is None or status == 204:
            return None
        if response_type == 'file':
            return self._deserialize_file(response)
        raw = response.data
        if not raw:
            return None
        if isinstance(raw, (bytes, bytearray)):
            raw = bytes(raw).decode(_charset(response), errors='replace')
        try:
            value = json.loads(raw)
        except ValueError:
            if response_type not in _TEXT_TYPES:
                # A model (or list, dict, number) was promised: text would only fail later.
                raise ApiResponseError(status=status, reason=getattr(response, 'reason', None),
                                       body=raw, headers=getattr(response, 'headers', None))
            value = raw
        if isinstance(response_type, type):
            from_wire = getattr(response_type, 'from_wire', None)
            if from_wire is not None:
                return from_wire(value)
            response_type = response_type.__name__
        return deserialize_value(response_type, value)

    def _deserialize_file(self, response):
        """Save the body in ``Configuration.temp_folder_path`` and return the path."""
        folder = self.configuration.temp_folder_path or tempfile.gettempdir()
        name = None
        disposition = response.headers.get('Content-Disposition')
        if disposition:
            match = re.search(r'filename=[\'"]?([^\'";\s]+)', disposition)
            if match:
                name = os.path.basename(match.group(1))
        if name:
            path = os.path.join(folder, name)
        else:
            fd, path = tempfile.mkstemp(dir=folder)
            os.close(fd)
        with open(path, 'wb') as handle:
            handle.write(response.data)
        return path

    # -- parameters ------------------------------------------------------------------

    def parameters_to_tuples(self, params, collection_formats):
        """(name, value) pairs; values of params in ``collection_formats`` are expanded
        ('multi') or joined ('csv', 'ssv', 'tsv', 'pipes')."""
        collection_formats = collection_formats or {}
        pairs = []
        items = params.items() if isinstance(params, dict) else params
        for name, value in items:
            fmt = collection_formats.get(name)
            if fmt is None or not isinstance(value, (list, tuple)):
                pairs.append((name, value))
            elif fmt == 'multi':
                pairs.extend((name, item) for item in value)
            else:
                separator = {'ssv': ' ', 'tsv': '\t', 'pipes': '|'}.get(fmt, ',')
                pairs.append((name, separator.join(param_text(v) for v in value)))
        return pairs

    def _query_tuples(self, query_params, collection_formats):
        if not query_params:
            return []
        formats = dict(collection_formats or {})
        items = query_params.items() if isinstance(query_params, dict) else query_params
        items = [(name, value) for name, value in items if value is not None]
        for name, value in items:
            if isinstance(value, (list, tuple)):
                formats.setdefault(name, 'multi')  # OpenAPI 3 default: form, explode
        return [(name, param_text(value))
                for name, value in self.parameters_to_tuples(items, formats)]

    def files_parameters(self, files=None):
        """Multipart fields for ``files``: {field: path or list of paths}."""
        fields = []
        for name, paths in (files or {}).items():
            if not paths:
                continue
            for path in paths if isinstance(paths, (list, tuple)) else [paths]:
                with open(path, 'rb') as handle:
                    data = handle.read()
                filename = os.path.basename(path)
                mimetype = mimetypes.guess_type(filename)[0] or 'application/octet-stream'
                fields.append((name, (filename, data, mimetype)))
        return fields

    def select_header_accept(self, accepts):
        """Accept header for the given media types (application/json preferred)."""
        if not accepts:
            return None
        lowered = [accept.lower() for accept in accepts]
        if 'application/json' in lowered:
            return 'application/json'
        return ', '.join(accepts)

    def select_header_content_type(self, content_types, method=None, body=None):
        """Content-Type for the given media types (application/json preferred)."""
        if not content_types:
            return 'application/json'
        lowered = [content_type.lower() for content_type in content_types]
        if 'application/json' in lowered or '*/*' in lowered:
            return 'application/json'
        return content_types[0]

    # -- auth ------------------------------------------------------------------------

    def update_params_for_auth(self, headers, queries, auth_settings, request_auth=None,
                               body=None):
        """Add the credentials of the configured schemes among ``auth_settings``.

        :param headers: header dict to update.
        :param queries: list of (name, value) query pairs to update.
        :param auth_settings: names of the schemes the operation accepts.
        :param request_auth: one auth setting dict used instead of the configured ones.
        :param body: the exact body bytes to be sent (signed for integration_auth; None
            signs the empty body).
        """
        if not auth_settings:
            return
        if request_auth:
            self._apply_auth_params(headers, queries, request_auth, body)
            return
        settings = self.configuration.auth_settings()
        for name in auth_settings:
            setting = settings.get(name)
            if setting:
                self._apply_auth_params(headers, queries, setting, body)

    def _apply_auth_params(self, headers, queries, setting, body):
        value = setting.get('value')
        if setting.get('type') == 'content_signature':
            config = self.configuration
            value = signing.content_signature(setting.get('signer', config.application_id),
                                              config.application_key, body)
        location = setting.get('in')
        if location == 'header':
            headers[setting['key']] = value
        elif location == 'query':
            # Marked so that log lines and errors show the URL with this value masked.
            queries.append((setting['key'], Secret(value)))
        elif location == 'cookie':
            headers['Cookie'] = value
        else:
            raise ApiValueError("auth setting 'in' must be 'header', 'query' or 'cookie', "
                                "got %r" % (location,))


def _charset(response):
    headers = getattr(response, 'headers', None) or {}
    content_type = headers.get('Content-Type') or ''
    match = re.search(r'charset=([\w-]+)', content_type, re.IGNORECASE)
    if match:
        try:
            return codecs.lookup(match.group(1)).name
        except LookupError:
            pass
    return 'utf-8'
