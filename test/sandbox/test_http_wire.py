"""The HTTP layer over raw sockets: every reproduction of issue 12, keep-alive and framing.

Each malformed request gets a status line and the API's JSON error shape (never an HTML page
or a dropped connection); HEAD works on every GET route; empty lines before a request are
ignored; slow clients time out; the listen backlog holds a burst of connections.
"""

import socket
import threading

import pytest

from talon_one.sandbox import Sandbox
from talon_one.sandbox.http import routes

from .http_client import Client, RawConnection, assert_json_error, concrete_path, raw_request

OPEN_SESSION = '/v2/customer_sessions/175KJPS947296'


def _address(sandbox):
    return sandbox.server.server_address[:2]


def _exchange(sandbox, data, head_only=False):
    """Send ``data`` on a fresh connection; the first response (None: closed unanswered)."""
    with RawConnection(_address(sandbox)) as conn:
        return conn.send(data).response(head_only)


GET_PATHS = [concrete_path(template) for method, template, _, _ in routes.ROUTES
             if method == 'GET']


# ---------------------------------------------------------------- 1. absolute-form targets

@pytest.mark.parametrize('target', ['http://[', 'http://[/v2/customer_sessions/x',
                                    'http://[::1/v2/events', 'https://[bad]x/'])
def test_absolute_target_with_a_broken_host_is_400_before_authentication(sandbox, target):
    response = _exchange(sandbox, raw_request('GET', target))     # no API key at all
    body = assert_json_error(response, 400)
    assert 'request target' in body['message']


def test_absolute_form_target_is_served(sandbox):
    target = 'http://127.0.0.1:%d%s' % (_address(sandbox)[1], OPEN_SESSION)
    response = _exchange(sandbox, raw_request('GET', target, sandbox.api_key))
    assert response.status == 200, response
    assert response.json['customerSession']['integrationId'] == '175KJPS947296'


def test_target_that_is_not_a_path_is_400(sandbox):
    assert_json_error(_exchange(sandbox, raw_request('GET', '*', sandbox.api_key)), 400)
    assert_json_error(_exchange(sandbox, raw_request('GET', 'v2/events', sandbox.api_key)), 400)


# ---------------------------------------------------------------- 3. HEAD

def test_every_get_route_is_covered():
    assert len(GET_PATHS) == 14


@pytest.mark.parametrize('path', GET_PATHS)
def test_head_answers_like_get_without_a_body(sandbox, path):
    with RawConnection(_address(sandbox)) as conn:
        # HEAD, then GET on the same connection: the HEAD answer must carry no body, or the
        # GET answer would not parse.
        conn.send(raw_request('HEAD', path, sandbox.api_key) +
                  raw_request('GET', path, sandbox.api_key))
        head = conn.response(head_only=True)
        get = conn.response()
    assert get.status == 200, get
    assert head.status == get.status
    assert head.headers['content-type'] == get.headers['content-type'] == 'application/json'
    assert head.headers['content-length'] == get.headers['content-length'] == str(len(get.body))
    assert head.body == b''


def test_head_needs_the_key_too(sandbox):
    response = _exchange(sandbox, raw_request('HEAD', OPEN_SESSION), head_only=True)
    assert response.status == 401


def test_head_on_a_route_without_get_is_405_with_allow(sandbox):
    response = _exchange(sandbox, raw_request('HEAD', '/v2/events', sandbox.api_key),
                         head_only=True)
    assert response.status == 405
    assert response.headers['allow'] == 'POST'
    response = _exchange(sandbox, raw_request('DELETE', OPEN_SESSION, sandbox.api_key))
    assert_json_error(response, 405)
    assert response.headers['allow'] == 'GET, HEAD, PUT'


# ---------------------------------------------------------------- 4. backlog and bursts

def test_listen_backlog_holds_a_burst_while_nothing_is_accepted():
    # The server listens but does not accept yet: every connection must wait in the backlog
    # (with the socketserver default of 5, connects past the first few stall in SYN retries).
    from talon_one.sandbox import build_server
    server = build_server()
    assert server.limits.backlog >= 128
    sockets = []
    try:
        for _ in range(100):
            sock = socket.create_connection(server.server_address[:2], timeout=5)
            sockets.append(sock)
        serving = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.05})
        serving.start()
        try:
            for sock in sockets:
                sock.sendall(raw_request('GET', OPEN_SESSION, server.api_key,
                                         headers={'Connection': 'close'}))
            for sock in sockets:
                with sock.makefile('rb') as reader:
                    assert reader.readline().startswith(b'HTTP/1.1 200 ')
        finally:
            server.shutdown()
            serving.join()
    finally:
        for sock in sockets:
            sock.close()
        server.server_close()
        server.service.store.close()


