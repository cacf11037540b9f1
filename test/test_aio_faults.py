"""Calm under faults, for the asyncio client: test_faults.py's cases on real sockets.

Each case asserts the exception class (the same as the sync client's), how many requests
the server received and that the call ended within its limits (generous margins: bounds,
not speed checks). Then what only asyncio has: cancellation and ``asyncio.timeout`` close
the connection and propagate, waits are ``asyncio.sleep``, and 256 concurrent calls share
one client within its connection limit.
"""

import asyncio
import json
import logging
import socket
import ssl
import sys
import threading
import time

import pytest

from support.aio import require_aiohttp

require_aiohttp()

import talon_one  # noqa: E402
from talon_one import (ApiConnectionError, ApiRedirectError, ApiResponseError,  # noqa: E402
                       ApiSSLError, ApiTimeoutError, ServiceException, TooManyRequestsException)
from talon_one import _aio_transport  # noqa: E402
from talon_one.aio import AsyncApiClient, AsyncIntegrationApi  # noqa: E402

from support import TEST_API_KEY, TEST_APPLICATION_ID, TEST_APPLICATION_KEY  # noqa: E402
from support.raw_server import RawServer, http_response  # noqa: E402
from test_faults import (_cut_by_close, _reset_mid_body, _silent, _state,  # noqa: E402
                         _trickling_body, replying)

MARGIN = 1.5  # seconds a call may run past its limit on a busy machine


def make_api(server_url, **settings):
    config = dict(host=server_url, api_key={'Authorization': TEST_API_KEY},
                  retry_backoff_factor=0.01, retry_max_backoff=0.05, timeout=(2.0, 5.0))
    config.update(settings)
    return AsyncIntegrationApi(AsyncApiClient(talon_one.Configuration(**config)))


def call(api, name, *args, **kwargs):
    """Run one call of ``api`` on a new event loop (closing the client after it)."""
    async def go():
        async with api:
            return await getattr(api, name)(*args, **kwargs)
    return asyncio.run(go())


def timed(function, *args, **kwargs):
    started = time.monotonic()
    try:
        return function(*args, **kwargs)
    finally:
        timed.elapsed = time.monotonic() - started


def _event():
    return talon_one.IntegrationEventV2Request(profile_id='p', type='pageView', attributes={})


# -- time limits ----------------------------------------------------------------------------

@pytest.mark.parametrize('timeout, limit, bound', [((2, 1), 'read', 1.0), (1, 'attempt', 1.0)])
def test_a_trickling_body_cannot_outlast_the_timeout(timeout, limit, bound):
    with RawServer(_trickling_body) as server:
        api = make_api(server.url, max_retries=0)
        with pytest.raises(ApiTimeoutError) as caught:
            timed(call, api, 'get_customer_session', 's', _request_timeout=timeout)
    assert caught.value.limit == limit
    assert timed.elapsed < bound + MARGIN
    assert len(server.requests) == 1
    assert 'ran out' in str(caught.value)


def test_total_timeout_bounds_every_attempt_and_wait():
    with RawServer(_silent) as server:
        api = make_api(server.url, max_retries=5, retry_backoff_factor=0.2, total_timeout=2.0)
        with pytest.raises(ApiTimeoutError) as caught:
            timed(call, api, 'get_customer_session', 's', _request_timeout=0.8)
    assert caught.value.limit == 'total'
    assert 'total_timeout of 2 s ran out' in str(caught.value)
    assert 1.8 < timed.elapsed < 2.0 + MARGIN
    assert 2 <= len(server.requests) <= 3


def test_per_call_total_timeout_wins_over_the_configured_one():
    with RawServer(_silent) as server:
        api = make_api(server.url, total_timeout=30.0)
        with pytest.raises(ApiTimeoutError) as caught:
            timed(call, api, 'get_customer_session', 's', _total_timeout=0.5)
    assert caught.value.limit == 'total' and timed.elapsed < 0.5 + MARGIN


