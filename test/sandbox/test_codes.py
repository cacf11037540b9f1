"""Coupon reservations and referrals."""

from .http_client import assert_error


def test_reserve_list_and_release(client):
    created = client.post('/v1/coupon_reservations/XMAS-20-2021',
                          {'integrationIDs': ['URNGV8294NV', 'NEW-PROFILE']})
    assert created.status == 201
    assert created.body['value'] == 'XMAS-20-2021' and created.body['reservationCounter'] == 2
    customers = client.get('/v1/coupon_reservations/customerprofiles/XMAS-20-2021').body
    assert customers['totalResultSize'] == 2
    assert {p['integrationId'] for p in customers['data']} == {'URNGV8294NV', 'NEW-PROFILE'}
    coupons = client.get('/v1/coupon_reservations/coupons/NEW-PROFILE').body
    assert [c['value'] for c in coupons['data']] == ['XMAS-20-2021']
    assert client.delete('/v1/coupon_reservations/XMAS-20-2021',
                         {'integrationIDs': ['NEW-PROFILE']}).status == 204
    assert client.get('/v1/coupon_reservations/coupons/NEW-PROFILE').body == \
        {'totalResultSize': 0, 'data': []}


def test_reservation_errors(client):
    assert_error(client.post('/v1/coupon_reservations/NOPE-1', {'integrationIDs': ['a']}), 404)
    assert_error(client.delete('/v1/coupon_reservations/NOPE-1', {'integrationIDs': ['a']}), 404)
    assert_error(client.get('/v1/coupon_reservations/customerprofiles/NOPE-1'), 404)
    assert_error(client.post('/v1/coupon_reservations/XMAS-20-2021', {}), 400,
                 pointer='/integrationIDs')
    many = ['p%d' % i for i in range(11)]
    assert_error(client.post('/v1/coupon_reservations/RESERVED-ONLY', {'integrationIDs': many}),
                 400, pointer='/integrationIDs')
    customers = client.get('/v1/coupon_reservations/customerprofiles/RESERVED-ONLY').body
    assert customers['totalResultSize'] == 1       # the failed request changed nothing


def test_reservation_makes_reserved_coupon_usable(client):
    client.post('/v1/coupon_reservations/RESERVED-ONLY', {'integrationIDs': ['P7']})
    response = client.session('S', profileId='P7', couponCodes=['RESERVED-ONLY'],
                              cartItems=[{'sku': 'A', 'quantity': 1, 'price': 80}])
    assert any(e['effectType'] == 'acceptCoupon' for e in response.body['effects'])


def test_create_referral_and_redeem_it(client):
    response = client.post('/v1/referrals', {'campaignId': 45,
                                             'advocateProfileIntegrationId': 'URNGV8294NV',
                                             'usageLimit': 1})
    assert response.status == 201
    referral = response.body
    assert referral['campaignId'] == 45 and referral['usageCounter'] == 0
    assert len(referral['code']) == 8 and referral['created'].endswith('Z')
    session = client.session('S', profileId='FRIEND', referralCode=referral['code'],
                             cartItems=[{'sku': 'A', 'quantity': 1, 'price': 10}])
    assert any(e['effectType'] == 'acceptReferral' for e in session.body['effects'])


def test_referral_errors(client):
    assert_error(client.post('/v1/referrals', {'campaignId': 10,
                                               'advocateProfileIntegrationId': 'A'}),
                 400, pointer='/campaignId')
    assert_error(client.post('/v1/referrals', {'campaignId': 1234,
                                               'advocateProfileIntegrationId': 'A'}),
                 400, pointer='/campaignId')
    assert_error(client.post('/v1/referrals', {'campaignId': 45}), 400,
                 pointer='/advocateProfileIntegrationId')
    assert_error(client.post('/v1/referrals', {'campaignId': 45,
                                               'advocateProfileIntegrationId': 'A',
                                               'expiryDate': 'soon'}), 400, pointer='/expiryDate')


def test_referrals_for_multiple_advocates(client):
    body = {'campaignId': 78, 'advocateProfileIntegrationIds': ['A1', 'A2', 'A3'],
            'usageLimit': 2, 'referralPattern': 'REF-###', 'validCharacters': ['1', '2', '3', '4']}
    assert client.post('/v1/referrals_for_multiple_advocates', body).status == 204
    loud = client.post('/v1/referrals_for_multiple_advocates', body, query={'silent': 'no'})
    assert loud.status == 201
    assert loud.body['totalResultSize'] == 3
    codes = [r['code'] for r in loud.body['data']]
    assert all(c.startswith('REF-') and set(c[4:]) <= set('1234') for c in codes)
    assert [r['advocateProfileIntegrationId'] for r in loud.body['data']] == ['A1', 'A2', 'A3']
    assert_error(client.post('/v1/referrals_for_multiple_advocates',
                             dict(body, advocateProfileIntegrationIds=[])), 400,
                 pointer='/advocateProfileIntegrationIds')
    assert_error(client.post('/v1/referrals_for_multiple_advocates',
                             dict(body, usageLimit=None)), 400, pointer='/usageLimit')
