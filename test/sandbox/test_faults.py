"""Rehearsed faults (POST /_sandbox/faults, Sandbox.inject_fault), observed on the wire."""

import socket
import threading
import time

import pytest

from talon_one.sandbox import Sandbox

from .http_client import Client, RawConnection, assert_error, assert_json_error, raw_request

SESSION_BODY = {'customerSession': {'profileId': 'P-FAULT'}}
SESSIONS = '/v2/customer_sessions/*'


@pytest.fixture
def box(sandbox_memory_and_db):
    return sandbox_memory_and_db


@pytest.fixture
def api(box):
    return Client(box.url, box.api_key)


def _connect(box, timeout=10.0):
    return RawConnection(box.server.server_address[:2], timeout=timeout)


def _put_session(box, session_id, headers=None):
    return raw_request('PUT', '/v2/customer_sessions/' + session_id, box.api_key, SESSION_BODY,
                       headers=headers)


def _exists(api, session_id):
    return api.get('/v2/customer_sessions/' + session_id).status == 200


@pytest.mark.parametrize('status', [409, 429, 500, 502, 503])
def test_status_faults_answer_in_the_api_error_shape(box, api, status):
    box.inject_fault('PUT', SESSIONS, status=status)
    with _connect(box) as conn:
        conn.send(_put_session(box, 'F-STATUS'))
        response = conn.response()
        body = assert_json_error(response, status)
        assert 'injected' in body['message']
        assert ('retry-after' in response.headers) == (status == 429)
        if status == 429:
            assert response.headers['retry-after'] == '1'
        # The connection stays usable, and the fault is used up: the retry runs.
        conn.send(_put_session(box, 'F-STATUS'))
        assert conn.response().status == 200
    assert box.faults == []
    entries = [(e['method'], e['status']) for e in box.requests]
    assert entries == [('PUT', status), ('PUT', 200)]


def test_status_fault_does_not_run_the_request(box, api):
    box.inject_fault('PUT', SESSIONS, status=503, retry_after=7)
    response = api.put('/v2/customer_sessions/F-NOT-RUN', SESSION_BODY)
    assert_error(response, 503)
    assert response.headers['Retry-After'] == '7'
    assert not _exists(api, 'F-NOT-RUN')


def test_close_before_answering(box, api):
    box.inject_fault('PUT', SESSIONS, close=True)
    with _connect(box) as conn:
        conn.send(_put_session(box, 'F-CLOSE'))
        assert conn.response() is None      # EOF, no status line
    assert not _exists(api, 'F-CLOSE')      # nothing was done
    first = box.requests[0]
    assert (first['path'], first['status']) == ('/v2/customer_sessions/F-CLOSE', 0)


def test_close_after_the_work(box, api):
    box.inject_fault('PUT', SESSIONS, close_after_work=True)
    with _connect(box) as conn:
        conn.send(_put_session(box, 'F-DONE'))
        assert conn.closed_by_server()      # not a byte of an answer
    assert _exists(api, 'F-DONE')           # ... but the work is done (and stored)
    assert box.requests[0]['status'] == 200


def test_close_after_the_work_then_a_keyed_retry_is_answered(box, api):
    """The "did it happen?" case, resolved: retry with the same Idempotency-Key."""
    event = {'type': 'review_written', 'profileId': 'P-DID-IT'}
    box.inject_fault('POST', '/v2/events', close_after_work=True)
    request = raw_request('POST', '/v2/events', box.api_key, event,
                          headers={'Idempotency-Key': 'did-it-happen'})
    with _connect(box) as conn:
        conn.send(request)
        assert conn.response() is None
    with _connect(box) as conn:
        conn.send(request)
        retry = conn.response()
    assert retry.status == 204 and retry.headers['idempotent-replayed'] == 'true'
    balance = api.get('/v1/loyalty_programs/125/profile/P-DID-IT/balances').body
    assert balance['balance']['activePoints'] == 15        # once, not twice


