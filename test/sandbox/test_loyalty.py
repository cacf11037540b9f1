"""Loyalty balances, pending and expiring points, transactions, cards."""

import datetime as dt

from talon_one.sandbox import timeutil

from .http_client import assert_error

PROFILE = '/v1/loyalty_programs/125/profile/URNGV8294NV'
CARD = '/v1/loyalty_programs/324/cards/summer-loyalty-card-0543'


def _in_days(days):
    return timeutil.fmt(timeutil.now() + dt.timedelta(days=days))


def test_profile_balances(client):
    body = client.get(PROFILE + '/balances').body
    assert body['balance'] == {'activePoints': 180, 'pendingPoints': 0, 'spentPoints': 20,
                               'expiredPoints': 30, 'negativePoints': 0}
    assert body['subledgerBalances']['sub-123']['activePoints'] == 50


def test_balances_at_an_end_date(client):
    past = client.get(PROFILE + '/balances', query={'endDate': _in_days(-20)}).body['balance']
    assert past['activePoints'] == 200 and past['spentPoints'] == 0
    future = client.get(PROFILE + '/balances', query={'endDate': _in_days(340)}).body['balance']
    assert future['activePoints'] == 0 and future['expiredPoints'] == 210


def test_pending_points_become_active(client):
    cart = [{'sku': 'A', 'quantity': 1, 'price': 200}]
    client.session('S', profileId='URNGV8294NV', state='closed',
                   loyaltyCards=['summer-loyalty-card-0543'], cartItems=cart)
    now = client.get(CARD + '/balances').body['balance']
    assert now['pendingPoints'] == 10 and now['activePoints'] == 120
    later = client.get(CARD + '/balances', query={'endDate': _in_days(15)}).body['balance']
    assert later['pendingPoints'] == 0 and later['activePoints'] == 130
    gone = client.get(CARD + '/balances', query={'endDate': _in_days(400)}).body['balance']
    assert gone['activePoints'] == 0 and gone['expiredPoints'] == 130


def test_transactions_pagination(client):
    for _ in range(4):
        client.post('/v2/events', {'type': 'review_written', 'profileId': 'URNGV8294NV'})
    first = client.get(PROFILE + '/transactions', query={'pageSize': 3}).body
    assert first['hasMore'] is True and len(first['data']) == 3
    entry = first['data'][0]
    assert set(entry) >= {'created', 'programId', 'type', 'name', 'startDate', 'expiryDate',
                          'subledgerId', 'amount', 'id'}
    assert entry['name'] == 'Review bonus' and entry['type'] == 'addition'
    rest = client.get(PROFILE + '/transactions', query={'pageSize': 3, 'skip': 3}).body
    assert rest['hasMore'] is True and len(rest['data']) == 3
    last = client.get(PROFILE + '/transactions', query={'pageSize': 3, 'skip': 6}).body
    assert last['hasMore'] is False and len(last['data']) == 2
    ids = [e['id'] for e in first['data'] + rest['data'] + last['data']]
    assert len(set(ids)) == 8
    created = [e['created'] for e in first['data'] + rest['data'] + last['data']]
    assert created == sorted(created, reverse=True)


def test_transactions_filters(client):
    sub = client.get(PROFILE + '/transactions', query={'subledgerId': 'sub-123'}).body['data']
    assert [e['name'] for e in sub] == ['Partner points']
    recent = client.get(PROFILE + '/transactions', query={'startDate': _in_days(-7)}).body['data']
    assert [e['name'] for e in recent] == ['Gift wrap']
    old = client.get(PROFILE + '/transactions', query={'endDate': _in_days(-100)}).body['data']
    assert [e['name'] for e in old] == ['Birthday points']
    assert old[0]['expiryDate'] != 'unlimited' and old[0]['startDate'] == 'immediate'


def test_transactions_bad_paging(client):
    assert client.get(PROFILE + '/transactions', query={'pageSize': 1000}).status == 200
    assert_error(client.get(PROFILE + '/transactions', query={'pageSize': 1001}), 400)
    assert_error(client.get(PROFILE + '/transactions', query={'pageSize': 0}), 400)
    assert_error(client.get(PROFILE + '/transactions', query={'skip': -1}), 400)
    assert client.get(CARD + '/transactions', query={'pageSize': 1000}).status == 200
    assert_error(client.get(CARD + '/transactions', query={'pageSize': 1001}), 400)


def test_card_transactions(client):
    body = client.get(CARD + '/transactions').body
    assert body['hasMore'] is False
    assert body['data'][0]['cardIdentifier'] == 'summer-loyalty-card-0543'
    assert body['data'][0]['amount'] == 120


def test_loyalty_not_found(client):
    assert_error(client.get('/v1/loyalty_programs/999/profile/URNGV8294NV/balances'), 404)
    assert_error(client.get('/v1/loyalty_programs/125/profile/NOBODY/balances'), 404)
    assert_error(client.get('/v1/loyalty_programs/324/cards/nope/balances'), 404)
    assert_error(client.get('/v1/loyalty_programs/324/cards/nope/transactions'), 404)
    assert_error(client.get('/v1/loyalty_programs/125/cards/summer-loyalty-card-0543/balances'),
                 400)


def test_link_card(client):
    path = '/v2/loyalty_programs/324/cards/summer-loyalty-card-0543/link_profile'
    response = client.post(path, {'integrationId': 'BZGGC2454PA'})
    assert response.status == 200
    card = response.body
    assert card['programID'] == 324 and card['identifier'] == 'summer-loyalty-card-0543'
    assert [p['integrationId'] for p in card['profiles']] == ['URNGV8294NV', 'BZGGC2454PA']
    assert card['ledger']['currentBalance'] == 120
    again = client.post(path, {'integrationId': 'BZGGC2454PA'})
    assert again.status == 200 and len(again.body['profiles']) == 2
    assert_error(client.post(path, {'integrationId': 'R195412'}), 400, pointer='/integrationId')
    assert_error(client.post(path, {'integrationId': 'NOBODY'}), 404)
    assert_error(client.post(path, {}), 400, pointer='/integrationId')
    assert_error(client.post('/v2/loyalty_programs/324/cards/nope/link_profile',
                             {'integrationId': 'R195412'}), 404)
    inventory = client.get('/v1/customer_profiles/BZGGC2454PA/inventory',
                           query={'loyalty': 'true'}).body
    assert [c['identifier'] for c in inventory['loyalty']['cards']] == ['summer-loyalty-card-0543']
