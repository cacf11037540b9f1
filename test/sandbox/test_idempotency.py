"""Idempotency-Key: the first answer to a key is kept for 24 h of sandbox clock and replayed."""

import datetime
import json

import pytest

from talon_one.sandbox import Sandbox
from talon_one.sandbox.http import idempotency

from .http_client import Client, RawConnection, assert_error, assert_json_error, raw_request

RETURNS = '/v2/customer_sessions/CLOSED-SESSION-1/returns'
RETURN_ONE = {'return': {'returnedCartItems': [{'position': 0, 'quantity': 1}]}}
EVENT = {'type': 'review_written', 'profileId': 'P-IDEM'}
BALANCE = '/v1/loyalty_programs/125/profile/P-IDEM/balances'


@pytest.fixture
def box(sandbox_memory_and_db):
    return sandbox_memory_and_db


@pytest.fixture
def api(box):
    return Client(box.url, box.api_key)


def _keyed(key):
    return {'Idempotency-Key': key}


def _points(api):
    return api.get(BALANCE).body['balance']['activePoints']


def test_a_replayed_return_is_recorded_once(box, api):
    first = api.post(RETURNS, RETURN_ONE, headers=_keyed('return-1'))
    assert first.status == 200 and 'Idempotent-Replayed' not in first.headers
    again = api.post(RETURNS, RETURN_ONE, headers=_keyed('return-1'))
    assert again.status == 200
    assert again.raw == first.raw       # the same body, byte for byte
    assert again.headers['Idempotent-Replayed'] == 'true'
    assert again.headers['Content-Type'] == 'application/json'
    # The work was done once: the item has one unit left to return, one return is stored.
    session = box.store.get('session', 'CLOSED-SESSION-1')
    assert len(session['returns']) == 1
    assert session['cartItems'][0]['returnedQuantity'] == 1
    # Without the key (or with another one) the request runs: a second return.
    second = api.post(RETURNS, RETURN_ONE, headers=_keyed('return-2'))
    assert second.status == 200
    assert second.body['return']['id'] == first.body['return']['id'] + 1
    assert len(box.store.get('session', 'CLOSED-SESSION-1')['returns']) == 2


def test_a_replayed_event_adds_points_once(api):
    for _ in range(3):
        assert api.post('/v2/events', EVENT, headers=_keyed('event-1')).status == 204
    assert _points(api) == 15
    assert api.post('/v2/events', EVENT, headers=_keyed('event-2')).status == 204
    assert _points(api) == 30


def test_the_same_json_in_another_spelling_is_a_replay(api):
    api.post('/v2/events', EVENT, headers=_keyed('spelling'))
    respelled = b'{ "profileId" : "P-IDEM",\n  "type": "review_written" }'
    replay = api.post('/v2/events', raw=respelled, headers=_keyed('spelling'))
    assert replay.status == 204 and replay.headers['Idempotent-Replayed'] == 'true'
    assert _points(api) == 15


def test_a_different_body_with_the_same_key_is_refused(box, api):
    assert api.post('/v2/events', EVENT, headers=_keyed('reused')).status == 204
    other = dict(EVENT, attributes={'rating': 5})
    refused = api.post('/v2/events', other, headers=_keyed('reused'))
    assert_error(refused, 422)
    assert "'reused'" in refused.body['message'] and 'Idempotency-Key' in refused.body['message']
    assert refused.body['errors'][0]['source'] == {'parameter': 'Idempotency-Key'}
    # Another query string is another request too (dry=true would not store anything).
    assert_error(api.post('/v2/events', EVENT, query={'dry': 'true'},
                          headers=_keyed('reused')), 422)
    assert _points(api) == 15
    # The kept answer is still there for the original request.
    replay = api.post('/v2/events', EVENT, headers=_keyed('reused'))
    assert replay.headers['Idempotent-Replayed'] == 'true'