def test_close_after_the_work_is_in_the_db_file(tmp_path):
    db = str(tmp_path / 'did-it.sqlite3')
    with Sandbox(db=db) as sandbox:
        sandbox.inject_fault('PUT', SESSIONS, close_after_work=True)
        with _connect(sandbox) as conn:
            conn.send(_put_session(sandbox, 'F-STORED'))
            assert conn.response() is None
    with Sandbox(db=db) as sandbox:
        assert _exists(Client(sandbox.url, sandbox.api_key), 'F-STORED')
        assert sandbox.faults == []         # faults are not stored


def test_delay_answers_later_and_serves_others_meanwhile(box, api):
    box.inject_fault('PUT', SESSIONS, delay=1.0)
    started = time.monotonic()
    with _connect(box) as slow:
        slow.send(_put_session(box, 'F-SLOW'))
        # Another connection is answered at once while the slow one waits.
        assert api.get('/v2/customer_sessions/CLOSED-SESSION-1').status == 200
        assert time.monotonic() - started < 0.8
        assert _exists(api, 'F-SLOW')       # the work is done before the answer goes out
        response = slow.response()
        elapsed = time.monotonic() - started
        assert response.status == 200 and elapsed >= 1.0
        assert response.json['customerSession']['integrationId'] == 'F-SLOW'
        slow.send(_put_session(box, 'F-SLOW'))      # the connection is still usable
        assert slow.response().status == 200


def test_delay_keeps_pipelined_answers_in_order(box):
    box.inject_fault('PUT', '/v2/customer_sessions/F-FIRST', delay=0.3)
    with _connect(box) as conn:
        conn.send(_put_session(box, 'F-FIRST') + _put_session(box, 'F-SECOND'))
        first, second = conn.response(), conn.response()
    assert first.json['customerSession']['integrationId'] == 'F-FIRST'
    assert second.json['customerSession']['integrationId'] == 'F-SECOND'


def test_delay_with_connection_close(box):
    box.inject_fault('GET', SESSIONS, delay=0.2)
    with _connect(box) as conn:
        conn.send(raw_request('GET', '/v2/customer_sessions/CLOSED-SESSION-1', box.api_key,
                              headers={'Connection': 'close'}))
        assert conn.response().status == 200
        assert conn.closed_by_server()


def test_a_client_that_leaves_during_a_delay(box, api):
    box.inject_fault('PUT', SESSIONS, delay=0.2)
    conn = _connect(box)
    conn.send(_put_session(box, 'F-GONE'))
    conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b'\x01\x00\x00\x00\x00\x00\x00\x00')
    conn.close()                            # reset while the answer is held
    time.sleep(0.4)
    assert api.get('/v2/customer_sessions/F-GONE').status == 200       # the server is fine


def test_times_counts_down(box, api):
    fault = box.inject_fault('GET', SESSIONS, status=500, times=3)
    assert fault.remaining == 3
    for left in (2, 1, 0):
        assert api.get('/v2/customer_sessions/CLOSED-SESSION-1').status == 500
        assert fault.remaining == left
    assert api.get('/v2/customer_sessions/CLOSED-SESSION-1').status == 200
    assert box.faults == []


def test_path_and_method_matching(box, api):
    box.inject_fault('PUT', '/v2/customer_sessions/F-*', status=409, times=10)
    box.inject_fault('*', r'/v1/customer_profiles/[A-Z]+\d+', regex=True, status=502, times=10)
    assert api.put('/v2/customer_sessions/F-MATCH', SESSION_BODY).status == 409
    assert api.put('/v2/customer_sessions/OTHER', SESSION_BODY).status == 200     # path
    assert api.get('/v2/customer_sessions/F-MATCH').status == 404                  # method
    assert api.put('/v1/customer_profiles/ABC123', {}).status == 502
    assert api.get('/v1/customer_profiles/ABC123/inventory').status != 502         # fullmatch
    assert api.put('/v1/customer_profiles/abc123', {}).status == 200
    # A glob's * crosses /; the query is not part of the path.
    box.inject_fault('*', '/v1/*/inventory', status=503)
    assert api.get('/v1/customer_profiles/URNGV8294NV/inventory',
                   query={'coupons': 'true'}).status == 503
    # The oldest matching fault fires first; /_sandbox/ routes are never faulted.
    box.clear_faults()
    box.inject_fault('*', '*', status=500, times=5)
    box.inject_fault('*', '*', status=503)
    assert api.get('/_sandbox/faults').status == 200
    assert api.get('/_sandbox/').status == 200
    assert api.get('/v2/customer_sessions/X').status == 500
    assert [f['status'] for f in box.faults] == [500, 503]


