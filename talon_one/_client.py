"""ApiClient: runs prepared requests and turns their responses into Python values.

One ApiClient may be shared by many threads: it holds one transport (a urllib3 pool)
and keeps no per-request state on the instance (``last_response`` is per thread).
The official SDK's helper methods (``call_api``, ``sanitize_for_serialization``,
``deserialize`` ...) come from ``talon_one._compat.ApiClientCompat``.
"""

import threading
from typing import (TYPE_CHECKING, Any, Dict, List, Mapping, MutableMapping, Optional, Sequence,
                    Tuple, Type)

from talon_one import _ordering, _signing
from talon_one._async import AsyncResult, DaemonThreadPool
from talon_one._compat import ApiClientCompat
from talon_one._configuration import Configuration
from talon_one._exceptions import ApiValueError
from talon_one._redact import Secret
from talon_one._request import PreparedRequest, RequestOptions
from talon_one._response import ResponseType, decode_response
from talon_one.version import __version__

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ['ApiClient', 'ClientBase', 'DEFAULT_USER_AGENT']

DEFAULT_USER_AGENT = 'talon_one-python/%s' % __version__


class ClientBase(object):
    """What both clients (``ApiClient`` and ``talon_one.aio.AsyncApiClient``) hold for the
    request builder (``talon_one._request.prepare``): the configuration, the headers sent
    with every request, and the credentials of each call (the signature included)."""

    configuration: Configuration

    def __init__(self, configuration: Optional[Configuration] = None,
                 header_name: Optional[str] = None, header_value: Optional[str] = None,
                 cookie: Optional[str] = None) -> None:
        if configuration is None:
            configuration = Configuration.get_default_copy()
        self.configuration = configuration
        self.default_headers: Dict[str, str] = {}
        if header_name is not None:
            self.default_headers[header_name] = header_value  # type: ignore[assignment]
        self.cookie = cookie
        self.user_agent = configuration.user_agent or DEFAULT_USER_AGENT

    # -- settings --------------------------------------------------------------------

    @property
    def user_agent(self) -> str:
        """User-Agent header sent with every request."""
        return self.default_headers['User-Agent']

    @user_agent.setter
    def user_agent(self, value: str) -> None:
        self.default_headers['User-Agent'] = value

    def set_default_header(self, header_name: str, header_value: str) -> None:
        """Send ``header_name: header_value`` with every request."""
        self.default_headers[header_name] = header_value

    @property
    def client_side_validation(self) -> bool:
        """``configuration.client_side_validation`` (one switch, read and written there)."""
        return self.configuration.client_side_validation

    @client_side_validation.setter
    def client_side_validation(self, value: bool) -> None:
        self.configuration.client_side_validation = value

    # -- credentials -----------------------------------------------------------------

    def _add_credentials(self, headers: MutableMapping[str, str], queries: List[Tuple[str, Any]],
                         auth_settings: Sequence[str], request_auth: Optional[Mapping[str, Any]],
                         body: Optional[bytes]) -> None:
        """Add the credentials of the configured schemes among ``auth_settings``; a
        Content-Signature is computed over ``body``, the exact bytes to be sent."""
        if not auth_settings:
            return
        if request_auth:
            self._apply_auth_setting(headers, queries, request_auth, body)
            return
        settings = self.configuration._request_auth_settings()
        for name in auth_settings:
            setting = settings.get(name)
            if setting:
                self._apply_auth_setting(headers, queries, setting, body)

    def _apply_auth_setting(self, headers: MutableMapping[str, str],
                            queries: List[Tuple[str, Any]], setting: Mapping[str, Any],
                            body: Optional[bytes]) -> None:
        value = setting.get('value')
        if setting.get('type') == 'content_signature':
            configuration = self.configuration
            value = _signing.content_signature(
                setting.get('signer', configuration.application_id),
                configuration.application_key, body)  # type: ignore[arg-type]  # set with the id
        location = setting.get('in')
        if location == 'header':
            headers[setting['key']] = value  # type: ignore[assignment]
        elif location == 'query':
            # Marked so that log lines and errors show the URL with this value masked.
            queries.append((setting['key'], Secret(value)))
        elif location == 'cookie':
            headers['Cookie'] = value  # type: ignore[assignment]
        else:
            raise ApiValueError("auth setting 'in' must be 'header', 'query' or 'cookie', "
                                "got %r" % (location,))


class ApiClient(ClientBase, ApiClientCompat):
    """Generic client for the Talon.One Integration API.

    :param configuration: a Configuration; defaults to a copy of ``Configuration.get_default()``.
    :param header_name: name of a header sent with every request.
    :param header_value: its value.
    :param cookie: value of a Cookie header sent with every request.
    :param pool_threads: threads used for ``async_req=True`` calls (created on first use).
    """

    def __init__(self, configuration: Optional[Configuration] = None,
                 header_name: Optional[str] = None, header_value: Optional[str] = None,
                 cookie: Optional[str] = None, pool_threads: int = 1) -> None:
        super().__init__(configuration, header_name, header_value, cookie)
        self.pool_threads = pool_threads
        # urllib3 comes in with the first client, so `import talon_one` stays light.
        from talon_one._transport import RESTClientObject
        self.rest_client: RESTClientObject = RESTClientObject(self.configuration)
        self._pool: Optional[DaemonThreadPool] = None
        self._pool_lock = threading.Lock()
        self._local = threading.local()

    # -- lifecycle -------------------------------------------------------------------

    def __enter__(self) -> 'ApiClient':
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]],
                 exc_value: Optional[BaseException],
                 traceback: Optional['TracebackType']) -> None:
        self.close()

    def close(self) -> None:
        """Close the async thread pool (without waiting) and the idle connections."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
        self.rest_client.close()

    @property
    def pool(self) -> DaemonThreadPool:
        """The daemon thread pool for async_req calls, created on first use."""
        pool = self._pool
        if pool is None:
            with self._pool_lock:
                pool = self._pool
                if pool is None:
                    pool = self._pool = DaemonThreadPool(self.pool_threads)
        return pool

    @property
    def last_response(self) -> Any:
        """The last RESTResponse received by the calling thread (None before any)."""
        return getattr(self._local, 'last_response', None)

    @last_response.setter
    def last_response(self, value: Any) -> None:
        self._local.last_response = value

    # -- running requests ------------------------------------------------------------

    def _run(self, request: PreparedRequest, options: RequestOptions,
             response_type: ResponseType) -> Any:
        """Send ``request`` now, or on the thread pool for ``async_req`` (an AsyncResult)."""
        if options.async_req:
            _ordering.take_turn(self, options)   # its place in its lane: now, as it is made
            try:
                result: AsyncResult[Any] = self.pool.apply_async(
                    self._perform, (request, options, response_type))
            except BaseException:
                _ordering.leave(options)
                raise
            return result
        return self._perform(request, options, response_type)

    def _perform(self, request: PreparedRequest, options: RequestOptions,
                 response_type: ResponseType) -> Any:
        with _ordering.in_turn(self, request, options):   # writes per id in order (issue 20)
            response = self.rest_client.send(request, options)
        self.last_response = response
        if not options.preload_content:
            return response
        data = decode_response(response, response_type, self.configuration)
        if options.data_only:
            return data
        return data, response.status, response.headers