def test_accept_and_never_answer_is_bounded_by_the_read_timeout():
    with RawServer(_silent) as server:
        api = make_api(server.url, max_retries=0)
        with pytest.raises(ApiTimeoutError) as caught:
            timed(call, api, 'get_customer_session', 's', _request_timeout=(1, 0.5))
    assert caught.value.limit == 'read' and timed.elapsed < 0.5 + MARGIN


def test_a_hung_read_is_retried_for_a_put_within_the_readme_budget():
    with RawServer(_silent) as server:
        api = make_api(server.url)
        request = talon_one.IntegrationRequest(
            customer_session=talon_one.NewCustomerSessionV2(profile_id='URNGV8294NV'))
        with pytest.raises(ApiTimeoutError):
            timed(call, api, 'update_customer_session_v2', 'session-1', request,
                  _request_timeout=0.6, _total_timeout=1.0)
    assert timed.elapsed < 1.0 + 0.5
    assert len(server.requests) == 2


def test_connection_refused_is_retried_then_raised():
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    port = listener.getsockname()[1]
    listener.close()   # nothing listens there now
    api = make_api('http://127.0.0.1:%d' % port, max_retries=2)
    with pytest.raises(ApiConnectionError) as caught:
        timed(call, api, 'track_event_v2', _event())   # a POST: it never reached a server
    assert not isinstance(caught.value, ApiTimeoutError)
    assert 'refused' in str(caught.value).lower() and timed.elapsed < MARGIN
    assert caught.value.method == 'POST'


# -- Retry-After and writes ---------------------------------------------------------------

def test_a_long_retry_after_raises_at_once_with_the_wait():
    response = http_response(429, b'{"message": "slow down"}', {'Retry-After': '3600'},
                             reason='Too Many Requests')
    with RawServer(replying(response)) as server:
        with pytest.raises(TooManyRequestsException) as caught:
            timed(call, make_api(server.url), 'get_customer_session', 's')
    assert caught.value.retry_after == 3600.0
    assert caught.value.message == 'slow down'
    assert len(server.requests) == 1 and timed.elapsed < MARGIN


def test_retry_after_is_waited_with_asyncio_sleep(monkeypatch):
    waits = []

    async def record(seconds):
        waits.append(seconds)
    monkeypatch.setattr(_aio_transport, 'sleep', record)
    busy = http_response(503, b'{}', {'Retry-After': '0.25'}, reason='Service Unavailable')
    with RawServer(replying(busy, http_response(200, _state()))) as server:
        state = call(make_api(server.url, retry_max_backoff=1.0), 'get_customer_session', 's')
    assert state.effects == [] and waits == [0.25] and len(server.requests) == 2


def test_retry_after_as_an_http_date_longer_than_the_time_left():
    response = http_response(503, b'{}', {'Retry-After': 'Fri, 31 Dec 2100 23:59:59 GMT'},
                             reason='Service Unavailable')
    with RawServer(replying(response)) as server:
        with pytest.raises(ServiceException) as caught:
            call(make_api(server.url, retry_max_backoff=10 ** 9), 'get_customer_session', 's')
    assert caught.value.retry_after > 10 ** 9 / 2
    assert len(server.requests) == 1


def test_a_post_is_sent_once_on_503_unless_the_user_opts_in():
    response = http_response(503, b'{"message": "busy"}', reason='Service Unavailable')
    with RawServer(replying(response)) as server:
        with pytest.raises(ServiceException):
            call(make_api(server.url, max_retries=2), 'track_event_v2', _event())
        assert [r[1] for r in server.requests] == ['/v2/events']
        with pytest.raises(ServiceException):
            call(make_api(server.url, max_retries=2), 'track_event_v2', _event(),
                 _retry_non_idempotent=True)
        assert len(server.requests) == 1 + 3
    with RawServer(replying(response)) as server:
        with pytest.raises(ServiceException):
            call(make_api(server.url, max_retries=2, retry_non_idempotent=True),
                 'track_event_v2', _event())
        assert len(server.requests) == 3


