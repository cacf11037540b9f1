"""Reset to the seed (Sandbox.reset, POST /_sandbox/reset) and the request log."""

import json
import threading

import pytest

from talon_one.sandbox import Sandbox
from talon_one.sandbox.http import auth

from .http_client import Client, assert_error
from .test_http_edges import _signed_world

CART = [{'sku': 'SKU1241028', 'quantity': 1, 'price': 100.0, 'category': 'shoes'}]


def _change_everything(client):
    """Writes of many kinds: a closed session with a one-use coupon, audiences, a profile."""
    assert client.session('RESET-1', profileId='RESET-P', state='closed',
                          couponCodes=['ONCE-ONLY-1'], cartItems=CART).status == 200
    assert client.delete('/v2/audiences/748').status == 204
    created = client.post('/v2/audiences', {'name': 'Made in the test'}).body
    assert client.put('/v2/customer_profiles/URNGV8294NV',
                      {'attributes': {'Name': 'Changed'}}).status == 200
    return created['id']


def _assert_seeded(client, first_new_audience_id):
    assert_error(client.get('/v2/customer_sessions/RESET-1'), 404)
    again = client.session('RESET-2', profileId='OTHER', couponCodes=['ONCE-ONLY-1'],
                           cartItems=CART)
    assert [e['effectType'] for e in again.body['effects']].count('acceptCoupon') == 1
    assert client.put('/v2/audiences/748', {'name': 'VIP'}).status == 200
    inventory = client.get('/v1/customer_profiles/URNGV8294NV/inventory',
                           query={'profile': 'true'}).body
    assert inventory['profile']['attributes']['Name'] == 'Ada'
    assert_error(client.get('/v1/customer_profiles/RESET-P/inventory'), 404)
    # Id counters went back too: the next audience gets the id the first one got.
    assert client.post('/v2/audiences', {'name': 'Again'}).body['id'] == first_new_audience_id


def test_reset_brings_back_the_seed(sandbox, client):
    first_id = _change_everything(client)
    sandbox.reset()
    _assert_seeded(client, first_id)


def test_reset_over_http_needs_the_api_key(sandbox, client):
    first_id = _change_everything(client)
    assert_error(client.post('/_sandbox/reset', auth=False), 401)
    assert_error(client.post('/_sandbox/reset', headers={'Authorization': 'ApiKey-v1 nope'}), 401)
    assert_error(client.get('/_sandbox/reset'), 405)
    assert client.get('/v2/customer_sessions/RESET-1').status == 200     # not reset yet
    response = client.post('/_sandbox/reset')
    assert response.status == 204 and response.raw == b''
    _assert_seeded(client, first_id)


def test_unknown_sandbox_route_is_404(client):
    assert_error(client.get('/_sandbox/nothing'), 404)


def test_reset_with_db_is_written_to_the_file(tmp_path):
    db = str(tmp_path / 'reset.sqlite3')
    with Sandbox(db=db) as sandbox:
        client = Client(sandbox.url, sandbox.api_key)
        first_id = _change_everything(client)
    with Sandbox(db=db) as sandbox:     # this run did not seed: the seed is rebuilt in memory
        client = Client(sandbox.url, sandbox.api_key)
        assert client.get('/v2/customer_sessions/RESET-1').status == 200
        sandbox.reset()
        _assert_seeded(client, first_id)
    with Sandbox(db=db) as sandbox:     # the reset (and what followed) survived a restart
        client = Client(sandbox.url, sandbox.api_key)
        assert_error(client.get('/v2/customer_sessions/RESET-1'), 404)
        assert client.get('/v2/customer_sessions/RESET-2').status == 200


def test_reset_waits_for_a_request_in_progress(sandbox, client):
    results = {}
    # The update takes the session lock and then waits for the profile lock held here.
    with sandbox.store.locked(['profile:P1']):
        updating = threading.Thread(target=lambda: results.update(update=client.session(
            'IN-FLIGHT', profileId='P1', couponCodes=['XMAS-20-2021'], cartItems=CART)))
        updating.start()
        _wait_for_lock(sandbox.store, 'session:IN-FLIGHT')
        resetting = threading.Thread(target=sandbox.reset)
        resetting.start()
        resetting.join(0.3)
        assert resetting.is_alive()     # held back by the request in progress
    updating.join()
    resetting.join()
    assert results['update'].status == 200
    assert_error(client.get('/v2/customer_sessions/IN-FLIGHT'), 404)    # reset came after


def _wait_for_lock(store, key):
    from .test_concurrency import _wait_until_held
    _wait_until_held(store, key)


# ---------------------------------------------------------------- request log

