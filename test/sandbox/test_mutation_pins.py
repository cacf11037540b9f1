"""Sandbox promises that mutation testing (bench/mutation.py) found unpinned, over HTTP.

In a file of its own: the other sandbox test files are being extended meanwhile.
"""

import copy
import datetime

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


_AMOUNTS_WORLD = {
    'application': {'id': 1, 'name': 'Amounts', 'currency': 'EUR', 'apiKey': 'k'},
    'additionalCosts': [
        {'id': 1, 'name': 'shipping', 'title': 'Shipping', 'type': 'session'},
        {'id': 2, 'name': 'packaging', 'title': 'Packaging', 'type': 'item'}],
    'campaigns': [{'id': 1, 'name': 'Amounts', 'rules': [
        {'title': 'All', 'conditions': [], 'effects': [
            {'type': 'setDiscountPerItem', 'name': 'A 10%', 'sku': 'A', 'percent': 10},
            {'type': 'setDiscountPerItem', 'name': 'B 1 each', 'sku': 'B', 'value': 1},
            {'type': 'setDiscountPerAdditionalCostPerItem', 'name': 'Half packaging',
             'additionalCost': 'packaging', 'percent': 50},
            {'type': 'setDiscountPerAdditionalCost', 'name': 'Shipping 40%',
             'additionalCost': 'shipping', 'percent': 40},
            {'type': 'setDiscount', 'name': '5% off', 'percent': 5},
        ]}]}],
}


def test_discount_amounts_count_price_times_quantity():
    # A: 3 x 10.00 with packaging 1.50 a unit; B: 2 x 4.00; shipping 5.00.
    with Sandbox(world=copy.deepcopy(_AMOUNTS_WORLD)) as running:
        client = Client(running.url, running.api_key)
        response = client.session('S', profileId='P', cartItems=[
            {'sku': 'A', 'quantity': 3, 'price': 10.0,
             'additionalCosts': {'packaging': {'price': 1.5}}},
            {'sku': 'B', 'quantity': 2, 'price': 4.0}],
            additionalCosts={'shipping': {'price': 5.0}})
    assert response.status == 200, response.body
    session = response.body['customerSession']
    assert (session['cartItemTotal'], session['additionalCostTotal'], session['total']) == (
        38.0, 9.5, 47.5)    # 30 + 8; 5 + 3 x 1.50
    amounts = [(e['effectType'], e['props']['value']) for e in effects_of(response)]
    assert amounts == [
        ('setDiscountPerItem', 3.0),                     # 10% of 3 x 10.00
        ('setDiscountPerItem', 2.0),                     # 1.00 for each of 2 units
        ('setDiscountPerAdditionalCostPerItem', 2.25),   # 50% of 3 x 1.50
        ('setDiscountPerAdditionalCost', 2.0),           # 40% of 5.00
        ('setDiscount', 1.9),                            # 5% of 38.00
    ]


# -- when a code can be used (engine/codes.py), at a fixed time -------------------------------

NOW = datetime.datetime(2030, 6, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)
AT_NOW = '2030-06-01T12:00:00Z'
_RULE = [{'title': 'r', 'conditions': [{'type': 'couponValid'}],
          'effects': [{'type': 'setDiscount', 'name': 'd', 'value': 1}]}]
