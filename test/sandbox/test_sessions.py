"""Customer sessions: effects, coupons, referrals, states, returns, reopen, dry runs."""

import pytest

from .http_client import assert_error, effects_of

SHOES = {'name': 'Air Glide', 'sku': 'SKU1241028', 'quantity': 1, 'price': 100.0,
         'category': 'shoes'}
SOCKS = {'name': 'Socks', 'sku': 'SOCKS-01', 'quantity': 2, 'price': 10.0, 'category': 'socks'}


def _effect(response, effect_type):
    found = effects_of(response, effect_type)
    assert len(found) == 1, response.body['effects']
    return found[0]


def test_new_session_shape_and_default_response_content(client):
    response = client.session('S1', profileId='P1', cartItems=[SHOES, SOCKS],
                              additionalCosts={'shipping': {'price': 5}})
    assert response.status == 200
    body = response.body
    assert set(body) == {'customerSession', 'customerProfile', 'effects', 'createdCoupons',
                         'createdReferrals'}
    session = body['customerSession']
    assert session['integrationId'] == 'S1'
    assert session['state'] == 'open'
    assert session['profileId'] == 'P1'
    assert session['cartItemTotal'] == 120
    assert session['additionalCostTotal'] == 5
    assert session['total'] == 125
    assert session['cartItems'][1]['position'] == 1
    assert session['created'].endswith('Z')
    assert session['firstSession'] is True
    profile = body['customerProfile']
    assert profile['integrationId'] == 'P1'
    assert profile['closedSessions'] == 0
    for effect in body['effects']:
        assert set(effect) >= {'campaignId', 'rulesetId', 'ruleIndex', 'ruleName', 'effectType',
                               'props'}


def test_response_content_selects_parts(client):
    content = ['customerSession', 'coupons', 'triggeredCampaigns', 'referral', 'loyalty',
               'event', 'ruleFailureReasons', 'awardedGiveaways', 'previousReturns']
    response = client.session('S1', content=content, profileId='URNGV8294NV',
                              couponCodes=['XMAS-20-2021'], referralCode='NT2K54D9',
                              cartItems=[SHOES])
    body = response.body
    assert 'customerProfile' not in body
    assert body['coupons'][0]['value'] == 'XMAS-20-2021'
    assert body['coupons'][0]['profileRedemptionCount'] == 0
    assert body['referral']['code'] == 'NT2K54D9'
    assert body['referral']['referredCustomers'] == []
    assert {c['id'] for c in body['triggeredCampaigns']} >= {10, 12, 20, 45}
    campaign = next(c for c in body['triggeredCampaigns'] if c['id'] == 10)
    assert campaign['name'] == 'Christmas coupon' and campaign['state'] == 'enabled'
    assert body['event']['type'] == 'talon_session_updated'
    assert body['event']['sessionId'] == 'S1'
    assert '125' in body['loyalty']['programs']
    assert body['awardedGiveaways'] == [] and body['previousReturns'] == []
    failures = body['ruleFailureReasons']
    assert any(f['campaignID'] == 30 and f['ruleName'] == 'Redeem 100 points' for f in failures)
    only_session = client.session('S1', content=['customerSession'], cartItems=[SHOES])
    assert set(only_session.body) == {'customerSession', 'effects', 'createdCoupons',
                                      'createdReferrals'}


def test_discount_effects_and_free_item(client):
    response = client.session('S1', profileId='P1', couponCodes=['XMAS-20-2021'],
                              cartItems=[SHOES, SOCKS])
    accept = _effect(response, 'acceptCoupon')
    assert accept['props'] == {'value': 'XMAS-20-2021'}
    assert accept['campaignId'] == 10 and accept['triggeredByCoupon'] > 0
    discount = _effect(response, 'setDiscount')
    assert discount['props']['name'] == 'Christmas 20%'
    assert discount['props']['value'] == 24           # 20% of 120
    per_item = _effect(response, 'setDiscountPerItem')
    assert per_item['props']['position'] == 0 and per_item['props']['value'] == 10
    assert per_item['campaignId'] == 12 and per_item['ruleIndex'] == 0
    free = _effect(response, 'addFreeItem')
    assert free['props'] == {'sku': 'SOCKS-01', 'name': 'Free running socks'}
    note = next(e for e in effects_of(response, 'showNotification')
                if e['props']['title'] == 'Coupon applied')
    assert note['props']['notificationType'] == 'info' and note['props']['body']


