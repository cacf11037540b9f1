"""World-file mistakes are WorldErrors naming the path; day counts cannot overflow dates;
seeding a SQLite file is all or nothing."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from talon_one.sandbox import Sandbox
from talon_one.sandbox.world import seed as seed_module
from talon_one.sandbox import world as world_module
from talon_one.sandbox.ops.service import Service
from talon_one.sandbox.store import Store

from .http_client import Client

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CART = [{'sku': 'SKU1241028', 'quantity': 1, 'price': 100.0}]


def _example():
    with open(world_module.EXAMPLE_WORLD) as handle:
        return json.load(handle)


def _rule(world, campaign=0, rule=0):
    return world['campaigns'][campaign]['rules'][rule]


BAD_WORLDS = [
    (lambda w: w['catalogs'][0]['items'].append({'price': 3}),
     'catalogs[0].items[4].sku: is required'),
    (lambda w: w['catalogs'][0]['items'][0].update(price='cheap'),
     "catalogs[0].items[0].price: must be int or float, got 'cheap'"),
    (lambda w: w['coupons'][0].update(reservedBy='URNGV8294NV'),
     "coupons[0].reservedBy: must be a list, got 'URNGV8294NV'"),
    (lambda w: w['coupons'][0].update(reservedBy=[7]),
     'coupons[0].reservedBy[0]: must be str, got 7'),
    (lambda w: _rule(w)['conditions'].append({'type': 'any', 'conditions': ['x']}),
     'campaigns[0].rules[0].conditions[2].conditions[0]: must be an object'),
    (lambda w: _rule(w)['conditions'].append({'type': 'any', 'conditions': {'type': 'x'}}),
     'campaigns[0].rules[0].conditions[2].conditions: must be a list'),
    (lambda w: _rule(w)['conditions'].append({'type': ['couponValid']}),
     "campaigns[0].rules[0].conditions[2].type: unknown condition type ['couponValid']"),
    (lambda w: _rule(w)['effects'].append({'type': 'awardGiveaway', 'poolId': [1]}),
     'campaigns[0].rules[0].effects[2].poolId: must be int, got [1]'),
    (lambda w: _rule(w, 2)['effects'][0].update(programId=[125]),
     'campaigns[2].rules[0].effects[0].programId: must be int, got [125]'),
    (lambda w: _rule(w)['conditions'].append({'type': 'subtotal', 'op': '>', 'value': '10'}),
     "campaigns[0].rules[0].conditions[2].value: must be int or float, got '10'"),
    (lambda w: _rule(w)['effects'][0].update(percent=float('nan')),
     'campaigns[0].rules[0].effects[0].percent: must be a finite number, got nan'),
    (lambda w: _rule(w)['effects'][0].update(name=5),
     'campaigns[0].rules[0].effects[0].name: must be str, got 5'),
    (lambda w: w['campaigns'][0].update(tags='sale'),
     "campaigns[0].tags: must be a list, got 'sale'"),
    (lambda w: w.update(giveawayPools=3), 'giveawayPools: must be a list'),
    (lambda w: w['giveawayPools'][0]['codes'].append(None),
     'giveawayPools[0].codes[5]: must be str, got None'),
    (lambda w: w['loyaltyPrograms'][0].update(pendingDays=10 ** 9),
     'loyaltyPrograms[0].pendingDays: must be between 0 and 36500, got 1000000000'),
    (lambda w: w['loyaltyPrograms'][1].update(expiryDays=10 ** 9),
     'loyaltyPrograms[1].expiryDays: must be between 0 and 36500, got 1000000000'),
    (lambda w: w['loyaltyTransactions'][0].update(createdDaysAgo=10 ** 7),
     'loyaltyTransactions[0].createdDaysAgo: must be between 0 and 36500, got 10000000'),
    (lambda w: w['loyaltyTransactions'][0].update(programId='125'),
     "loyaltyTransactions[0].programId: must be int, got '125'"),
    (lambda w: w['loyaltyCards'][0].update(profiles='URNGV8294NV'),
     "loyaltyCards[0].profiles: must be a list, got 'URNGV8294NV'"),
    (lambda w: w['audiences'][0].update(members=[['URNGV8294NV']]),
     "audiences[0].members[0]: must be str, got ['URNGV8294NV']"),
    (lambda w: w['coupons'][2]['limits'][0].pop('limit'),
     'coupons[2].limits[0].limit: is required'),
    (lambda w: w['profiles'].append({'integrationId': 'X', 'attributes': []}),
     'attributes: must be dict, got []'),
    (lambda w: w['sessions'][0]['cartItems'][1].pop('quantity'),
     'sessions[0].cartItems[1].quantity: is required'),
    (lambda w: w['sessions'][1].update(attributes='x'),
     'sessions[1].attributes: must be of type object'),
    (lambda w: w['sessions'].append(dict(w['sessions'][1], state='open')),
     "sessions[3].integrationId: duplicate 'CLOSED-SESSION-1'"),
    (lambda w: w['application'].update(accountId='one'),
     "application.accountId: must be int, got 'one'"),
]


@pytest.mark.parametrize('mutate, message', BAD_WORLDS)
def test_wrong_types_are_world_errors(mutate, message):
    data = _example()
    mutate(data)
    with pytest.raises(world_module.WorldError) as caught:
        Sandbox(world=data).start()
    assert message in str(caught.value)
    assert str(caught.value).startswith('world file: ')


def test_null_means_the_default():
    data = _example()
    data['loyaltyPrograms'][0]['expiryDays'] = None
    data['campaigns'][0]['description'] = None
    data['coupons'][0]['reservedBy'] = None
    with Sandbox(world=data) as sandbox:
        client = Client(sandbox.url, sandbox.api_key)
        response = client.session('NULLS', profileId='P-NULL', state='closed', cartItems=CART,
                                  responseContent=None)
    assert response.status == 200, response
    points = [e for e in response.body['effects'] if e['effectType'] == 'addLoyaltyPoints']
    assert points and 'expiryDate' not in points[0]['props']


@pytest.mark.parametrize('mutate, message', [BAD_WORLDS[0], BAD_WORLDS[2], BAD_WORLDS[4],
                                             BAD_WORLDS[15]])
def test_cli_exits_2_naming_the_path(tmp_path, mutate, message):
    data = _example()
    mutate(data)
    path = tmp_path / 'bad.json'
    path.write_text(json.dumps(data))
    env = dict(os.environ, PYTHONPATH=ROOT)
    result = subprocess.run([sys.executable, '-m', 'talon_one.sandbox', '--world', str(path),
                             '--port', '0'], capture_output=True, text=True, env=env, timeout=30)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert 'Traceback' not in result.stderr


def test_the_longest_allowed_periods_work():
    data = _example()
    data['loyaltyPrograms'][0].update(pendingDays=36500, expiryDays=36500)
    with Sandbox(world=data) as sandbox:
        client = Client(sandbox.url, sandbox.api_key)
        response = client.session('LONG', profileId='P-LONG', state='closed', cartItems=CART)
        assert response.status == 200, response
        props = next(e['props'] for e in response.body['effects']
                     if e['effectType'] == 'addLoyaltyPoints')
        assert props['startDate'] < props['expiryDate']
        balance = client.get('/v1/loyalty_programs/125/profile/P-LONG/balances',
                             query={'endDate': '9999-12-31T00:00:00Z'})
        assert balance.status == 200 and balance.body['balance']['activePoints'] == 0


def test_date_arithmetic_is_guarded_even_past_the_loader():
    data = _example()
    data['loyaltyPrograms'][0].update(pendingDays=10 ** 9, expiryDays=10 ** 9)
    unchecked = world_module.World(data)      # what the loader would have refused
    with Sandbox(world=unchecked) as sandbox:
        client = Client(sandbox.url, sandbox.api_key)
        response = client.session('HUGE', profileId='P-HUGE', state='closed', cartItems=CART)
        assert response.status == 200, response
        props = next(e['props'] for e in response.body['effects']
                     if e['effectType'] == 'addLoyaltyPoints')
        assert props['startDate'].startswith('9999-')
        balance = client.get('/v1/loyalty_programs/125/profile/P-HUGE/balances')
        assert balance.status == 200 and balance.body['balance']['pendingPoints'] > 0


def _stored(db_path):
    conn = sqlite3.connect(db_path)
    try:
        docs = conn.execute('SELECT kind, key FROM docs').fetchall()
        meta = dict(conn.execute('SELECT name, value FROM meta').fetchall())
    finally:
        conn.close()
    return docs, meta


def _ids(store):
    kinds = ('profile', 'session', 'coupon', 'referral', 'card', 'audience', 'catalog', 'pool')
    return {(kind, key): doc.get('id') for kind in kinds for key, doc in store.items(kind)}


def test_seeding_is_all_or_nothing(tmp_path, monkeypatch):
    db_path = str(tmp_path / 'seed.db')
    real_update = seed_module.update_session
    calls = []

    def crash_on_second_session(*args, **kwargs):
        calls.append(args[1])
        if len(calls) == 2:
            raise KeyboardInterrupt('killed part way through seeding')
        return real_update(*args, **kwargs)

    monkeypatch.setattr(seed_module, 'update_session', crash_on_second_session)
    with pytest.raises(KeyboardInterrupt):
        Sandbox(db=db_path).start()
    docs, meta = _stored(db_path)
    assert docs == [] and 'seeded' not in meta     # nothing of the failed attempt was kept
    monkeypatch.setattr(seed_module, 'update_session', real_update)

    with Sandbox() as fresh:
        expected = _ids(fresh.store)
    with Sandbox(db=db_path) as sandbox:
        assert _ids(sandbox.store) == expected       # seeded once, from the start
        client = Client(sandbox.url, sandbox.api_key)
        assert client.get('/v2/customer_sessions/CLOSED-SESSION-1').status == 200
        client.session('AFTER', profileId='P-AFTER', cartItems=CART)
    with Sandbox(db=db_path) as sandbox:              # not seeded again
        assert sandbox.store.get('session', 'AFTER') is not None
        assert _ids(sandbox.store)[('coupon', 'XMAS-20-2021')] == expected[('coupon',
                                                                              'XMAS-20-2021')]
    docs, meta = _stored(db_path)
    assert meta['seeded'] == '1' and len(docs) > len(expected)


def test_a_failed_seed_leaves_memory_as_it_was(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError('session seeding failed')

    monkeypatch.setattr(seed_module, 'update_session', fail)
    store = Store()
    with pytest.raises(RuntimeError):
        seed_module.seed(Service(world_module.from_dict(_example()), store))
    assert store.items('profile') == [] and store.items('coupon') == [] and not store.seeded
    assert store.next_id('profile') == 1
