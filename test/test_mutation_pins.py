"""Promises that mutation testing (bench/mutation.py) found unpinned: each test here fails
when the promise it names is broken, over real HTTP on 127.0.0.1.

Waits between attempts are recorded (the ``retry_sleeps`` fixture), not slept, so no test
depends on the machine's speed; where a deadline is the point, the bound is checked to
within ``SLACK`` of the limit, and the watchdog's own precision is tested on its own.
"""

import datetime
import os
import socket
import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest

import talon_one
from talon_one import (ApiTimeoutError, ServiceException, TooManyRequestsException)
from talon_one._deadlines import AttemptPlan, watchdog
from talon_one._retry import parse_retry_after
from talon_one.effects import summarize

from support import TEST_API_KEY
from support.raw_server import RawServer, http_response

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Larger than the socket buffers of both ends (a send of it blocks while the peer does not
# read), made once.
BIG_BODY = b'x' * (16 * 1024 * 1024)
SLACK = 0.25    # seconds a call may end after its limit (the watchdog ticks every 0.02 s)


def make_api(url, **settings):
    config = dict(host=url, api_key={'Authorization': TEST_API_KEY},
                  retry_backoff_factor=0.001, retry_max_backoff=0.01, timeout=(2.0, 5.0))
    config.update(settings)
    return talon_one.IntegrationApi(talon_one.ApiClient(talon_one.Configuration(**config)))


# -- the watchdog (first: mutation testing ties the watchdog's thread, started once per
# process, to the first test that starts it, so that test must need it to fire) --------

def test_the_watchdog_shuts_a_socket_down_soon_after_its_deadline(no_gc_pause):
    # Its precision, measured on its own: every other deadline test relies on it.
    lateness = []
    for delay in (0.01, 0.05, 0.08, 0.11, 0.14, 0.17):   # the first starts the thread
        near, far = socket.socketpair()
        with near, far:
            near.settimeout(5.0)   # a safety net: the watchdog, not this, must end the recv
            deadline = time.monotonic() + delay
            watch = watchdog.watch(near, deadline, 'read')
            assert near.recv(1) == b''
            lateness.append(time.monotonic() - deadline)
            assert watch.fired
    lateness = sorted(lateness[1:])
    assert lateness[0] >= 0.0, lateness
    # The typical lateness is one tick (0.02 s); the median, so that one scheduling hiccup
    # of a busy machine fails nothing (the tick itself is pinned below, without a clock).
    assert lateness[2] < 0.1, lateness


def test_the_watchdog_looks_at_its_sockets_every_50_ms_at_most():
    from talon_one._deadlines import Watchdog
    dog = Watchdog()
    waits = []

    def recording_sleep(seconds):
        waits.append(seconds)
        time.sleep(seconds)

    dog._sleep = recording_sleep
    near, far = socket.socketpair()
    with near, far:
        near.settimeout(3.0)
        watch = dog.watch(near, time.monotonic() + 0.1, 'read')
        assert near.recv(1) == b'' and watch.fired
    assert waits and all(0 < wait <= 0.05 for wait in waits), waits
    # With nothing left to watch it sleeps until a socket comes (no wake-ups meanwhile).
    time.sleep(0.1)
    looks = len(waits)
    time.sleep(0.3)
    assert len(waits) == looks


# -- Retry-After ----------------------------------------------------------------------------

def test_a_retry_after_over_the_cap_raises_at_once_though_time_is_left(
        make_api_client, http_server, retry_sleeps):
    # 5 s is well inside the total timeout (60 s): only the cap (2 s) forbids the wait.
    client = make_api_client(retry_max_backoff=2.0, total_timeout=60.0)
    http_server.respond(503, {'message': 'later'}, headers={'Retry-After': '5'})
    http_server.respond(200, {})
    with pytest.raises(ServiceException) as caught:
        client.call_api('/x', 'GET')
    assert caught.value.retry_after == 5.0
    assert retry_sleeps == [] and len(http_server.requests) == 1


def test_a_retry_after_equal_to_the_cap_is_waited(make_api_client, http_server, retry_sleeps):
    client = make_api_client(retry_max_backoff=2.0, total_timeout=60.0)
    http_server.respond(429, {}, headers={'Retry-After': '2'})
    http_server.respond(200, {})
    client.call_api('/x', 'GET')
    assert retry_sleeps == [2.0] and len(http_server.requests) == 2


def test_a_retry_after_longer_than_the_time_left_raises_at_once(make_api_client, http_server,
                                                                retry_sleeps):
    client = make_api_client(retry_max_backoff=100.0, total_timeout=30.0)
    http_server.respond(429, {'message': 'slow down'}, headers={'Retry-After': '40'})
    http_server.respond(200, {})
    with pytest.raises(TooManyRequestsException) as caught:
        client.call_api('/x', 'GET')
    assert caught.value.retry_after == 40.0
    assert retry_sleeps == [] and len(http_server.requests) == 1


# -- redirects ------------------------------------------------------------------------------

def test_a_303_after_a_post_is_followed_with_a_get_without_the_body(make_api_client,
                                                                   http_server):
    client = make_api_client()

    def handler(request):
        if request.path == '/v2/events':
            return talon_one_reply(303, headers={'Location': '/v2/events/seen'})
        return talon_one_reply(200, {'effects': []})

    http_server.handler = handler
    client.call_api('/v2/events', 'POST', body={'type': 'x'})
    first, second = http_server.requests
    assert (first.method, second.method) == ('POST', 'GET')
    assert second.path == '/v2/events/seen' and second.body == b''
    assert second.header('Content-Type') is None and second.header('Content-Length') is None
    assert second.header('Authorization') == first.header('Authorization')


def talon_one_reply(status, json_body=None, headers=None):
    from support import Reply
    if json_body is None:
        return Reply(status, headers=headers)
    return Reply(status, json_body, headers=headers)


@pytest.mark.parametrize('status', [301, 302, 307, 308])
def test_other_redirects_keep_the_method_and_the_body(make_api_client, http_server, status):
    client = make_api_client()
    http_server.respond(status, headers={'Location': '/there'})
    http_server.respond(200, {})
    client.call_api('/here', 'PUT', body={'a': 1})
    first, second = http_server.requests
    assert second.method == 'PUT' and second.path == '/there'
    assert second.body == first.body == b'{"a":1}'
    assert second.header('Content-Type') == 'application/json'


def test_a_redirect_without_location_raises_its_status(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(302)
    with pytest.raises(talon_one.ApiException) as caught:
        client.call_api('/here', 'GET')
    assert caught.value.status == 302 and len(http_server.requests) == 1


def test_three_redirects_are_followed(make_api_client, http_server):
    client = make_api_client()
    for hop in range(3):
        http_server.respond(307, headers={'Location': '/hop%d' % hop})
    http_server.respond(200, {})
    client.call_api('/start', 'GET')
    assert [r.path for r in http_server.requests] == ['/start', '/hop0', '/hop1', '/hop2']


# -- deadlines ------------------------------------------------------------------------------

def test_a_cancelled_watch_leaves_the_socket_open():
    near, far = socket.socketpair()
    with near, far:
        watch = watchdog.watch(near, time.monotonic() + 0.05, 'read')
        watchdog.cancel(watch)
        time.sleep(0.2)
        far.sendall(b'x')
        near.settimeout(5.0)
        assert near.recv(1) == b'x' and not watch.fired


def test_an_attempt_plan_names_its_earliest_limit():
    now = time.monotonic()
    assert AttemptPlan(now + 5, now + 3, 1.0)._deadline(now) == (now + 1.0, 'read')
    assert AttemptPlan(now + 5, now + 3, 4.0)._deadline(now) == (now + 3, 'attempt')
    assert AttemptPlan(now + 2, now + 3, 4.0)._deadline(now) == (now + 2, 'total')
    assert AttemptPlan(None, None, 4.0)._deadline(now) == (now + 4.0, 'read')
    assert AttemptPlan(None, now + 3, None)._deadline(now) == (now + 3, 'attempt')
    assert AttemptPlan(None, None, None)._deadline(now) == (None, 'total')
    assert AttemptPlan(None, None, 4.0)._deadline(None) == (None, 'total')
    # On a tie the call's own limit is named: 'total' is not retried (no time is left).
    assert AttemptPlan(now + 3, now + 3, None)._deadline(now) == (now + 3, 'total')
    assert AttemptPlan(now + 4, None, 4.0)._deadline(now) == (now + 4, 'total')
    assert AttemptPlan(None, now + 4, 4.0)._deadline(now) == (now + 4, 'attempt')


def _answer_once_then_stop_reading(conn, server):
    server.read_request(conn)
    conn.sendall(http_response(200, b'{"effects": []}'))
    # The next request on this connection is never read: its body fills the socket buffers
    # and the client's send blocks. Bounded, so a broken client ends the test all the same.
    time.sleep(10)


@pytest.mark.parametrize('timeout, limit', [((2.0, 0.5), 'read'), (0.5, 'attempt')])
def test_sending_on_a_reused_connection_is_bounded(timeout, limit, no_gc_pause):
    with RawServer(_answer_once_then_stop_reading) as server:
        api = make_api(server.url, max_retries=0)
        rest = api.api_client.rest_client
        rest.request('GET', server.url + '/first')     # the connection the next call reuses
        body = BIG_BODY
        started = time.monotonic()
        with pytest.raises(ApiTimeoutError) as caught:
            rest.request('PUT', server.url + '/big', body=body, _request_timeout=timeout)
        elapsed = time.monotonic() - started
    assert caught.value.limit == limit
    assert server.connections == 1
    assert elapsed < 0.5 + SLACK


# -- the summary's own totals -----------------------------------------------------------------

def test_without_server_totals_the_summary_counts_price_times_quantity():
    # Shoes 2 x 10.00 with 1.50 packaging per pair, socks 3 x 2.00 of which 1 was returned;
    # shipping 4.00. Items 20.00 + 4.00 = 24.00; costs 4.00 + 2 x 1.50 = 7.00.
    session = {
        'integrationId': 'S', 'profileId': 'P', 'state': 'open', 'attributes': {},
        'cartItems': [
            {'sku': 'SHOE', 'quantity': 2, 'price': 10.0,
             'additionalCosts': {'packaging': {'price': 1.5}}},
            {'sku': 'SOCK', 'quantity': 3, 'remainingQuantity': 2, 'price': 2.0},
        ],
        'additionalCosts': {'shipping': {'price': 4.0}},
    }
    state = talon_one.IntegrationStateV2.from_wire({'customerSession': session, 'effects': []})
    summary = summarize(state)
    assert summary.cart_items_total == Decimal('24.00')
    assert summary.additional_costs_total == Decimal('7.00')
    assert summary.price_to_pay == Decimal('31.00')


def test_server_totals_win_over_the_summary_s_own():
    session = {
        'integrationId': 'S', 'profileId': 'P', 'state': 'open', 'attributes': {},
        'cartItems': [{'sku': 'SHOE', 'quantity': 2, 'price': 10.0}],
        'additionalCosts': {'shipping': {'price': 4.0}},
        'cartItemTotal': 18.0, 'additionalCostTotal': 3.0,
    }
    summary = summarize(talon_one.IntegrationStateV2.from_wire(
        {'customerSession': session, 'effects': []}))
    assert (summary.cart_items_total, summary.additional_costs_total) == (
        Decimal('18.00'), Decimal('3.00'))


def _watchdog_fires_in_a_forked_child():
    """0 when a socket under a 0.1 s deadline is shut down in time in a forked child."""
    pid = os.fork()
    if pid == 0:    # the child: exit status says what happened, nothing else may run here
        code = 1
        try:
            near, _far = socket.socketpair()
            near.settimeout(3.0)
            deadline = time.monotonic() + 0.1
            watchdog.watch(near, deadline, 'read')
            if near.recv(1) == b'':
                code = 0
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


@pytest.mark.skipif(not hasattr(os, 'fork'), reason='no fork() on this platform')
def test_deadlines_hold_in_a_child_forked_after_the_watchdog_started():
    # Servers that fork workers after using the SDK (gunicorn --preload, multiprocessing).
    near, far = socket.socketpair()
    with near, far:
        watchdog.watch(near, time.monotonic() + 0.01, 'read')  # the parent's thread runs
        near.settimeout(3.0)
        assert near.recv(1) == b''
    assert _watchdog_fires_in_a_forked_child() == 0


_EXITS = '''
import socket, time
from talon_one._deadlines import watchdog
near, far = socket.socketpair()
watchdog.watch(near, time.monotonic() + 3600, 'read')   # the watchdog thread is running
print('exiting')
'''


def test_the_watchdog_thread_does_not_keep_the_interpreter_alive():
    result = subprocess.run([sys.executable, '-c', _EXITS], capture_output=True, text=True,
                            timeout=30, env=dict(os.environ, PYTHONPATH=ROOT))
    assert result.returncode == 0 and result.stdout == 'exiting\n', result.stderr


def test_a_retry_after_date_without_a_zone_counts_as_utc():
    # RFC 5322 "-0000": the date is UTC, though Python parses it without a zone.
    now = datetime.datetime(2030, 1, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)
    assert parse_retry_after('Tue, 01 Jan 2030 12:00:30 -0000', now=now) == 30.0
    assert parse_retry_after('Tue, 01 Jan 2030 13:00:30 +0100', now=now) == 30.0


# -- building requests (talon_one._request) ---------------------------------------------------

def test_dot_path_parameters_stay_values(make_api_client, http_server):
    # A bare "." or ".." segment would be normalised away by servers and proxies.
    client = make_api_client()
    http_server.respond(200, {}, times=2)
    client.call_api('/v2/customer_sessions/{id}', 'GET', path_params={'id': '.'})
    client.call_api('/v2/customer_sessions/{id}', 'GET', path_params={'id': '..'})
    assert [r.path for r in http_server.requests] == ['/v2/customer_sessions/%2E',
                                                      '/v2/customer_sessions/%2E%2E']


def test_safe_chars_for_path_params_are_left_as_they_are(make_api_client, http_server):
    client = make_api_client()
    client.configuration.safe_chars_for_path_param = '/'
    http_server.respond(200, {}, times=2)
    client.call_api('/items/{id}', 'GET', path_params={'id': 'a/b c'})
    client.configuration.safe_chars_for_path_param = ''
    client.call_api('/items/{id}', 'GET', path_params={'id': 'a/b c'})
    assert [r.path for r in http_server.requests] == ['/items/a/b%20c', '/items/a%2Fb%20c']


def test_a_content_type_option_applies_to_a_body(make_api_client, http_server):
    api = talon_one.IntegrationApi(make_api_client())
    http_server.respond(200, {}, times=2)
    body = talon_one.IntegrationRequest(customer_session=talon_one.NewCustomerSessionV2(
        profile_id='p'))
    api.update_customer_session_v2('s', body, _content_type='application/vnd.talon+json')
    api.get_customer_session('s', _content_type='application/vnd.talon+json')
    with_body, without = http_server.requests
    assert with_body.header('Content-Type') == 'application/vnd.talon+json'
    assert with_body.json['customerSession']['profileId'] == 'p'
    assert without.header('Content-Type') is None


def test_multipart_replaces_a_content_type_given_in_any_case(make_api_client, http_server,
                                                             tmp_path):
    first = tmp_path / 'first.bin'
    first.write_bytes(b'\xff\x00\xfe')            # not text: read as bytes, sent as they are
    second = tmp_path / 'second.unknownext'
    second.write_bytes(b'two')
    client = make_api_client()
    http_server.respond(200, {})
    client.call_api('/upload', 'POST', header_params={'content-type': 'multipart/form-data',
                                                      'X-Keep': 'me'},
                    files={'skip': None, 'many': [str(first), str(second)]})
    request = http_server.last_request
    types = request.headers.get_all('Content-Type')
    assert len(types) == 1 and types[0].startswith('multipart/form-data; boundary=')
    assert request.header('X-Keep') == 'me'
    assert b'filename="first.bin"' in request.body and b'\xff\x00\xfe' in request.body
    assert (b'filename="second.unknownext"\r\nContent-Type: application/octet-stream\r\n\r\ntwo'
            in request.body)
    assert b'name="skip"' not in request.body


def test_files_after_an_empty_field_are_sent(make_api_client, http_server, tmp_path):
    upload = tmp_path / 'a.txt'
    upload.write_bytes(b'A')
    client = make_api_client()
    http_server.respond(200, {})
    client.call_api('/upload', 'POST', header_params={'Content-Type': 'multipart/form-data'},
                    files={'empty': [], 'file': str(upload)})
    assert b'filename="a.txt"' in http_server.last_request.body


def test_raw_requests_keep_the_url_as_given(make_api_client, http_server):
    rest = make_api_client().rest_client
    http_server.respond(200, {}, times=5)
    rest.request('GET', http_server.url)                                    # no path at all
    rest.request('GET', http_server.url + '?next=a?b')                      # no path, a query
    rest.request('GET', http_server.url + '/p?next=http://x/y')             # '://' in the query
    rest.request('GET', http_server.url + '/p?a=1', query_params={'b': 2})  # a query added to one
    rest.request('POST', http_server.url + '/form', post_params=[('a', '1 2')])
    paths = [r.raw_path for r in http_server.requests]
    assert paths[:4] == ['/', '/?next=a?b', '/p?next=http://x/y', '/p?a=1&b=2']
    assert http_server.requests[4].body == b'a=1+2'
    assert http_server.requests[4].header('Content-Type') == 'application/x-www-form-urlencoded'


def test_a_prepared_request_says_what_it_is_without_credentials():
    from talon_one._request import prepare_raw
    request = prepare_raw('get', 'http://user:secret@127.0.0.1:8/p')
    assert repr(request) == '<PreparedRequest GET http://127.0.0.1:8/p>'


def test_after_a_redirect_logs_show_the_new_url(make_api_client, http_server, caplog):
    import logging
    client = make_api_client()
    http_server.respond(307, headers={'Location': '/new'})
    http_server.respond(200, {})
    with caplog.at_level(logging.DEBUG, logger='talon_one'):
        client.call_api('/old', 'GET')
    lines = [r.getMessage() for r in caplog.records if ' -> ' in r.getMessage()]
    assert lines[0].startswith('GET %s/old -> 307' % http_server.url)
    assert lines[1].startswith('GET %s/new -> 200' % http_server.url)


def test_the_client_cookie_replaces_a_default_cookie_header(http_server):
    client = talon_one.ApiClient(talon_one.Configuration(host=http_server.url),
                                 cookie='session=a')
    client.set_default_header('Cookie', 'session=old')
    http_server.respond(200, {})
    client.call_api('/x', 'GET')
    assert http_server.last_request.headers.get_all('Cookie') == ['session=a']


def test_a_bad_application_key_names_the_field_and_the_rule_but_not_the_value():
    from talon_one._signing import content_signature
    with pytest.raises(talon_one.ApiValueError) as caught:
        content_signature(5, 'not-hex-secret', b'{}')
    assert str(caught.value) == ('Configuration.application_key must be a string of hex digit '
                                 'pairs (the application key used for Content-Signature)')


# -- connections (talon_one._connections) ---------------------------------------------------

from test_transport import counted_writes  # noqa: E402,F401 -- the fixture, shared


def test_bodies_up_to_64_kib_go_out_with_their_head(make_api_client, http_server,
                                                    counted_writes):  # noqa: F811
    rest = make_api_client().rest_client
    http_server.respond(200, {}, times=2)
    rest.request('POST', http_server.url + '/a', body=b'x' * (64 * 1024))
    rest.request('POST', http_server.url + '/b', body=b'y' * (64 * 1024 + 1))
    (writes,) = counted_writes
    assert len(writes) == 3
    assert writes[0].startswith(b'POST /a ') and writes[0].endswith(b'\r\n\r\n' + b'x' * 65536)
    assert writes[1].startswith(b'POST /b ') and writes[1].endswith(b'\r\n\r\n')
    assert writes[2] == b'y' * (64 * 1024 + 1)


def _never_read(conn, server):
    time.sleep(10)      # the request is never read: a big body's send blocks


@pytest.mark.parametrize('timeout, limit', [((2.0, 0.5), 'read'), (0.5, 'attempt')])
def test_sending_on_a_new_connection_is_bounded(timeout, limit, no_gc_pause):
    with RawServer(_never_read) as server:
        rest = make_api(server.url, max_retries=0).api_client.rest_client
        body = BIG_BODY     # made before the clock starts: filling 16 MiB is not the SDK's time
        started = time.monotonic()
        with pytest.raises(ApiTimeoutError) as caught:
            rest.request('PUT', server.url + '/big', body=body, _request_timeout=timeout)
        elapsed = time.monotonic() - started
    assert caught.value.limit == limit
    assert elapsed < 0.5 + SLACK


def _slow_to_read_then_slow_to_answer(conn, server):
    head = b''
    while b'\r\n\r\n' not in head:
        head += conn.recv(65536)
    time.sleep(0.6)                     # the client's send blocks meanwhile
    length = int(head.split(b'Content-Length: ')[1].split(b'\r\n')[0])
    received = len(head.split(b'\r\n\r\n', 1)[1])
    while received < length:
        received += len(conn.recv(1024 * 1024))
    time.sleep(0.6)                     # then the answer takes a while too
    conn.sendall(http_response(200, b'{}'))


def test_the_read_budget_starts_again_once_the_request_is_sent(no_gc_pause):
    # 0.6 s to send and 0.6 s to answer: each within the read timeout of 1 s, not both; and
    # the connect timeout (0.3 s) bounds connecting only, not a send that stalls 0.6 s.
    with RawServer(_slow_to_read_then_slow_to_answer) as server:
        rest = make_api(server.url, max_retries=0).api_client.rest_client
        response = rest.request('PUT', server.url + '/big', body=BIG_BODY,
                                _request_timeout=(0.3, 1.0))
    assert response.status == 200


def _answer_after_a_second(conn, server):
    server.read_request(conn)
    time.sleep(1.0)
    conn.sendall(http_response(200, b'{}'))


def test_the_connect_timeout_does_not_bound_the_wait_for_the_answer():
    with RawServer(_answer_after_a_second) as server:
        rest = make_api(server.url, max_retries=0).api_client.rest_client
        response = rest.request('GET', server.url + '/slow', _request_timeout=(0.3, 5.0))
    assert response.status == 200


# -- what a timeout says (README: "the message names it") -------------------------------------

def _silent(conn, server):
    server.read_request(conn)
    time.sleep(10)


@pytest.mark.parametrize('settings, call, text', [
    ({'max_retries': 0}, {'_request_timeout': (2, 0.3)},
     'read timeout of 0.3 s ran out before the whole response had arrived'),
    ({'max_retries': 0}, {'_request_timeout': 0.3}, 'timeout of 0.3 s for one attempt ran out'),
    ({'max_retries': 0}, {'_total_timeout': 0.3}, 'total_timeout of 0.3 s ran out (1 attempt)'),
    ({'max_retries': 2}, {'_request_timeout': 0.3, '_total_timeout': 0.5},
     'total_timeout of 0.5 s ran out (2 attempts)'),
])
def test_a_timeout_names_its_limit_and_the_request(settings, call, text):
    with RawServer(_silent) as server:
        api = make_api(server.url, **settings)
        with pytest.raises(ApiTimeoutError) as caught:
            api.get_customer_session('s1', **call)
    assert str(caught.value) == '(0) Timeout (GET %s/v2/customer_sessions/s1): %s' % (
        server.url, text)
    assert caught.value.limit == text.split()[0].replace('timeout', 'attempt').replace(
        'total_attempt', 'total')


# -- per-call options (RequestOptions) ---------------------------------------------------------

def test_per_call_options_reach_the_wire(make_api_client, http_server, retry_sleeps):
    api = talon_one.IntegrationApi(make_api_client())
    http_server.respond(503, {'message': 'busy'})
    http_server.respond(200, {}, times=3)
    event = talon_one.IntegrationEventV2Request(profile_id='p', type='t', attributes={})
    api.track_event_v2(event, _retry_non_idempotent=True, _headers={'X-Trace': 'abc'})
    assert [r.method for r in http_server.requests] == ['POST', 'POST'] and len(retry_sleeps) == 1
    assert http_server.last_request.header('X-Trace') == 'abc'
    api.get_customer_session('s', _host=http_server.url + '/')
    assert http_server.last_request.raw_path == '/v2/customer_sessions/s'


def test_a_per_call_total_timeout_bounds_the_call(make_api_client, http_server):
    api = talon_one.IntegrationApi(make_api_client(total_timeout=30.0))
    http_server.respond(200, {}, delay=3)
    with pytest.raises(ApiTimeoutError) as caught:
        api.get_customer_session('s', _total_timeout=0.3)
    assert caught.value.limit == 'total'


def test_a_retry_option_that_is_not_a_boolean_is_refused_before_sending(make_api_client,
                                                                        http_server):
    api = talon_one.IntegrationApi(make_api_client())
    with pytest.raises(talon_one.ApiValueError) as caught:
        api.get_customer_session('s', _retry_non_idempotent='yes')
    assert str(caught.value) == "_retry_non_idempotent must be True or False, got 'yes'"
    assert http_server.requests == []


def test_sending_a_prepared_request_without_options_reads_the_response(http_server):
    from talon_one._request import prepare_raw
    rest = talon_one.ApiClient(talon_one.Configuration(host=http_server.url)).rest_client
    http_server.respond(200, {'ok': True})
    response = rest.send(prepare_raw('GET', http_server.url + '/x'))
    assert response.status == 200 and response.data == b'{"ok": true}'


def test_a_call_without_any_limit_leaves_the_watchdog_working(make_api_client, http_server):
    client = make_api_client(timeout=None, total_timeout=None)
    http_server.respond(200, {}, delay=0.1)   # the watchdog looks several times meanwhile
    client.call_api('/x', 'GET')        # nothing to watch: no deadline at all
    near, far = socket.socketpair()
    with near, far:
        near.settimeout(3.0)
        watch = watchdog.watch(near, time.monotonic() + 0.05, 'read')
        assert near.recv(1) == b'' and watch.fired


def test_a_watchdog_of_its_own_runs_a_named_daemon_thread():
    from talon_one._deadlines import Watchdog
    dog = Watchdog()
    near, far = socket.socketpair()
    with near, far:
        near.settimeout(3.0)
        watch = dog.watch(near, time.monotonic() + 0.05, 'attempt')
        assert near.recv(1) == b'' and watch.fired and watch.limit == 'attempt'
    threads = [t for t in threading.enumerate() if t.name == 'talon_one-deadlines']
    assert len(threads) >= 2 and all(t.daemon for t in threads)   # the shared one, this one


# -- connecting --------------------------------------------------------------------------------

@pytest.fixture
def unanswered_connects():
    """A URL where connecting hangs: a listener whose accept queue is full (Linux then drops
    new SYNs, so connect() waits as it would for an unreachable host)."""
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen(0)
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        try:
            filler.connect(listener.getsockname())
        except BlockingIOError:
            pass
        fillers.append(filler)
    yield 'http://127.0.0.1:%d' % listener.getsockname()[1]
    for filler in fillers:
        filler.close()
    listener.close()


def test_a_hanging_connect_is_bounded_by_the_connect_timeout(unanswered_connects, no_gc_pause):
    api = make_api(unanswered_connects, max_retries=0)
    started = time.monotonic()
    with pytest.raises(ApiTimeoutError) as caught:
        api.get_customer_session('s', _request_timeout=(0.3, 5.0))
    elapsed = time.monotonic() - started
    assert caught.value.limit == 'connect'
    assert 'connect timeout of 0.3 s ran out' in str(caught.value)
    assert elapsed < 0.3 + SLACK


def test_a_hanging_connect_is_bounded_by_the_time_left(unanswered_connects, no_gc_pause):
    api = make_api(unanswered_connects, max_retries=0)
    started = time.monotonic()
    with pytest.raises(ApiTimeoutError) as caught:
        api.get_customer_session('s', _request_timeout=(5.0, 5.0), _total_timeout=0.4)
    elapsed = time.monotonic() - started
    assert caught.value.limit == 'total'
    assert elapsed < 0.4 + SLACK


def test_a_connect_timeout_is_retried_even_for_a_post(unanswered_connects, retry_sleeps):
    api = make_api(unanswered_connects, max_retries=2)
    with pytest.raises(ApiTimeoutError) as caught:
        api.track_event_v2(talon_one.IntegrationEventV2Request(profile_id='p', type='t',
                                                              attributes={}),
                           _request_timeout=(0.1, 5.0))
    assert caught.value.limit == 'connect' and len(retry_sleeps) == 2


# -- the client's pools ------------------------------------------------------------------------

def _slow_keep_alive(conn, server):
    while server.read_request(conn) is not None:
        time.sleep(0.2)
        conn.sendall(http_response(200, b'{"effects": []}'))


def test_calls_beyond_the_pool_size_wait_for_a_connection():
    # README: "when all are busy, a call waits for one ... instead of opening extra ones".
    with RawServer(_slow_keep_alive) as server:
        api = make_api(server.url, connection_pool_maxsize=2)
        errors = []

        def call():
            try:
                api.get_customer_session('s')
            except Exception as error:
                errors.append(error)

        workers = [threading.Thread(target=call) for _ in range(6)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(30)
        assert errors == [] and len(server.requests) == 6
        assert server.connections == 2


def test_the_official_pool_manager_attribute_works_and_is_kept(make_api_client, http_server):
    rest = make_api_client().rest_client
    manager = rest.pool_manager
    assert rest.pool_manager is manager
    http_server.respond(200, {'ok': True})
    assert manager.request('GET', http_server.url + '/own').status == 200
    assert http_server.last_request.path == '/own'
    rest.close()     # idle connections closed; the object stays usable
    http_server.respond(200, {})
    assert rest.request('GET', http_server.url + '/after').status == 200


def test_an_unknown_collection_format_joins_with_commas(make_api_client, http_server):
    client = make_api_client()
    http_server.respond(200, {})
    client.call_api('/x', 'GET', query_params={'ids': [1, 2, 3]},
                    collection_formats={'ids': 'no-such-format'})
    assert http_server.last_request.query == {'ids': ['1,2,3']}


def test_bad_requests_are_refused_before_sending_with_what_is_wrong(make_api_client,
                                                                   http_server):
    client = make_api_client()
    with pytest.raises(talon_one.ApiValueError) as caught:
        client.call_api('/x', 'FETCH')
    assert str(caught.value) == ('http method must be one of GET, HEAD, OPTIONS, POST, PUT, '
                                 "PATCH, DELETE, got 'FETCH'")
    with pytest.raises(talon_one.ApiValueError) as caught:
        client.call_api('/x', 'POST', body={'a': 1}, post_params={'b': '2'})
    assert str(caught.value) == 'body and post_params cannot be used together'
    assert http_server.requests == []
