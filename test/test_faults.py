"""Calm under faults, against real sockets on 127.0.0.1 (test/support/raw_server.py).

Each case asserts the exception class, how many requests the server received, and that the
call ended within its configured limits: within SLACK of the limit (the watchdog's own
precision is pinned in test_mutation_pins.py). Where the point is that nothing waited, the
waits are recorded (``retry_sleeps``) instead of timed, so a busy machine fails nothing.
"""

import json
import logging
import multiprocessing
import os
import socket
import subprocess
import sys
import threading
import time

import pytest

import talon_one
from talon_one import (ApiConnectionError, ApiRedirectError, ApiResponseError, ApiSSLError,
                       ApiTimeoutError, ServiceException, TooManyRequestsException)
from talon_one._transport import _same_origin

from support import TEST_API_KEY, TEST_APPLICATION_ID, TEST_APPLICATION_KEY
from support.raw_server import RawServer, http_response, trickle

SLACK = 0.25  # seconds a call may end after its limit: the watchdog ticks every 0.02 s


def make_api(server_url, **settings):
    config = {'host': server_url, 'api_key': {'Authorization': TEST_API_KEY},
              'retry_backoff_factor': 0.01, 'retry_max_backoff': 0.05, 'timeout': (2.0, 5.0)}
    config.update(settings)
    return talon_one.IntegrationApi(talon_one.ApiClient(talon_one.Configuration(**config)))


def replying(*responses):
    """A behaviour answering each request on a connection with the next response (keep-alive);
    the last one is repeated."""
    def behave(conn, server):
        index = 0
        while server.read_request(conn) is not None:
            conn.sendall(responses[min(index, len(responses) - 1)])
            index += 1
    return behave


def timed(call):
    started = time.monotonic()
    try:
        call()
    finally:
        timed.elapsed = time.monotonic() - started


def _event():
    return talon_one.IntegrationEventV2Request(profile_id='p', type='pageView', attributes={})


def _state(**extra):
    return json.dumps(dict({'effects': []}, **extra)).encode()


# -- time limits ----------------------------------------------------------------------------

def _trickling_body(conn, server):
    server.read_request(conn)
    conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n'
                 b'Content-Length: 200\r\n\r\n{')
    trickle(conn, b' ' * 199, every=0.2)


@pytest.mark.parametrize('timeout, limit, bound', [((2, 1), 'read', 1.0), (1, 'attempt', 1.0)])
def test_a_trickling_body_cannot_outlast_the_timeout(timeout, limit, bound, no_gc_pause):
    with RawServer(_trickling_body) as server:
        api = make_api(server.url, max_retries=0)
        with pytest.raises(ApiTimeoutError) as caught:
            timed(lambda: api.get_customer_session('s', _request_timeout=timeout))
    assert caught.value.limit == limit
    assert timed.elapsed < bound + SLACK
    assert len(server.requests) == 1
    assert 'ran out' in str(caught.value)


def _silent(conn, server):
    server.read_request(conn)
    time.sleep(30)


def test_total_timeout_bounds_every_attempt_and_wait(no_gc_pause):
    with RawServer(_silent) as server:
        api = make_api(server.url, max_retries=5, retry_backoff_factor=0.2, total_timeout=2.0)
        with pytest.raises(ApiTimeoutError) as caught:
            timed(lambda: api.get_customer_session('s', _request_timeout=0.8))
    assert caught.value.limit == 'total'
    assert 'total_timeout of 2 s ran out' in str(caught.value)
    assert 1.8 < timed.elapsed < 2.0 + SLACK
    assert 2 <= len(server.requests) <= 3


def test_per_call_total_timeout_wins_over_the_configured_one(no_gc_pause):
    with RawServer(_silent) as server:
        api = make_api(server.url, total_timeout=30.0)
        with pytest.raises(ApiTimeoutError) as caught:
            timed(lambda: api.get_customer_session('s', _total_timeout=0.5))
    assert caught.value.limit == 'total' and timed.elapsed < 0.5 + SLACK


