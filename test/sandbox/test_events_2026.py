"""The 2026 non-loyalty operations and changes, over raw HTTP, in memory and with --db:
advanced events, best prior price, achievements, running campaigns, audience effects,
``now``, ``updateCount``; every answer checked against the 2026 spec's schemas."""

import pytest

from talon_one.sandbox import Sandbox

from . import spec_2026
from .http_client import Client, assert_error, effects_of

pytestmark = pytest.mark.skipif(not spec_2026.available(), reason='needs the 2026 spec')

ADA = 'URNGV8294NV'
COFFEE = [{'sku': 'COFFEE-01', 'quantity': 1, 'price': 4.5}]
SHOES = [{'name': 'Air Glide', 'sku': 'SKU1241028', 'quantity': 1, 'price': 100.0,
          'category': 'shoes'}]
SHIPPED = {'integrationId': 'ORDER-175KJPS947296-SHIPPED', 'type': 'orderShipped',
           'profileId': ADA, 'attributes': {'carrier': 'UPS'}}


@pytest.fixture(params=['memory', 'db'])
def client(request, tmp_path):
    db = str(tmp_path / 'events.sqlite3') if request.param == 'db' else None
    with Sandbox(db=db) as running:
        yield Client(running.url, running.api_key)


def shaped(response, schema, status=200):
    assert response.status == status, response
    spec_2026.assert_shape(response.body, schema)
    if isinstance(response.body, dict) and 'effects' in response.body:
        found = spec_2026.effect_problems(response.body['effects'])
        assert not found, found
    return response.body


# ---------------------------------------------------------------- advanced events

def test_an_advanced_event_sent_twice_is_recorded_once(client):
    first = shaped(client.post('/v3/events', SHIPPED, query={'silent': 'no'}),
                   'IntegrationEventV3Response')
    assert first['advancedEvent']['integrationId'] == SHIPPED['integrationId']
    [progress] = [e['props'] for e in effects_of(client.get('/v3/events/' + SHIPPED[
        'integrationId']), 'increaseAchievementProgress')]
    assert (progress['achievementId'], progress['value']) == (4, 1)
    again = client.post('/v3/events', dict(SHIPPED, attributes={'carrier': 'DHL'}))
    assert_error(again, 409, pointer='/integrationId')
    stored = shaped(client.get('/v3/events/' + SHIPPED['integrationId']), 'EventV3')
    assert stored['attributes'] == {'carrier': 'UPS'}      # the first one stays
    history = client.get('/v1/customer_profiles/%s/achievements/4' % ADA).body
    assert [run['progress'] for run in history['data']] == [1]    # counted once


def test_advanced_event_dry_run_and_silent_default(client):
    dry = client.post('/v3/events', SHIPPED, query={'dry': 'true', 'silent': 'no'})
    assert dry.status == 200
    assert_error(client.get('/v3/events/' + SHIPPED['integrationId']), 404)
    assert client.post('/v3/events', SHIPPED).status == 204    # silent by default
    assert client.get('/v3/events/' + SHIPPED['integrationId']).status == 200
    assert_error(client.post('/v3/events', SHIPPED, query={'forceCompleteEvaluation': 'true'}),
                 400)


def test_an_advanced_event_sees_its_closed_session(client):
    seeded = shaped(client.get('/v3/events/ADV-EVENT-1'), 'EventV3')
    assert seeded['connectedSessionId'] == 'CLOSED-SESSION-1'
    # CLOSED-SESSION-1's cart is over 200: the "Big order shipped" rule saw it.
    assert effects_of(client.get('/v3/events/ADV-EVENT-1'), 'showNotification')
    small = client.post('/v3/events', {'integrationId': 'SMALL-1', 'type': 'orderShipped',
                                       'profileId': ADA}, query={'silent': 'no'})
    assert effects_of(small, 'showNotification') == []
    unknown = client.post('/v3/events', dict(SHIPPED, connectedSessionId='NO-SUCH-SESSION'),
                          query={'silent': 'no'})
    assert unknown.status == 200 and effects_of(unknown, 'showNotification') == []
    assert unknown.body['advancedEvent']['connectedSessionId'] == 'NO-SUCH-SESSION'


