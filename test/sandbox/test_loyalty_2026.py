"""The 2026 loyalty operations over raw HTTP, in memory and with --db: cards generated, linked,
used and unlinked; points that await activation; unused points lists; deleted transactions;
joining a program; tiers; the tier and expiry-date effects; the new filters. Answers are
checked against the 2026 spec's schemas (required fields and JSON types)."""

import copy
import datetime as dt
import json
import os

import pytest

from support import require_shared
from talon_one.sandbox import Sandbox, timeutil
from talon_one.sandbox import world as world_module
from talon_one.sandbox.http import routes

from .http_client import Client, assert_error, effects_of

P125 = '/v1/loyalty_programs/125'
P324 = '/v1/loyalty_programs/324'
ADA = P125 + '/profile/URNGV8294NV'          # 180 active (+50 in sub-123), 30 expired
GRACE = P125 + '/profile/BZGGC2454PA'        # CLOSED-SESSION-1's delivery points await
CARD = P324 + '/cards/summer-loyalty-card-0543'     # 120 active, linked to URNGV8294NV
CARD_0544 = P324 + '/cards/summer-loyalty-card-0544'  # 40 pending
SHOES = {'name': 'Air Glide', 'sku': 'SKU1241028', 'quantity': 1, 'price': 100.0,
         'category': 'shoes'}


@pytest.fixture(params=['memory', 'db'])
def api(request, tmp_path):
    db = str(tmp_path / 'loyalty.sqlite3') if request.param == 'db' else None
    with Sandbox(db=db) as running:
        yield Client(running.url, running.api_key)


def _in_days(days):
    return timeutil.now() + dt.timedelta(days=days)


def _multi(path, **params):
    """``path`` with repeated query parameters (``name=[a, b]`` -> ``?name=a&name=b``)."""
    from urllib.parse import urlencode
    pairs = [(k, v) for k, values in params.items()
             for v in (values if isinstance(values, list) else [values])]
    return path + '?' + urlencode(pairs)


# ---------------------------------------------------------------- the 2026 spec's shapes

_SCALARS = {'string': (str,), 'integer': (int,), 'number': (int, float), 'boolean': (bool,)}