def test_accept_and_never_answer_is_bounded_by_the_read_timeout(no_gc_pause):
    with RawServer(_silent) as server:
        api = make_api(server.url, max_retries=0)
        with pytest.raises(ApiTimeoutError) as caught:
            timed(lambda: api.get_customer_session('s', _request_timeout=(1, 0.5)))
    assert caught.value.limit == 'read' and timed.elapsed < 0.5 + SLACK


def test_connection_refused_is_retried_then_raised(retry_sleeps):
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    port = listener.getsockname()[1]
    listener.close()   # nothing listens there now
    api = make_api('http://127.0.0.1:%d' % port, max_retries=2)
    with pytest.raises(ApiConnectionError) as caught:
        timed(lambda: api.track_event_v2(_event()))   # a POST: it never reached a server
    assert not isinstance(caught.value, ApiTimeoutError)
    assert 'refused' in str(caught.value).lower()
    assert len(retry_sleeps) == 2 and all(0 <= wait <= 0.05 for wait in retry_sleeps)


# -- Retry-After and writes ---------------------------------------------------------------

def test_a_long_retry_after_raises_at_once_with_the_wait(retry_sleeps):
    response = http_response(429, b'{"message": "slow down"}', {'Retry-After': '3600'},
                             reason='Too Many Requests')
    with RawServer(replying(response)) as server:
        api = make_api(server.url)
        with pytest.raises(TooManyRequestsException) as caught:
            api.get_customer_session('s')
    assert caught.value.retry_after == 3600.0
    assert caught.value.message == 'slow down'
    assert len(server.requests) == 1 and retry_sleeps == []


def test_retry_after_as_an_http_date_longer_than_the_time_left():
    response = http_response(503, b'{}', {'Retry-After': 'Fri, 31 Dec 2100 23:59:59 GMT'},
                             reason='Service Unavailable')
    with RawServer(replying(response)) as server:
        api = make_api(server.url, retry_max_backoff=10 ** 9)
        with pytest.raises(ServiceException) as caught:
            api.get_customer_session('s')
    assert caught.value.retry_after > 10 ** 9 / 2
    assert len(server.requests) == 1


def test_a_post_is_sent_once_on_503_unless_the_user_opts_in():
    response = http_response(503, b'{"message": "busy"}', reason='Service Unavailable')
    with RawServer(replying(response)) as server:
        api = make_api(server.url, max_retries=2)
        with pytest.raises(ServiceException):
            api.track_event_v2(_event())
        assert [r[1] for r in server.requests] == ['/v2/events']
        with pytest.raises(ServiceException):
            api.track_event_v2(_event(), _retry_non_idempotent=True)
        assert len(server.requests) == 1 + 3
    with RawServer(replying(response)) as server:
        api = make_api(server.url, max_retries=2, retry_non_idempotent=True)
        with pytest.raises(ServiceException):
            api.track_event_v2(_event())
        assert len(server.requests) == 3


