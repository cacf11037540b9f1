"""Settings of the talon_one client: host, credentials, TLS, timeouts, retries, logging.

Compatible with the Configuration of the official SDK (same constructor arguments and
attributes), plus ``application_id``/``application_key`` for Content-Signature,
``timeout``, ``max_retries``, ``retry_backoff_factor``, ``retry_max_backoff`` and
``user_agent``. Secrets never show in ``repr`` or ``to_debug_report``.
"""

import copy
import logging
import os
import platform
import sys
import threading
from numbers import Real
from typing import (TYPE_CHECKING, Any, Callable, ClassVar, Dict, List, Mapping, Optional,
                    Tuple, Union)

from talon_one import _log_env
from talon_one._exceptions import ApiTypeError, ApiValueError
from talon_one._redact import MASK, safe_url
from talon_one._signing import check_application_key
from talon_one._timeouts import Timeout, TimeoutSetting, check_total_timeout
from talon_one._validation import ValidationSettings
from talon_one.version import __version__

if TYPE_CHECKING:
    from talon_one._hooks import Hooks

DEFAULT_HOST = 'https://yourbaseurl.talon.one'
HOST_ENV = 'TALON_ONE_HOST'
API_KEY_ENV = 'TALON_ONE_API_KEY'
API_VERSION = '4.0.0'  # info.version of the Integration API spec

# Prefix put in front of an api_key entry when api_key_prefix has none for it.
DEFAULT_KEY_PREFIXES = {'Authorization': 'ApiKey-v1'}

AuthSetting = Dict[str, Any]
ServerSetting = Dict[str, Any]

logger = logging.getLogger('talon_one')
logger.addHandler(logging.NullHandler())
# TALON_ONE_LOG=debug|info|warning (talon_one._log_env): the level, and stderr when needed.
_log_env.apply(logger)


