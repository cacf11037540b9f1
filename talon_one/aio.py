"""talon_one.aio: the asyncio client of the Talon.One Integration API, on aiohttp.

::

    async with talon_one.AsyncApiClient(configuration) as client:
        api = talon_one.AsyncIntegrationApi(client)
        state = await api.update_customer_session_v2('s1', request)

It needs aiohttp (``pip install 'talon_one[aio]'``). Requests, signatures, responses,
models, exceptions, timeouts and retries are those of the sync client; see the README,
"asyncio".
"""

try:
    from talon_one._aio_client import AsyncApiClient as AsyncApiClient
except ModuleNotFoundError as _missing:  # aiohttp (or one of its own dependencies)
    if _missing.name is None or _missing.name.split('.')[0] not in (
            'aiohttp', 'yarl', 'multidict', 'aiosignal', 'frozenlist', 'propcache',
            'aiohappyeyeballs'):
        raise
    raise ImportError("talon_one.aio needs aiohttp, which is not installed: "
                      "pip install 'talon_one[aio]' (or pip install aiohttp)",
                      name=_missing.name) from _missing

from talon_one._pagination import aiter_pages as aiter_pages
from talon_one.api.async_integration_api import AsyncIntegrationApi as AsyncIntegrationApi

__all__ = ['AsyncApiClient', 'AsyncIntegrationApi', 'aiter_pages']