def test_faults_over_http(box, api):
    created = api.post('/_sandbox/faults', {'method': 'put', 'path': SESSIONS, 'status': 429,
                                            'retryAfter': 3, 'times': 2})
    assert created.status == 201
    fault = created.body
    assert fault == {'id': fault['id'], 'method': 'PUT', 'path': SESSIONS, 'regex': False,
                     'type': 'status', 'status': 429, 'retryAfter': 3, 'times': 2,
                     'remaining': 2}
    delay = api.post('/_sandbox/faults', {'path': '/v2/events', 'delay': 0.5}).body
    assert delay['type'] == 'delay' and delay['method'] == '*' and delay['times'] == 1
    listed = api.get('/_sandbox/faults').body['data']
    assert [f['id'] for f in listed] == [fault['id'], delay['id']]
    response = api.put('/v2/customer_sessions/F-HTTP', SESSION_BODY)
    assert response.status == 429 and response.headers['Retry-After'] == '3'
    assert api.get('/_sandbox/faults').body['data'][0]['remaining'] == 1
    assert api.delete('/_sandbox/faults', query={'id': delay['id']}).status == 204
    assert_error(api.delete('/_sandbox/faults', query={'id': delay['id']}), 404)
    assert_error(api.delete('/_sandbox/faults', query={'id': 'x'}), 400)
    assert [f['id'] for f in api.get('/_sandbox/faults').body['data']] == [fault['id']]
    assert api.delete('/_sandbox/faults').status == 204
    assert api.get('/_sandbox/faults').body['data'] == []
    assert api.put('/v2/customer_sessions/F-HTTP', SESSION_BODY).status == 200


@pytest.mark.parametrize('spec, pointer', [
    ({'path': '/x'}, None),                                     # no kind
    ({'status': 503, 'close': True}, None),                     # two kinds
    ({'status': 404}, '/status'),
    ({'status': True}, '/status'),
    ({'status': 500, 'retryAfter': 2}, '/retryAfter'),
    ({'status': 429, 'retryAfter': -1}, '/retryAfter'),
    ({'delay': 301}, '/delay'),
    ({'delay': 'soon'}, '/delay'),
    ({'close': 'yes'}, '/close'),
    ({'close': True, 'times': 0}, '/times'),
    ({'close': True, 'times': 1.5}, '/times'),
    ({'close': True, 'path': '(', 'regex': True}, '/path'),
    ({'close': True, 'path': ''}, '/path'),
    ({'close': True, 'method': 'GE T'}, '/method'),
    ({'close': True, 'regex': 'yes'}, '/regex'),
    ({'close': True, 'when': 'now'}, '/when'),
])
def test_bad_faults_are_refused(api, spec, pointer):
    response = api.post('/_sandbox/faults', spec)
    assert_error(response, 400)
    if pointer is not None:
        assert response.body['errors'][0]['source']['pointer'] == pointer, response.body
    assert api.get('/_sandbox/faults').body['data'] == []


def test_glob_paren_is_literal(api):
    assert api.post('/_sandbox/faults', {'close': True, 'path': '('}).status == 201


def test_fault_routes_need_the_key(api, box):
    assert_error(api.get('/_sandbox/faults', auth=False), 401)
    assert_error(api.post('/_sandbox/faults', {'close': True}, auth=False), 401)
    assert_error(api.delete('/_sandbox/faults', auth=False), 401)
    assert_error(api.call('PATCH', '/_sandbox/faults'), 405)
    assert box.faults == []