def test_keys_are_scoped_by_method_and_path(api):
    assert api.post('/v2/events', EVENT, headers=_keyed('shared-key')).status == 204
    session = api.session('IDEM-S1', profileId='P-IDEM', query=None)
    assert session.status == 200
    keyed = api.put('/v2/customer_sessions/IDEM-S2', {'customerSession': {}},
                    headers=_keyed('shared-key'))
    assert keyed.status == 200 and 'Idempotent-Replayed' not in keyed.headers
    assert keyed.body['customerSession']['integrationId'] == 'IDEM-S2'
    other_path = api.put('/v2/customer_sessions/IDEM-S3', {'customerSession': {}},
                         headers=_keyed('shared-key'))
    assert other_path.body['customerSession']['integrationId'] == 'IDEM-S3'


@pytest.mark.parametrize('key', ['', 'k' * 256])
def test_an_empty_or_long_key_is_a_400_naming_the_header(api, key):
    response = api.post('/v2/events', EVENT, headers=_keyed(key))
    assert_error(response, 400)
    assert 'Idempotency-Key' in response.body['message']
    assert response.body['errors'][0]['source'] == {'parameter': 'Idempotency-Key'}
    assert api.get(BALANCE).status == 404       # the event did not run: no such profile


def test_a_key_of_255_characters_is_accepted(api):
    key = 'k' * 255
    api.post('/v2/events', EVENT, headers=_keyed(key))
    replay = api.post('/v2/events', EVENT, headers=_keyed(key))
    assert replay.headers['Idempotent-Replayed'] == 'true' and _points(api) == 15


def test_reads_ignore_the_header(api):
    for _ in range(2):
        response = api.get('/v2/customer_sessions/CLOSED-SESSION-1', headers=_keyed(''))
        assert response.status == 200 and 'Idempotent-Replayed' not in response.headers


def test_the_answer_expires_after_24_hours_of_sandbox_clock(box, api):
    assert api.post('/v2/events', EVENT, headers=_keyed('daily')).status == 204
    box.advance_clock(datetime.timedelta(hours=24) - datetime.timedelta(seconds=5))
    replay = api.post('/v2/events', EVENT, headers=_keyed('daily'))
    assert replay.headers['Idempotent-Replayed'] == 'true' and _points(api) == 15
    # Over HTTP: the clock moves forward past the 24 hours; the key is free again.
    moved = api.post('/_sandbox/clock', {'advanceSeconds': 10})
    assert moved.status == 200 and moved.body["offsetSeconds"] == 86405
    fresh = api.post('/v2/events', dict(EVENT, attributes={'new': True}), headers=_keyed('daily'))
    assert fresh.status == 204 and 'Idempotent-Replayed' not in fresh.headers
    assert _points(api) == 30


def test_expired_answers_are_swept(box, api):
    api.post('/v2/events', EVENT, headers=_keyed('sweep-1'))
    api.post('/v2/events', EVENT, headers=_keyed('sweep-2'))
    assert box.store.count(idempotency.KIND) == 2
    box.advance_clock(86401)
    app = box.server.app
    assert box.server.call_in_loop(lambda: app.idempotency.sweep(app)) == 2
    assert box.store.count(idempotency.KIND) == 0


def test_try_again_answers_are_not_kept(box, api):
    # 401: no valid API key; the retry with the right key runs.
    refused = api.post('/v2/events', EVENT, headers={'Idempotency-Key': 'retry',
                                                     'Authorization': 'ApiKey-v1 wrong'})
    assert refused.status == 401
    # 503 from a rehearsed fault: nothing ran, nothing kept.
    with box.inject_fault('POST', '/v2/events', status=503):
        assert api.post('/v2/events', EVENT, headers=_keyed('retry')).status == 503
    assert api.post('/v2/events', EVENT, headers=_keyed('retry')).status == 204
    assert _points(api) == 15
    assert box.store.count(idempotency.KIND) == 1