def test_discount_conditions_can_fail(client):
    cheap = dict(SOCKS, quantity=1)
    response = client.session('S1', profileId='P1', couponCodes=['XMAS-20-2021'],
                              cartItems=[cheap])
    assert effects_of(response, 'setDiscount') == []
    reject = _effect(response, 'rejectCoupon')
    assert reject['props'] == {'value': 'XMAS-20-2021',
                               'rejectionReason': 'CouponRejectedByCondition'}


@pytest.mark.parametrize('code, profile, reason', [
    ('NO-SUCH-COUPON', 'P1', 'CouponNotFound'),
    ('EXPIRED-2020', 'P1', 'CouponExpired'),
    ('FUTURE-2099', 'P1', 'CouponStartDateInFuture'),
    ('VIP-R195412', 'P1', 'CouponRecipientDoesNotMatch'),
    ('VIP-R195412', None, 'ProfileRequired'),
    ('RESERVED-ONLY', 'P1', 'CouponReservationRequired'),
    ('SUMMER-2019', 'P1', 'CouponPartOfNotRunningCampaign'),
])
def test_coupon_rejection_reasons(client, code, profile, reason):
    fields = {'couponCodes': [code], 'cartItems': [SHOES]}
    if profile:
        fields['profileId'] = profile
    response = client.session('S1', **fields)
    reject = _effect(response, 'rejectCoupon')
    assert reject['props']['rejectionReason'] == reason
    assert effects_of(response, 'acceptCoupon') == []


def test_recipient_and_reserved_coupons_accept_their_owner(client):
    mine = client.session('S1', profileId='R195412', couponCodes=['VIP-R195412'],
                          cartItems=[SHOES])
    assert _effect(mine, 'acceptCoupon')['props']['value'] == 'VIP-R195412'
    reserved = client.session('S2', profileId='URNGV8294NV', couponCodes=['RESERVED-ONLY'],
                              cartItems=[SHOES])
    assert _effect(reserved, 'acceptCoupon')['props']['value'] == 'RESERVED-ONLY'


def test_coupon_usage_is_committed_on_close_and_limits_apply(client):
    first = client.session('S1', profileId='P1', couponCodes=['ONCE-ONLY-1'], cartItems=[SHOES])
    assert _effect(first, 'acceptCoupon')
    other = client.session('S2', profileId='P2', couponCodes=['ONCE-ONLY-1'], cartItems=[SHOES])
    assert _effect(other, 'acceptCoupon')           # nothing committed yet
    closed = client.session('S1', content=['coupons'], profileId='P1', state='closed',
                            couponCodes=['ONCE-ONLY-1'], cartItems=[SHOES])
    assert closed.body['coupons'][0]['usageCounter'] == 1
    assert closed.body['coupons'][0]['profileRedemptionCount'] == 1
    again = client.session('S2', profileId='P2', couponCodes=['ONCE-ONLY-1'], cartItems=[SHOES])
    assert _effect(again, 'rejectCoupon')['props']['rejectionReason'] == 'CouponLimitReached'


def test_per_profile_coupon_limit(client):
    client.session('S1', profileId='P1', state='closed', couponCodes=['PER-PROFILE-1'],
                   cartItems=[SHOES])
    same = client.session('S2', profileId='P1', couponCodes=['PER-PROFILE-1'], cartItems=[SHOES])
    assert _effect(same, 'rejectCoupon')['props']['rejectionReason'] == 'ProfileLimitReached'
    other = client.session('S3', profileId='P2', couponCodes=['PER-PROFILE-1'], cartItems=[SHOES])
    assert _effect(other, 'acceptCoupon')


def test_evaluable_campaign_ids_limit_evaluation(client):
    response = client.session('S1', profileId='P1', couponCodes=['XMAS-20-2021'],
                              evaluableCampaignIds=[12], cartItems=[SHOES])
    assert {e['campaignId'] for e in response.body['effects']
            if e['effectType'] != 'rejectCoupon'} == {12}
    assert _effect(response, 'rejectCoupon')['props']['rejectionReason'] == \
        'CouponPartOfNotTriggeredCampaign'


