"""World file loading and validation."""

import json

import pytest

from talon_one.sandbox import Sandbox
from talon_one.sandbox import world as world_module

from .http_client import Client


def _example():
    with open(world_module.EXAMPLE_WORLD) as handle:
        return json.load(handle)


def test_example_world_has_the_documented_identifiers(client):
    assert client.get('/v2/customer_sessions/175KJPS947296').body['customerSession']['state'] \
        == 'open'
    closed = client.get('/v2/customer_sessions/CLOSED-SESSION-1').body['customerSession']
    assert closed['state'] == 'closed' and len(closed['cartItems']) >= 3
    for integration_id in ('URNGV8294NV', 'BZGGC2454PA', 'DRPVV9476AF', 'R195412'):
        assert client.get('/v1/customer_profiles/%s/inventory' % integration_id).status == 200
    assert client.get('/v1/coupon_reservations/customerprofiles/XMAS-20-2021').status == 200
    assert client.get('/v1/loyalty_programs/125/profile/URNGV8294NV/balances').body[
        'subledgerBalances']['sub-123']
    assert client.get('/v1/loyalty_programs/324/cards/summer-loyalty-card-0543/balances') \
        .status == 200
    for audience_id in (748, 2, 4, 7):
        assert client.put('/v2/audiences/%d' % audience_id, {'name': 'x'}).status == 200
    assert client.put('/v1/catalogs/6/sync', {'actions': [
        {'type': 'ADD', 'payload': {'sku': 'X'}}]}).status == 200
    data = _example()
    assert {c['id'] for c in data['campaigns']} >= {10, 12, 45, 78}
    assert any(r['code'] == 'NT2K54D9' for r in data['referrals'])


@pytest.mark.parametrize('mutate, message', [
    (lambda w: w.pop('application'), 'application: is required'),
    (lambda w: w['coupons'].append({'value': 'ABCD', 'campaignId': 4242}),
     "coupons[8].campaignId: unknown campaign 4242"),
    (lambda w: w['coupons'].append({'value': 'XMAS-20-2021', 'campaignId': 10}),
     "coupons[8].value: duplicate 'XMAS-20-2021'"),
    (lambda w: w['campaigns'][0]['rules'][0]['conditions'].append({'type': 'subtotal'}),
     'campaigns[0].rules[0].conditions[2].op: is required for subtotal'),
    (lambda w: w['campaigns'][0]['rules'][0]['effects'][0].update(value=3),
     'campaigns[0].rules[0].effects[0]: setDiscount needs exactly one of value, percent'),
    (lambda w: w['campaigns'][2]['rules'][0]['effects'][0].update(programId=1),
     'campaigns[2].rules[0].effects[0].programId: unknown loyalty program 1'),
    (lambda w: w['loyaltyCards'][0].update(programId=125),
     'loyaltyCards[0].programId: must name a card-based loyalty program'),
    (lambda w: w['coupons'][0].update(expiryDate='tomorrow'),
     "coupons[0].expiryDate: must be an RFC 3339 date-time, got 'tomorrow'"),
    (lambda w: w['application'].update(applicationKey='xyz'),
     'application.applicationKey: must be hexadecimal'),
    (lambda w: w['campaigns'][0]['rules'][0]['conditions'].append(
        {'type': 'loyaltyBalance', 'programId': 1, 'op': '>', 'value': 0}),
     'campaigns[0].rules[0].conditions[2].programId: unknown loyalty program 1'),
    (lambda w: w['campaigns'][0]['rules'][0]['conditions'].append(
        {'type': 'cartItem', 'minQuantity': '2'}),
     "campaigns[0].rules[0].conditions[2].minQuantity: must be int, got '2'"),
    (lambda w: w['campaigns'][0]['rules'][0]['conditions'].append(
        {'type': 'not', 'condition': 'x'}),
     "campaigns[0].rules[0].conditions[2].condition: must be dict, got 'x'"),
    (lambda w: w['campaigns'][0]['rules'][0]['effects'][0].update(percent='20'),
     "campaigns[0].rules[0].effects[0].percent: must be int or float, got '20'"),
])
def test_world_errors_name_the_path_and_rule(mutate, message):
    data = _example()
    mutate(data)
    with pytest.raises(world_module.WorldError) as caught:
        world_module.from_dict(data)
    assert message in str(caught.value)


def test_minimal_world():
    with Sandbox(world={'application': {'apiKey': 'k'}}) as sandbox:
        client = Client(sandbox.url, 'k')
        response = client.session('S', profileId='P', cartItems=[{'sku': 'A', 'quantity': 1}])
    assert response.status == 200 and response.body['effects'] == []


def test_world_file_path(tmp_path):
    path = tmp_path / 'w.json'
    path.write_text(json.dumps({'application': {'apiKey': 'from-file'}}))
    with Sandbox(world=str(path)) as sandbox:
        assert sandbox.api_key == 'from-file'
    with pytest.raises(world_module.WorldError):
        world_module.load(str(tmp_path / 'missing.json'))
