"""The wire goldens through the asyncio client: the same requests, the same results.

Every golden test of test_wire_operations.py and test_wire_operations_2026.py (all 43
operations, each plainly and through ``*_with_http_info``) and the encoding tests of
test_wire_encoding.py run here unchanged, with their ``api`` fixture (and ``signing_api``)
replaced by an ``AsyncIntegrationApi`` seen through ``support.aio.SyncView``. Then, for
every operation of the call tables, the bytes the two clients put on the wire (request line,
headers in order, body, signature) are compared byte for byte on a raw socket.
"""

import asyncio
import inspect
import re
import warnings

import pytest

from support.aio import make_sync_view, require_aiohttp

require_aiohttp()

import talon_one  # noqa: E402
import talon_one.aio  # noqa: E402

from support import TEST_API_KEY, TEST_APPLICATION_ID, TEST_APPLICATION_KEY  # noqa: E402
from support.raw_server import RawServer, http_response  # noqa: E402

import test_wire_encoding  # noqa: E402
import test_wire_operations  # noqa: E402
import test_wire_operations_2026  # noqa: E402
from test_wire_encoding import V1_CALLS, V2_CALLS  # noqa: E402

# The golden tests themselves, collected again here against the fixtures below: every test
# of those modules that makes calls (takes ``api``, ``signing_api`` or ``make_api_client``),
# but for those of ``async_req`` (the async methods are coroutines already).
_CLIENT_FIXTURES = {'api', 'signing_api', 'make_api_client'}
for _module in (test_wire_operations, test_wire_operations_2026, test_wire_encoding):
    for _name, _test in vars(_module).items():
        if (_name.startswith('test_') and callable(_test) and 'async_req' not in _name
                and _CLIENT_FIXTURES & set(inspect.signature(_test).parameters)):
            globals()[_name] = _test


def _configuration(server_url, **settings):
    values = dict(host=server_url, api_key={'Authorization': TEST_API_KEY}, timeout=(5.0, 10.0),
                  retry_backoff_factor=0.001, retry_max_backoff=0.01)
    values.update(settings)
    return talon_one.Configuration(**values)


@pytest.fixture
def api(http_server):
    view, close = make_sync_view(_configuration(http_server.url))
    yield view
    close()


@pytest.fixture
def signing_api(http_server):
    view, close = make_sync_view(_configuration(
        http_server.url, application_id=TEST_APPLICATION_ID,
        application_key=TEST_APPLICATION_KEY))
    yield view
    close()


@pytest.fixture
def make_api_client(http_server, monkeypatch):
    """The async client where a test builds its own (``IntegrationApi(make_api_client(...))``
    in test_wire_encoding becomes the AsyncIntegrationApi's SyncView)."""
    monkeypatch.setattr(talon_one, 'IntegrationApi', lambda view: view)
    closers = []

    def make(pool_threads=1, **settings):
        view, close = make_sync_view(_configuration(http_server.url, **settings))
        closers.append(close)
        return view
    yield make
    for close in closers:
        close()


# -- byte for byte ------------------------------------------------------------------------

def _recording(raw, status):
    reply = http_response(status, b'' if status == 204 else b'{}',
                          {'Content-Type': 'application/json'})

    def behave(conn, server):
        buffer = b''
        while True:
            while b'\r\n\r\n' not in buffer:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                buffer += chunk
            head, _, rest = buffer.partition(b'\r\n\r\n')
            length = 0
            for line in head.split(b'\r\n')[1:]:
                name, _, value = line.partition(b':')
                if name.strip().lower() == b'content-length':
                    length = int(value)
            while len(rest) < length:
                rest += conn.recv(65536)
            raw.append(head + b'\r\n\r\n' + rest[:length])
            buffer = rest[length:]
            conn.sendall(reply)
    return behave


ALL_CALLS = V1_CALLS + V2_CALLS


def test_the_call_tables_cover_every_async_operation():
    names = sorted(call[0] for call in ALL_CALLS)
    public = sorted(name for name in vars(talon_one.aio.AsyncIntegrationApi)
                    if not name.startswith('_') and not name.endswith('_with_http_info'))
    assert names == public and len(names) == 43


@pytest.mark.parametrize('signed', [False, True], ids=['api-key', 'signed'])
@pytest.mark.parametrize('call', ALL_CALLS, ids=[call[0] for call in ALL_CALLS])
def test_both_clients_send_the_same_bytes(call, signed):
    name, make_args, kwargs, status = call
    settings = dict(application_id=TEST_APPLICATION_ID,
                    application_key=TEST_APPLICATION_KEY) if signed else {}
    raw = []
    with RawServer(_recording(raw, status)) as server:
        configuration = _configuration(server.url, **settings)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', DeprecationWarning)
            with talon_one.ApiClient(configuration) as client:
                sync_result = getattr(talon_one.api.integration_api.IntegrationApi(client),
                                      name)(*make_args(), **kwargs)
                sync_info = getattr(talon_one.api.integration_api.IntegrationApi(client),
                                    name + '_with_http_info')(*make_args(), **kwargs)

            async def run():
                async with talon_one.aio.AsyncApiClient(configuration) as client:
                    api = talon_one.aio.AsyncIntegrationApi(client)
                    result = await getattr(api, name)(*make_args(), **kwargs)
                    info = await getattr(api, name + '_with_http_info')(*make_args(), **kwargs)
                    return result, info
            async_result, async_info = asyncio.run(run())
    assert len(raw) == 4
    # The POSTs documented as idempotent carry an Idempotency-Key of their own per call (both
    # clients, at the same place of the head): the rest of the bytes are the same.
    keys = [re.findall(rb'\r\nIdempotency-Key: ([^\r]+)', head) for head in raw]
    if name in ('return_cart_items', 'track_event_v3'):
        assert all(len(found) == 1 for found in keys) and len({k[0] for k in keys}) == 4
        raw = [re.sub(rb'(\r\nIdempotency-Key: )[^\r]+', rb'\1KEY', head) for head in raw]
    else:
        assert keys == [[], [], [], []]
    assert raw[2] == raw[0] and raw[3] == raw[1]
    assert raw[0] == raw[1]
    assert type(async_result) is type(sync_result) and async_result == sync_result
    assert async_info[1:] == (sync_info[1], sync_info[2]) or (
        async_info[1] == sync_info[1] and dict(async_info[2]) == dict(sync_info[2]))
    assert async_info[0] == sync_info[0]