@pytest.mark.parametrize('behave', [_reset_mid_body, _cut_by_close])
def test_a_broken_response_is_retried_for_get_but_not_for_post(behave):
    with RawServer(behave) as server:
        with pytest.raises(ApiConnectionError):
            call(make_api(server.url, max_retries=2), 'get_customer_session', 's')
        assert len(server.requests) == 3
        with pytest.raises(ApiConnectionError):
            call(make_api(server.url, max_retries=2), 'track_event_v2', _event(), silent='no')
        assert len(server.requests) == 4


def test_html_502_from_a_gateway():
    page = b'<html><body><h1>502 Bad Gateway</h1></body></html>'
    response = http_response(502, page, {'Content-Type': 'text/html'}, reason='Bad Gateway')
    with RawServer(replying(response)) as server:
        with pytest.raises(ServiceException) as caught:
            call(make_api(server.url, max_retries=1), 'get_customer_session', 's')
    assert caught.value.status == 502 and caught.value.body == page.decode()
    assert caught.value.headers['Content-Type'] == 'text/html'
    assert caught.value.reason == 'Bad Gateway'
    assert len(server.requests) == 2


# -- success bodies -----------------------------------------------------------------------

@pytest.mark.parametrize('body, problem', [
    (b'', 'empty'), (b'"a string"', 'JSON string'), (b'[1, 2]', 'JSON array'),
    (b'null', 'JSON null'), (b'42', 'JSON number'), (b'{"effects": [', 'not JSON'),
])
def test_a_model_needs_a_json_object(body, problem):
    response = http_response(200, body, {'Content-Type': 'application/json'})
    with RawServer(replying(response)) as server:
        with pytest.raises(ApiResponseError) as caught:
            call(make_api(server.url), 'get_customer_session', 's')
    error = caught.value
    assert error.status == 200 and problem in str(error) and error.body == body.decode()
    assert error.headers['Content-Type'] == 'application/json'


def test_no_body_operations_still_return_none():
    async def go(api):
        async with api:
            return (await api.delete_audience_v2(7), await api.track_event_v2(_event()))
    with RawServer(replying(http_response(204, reason='No Content'))) as server:
        assert asyncio.run(go(make_api(server.url))) == (None, None)


# -- redirects ------------------------------------------------------------------------------

def _redirecting(status, location):
    return replying(http_response(status, b'', {'Location': location}, reason='Moved'))


@pytest.mark.parametrize('status', [301, 302, 307, 308])
def test_no_credentials_or_body_reach_another_host(status):
    with RawServer(replying(http_response(200, b'{}'))) as other:
        with RawServer(_redirecting(status, other.url + '/steal')) as server:
            settings = dict(application_id=TEST_APPLICATION_ID,
                            application_key=TEST_APPLICATION_KEY, api_key={})
            with pytest.raises(ApiRedirectError) as caught:
                call(make_api(server.url, **settings), 'get_customer_inventory', 'p')
            with pytest.raises(ApiRedirectError):
                call(make_api(server.url, **settings), 'update_customer_profile_v2', 'p',
                     talon_one.CustomerProfileIntegrationRequestV2(attributes={'secret': 'body'}))
        assert other.connections == 0 and other.requests == []
    assert caught.value.status == status
    assert caught.value.location == other.url + '/steal'
    assert 'another host' in str(caught.value)
    signed = server.requests[0][2]
    assert signed['content-signature'].startswith('signer=%d;' % TEST_APPLICATION_ID)


def test_a_redirect_on_the_same_host_is_followed_with_the_body():
    state = http_response(200, _state())

    def behave(conn, server):
        while True:
            request = server.read_request(conn)
            if request is None:
                return
            if request[1].startswith('/v2/customer_sessions/old'):
                conn.sendall(http_response(307, b'', {'Location': '/v2/customer_sessions/new'}))
            else:
                conn.sendall(state)

    with RawServer(behave) as server:
        body = talon_one.IntegrationRequest(customer_session=talon_one.NewCustomerSessionV2(
            profile_id='p'))
        call(make_api(server.url), 'update_customer_session_v2', 'old', body)
    (first, second) = server.requests
    assert (first[0], second[0]) == ('PUT', 'PUT')
    assert second[1] == '/v2/customer_sessions/new' and second[3] == first[3] != b''


