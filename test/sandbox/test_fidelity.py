"""Behaviour that follows Talon.One more closely (issue 9, item 3), over raw HTTP: the
inventory after redeeming, the application's code case setting, the v1 profile update and
v1 events, and closed sessions refusing changes."""

import json

import pytest

from talon_one.sandbox import Sandbox
from talon_one.sandbox import world as world_module
from talon_one.sandbox.world.model import DEFAULT_CASE_SENSITIVITY

from .http_client import Client, assert_error, effects_of

SHOES = {'name': 'Air Glide', 'sku': 'SKU1241028', 'quantity': 1, 'price': 100.0,
         'category': 'shoes'}


def _example(**application):
    with open(world_module.EXAMPLE_WORLD, encoding='utf-8') as handle:
        world = json.load(handle)
    world['application'].update(application)
    return world


@pytest.fixture
def case_client(request):
    with Sandbox(world=_example(caseSensitivity=request.param)) as running:
        yield Client(running.url, running.api_key)


# ---------------------------------------------------------------- inventory

def test_redeeming_a_coupon_puts_it_in_the_inventory(client):
    client.session('S1', profileId='NEW-BUYER', couponCodes=['XMAS-20-2021'], cartItems=[SHOES],
                   state='closed')
    body = client.get('/v1/customer_profiles/NEW-BUYER/inventory',
                      query={'coupons': 'true'}).body
    [coupon] = body['coupons']
    assert (coupon['value'], coupon['profileRedemptionCount'], coupon['usageCounter'],
            coupon['state']) == ('XMAS-20-2021', 1, 1, 'active')
    reserved = client.get('/v1/coupon_reservations/coupons/NEW-BUYER').body
    assert [c['value'] for c in reserved['data']] == ['XMAS-20-2021']


def test_an_open_session_reserves_nothing(client):
    client.session('S1', profileId='LOOKER', couponCodes=['XMAS-20-2021'], cartItems=[SHOES])
    body = client.get('/v1/customer_profiles/LOOKER/inventory', query={'coupons': 'true'}).body
    assert body['coupons'] == []


def test_a_redeemed_coupon_that_is_used_up_shows_as_used(client):
    client.session('S1', profileId='ONCE', couponCodes=['ONCE-ONLY-1'], cartItems=[SHOES],
                   state='closed')
    [coupon] = client.get('/v1/customer_profiles/ONCE/inventory',
                          query={'coupons': 'true'}).body['coupons']
    assert (coupon['value'], coupon['state']) == ('ONCE-ONLY-1', 'used')


def test_the_reservation_outlives_a_cancellation(client):
    client.session('S1', profileId='UNDO', couponCodes=['XMAS-20-2021'], cartItems=[SHOES],
                   state='closed')
    cancelled = client.session('S1', state='cancelled')
    assert effects_of(cancelled, 'rollbackCoupon')
    [coupon] = client.get('/v1/customer_profiles/UNDO/inventory',
                          query={'coupons': 'true'}).body['coupons']
    assert (coupon['usageCounter'], coupon['profileRedemptionCount']) == (0, 0)


# ---------------------------------------------------------------- code case

@pytest.mark.parametrize('case_client', ['insensitive-uppercase'], indirect=True)
def test_uppercase_matches_any_case(case_client):
    response = case_client.session('S1', profileId='P1', couponCodes=['xmas-20-2021'],
                                   referralCode='nt2k54d9', cartItems=[SHOES])
    assert effects_of(response, 'acceptCoupon')[0]['props'] == {'value': 'XMAS-20-2021'}
    assert effects_of(response, 'acceptReferral')[0]['props'] == {'value': 'NT2K54D9'}
    assert response.body['customerSession']['couponCodes'] == ['XMAS-20-2021']
    assert response.body['customerSession']['referralCode'] == 'NT2K54D9'
    reserved = case_client.post('/v1/coupon_reservations/Xmas-20-2021', {'integrationIDs': ['P2']})
    assert reserved.status == 201 and reserved.body['value'] == 'XMAS-20-2021'
    customers = case_client.get('/v1/coupon_reservations/customerprofiles/xmas-20-2021').body
    assert [p['integrationId'] for p in customers['data']] == ['P2']