class Configuration(object):
    """Settings shared by an ApiClient and the requests it sends.

    :param host: base URL, e.g. ``https://mycompany.europe-west1.talon.one``;
        defaults to ``$TALON_ONE_HOST`` or ``https://yourbaseurl.talon.one``.
    :param api_key: dict of credentials by header name. ``{'Authorization': KEY}`` for
        ``api_key_v1`` (the ``ApiKey-v1`` prefix is added when missing);
        ``{'Content-Signature': VALUE}`` sends a hand-made signature header (2.x style).
        Defaults to ``{'Authorization': $TALON_ONE_API_KEY}`` when that is set.
    :param api_key_prefix: dict of prefixes by header name, e.g.
        ``{'Authorization': 'ApiKey-v1'}``.
    :param application_id: with ``application_key``, signs bodies of endpoints that accept
        ``integration_auth`` (``Content-Signature: signer=<id>; signature=<hmac>``).
    :param application_key: the application's hex key for the signature.
    :param timeout: default request timeout: seconds, or a (connect, read) tuple.
    :param max_retries: retries after the first attempt; 0 disables retrying.

    The other keyword-only arguments (``verify_ssl``, ``cert_file``, ``key_file``, ``proxy``,
    ``proxy_headers``, ``connection_pool_maxsize``, ``client_side_validation``, ``debug``,
    ``logger_file``, ``user_agent``, ``retry_backoff_factor``, ``retry_max_backoff``,
    ``hooks``, ``tracing``, ``tracer_provider``, ``propagate_trace_context``) set the
    attribute of the same name, which can also be assigned later.
    """

    _default: ClassVar[Optional['Configuration']] = None
    _default_lock: ClassVar[threading.Lock] = threading.Lock()

    server_index: Optional[int]
    server_variables: Dict[str, str]
    server_operation_index: Dict[str, int]
    server_operation_variables: Dict[str, Dict[str, str]]
    temp_folder_path: Optional[str]
    api_key: Dict[str, str]
    api_key_prefix: Dict[str, str]
    refresh_api_key_hook: Optional[Callable[['Configuration'], None]]
    username: Optional[str]
    password: Optional[str]
    application_id: Optional[Union[int, str]]
    discard_unknown_keys: bool
    logger_formatter: logging.Formatter
    verify_ssl: bool
    ssl_ca_cert: Optional[str]
    cert_file: Optional[str]
    key_file: Optional[str]
    assert_hostname: Optional[Union[bool, str]]
    tls_server_name: Optional[str]
    socket_options: Optional[List[Any]]
    connection_pool_maxsize: int
    proxy: Optional[str]
    proxy_headers: Optional[Mapping[str, str]]
    safe_chars_for_path_param: str
    retries: Any
    user_agent: Optional[str]

    def __init__(self, host: Optional[str] = None, api_key: Optional[Dict[str, str]] = None,
                 api_key_prefix: Optional[Dict[str, str]] = None,
                 username: Optional[str] = None, password: Optional[str] = None,
                 discard_unknown_keys: bool = False,
                 disabled_client_side_validations: str = '',
                 server_index: Optional[int] = None,
                 server_variables: Optional[Dict[str, str]] = None,
                 server_operation_index: Optional[Dict[str, int]] = None,
                 server_operation_variables: Optional[Dict[str, Dict[str, str]]] = None,
                 ssl_ca_cert: Optional[str] = None, *,
                 application_id: Optional[Union[int, str]] = None,
                 application_key: Optional[str] = None,
                 timeout: TimeoutSetting = (10.0, 60.0),
                 total_timeout: Optional[float] = 60.0, max_retries: int = 2,
                 retry_non_idempotent: bool = False, retry_backoff_factor: float = 0.5,
                 retry_max_backoff: float = 30.0, user_agent: Optional[str] = None,
                 order_writes_per_id: bool = True, auto_idempotency_keys: bool = True,
                 verify_ssl: bool = True, cert_file: Optional[str] = None,
                 key_file: Optional[str] = None, proxy: Optional[str] = None,
                 proxy_headers: Optional[Mapping[str, str]] = None,
                 connection_pool_maxsize: int = 32, client_side_validation: bool = True,
                 debug: bool = False, logger_file: Optional[str] = None,
                 hooks: 'Optional[Hooks]' = None, tracing: Optional[bool] = None,
                 tracer_provider: Any = None, propagate_trace_context: bool = False) -> None:
        if host is None:
            host = os.environ.get(HOST_ENV) or None
        self._base_path = DEFAULT_HOST
        if host is not None:
            self.host = host
        # Host chosen from get_host_settings() only when no host was given.
        self.server_index = 0 if server_index is None and host is None else server_index
        self.server_operation_index = server_operation_index or {}
        self.server_variables = server_variables or {}
        self.server_operation_variables = server_operation_variables or {}
        self.temp_folder_path = None

        if api_key is None:
            env_key = os.environ.get(API_KEY_ENV)
            api_key = {'Authorization': env_key} if env_key else {}
        self.api_key = api_key
        self.api_key_prefix = api_key_prefix if api_key_prefix is not None else {}
        self.refresh_api_key_hook = None
        self.username = username
        self.password = password
        self.application_id = application_id
        self.application_key = application_key

        self.discard_unknown_keys = discard_unknown_keys
        # The one source of the validation switch: models built with this configuration
        # and requests sent with it read this object.
        self._validation_settings = ValidationSettings()
        self.disabled_client_side_validations = disabled_client_side_validations
        self.client_side_validation = client_side_validation

        self.logger_stream_handler: Optional[logging.Handler] = None
        self.logger_file_handler: Optional[logging.Handler] = None
        self.logger_format = '%(asctime)s %(levelname)s %(message)s'
        self._logger_file: Optional[str] = None
        self._debug = False

        self.verify_ssl = verify_ssl
        self.ssl_ca_cert = ssl_ca_cert
        self.cert_file = cert_file
        self.key_file = key_file
        self.assert_hostname = None
        self.tls_server_name = None
        self.socket_options = None
        self.connection_pool_maxsize = connection_pool_maxsize
        self.proxy = proxy
        self.proxy_headers = proxy_headers
        self.safe_chars_for_path_param = ''
        # A urllib3 Retry (or int) here is handed to urllib3 as is, and replaces the
        # built-in retry policy below.
        self.retries = None

        self.timeout = timeout
        self.total_timeout = total_timeout
        self.max_retries = max_retries
        self.retry_non_idempotent = retry_non_idempotent
        self.retry_backoff_factor = retry_backoff_factor
        self.retry_max_backoff = retry_max_backoff
        self.user_agent = user_agent
        # Parallel writes (issue 20: talon_one._writes, _ordering, _idempotency).
        self.order_writes_per_id = order_writes_per_id
        self.auto_idempotency_keys = auto_idempotency_keys
        # Hooks and tracing (talon_one._hooks, talon_one._tracing, talon_one._observe).
        self.hooks = hooks
        self.tracing = tracing
        self.tracer_provider = tracer_provider
        self.propagate_trace_context = propagate_trace_context
        # Through the properties, so the logger is set up as when assigned later.
        if debug:
            self.debug = debug
        if logger_file is not None:
            self.logger_file = logger_file

    # -- validated settings ------------------------------------------------------

    @property
    def host(self) -> str:
        """Base URL of the API (no trailing slash)."""
        return self.get_host_from_settings(self.server_index, variables=self.server_variables)

    @host.setter
    def host(self, value: str) -> None:
        if not isinstance(value, str) or not value.lower().startswith(('http://', 'https://')):
            # The value is echoed without userinfo: it may carry a password.
            shown = repr(safe_url(value)) if isinstance(value, str) else 'a value of type %s' % (
                type(value).__name__)
            raise ApiValueError('Configuration.host must be a URL starting with http:// '
                                'or https://, got %s' % shown)
        self._base_path = value.rstrip('/')
        self.server_index = None

    @property
    def application_key(self) -> Optional[str]:
        """Hex key used to sign bodies for integration_auth (never shown)."""
        return self._application_key

    @application_key.setter
    def application_key(self, value: Optional[str]) -> None:
        if value is not None:
            check_application_key(value)
        self._application_key = value

    @property
    def timeout(self) -> TimeoutSetting:
        """Default timeout: seconds, or (connect, read) seconds; None entries mean no limit."""
        return None if self._timeout is None else self._timeout.setting

    @timeout.setter
    def timeout(self, value: TimeoutSetting) -> None:
        self._timeout = Timeout.of(value, 'Configuration.timeout')

    @property
    def total_timeout(self) -> Optional[float]:
        """Seconds one call may take in all: every attempt, every wait between attempts and
        every body read (None: no limit). Per call: ``_total_timeout=``."""
        return self._total_timeout

    @total_timeout.setter
    def total_timeout(self, value: Optional[float]) -> None:
        self._total_timeout = check_total_timeout(value, 'Configuration.total_timeout')

    @property
    def retry_non_idempotent(self) -> bool:
        """Also retry POST requests that may have reached the server (duplicates possible)."""
        return self._retry_non_idempotent

    @retry_non_idempotent.setter
    def retry_non_idempotent(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise ApiValueError('Configuration.retry_non_idempotent must be True or False, got %r'
                                % (value,))
        self._retry_non_idempotent = value

    @property
    def order_writes_per_id(self) -> bool:
        """Writes of one client to the same customer session, profile or advanced event run
        one after the other, in the order they were made (``talon_one._writes.WRITES``)."""
        return self._order_writes_per_id

    @order_writes_per_id.setter
    def order_writes_per_id(self, value: bool) -> None:
        self._order_writes_per_id = _flag(value, 'Configuration.order_writes_per_id')

    @property
    def auto_idempotency_keys(self) -> bool:
        """Give every call of a POST the API documents as idempotent (returns, advanced events)
        an ``Idempotency-Key`` of its own (uuid4), sent on each retry; it is then retried like
        a PUT."""
        return self._auto_idempotency_keys

    @auto_idempotency_keys.setter
    def auto_idempotency_keys(self, value: bool) -> None:
        self._auto_idempotency_keys = _flag(value, 'Configuration.auto_idempotency_keys')

    @property
    def max_retries(self) -> int:
        """Retries after the first attempt (0 disables retrying)."""
        return self._max_retries

    @max_retries.setter
    def max_retries(self, value: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ApiValueError('Configuration.max_retries must be an int >= 0, got %r'
                                % (value,))
        self._max_retries = value

    @property
    def retry_backoff_factor(self) -> float:
        """Base of the exponential backoff in seconds (wait ceiling = factor * 2**retry)."""
        return self._retry_backoff_factor

    @retry_backoff_factor.setter
    def retry_backoff_factor(self, value: float) -> None:
        self._retry_backoff_factor = _non_negative(value, 'Configuration.retry_backoff_factor')

    @property
    def retry_max_backoff(self) -> float:
        """Longest wait between attempts in seconds, also the cap for Retry-After."""
        return self._retry_max_backoff

    @retry_max_backoff.setter
    def retry_max_backoff(self, value: float) -> None:
        self._retry_max_backoff = _non_negative(value, 'Configuration.retry_max_backoff')

    @property
    def client_side_validation(self) -> bool:
        """Check models and parameters before a request is sent (and on assignment)."""
        return self._validation_settings.enabled

    @client_side_validation.setter
    def client_side_validation(self, value: bool) -> None:
        self._validation_settings.enabled = bool(value)

    @property
    def disabled_client_side_validations(self) -> str:
        """Comma separated JSON Schema keywords whose client-side checks are skipped.

        Allowed: ``multipleOf, maximum, exclusiveMaximum, minimum, exclusiveMinimum,
        maxLength, minLength, pattern, maxItems, minItems``.
        """
        return ','.join(sorted(self._validation_settings.disabled))

    @disabled_client_side_validations.setter
    def disabled_client_side_validations(self, value: str) -> None:
        self._validation_settings.disabled = ValidationSettings.parse_disabled(value)

    # -- hooks and tracing (talon_one._hooks, talon_one._tracing) -------------------

    @property
    def hooks(self) -> 'Optional[Hooks]':
        """Functions called around every attempt: ``{'request': f, 'response': g, 'retry':
        h}`` (any of them), each taking one event of ``talon_one.hooks``; None: no hooks."""
        return self._hooks  # type: ignore[return-value]  # (a checked copy of a Hooks)

    @hooks.setter
    def hooks(self, value: 'Optional[Hooks]') -> None:
        if value is None:   # the default: no import of the hooks module (import time)
            self._hooks, self._hook_functions = None, None
            return
        from talon_one._hooks import check_hooks
        self._hooks, self._hook_functions = check_hooks(value)

    @property
    def tracing(self) -> Optional[bool]:
        """OpenTelemetry spans for every call: None (the default) when a tracer provider is
        configured (``tracer_provider``, or the global one), True always (when
        opentelemetry-api is installed), False never."""
        return self._tracing

    @tracing.setter
    def tracing(self, value: Optional[bool]) -> None:
        if value is not None and not isinstance(value, bool):
            raise ApiValueError('Configuration.tracing must be None, True or False, got %r'
                                % (value,))
        self._tracing = value

    @property
    def tracer_provider(self) -> Any:
        """The OpenTelemetry TracerProvider of the spans (None: the global one)."""
        return self._tracer_provider

    @tracer_provider.setter
    def tracer_provider(self, value: Any) -> None:
        if value is not None and not callable(getattr(value, 'get_tracer', None)):
            raise ApiTypeError('Configuration.tracer_provider must be an OpenTelemetry '
                               'TracerProvider, got %s' % type(value).__name__)
        self._tracer_provider = value

    @property
    def propagate_trace_context(self) -> bool:
        """Send the trace context (W3C ``traceparent``...) in each request's headers."""
        return self._propagate_trace_context

    @propagate_trace_context.setter
    def propagate_trace_context(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise ApiValueError('Configuration.propagate_trace_context must be True or False, '
                                'got %r' % (value,))
        self._propagate_trace_context = value

    # -- logging -------------------------------------------------------------------
    # As in the official SDK: ``debug`` sets the level (and, when nothing else would show
    # the records, adds a stream handler to stderr), ``logger_file`` adds a file handler,
    # ``logger_format`` sets their format. Records never carry credentials (see _redact).

    @property
    def logger(self) -> Dict[str, logging.Logger]:
        """The loggers this configuration controls (compatibility with the official SDK)."""
        return {'package_logger': logger}

    @property
    def logger_format(self) -> str:
        """Format of the records written by ``logger_stream_handler`` / ``logger_file_handler``."""
        return self._logger_format

    @logger_format.setter
    def logger_format(self, value: str) -> None:
        self._logger_format = value
        self.logger_formatter = logging.Formatter(value)
        for handler in (self.logger_stream_handler, self.logger_file_handler):
            if handler is not None:
                handler.setFormatter(self.logger_formatter)

    @property
    def debug(self) -> bool:
        """True sets the ``talon_one`` logger to DEBUG: one line per request, no secrets.

        When no handler would show those lines, a stream handler to stderr is added
        (``logger_stream_handler``); False removes it again.
        """
        return self._debug

    @debug.setter
    def debug(self, value: bool) -> None:
        self._debug = bool(value)
        # http.client's debuglevel is never touched: it prints request headers.
        logger.setLevel(logging.DEBUG if self._debug else logging.WARNING)
        if self._debug and self.logger_stream_handler is None and not _has_output(logger):
            handler = logging.StreamHandler()
            handler.setFormatter(self.logger_formatter)
            logger.addHandler(handler)
            self.logger_stream_handler = handler
        elif not self._debug and self.logger_stream_handler is not None:
            logger.removeHandler(self.logger_stream_handler)
            self.logger_stream_handler = None

    @property
    def logger_file(self) -> Optional[str]:
        """Path of a file that receives the ``talon_one`` log records."""
        return self._logger_file

    @logger_file.setter
    def logger_file(self, value: Optional[str]) -> None:
        if self.logger_file_handler is not None:
            logger.removeHandler(self.logger_file_handler)
            self.logger_file_handler.close()
            self.logger_file_handler = None
        self._logger_file = value
        if value:
            handler = logging.FileHandler(value)
            handler.setFormatter(self.logger_formatter)
            logger.addHandler(handler)
            self.logger_file_handler = handler

    # -- copies and the shared default -----------------------------------------------

    def __deepcopy__(self, memo: Dict[int, Any]) -> 'Configuration':
        result = type(self).__new__(type(self))
        memo[id(self)] = result
        for name, value in self.__dict__.items():
            if name in ('logger_file_handler', 'logger_stream_handler', '_tracer_provider',
                        '_hooks', '_hook_functions'):
                # Shared, not duplicated: a second handler would write every line twice.
                result.__dict__[name] = value
            else:
                result.__dict__[name] = copy.deepcopy(value, memo)
        return result

    @classmethod
    def set_default(cls, default: Optional['Configuration']) -> None:
        """Make a copy of ``default`` the configuration used when none is given."""
        with cls._default_lock:
            cls._default = copy.deepcopy(default) if default is not None else None

    @classmethod
    def get_default(cls) -> 'Configuration':
        """The shared default configuration itself (no copy; created on first use)."""
        default = cls._default
        if default is None:
            with cls._default_lock:
                if cls._default is None:
                    cls._default = cls()
                default = cls._default
        return default

    @classmethod
    def get_default_copy(cls) -> 'Configuration':
        """A private copy of the default configuration."""
        return copy.deepcopy(cls.get_default())

    # -- credentials -------------------------------------------------------------

    def get_api_key_with_prefix(self, identifier: str,
                                alias: Optional[str] = None) -> Optional[str]:
        """The ``api_key`` entry with its prefix, or None when there is no key.

        The prefix comes from ``api_key_prefix`` (an explicit '' means none); for
        ``Authorization`` it defaults to ``ApiKey-v1``. It is not added twice.
        """
        if self.refresh_api_key_hook is not None:
            self.refresh_api_key_hook(self)
        key = self.api_key.get(identifier)
        if key is None and alias is not None:
            key = self.api_key.get(alias)
        if not key:
            return None
        prefix = self.api_key_prefix.get(identifier)
        if prefix is None:
            prefix = DEFAULT_KEY_PREFIXES.get(identifier)
        key = str(key)
        if not prefix or key.lower().startswith(prefix.lower() + ' '):
            return key
        return '%s %s' % (prefix, key)

    def get_basic_auth_token(self) -> Optional[str]:
        """``Basic`` credentials built from username and password (unused by this API)."""
        from urllib3.util import make_headers  # urllib3 is imported on first need
        token: Optional[str] = make_headers(
            basic_auth='%s:%s' % (self.username or '', self.password or '')
        ).get('authorization')
        return token

    def auth_settings(self) -> Dict[str, AuthSetting]:
        """Credentials per security scheme of the spec, for the schemes that are configured.

        ``integration_auth`` has type ``content_signature`` when application_id/key are
        set: the ApiClient computes the header from the body it sends.
        """
        auth: Dict[str, AuthSetting] = {}
        if self.api_key.get('Authorization'):
            auth['api_key_v1'] = {
                'type': 'api_key', 'in': 'header', 'key': 'Authorization',
                'value': self.get_api_key_with_prefix('Authorization'),
            }
        if self.application_id is not None and self._application_key:
            auth['integration_auth'] = {
                'type': 'content_signature', 'in': 'header', 'key': 'Content-Signature',
                'value': None, 'signer': str(self.application_id),
            }
        elif self.api_key.get('Content-Signature'):
            auth['integration_auth'] = {
                'type': 'api_key', 'in': 'header', 'key': 'Content-Signature',
                'value': self.get_api_key_with_prefix('Content-Signature'),
            }
        return auth

    def _request_auth_settings(self) -> Dict[str, AuthSetting]:
        """``auth_settings()`` for sending requests, made again only when the credentials
        change (with a ``refresh_api_key_hook``, every time, as the hook must run)."""
        if self.refresh_api_key_hook is not None:
            return self.auth_settings()
        api_key, prefix = self.api_key, self.api_key_prefix
        key = (api_key.get('Authorization'), api_key.get('Content-Signature'),
               prefix.get('Authorization'), prefix.get('Content-Signature'),
               self.application_id, self._application_key)
        cached: Optional[Tuple[Any, Dict[str, AuthSetting]]] = self.__dict__.get('_auth_cache')
        if cached is not None and cached[0] == key:
            return cached[1]
        settings = self.auth_settings()
        self._auth_cache = (key, settings)
        return settings

    # -- hosts -------------------------------------------------------------------

    def get_host_settings(self) -> List[ServerSetting]:
        """The servers of the spec: a list of dicts with url, description, variables."""
        return [{
            'url': DEFAULT_HOST,
            'description': 'Talon.One deployment (replace yourbaseurl with yours)',
        }]

    def get_host_from_settings(self, index: Optional[int],
                               variables: Optional[Mapping[str, str]] = None,
                               servers: Optional[List[ServerSetting]] = None) -> str:
        """URL of server ``index`` with ``variables`` filled in (``host`` if index is None)."""
        if index is None:
            return self._base_path
        servers = self.get_host_settings() if servers is None else servers
        if not 0 <= index < len(servers):
            raise ApiValueError('Configuration.server_index: invalid index %d, must be '
                                'less than %d' % (index, len(servers)))
        server = servers[index]
        url: str = server['url']
        variables = variables or {}
        for name, spec in server.get('variables', {}).items():
            default: str = spec['default_value']
            value = variables.get(name, default)
            allowed = spec.get('enum_values')
            if allowed and value not in allowed:
                raise ApiValueError('Configuration.server_variables[%r] must be one of %s, '
                                    'got %r' % (name, ', '.join(allowed), value))
            url = url.replace('{%s}' % name, value)
        return url.rstrip('/')

    # -- reporting ---------------------------------------------------------------

    def host_for_operation(self, operation_id: str, method_name: Optional[str] = None) -> str:
        """Base URL for one operation: ``server_operation_index`` chooses a server of
        ``get_host_settings()`` for it (keyed by operationId or method name), with
        ``server_operation_variables`` (else ``server_variables``) filled in; otherwise
        ``host``."""
        for key in (operation_id, method_name):
            if key is not None and key in self.server_operation_index:
                variables = self.server_operation_variables.get(key, self.server_variables)
                return self.get_host_from_settings(self.server_operation_index[key],
                                                   variables=variables)
        return self.host

    def to_debug_report(self) -> str:
        """Environment summary for bug reports (never contains credentials)."""
        return '\n'.join([
            'Python SDK Debug Report:',
            'OS: %s' % platform.platform(),
            'Python Version: %s' % sys.version.split()[0],
            'Version of the API: %s' % API_VERSION,
            'SDK Package Version: %s' % __version__,
            'Host: %s' % safe_url(self.host),
            'Credentials: %s' % (', '.join(self._credential_summary()) or 'none'),
        ])

    def _credential_summary(self) -> List[str]:
        names = ['api_key[%r]' % name for name, value in sorted(self.api_key.items()) if value]
        if self._application_key:
            names.append('application_key')
        if self.password:
            names.append('password')
        return names

    def __repr__(self) -> str:
        masked_keys = {name: MASK if value else value for name, value in self.api_key.items()}
        return ('%s(host=%r, api_key=%r, api_key_prefix=%r, application_id=%r, '
                'application_key=%s, username=%r, password=%s, timeout=%r, total_timeout=%r, '
                'max_retries=%r, verify_ssl=%r)' % (
                    type(self).__name__, safe_url(self.host), masked_keys, self.api_key_prefix,
                    self.application_id, MASK if self._application_key else None,
                    self.username, MASK if self.password else None, self.timeout,
                    self.total_timeout,
                    self.max_retries, self.verify_ssl))

    __str__ = __repr__


def _has_output(target: logging.Logger) -> bool:
    """True when a record of ``target`` reaches a handler that writes it somewhere."""
    current: Optional[logging.Logger] = target
    while current is not None:
        if any(not isinstance(handler, logging.NullHandler) for handler in current.handlers):
            return True
        if not current.propagate:
            return False
        current = current.parent
    return False


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ApiValueError('%s must be True or False, got %r' % (name, value))
    return value


def _non_negative(value: object, field: str) -> float:
    if not isinstance(value, Real) or isinstance(value, bool) or value < 0:
        raise ApiValueError('%s must be a number >= 0, got %r' % (field, value))
    return float(value)
