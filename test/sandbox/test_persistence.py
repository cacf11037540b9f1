"""SQLite persistence: acknowledged writes survive restarts and kill -9."""

import os
import subprocess
import sys

from talon_one.sandbox import Sandbox

from .http_client import Client, assert_error

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CART = [{'sku': 'SKU1241028', 'quantity': 1, 'price': 100.0, 'category': 'shoes'}]


def _start(db_path):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get('PYTHONPATH', ''))
    process = subprocess.Popen(
        [sys.executable, '-m', 'talon_one.sandbox', '--port', '0', '--db', db_path,
         '--api-key', 'persist-key'],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    line = process.stdout.readline()
    assert 'listening on http://' in line, process.stderr.read()
    url = line.strip().rsplit(' ', 1)[1]
    assert process.stdout.readline().strip() == 'API key: persist-key'
    return process, Client(url, 'persist-key')


def test_state_survives_kill_9(tmp_path):
    db_path = str(tmp_path / 'sandbox.db')
    process, client = _start(db_path)
    try:
        closed = client.session('PERSIST-1', profileId='P-PERSIST', state='closed',
                                couponCodes=['ONCE-ONLY-1'], cartItems=CART)
        assert closed.status == 200
        audience = client.post('/v2/audiences', {'name': 'Survivors'}).body
        assert client.post('/v1/coupon_reservations/XMAS-20-2021',
                           {'integrationIDs': ['P-PERSIST']}).status == 201
    finally:
        process.kill()          # SIGKILL: no chance to flush anything
        process.wait()
        process.stdout.close()
        process.stderr.close()
    process, client = _start(db_path)
    try:
        session = client.get('/v2/customer_sessions/PERSIST-1').body['customerSession']
        assert session['state'] == 'closed' and session['profileId'] == 'P-PERSIST'
        again = client.session('PERSIST-2', profileId='OTHER', couponCodes=['ONCE-ONLY-1'],
                               cartItems=CART)
        reject = next(e for e in again.body['effects'] if e['effectType'] == 'rejectCoupon')
        assert reject['props']['rejectionReason'] == 'CouponLimitReached'
        renamed = client.put('/v2/audiences/%d' % audience['id'], {'name': 'Still here'})
        assert renamed.status == 200
        newer = client.post('/v2/audiences', {'name': 'Newer'}).body
        assert newer['id'] > audience['id']          # id counters survived too
        reserved = client.get('/v1/coupon_reservations/coupons/P-PERSIST').body
        # the explicit reservation and the one that redeeming ONCE-ONLY-1 made
        assert sorted(c['value'] for c in reserved['data']) == ['ONCE-ONLY-1', 'XMAS-20-2021']
        balance = client.get('/v1/loyalty_programs/125/profile/P-PERSIST/balances').body
        assert balance['balance']['activePoints'] == 10
        seeded = client.get('/v2/customer_sessions/CLOSED-SESSION-1')
        assert seeded.status == 200            # the world was seeded once, not twice
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
        process.stderr.close()


def test_in_process_restart_with_db(tmp_path):
    db_path = str(tmp_path / 'inproc.db')
    with Sandbox(db=db_path) as sandbox:
        client = Client(sandbox.url, sandbox.api_key)
        client.post('/v2/events', {'type': 'review_written', 'profileId': 'P9'})
        assert client.delete('/v2/audiences/4').status == 204
    with Sandbox(db=db_path) as sandbox:
        client = Client(sandbox.url, sandbox.api_key)
        balance = client.get('/v1/loyalty_programs/125/profile/P9/balances').body
        assert balance['balance']['activePoints'] == 15
        assert_error(client.delete('/v2/audiences/4'), 404)


def test_failed_request_writes_nothing(tmp_path):
    db_path = str(tmp_path / 'atomic.db')
    with Sandbox(db=db_path) as sandbox:
        client = Client(sandbox.url, sandbox.api_key)
        response = client.post('/v2/customer_audiences', {'data': [
            {'action': 'add', 'profileIntegrationId': 'R195412', 'audienceId': 4},
            {'action': 'add', 'profileIntegrationId': 'R195412', 'audienceId': 999}]})
        assert response.status == 404
    with Sandbox(db=db_path) as sandbox:
        assert 'R195412' not in sandbox.store.get('audience', 4)['members']


def test_cli_rejects_a_bad_world(tmp_path):
    world = tmp_path / 'world.json'
    world.write_text('{"application": {}, "campaigns": [{"id": 1, "name": "x", "rules": '
                     '[{"title": "r", "effects": [{"type": "teleport"}]}]}]}')
    env = dict(os.environ, PYTHONPATH=ROOT)
    result = subprocess.run([sys.executable, '-m', 'talon_one.sandbox', '--world', str(world),
                             '--port', '0'], capture_output=True, text=True, env=env, timeout=30)
    assert result.returncode == 2
    assert "campaigns[0].rules[0].effects[0].type: unknown effect type 'teleport'" in result.stderr