@pytest.mark.parametrize('case_client', ['insensitive-lowercase'], indirect=True)
def test_lowercase_stores_and_generates_lowercase(case_client):
    response = case_client.session('S1', profileId='P1', couponCodes=['XMAS-20-2021'],
                                   cartItems=[SHOES])
    assert effects_of(response, 'acceptCoupon')[0]['props'] == {'value': 'xmas-20-2021'}
    created = case_client.post('/v1/referrals', {'campaignId': 45,
                                                 'advocateProfileIntegrationId': 'P1'}).body
    assert created['code'] == created['code'].lower()
    used = case_client.session('S2', profileId='FRIEND', referralCode=created['code'].upper(),
                               cartItems=[SHOES])
    assert effects_of(used, 'acceptReferral')[0]['props'] == {'value': created['code']}


@pytest.mark.parametrize('case_client', ['sensitive'], indirect=True)
def test_sensitive_needs_the_exact_code(case_client):
    response = case_client.session('S1', profileId='P1', couponCodes=['xmas-20-2021'],
                                   cartItems=[SHOES])
    assert effects_of(response, 'rejectCoupon')[0]['props'] == {
        'value': 'xmas-20-2021', 'rejectionReason': 'CouponNotFound'}


def test_the_default_is_case_sensitive(client):
    response = client.session('S1', profileId='P1', couponCodes=['xmas-20-2021'],
                              cartItems=[SHOES])
    assert effects_of(response, 'rejectCoupon')[0]['props']['rejectionReason'] == \
        'CouponNotFound'
    assert DEFAULT_CASE_SENSITIVITY == 'sensitive'


def test_case_setting_is_checked_and_codes_must_stay_unique():
    with pytest.raises(world_module.WorldError,
                       match=r'application\.caseSensitivity: must be one of sensitive, '
                             'insensitive-uppercase, insensitive-lowercase'):
        world_module.from_dict(_example(caseSensitivity='upper'))
    world = _example(caseSensitivity='insensitive-uppercase')
    world['coupons'].append({'value': 'xmas-20-2021', 'campaignId': 10})
    with pytest.raises(world_module.WorldError, match=r"coupons\[\d+\]\.value: duplicate"):
        world_module.from_dict(world)
    world = _example(caseSensitivity='insensitive-lowercase')
    world['referrals'].append(dict(world['referrals'][0], code='nt2k54d9'))
    with pytest.raises(world_module.WorldError, match=r"referrals\[\d+\]\.code: duplicate"):
        world_module.from_dict(world)
    world_module.from_dict(_example())      # distinct as written: fine when case-sensitive


# ---------------------------------------------------------------- v1 routes

def test_v1_profile_update_answers_with_a_profile_event_and_a_session(client):
    # IntegrationState requires a session: a profile without one gets an empty one ...
    response = client.put('/v1/customer_profiles/OLD-2', {'attributes': {'Language': 'de'}})
    assert response.status == 200
    session = response.body['session']
    assert (session['integrationId'], session['profileId'], session['updateCount']) == (
        '', 'OLD-2', 0)
    assert client.get('/v2/customer_sessions/OLD-2').status == 404
    # ... and a profile with sessions its most recently updated one.
    client.session('OLD-2-S1', profileId='OLD-2', cartItems=[SHOES])
    again = client.put('/v1/customer_profiles/OLD-2', {'attributes': {'Language': 'fr'}})
    assert again.body['session']['integrationId'] == 'OLD-2-S1'
    event = response.body['event']
    assert (event['type'], event['profileId'], event['attributes']) == (
        'talon_profile_updated', 'OLD-2', {'Language': 'de'})


def test_v1_event_keeps_the_session_discounts(client):
    client.session('EV-1', profileId='P1', couponCodes=['XMAS-20-2021'], cartItems=[SHOES])
    response = client.post('/v1/events', {'type': 'review_written', 'profileId': 'P1',
                                          'sessionId': 'EV-1', 'attributes': {}})
    assert response.status == 201
    assert response.body['session']['discounts'] == {'Christmas 20%': 20, 'Shoe week 10%': 10}
    assert [e['effectType'] for e in response.body['event']['effects']] == [
        'addLoyaltyPoints', 'customEffect']
    assert response.body['coupon']['value'] == 'XMAS-20-2021'