def test_too_many_redirects():
    with RawServer(_redirecting(302, '/again')) as server:
        with pytest.raises(ApiRedirectError, match='more than 3 redirects'):
            call(make_api(server.url), 'get_customer_session', 's')
    assert len(server.requests) == 4


# -- TLS ----------------------------------------------------------------------------------

def test_a_self_signed_server_fails_verification_unless_trusted(self_signed):
    cert, context = self_signed
    with RawServer(replying(http_response(200, _state())), tls_context=context) as server:
        with pytest.raises(ApiSSLError):
            call(make_api(server.url), 'get_customer_session', 's')
        trusted = call(make_api(server.url, ssl_ca_cert=cert), 'get_customer_session', 's')
        unverified = call(make_api(server.url, verify_ssl=False), 'get_customer_session', 's')
    assert trusted.effects == [] and unverified.effects == []


# -- secrets ------------------------------------------------------------------------------

def test_secrets_are_not_in_logs_or_errors(caplog):
    response = http_response(503, b'{"message": "busy"}', reason='Service Unavailable')
    with RawServer(replying(response)) as server:
        api = make_api(server.url, max_retries=1, application_id=TEST_APPLICATION_ID,
                       application_key=TEST_APPLICATION_KEY)
        with caplog.at_level(logging.DEBUG, logger='talon_one'):
            with pytest.raises(ServiceException) as caught:
                call(api, 'get_customer_inventory', 'p')
    shown = caplog.text + str(caught.value) + repr(caught.value) + repr(api.api_client)
    assert 'GET %s/v1/customer_profiles/p/inventory -> 503' % server.url in caplog.text
    assert TEST_API_KEY not in shown and TEST_APPLICATION_KEY not in shown
    assert 'signature=' not in shown


# -- asyncio: cancellation, concurrency ----------------------------------------------------

def _hanging(events):
    def behave(conn, server):
        server.read_request(conn)
        events.append('request')
        conn.settimeout(10)
        try:
            closed = conn.recv(1) == b''
        except OSError:
            closed = True
        events.append('closed' if closed else 'data')
    return behave


def _wait_for(events, item, seconds=5.0):
    deadline = time.monotonic() + seconds
    while item not in events and time.monotonic() < deadline:
        time.sleep(0.01)
    return item in events


def test_cancelling_a_call_closes_its_connection_and_propagates():
    events = []
    with RawServer(_hanging(events)) as server:
        async def go():
            async with make_api(server.url, total_timeout=None, timeout=None) as api:
                task = asyncio.ensure_future(api.get_customer_session('s'))
                while 'request' not in events:
                    await asyncio.sleep(0.01)
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
                return task.cancelled()
        assert asyncio.run(go()) is True
        assert _wait_for(events, 'closed')
    assert len(server.requests) == 1


@pytest.mark.skipif(sys.version_info < (3, 11), reason='asyncio.timeout is Python 3.11+')
def test_asyncio_timeout_around_a_call_is_the_callers_timeout():
    events = []
    with RawServer(_hanging(events)) as server:
        async def go():
            async with make_api(server.url, total_timeout=None, timeout=None) as api:
                started = time.monotonic()
                with pytest.raises(TimeoutError) as caught:
                    async with asyncio.timeout(0.3):
                        await api.get_customer_session('s')
                assert not isinstance(caught.value, talon_one.ApiException)
                # The task is not left cancelled: it goes on as usual.
                await asyncio.sleep(0.01)
                return time.monotonic() - started
        assert asyncio.run(go()) < 0.3 + MARGIN
        assert _wait_for(events, 'closed')


