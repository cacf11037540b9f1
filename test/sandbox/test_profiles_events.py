"""Profiles (v1, v2, bulk), events (v1, v2), inventory, customer data deletion."""

from .http_client import assert_error, effects_of


def test_profile_v2_create_and_update(client):
    response = client.put('/v2/customer_profiles/NEW-1', {'attributes': {'Name': 'Kim'}})
    assert response.status == 200
    profile = response.body['customerProfile']
    assert profile['integrationId'] == 'NEW-1' and profile['attributes'] == {'Name': 'Kim'}
    assert profile['closedSessions'] == 0 and profile['totalSales'] == 0
    assert response.body['effects'] == []
    again = client.put('/v2/customer_profiles/NEW-1', {'attributes': {'City': 'Rome'}})
    assert again.body['customerProfile']['attributes'] == {'Name': 'Kim', 'City': 'Rome'}
    assert again.body['customerProfile']['id'] == profile['id']


def test_profile_v2_audience_changes(client):
    response = client.put('/v2/customer_profiles/URNGV8294NV', {
        'audiencesChanges': {'adds': [4], 'deletes': [748]}})
    ids = {a['id'] for a in response.body['customerProfile']['audienceMemberships']}
    assert ids == {2, 4}
    missing = client.put('/v2/customer_profiles/URNGV8294NV', {
        'audiencesChanges': {'adds': [999], 'deletes': []}})
    assert_error(missing, 404, pointer='/audiencesChanges/adds/0')


def test_profile_v2_run_rule_engine_and_dry(client):
    body = {'attributes': {'x': 1}, 'responseContent': ['customerProfile', 'triggeredCampaigns']}
    plain = client.put('/v2/customer_profiles/P1', body)
    assert plain.body['triggeredCampaigns'] == []
    dry = client.put('/v2/customer_profiles/DRY-1', body, query={'dry': 'true'})
    assert dry.status == 200 and dry.body['customerProfile']['integrationId'] == 'DRY-1'
    assert_error(client.get('/v1/customer_profiles/DRY-1/inventory'), 404)
    ran = client.put('/v2/customer_profiles/P1', body, query={'runRuleEngine': 'true'})
    assert ran.status == 200 and ran.body['effects'] == []


def test_profile_v1(client):
    response = client.put('/v1/customer_profiles/OLD-1', {'attributes': {'a': 'b'}})
    assert response.status == 200
    assert response.body['profile']['attributes'] == {'a': 'b'}
    assert set(response.body) == {'profile', 'event', 'loyalty', 'session'}   # v1 requires it
    assert response.body['session']['integrationId'] == ''     # the profile has none
    assert response.body['event']['type'] == 'talon_profile_updated'
    assert response.body['event']['profileId'] == 'OLD-1'
    assert 'sessionId' not in response.body['event']


def test_bulk_profiles(client):
    items = [{'integrationId': 'B%d' % i, 'attributes': {'n': i}} for i in range(3)]
    silent = client.put('/v2/customer_profiles', {'customerProfiles': items})
    assert silent.status == 204 and silent.raw == b''
    loud = client.put('/v2/customer_profiles', {'customerProfiles': items}, query={'silent': 'no'})
    assert loud.status == 200
    states = loud.body['integrationStates']
    assert [s['customerProfile']['integrationId'] for s in states] == ['B0', 'B1', 'B2']
    too_many = [{'integrationId': 'X%d' % i} for i in range(1001)]
    assert_error(client.put('/v2/customer_profiles', {'customerProfiles': too_many}), 400,
                 pointer='/customerProfiles')


def test_event_v2_effects(client):
    response = client.post('/v2/events', {
        'type': 'review_written', 'profileId': 'URNGV8294NV', 'attributes': {'stars': 5},
        'responseContent': ['customerProfile', 'event', 'loyalty', 'triggeredCampaigns']},
        query={'silent': 'no'})
    assert response.status == 200
    body = response.body
    points = effects_of(response, 'addLoyaltyPoints')[0]
    assert points['props']['value'] == 15 and points['props']['name'] == 'Review bonus'
    custom = effects_of(response, 'customEffect')[0]
    assert custom['props'] == {'effectId': 1, 'name': 'send_thank_you_email',
                               'payload': {'template': 'review-thanks'}}
    assert body['event']['type'] == 'review_written'
    assert body['event']['attributes'] == {'stars': 5}
    assert [c['id'] for c in body['triggeredCampaigns']] == [40]
    assert body['loyalty']['programs']['125']['ledger']['currentBalance'] == 195  # 180 + 15