def test_advanced_event_needs_its_required_fields(client):
    assert_error(client.post('/v3/events', {'type': 'orderShipped', 'profileId': ADA}), 400,
                 pointer='/integrationId')


# ---------------------------------------------------------------- best prior price

def _prior(client, end, end_type='strict', days='30', skus=('SKU1241028', 'SKU1241029')):
    return shaped(client.post('/v1/best_prior_price', {
        'skus': list(skus), 'timeframeEndDate': end, 'timeframe': days,
        'timeframeEndDateType': end_type}), {'type': 'array', 'items': {
            '$ref': '#/components/schemas/BestPriorPrice'}})


def test_best_prior_price_is_the_minimum_over_the_window(client):
    found = {p['sku']: p for p in _prior(client, '2026-11-30T00:00:00Z')}
    assert (found['SKU1241028']['price'], found['SKU1241028']['contextIds']) == (
        89.99, ['BlackWeek'])
    assert found['SKU1241029']['price'] == 119.0
    # Five days before the 10th: only 109.99 held (89.99 came later).
    early = _prior(client, '2026-11-05T00:00:00Z', skus=['SKU1241028'])
    assert [p['price'] for p in early] == [109.99]
    # A window after the cheap days: 99.99 from the 20th, and 89.99 still held on the 19th.
    late = _prior(client, '2026-11-25T00:00:00Z', days='5', skus=['SKU1241028'])
    assert [p['price'] for p in late] == [89.99]
    # ``price``: the window ends where the current price began (the 15th for SKU1241029).
    [before_cut] = _prior(client, '2026-11-30T00:00:00Z', 'price', skus=['SKU1241029'])
    assert before_cut['price'] == 129.0
    assert _prior(client, '2026-10-01T00:00:00Z', skus=['SKU1241028']) == []


def test_best_prior_price_follows_catalog_syncs(client):
    synced = client.put('/v1/catalogs/6/sync', {'actions': [
        {'type': 'PATCH', 'payload': {'sku': 'SKU1241029', 'price': 59.0}}]})
    assert synced.status == 200
    [now] = _prior(client, '2099-01-01T00:00:00Z', days='36500', skus=['SKU1241029'])
    assert now['price'] == 59.0
    [cut] = _prior(client, '2099-01-01T00:00:00Z', 'price', days='36500', skus=['SKU1241029'])
    assert cut['price'] == 119.0      # the sync's price is the one in effect, not a prior one


def test_best_prior_price_errors_name_the_field(client):
    bad = client.post('/v1/best_prior_price', {'skus': ['SKU1241028'], 'timeframe': 'a month',
                                               'timeframeEndDate': '2026-11-30T00:00:00Z',
                                               'timeframeEndDateType': 'strict'})
    assert_error(bad, 400, pointer='/timeframe')
    wrong = client.post('/v1/best_prior_price', {'skus': ['SKU1241028'], 'timeframe': '30',
                                                 'timeframeEndDate': '2026-11-30T00:00:00Z',
                                                 'timeframeEndDateType': 'soon'})
    assert_error(wrong, 400, pointer='/timeframeEndDateType')


# ---------------------------------------------------------------- achievements

def _coffee_progress(client, profile=ADA):
    body = shaped(client.get('/v1/customer_profiles/%s/achievements' % profile,
                             query={'achievementIds': '3'}), 'inline_response_200_2')
    return body['data'][0]['currentProgress']