def test_every_api_request_is_logged_with_bodies(sandbox, client):
    client.session('LOGGED', query={'dry': 'true'}, profileId='P-LOG', cartItems=CART)
    client.get('/v2/customer_sessions/NOPE')
    client.put('/v2/customer_sessions/LOGGED', raw=b'{broken')
    entries = sandbox.requests
    assert [(e['method'], e['path'], e['query'], e['status']) for e in entries] == [
        ('PUT', '/v2/customer_sessions/LOGGED', 'dry=true', 200),
        ('GET', '/v2/customer_sessions/NOPE', '', 404),
        ('PUT', '/v2/customer_sessions/LOGGED', '', 400)]
    first = entries[0]
    assert first['requestBody'] == {'customerSession': {'profileId': 'P-LOG', 'cartItems': CART}}
    assert first['responseBody']['customerSession']['integrationId'] == 'LOGGED'
    assert first['durationMs'] >= 0 and first['time'].endswith('Z')
    assert first['requestHeaders']['authorization'] == '***'
    assert entries[1]['requestBody'] is None
    assert entries[1]['responseBody']['StatusCode'] == 404
    assert entries[2]['requestBody'] == '{broken'       # not JSON: kept as text
    assert [e['id'] for e in entries] == sorted(e['id'] for e in entries)


def test_request_log_over_http(sandbox, client):
    client.get('/v2/customer_sessions/175KJPS947296')
    client.get('/v2/customer_sessions/NOPE')
    response = client.get('/_sandbox/requests')
    assert response.status == 200
    assert response.body['capacity'] == 1000
    assert response.body['data'] == sandbox.requests       # /_sandbox/ calls are not logged
    assert [e['status'] for e in response.body['data']] == [200, 404]
    newest = client.get('/_sandbox/requests', query={'limit': 1}).body['data']
    assert [e['status'] for e in newest] == [404]
    assert_error(client.get('/_sandbox/requests', auth=False), 401)
    assert_error(client.get('/_sandbox/requests', query={'limit': '-1'}), 400)
    assert client.call('HEAD', '/_sandbox/requests').status == 200


def test_secrets_are_masked_in_the_log():
    key = '0123456789abcdef0123456789abcdef'
    with Sandbox(world=_signed_world(), api_key='log-secret-key') as sandbox:
        client = Client(sandbox.url, sandbox.api_key)
        body = json.dumps({'integrationIDs': ['URNGV8294NV']}).encode()
        signature = auth.signature_of(body, key)
        client.post('/v1/coupon_reservations/XMAS-20-2021', raw=body, auth=False,
                    headers={'Content-Signature': 'signer=1; signature=' + signature})
        client.get('/v2/customer_sessions/175KJPS947296',
                   headers={'Authorization': 'ApiKey-v1 wrong-secret'})
        entries = sandbox.requests
        over_http = client.get('/_sandbox/requests').raw
        reprs = repr(sandbox) + repr(sandbox.server.app.log._entries)
    assert entries[0]['status'] == 201
    assert entries[0]['requestHeaders']['content-signature'] == '***'
    assert entries[1]['status'] == 401
    assert entries[1]['requestHeaders']['authorization'] == '***'
    for secret in ('log-secret-key', 'wrong-secret', signature):
        assert secret not in json.dumps(entries)
        assert secret.encode() not in over_http
    assert 'log-secret-key' not in reprs and 'wrong-secret' not in reprs


def test_the_log_is_bounded():
    with Sandbox(request_log_size=3) as sandbox:
        client = Client(sandbox.url, sandbox.api_key)
        for index in range(5):
            client.get('/v2/customer_sessions/S-%d' % index)
        assert [e['path'][-3:] for e in sandbox.requests] == ['S-2', 'S-3', 'S-4']
        sandbox.clear_requests()
        assert sandbox.requests == []
    with Sandbox(request_log_size=0) as sandbox:
        Client(sandbox.url, sandbox.api_key).get('/v2/customer_sessions/S')
        assert sandbox.requests == []


def test_reset_empties_the_log(sandbox, client):
    client.get('/v2/customer_sessions/175KJPS947296')
    sandbox.reset()
    assert sandbox.requests == []


def test_large_bodies_are_cut_in_the_log(sandbox, client):
    client.session('BIG-LOG', attributes={'blob': 'x' * 100000})
    entry = sandbox.requests[0]
    assert isinstance(entry['requestBody'], str)
    assert entry['requestBody'].endswith('bytes in all)')
    assert len(entry['requestBody']) < 70000


@pytest.mark.parametrize('options, message', [
    ({'request_log_size': -1}, 'request_log_size'),
    ({'header_timeout': 0}, 'Limits.header_timeout'),
    ({'max_body': 'big'}, 'Limits.max_body'),
])
def test_bad_options_fail_early(options, message):
    with pytest.raises(ValueError) as caught:
        Sandbox(**options).start()
    assert message in str(caught.value)


def test_unknown_option_is_a_type_error():
    with pytest.raises(TypeError) as caught:
        Sandbox(header_timout=1)
    assert 'header_timout' in str(caught.value)