def test_referral_accept_and_commit(client):
    response = client.session('S1', content=['referral'], profileId='FRIEND-1',
                              referralCode='NT2K54D9', cartItems=[SHOES])
    assert _effect(response, 'acceptReferral')['props'] == {'value': 'NT2K54D9'}
    assert next(e for e in effects_of(response, 'setDiscount')
                if e['props']['name'] == 'Referral 5 EUR')['props']['value'] == 5
    closed = client.session('S1', content=['referral'], profileId='FRIEND-1', state='closed',
                            referralCode='NT2K54D9', cartItems=[SHOES])
    assert closed.body['referral']['usageCounter'] == 1
    assert closed.body['referral']['referredCustomers'] == ['FRIEND-1']
    again = client.session('S2', profileId='FRIEND-1', referralCode='NT2K54D9', cartItems=[SHOES])
    assert _effect(again, 'rejectReferral')['props']['rejectionReason'] == 'ProfileLimitReached'


@pytest.mark.parametrize('code, profile, reason', [
    ('NOPE-NOPE', 'P1', 'ReferralNotFound'),
    ('NT2K54D9', 'DRPVV9476AF', 'ReferralRecipientIdSameAsAdvocate'),
    ('EXPIRED-REF', 'P1', 'ReferralExpired'),
])
def test_referral_rejection_reasons(client, code, profile, reason):
    response = client.session('S1', profileId=profile, referralCode=code, cartItems=[SHOES])
    reject = _effect(response, 'rejectReferral')
    assert reject['props'] == {'value': code, 'rejectionReason': reason}


def test_referral_usage_limit(client):
    client.session('S1', profileId='F1', state='closed', referralCode='SUMMER-REF-78',
                   cartItems=[SHOES])
    response = client.session('S2', profileId='F2', referralCode='SUMMER-REF-78',
                              cartItems=[SHOES])
    assert _effect(response, 'rejectReferral')['props']['rejectionReason'] == \
        'ReferralLimitReached'


def test_loyalty_points_effects_and_commit(client):
    response = client.session('S1', content=['loyalty'], profileId='URNGV8294NV',
                              loyaltyCards=['summer-loyalty-card-0543'], cartItems=[SHOES])
    adds = effects_of(response, 'addLoyaltyPoints')
    by_name = {e['props']['name']: e['props'] for e in adds}
    assert by_name['Purchase points']['value'] == 10
    assert by_name['Purchase points']['programId'] == 125
    assert by_name['Purchase points']['recipientIntegrationId'] == 'URNGV8294NV'
    assert by_name['Purchase points']['transactionUUID']
    assert by_name['VIP bonus']['subLedgerId'] == 'sub-123'       # audience 748 condition
    card = by_name['Summer card points']
    assert card['cardIdentifier'] == 'summer-loyalty-card-0543' and card['startDate']
    before = response.body['loyalty']['programs']['125']['ledger']['currentBalance']
    closed = client.session('S1', content=['loyalty'], profileId='URNGV8294NV', state='closed',
                            loyaltyCards=['summer-loyalty-card-0543'], cartItems=[SHOES])
    ledger = closed.body['loyalty']['programs']['125']
    assert ledger['ledger']['currentBalance'] == before + 10
    assert ledger['subLedgers']['sub-123']['currentBalance'] == 70
    card_view = closed.body['loyalty']['cards'][0]
    assert card_view['identifier'] == 'summer-loyalty-card-0543'
    assert card_view['ledger']['pendingBalance'] == 5        # the card program has 14 pending days


def test_deduct_loyalty_points(client):
    response = client.session('S1', profileId='URNGV8294NV', attributes={'usePoints': True},
                              cartItems=[SHOES])
    deduct = _effect(response, 'deductLoyaltyPoints')
    assert deduct['props']['value'] == 100 and deduct['props']['programId'] == 125
    assert deduct['props']['ruleTitle'] == 'Redeem 100 points'
    poor = client.session('S2', profileId='P-POOR', attributes={'usePoints': True},
                          cartItems=[SHOES])
    assert effects_of(poor, 'deductLoyaltyPoints') == []
    client.session('S1', profileId='URNGV8294NV', state='closed', attributes={'usePoints': True},
                   cartItems=[SHOES])
    balances = client.get('/v1/loyalty_programs/125/profile/URNGV8294NV/balances').body
    assert balances['balance']['spentPoints'] == 120           # 20 seeded + 100