_CODES_WORLD = {
    'application': {'id': 1, 'name': 'Codes', 'currency': 'EUR', 'apiKey': 'k'},
    'campaigns': [{'id': 1, 'name': 'on', 'rules': _RULE},
                  {'id': 2, 'name': 'off', 'state': 'disabled', 'rules': _RULE},
                  {'id': 3, 'name': 'starts now', 'startTime': AT_NOW, 'rules': _RULE},
                  {'id': 4, 'name': 'ends now', 'endTime': AT_NOW, 'rules': _RULE},
                  {'id': 5, 'name': 'referrals', 'rules': [
                      {'title': 'friend', 'conditions': [{'type': 'referralValid'}],
                       'effects': [{'type': 'setDiscount', 'name': 'f', 'value': 1}]}]}],
    'referrals': [{'code': 'FOR-F', 'campaignId': 5, 'advocateProfileIntegrationId': 'A',
                   'friendProfileIntegrationId': 'F'}],
    'coupons': [{'value': 'STARTS-NOW', 'campaignId': 1, 'startDate': AT_NOW},
                {'value': 'EXPIRES-NOW', 'campaignId': 1, 'expiryDate': AT_NOW},
                {'value': 'TWICE', 'campaignId': 1, 'usageLimit': 2},
                {'value': 'ONCE-EACH', 'campaignId': 1, 'limits': [
                    {'action': 'redeemCoupon', 'limit': 1, 'entities': ['Profile']}]},
                {'value': 'OTHER-LIMIT', 'campaignId': 1, 'limits': [
                    {'action': 'setDiscount', 'limit': 1, 'entities': ['Profile']}]},
                {'value': 'NO-ENTITIES', 'campaignId': 1, 'limits': [
                    {'action': 'redeemCoupon', 'limit': 1}]},
                {'value': 'ONCE', 'campaignId': 1, 'usageLimit': 1},
                {'value': 'P-ACTIVE', 'campaignId': 1, 'recipientIntegrationId': 'P'},
                {'value': 'P-EXPIRED', 'campaignId': 1, 'recipientIntegrationId': 'P',
                 'expiryDate': AT_NOW},
                {'value': 'P-PENDING', 'campaignId': 1, 'recipientIntegrationId': 'P',
                 'startDate': '2030-06-01T12:00:01Z'},
                {'value': 'P-DISABLED', 'campaignId': 2, 'recipientIntegrationId': 'P'},
                {'value': 'P-USED', 'campaignId': 1, 'recipientIntegrationId': 'P',
                 'usageLimit': 1},
                {'value': 'P-USED-THEN-EXPIRED', 'campaignId': 1, 'recipientIntegrationId': 'P',
                 'expiryDate': '2030-06-01T12:00:01Z'},
                {'value': 'P-EXPIRES-SOON', 'campaignId': 1, 'recipientIntegrationId': 'P',
                 'expiryDate': '2030-06-01T12:00:01Z'},
                {'value': 'CAMPAIGN-2', 'campaignId': 2},
                {'value': 'CAMPAIGN-3', 'campaignId': 3},
                {'value': 'CAMPAIGN-4', 'campaignId': 4}],
}


CLOCK = [NOW]


@pytest.fixture
def at_now(monkeypatch):
    from talon_one.sandbox import timeutil
    CLOCK[:] = [NOW]
    monkeypatch.setattr(timeutil, 'now', lambda: CLOCK[0])   # the sandbox's clock, injected
    with Sandbox(world=copy.deepcopy(_CODES_WORLD)) as running:
        yield Client(running.url, running.api_key)


def _use(client, session_id, profile, code, state='open'):
    response = client.session(session_id, profileId=profile, couponCodes=[code],
                              cartItems=CART, state=state)
    assert response.status == 200, response.body
    rejected = effects_of(response, 'rejectCoupon')
    if rejected:
        return rejected[0]['props']['rejectionReason']
    assert effects_of(response, 'acceptCoupon')
    return 'accepted'


@pytest.mark.parametrize('code, outcome', [
    ('STARTS-NOW', 'accepted'),                     # valid from its start date on
    ('ONCE', 'accepted'),                           # a usage limit not used yet
    ('EXPIRES-NOW', 'CouponExpired'),               # not at its expiry date
    ('CAMPAIGN-2', 'CouponPartOfNotRunningCampaign'),
    ('CAMPAIGN-3', 'accepted'),                     # the campaign runs from its start time on
    ('CAMPAIGN-4', 'CouponPartOfNotRunningCampaign'),   # and not at its end time
])
def test_dates_and_states_at_their_boundaries(at_now, code, outcome):
    assert _use(at_now, 'S', 'P', code) == outcome


def test_a_usage_limit_allows_exactly_that_many_redemptions(at_now):
    assert _use(at_now, 'S1', 'P', 'TWICE', 'closed') == 'accepted'
    assert _use(at_now, 'S2', 'Q', 'TWICE', 'closed') == 'accepted'
    assert _use(at_now, 'S3', 'R', 'TWICE') == 'CouponLimitReached'


def test_a_per_profile_limit_counts_each_profile_apart(at_now):
    assert _use(at_now, 'S1', 'P', 'ONCE-EACH', 'closed') == 'accepted'
    assert _use(at_now, 'S2', 'P', 'ONCE-EACH') == 'ProfileLimitReached'
    assert _use(at_now, 'S3', 'Q', 'ONCE-EACH') == 'accepted'
    assert _use(at_now, 'S4', 'P', 'OTHER-LIMIT', 'closed') == 'accepted'
    assert _use(at_now, 'S5', 'P', 'OTHER-LIMIT') == 'accepted'    # not a redemption limit


