"""``AsyncApiClient.with_options``: the asyncio side of ``talon_one._client_options``."""

from typing import TYPE_CHECKING, Any, Mapping

import aiohttp

from talon_one._aio_transport import AsyncTransport
from talon_one._client_options import derived_configuration, derived_headers

if TYPE_CHECKING:
    from talon_one._aio_client import AsyncApiClient
    from talon_one._configuration import Configuration

__all__ = ['SharedAsyncTransport', 'derive_async_client']


class SharedAsyncTransport(AsyncTransport):
    """A transport with its own configuration that sends through its owner's aiohttp session
    (made by the owner on first use, and again for a new event loop); the owner closes it."""

    def __init__(self, owner: AsyncTransport, configuration: 'Configuration') -> None:
        # (not AsyncTransport.__init__: everything but the configuration is the owner's)
        self.__dict__.update(owner.__dict__)
        self.configuration = configuration
        self._owner = owner

    @property
    def session(self) -> aiohttp.ClientSession:
        return self._owner.session

    async def close(self) -> None:
        """Nothing to close: the connections are the original client's."""


def derive_async_client(client: 'AsyncApiClient',
                        overrides: Mapping[str, Any]) -> 'AsyncApiClient':
    """The client of ``AsyncApiClient.with_options`` (see ``talon_one._client_options``)."""
    import copy

    configuration = derived_configuration(client.configuration, overrides)
    headers = derived_headers(client, overrides)
    derived = copy.copy(client)
    derived.configuration = configuration
    derived.default_headers = headers
    base = client.rest_client
    owner = base._owner if isinstance(base, SharedAsyncTransport) else base
    derived.rest_client = SharedAsyncTransport(owner, configuration)
    return derived
