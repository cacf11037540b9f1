"""Hostile input on every route, in memory and with --db: always a 4xx, never a 5xx or a drop.

Lone UTF-16 surrogates (valid JSON, not text) get the same 400 naming the field in both storage
modes. A seeded, bounded generator then feeds every route bad bodies and bad paths over keep-alive
raw connections and checks that each gets an answer below 500 and that a valid request still works.
"""

import json
import random

import pytest

from talon_one.sandbox import Sandbox
from talon_one.sandbox.http import routes

from .http_client import RawConnection, assert_json_error, concrete_path, raw_request

LONE = '\ud800'

# (method, path, body, pointer of the field holding the surrogate)
SURROGATE_CASES = [
    ('PUT', '/v2/customer_profiles', {'customerProfiles': [{'integrationId': LONE}]},
     '/customerProfiles/0/integrationId'),
    ('POST', '/v2/events', {'type': 'x', 'profileId': LONE}, '/profileId'),
    ('POST', '/v1/events', {'type': 'x', 'profileId': LONE, 'sessionId': 'S'}, '/profileId'),
    ('POST', '/v1/referrals', {'campaignId': 45, 'advocateProfileIntegrationId': LONE},
     '/advocateProfileIntegrationId'),
    ('POST', '/v1/referrals_for_multiple_advocates',
     {'campaignId': 45, 'advocateProfileIntegrationIds': ['A1', LONE]},
     '/advocateProfileIntegrationIds/1'),
    ('POST', '/v1/coupon_reservations/XMAS-20-2021', {'integrationIDs': [LONE]},
     '/integrationIDs/0'),
    ('PUT', '/v2/customer_sessions/S-LONE', {'customerSession': {'profileId': LONE}},
     '/customerSession/profileId'),
    ('PUT', '/v1/customer_sessions/S-LONE', {'profileId': LONE}, '/profileId'),
    ('PUT', '/v2/customer_sessions/S-LONE',
     {'customerSession': {'attributes': {'ok': 1, '\udc00': 2}}},
     '/customerSession/attributes/\\udc00'),
    ('POST', '/v3/events', {'integrationId': LONE, 'type': 'x', 'profileId': 'P'},
     '/integrationId'),
    ('POST', '/v1/best_prior_price', {'skus': ['A', LONE], 'timeframe': '30',
                                      'timeframeEndDate': '2026-11-30T00:00:00Z',
                                      'timeframeEndDateType': 'strict'}, '/skus/1'),
]


@pytest.fixture
def any_store(sandbox_memory_and_db):
    return sandbox_memory_and_db


def _address(sandbox):
    return sandbox.server.server_address[:2]


def _answers(sandbox, requests):
    with RawConnection(_address(sandbox)) as conn:
        conn.send(b''.join(requests))
        return [conn.response() for _ in requests]


def _surrogate_answers(sandbox):
    requests = [raw_request(method, path, sandbox.api_key, json.dumps(body).encode('ascii'))
                for method, path, body, _ in SURROGATE_CASES]
    return _answers(sandbox, requests)


def test_lone_surrogates_are_400_naming_the_field(any_store):
    for (method, path, _, pointer), answer in zip(SURROGATE_CASES, _surrogate_answers(any_store)):
        body = assert_json_error(answer, 400)
        assert body['errors'][0]['source']['pointer'] == pointer, (method, path, body)
        assert 'lone UTF-16 surrogate' in body['message']
    # Nothing was stored, and the server is fine.
    assert any_store.store.get('session', 'S-LONE') is None


def test_lone_surrogates_get_the_same_answer_in_memory_and_with_db(tmp_path):
    with Sandbox() as memory:
        in_memory = _surrogate_answers(memory)
    with Sandbox(db=str(tmp_path / 'same.sqlite3')) as with_db:
        on_disk = _surrogate_answers(with_db)
    assert [(a.status, a.json) for a in in_memory] == [(a.status, a.json) for a in on_disk]


def test_paired_surrogates_and_encoded_paths_are_fine(any_store):
    emoji = json.dumps({'customerProfiles': [{'integrationId': '\U0001F600'}]}).encode('ascii')
    assert b'\\ud83d\\ude00' in emoji
    answers = _answers(any_store, [
        raw_request('PUT', '/v2/customer_profiles', any_store.api_key, emoji),
        # Percent-encoded bytes of a surrogate are not UTF-8: they decode to U+FFFD.
        raw_request('PUT', '/v2/customer_profiles/P%ED%A0%80', any_store.api_key,
                    {'attributes': {}}),
    ])
    assert [a.status for a in answers] == [204, 200]
    assert any_store.store.get('profile', '\U0001F600') is not None


# ---------------------------------------------------------------- generated bad input

FIELD_NAMES = ['customerSession', 'customerSessions', 'cartItems', 'profileId', 'integrationId',
               'couponCodes', 'referralCode', 'loyaltyCards', 'attributes', 'state', 'sku',
               'quantity', 'price', 'data', 'actions', 'type', 'payload', 'customerProfiles',
               'integrationIDs', 'campaignId', 'advocateProfileIntegrationId',
               'advocateProfileIntegrationIds', 'responseContent', 'audiencesChanges', 'adds',
               'name', 'returnedCartItems', 'position', 'additionalCosts', 'identifiers',
               'evaluableCampaignIds', 'total', 'validUntil', 'numberOfUses', 'action',
               'audienceId', 'profileIntegrationId', 'startDate', 'expiryDate', 'sessionId',
               # the 2026 loyalty bodies
               'cardIdentifier', 'customerProfileIds', 'status', 'transactionUUIDs', 'scope',
               'subledgerIds',
               # the 2026 event, price and campaign bodies
               'skus', 'timeframe', 'timeframeEndDate', 'timeframeEndDateType', 'target',
               'targetType', 'audienceID', 'connectedSessionId', 'storeIntegrationId',
               'previousEventID']