def test_event_v2_silent_by_default_and_dry(client):
    silent = client.post('/v2/events', {'type': 'review_written', 'profileId': 'P1'})
    assert silent.status == 204
    dry = client.post('/v2/events', {'type': 'review_written', 'profileId': 'P1'},
                      query={'silent': 'no', 'dry': 'true'})
    assert dry.status == 200
    balance = client.get('/v1/loyalty_programs/125/profile/P1/balances').body['balance']
    assert balance['activePoints'] == 15          # only the first, non-dry event counted


def test_event_awards_giveaways(client):
    content = ['awardedGiveaways']
    first = client.post('/v2/events', {'type': 'app_installed', 'profileId': 'P1',
                                       'responseContent': content}, query={'silent': 'no'})
    award = effects_of(first, 'awardGiveaway')[0]['props']
    assert award['code'] == 'GIFT-0001' and award['poolId'] == 1
    assert award['recipientIntegrationId'] == 'P1' and award['poolName'] == 'App install gifts'
    assert first.body['awardedGiveaways'][0]['code'] == 'GIFT-0001'
    second = client.post('/v2/events', {'type': 'app_installed', 'profileId': 'P2'},
                         query={'silent': 'no'})
    assert effects_of(second, 'awardGiveaway')[0]['props']['code'] == 'GIFT-0002'
    inventory = client.get('/v1/customer_profiles/P1/inventory', query={'giveaways': 'true'})
    assert [g['code'] for g in inventory.body['giveaways']] == ['GIFT-0001']


def test_event_without_matching_rule(client):
    response = client.post('/v2/events', {'type': 'nothing_special', 'profileId': 'P1'},
                           query={'silent': 'no'})
    assert response.body['effects'] == []


def test_event_v1(client):
    response = client.post('/v1/events', {'type': 'review_written', 'profileId': 'P1',
                                          'sessionId': '175KJPS947296', 'attributes': {}})
    assert response.status == 201
    assert response.body['event']['sessionId'] == '175KJPS947296'
    assert response.body['session']['integrationId'] == '175KJPS947296'
    assert any(e['effectType'] == 'addLoyaltyPoints' for e in response.body['event']['effects'])
    assert_error(client.post('/v1/events', {'type': 'x', 'attributes': {}}), 400,
                 pointer='/sessionId')


def test_inventory_flags(client):
    path = '/v1/customer_profiles/URNGV8294NV/inventory'
    assert client.get(path).body == {}
    full = client.get(path, query={'profile': 'true', 'referrals': 'true', 'coupons': 'true',
                                   'loyalty': 'true', 'giveaways': 'true'}).body
    assert full['profile']['integrationId'] == 'URNGV8294NV'
    assert full['referrals'] == []
    coupon = next(c for c in full['coupons'] if c['value'] == 'RESERVED-ONLY')
    assert coupon['state'] == 'active' and coupon['profileRedemptionCount'] == 0
    ledger = full['loyalty']['programs']['125']
    assert ledger['ledger']['currentBalance'] == 180
    assert ledger['ledger']['expiredBalance'] == 30
    assert ledger['ledger']['spentBalance'] == 20
    assert [c['identifier'] for c in full['loyalty']['cards']] == ['summer-loyalty-card-0543']
    assert full['giveaways'] == []
    advocate = client.get('/v1/customer_profiles/DRPVV9476AF/inventory',
                          query={'referrals': 'true'}).body
    assert {r['code'] for r in advocate['referrals']} >= {'NT2K54D9', 'SUMMER-REF-78'}
    assert_error(client.get('/v1/customer_profiles/NOBODY/inventory'), 404)


def test_delete_customer_data(client):
    assert client.delete('/v1/customer_data/URNGV8294NV').status == 204
    assert_error(client.get('/v1/customer_profiles/URNGV8294NV/inventory'), 404)
    assert_error(client.get('/v2/customer_sessions/175KJPS947296'), 404)
    assert_error(client.delete('/v1/customer_data/URNGV8294NV'), 404)
    reserved = client.get('/v1/coupon_reservations/customerprofiles/RESERVED-ONLY').body
    assert reserved['totalResultSize'] == 0