def test_achievements_progress_on_close_and_roll_back_on_cancel(client):
    assert _coffee_progress(client)['progress'] == 4
    opened = client.session('COF-1', profileId=ADA, cartItems=COFFEE)
    [preview] = [e['props'] for e in effects_of(opened, 'increaseAchievementProgress')]
    assert (preview['value'], preview['delta'], preview['target']) == (5, 1, 10)
    assert _coffee_progress(client)['progress'] == 4      # an open session commits nothing
    client.session('COF-1', profileId=ADA, cartItems=COFFEE, state='closed')
    assert _coffee_progress(client)['progress'] == 5
    cancelled = shaped(client.session('COF-1', state='cancelled'), 'IntegrationStateV2')
    [undone] = [e['props'] for e in cancelled['effects']
                if e['effectType'] == 'rollbackIncreasedAchievementProgress']
    assert (undone['decreaseProgressBy'], undone['currentProgress']) == (1, 4)
    assert _coffee_progress(client)['progress'] == 4


def test_achievement_progress_rolls_back_when_everything_is_returned(client):
    cart = COFFEE + [dict(COFFEE[0], sku='SOCKS-01', price=9.5)]
    client.session('COF-2', profileId=ADA, cartItems=cart, state='closed')
    assert _coffee_progress(client)['progress'] == 5
    part = client.post('/v2/customer_sessions/COF-2/returns',
                       {'return': {'returnedCartItems': [{'sku': 'SOCKS-01'}]}})
    assert effects_of(part, 'rollbackIncreasedAchievementProgress') == []
    rest = client.post('/v2/customer_sessions/COF-2/returns',
                       {'return': {'returnedCartItems': [{'position': 0}]}})
    assert len(effects_of(rest, 'rollbackIncreasedAchievementProgress')) == 1
    assert _coffee_progress(client)['progress'] == 4


def test_completing_an_achievement_starts_a_new_run(client):
    for index in range(7):     # 4 -> 10 completes the run; the 7th order starts the next
        client.session('RUN-%d' % index, profileId=ADA, cartItems=COFFEE, state='closed')
    history = shaped(client.get('/v1/customer_profiles/%s/achievements/3' % ADA),
                     'inline_response_200_3')
    assert [(r['status'], r['progress']) for r in history['data']] == [
        ('inprogress', 1), ('completed', 10)]
    done = client.get('/v1/customer_profiles/%s/achievements/3' % ADA,
                      query={'progressStatus': 'completed'}).body
    assert done['totalResultSize'] == 1


def test_achievement_lists_filter_and_page(client):
    both = client.get('/v1/customer_profiles/%s/achievements' % ADA).body
    assert [a['id'] for a in both['data']] == [3, 4]
    assert [a['id'] for a in client.get('/v1/customer_profiles/%s/achievements' % ADA, query={
        'campaignIds': '61'}).body['data']] == [4]
    page = client.get('/v1/customer_profiles/%s/achievements' % ADA,
                      query={'pageSize': 1, 'skip': 1}).body
    assert (page['totalResultSize'], [a['id'] for a in page['data']]) == (2, [4])
    fresh = client.get('/v1/customer_profiles/%s/achievements' % ADA,
                       query={'currentProgressStatus': 'not_started'}).body
    assert [a['id'] for a in fresh['data']] == [4]
    assert_error(client.get('/v1/customer_profiles/NOBODY/achievements'), 404)
    assert_error(client.get('/v1/customer_profiles/%s/achievements/99' % ADA), 404)
    assert_error(client.get('/v1/customer_profiles/%s/achievements' % ADA,
                            query={'currentProgressStatus': 'done'}), 400)


def test_inventory_and_response_content_show_achievements(client):
    inventory = shaped(client.get('/v1/customer_profiles/%s/inventory' % ADA,
                                  query={'achievements': 'true'}), 'CustomerInventory')
    assert [(a['achievementId'], a['progress']) for a in inventory['achievements']] == [(3, 4)]
    state = shaped(client.session('COF-3', profileId=ADA, cartItems=COFFEE,
                                  content=['achievements', 'campaignEligibility']),
                   'IntegrationStateV2')
    assert [a['id'] for a in state['achievements']] == [3, 4]
    eligible = {c['id']: c['eligibility'][0]['passed'] for c in state['campaignEligibility']}
    assert eligible[60] is True