def _reset_mid_body(conn, server):
    server.read_request(conn)
    conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{"effects": [')
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b'\x01\x00\x00\x00\x00\x00\x00\x00')
    conn.close()   # linger 0: a reset


def _cut_by_close(conn, server):
    server.read_request(conn)
    conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{"effects": [')
    conn.shutdown(socket.SHUT_WR)


@pytest.mark.parametrize('behave', [_reset_mid_body, _cut_by_close])
def test_a_broken_response_is_retried_for_get_but_not_for_post(behave):
    with RawServer(behave) as server:
        api = make_api(server.url, max_retries=2)
        with pytest.raises(ApiConnectionError):
            api.get_customer_session('s')
        assert len(server.requests) == 3
        with pytest.raises(ApiConnectionError):
            api.track_event_v2(_event(), silent='no')
        assert len(server.requests) == 4


def test_html_502_from_a_gateway():
    page = b'<html><body><h1>502 Bad Gateway</h1></body></html>'
    response = http_response(502, page, {'Content-Type': 'text/html'}, reason='Bad Gateway')
    with RawServer(replying(response)) as server:
        api = make_api(server.url, max_retries=1)
        with pytest.raises(ServiceException) as caught:
            api.get_customer_session('s')
    assert caught.value.status == 502 and caught.value.body == page.decode()
    assert caught.value.headers['Content-Type'] == 'text/html'
    assert len(server.requests) == 2


# -- success bodies -----------------------------------------------------------------------

@pytest.mark.parametrize('body, problem', [
    (b'', 'empty'), (b'"a string"', 'JSON string'), (b'[1, 2]', 'JSON array'),
    (b'null', 'JSON null'), (b'42', 'JSON number'), (b'{"effects": [', 'not JSON'),
])
def test_a_model_needs_a_json_object(body, problem):
    response = http_response(200, body, {'Content-Type': 'application/json'})
    with RawServer(replying(response)) as server:
        api = make_api(server.url)
        with pytest.raises(ApiResponseError) as caught:
            api.get_customer_session('s')
    error = caught.value
    assert error.status == 200 and problem in str(error) and error.body == body.decode()
    assert error.headers['Content-Type'] == 'application/json'


def test_no_body_operations_still_return_none():
    with RawServer(replying(http_response(204, reason='No Content'))) as server:
        api = make_api(server.url)
        assert api.delete_audience_v2(7) is None
        assert api.track_event_v2(_event()) is None   # silent: the server answers 204


def test_a_50_mb_body_is_read_and_parsed():
    big = json.dumps({'customerSession': {'integrationId': 's', 'attributes': {
        'blob': 'x' * (50 * 1024 * 1024)}}, 'effects': []}).encode()
    with RawServer(replying(http_response(200, big))) as server:
        api = make_api(server.url, total_timeout=60)
        started = time.monotonic()
        result = api.get_customer_session('s')
    assert len(result.customer_session.attributes['blob']) == 50 * 1024 * 1024
    assert time.monotonic() - started < 60


# -- redirects ------------------------------------------------------------------------------

def _redirecting(status, location):
    return replying(http_response(status, b'', {'Location': location}, reason='Moved'))


@pytest.mark.parametrize('status', [301, 302, 307, 308])
def test_no_credentials_or_body_reach_another_host(status):
    with RawServer(replying(http_response(200, b'{}'))) as other:
        with RawServer(_redirecting(status, other.url + '/steal')) as server:
            api = make_api(server.url, application_id=TEST_APPLICATION_ID,
                           application_key=TEST_APPLICATION_KEY, api_key={})
            with pytest.raises(ApiRedirectError) as caught:
                api.get_customer_inventory('p')            # a signed v1 GET
            with pytest.raises(ApiRedirectError):
                api.update_customer_profile_v2('p', talon_one.CustomerProfileIntegrationRequestV2(
                    attributes={'secret': 'body'}))
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
        api = make_api(server.url)
        body = talon_one.IntegrationRequest(customer_session=talon_one.NewCustomerSessionV2(
            profile_id='p'))
        api.update_customer_session_v2('old', body)
    (first, second) = server.requests
    assert (first[0], second[0]) == ('PUT', 'PUT')
    assert second[1] == '/v2/customer_sessions/new' and second[3] == first[3] != b''


def test_too_many_redirects():
    with RawServer(_redirecting(302, '/again')) as server:
        api = make_api(server.url)
        with pytest.raises(ApiRedirectError, match='more than 3 redirects'):
            api.get_customer_session('s')
    assert len(server.requests) == 4


def test_which_redirects_count_as_the_same_origin():
    assert _same_origin('https://a.talon.one/x', 'https://a.talon.one:443/y')
    assert _same_origin('http://a.talon.one/x', 'https://a.talon.one/y')
    assert not _same_origin('https://a.talon.one/x', 'http://a.talon.one/y')
    assert not _same_origin('https://a.talon.one/x', 'https://b.talon.one/y')
    assert not _same_origin('http://a.talon.one:8080/x', 'https://a.talon.one/y')
    assert not _same_origin('https://a.talon.one/x', 'https://a.talon.one:8443/y')


# -- TLS ----------------------------------------------------------------------------------

def test_a_self_signed_server_fails_verification_unless_trusted(self_signed):
    cert, context = self_signed
    with RawServer(replying(http_response(200, _state())), tls_context=context) as server:
        with pytest.raises(ApiSSLError):
            make_api(server.url).get_customer_session('s')
        trusted = make_api(server.url, ssl_ca_cert=cert).get_customer_session('s')
    assert trusted.effects == []


# -- threads, async, logging --------------------------------------------------------------

def _keep_alive_state(conn, server):
    while server.read_request(conn) is not None:
        conn.sendall(http_response(200, _state()))


@pytest.mark.parametrize('threads', [16, 32])
def test_threads_share_one_client_without_pool_warnings(threads, caplog):
    with RawServer(_keep_alive_state) as server:
        api = make_api(server.url)
        errors = []
        deadline = time.monotonic() + 2.0

        def work():
            try:
                while time.monotonic() < deadline:
                    api.get_customer_session('s')
            except Exception as error:
                errors.append(error)

        with caplog.at_level(logging.WARNING, logger='urllib3'):
            workers = [threading.Thread(target=work) for _ in range(threads)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join(30)
        api.api_client.close()
    assert errors == []
    assert not [r for r in caplog.records if 'pool is full' in r.getMessage()]
    assert server.connections <= threads
    assert len(server.requests) > threads


def test_async_timeout_is_caught_as_both_timeout_errors():
    with RawServer(_silent) as server:
        api = make_api(server.url, max_retries=0, total_timeout=1)
        thread = api.get_customer_session('s', async_req=True)
        with pytest.raises(multiprocessing.TimeoutError):
            thread.get(timeout=0.1)
        with pytest.raises(TimeoutError):
            thread.get(timeout=0.1)
        assert not thread.ready()
        with pytest.raises(ApiTimeoutError):
            thread.get(timeout=10)
        assert thread.ready() and not thread.successful()


def test_debug_shows_the_request_lines_on_stderr_without_secrets():
    with RawServer(replying(http_response(200, _state()))) as server:
        code = ('import talon_one\n'
                'c = talon_one.Configuration(host=%r, api_key={"Authorization": %r})\n'
                'c.debug = True\n'
                'talon_one.IntegrationApi(talon_one.ApiClient(c)).get_customer_session("s")\n'
                % (server.url, TEST_API_KEY))
        env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(
            os.path.abspath(__file__))))
        result = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                                env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert 'GET %s/v2/customer_sessions/s -> 200' % server.url in result.stderr
    assert TEST_API_KEY not in result.stderr + result.stdout


def test_logger_settings_behave_like_the_official_ones(tmp_path):
    config = talon_one.Configuration()
    config.logger_format = '%(levelname)s|%(message)s'
    config.logger_file = str(tmp_path / 'talon.log')
    assert isinstance(config.logger_file_handler, logging.FileHandler)
    logging.getLogger('talon_one').warning('hello')
    config.logger_file_handler.flush()
    assert (tmp_path / 'talon.log').read_text() == 'WARNING|hello\n'
    assert config.logger_formatter._fmt == '%(levelname)s|%(message)s'
    config.logger_file = None
    assert config.logger_file_handler is None


def test_the_readme_checkout_budget_holds(no_gc_pause):
    # README, "Timeouts and retries": 0.6 s per attempt, 1 s in all, against a hung server.
    with RawServer(_silent) as server:
        api = make_api(server.url)
        request = talon_one.IntegrationRequest(
            customer_session=talon_one.NewCustomerSessionV2(profile_id='URNGV8294NV'))
        with pytest.raises(ApiTimeoutError):
            timed(lambda: api.update_customer_session_v2('session-1', request,
                                                         _request_timeout=0.6,
                                                         _total_timeout=1.0))
    assert timed.elapsed < 1.0 + SLACK
    assert len(server.requests) == 2


def test_a_raw_response_read_later_is_bounded_by_the_read_timeout(no_gc_pause):
    def headers_then_silence(conn, server):
        server.read_request(conn)
        conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{')
        time.sleep(30)

    with RawServer(headers_then_silence) as server:
        api = make_api(server.url, max_retries=0)
        raw = api.get_customer_session('s', _preload_content=False, _request_timeout=(1, 0.5))
        started = time.monotonic()
        with pytest.raises(Exception) as caught:   # urllib3's own error: the caller reads it
            raw.read()
    assert 'timed out' in str(caught.value).lower()
    assert time.monotonic() - started < 0.5 + SLACK