def test_64_simultaneous_connections_all_get_answers(sandbox):
    cart = [{'sku': 'SKU1241028', 'quantity': 1, 'price': 60.0}]
    barrier = threading.Barrier(64)
    results = [None] * 64

    def worker(index):
        with RawConnection(_address(sandbox), timeout=30) as conn:
            barrier.wait()      # all 64 connected at once, then all send at once
            body = {'customerSession': {'profileId': 'BURST-%d' % index, 'state': 'closed',
                                        'couponCodes': ['XMAS-20-2021'], 'cartItems': cart}}
            conn.send(raw_request('PUT', '/v2/customer_sessions/BURST-%d' % index,
                                  sandbox.api_key, body))
            results[index] = conn.response()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status if r else None for r in results] == [200] * 64
    assert sandbox.store.get('coupon', 'XMAS-20-2021')['usageCounter'] == 64


def test_connections_past_the_limit_get_503_and_the_rest_are_served():
    with Sandbox(max_connections=4) as sandbox:
        held = [RawConnection(_address(sandbox)) for _ in range(4)]
        try:
            for conn in held:       # each is being served (its thread is waiting on it)
                conn.send(raw_request('GET', OPEN_SESSION, sandbox.api_key))
                assert conn.response().status == 200
            extra = _exchange(sandbox, raw_request('GET', OPEN_SESSION, sandbox.api_key))
            assert_json_error(extra, 503)
            assert extra.headers['retry-after'] == '1'
        finally:
            for conn in held:
                conn.close()
        _wait_until_no_connection_is_open(sandbox)
        assert Client(sandbox.url, sandbox.api_key).get(OPEN_SESSION).status == 200


def _wait_until_no_connection_is_open(sandbox):
    """The server notices closed connections on its own threads: poll (bounded), not sleep."""
    for _ in range(1000):
        with sandbox.server._open_lock:
            if not sandbox.server._open:
                return
        threading.Event().wait(0.01)
    raise AssertionError('connections still open: %d' % len(sandbox.server._open))


# ---------------------------------------------------------------- 5. empty lines first

@pytest.mark.parametrize('prefix', [b'\r\n', b'\r\n\r\n', b'\n'])
def test_empty_lines_before_the_request_line_are_ignored(sandbox, prefix):
    response = _exchange(sandbox, prefix + raw_request('GET', OPEN_SESSION, sandbox.api_key))
    assert response.status == 200, response


def test_empty_lines_between_pipelined_requests_are_ignored(sandbox):
    request = raw_request('GET', OPEN_SESSION, sandbox.api_key)
    with RawConnection(_address(sandbox)) as conn:
        conn.send(request + b'\r\n' + request)
        assert [conn.response().status, conn.response().status] == [200, 200]


# ---------------------------------------------------------------- 6. timeouts

@pytest.fixture
def impatient():
    with Sandbox(header_timeout=0.3, body_timeout=0.3, idle_timeout=0.6) as sandbox:
        yield sandbox


def test_half_a_request_line_times_out_with_408(impatient):
    with RawConnection(_address(impatient)) as conn:
        conn.send(b'GET /v2/customer_ses')
        assert_json_error(conn.response(), 408)
        assert conn.closed_by_server()


def test_64_stuck_clients_do_not_hold_the_server(impatient):
    stuck = [RawConnection(_address(impatient)) for _ in range(64)]
    try:
        for conn in stuck:
            conn.send(b'PUT /v2/customer_sessions/x HTT')
        for conn in stuck:      # each is answered and closed (bounded by the socket timeout)
            assert_json_error(conn.response(), 408)
            assert conn.closed_by_server()
    finally:
        for conn in stuck:
            conn.close()
    assert Client(impatient.url, impatient.api_key).get(OPEN_SESSION).status == 200


def test_a_body_that_never_arrives_times_out_with_408(impatient):
    with RawConnection(_address(impatient)) as conn:
        request = raw_request('PUT', '/v2/customer_profiles/SLOW', impatient.api_key,
                              b'{"attributes": {}}')
        conn.send(request[:-5])
        assert_json_error(conn.response(), 408)
        assert conn.closed_by_server()