def test_v1_event_for_an_unknown_session_opens_it(client):
    response = client.post('/v1/events', {'type': 'review_written', 'profileId': 'P1',
                                          'sessionId': 'NEVER-SEEN', 'attributes': {}})
    assert response.status == 201
    session = response.body['session']
    assert (session['integrationId'], session['profileId'], session['state']) == (
        'NEVER-SEEN', 'P1', 'open')
    assert response.body['event']['sessionId'] == 'NEVER-SEEN'
    stored = client.get('/v2/customer_sessions/NEVER-SEEN')
    assert stored.status == 200 and stored.body['customerSession']['profileId'] == 'P1'
    dry = client.post('/v1/events', {'type': 'review_written', 'profileId': 'P1',
                                     'sessionId': 'DRY-SEEN', 'attributes': {}},
                      query={'dry': 'true'})
    assert dry.body['session']['integrationId'] == 'DRY-SEEN'
    assert client.get('/v2/customer_sessions/DRY-SEEN').status == 404


# ---------------------------------------------------------------- closed sessions

def test_a_closed_session_rejects_new_content(client):
    closed = client.session('C1', profileId='P1', cartItems=[SHOES], state='closed')
    assert closed.status == 200
    repeat = client.session('C1', profileId='P1', cartItems=[SHOES], state='closed')
    assert repeat.status == 200 and repeat.body['customerSession']['state'] == 'closed'
    changed = client.session('C1', profileId='P1', cartItems=[dict(SHOES, quantity=2)],
                             state='closed')
    assert_error(changed, 400, pointer='/customerSession/cartItems')
    assert "customer session 'C1' is closed, so its content cannot change" in \
        changed.body['message']
    assert 'reopen' in changed.body['message']
    assert_error(client.session('C1', couponCodes=['XMAS-20-2021'], state='closed'), 400,
                 pointer='/customerSession/couponCodes')
    stored = client.get('/v2/customer_sessions/C1').body['customerSession']
    assert stored['cartItems'][0]['quantity'] == 1 and stored['couponCodes'] == []


def test_cancelling_takes_the_same_content_but_not_new_content(client):
    client.session('C2', profileId='P1', cartItems=[SHOES], state='closed')
    assert_error(client.session('C2', cartItems=[dict(SHOES, price=1.0)], state='cancelled'),
                 400, pointer='/customerSession/cartItems')
    cancelled = client.session('C2', profileId='P1', cartItems=[SHOES], state='cancelled')
    assert cancelled.status == 200 and cancelled.body['customerSession']['state'] == 'cancelled'
    again = client.session('C2', cartItems=[], state='cancelled')
    assert_error(again, 400, pointer='/customerSession/cartItems')
    assert "'C2' is cancelled, so its content cannot change" in again.body['message']
    assert 'reopen' not in again.body['message']     # a cancelled session cannot be reopened


def test_a_returned_session_rejects_new_content(client):
    client.session('C3', profileId='P1', cartItems=[dict(SHOES, quantity=2)], state='closed')
    client.post('/v2/customer_sessions/C3/returns',
                {'return': {'returnedCartItems': [{'position': 0, 'quantity': 1}]}})
    # The client may resend the cart it knows (server-computed quantities are ignored).
    same = client.session('C3', cartItems=[dict(SHOES, quantity=2, returnedQuantity=0)],
                          state='partially_returned')
    assert same.status == 200, same
    assert_error(client.session('C3', attributes={'late': True}, state='partially_returned'),
                 400, pointer='/customerSession/attributes')


def test_v1_closed_session_errors_name_v1_fields(client):
    assert client.put('/v1/customer_sessions/C4', {'profileId': 'P1', 'state': 'closed',
                                                   'cartItems': [SHOES]}).status == 200
    assert_error(client.put('/v1/customer_sessions/C4', {'coupon': 'XMAS-20-2021',
                                                         'state': 'closed'}),
                 400, pointer='/coupon')
    assert_error(client.put('/v1/customer_sessions/C4', {'total': 1, 'state': 'closed'}),
                 400, pointer='/total')
    assert client.put('/v1/customer_sessions/C4', {'state': 'cancelled'}).status == 200