# ---------------------------------------------------------------- running campaigns

def test_integration_campaigns_lists_running_ones_with_filters(client):
    body = shaped(client.get('/v1/integration/campaigns', query={'pageSize': 1000}),
                  'inline_response_200')
    ids = [c['id'] for c in body['data']]
    assert 99 not in ids and 10 in ids and body['hasMore'] is False     # 99 has ended
    comma = client.get('/v1/integration/campaigns', query={'campaignIds': '10,61'}).body
    assert [c['id'] for c in comma['data']] == [10, 61]
    repeated = client.get('/v1/integration/campaigns?campaignIds=10&campaignIds=61').body
    assert [c['id'] for c in repeated['data']] == [10, 61]
    page = client.get('/v1/integration/campaigns', query={'pageSize': 2}).body
    assert len(page['data']) == 2 and page['hasMore'] is True
    vip = client.get('/v1/integration/campaigns', query={'audienceId': 748}).body
    assert [c['id'] for c in vip['data']] == [20]
    later = client.get('/v1/integration/campaigns', query={'endBefore': '2030-01-01T00:00:00Z'})
    assert later.body['data'] == []     # running campaigns here have no end
    assert_error(client.get('/v1/integration/campaigns', query={'campaignIds': 'x'}), 400)


# ---------------------------------------------------------------- audience effects

def test_audience_effects_change_membership(client):
    def member_of(profile):
        body = client.get('/v1/customer_profiles/%s/inventory' % profile,
                          query={'profile': 'true'}).body
        return [a['id'] for a in body['profile']['audienceMemberships']]
    assert 2 not in member_of('R195412')
    added = shaped(client.post('/v2/events', {'type': 'newsletter_subscribed',
                                              'profileId': 'R195412'},
                               query={'silent': 'no'}), 'IntegrationEventV2Response')
    [props] = [e['props'] for e in added['effects'] if e['effectType'] == 'addToAudience']
    assert (props['audienceId'], props['profileIntegrationId']) == (2, 'R195412')
    assert 2 in member_of('R195412')
    again = client.post('/v2/events', {'type': 'newsletter_subscribed', 'profileId': 'R195412'},
                        query={'silent': 'no'})
    assert effects_of(again, 'addToAudience') == []     # a member already
    client.post('/v2/events', {'type': 'newsletter_unsubscribed', 'profileId': 'R195412'})
    assert 2 not in member_of('R195412')
    dry = client.post('/v2/events', {'type': 'newsletter_subscribed', 'profileId': 'R195412'},
                      query={'silent': 'no', 'dry': 'true'})
    assert effects_of(dry, 'addToAudience') and 2 not in member_of('R195412')


# ---------------------------------------------------------------- now, updateCount, shapes

def test_now_changes_which_campaigns_apply(client):
    today = client.session('NOW-1', profileId=ADA, cartItems=SHOES, couponCodes=['FUTURE-2099'],
                           query={'dry': 'true'})
    assert effects_of(today, 'rejectCoupon')[0]['props']['rejectionReason'] == \
        'CouponStartDateInFuture'
    later = client.session('NOW-1', profileId=ADA, cartItems=SHOES, couponCodes=['FUTURE-2099'],
                           query={'dry': 'true', 'now': '2099-06-01T00:00:00Z'})
    assert [e['props']['value'] for e in effects_of(later, 'acceptCoupon')] == ['FUTURE-2099']
    # Achievement 3's yearly run has ended by then: no progress either.
    coffee = client.session('NOW-2', profileId=ADA, cartItems=COFFEE,
                            query={'dry': 'true', 'now': '2099-06-01T00:00:00Z'})
    assert effects_of(coffee, 'increaseAchievementProgress') == []
    assert_error(client.session('NOW-1', cartItems=SHOES,
                                query={'now': '2099-06-01T00:00:00Z'}), 400)
    assert_error(client.session('NOW-1', cartItems=SHOES,
                                query={'dry': 'true', 'now': '2001-01-01T00:00:00Z'}), 400)