def test_client_errors_are_kept(api):
    missing = '/v2/customer_sessions/NO-SUCH-SESSION/returns'
    assert api.post(missing, RETURN_ONE, headers=_keyed('404')).status == 404
    api.session('NO-SUCH-SESSION', state='closed', cartItems=[
        {'sku': 'SKU1', 'quantity': 1, 'price': 10.0}])
    replay = api.post(missing, RETURN_ONE, headers=_keyed('404'))
    assert replay.status == 404 and replay.headers['Idempotent-Replayed'] == 'true'


def test_reset_forgets_the_keys(box, api):
    api.post('/v2/events', EVENT, headers=_keyed('before-reset'))
    box.advance_clock(3600)
    assert api.post('/_sandbox/reset').status == 204
    assert box.store.count(idempotency.KIND) == 0
    assert abs((box.now() - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) < 60
    again = api.post('/v2/events', EVENT, headers=_keyed('before-reset'))
    assert again.status == 204 and 'Idempotent-Replayed' not in again.headers
    assert _points(api) == 15


def test_pipelined_retries_on_one_socket(box):
    request = raw_request('POST', '/v2/events', box.api_key, EVENT,
                          headers=_keyed('pipelined'))
    with RawConnection(box.server.server_address[:2]) as conn:
        conn.send(request * 3)
        answers = [conn.response() for _ in range(3)]
    assert [a.status for a in answers] == [204, 204, 204]
    assert ['idempotent-replayed' in a.headers for a in answers] == [False, True, True]
    assert Client(box.url, box.api_key).get(BALANCE).body['balance']['activePoints'] == 15


def test_raw_socket_bad_key_is_a_json_400(box):
    with RawConnection(box.server.server_address[:2]) as conn:
        conn.send(raw_request('POST', '/v2/events', box.api_key, EVENT,
                              headers=_keyed('x' * 300)))
        body = assert_json_error(conn.response(), 400)
    assert 'Idempotency-Key' in body['message']


def test_kept_answers_survive_a_restart_with_db(tmp_path):
    db = str(tmp_path / 'restart.sqlite3')
    with Sandbox(db=db) as sandbox:
        api = Client(sandbox.url, sandbox.api_key)
        first = api.post(RETURNS, RETURN_ONE, headers=_keyed('across-restarts'))
        assert first.status == 200
    with Sandbox(db=db) as sandbox:
        api = Client(sandbox.url, sandbox.api_key)
        replay = api.post(RETURNS, RETURN_ONE, headers=_keyed('across-restarts'))
        assert replay.status == 200 and replay.raw == first.raw
        assert replay.headers['Idempotent-Replayed'] == 'true'
        assert len(sandbox.store.get('session', 'CLOSED-SESSION-1')['returns']) == 1
        assert_error(api.post(RETURNS, {'return': {'returnedCartItems': [{'position': 1}]}},
                              headers=_keyed('across-restarts')), 422)
        sandbox.reset()
    with Sandbox(db=db) as sandbox:     # the reset reached the file
        assert sandbox.store.count(idempotency.KIND) == 0


def test_clock_control_route(box, api):
    assert_error(api.post('/_sandbox/clock', {'advanceSeconds': -1}), 400)
    assert_error(api.post('/_sandbox/clock', {'advanceSeconds': 'soon'}), 400)
    assert_error(api.post('/_sandbox/clock', {'seconds': 1}), 400, pointer='/seconds')
    assert_error(api.post('/_sandbox/clock', {'advanceSeconds': 1}, auth=False), 401)
    shown = api.get('/_sandbox/clock').body
    assert shown['offsetSeconds'] == 0 and shown['now'].endswith('Z')
    assert api.post('/_sandbox/clock', {'advanceSeconds': 7200}).body['offsetSeconds'] == 7200
    # The operations see the moved clock.
    session = api.session('CLOCKED', profileId='P-CLOCK').body['customerSession']
    created = datetime.datetime.fromisoformat(session['created'].replace('Z', '+00:00'))
    assert created - datetime.datetime.now(datetime.timezone.utc) > datetime.timedelta(hours=1.9)
    assert api.delete('/_sandbox/clock').body['offsetSeconds'] == 0
    assert json.loads(api.get('/_sandbox/clock').raw)['offsetSeconds'] == 0