def test_python_api_checks_and_context_manager(box, api):
    with pytest.raises(ValueError) as caught:
        box.inject_fault('GET', '/x', status=404)
    assert 'status' in str(caught.value)
    with pytest.raises(ValueError):
        box.inject_fault('GET', '/x')              # no kind
    with box.inject_fault('GET', SESSIONS, status=502, times=5) as fault:
        assert api.get('/v2/customer_sessions/X').status == 502
        assert fault.remaining == 4 and 'fault' in repr(fault)
    assert box.faults == []                         # removed on exit, though not used up
    assert api.get('/v2/customer_sessions/CLOSED-SESSION-1').status == 200
    with box.inject_fault('GET', SESSIONS, close=True) as fault, _connect(box) as conn:
        conn.send(raw_request('GET', '/v2/customer_sessions/X', box.api_key))
        assert conn.response() is None
    fault.clear()                                   # used up already: nothing to do


def test_reset_clears_faults(box, api):
    box.inject_fault('*', '*', status=500, times=100)
    box.reset()
    assert box.faults == []
    assert api.get('/v2/customer_sessions/CLOSED-SESSION-1').status == 200
    box.inject_fault('*', '*', status=500, times=100)
    assert api.post('/_sandbox/reset').status == 204
    assert api.get('/_sandbox/faults').body['data'] == []


def test_inspector_shows_active_faults(box, api):
    box.inject_fault('PUT', '/v2/customer_sessions/<b>*', status=503, retry_after=4, times=2)
    box.inject_fault('POST', '/v2/events', delay=1.5)
    box.advance_clock(60)
    page = api.get('/_sandbox/').raw.decode('utf-8')
    assert 'Injected faults' in page and '2 active faults' in page
    assert '/v2/customer_sessions/&lt;b&gt;*' in page          # escaped
    assert 'status 503, retryAfter 4' in page and '2 of 2' in page
    assert 'delay 1.5' in page
    assert 'moved +60 s from real time' in page
    box.clear_faults()
    assert '0 active faults' in api.get('/_sandbox/').raw.decode('utf-8')


def test_faults_from_another_thread_while_serving(box, api):
    """inject_fault hands its change to the loop's thread (as reset does)."""
    results = []

    def inject():
        results.append(box.inject_fault('GET', '/v2/customer_sessions/T-*', status=409))

    threads = [threading.Thread(target=inject) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(box.faults) == 4 and len({f.id for f in results}) == 4


def test_pytest_plugin_example(talon_sandbox):
    """The WORLD.md example, as written there: the SDK retries a PUT answered 503."""
    import talon_one

    api = talon_one.IntegrationApi(talon_one.ApiClient(talon_sandbox.configuration()))
    body = talon_one.IntegrationRequest(
        customer_session=talon_one.NewCustomerSessionV2(profile_id='P-503'))
    with talon_sandbox.inject_fault('PUT', '/v2/customer_sessions/*', status=503,
                                    retry_after=0):
        state = api.update_customer_session_v2('S-503', body)      # retried by the SDK
    assert state.customer_session.integration_id == 'S-503'
    assert [r['status'] for r in talon_sandbox.requests] == [503, 200]


def test_pytest_plugin_without_retries(talon_sandbox):
    import talon_one

    config = talon_sandbox.configuration(max_retries=0)
    api = talon_one.IntegrationApi(talon_one.ApiClient(config))
    body = talon_one.IntegrationRequest(
        customer_session=talon_one.NewCustomerSessionV2(profile_id='P-503'))
    with talon_sandbox.inject_fault('PUT', '/v2/customer_sessions/*', status=503), \
            pytest.raises(talon_one.ServiceException) as caught:
        api.update_customer_session_v2('S-503', body)
    assert caught.value.status == 503
    assert talon_sandbox.faults == []