def test_an_idle_keep_alive_connection_is_closed_quietly(impatient):
    with RawConnection(_address(impatient)) as conn:
        conn.send(raw_request('GET', OPEN_SESSION, impatient.api_key))
        assert conn.response().status == 200
        assert conn.closed_by_server()      # after idle_timeout, no answer to nothing


def test_a_connection_that_sends_nothing_is_closed(impatient):
    with RawConnection(_address(impatient)) as conn:
        assert conn.closed_by_server()


# ---------------------------------------------------------------- 7. unparseable requests

BAD_HEADS = {
    'garbage bytes': (b'\x00\x01\x02\xff garbage\r\n\r\n', 400),
    'no version (HTTP/0.9)': (b'GET /v2/events\r\n\r\n', 400),
    'malformed version': (b'GET / HTTP/1.x\r\nHost: s\r\n\r\n', 400),
    'lower-case version': (b'GET / http/1.1\r\nHost: s\r\n\r\n', 400),
    'HTTP/2.0': (b'GET / HTTP/2.0\r\nHost: s\r\n\r\n', 505),
    'HTTP/0.9 with a version': (b'GET / HTTP/0.9\r\nHost: s\r\n\r\n', 505),
    'HTTP/3': (b'GET / HTTP/3\r\nHost: s\r\n\r\n', 505),
    'two spaces': (b'GET  / HTTP/1.1\r\nHost: s\r\n\r\n', 400),
    'method with a slash': (b'GE/T / HTTP/1.1\r\nHost: s\r\n\r\n', 400),
    'space in the target': (b'GET /v2/a b HTTP/1.1\r\nHost: s\r\n\r\n', 400),
    'non-ASCII target': (b'GET /v2/\xc3\xa9 HTTP/1.1\r\nHost: s\r\n\r\n', 400),
    'header without colon': (b'GET / HTTP/1.1\r\nHost: s\r\nBroken header\r\n\r\n', 400),
    'space before colon': (b'GET / HTTP/1.1\r\nHost : s\r\n\r\n', 400),
    'folded header': (b'GET / HTTP/1.1\r\nHost: s\r\nX-A: 1\r\n  continued\r\n\r\n', 400),
    'control character in a value': (b'GET / HTTP/1.1\r\nHost: s\r\nX-A: a\x01b\r\n\r\n', 400),
    'no Host in HTTP/1.1': (b'GET / HTTP/1.1\r\n\r\n', 400),
    'two Host headers': (b'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 400),
    'negative Content-Length': (b'PUT /v2/x HTTP/1.1\r\nHost: s\r\nContent-Length: -5\r\n\r\n',
                                400),
    'Content-Length not a number': (b'PUT /v2/x HTTP/1.1\r\nHost: s\r\nContent-Length: 1e3'
                                    b'\r\n\r\n', 400),
    'conflicting Content-Length': (b'PUT /v2/x HTTP/1.1\r\nHost: s\r\nContent-Length: 2\r\n'
                                   b'Content-Length: 3\r\n\r\nab', 400),
    'chunked body': (b'PUT /v2/x HTTP/1.1\r\nHost: s\r\nTransfer-Encoding: chunked\r\n\r\n'
                     b'2\r\n{}\r\n0\r\n\r\n', 411),
    'unknown transfer coding': (b'PUT /v2/x HTTP/1.1\r\nHost: s\r\nTransfer-Encoding: gzip\r\n'
                                b'\r\n', 501),
    'unknown expectation': (b'PUT /v2/x HTTP/1.1\r\nHost: s\r\nExpect: coffee\r\n\r\n', 417),
    'request line too long': (b'GET /' + b'a' * 9000 + b' HTTP/1.1\r\nHost: s\r\n\r\n', 414),
    'head too large': (b'GET / HTTP/1.1\r\nHost: s\r\n' + b'X-Big: ' + b'a' * 70000 +
                       b'\r\n\r\n', 431),
    'too many headers': (b'GET / HTTP/1.1\r\nHost: s\r\n' +
                         b''.join(b'X-%d: 1\r\n' % i for i in range(120)) + b'\r\n', 431),
    'connection ends inside the head': (b'GET / HTTP/1.1\r\nHost: s', 400),
}


@pytest.mark.parametrize('name', sorted(BAD_HEADS))
def test_unparseable_request_gets_a_status_line_and_a_json_error(sandbox, name):
    data, status = BAD_HEADS[name]
    with RawConnection(_address(sandbox)) as conn:
        conn.send(data)
        if name == 'connection ends inside the head':
            conn.sock.shutdown(socket.SHUT_WR)      # the client is done sending
        assert_json_error(conn.response(), status)
    # The server is still fine.
    assert _exchange(sandbox, raw_request('GET', OPEN_SESSION, sandbox.api_key)).status == 200


def test_error_messages_do_not_echo_header_values(sandbox):
    data = (b'GET / HTTP/1.1\r\nHost: s\r\nAuthorization: ApiKey-v1 s3cret\x01\r\n\r\n')
    response = _exchange(sandbox, data)
    assert_json_error(response, 400)
    assert b's3cret' not in response.body


# ---------------------------------------------------------------- keep-alive and framing

def test_pipelined_requests_are_answered_in_order(sandbox):
    first = raw_request('PUT', '/v2/customer_profiles/PIPE-1', sandbox.api_key,
                        {'attributes': {'Name': 'first'}})
    second = raw_request('GET', '/v1/customer_profiles/PIPE-1/inventory?profile=true',
                         sandbox.api_key)
    with RawConnection(_address(sandbox)) as conn:
        conn.send(first + second)
        answers = [conn.response(), conn.response()]
    assert [a.status for a in answers] == [200, 200]
    assert answers[1].json['profile']['attributes'] == {'Name': 'first'}


def test_http_1_0_closes_unless_asked_to_keep_alive(sandbox):
    with RawConnection(_address(sandbox)) as conn:
        conn.send(raw_request('GET', OPEN_SESSION, sandbox.api_key, version='HTTP/1.0'))
        assert conn.response().headers['connection'] == 'close'
        assert conn.closed_by_server()
    with RawConnection(_address(sandbox)) as conn:
        conn.send(raw_request('GET', OPEN_SESSION, sandbox.api_key, version='HTTP/1.0',
                              headers={'Connection': 'keep-alive'}) +
                  raw_request('GET', OPEN_SESSION, sandbox.api_key))
        assert [conn.response().status, conn.response().status] == [200, 200]


def test_connection_close_is_honoured(sandbox):
    with RawConnection(_address(sandbox)) as conn:
        conn.send(raw_request('GET', OPEN_SESSION, sandbox.api_key,
                              headers={'Connection': 'close'}))
        assert conn.response().headers['connection'] == 'close'
        assert conn.closed_by_server()


def test_expect_100_continue_gets_an_interim_answer(sandbox):
    body = b'{"attributes": {"Name": "patient"}}'
    head, _, _ = raw_request('PUT', '/v2/customer_profiles/WAITER', sandbox.api_key, body,
                             headers={'Expect': '100-continue'}).partition(b'\r\n\r\n')
    with RawConnection(_address(sandbox)) as conn:
        conn.send(head + b'\r\n\r\n')
        assert conn.response().status == 100
        conn.send(body)
        assert conn.response().status == 200


def test_oversized_body_is_413_and_the_connection_stays_usable():
    with Sandbox(max_body=1024) as sandbox:
        with RawConnection(_address(sandbox)) as conn:
            conn.send(raw_request('PUT', '/v2/customer_profiles/BIG', sandbox.api_key,
                                  b'{"attributes": {"a": "' + b'x' * 5000 + b'"}}') +
                      raw_request('GET', OPEN_SESSION, sandbox.api_key))
            assert_json_error(conn.response(), 413)
            assert conn.response().status == 200


def test_served_connections_have_nodelay(sandbox):
    # No Nagle delay: a keep-alive client never waits for a delayed ACK (issue 9: 44 ms).
    with RawConnection(_address(sandbox)) as conn:
        conn.send(raw_request('GET', OPEN_SESSION, sandbox.api_key))
        assert conn.response().status == 200
        handler_sockets = list(sandbox.server._open)
        assert len(handler_sockets) == 1
        assert handler_sockets[0].getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_stop_ends_open_keep_alive_connections():
    sandbox = Sandbox(idle_timeout=600).start()
    conn = RawConnection(_address(sandbox))
    try:
        conn.send(raw_request('GET', OPEN_SESSION, sandbox.api_key))
        assert conn.response().status == 200
        stopping = threading.Thread(target=sandbox.stop)
        stopping.start()
        stopping.join(10)       # bounded: without closing the connection it would take 600 s
        assert not stopping.is_alive()
        assert conn.closed_by_server()
    finally:
        conn.close()
        sandbox.stop()
