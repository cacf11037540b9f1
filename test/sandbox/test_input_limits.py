"""Hostile JSON: deep nesting and out-of-range numbers answer 400, never 500."""

import json

import pytest

from .http_client import assert_error

SESSION_PATH = '/v2/customer_sessions/LIMITS-1'


def _nested(levels):
    """``levels`` objects inside one another: {"a": {"a": ... 1}}."""
    return '{"a":' * levels + '1' + '}' * levels


def _session_with_attributes(attributes_json):
    return ('{"customerSession":{"attributes":%s}}' % attributes_json).encode()


def test_array_nesting_past_the_decoder_limit_is_400(client):
    response = client.put(SESSION_PATH, raw=b'[' * 100000 + b']' * 100000)
    assert_error(response, 400, pointer='')
    assert 'nested deeper' in response.body['message']


def test_deep_attributes_are_400(client):
    response = client.put(SESSION_PATH, raw=_session_with_attributes(_nested(995)))
    assert_error(response, 400, pointer='')
    assert client.get('/v2/customer_sessions/175KJPS947296').status == 200


def test_nesting_limit_is_64_levels(client):
    # body (1) > customerSession (2) > attributes (3..): 62 objects make 64 levels
    ok = client.put(SESSION_PATH, raw=_session_with_attributes(_nested(62)))
    too_deep = client.put(SESSION_PATH, raw=_session_with_attributes(_nested(63)))
    assert ok.status == 200, ok
    assert_error(too_deep, 400, pointer='')


def test_number_overflowing_to_infinity_is_400(client):
    response = client.put(SESSION_PATH, raw=_session_with_attributes('{"big":1e400}'))
    assert_error(response, 400, pointer='')


@pytest.mark.parametrize('item, field', [
    ({'sku': 'A', 'quantity': 10 ** 30, 'price': 1e308}, 'quantity'),
    ({'sku': 'A', 'quantity': 1, 'price': 1e308}, 'price'),
    ({'sku': 'A', 'quantity': 1, 'price': -2e15}, 'price'),
    ({'sku': 'A', 'quantity': 1, 'price': 1, 'weight': 10 ** 16}, 'weight'),
])
def test_huge_cart_numbers_are_400_naming_the_field(client, item, field):
    response = client.session('LIMITS-2', cartItems=[item])
    assert_error(response, 400, pointer='/customerSession/cartItems/0/' + field)


def test_largest_allowed_numbers_still_work(client):
    response = client.session('LIMITS-3', cartItems=[
        {'sku': 'A', 'quantity': 10 ** 15, 'price': 1e15}] * 3)
    assert response.status == 200, response
    assert response.body['customerSession']['cartItemTotal'] == pytest.approx(3e30)


def test_huge_additional_cost_and_v1_total_are_400(client):
    costs = client.session('LIMITS-4', additionalCosts={'shipping': {'price': 1e300}})
    assert_error(costs, 400, pointer='/customerSession/additionalCosts/shipping/price')
    v1 = client.put('/v1/customer_sessions/LIMITS-5', raw=json.dumps(
        {'total': 10 ** 20}).encode())
    assert_error(v1, 400, pointer='/total')


@pytest.mark.parametrize('date', ['9999-12-31T23:59:59-05:00', '0001-01-01T00:00:00+05:00'])
def test_date_without_a_utc_form_is_400(client, date):
    referral = client.post('/v1/referrals', {'campaignId': 45, 'startDate': date,
                                             'advocateProfileIntegrationId': 'URNGV8294NV'})
    assert_error(referral, 400, pointer='/startDate')
    balances = client.get('/v1/loyalty_programs/125/profile/URNGV8294NV/balances',
                          query={'endDate': date})
    assert_error(balances, 400)


def test_huge_catalog_price_is_400(client):
    response = client.put('/v1/catalogs/6/sync', {'actions': [
        {'type': 'ADD', 'payload': {'sku': 'HUGE', 'price': 1e300}}]})
    assert_error(response, 400, pointer='/actions/0/payload/price')