def test_first_session_notification_only_once(client):
    first = client.session('S1', profileId='P1', state='closed', cartItems=[SHOES])
    assert any(e['props']['title'] == 'Welcome!' for e in effects_of(first, 'showNotification'))
    second = client.session('S2', profileId='P1', cartItems=[SHOES])
    assert second.body['customerSession']['firstSession'] is False
    assert not any(e['props']['title'] == 'Welcome!'
                   for e in effects_of(second, 'showNotification'))


def test_close_updates_profile(client):
    response = client.session('S1', profileId='P1', state='closed', cartItems=[SHOES, SOCKS])
    profile = response.body['customerProfile']
    assert profile['closedSessions'] == 1 and profile['totalSales'] == 120


@pytest.mark.parametrize('start, target', [
    ('closed', 'open'), ('closed', 'partially_returned'), ('cancelled', 'open'),
    ('cancelled', 'closed'), ('open', 'partially_returned'),
])
def test_forbidden_transitions(client, start, target):
    if start == 'cancelled':
        client.session('S1', profileId='P1', cartItems=[SHOES])
    client.session('S1', profileId='P1', state=start, cartItems=[SHOES])
    response = client.session('S1', profileId='P1', state=target, cartItems=[SHOES])
    assert_error(response, 400, pointer='/customerSession/state')
    assert client.get('/v2/customer_sessions/S1').body['customerSession']['state'] == start


def test_repeating_a_close_changes_nothing(client):
    client.session('S1', profileId='P1', state='closed', couponCodes=['XMAS-20-2021'],
                   cartItems=[SHOES])
    again = client.session('S1', content=['customerProfile', 'coupons'], profileId='P1',
                           state='closed', couponCodes=['XMAS-20-2021'], cartItems=[SHOES])
    assert again.status == 200
    assert again.body['customerProfile']['closedSessions'] == 1
    assert again.body['coupons'][0]['usageCounter'] == 1


def test_cancel_open_session_has_no_effects(client):
    client.session('S1', profileId='P1', cartItems=[SHOES])
    response = client.session('S1', profileId='P1', state='cancelled', cartItems=[SHOES])
    assert response.body['effects'] == []
    assert response.body['customerSession']['state'] == 'cancelled'


def test_cancel_closed_session_rolls_back(client):
    client.session('S1', profileId='URNGV8294NV', state='closed', couponCodes=['XMAS-20-2021'],
                   referralCode='NT2K54D9', cartItems=[SHOES])
    points = client.get('/v1/loyalty_programs/125/profile/URNGV8294NV/balances').body
    response = client.session('S1', content=['customerProfile', 'coupons', 'referral'],
                              state='cancelled')
    kinds = [e['effectType'] for e in response.body['effects']]
    assert 'rollbackCoupon' in kinds and 'rollbackReferral' in kinds
    assert 'rollbackDiscount' in kinds and 'rollbackAddedLoyaltyPoints' in kinds
    assert _effect(response, 'rollbackCoupon')['props'] == {'value': 'XMAS-20-2021'}
    discounts = {e['props']['name']: e['props'] for e in effects_of(response, 'rollbackDiscount')}
    assert discounts['Christmas 20%']['value'] == 20
    assert discounts['Shoe week 10%']['cartItemPosition'] == 0
    rollback = next(e for e in effects_of(response, 'rollbackAddedLoyaltyPoints')
                    if e['props']['subLedgerId'] == '')
    assert rollback['props']['value'] == 10 and rollback['props']['programId'] == 125
    assert response.body['coupons'][0]['usageCounter'] == 0
    assert response.body['referral']['usageCounter'] == 0
    assert response.body['customerProfile']['closedSessions'] == 0
    after = client.get('/v1/loyalty_programs/125/profile/URNGV8294NV/balances').body
    assert after['balance']['activePoints'] == points['balance']['activePoints'] - 10