def test_update_count_counts_updates(client):
    counts = [client.session('UC-1', profileId=ADA, cartItems=SHOES).body[
        'customerSession']['updateCount'] for _ in range(3)]
    assert counts == [1, 2, 3]
    closed = shaped(client.session('UC-1', profileId=ADA, cartItems=SHOES, state='closed'),
                    'IntegrationStateV2')
    assert closed['customerSession']['updateCount'] == 4
    repeat = client.session('UC-1', profileId=ADA, cartItems=SHOES, state='closed')
    assert repeat.body['customerSession']['updateCount'] == 4    # nothing changed
    returned = client.post('/v2/customer_sessions/UC-1/returns',
                           {'return': {'returnedCartItems': [{'position': 0}]}})
    assert returned.body['customerSession']['updateCount'] == 5
    assert returned.body['return']['returnedCartItems'][0]['sku'] == 'SKU1241028'
    got = shaped(client.get('/v2/customer_sessions/UC-1'), 'IntegrationCustomerSessionResponse')
    assert got['customerSession']['updateCount'] == 5
    v1 = shaped(client.put('/v1/customer_sessions/UC-2', {'profileId': ADA}), 'IntegrationState')
    assert v1['session']['updateCount'] == 1


def test_item_costs_and_store_are_on_the_session(client):
    cart = [dict(SHOES[0], additionalCosts={'packaging': {'price': 2.0}}, quantity=2)]
    body = shaped(client.session('COST-1', profileId=ADA, cartItems=cart,
                                 storeIntegrationId='STORE-001',
                                 additionalCosts={'shipping': {'price': 4.95}},
                                 content=['customerSession', 'event']), 'IntegrationStateV2')
    session = body['customerSession']
    assert (session['cartItemAdditionalCostTotal'], session['additionalCostTotal']) == (4, 8.95)
    assert session['storeIntegrationId'] == body['event']['storeIntegrationId'] == 'STORE-001'


def test_answers_of_changed_operations_fit_the_2026_schemas(client):
    shaped(client.put('/v2/customer_profiles/%s' % ADA, {'attributes': {'x': 1}},
                      query={'runRuleEngine': 'true'}), 'CustomerProfileIntegrationResponseV2')
    shaped(client.post('/v2/events', {'type': 'review_written', 'profileId': ADA,
                                      'storeIntegrationId': 'STORE-001',
                                      'responseContent': ['customerProfile', 'event',
                                                          'triggeredCampaigns']},
                       query={'silent': 'no'}), 'IntegrationEventV2Response')
    assert_error(client.post('/v2/events', {'type': 'x'},
                             query={'forceCompleteEvaluation': 'true'}), 400)
    forced = client.post('/v2/events', {'type': 'x'},
                         query={'forceCompleteEvaluation': 'true', 'dry': 'true'})
    assert forced.status == 204
    shaped(client.put('/v1/customer_profiles/%s' % ADA, {'attributes': {}}), 'IntegrationState')
    shaped(client.post('/v1/events', {'type': 'review_written', 'profileId': ADA,
                                      'sessionId': 'NEW-V1', 'attributes': {}}),
           'IntegrationState', status=201)
    campaigns = client.session('SHAPE-1', profileId=ADA, cartItems=SHOES,
                               content=['triggeredCampaigns']).body['triggeredCampaigns']
    for campaign in campaigns:
        spec_2026.assert_shape(campaign, 'Campaign')
        assert campaign['frontendState'] == 'running'


# ---------------------------------------------------------------- returns with runRuleEngine

def _free_shipping_order(client, session_id):
    cart = [dict(SHOES[0], quantity=2)]        # 200: free shipping from 150 (campaign 15)
    closed = client.session(session_id, profileId=ADA, cartItems=cart, state='closed',
                            additionalCosts={'shipping': {'price': 4.95}})
    assert effects_of(closed, 'setDiscountPerAdditionalCost')


