"""with_options: a new client on the same connections, differing only in the given settings
(timeout, total_timeout, max_retries, retry_non_idempotent, default_headers); the original
is unchanged. Sync and asyncio clients and APIs, on real sockets."""

import asyncio
import time

import pytest

import talon_one
from talon_one import ApiTimeoutError, ApiTypeError, ApiValueError, ServiceException

from support import TEST_API_KEY
from support.raw_server import RawServer, http_response
from test_hooks import STATE, replying

OK = http_response(200, STATE, {'Content-Type': 'application/json'})
UNAVAILABLE = http_response(503, b'{}', {'Retry-After': '0'})


def _client(url, **settings):
    values = {'host': url, 'api_key': {'Authorization': TEST_API_KEY},
              'retry_backoff_factor': 0.001, 'retry_max_backoff': 0.01, 'timeout': (2.0, 5.0)}
    values.update(settings)
    return talon_one.ApiClient(talon_one.Configuration(**values))


def test_the_derived_client_shares_the_connection_and_differs_only_in_its_settings():
    with RawServer(replying(OK)) as server:
        with _client(server.url) as client:
            derived = client.with_options(timeout=1.5, total_timeout=3.0, max_retries=0,
                                          retry_non_idempotent=True,
                                          default_headers={'X-Shop': 'berlin'})
            talon_one.IntegrationApi(client).get_customer_session('s1')
            talon_one.IntegrationApi(derived).get_customer_session('s1')
            talon_one.IntegrationApi(client).get_customer_session('s1')
            assert server.connections == 1     # one pooled connection for both clients
            assert derived.rest_client._pools is client.rest_client._pools
            derived.close()                    # leaves the shared pools open
            talon_one.IntegrationApi(client).get_customer_session('s1')
            assert server.connections == 1
    original, changed = client.configuration, derived.configuration
    assert (original.timeout, original.total_timeout, original.max_retries,
            original.retry_non_idempotent) == ((2.0, 5.0), 60.0, 2, False)
    assert (changed.timeout, changed.total_timeout, changed.max_retries,
            changed.retry_non_idempotent) == (1.5, 3.0, 0, True)
    assert changed.api_key == original.api_key and changed.host == original.host
    assert [r[2].get('x-shop') for r in server.requests] == [None, 'berlin', None, None]
    assert 'X-Shop' not in client.default_headers
    assert derived.user_agent == client.user_agent


def test_max_retries_and_retry_non_idempotent_apply_to_the_derived_client_only():
    with RawServer(replying(UNAVAILABLE, UNAVAILABLE, OK)) as server:
        with _client(server.url) as client:
            api = talon_one.IntegrationApi(client)
            with pytest.raises(ServiceException):
                api.with_options(max_retries=0).get_customer_session('s1')
            assert len(server.requests) == 1
    with RawServer(replying(UNAVAILABLE, UNAVAILABLE, OK)) as server:
        with _client(server.url) as client:
            api = talon_one.IntegrationApi(client)
            event = talon_one.IntegrationEventV2Request(profile_id='p', type='t')
            with pytest.raises(ServiceException):
                api.track_event_v2(event)               # a POST: not retried
            retried = api.with_options(retry_non_idempotent=True)
            assert isinstance(retried, talon_one.IntegrationApi)
            assert retried.api_client is not client
            retried.track_event_v2(event)                # 503 -> retried -> 200
    assert len(server.requests) == 3


def test_the_derived_timeouts_bound_the_calls():
    def silent(conn, server):
        server.read_request(conn)
        conn.recv(1)

    with RawServer(silent) as server:
        with _client(server.url) as client:
            fast = talon_one.IntegrationApi(client.with_options(timeout=0.3, max_retries=0))
            started = time.monotonic()
            with pytest.raises(ApiTimeoutError) as caught:
                fast.get_customer_session('s1')
            assert caught.value.limit == 'attempt'
            bounded = talon_one.IntegrationApi(client).with_options(total_timeout=0.4)
            with pytest.raises(ApiTimeoutError) as caught:
                bounded.get_customer_session('s1')
            assert caught.value.limit == 'total'
            assert time.monotonic() - started < 3.0


def test_bad_settings_raise_at_once():
    client = _client('http://127.0.0.1:9')
    with pytest.raises(ApiTypeError, match="unexpected keyword argument 'max_retry'"):
        client.with_options(max_retry=1)  # type: ignore[call-arg]
    with pytest.raises(ApiValueError):
        client.with_options(max_retries=-1)
    with pytest.raises(ApiValueError):
        client.with_options(retry_non_idempotent='yes')  # type: ignore[typeddict-item]
    with pytest.raises(ApiValueError):
        client.with_options(default_headers=['X-A'])  # type: ignore[typeddict-item]
    assert client.configuration.max_retries == 2


def test_a_derived_client_of_a_derived_client():
    with RawServer(replying(OK)) as server:
        with _client(server.url) as client:
            second = client.with_options(max_retries=0).with_options(
                default_headers={'X-A': '1'})
            talon_one.IntegrationApi(second).get_customer_session('s1')
            assert second.configuration.max_retries == 0
            assert second.rest_client._pools is client.rest_client._pools


def test_async_clients_share_the_session():
    pytest.importorskip('aiohttp', reason='talon_one.aio needs aiohttp')
    from talon_one.aio import AsyncApiClient, AsyncIntegrationApi

    with RawServer(replying(UNAVAILABLE, OK)) as server:
        async def go():
            configuration = _client(server.url).configuration
            async with AsyncIntegrationApi(AsyncApiClient(configuration)) as api:
                derived = api.with_options(max_retries=0, default_headers={'X-Shop': 'b'})
                assert isinstance(derived, AsyncIntegrationApi)
                with pytest.raises(ServiceException):
                    await derived.get_customer_session('s1')      # 503, no retry
                async with derived:
                    pass                                        # leaves the session open
                assert derived.api_client.rest_client.session is api.api_client.rest_client.session
                await api.get_customer_session('s1')            # the original: 200
                again = derived.api_client.with_options(timeout=1.0)
                assert again.rest_client.session is api.api_client.rest_client.session
                assert api.api_client.configuration.max_retries == 2
        asyncio.run(go())
    assert server.connections == 1
    assert [r[2].get('x-shop') for r in server.requests] == ['b', None]
