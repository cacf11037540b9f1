"""``with_options``: a client that shares another's connections and differs in a few settings.

``api_client.with_options(timeout=0.5, max_retries=0)`` (also on ``IntegrationApi``,
``AsyncApiClient`` and ``AsyncIntegrationApi``) returns a new client object:

- its Configuration is a copy of the original's with the given settings (checked as when
  assigned: a bad value raises at once); the original's is left as it is;
- ``default_headers`` are added to (or replace) the original's default headers;
- it sends through the original's connection pools (sync) or aiohttp session (asyncio), so
  making one costs no connection; the original owns them: closing the derived client
  leaves them open (only its own ``async_req`` thread pool is closed), closing the
  original closes them for both.

The settings are those of :class:`ClientOptions` (a TypedDict: type checkers reject a
misspelt one, and so does the call at run time).
"""

import copy
import threading
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, TypedDict, cast

from talon_one._exceptions import ApiTypeError, ApiValueError
from talon_one._timeouts import TimeoutSetting

if TYPE_CHECKING:
    from talon_one._client import ApiClient, ClientBase
    from talon_one._configuration import Configuration

__all__ = ['ClientOptions', 'derive_client', 'derived_configuration', 'derived_headers']


class ClientOptions(TypedDict, total=False):
    """The settings ``with_options`` can change (Configuration's meaning for each)."""

    timeout: TimeoutSetting             # per attempt: seconds, or (connect, read)
    total_timeout: Optional[float]      # the whole call, retries and waits included
    max_retries: int                    # retries after the first attempt (0: none)
    retry_non_idempotent: bool          # also retry POSTs that may have reached the server
    default_headers: Mapping[str, str]  # headers added to the original's default headers


_SETTINGS = ('timeout', 'total_timeout', 'max_retries', 'retry_non_idempotent')
_NAMES = frozenset(ClientOptions.__annotations__)
assert frozenset((*_SETTINGS, 'default_headers')) == _NAMES


def derived_configuration(configuration: 'Configuration',
                          overrides: Mapping[str, Any]) -> 'Configuration':
    """A copy of ``configuration`` with ``overrides`` set (through the checked setters)."""
    unknown = sorted(name for name in overrides if name not in _NAMES)
    if unknown:
        raise ApiTypeError("with_options() got an unexpected keyword argument '%s' (the "
                           "settings are %s)" % (unknown[0], ', '.join(sorted(_NAMES))))
    # Shallow: credentials, validation settings, hooks and loggers stay the original's.
    derived = copy.copy(configuration)
    for name in _SETTINGS:
        if name in overrides:
            setattr(derived, name, overrides[name])
    return derived


def derived_headers(client: 'ClientBase', overrides: Mapping[str, Any]) -> Dict[str, str]:
    headers = dict(client.default_headers)
    extra = overrides.get('default_headers')
    if extra is not None:
        if not isinstance(extra, Mapping):
            raise ApiValueError('with_options(default_headers=...) takes a dict of header '
                                'names to values, got %s' % type(extra).__name__)
        headers.update(cast('Mapping[str, str]', extra))
    return headers


def derive_client(client: 'ApiClient', overrides: Mapping[str, Any]) -> 'ApiClient':
    """The sync client for ``ApiClient.with_options``."""
    configuration = derived_configuration(client.configuration, overrides)
    headers = derived_headers(client, overrides)
    derived = copy.copy(client)
    derived.configuration = configuration
    derived.default_headers = headers
    rest = copy.copy(client.rest_client)     # the same pools (the same ``_pools`` object)
    rest.configuration = configuration
    rest.close = _keep_open                  # type: ignore[method-assign]  # the owner closes
    derived.rest_client = rest
    derived._pool = None
    derived._pool_lock = threading.Lock()
    derived._local = threading.local()
    return derived


def _keep_open() -> None:
    """``close()`` of a derived client's transport: the connections are the original's."""
