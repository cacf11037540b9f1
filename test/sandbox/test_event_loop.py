"""One thread serves every connection: slow readers, pipelining, and --db passes.

The server answers requests in its loop and writes without blocking; with a SQLite file the
answers of one pass go out once that pass's changes are in the file, in one transaction.
"""

import socket
import sqlite3
import threading

from talon_one.sandbox import Sandbox

from .http_client import Client, RawConnection, assert_error, raw_request

OPEN_SESSION = '/v2/customer_sessions/175KJPS947296'
CART = [{'sku': 'SKU1241028', 'quantity': 1, 'price': 100.0, 'category': 'shoes'}]


def _address(sandbox):
    return sandbox.server.server_address[:2]


def _wait_for(condition, what):
    """Poll ``condition`` (bounded), not a timing assertion."""
    for _ in range(1000):
        if condition():
            return
        threading.Event().wait(0.01)
    raise AssertionError('never happened: ' + what)


def _open_connections(sandbox):
    with sandbox.server._open_lock:
        return len(sandbox.server._open)


def test_all_connections_are_served_by_one_thread(sandbox):
    served_by = set()
    handle = sandbox.server.app.handle

    def recording(request):
        served_by.add(threading.get_ident())
        return handle(request)

    sandbox.server.app.handle = recording
    try:
        clients = [Client(sandbox.url, sandbox.api_key) for _ in range(4)]
        threads = [threading.Thread(target=lambda c=c: [c.get(OPEN_SESSION) for _ in range(5)])
                   for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        sandbox.server.app.handle = handle
    assert served_by == {sandbox._thread.ident}


def test_a_client_that_does_not_read_holds_only_its_own_connection():
    with Sandbox(body_timeout=0.5) as sandbox:
        stuck = socket.create_connection(_address(sandbox), timeout=10)
        try:
            stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            # Thousands of pipelined GETs whose answers it never reads: megabytes of answers
            # fill the socket, and the server stops reading this connection's requests.
            request = raw_request('GET', OPEN_SESSION, sandbox.api_key)
            stuck.setblocking(False)
            sent = 0
            try:
                for _ in range(4000):
                    sent += stuck.send(request)
            except BlockingIOError:     # the server no longer takes its requests either
                pass
            assert sent > 0
            other = Client(sandbox.url, sandbox.api_key)
            assert other.get(OPEN_SESSION).status == 200    # served meanwhile
            # The write deadline (body_timeout) ends the stuck connection.
            _wait_for(lambda: _open_connections(sandbox) <= 1, 'the stuck connection closed')
        finally:
            stuck.close()


def test_pipelined_answers_that_do_not_fit_are_all_written_in_order(sandbox):
    with RawConnection(_address(sandbox), timeout=30) as conn:
        paths = ['/v2/customer_sessions/PIPE-%d' % i for i in range(300)]
        data = b''.join(raw_request('PUT', path, sandbox.api_key,
                                    {'customerSession': {'profileId': 'PIPE', 'cartItems': CART}})
                        for path in paths)
        writer = threading.Thread(target=conn.send, args=(data,))
        writer.start()      # sends while we read: neither side waits for the other forever
        responses = [conn.response() for _ in paths]
        writer.join(30)
    assert [r.status for r in responses] == [200] * len(paths)
    assert [r.json['customerSession']['integrationId'] for r in responses] == \
        [path.rsplit('/', 1)[1] for path in paths]


def _counting_transactions(store):
    transactions = []
    real_write = store._write_sql

    def counting_write(rows, meta):
        rows = list(rows)
        transactions.append(len(rows))
        return real_write(rows, meta)

    store._write_sql = counting_write
    return transactions


def test_db_requests_that_arrive_together_share_one_transaction(tmp_path):
    path = str(tmp_path / 'pass.sqlite3')
    with Sandbox(db=path) as sandbox:
        transactions = _counting_transactions(sandbox.store)
        profiles = ['TOGETHER-%d' % i for i in range(8)]
        data = b''.join(raw_request('PUT', '/v2/customer_profiles/' + profile, sandbox.api_key,
                                    {'attributes': {'Name': profile}})
                        for profile in profiles)
        with RawConnection(_address(sandbox)) as conn:
            conn.send(data)         # one write: the server reads all eight in one pass
            responses = [conn.response() for _ in profiles]
        assert [r.status for r in responses] == [200] * 8
        assert len(transactions) == 1
    with Sandbox(db=path) as reopened:      # every answered change is in the file
        for profile in profiles:
            assert reopened.store.get('profile', profile)['attributes'] == {'Name': profile}


def test_db_write_that_cannot_be_stored_is_500_and_leaves_no_trace(tmp_path):
    path = str(tmp_path / 'full.sqlite3')
    with Sandbox(db=path) as sandbox:
        client = Client(sandbox.url, sandbox.api_key)
        store = sandbox.store
        real_write = store._write_sql

        def full_disk(rows, meta):
            raise sqlite3.OperationalError('database or disk is full')

        store._write_sql = full_disk
        try:
            response = client.put('/v2/customer_profiles/NEVER-STORED',
                                  {'attributes': {'Name': 'x'}})
            before_any_write = client.get(OPEN_SESSION)
        finally:
            store._write_sql = real_write
        assert_error(response, 500)
        message = response.body['message']
        assert 'could not be stored' in message and 'disk is full' in message
        assert before_any_write.status == 200      # a read alone in its pass is unaffected
        assert store.get('profile', 'NEVER-STORED') is None     # memory was put back
        assert client.get('/v1/customer_profiles/NEVER-STORED/inventory').status == 404
        assert client.put('/v2/customer_profiles/STORED', {'attributes': {}}).status == 200
    with Sandbox(db=path) as reopened:
        assert reopened.store.get('profile', 'NEVER-STORED') is None
        assert reopened.store.get('profile', 'STORED') is not None


def test_a_content_length_of_thousands_of_digits_is_413_and_the_server_goes_on(sandbox):
    with RawConnection(_address(sandbox)) as conn:
        conn.send(b'POST /v2/customer_sessions/X HTTP/1.1\r\nHost: x\r\nContent-Length: '
                  + b'1' * 5000 + b'\r\n\r\n')
        assert conn.response().status == 413
    assert sandbox._thread.is_alive()
    assert Client(sandbox.url, sandbox.api_key).get(OPEN_SESSION).status == 200


def test_a_bug_in_one_connection_ends_only_that_connection(sandbox, monkeypatch):
    from talon_one.sandbox.http import wire
    real = wire.RequestReader.next_request

    def broken_for_the_marked_one(self, now):
        if b'X-Break' in self.buffer:
            raise RuntimeError('a bug in the parser')
        return real(self, now)

    monkeypatch.setattr(wire.RequestReader, 'next_request', broken_for_the_marked_one)
    with RawConnection(_address(sandbox)) as conn:
        conn.send(raw_request('GET', OPEN_SESSION, sandbox.api_key, headers={'X-Break': '1'}))
        assert conn.response() is None      # closed without an answer
    assert sandbox._thread.is_alive()
    assert Client(sandbox.url, sandbox.api_key).get(OPEN_SESSION).status == 200


def test_pipelined_requests_with_heavy_answers_are_answered_a_few_at_a_time():
    with Sandbox(body_timeout=20) as sandbox:
        client = Client(sandbox.url, sandbox.api_key)
        for index in range(300):        # a request log whose JSON answer is some 500 KiB
            client.session('HEAVY-%d' % index, profileId='HEAVY', cartItems=CART)
        request = raw_request('GET', '/_sandbox/requests', sandbox.api_key)
        flood = socket.create_connection(_address(sandbox), timeout=10)
        try:
            flood.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            flood.sendall(request * (65536 // len(request)))     # hundreds; never read
            other = client.get(OPEN_SESSION)
            assert other.status == 200
            with sandbox.server._open_lock:
                pending = max(len(c.out) for c in sandbox.server._open.values())
            # A few answers were made (and wait to be read), not hundreds of them.
            assert pending < 16 * 1024 * 1024
        finally:
            flood.close()


def test_db_reset_in_the_same_pass_as_a_change_leaves_the_file_like_memory(tmp_path):
    path = str(tmp_path / 'reset.sqlite3')
    with Sandbox(db=path) as sandbox:
        client = Client(sandbox.url, sandbox.api_key)
        assert client.session('AFTER-SEED', profileId='NEWP', cartItems=CART).status == 200
        with RawConnection(_address(sandbox)) as conn:
            # One write: the deletion and the reset are served in one pass of the loop.
            conn.send(raw_request('DELETE', '/v1/customer_data/NEWP', sandbox.api_key) +
                      raw_request('POST', '/_sandbox/reset', sandbox.api_key))
            assert [conn.response().status, conn.response().status] == [204, 204]
        assert sandbox.store.get('profile', 'NEWP') is None
    with Sandbox(db=path) as reopened:
        assert reopened.store.get('profile', 'NEWP') is None
        assert reopened.store.get('session', 'AFTER-SEED') is None


_OUT_OF_DESCRIPTORS = r'''
import logging, resource, socket, sys, threading
from talon_one.sandbox import Sandbox
warnings = []
class Count(logging.Handler):
    def emit(self, record):
        warnings.append(record)
logging.getLogger('talon_one.sandbox').addHandler(Count())
with Sandbox(max_connections=1000) as sandbox:
    address = sandbox.server.server_address[:2]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (64, hard))
    clients = []
    try:
        while True:     # connect until this process has no descriptor left
            clients.append(socket.create_connection(address, timeout=1))
    except OSError:
        pass
    threading.Event().wait(1.0)
    for client in clients[:8]:
        client.close()
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    print(len(warnings), sandbox._thread.is_alive())
'''


def test_out_of_file_descriptors_the_server_rests_instead_of_spinning():
    # In its own process: the descriptor limit is the process's. Without a pause after a
    # failed accept() the loop retries at once, forever: hundreds of thousands of warnings.
    import os
    import subprocess
    import sys
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    result = subprocess.run([sys.executable, '-c', _OUT_OF_DESCRIPTORS], capture_output=True,
                            text=True, timeout=60, cwd=root,
                            env=dict(os.environ, PYTHONPATH=root))
    assert result.returncode == 0, result.stderr
    count, alive = result.stdout.split()
    assert 1 <= int(count) <= 50 and alive == 'True'