def test_cancel_rolls_back_deducted_points(client):
    client.session('S1', profileId='URNGV8294NV', state='closed', attributes={'usePoints': True},
                   cartItems=[SHOES])
    response = client.session('S1', state='cancelled')
    refund = _effect(response, 'rollbackDeductedLoyaltyPoints')
    assert refund['props']['value'] == 100 and refund['props']['transactionUUID']
    balance = client.get('/v1/loyalty_programs/125/profile/URNGV8294NV/balances').body['balance']
    assert balance['spentPoints'] == 20


def test_get_session_and_404(client):
    client.session('S1', profileId='P1', couponCodes=['XMAS-20-2021'], cartItems=[SHOES])
    response = client.get('/v2/customer_sessions/S1')
    assert response.status == 200
    assert set(response.body) == {'customerSession', 'effects'}
    assert _effect(response, 'acceptCoupon')
    assert_error(client.get('/v2/customer_sessions/NOPE'), 404)


def test_dry_run_does_not_persist(client):
    response = client.session('S1', query={'dry': 'true'}, content=['customerProfile', 'coupons'],
                              profileId='DRY-P', state='closed', couponCodes=['XMAS-20-2021'],
                              cartItems=[SHOES])
    assert response.status == 200
    assert response.body['customerProfile']['closedSessions'] == 1
    assert response.body['coupons'][0]['usageCounter'] == 1
    assert_error(client.get('/v2/customer_sessions/S1'), 404)
    assert_error(client.get('/v1/customer_profiles/DRY-P/inventory'), 404)
    coupons = client.get('/v1/coupon_reservations/coupons/URNGV8294NV').body['data']
    assert next(c for c in coupons if c['value'] == 'RESERVED-ONLY')['usageCounter'] == 0


def test_returns_partial_rollback(client):
    response = client.post('/v2/customer_sessions/CLOSED-SESSION-1/returns',
                           {'return': {'returnedCartItems': [{'position': 0, 'quantity': 1}]},
                            'responseContent': ['customerSession', 'customerProfile',
                                                'previousReturns']})
    assert response.status == 200
    body = response.body
    session = body['customerSession']
    assert session['state'] == 'partially_returned'
    assert session['cartItems'][0]['returnedQuantity'] == 1
    assert session['cartItems'][0]['remainingQuantity'] == 1
    assert body['return']['returnedCartItems'] == [{'position': 0, 'quantity': 1,
                                                   'sku': 'SKU1241028'}]
    assert body['return']['sessionIntegrationId'] == 'CLOSED-SESSION-1'
    assert body['previousReturns'] == []
    discount = _effect(response, 'rollbackDiscount')
    assert discount['props']['cartItemPosition'] == 0 and discount['props']['value'] == 10
    points = _effect(response, 'rollbackAddedLoyaltyPoints')
    assert 0 < points['props']['value'] < 34.75
    second = client.post('/v2/customer_sessions/CLOSED-SESSION-1/returns',
                         {'return': {'returnedCartItems': [{'position': 2}]},
                          'responseContent': ['previousReturns']})
    assert second.body['return']['returnedCartItems'] == [{'position': 2, 'quantity': 3,
                                                          'sku': 'SOCKS-01'}]
    assert len(second.body['previousReturns']) == 1


def test_bad_returns(client):
    path = '/v2/customer_sessions/CLOSED-SESSION-1/returns'
    assert_error(client.post(path, {'return': {'returnedCartItems': [{'position': 9}]}}), 400,
                 pointer='/return/returnedCartItems/0/position')
    assert_error(client.post(path, {'return': {'returnedCartItems': [
        {'position': 0, 'quantity': 3}]}}), 400, pointer='/return/returnedCartItems/0/quantity')
    assert_error(client.post(path, {'return': {'returnedCartItems': [
        {'position': 0, 'quantity': 2}, {'position': 0, 'quantity': 1}]}}), 400,
        pointer='/return/returnedCartItems/1/quantity')
    assert_error(client.post(path, {'return': {}}), 400, pointer='/return/returnedCartItems')
    assert_error(client.post('/v2/customer_sessions/175KJPS947296/returns',
                             {'return': {'returnedCartItems': [{'position': 0}]}}), 400)
    assert_error(client.post('/v2/customer_sessions/NOPE/returns',
                             {'return': {'returnedCartItems': [{'position': 0}]}}), 404)
    state = client.get('/v2/customer_sessions/CLOSED-SESSION-1').body['customerSession']
    assert state['state'] == 'closed'
    assert all(item['returnedQuantity'] == 0 for item in state['cartItems'])


