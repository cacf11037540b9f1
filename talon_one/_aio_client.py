"""AsyncApiClient: the asyncio client (``talon_one.aio``), on aiohttp.

It shares everything but the sending with ``ApiClient``: the configuration, the headers and
credentials (``talon_one._client.ClientBase``), the request builder, the codec that turns a
response into lazy models (``talon_one._response.decode_response``), the exceptions and the
decisions of every call (``talon_one._calls``). One client holds one aiohttp session, made
on first use inside the running event loop; share the client between tasks.
"""

from typing import TYPE_CHECKING, Any, Optional, Type

from talon_one import _ordering
from talon_one._aio_transport import AsyncTransport, _AsyncCall
from talon_one._client import ClientBase
from talon_one._configuration import Configuration
from talon_one._request import PreparedRequest, RequestOptions
from talon_one._response import ResponseType, decode_response

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ['AsyncApiClient']


class AsyncApiClient(ClientBase):
    """The asyncio client of the Talon.One Integration API (``async with`` closes it).

    :param configuration: a Configuration; defaults to a copy of ``Configuration.get_default()``.
    :param header_name: name of a header sent with every request.
    :param header_value: its value.
    :param cookie: value of a Cookie header sent with every request.

    ``connection_pool_maxsize`` bounds the connections per host (calls beyond it wait for
    one); the TLS settings, the (http or https) proxy, timeouts and retries mean what they
    mean for ``ApiClient``. ``Configuration.retries`` (a urllib3 ``Retry``) does not apply:
    the SDK's retry policy always decides.
    """

    def __init__(self, configuration: Optional[Configuration] = None,
                 header_name: Optional[str] = None, header_value: Optional[str] = None,
                 cookie: Optional[str] = None) -> None:
        super().__init__(configuration, header_name, header_value, cookie)
        self.rest_client = AsyncTransport(self.configuration)

    async def __aenter__(self) -> 'AsyncApiClient':
        return self

    async def __aexit__(self, exc_type: Optional[Type[BaseException]],
                        exc_value: Optional[BaseException],
                        traceback: Optional['TracebackType']) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the connections (a later call opens new ones)."""
        await self.rest_client.close()

    async def _run(self, request: PreparedRequest, options: RequestOptions,
                   response_type: ResponseType) -> Any:
        async with _ordering.in_turn_async(self, request, options):   # issue 20
            response = await _AsyncCall(self.rest_client, request, options).run()
        data = decode_response(response, response_type, self.configuration)
        if options.data_only:
            return data
        return data, response.status, response.headers