def test_return_keeps_free_shipping_without_rerunning_the_rules(client):
    _free_shipping_order(client, 'RET-1')
    body = client.post('/v2/customer_sessions/RET-1/returns',
                       {'return': {'returnedCartItems': [{'position': 0, 'quantity': 1}]}}).body
    assert [e['campaignId'] for e in body['effects']
            if e['effectType'] == 'rollbackDiscount'] == [12]    # shipping is still owed


def test_return_with_run_rule_engine_reevaluates_the_campaigns_that_ask_for_it(client):
    _free_shipping_order(client, 'RET-2')
    body = shaped(client.post('/v2/customer_sessions/RET-2/returns',
                              {'return': {'returnedCartItems': [{'position': 0, 'quantity': 1}]}},
                              query={'runRuleEngine': 'true'}), 'IntegrationStateV2')
    # 100 left: campaign 15 (reevaluateOnReturn) no longer applies, its discount is undone.
    [undone] = [e['props'] for e in body['effects'] if e['effectType'] == 'rollbackDiscount'
                and e['campaignId'] == 15]
    assert (undone['name'], undone['value']) == ('Free shipping', 4.95)
    assert not [e for e in body['effects'] if e['effectType'] == 'setDiscountPerAdditionalCost']
    # The shoe discount (campaign 12, not reevaluated) is rolled back in proportion only.
    assert [e['props']['value'] for e in body['effects'] if e['effectType'] == 'rollbackDiscount'
            and e['campaignId'] == 12] == [10]
    cancelled = client.session('RET-2', state='cancelled').body
    assert not [e for e in cancelled['effects'] if e['effectType'] == 'rollbackDiscount' and
                e['campaignId'] == 15]      # nothing of it is left to undo


# ---------------------------------------------------------------- --db restarts

def test_new_state_survives_a_restart_with_db(tmp_path):
    db = str(tmp_path / 'restart.sqlite3')
    with Sandbox(db=db) as first:
        client = Client(first.url, first.api_key)
        assert client.post('/v3/events', SHIPPED).status == 204
        client.session('DB-1', profileId=ADA, cartItems=COFFEE, state='closed')
        client.put('/v1/catalogs/6/sync', {'actions': [
            {'type': 'PATCH', 'payload': {'sku': 'SKU1241029', 'price': 59.0}}]})
        client.post('/v2/events', {'type': 'newsletter_subscribed', 'profileId': 'R195412'})
    with Sandbox(db=db) as second:
        client = Client(second.url, second.api_key)
        assert_error(client.post('/v3/events', SHIPPED), 409)     # still recorded once
        assert client.get('/v3/events/ADV-EVENT-1').status == 200  # seeded once, kept
        assert _coffee_progress(client)['progress'] == 5
        [price] = _prior(client, '2099-01-01T00:00:00Z', days='36500', skus=['SKU1241029'])
        assert price['price'] == 59.0
        profile = client.get('/v1/customer_profiles/R195412/inventory',
                             query={'profile': 'true'}).body['profile']
        assert 2 in [a['id'] for a in profile['audienceMemberships']]
        cancelled = client.session('DB-1', state='cancelled')
        assert effects_of(cancelled, 'rollbackIncreasedAchievementProgress')
        assert _coffee_progress(client)['progress'] == 4


def test_reset_forgets_advanced_events_and_progress(client):
    assert client.post('/v3/events', SHIPPED).status == 204
    client.session('RESET-1', profileId=ADA, cartItems=COFFEE, state='closed')
    assert client.post('/_sandbox/reset').status == 204
    assert client.get('/v3/events/' + SHIPPED['integrationId']).status == 404
    assert client.get('/v3/events/ADV-EVENT-1').status == 200     # the world's own is back
    assert _coffee_progress(client)['progress'] == 4
    assert client.post('/v3/events', SHIPPED).status == 204
