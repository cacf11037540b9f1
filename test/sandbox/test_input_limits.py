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
    ({'sku': 'A', 'quantity': 10 ** 30, 'price': 1}, 'quantity'),       # beyond int64
    ({'sku': 'A', 'quantity': 2 ** 63, 'price': 1}, 'quantity'),
    ({'sku': 'A', 'quantity': 1, 'price': 10 ** 400}, 'price'),         # beyond a double
    ({'sku': 'A', 'quantity': 1, 'price': 1, 'weight': -10 ** 309}, 'weight'),
])
def test_numbers_no_api_type_holds_are_400_naming_the_field(client, item, field):
    response = client.put(SESSION_PATH, raw=json.dumps(
        {'customerSession': {'cartItems': [item]}}).encode())
    assert_error(response, 400, pointer='/customerSession/cartItems/0/' + field)
    assert ('64-bit integer' if field == 'quantity' else 'finite number') in \
        response.body['message']


def test_int64_quantities_and_large_doubles_are_taken(client):
    """The spec's types: quantity is an int64, price a double; the old +-1e15 bound is gone."""
    response = client.session('LIMITS-3', cartItems=[
        {'sku': 'A', 'quantity': 4611686018427387903, 'price': 1},
        {'sku': 'B', 'quantity': 1, 'price': 2e15, 'weight': 10 ** 16},
        {'sku': 'C', 'quantity': 2 ** 63 - 1, 'price': 0}])
    assert response.status == 200, response
    session = response.body['customerSession']
    assert [i['quantity'] for i in session['cartItems']] == [4611686018427387903, 1, 2 ** 63 - 1]
    assert session['cartItems'][1]['price'] == 2e15
    assert session['cartItemTotal'] == pytest.approx(4611686018427387903 + 2e15)


def test_cents_stay_exact_next_to_large_numbers(client):
    response = client.session('LIMITS-6', cartItems=[
        {'sku': 'A', 'quantity': 3, 'price': 0.1}, {'sku': 'B', 'quantity': 1, 'price': 0.2}])
    assert response.body['customerSession']['cartItemTotal'] == 0.5


def test_sums_that_overflow_a_double_are_400(client):
    response = client.session('LIMITS-2', cartItems=[{'sku': 'A', 'quantity': 2, 'price': 1e308}])
    assert_error(response, 400, pointer='')
    assert 'out of range' in response.body['message']


def test_large_additional_cost_and_v1_total_are_taken(client):
    costs = client.session('LIMITS-4', additionalCosts={'shipping': {'price': 1e300}})
    assert costs.status == 200, costs
    assert costs.body['customerSession']['additionalCostTotal'] == 1e300
    v1 = client.put('/v1/customer_sessions/LIMITS-5', raw=json.dumps(
        {'total': 10 ** 20}).encode())
    assert v1.status == 200, v1
    assert v1.body['session']['total'] == 10 ** 20
    nan = client.put('/v1/customer_sessions/LIMITS-5', raw=b'{"total": NaN}')
    assert_error(nan, 400, pointer='')


@pytest.mark.parametrize('date', ['9999-12-31T23:59:59-05:00', '0001-01-01T00:00:00+05:00'])
def test_date_without_a_utc_form_is_400(client, date):
    referral = client.post('/v1/referrals', {'campaignId': 45, 'startDate': date,
                                             'advocateProfileIntegrationId': 'URNGV8294NV'})
    assert_error(referral, 400, pointer='/startDate')
    balances = client.get('/v1/loyalty_programs/125/profile/URNGV8294NV/balances',
                          query={'endDate': date})
    assert_error(balances, 400)


def test_catalog_prices_are_doubles(client):
    ok = client.put('/v1/catalogs/6/sync', {'actions': [
        {'type': 'ADD', 'payload': {'sku': 'HUGE', 'price': 2e15}}]})
    assert ok.status == 200, ok
    too_big = client.put('/v1/catalogs/6/sync', raw=json.dumps({'actions': [
        {'type': 'ADD', 'payload': {'sku': 'HUGER', 'price': 10 ** 400}}]}).encode())
    assert_error(too_big, 400, pointer='/actions/0/payload/price')