ODD_STRINGS = ['', ' ', '\x00', 'a' * 5000, '\u202e', '\U0001F600', '1e999', 'null', '%00',
               '../..', '<script>', 'true', '-1', '2024-13-45T99:99:99Z', '{}', 'closed',
               'cancelled', 'partially_returned', 'XMAS-20-2021', 'URNGV8294NV']
ODD_NUMBERS = [0, -1, 1, 2 ** 31, 2 ** 63, 10 ** 30, -10 ** 30, 1e308, -1e308, 0.5, 1e-320,
               123456789012345678901234567890]


def _value(rng, depth=0):
    roll = rng.random()
    if depth > 3 or roll < 0.35:
        return rng.choice(ODD_STRINGS + ODD_NUMBERS + [True, False, None])
    if roll < 0.65:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rng.choice(FIELD_NAMES): _value(rng, depth + 1) for _ in range(rng.randint(0, 5))}


def _bad_body(rng):
    """Bytes no client should send: broken JSON, odd values, deep nesting, random bytes."""
    kind = rng.randrange(8)
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 200)))
    if kind == 1:
        text = json.dumps(_value(rng))
        return text[:rng.randint(0, len(text))].encode('utf-8')
    if kind == 2:
        levels = rng.choice([63, 64, 65, 200, 5000])
        return b'{"a":' * levels + b'1' + b'}' * levels
    if kind == 3:
        return rng.choice([b'NaN', b'{"a": Infinity}', b'{"a": 1e400}', b'[]', b'"text"',
                           b'{"a": "\\ud800"}', b'{"\\udfff": 1}', b'\xef\xbb\xbf{}',
                           b'{"a": 1, "a": 2}', b'{' + b'"k":1,' * 5000 + b'"k":1}'])
    body = {rng.choice(FIELD_NAMES): _value(rng) for _ in range(rng.randint(1, 4))}
    return json.dumps(body).encode('utf-8')


def _bad_path(rng, template):
    """The route's path with one part made hostile, plus an odd query now and then."""
    segments = concrete_path(template, customerSessionId='FUZZ-SESSION').split('/')
    index = rng.randrange(1, len(segments))
    segments[index] = rng.choice(['%00', '%ZZ', '%', '%2F%2F', '%ED%A0%80', '..', '.',
                                  'x' * 3000, '%C3%28', '%FF%FE', '~', "'", '%25', ''])
    path = '/'.join(segments)
    if rng.random() < 0.5:
        path += '?' + rng.choice(['dry=maybe', 'skip=-1', 'pageSize=1e9', 'endDate=soon',
                                  'silent=%FF', '=&&=', 'profile=%00', 'a=' + 'b' * 3000,
                                  'runRuleEngine=2', 'subledgerId=%ED%A0%80',
                                  'status=%00', 'sort=-', 'awaitsActivation=false',
                                  'transactionUUIDs=&transactionUUIDs=%FF',
                                  'loyaltyTransactionType=x', 'includeTiers=2',
                                  'campaignIds=1,x', 'campaignIds=%00&campaignIds=2',
                                  'achievementStatus=nope', 'startAfter=never',
                                  'now=2099-13-01', 'forceCompleteEvaluation=maybe'])
    return path


def _requests_for(rng, method, template, api_key):
    path = concrete_path(template, customerSessionId='FUZZ-SESSION')
    requests = [raw_request(method, path, api_key, _bad_body(rng)) for _ in range(8)]
    requests += [raw_request(method, _bad_path(rng, template), api_key,
                             _bad_body(rng) if rng.random() < 0.5 else None) for _ in range(4)]
    return requests


@pytest.mark.parametrize('method, template', [(r[0], r[1]) for r in routes.ROUTES],
                         ids=['%s %s' % (r[0], r[1]) for r in routes.ROUTES])
def test_generated_bad_input_never_gets_a_5xx(any_store, method, template):
    rng = random.Random('%s %s' % (method, template))    # seeded: the same input every run
    requests = _requests_for(rng, method, template, any_store.api_key)
    probe = raw_request('PUT', '/v2/customer_sessions/PROBE', any_store.api_key, {
        'customerSession': {'profileId': 'PROBE', 'couponCodes': ['XMAS-20-2021'],
                            'cartItems': [{'sku': 'SKU1241028', 'quantity': 1, 'price': 99.0}]}})
    with RawConnection(_address(any_store), timeout=30) as conn:
        for index, request in enumerate(requests):
            answer = conn.send(request).response()
            # Every request is well framed, so the connection must stay usable throughout.
            assert answer is not None, 'connection dropped on request %d: %r' % (
                index, request[:300])
            assert answer.status < 500, (index, request[:300], answer)
            assert 'connection' not in answer.headers, answer
            if answer.status >= 400:
                assert_json_error(answer, answer.status)
        answer = conn.send(probe).response()
    assert answer.status == 200, answer
    assert [e['effectType'] for e in answer.json['effects']].count('acceptCoupon') == 1