def test_a_call_timeout_leaves_the_task_usable_and_uncancelled():
    with RawServer(_silent) as server:
        async def go():
            async with make_api(server.url, max_retries=0) as api:
                with pytest.raises(ApiTimeoutError):
                    await api.get_customer_session('s', _request_timeout=(1, 0.2))
                task = asyncio.current_task()
                cancelling = getattr(task, 'cancelling', lambda: 0)()
                await asyncio.sleep(0.05)   # would raise CancelledError if one were pending
                return cancelling
        assert asyncio.run(go()) == 0


@pytest.mark.parametrize('limit', [8, 32])
def test_256_concurrent_calls_share_one_client_within_its_connection_limit(limit):
    active = []
    peak = [0]
    lock = threading.Lock()

    def behave(conn, server):
        with lock:
            active.append(conn)
            peak[0] = max(peak[0], len(active))
        try:
            while server.read_request(conn) is not None:
                conn.sendall(http_response(200, _state()))
        finally:
            with lock:
                active.remove(conn)

    with RawServer(behave) as server:
        async def go():
            async with make_api(server.url, connection_pool_maxsize=limit) as api:
                results = await asyncio.gather(
                    *(api.get_customer_session('s%d' % index) for index in range(256)),
                    return_exceptions=True)
            return results
        results = asyncio.run(go())
    errors = [result for result in results if isinstance(result, BaseException)]
    assert errors == []
    assert all(result.effects == [] for result in results)
    assert len(server.requests) == 256
    assert server.connections <= limit and peak[0] <= limit


def test_the_client_can_be_used_on_another_loop_after_close():
    with RawServer(replying(http_response(200, _state()))) as server:
        api = make_api(server.url)
        first = call(api, 'get_customer_session', 's')
        second = call(api, 'get_customer_session', 's')   # a new asyncio.run: a new session
    assert first == second


def test_json_bodies_are_sent_as_the_sync_client_sends_them():
    with RawServer(replying(http_response(200, _state()))) as server:
        body = talon_one.IntegrationRequest(customer_session=talon_one.NewCustomerSessionV2(
            profile_id='p', cart_items=[talon_one.CartItem(name='é', sku='1', quantity=1,
                                                           price=1.5)]))
        call(make_api(server.url), 'update_customer_session_v2', 's', body)
    _method, _target, headers, sent = server.requests[0]
    assert json.loads(sent) == body.to_wire()
    assert headers['content-type'] == 'application/json'
    assert headers['accept-encoding'] == 'identity'


def test_an_ssl_context_is_made_from_the_configuration(self_signed, tmp_path):
    cert, _ = self_signed
    context = _aio_transport._ssl_context(talon_one.Configuration(ssl_ca_cert=cert))
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    loose = _aio_transport._ssl_context(talon_one.Configuration(verify_ssl=False))
    assert loose.verify_mode == ssl.CERT_NONE and not loose.check_hostname


# -- proxy --------------------------------------------------------------------------------

def test_an_http_proxy_is_used_as_by_the_sync_client():
    with RawServer(replying(http_response(200, _state()))) as proxy:
        settings = dict(proxy=proxy.url, proxy_headers={'Proxy-Authorization': 'Basic cHJveHk='})
        state = call(make_api('http://talon.example:8080', **settings),
                     'get_customer_session', 's')
        with talon_one.ApiClient(talon_one.Configuration(
                host='http://talon.example:8080', api_key={'Authorization': TEST_API_KEY},
                **settings)) as client:
            talon_one.IntegrationApi(client).get_customer_session('s')
    assert state.effects == []
    (async_request, sync_request) = proxy.requests
    for method, target, headers, _ in (async_request, sync_request):
        assert (method, target) == ('GET', 'http://talon.example:8080/v2/customer_sessions/s')
        assert headers.get('proxy-authorization') == 'Basic cHJveHk=', (method, headers)
        assert headers['authorization'] == 'ApiKey-v1 ' + TEST_API_KEY


def test_a_socks_proxy_is_refused_with_a_clear_error():
    with pytest.raises(talon_one.ApiValueError, match='http'):
        AsyncApiClient(talon_one.Configuration(proxy='socks5://127.0.0.1:1080'))