def test_dry_return_does_not_persist(client):
    response = client.post('/v2/customer_sessions/CLOSED-SESSION-1/returns',
                           {'return': {'returnedCartItems': [{'position': 1}]}},
                           query={'dry': 'true'})
    assert response.body['customerSession']['state'] == 'partially_returned'
    stored = client.get('/v2/customer_sessions/CLOSED-SESSION-1').body['customerSession']
    assert stored['state'] == 'closed'


def test_cancel_after_partial_return_rolls_back_the_rest(client):
    client.post('/v2/customer_sessions/CLOSED-SESSION-1/returns',
                {'return': {'returnedCartItems': [{'position': 0, 'quantity': 1}]}})
    response = client.session('CLOSED-SESSION-1', state='cancelled')
    assert response.status == 200
    rollback = [e for e in effects_of(response, 'rollbackDiscount')
                if e['props'].get('cartItemPosition') == 0]
    assert rollback[0]['props']['value'] == 10      # 20 minus the 10 already returned


def test_reopen(client):
    response = client.put('/v2/customer_sessions/CLOSED-SESSION-1/reopen')
    assert response.status == 200
    assert set(response.body) == {'effects'}
    kinds = {e['effectType'] for e in response.body['effects']}
    assert kinds == {'rollbackDiscount', 'rollbackAddedLoyaltyPoints'}
    state = client.get('/v2/customer_sessions/CLOSED-SESSION-1').body['customerSession']
    assert state['state'] == 'open'
    assert_error(client.put('/v2/customer_sessions/CLOSED-SESSION-1/reopen'), 400)
    assert_error(client.put('/v2/customer_sessions/NOPE/reopen'), 404)
    closed = client.session('CLOSED-SESSION-1', content=['customerSession', 'customerProfile'],
                            state='closed')
    assert closed.body['customerSession']['state'] == 'closed'
    assert closed.body['customerProfile']['closedSessions'] == 2


def test_v1_session_update(client):
    response = client.put('/v1/customer_sessions/V1S', {
        'profileId': 'P1', 'coupon': 'XMAS-20-2021', 'cartItems': [SHOES], 'state': 'open'})
    assert response.status == 200
    body = response.body
    assert set(body) >= {'session', 'profile', 'event'}
    assert body['session']['coupon'] == 'XMAS-20-2021'
    assert body['session']['discounts'] == {'Christmas 20%': 20, 'Shoe week 10%': 10}
    assert body['profile']['integrationId'] == 'P1'
    assert body['coupon']['value'] == 'XMAS-20-2021'
    assert any(e['effectType'] == 'acceptCoupon' for e in body['event']['effects'])
    assert_error(client.put('/v1/customer_sessions/V1S', {'cartItems': [{'sku': 'x',
                                                                         'quantity': 0}]}),
                 400, pointer='/cartItems/0/quantity')


def test_client_returned_and_remaining_quantities_are_ignored(client):
    forged = dict(SHOES, price=100, quantity=1, returnedQuantity=5, remainingQuantity=-4)
    response = client.session('FORGED-RETURNS', cartItems=[forged, SOCKS])
    assert response.status == 200, response
    session = response.body['customerSession']
    assert session['cartItemTotal'] == 120      # 100 x 1 + 10 x 2, nothing returned
    assert session['cartItems'][0]['returnedQuantity'] == 0
    assert session['cartItems'][0]['remainingQuantity'] == 1


def test_returned_quantities_come_from_stored_returns(client):
    client.post('/v2/customer_sessions/CLOSED-SESSION-1/returns',
                {'return': {'returnedCartItems': [{'position': 0, 'quantity': 1}]}})
    items = client.get('/v2/customer_sessions/CLOSED-SESSION-1').body['customerSession'][
        'cartItems']
    assert next((i['returnedQuantity'], i['remainingQuantity']) for i in items) == (1, 1)