def test_a_redemption_limit_without_entities_is_not_per_profile(at_now):
    assert _use(at_now, 'S1', 'P', 'NO-ENTITIES', 'closed') == 'accepted'
    assert _use(at_now, 'S2', 'P', 'NO-ENTITIES') == 'accepted'


def test_a_referral_for_a_friend_is_only_theirs(at_now):
    def referral(session_id, profile):
        response = at_now.session(session_id, profileId=profile, referralCode='FOR-F',
                                  cartItems=CART)
        rejected = effects_of(response, 'rejectReferral')
        return rejected[0]['props']['rejectionReason'] if rejected else 'accepted'
    assert referral('S1', 'SOMEONE') == 'ReferralRecipientDoesNotMatch'
    assert referral('S2', 'F') == 'accepted'


def test_the_inventory_says_each_coupon_s_state(at_now):
    assert _use(at_now, 'S1', 'P', 'P-USED', 'closed') == 'accepted'
    assert _use(at_now, 'S2', 'P', 'P-USED-THEN-EXPIRED', 'closed') == 'accepted'
    before = at_now.get('/v1/customer_profiles/P/inventory', query={'coupons': 'true'}).body
    assert {c['value']: c['state'] for c in before['coupons']
            if c['value'] in ('P-PENDING', 'P-EXPIRES-SOON')} == {
        'P-PENDING': 'pending', 'P-EXPIRES-SOON': 'active'}
    CLOCK[0] = NOW + datetime.timedelta(seconds=2)     # P-..-EXPIRES-SOON have expired
    body = at_now.get('/v1/customer_profiles/P/inventory', query={'coupons': 'true'}).body
    states = {c['value']: c['state'] for c in body['coupons']}
    assert states == {'P-ACTIVE': 'active', 'P-EXPIRED': 'expired', 'P-PENDING': 'active',
                      'P-DISABLED': 'disabled', 'P-USED': 'used',
                      'P-USED-THEN-EXPIRED': 'used', 'P-EXPIRES-SOON': 'expired'}


_ROUNDING_WORLD = {
    'application': {'id': 1, 'name': 'Rounding', 'currency': 'EUR', 'apiKey': 'k'},
    'additionalCosts': [
        {'id': 1, 'name': 'shipping', 'title': 'Shipping', 'type': 'session'},
        {'id': 2, 'name': 'packaging', 'title': 'Packaging', 'type': 'item'}],
    'campaigns': [{'id': 1, 'name': 'Rounding', 'rules': [
        {'title': 'All', 'conditions': [], 'effects': [
            {'type': 'setDiscountPerItem', 'name': 'A', 'sku': 'A', 'value': 0.333},
            {'type': 'setDiscount', 'name': 'odd', 'value': 1.2345},
            {'type': 'setDiscount', 'name': 'third', 'percent': 33.333},
            {'type': 'setDiscountPerAdditionalCost', 'name': 'ship',
             'additionalCost': 'shipping', 'percent': 50},
            {'type': 'setDiscountPerAdditionalCostPerItem', 'name': 'pack',
             'additionalCost': 'packaging', 'percent': 50},
        ]}]}],
}


def test_amounts_are_rounded_to_cents_and_missing_prices_count_zero():
    with Sandbox(world=copy.deepcopy(_ROUNDING_WORLD)) as running:
        client = Client(running.url, running.api_key)
        # A: 2 x 10.555 (free packaging); B: 3 without a price; free shipping.
        response = client.session('S', profileId='P', state='closed', cartItems=[
            {'sku': 'A', 'quantity': 2, 'price': 10.555,
             'additionalCosts': {'packaging': {'price': 0}}},
            {'sku': 'B', 'quantity': 3}], additionalCosts={'shipping': {'price': 0}})
        assert response.status == 200, response.body
        assert response.body['customerSession']['cartItemTotal'] == 21.11
        assert [e['props']['value'] for e in effects_of(response)] == [
            0.67,       # 0.333 for each of 2 units
            1.23,       # 1.2345
            7.04,       # 33.333% of 21.11
            0.0, 0.0]   # half of nothing
        returned = client.post('/v2/customer_sessions/S/returns', {
            'return': {'returnedCartItems': [{'position': 0, 'quantity': 1}]}})
        assert returned.status == 200, returned.body
        after = client.get('/v2/customer_sessions/S').body['customerSession']
    assert after['cartItemTotal'] == 10.55      # one A left: 10.555, in cents