@pytest.fixture(scope='module')
def spec():
    import yaml
    with open(require_shared('openapi', 'talon-one-integration-2026.yaml'),
              encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def _conforms(spec, schema, value, where='$'):
    """Raise AssertionError unless ``value`` has every required field of ``schema`` and
    every field it has is of the schema's JSON type (recursively)."""
    if '$ref' in schema:
        schema = spec['components']['schemas'][schema['$ref'].rsplit('/', 1)[1]]
    kind = schema.get('type')
    if kind == 'object' or 'properties' in schema:
        assert isinstance(value, dict), (where, value)
        for name in schema.get('required', ()):
            assert name in value, '%s: required %s missing in %r' % (where, name, value)
        for name, item in value.items():
            if name in schema.get('properties', {}):
                _conforms(spec, schema['properties'][name], item, '%s.%s' % (where, name))
            elif isinstance(schema.get('additionalProperties'), dict):
                _conforms(spec, schema['additionalProperties'], item, '%s.%s' % (where, name))
            else:
                assert not schema.get('properties'), '%s: unknown field %s' % (where, name)
    elif kind == 'array':
        assert isinstance(value, list), (where, value)
        for index, item in enumerate(value):
            _conforms(spec, schema['items'], item, '%s[%d]' % (where, index))
    elif kind in _SCALARS:
        assert isinstance(value, _SCALARS[kind]) and \
            isinstance(value, bool) == (kind == 'boolean'), (where, kind, value)
        if 'enum' in schema:
            assert value in schema['enum'], (where, value)


def _named(spec, name, value):
    _conforms(spec, {'$ref': '#/components/schemas/' + name}, value)


# ---------------------------------------------------------------- cards

def test_a_generated_card_can_be_linked_used_and_unlinked(api):
    made = api.post(P324 + '/cards', {'customerProfileIds': ['R195412']})
    assert made.status == 200, made
    card = made.body
    identifier = card['identifier']
    assert identifier.startswith('CARD-') and card['status'] == 'active'
    assert card['programID'] == 324 and card['programName'] == 'summer_card'
    assert [p['integrationId'] for p in card['profiles']] == ['R195412']
    # Link a second profile (the program allows 2), then earn points with the card.
    linked = api.post('/v2/loyalty_programs/324/cards/%s/link_profile' % identifier,
                      {'integrationId': 'DRPVV9476AF'})
    assert linked.status == 200 and len(linked.body['profiles']) == 2
    closed = api.session('GEN-1', profileId='DRPVV9476AF', state='closed',
                         loyaltyCards=[identifier], cartItems=[SHOES])
    [points] = [e['props'] for e in effects_of(closed, 'addLoyaltyPoints')
                if e['props']['programId'] == 324]
    assert points['cardIdentifier'] == identifier and points['value'] == 5
    balances = api.get('%s/cards/%s/balances' % (P324, identifier)).body
    assert balances['balance']['pendingPoints'] == 5      # the program's 14 pending days
    assert [p['integrationId'] for p in balances['profiles']] == ['R195412', 'DRPVV9476AF']
    unlinked = api.post('/v2/loyalty_programs/324/cards/%s/unlink_profile' % identifier,
                        {'integrationId': 'R195412'})
    assert unlinked.status == 200, unlinked
    assert [p['integrationId'] for p in unlinked.body['profiles']] == ['DRPVV9476AF']
    assert unlinked.body['ledger']['pendingBalance'] == 5
    inventory = api.get('/v1/customer_profiles/R195412/inventory',
                        query={'loyalty': 'true'}).body
    assert inventory['loyalty']['cards'] == []
    # Unlinking again: the link is unknown now.
    assert_error(api.post('/v2/loyalty_programs/324/cards/%s/unlink_profile' % identifier,
                          {'integrationId': 'R195412'}), 404, pointer='/integrationId')


def test_generate_with_an_identifier_and_bad_generations(api, spec):
    made = api.post(P324 + '/cards', {'cardIdentifier': 'my-card-0001', 'status': 'inactive'})
    assert made.status == 200 and made.body['identifier'] == 'my-card-0001'
    assert made.body['status'] == 'inactive' and made.body['profiles'] == []
    _named(spec, 'LoyaltyCard', made.body)
    assert api.get(P324 + '/cards/my-card-0001/balances').status == 200
    assert_error(api.post(P324 + '/cards', {'cardIdentifier': 'my-card-0001'}), 400,
                 pointer='/cardIdentifier')
    assert_error(api.post(P324 + '/cards', {'cardIdentifier': 'abc'}), 400,
                 pointer='/cardIdentifier')
    assert_error(api.post(P324 + '/cards', {'cardIdentifier': 'no spaces'}), 400,
                 pointer='/cardIdentifier')
    assert_error(api.post(P324 + '/cards', {'status': 'lost'}), 400, pointer='/status')
    assert_error(api.post(P324 + '/cards', {'customerProfileIds': ['NOBODY']}), 400,
                 pointer='/customerProfileIds/0')
    assert_error(api.post(P324 + '/cards', {'customerProfileIds': ['R195412', 'R195412']}),
                 400, pointer='/customerProfileIds/1')
    assert_error(api.post(P324 + '/cards', {'customerProfileIds': [
        'R195412', 'DRPVV9476AF', 'BZGGC2454PA']}), 400, pointer='/customerProfileIds')
    assert_error(api.post(P125 + '/cards', {}), 400)          # a profile-based program
    assert_error(api.post('/v1/loyalty_programs/999/cards', {}), 404)


def test_unlink_errors(api, spec):
    path = '/v2/loyalty_programs/324/cards/summer-loyalty-card-0543/unlink_profile'
    assert_error(api.post(path, {}), 400, pointer='/integrationId')
    assert_error(api.post(path, {'integrationId': 'NOBODY'}), 404)
    assert_error(api.post(path, {'integrationId': 'R195412'}), 404)   # not linked
    assert_error(api.post('/v2/loyalty_programs/324/cards/nope-0000/unlink_profile',
                          {'integrationId': 'URNGV8294NV'}), 404)
    assert_error(api.post('/v2/loyalty_programs/324/cards/abc/unlink_profile',
                          {'integrationId': 'URNGV8294NV'}), 400)     # minLength 4
    done = api.post(path, {'integrationId': 'URNGV8294NV'})    # the docs example
    assert done.status == 200 and done.body['profiles'] == []
    _named(spec, 'LoyaltyCard', done.body)


# ---------------------------------------------------------------- activation

def _redeems(api, session_id):
    """Whether Grace's session may pay with 100 points (campaign 30 needs 100 active)."""
    response = api.session(session_id, profileId='BZGGC2454PA', attributes={'usePoints': True},
                           cartItems=[SHOES])
    return bool(effects_of(response, 'deductLoyaltyPoints'))


def test_activated_points_become_active_and_spendable(api, spec):
    before = api.get(GRACE + '/balances').body['balance']
    assert before['pendingPoints'] == 50
    waiting = api.get(GRACE + '/transactions', query={'awaitsActivation': 'true'}).body['data']
    assert [(t['name'], t['startDate'], t['customerSessionId']) for t in waiting] == \
        [('Delivery points', 'on_action', 'CLOSED-SESSION-1')]
    assert not _redeems(api, 'SPEND-1')          # 57.6 active: pending points do not count
    response = api.post(P125 + '/activate_points', {'sessionId': 'CLOSED-SESSION-1'})
    assert response.status == 200, response
    _named(spec, 'ActivateLoyaltyPointsResponse', response.body)
    [entry] = response.body['ledgerEntries']
    assert entry['amount'] == 50 and entry['customerProfileID'] == 'BZGGC2454PA'
    assert entry['customerSessionID'] == 'CLOSED-SESSION-1' and entry['validityDuration'] == '90D'
    expiry = timeutil.parse(entry['expiryDate']) - timeutil.parse(entry['startDate'])
    assert expiry == dt.timedelta(days=90)
    after = api.get(GRACE + '/balances').body['balance']
    assert after['pendingPoints'] == 0 and after['activePoints'] == before['activePoints'] + 50
    assert api.get(GRACE + '/transactions', query={'awaitsActivation': 'true'}).body['data'] == []
    assert _redeems(api, 'SPEND-2')              # 107.6 active now
    # Activating again changes nothing.
    again = api.post(P125 + '/activate_points', {'sessionId': 'CLOSED-SESSION-1'})
    assert again.status == 200 and again.body['ledgerEntries'] == []
    assert api.get(GRACE + '/balances').body['balance'] == after


def test_points_earned_with_await_activation_and_activated_by_uuid(api):
    closed = api.session('DELIVER-1', profileId='R195412', state='closed',
                         attributes={'pointsOnDelivery': True}, cartItems=[SHOES])
    [props] = [e['props'] for e in effects_of(closed, 'addLoyaltyPoints')
               if e['ruleName'] == 'Points on delivery']
    assert props['awaitsActivation'] is True and props['validityDuration'] == '90D'
    assert 'startDate' not in props and 'expiryDate' not in props
    path = P125 + '/profile/R195412'
    assert api.get(path + '/balances').body['balance']['pendingPoints'] == 50
    pending = api.get(path + '/points', query={'status': 'pending'}).body['data']
    assert [p['transactionUUID'] for p in pending] == [props['transactionUUID']]
    response = api.post(P125 + '/activate_points',
                        {'transactionUUIDs': [props['transactionUUID']]})
    assert [e['name'] for e in response.body['ledgerEntries']] == ['Delivery points']
    balance = api.get(path + '/balances').body['balance']
    assert balance['pendingPoints'] == 0 and balance['activePoints'] == 60    # 10 + 50
    active = api.get(path + '/points').body['data']
    assert {p['name']: p['amount'] for p in active} == {'Delivery points': 50,
                                                        'Purchase points': 10}


def test_activation_errors(api):
    assert_error(api.post(P125 + '/activate_points', {}), 400)
    assert_error(api.post(P125 + '/activate_points', {'transactionUUIDs': []}), 400,
                 pointer='/transactionUUIDs')
    assert_error(api.post(P125 + '/activate_points', {'transactionUUIDs': ['x']}), 400,
                 pointer='/transactionUUIDs/0')
    assert_error(api.post(P125 + '/activate_points', {'sessionId': ''}), 400,
                 pointer='/sessionId')
    assert_error(api.post(P125 + '/activate_points', {'sessionId': 'NO-SUCH-SESSION'}), 404,
                 pointer='/sessionId')
    assert_error(api.post(P125 + '/activate_points', {
        'transactionUUIDs': ['8f1a8d7c-9c3e-4a5e-9f0d-2c5f7a3b1cde']}), 404,
        pointer='/transactionUUIDs')
    assert_error(api.post('/v1/loyalty_programs/999/activate_points',
                          {'sessionId': 'CLOSED-SESSION-1'}), 404)
    # The 404 left the points waiting.
    assert api.get(GRACE + '/balances').body['balance']['pendingPoints'] == 50


# ---------------------------------------------------------------- unused points

def test_profile_points_by_status_with_their_expiry(api, spec):
    active = api.get(ADA + '/points')
    assert active.status == 200
    _named(spec, 'inline_response_200_7', active.body)
    assert {(p['name'], p['subledgerId'], p['amount']) for p in active.body['data']} == \
        {('Welcome bonus', '', 180), ('Partner points', 'sub-123', 50)}
    for entry in active.body['data']:
        assert timeutil.parse(entry['expiryDate']) > _in_days(300)
    expired = api.get(ADA + '/points', query={'status': 'expired'}).body['data']
    assert [(p['name'], p['amount']) for p in expired] == [('Birthday points', 30)]
    assert api.get(ADA + '/points', query={'status': 'pending'}).body['data'] == []
    main = api.get(_multi(ADA + '/points', subledgerId='sub-123')).body['data']
    assert [p['name'] for p in main] == ['Partner points']
    uuid = active.body['data'][0]['transactionUUID']
    only = api.get(_multi(ADA + '/points', transactionUUIDs=uuid)).body['data']
    assert [p['transactionUUID'] for p in only] == [uuid]
    assert api.get(_multi(ADA + '/points', customerSessionIDs='NOPE')).body['data'] == []


def test_points_paging_and_sorting(api):
    for _ in range(3):
        api.post('/v2/events', {'type': 'review_written', 'profileId': 'URNGV8294NV'})
    everything = api.get(ADA + '/points').body
    assert len(everything['data']) == 5 and everything['hasMore'] is False
    first = api.get(ADA + '/points', query={'pageSize': 2}).body
    second = api.get(ADA + '/points', query={'pageSize': 2, 'skip': 2}).body
    last = api.get(ADA + '/points', query={'pageSize': 2, 'skip': 4}).body
    assert first['hasMore'] and second['hasMore'] and not last['hasMore']
    assert [p['id'] for p in first['data'] + second['data'] + last['data']] == \
        [p['id'] for p in everything['data']]
    by_expiry = api.get(ADA + '/points', query={'sort': 'expiryDate'}).body['data']
    dates = [p['expiryDate'] for p in by_expiry]
    assert dates == sorted(dates) and by_expiry[0]['name'] == 'Welcome bonus'
    newest = api.get(ADA + '/points', query={'sort': '-expiryDate'}).body['data']
    assert [p['id'] for p in newest] == [p['id'] for p in reversed(by_expiry)]
    for query in ({'status': 'used'}, {'sort': 'amount'}, {'pageSize': 0}, {'pageSize': 1001},
                  {'skip': -1}):
        assert_error(api.get(ADA + '/points', query=query), 400)
    assert_error(api.get(P125 + '/profile/NOBODY/points'), 404)
    assert_error(api.get(P324 + '/profile/URNGV8294NV/points'), 400)


def test_card_points(api, spec):
    active = api.get(CARD + '/points')
    _named(spec, 'inline_response_200_6', active.body)
    assert [(p['name'], p['amount']) for p in active.body['data']] == [('Card activation', 120)]
    pending = api.get(CARD_0544 + '/points', query={'status': 'pending'}).body['data']
    assert [(p['name'], p['amount']) for p in pending] == [('Welcome gift', 40)]
    assert timeutil.parse(pending[0]['startDate']) > _in_days(11)
    assert api.get(CARD_0544 + '/points').body['data'] == []
    api.session('CARD-S', profileId='URNGV8294NV', state='closed',
                loyaltyCards=['summer-loyalty-card-0543'], cartItems=[SHOES])
    earned = api.get(CARD + '/points', query={'status': 'pending'}).body['data']
    assert [(p['customerProfileID'], p['customerSessionId']) for p in earned] == \
        [('URNGV8294NV', 'CARD-S')]
    assert_error(api.get(P324 + '/cards/abc/points'), 400)
    assert_error(api.get(P324 + '/cards/nope-0000/points'), 404)


# ---------------------------------------------------------------- delete transactions

def test_deleted_transactions_change_balances(api):
    assert api.get(ADA + '/balances').body['subledgerBalances']['sub-123']['activePoints'] == 50
    response = api.post(ADA + '/delete_transactions',
                        {'scope': 'SelectedSubledgers', 'subledgerIds': ['sub-123']})
    assert response.status == 204 and response.raw == b''
    balances = api.get(ADA + '/balances').body
    assert balances['subledgerBalances']['sub-123']['activePoints'] == 0
    assert balances['balance']['activePoints'] == 180             # the main ledger stays
    names = [t['name'] for t in api.get(ADA + '/transactions').body['data']]
    assert 'Partner points' not in names and 'Welcome bonus' in names
    assert api.post(ADA + '/delete_transactions', {'scope': 'AllSubledgers'}).status == 204
    balances = api.get(ADA + '/balances').body
    assert balances['balance'] == {'activePoints': 0, 'pendingPoints': 0, 'spentPoints': 0,
                                   'expiredPoints': 0, 'negativePoints': 0}
    assert api.get(ADA + '/transactions').body['data'] == []


def test_delete_transactions_errors(api):
    path = ADA + '/delete_transactions'
    assert_error(api.post(path, {}), 400, pointer='/scope')
    assert_error(api.post(path, {'scope': 'Everything'}), 400, pointer='/scope')
    assert_error(api.post(path, {'scope': 'SelectedSubledgers'}), 400, pointer='/subledgerIds')
    assert_error(api.post(path, {'scope': 'SelectedSubledgers', 'subledgerIds': ['nope']}), 400,
                 pointer='/subledgerIds/0')
    assert_error(api.post(path, {'scope': 'AllSubledgers', 'subledgerIds': ['sub-123']}), 400,
                 pointer='/subledgerIds')
    assert_error(api.post(P125 + '/profile/NOBODY/delete_transactions',
                          {'scope': 'AllSubledgers'}), 404)
    assert_error(api.post(P324 + '/profile/URNGV8294NV/delete_transactions',
                          {'scope': 'AllSubledgers'}), 400)
    assert api.get(ADA + '/balances').body['balance']['activePoints'] == 180


# ---------------------------------------------------------------- join

def test_join_a_program_once(api, spec):
    inventory = '/v1/customer_profiles/DRPVV9476AF/inventory'
    assert api.get(inventory, query={'loyalty': 'true'}).body['loyalty']['programs'] == {}
    joined = api.post(P125 + '/profile/DRPVV9476AF/join')
    assert joined.status == 200 and joined.raw == b''
    programs = api.get(inventory, query={'loyalty': 'true'}).body['loyalty']['programs']
    ledger = programs['125']
    _named(spec, 'LoyaltyProgramLedgers', ledger)
    assert abs(timeutil.parse(ledger['joinDate']) - timeutil.now()) < dt.timedelta(minutes=1)
    assert ledger['ledger']['currentBalance'] == 0
    assert ledger['ledger']['currentTier']['name'] == 'Bronze'
    profile = api.get(inventory, query={'profile': 'true'}).body['profile']
    assert [m['loyaltyProgramId'] for m in profile['loyaltyMemberships']] == [125]
    # Joining twice fails, as the spec says.
    assert_error(api.post(P125 + '/profile/DRPVV9476AF/join'), 400)
    assert_error(api.post(P125 + '/profile/URNGV8294NV/join'), 400)   # joined by earning
    # An unknown profile is created, then joined.
    assert api.post(P125 + '/profile/NEW-MEMBER/join').status == 200
    assert api.get(P125 + '/profile/NEW-MEMBER/balances').status == 200
    assert_error(api.post(P324 + '/profile/R195412/join'), 400)      # card-based
    assert_error(api.post('/v1/loyalty_programs/999/profile/R195412/join'), 404)


# ---------------------------------------------------------------- balances and tiers

def test_balances_with_tiers_and_projection(api, spec):
    plain = api.get(ADA + '/balances').body
    assert 'currentTier' not in plain['balance']
    body = api.get(ADA + '/balances', query={'includeTiers': 'true',
                                             'includeProjectedTier': 'true'}).body
    _named(spec, 'LoyaltyBalancesWithTiers', body)
    balance = body['balance']
    assert balance['currentTier']['name'] == 'Silver' and balance['nextTierName'] == 'Gold'
    assert balance['pointsToNextTier'] == 320
    # By the end of the year the welcome bonus (expiring in 335 days) may still be there.
    projected = balance['projectedTier']
    assert projected['projectedActivePoints'] in (0, 180)
    assert body['subledgerBalances']['sub-123']['currentTier']['name'] == 'Bronze'
    only = api.get(ADA + '/balances', query={'subledgerId': 'sub-123'}).body
    assert list(only['subledgerBalances']) == ['sub-123']
    assert api.get(ADA + '/balances', query={'subledgerId': 'other'}).body[
        'subledgerBalances'] == {}
    assert_error(api.get(ADA + '/balances', query={'includeTiers': 'maybe'}), 400)


def test_card_balances(api, spec):
    body = api.get(CARD + '/balances').body
    _named(spec, 'LoyaltyCardBalances', body)
    assert body['balance']['activePoints'] == 120
    assert [p['integrationId'] for p in body['profiles']] == ['URNGV8294NV']
    assert api.get(_multi(CARD + '/balances', subledgerId=['a', 'b'])).body[
        'subledgerBalances'] == {}
    assert_error(api.get(P324 + '/cards/abc/balances'), 400)


def test_tier_change_effect(api, spec):
    response = api.post('/v2/events', {'type': 'vip_upgrade', 'profileId': 'URNGV8294NV'},
                        query={'silent': 'no'})
    [props] = [e['props'] for e in effects_of(response, 'changeLoyaltyTierLevel')]
    _named(spec, 'ChangeLoyaltyTierLevelEffectProps', props)
    assert props['previousTierName'] == 'Silver' and props['newTierName'] == 'Gold'
    body = api.get(ADA + '/balances', query={'includeTiers': 'true'}).body['balance']
    assert body['currentTier']['name'] == 'Gold'
    assert body['currentTier']['expiryDate'] == props['expiryDate']
    assert 'nextTierName' not in body                # the highest tier
    ledger = api.get('/v1/customer_profiles/URNGV8294NV/inventory',
                     query={'loyalty': 'true'}).body['loyalty']['programs']['125']['ledger']
    assert ledger['currentTier']['name'] == 'Gold'
    # Already Gold: no effect the second time.
    again = api.post('/v2/events', {'type': 'vip_upgrade', 'profileId': 'URNGV8294NV'},
                     query={'silent': 'no'})
    assert effects_of(again, 'changeLoyaltyTierLevel') == []


def test_expiry_effects_move_the_expiry_of_unused_points(api, spec):
    def expiries():
        return {p['name']: p['expiryDate'] for p in api.get(ADA + '/points').body['data']
                if p['subledgerId'] == ''}
    before = expiries()
    response = api.post('/v2/events', {'type': 'points_extension', 'profileId': 'URNGV8294NV'},
                        query={'silent': 'no'})
    [props] = [e['props'] for e in effects_of(response, 'extendLoyaltyPointsExpiryDate')]
    _named(spec, 'ExtendLoyaltyPointsExpiryDateEffectProps', props)
    assert props['extensionDuration'] == '30D'
    [change] = props['affectedTransactions']     # the welcome bonus; the birthday points expired
    assert change['previousExpiryDate'] == before['Welcome bonus']
    after = expiries()
    assert timeutil.parse(after['Welcome bonus']) - timeutil.parse(before['Welcome bonus']) == \
        dt.timedelta(days=30)
    assert after['Welcome bonus'] == change['newExpiryDate']
    response = api.post('/v2/events', {'type': 'points_expiry_reset',
                                       'profileId': 'URNGV8294NV'}, query={'silent': 'no'})
    [props] = [e['props'] for e in effects_of(response, 'setLoyaltyPointsExpiryDate')]
    _named(spec, 'SetLoyaltyPointsExpiryDateEffectProps', props)
    new = timeutil.parse(props['newExpiryDate'])
    assert abs(new - _in_days(60)) < dt.timedelta(minutes=1)
    reset = expiries()
    assert set(reset.values()) == {props['newExpiryDate']}
    # The balance follows: the 180 points are gone after 60 days, not after 365.
    def active_in(days):
        return api.get(ADA + '/balances', query={'endDate': timeutil.fmt(_in_days(days))}).body[
            'balance']['activePoints']
    assert (active_in(59), active_in(61)) == (180, 0)


# ---------------------------------------------------------------- transaction filters

def test_transaction_filters(api, spec):
    api.session('FILTER-1', profileId='URNGV8294NV', state='closed', cartItems=[SHOES])
    everything = api.get(ADA + '/transactions').body
    _named(spec, 'inline_response_200_5', everything)
    assert all(e['transactionUUID'] for e in everything['data'])
    assert len({e['transactionUUID'] for e in everything['data']}) == len(everything['data'])
    imported = api.get(ADA + '/transactions', query={'loyaltyTransactionType': 'import'}).body
    assert len(imported['data']) == 4
    session = api.get(ADA + '/transactions', query={'loyaltyTransactionType': 'session'}).body
    # the purchase points and (Ada is in the VIP audience) the VIP bonus of sub-123
    assert [e['customerSessionId'] for e in session['data']] == ['FILTER-1', 'FILTER-1']
    assert api.get(ADA + '/transactions', query={'loyaltyTransactionType': 'manual'}).body[
        'data'] == []
    by_session = api.get(_multi(ADA + '/transactions', customerSessionIDs=['FILTER-1', 'X']))
    assert sorted(e['name'] for e in by_session.body['data']) == ['Purchase points',
                                                                    'VIP bonus']
    two = [e['transactionUUID'] for e in imported['data'][:2]]
    by_uuid = api.get(_multi(ADA + '/transactions', transactionUUIDs=two)).body['data']
    assert sorted(e['transactionUUID'] for e in by_uuid) == sorted(two)
    assert_error(api.get(ADA + '/transactions', query={'awaitsActivation': 'false'}), 400)
    assert_error(api.get(ADA + '/transactions', query={'loyaltyTransactionType': 'x'}), 400)
    assert len(api.get(ADA + '/transactions').body['data']) == 6    # default page of 50


def test_card_transaction_filters(api, spec):
    api.session('CARD-T', profileId='URNGV8294NV', state='closed',
                loyaltyCards=['summer-loyalty-card-0543'], cartItems=[SHOES])
    body = api.get(CARD + '/transactions').body
    _named(spec, 'inline_response_200_4', body)
    assert [e['name'] for e in body['data']] == ['Summer card points', 'Card activation']
    main = api.get(_multi(CARD + '/transactions', subledgerId=['', 'other'])).body['data']
    assert len(main) == 2
    assert api.get(_multi(CARD + '/transactions', subledgerId='other')).body['data'] == []
    assert [e['customerSessionId'] for e in api.get(
        _multi(CARD + '/transactions', customerSessionIDs='CARD-T')).body['data']] == ['CARD-T']
    assert_error(api.get(CARD + '/transactions', query={'pageSize': 1001}), 400)
    paged = api.get(CARD + '/transactions', query={'pageSize': 1}).body
    assert paged['hasMore'] is True and len(paged['data']) == 1


def test_negative_balances_and_flags(spec):
    with open(world_module.EXAMPLE_WORLD, encoding='utf-8') as handle:
        data = json.load(handle)
    data['loyaltyTransactions'].append({'programId': 125, 'profileId': 'R195412',
                                        'amount': -50, 'name': 'Overdraft',
                                        'createdDaysAgo': 3})
    with Sandbox(world=data) as running:
        api = Client(running.url, running.api_key)
        path = P125 + '/profile/R195412'
        balance = api.get(path + '/balances').body['balance']
        assert balance['negativePoints'] == 50 and balance['activePoints'] == 0
        [entry] = api.get(path + '/transactions').body['data']
        assert entry['flags'] == {'createsNegativeBalance': True}
        ledger = api.get('/v1/customer_profiles/R195412/inventory',
                         query={'loyalty': 'true'}).body['loyalty']['programs']['125']
        _named(spec, 'LoyaltyProgramLedgers', ledger)
        assert ledger['ledger']['negativeBalance'] == 50
        assert ledger['ledger']['tentativeNegativeBalance'] == 50
        api.post('/v2/events', {'type': 'review_written', 'profileId': 'R195412'})
        paid = api.get(path + '/balances').body['balance']      # 15 earned pay off 15
        assert paid['negativePoints'] == 35 and paid['activePoints'] == 0


# ---------------------------------------------------------------- the world and persistence

def test_world_rejects_bad_2026_loyalty_fields():
    with open(world_module.EXAMPLE_WORLD, encoding='utf-8') as handle:
        base = json.load(handle)
    cases = [
        (lambda w: w['campaigns'][-1]['rules'][1]['effects'][0].update(tierName='Platinum'),
         r"tierName: program 125 has no tier 'Platinum'"),
        (lambda w: w['campaigns'][-1]['rules'][2]['effects'][0].update(extensionDuration='3x'),
         r'extensionDuration: must be a count and a unit'),
        (lambda w: w['campaigns'][-1]['rules'][0]['effects'][0].pop('awaitsActivation'),
         r'validityDuration: needs awaitsActivation'),
        (lambda w: w['campaigns'][-1]['rules'][3]['effects'][0].update(
            newExpiryDate='2030-01-01T00:00:00Z'), r'exactly one of newExpiryDate, expiryDays'),
        (lambda w: w['loyaltyPrograms'][0]['tiers'].append({'name': 'Bronze', 'minPoints': 9}),
         r'tiers\[3\]\.name: duplicate'),
        (lambda w: w['loyaltyPrograms'][0]['tiers'][0].update(minPoints=-1),
         r'tiers\[0\]\.minPoints: must be >= 0'),
    ]
    for change, message in cases:
        world = copy.deepcopy(base)
        change(world)
        with pytest.raises(world_module.WorldError, match=message):
            world_module.from_dict(world)


def test_the_docs_examples_work_in_the_example_world(api):
    assert api.post(P125 + '/profile/DRPVV9476AF/join').status == 200
    assert api.post('/v2/loyalty_programs/324/cards/summer-loyalty-card-0543/unlink_profile',
                    {'integrationId': 'URNGV8294NV'}).status == 200
    assert api.post(P125 + '/activate_points',
                    {'sessionId': 'CLOSED-SESSION-1'}).body['ledgerEntries']
    assert api.post(P324 + '/cards', {'customerProfileIds': ['R195412']}).status == 200
    assert api.post(ADA + '/delete_transactions', {
        'scope': 'SelectedSubledgers', 'subledgerIds': ['sub-123']}).status == 204


def test_2026_loyalty_state_survives_a_restart(tmp_path):
    db = str(tmp_path / 'restart.sqlite3')
    with Sandbox(db=db) as running:
        api = Client(running.url, running.api_key)
        card = api.post(P324 + '/cards', {'customerProfileIds': ['R195412']}).body
        assert api.post(P125 + '/activate_points', {'sessionId': 'CLOSED-SESSION-1'}).status \
            == 200
        assert api.post(ADA + '/delete_transactions', {'scope': 'AllSubledgers'}).status == 204
        assert api.post(P125 + '/profile/DRPVV9476AF/join').status == 200
    with Sandbox(db=db) as running:
        api = Client(running.url, running.api_key)
        found = api.get('%s/cards/%s/balances' % (P324, card['identifier'])).body
        assert [p['integrationId'] for p in found['profiles']] == ['R195412']
        assert api.get(GRACE + '/balances').body['balance']['pendingPoints'] == 0
        assert api.get(ADA + '/transactions').body['data'] == []
        assert_error(api.post(P125 + '/profile/DRPVV9476AF/join'), 400)


def test_every_new_route_is_served_and_fuzzed():
    """The hostile-input test runs over routes.ROUTES: these must be among them."""
    served = {(method, template.replace(':int', '')) for method, template, _, _ in routes.ROUTES}
    assert served >= {
        ('POST', '/v1/loyalty_programs/{loyaltyProgramId}/activate_points'),
        ('POST', '/v1/loyalty_programs/{loyaltyProgramId}/cards'),
        ('GET', '/v1/loyalty_programs/{loyaltyProgramId}/cards/{loyaltyCardId}/points'),
        ('POST', '/v1/loyalty_programs/{loyaltyProgramId}/profile/{integrationId}/'
                 'delete_transactions'),
        ('POST', '/v1/loyalty_programs/{loyaltyProgramId}/profile/{integrationId}/join'),
        ('GET', '/v1/loyalty_programs/{loyaltyProgramId}/profile/{integrationId}/points'),
        ('POST', '/v2/loyalty_programs/{loyaltyProgramId}/cards/{loyaltyCardId}/'
                 'unlink_profile'),
    }


def test_routes_match_the_2026_spec(spec):
    """Every loyalty route of the spec is served, with the spec's method."""
    wanted = {(method.upper(), path) for path, item in spec['paths'].items()
              if '/loyalty_programs/' in path for method in item}
    served = {(method, template.replace(':int', '')) for method, template, _, _ in routes.ROUTES}
    assert wanted <= served, wanted - served
    assert os.path.basename(__file__) == 'test_loyalty_2026.py'


def test_extending_points_that_expire_at_the_calendars_end_is_no_error():
    with open(world_module.EXAMPLE_WORLD, encoding='utf-8') as handle:
        data = json.load(handle)
    data['loyaltyTransactions'].append({'programId': 125, 'profileId': 'R195412', 'amount': 10,
                                        'name': 'Forever-ish', 'createdDaysAgo': 1,
                                        'expiryDate': '9999-12-01T00:00:00Z'})
    data['campaigns'][-1]['rules'][2]['effects'][0]['extensionDuration'] = '1Y'
    with Sandbox(world=data) as running:
        api = Client(running.url, running.api_key)
        response = api.post('/v2/events', {'type': 'points_extension', 'profileId': 'R195412'},
                            query={'silent': 'no'})
        assert response.status == 200, response
        [props] = [e['props'] for e in effects_of(response, 'extendLoyaltyPointsExpiryDate')]
        assert props['affectedTransactions'][0]['newExpiryDate'].startswith('9999-12-30')
        assert api.get(P125 + '/profile/R195412/points').body['data'][0]['amount'] == 10
