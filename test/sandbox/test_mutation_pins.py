"""Sandbox promises that mutation testing (bench/mutation.py) found unpinned, over HTTP.

In a file of its own: the other sandbox test files are being extended meanwhile.
"""

import copy

import pytest

from talon_one.sandbox import Sandbox

from .http_client import Client, effects_of

CART = [{'sku': 'A', 'quantity': 1, 'price': 80}]


def test_a_coupon_takes_reservations_up_to_its_limit_and_not_one_more(client):
    # RESERVED-ONLY (example world): reservationLimit 10, already reserved by URNGV8294NV.
    nine = ['P%d' % i for i in range(9)]
    filled = client.post('/v1/coupon_reservations/RESERVED-ONLY', {'integrationIDs': nine})
    assert filled.status == 201 and filled.body['reservationCounter'] == 10
    over = client.post('/v1/coupon_reservations/RESERVED-ONLY', {'integrationIDs': ['P9']})
    assert over.status == 400
    customers = client.get('/v1/coupon_reservations/customerprofiles/RESERVED-ONLY').body
    assert customers['totalResultSize'] == 10


def test_one_coupon_per_campaign(client):
    # Both coupons belong to campaign 10: the first valid one is used, the second rejected.
    response = client.session('S', profileId='P1', couponCodes=['XMAS-20-2021', 'ONCE-ONLY-1'],
                              cartItems=CART)
    assert response.status == 200
    assert [e['props']['value'] for e in effects_of(response, 'acceptCoupon')] == ['XMAS-20-2021']
    rejected = effects_of(response, 'rejectCoupon')
    assert [(e['props']['value'], e['props']['rejectionReason']) for e in rejected] == [
        ('ONCE-ONLY-1', 'CouponRejectedByCondition')]


_RESERVING_WORLD = {
    'application': {'id': 1, 'name': 'Reservations', 'currency': 'EUR', 'apiKey': 'k'},
    'campaigns': [{'id': 1, 'name': 'Reserve', 'rules': [
        {'title': 'Reserve on use', 'conditions': [{'type': 'couponValid'}],
         'effects': [{'type': 'reserveCoupon'}]}]}],
    'coupons': [{'value': 'TWO-PROFILES', 'campaignId': 1, 'reservationLimit': 2}],
}


@pytest.fixture
def reserving():
    with Sandbox(world=copy.deepcopy(_RESERVING_WORLD)) as running:
        yield Client(running.url, running.api_key)


def test_a_reserve_coupon_effect_respects_the_reservation_limit(reserving):
    news = []
    for index in range(3):
        response = reserving.session('S%d' % index, profileId='PROFILE-%d' % index,
                                     couponCodes=['TWO-PROFILES'], cartItems=CART,
                                     state='closed')
        assert response.status == 200, response.body
        news.append([e['props']['isNewReservation']
                     for e in effects_of(response, 'reserveCoupon')])
    # Two profiles fit; for the third the rule reserves nothing (its redemption still does).
    assert news == [[True], [True], []]
