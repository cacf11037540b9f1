"""Helpers for the tests of talon_one.aio (they skip when aiohttp is missing).

``SyncView(async_api)`` runs each coroutine method of an ``AsyncIntegrationApi`` to its end
on one event loop, so that the sync golden tests (test_wire_operations*.py,
test_wire_encoding.py) run unchanged through the async client: the same calls, the same
expected requests and results.
"""

import asyncio
import inspect

import pytest

AIOHTTP_MISSING = 'talon_one.aio needs aiohttp (pip install aiohttp; test-requirements.txt has it)'


def require_aiohttp():
    """Skip the calling module (or test) when aiohttp is not installed."""
    return pytest.importorskip('aiohttp', reason=AIOHTTP_MISSING)


class SyncView(object):
    """The methods of an async API, called like the sync ones (one loop for all calls)."""

    def __init__(self, async_api, loop):
        self._api = async_api
        self._loop = loop

    def __getattr__(self, name):
        value = getattr(self._api, name)
        if not inspect.iscoroutinefunction(value):
            return value

        def call(*args, **kwargs):
            return self._loop.run_until_complete(value(*args, **kwargs))
        call.__name__ = name
        return call


def make_sync_view(configuration):
    """(SyncView over a new AsyncIntegrationApi for ``configuration``, a close function)."""
    import talon_one.aio

    loop = asyncio.new_event_loop()
    client = talon_one.aio.AsyncApiClient(configuration)
    view = SyncView(talon_one.aio.AsyncIntegrationApi(client), loop)

    def close():
        loop.run_until_complete(client.close())
        loop.close()
    return view, close
