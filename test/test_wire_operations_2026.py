"""Golden wire tests for what the 2026 spec added to IntegrationApi.

One test per new operation (13), in the style of test_wire_operations.py (whose
``exchange`` and ``assert_wire`` are used here: every call is made plainly and through
its ``*_with_http_info`` twin against the same canned reply), then the parameters that
existing operations gained (CHANGES-2026.md, "Changed operations"), and the shape rules
of query parameters:

- a ``type: array`` parameter with ``explode: true`` goes out once per item
  (``subledgerId=a&subledgerId=b``), one with ``explode: false`` as one comma-separated
  value (``campaignIds=10,12``);
- one string for a list parameter is a list of one;
- a list for a one-value parameter raises ApiTypeError naming the parameter, before any
  I/O.

The expected values (wire names, paths, query text, JSON bodies) are written out by
hand from talon-one-integration-2026.yaml; the replies are written by hand from its
schemas. Nothing here is computed with SDK helpers.
"""

import datetime

import pytest

import talon_one
from test_wire_operations import (
    UTC, PLUS_ONE, PLUS_TWO, assert_wire, campaign_json, check_customer_profile,
    check_effect, check_ledger_info, check_loyalty, check_loyalty_card, coupon_json,
    customer_profile_json, customer_session_v2_json, effect_json, exchange,
    integration_state_v2_json, is_aware, loyalty_card_json, loyalty_json, referral_json,
    giveaway_json, check_integration_state_v2,
)

MINUS_FIVE = datetime.timezone(datetime.timedelta(hours=-5))

UUID_1 = '6b3c2f0e-9d4a-4c1e-8f7b-2a5d9e1c4b70'
UUID_2 = 'a1f09e3c-52d7-4b8e-9c60-7e4f1d2b3a95'


@pytest.fixture
def api(make_api_client):
    return talon_one.IntegrationApi(make_api_client())


# -- response bodies shaped like the spec's 2026 schemas --------------------------------

def achievement_progress_json(status='inprogress', progress=4.0):
    return {
        'status': status, 'progress': progress, 'startDate': '2023-01-01T00:00:00Z',
        'completionDate': '2023-03-15T10:20:30.250Z', 'endDate': '2023-12-31T23:59:59+01:00',
    }


def check_achievement_progress(progress, status='inprogress', value=4.0):
    assert isinstance(progress, talon_one.AchievementProgress)
    assert (progress.status, progress.progress) == (status, value)
    assert is_aware(progress.start_date, datetime.datetime(2023, 1, 1, tzinfo=UTC))
    assert is_aware(progress.completion_date,
                    datetime.datetime(2023, 3, 15, 10, 20, 30, 250000, tzinfo=UTC))
    assert is_aware(progress.end_date, datetime.datetime(2023, 12, 31, 22, 59, 59, tzinfo=UTC))
    assert progress.end_date.utcoffset() == datetime.timedelta(hours=1)


def customer_achievement_json():
    return {
        'id': 3, 'name': 'FreeCoffee10', 'title': 'Free coffee',
        'description': 'Ten coffees, one free', 'target': 10.0,
        'recurrencePolicy': 'on_expiration', 'activationPolicy': 'fixed_schedule',
        'fixedStartDate': '2023-01-01T00:00:00Z', 'endDate': '2023-12-31T23:59:59Z',
        'allowRollbackAfterCompletion': False, 'currentProgress': achievement_progress_json(),
    }


def campaign_eligibility_json():
    return {
        'applicationId': 322, 'id': 12, 'name': 'Winter', 'state': 'enabled',
        'tags': ['winter'], 'features': ['coupons'],
        'startTime': '2023-12-01T00:00:00Z',
        'eligibility': [{'passed': False, 'couponCode': 'WINTER-5',
                         'details': {'failureCode': 'ALL_RULES_FAILED'}}],
        'rules': [{'title': 'Winter rule', 'displayName': 'Five off',
                   'eligibility': [{'passed': False, 'details': {
                       'failureCode': 'CONDITION_NOT_MET', 'conditionIndex': 1,
                       'details': 'cart total too small'}}]}],
        'experiment': {'id': 4, 'variantId': 9},
    }


def check_campaign_eligibility(eligibility):
    assert isinstance(eligibility, talon_one.CampaignEligibility)
    assert (eligibility.id, eligibility.name) == (12, 'Winter')
    assert is_aware(eligibility.start_time, datetime.datetime(2023, 12, 1, tzinfo=UTC))
    detail = eligibility.eligibility[0]
    assert isinstance(detail, talon_one.CampaignEligibilityDetails)
    assert (detail.passed, detail.coupon_code) == (False, 'WINTER-5')
    assert isinstance(detail.details, talon_one.CampaignEligibilityFailureDetails)
    assert detail.details.failure_code == 'ALL_RULES_FAILED'
    rule = eligibility.rules[0]
    assert isinstance(rule, talon_one.RuleMetadataEligibility)
    assert rule.display_name == 'Five off'
    assert isinstance(rule.eligibility[0], talon_one.RuleEligibility)
    failure = rule.eligibility[0].details
    assert isinstance(failure, talon_one.RuleEligibilityFailureDetails)
    assert (failure.failure_code, failure.condition_index) == ('CONDITION_NOT_MET', 1)
    assert isinstance(eligibility.experiment, talon_one.CampaignEligibilityExperiment)
    assert eligibility.experiment.variant_id == 9


def check_customer_achievement(achievement):
    assert isinstance(achievement, talon_one.CustomerAchievement)
    assert (achievement.id, achievement.name, achievement.target) == (3, 'FreeCoffee10', 10.0)
    assert achievement.allow_rollback_after_completion is False
    assert is_aware(achievement.fixed_start_date, datetime.datetime(2023, 1, 1, tzinfo=UTC))
    check_achievement_progress(achievement.current_progress)


def event_v3_json(integration_id='evt-2023-0001'):
    return {
        'id': 1001, 'created': '2023-05-02T09:20:00.250Z', 'applicationId': 322,
        'profileId': 'URNGV8294NV', 'storeIntegrationId': 'STORE-01',
        'integrationId': integration_id, 'type': 'purchase',
        'attributes': {'channel': 'app', 'total': 59.9},
        'connectedSessionId': '175KJPS947296', 'effects': [effect_json()],
    }


def check_event_v3(event, integration_id='evt-2023-0001'):
    assert isinstance(event, talon_one.EventV3)
    assert (event.id, event.application_id, event.type) == (1001, 322, 'purchase')
    assert event.integration_id == integration_id
    assert event.store_integration_id == 'STORE-01'
    # The 26.13 wire name connectedSessionId, read into connected_session_id.
    assert event.connected_session_id == '175KJPS947296'
    assert event.attributes == {'channel': 'app', 'total': 59.9}
    assert is_aware(event.created, datetime.datetime(2023, 5, 2, 9, 20, 0, 250000, tzinfo=UTC))
    # EventV3.effects is array<object>: plain dicts, not Effect models.
    assert event.effects == [effect_json()]
    assert type(event.effects[0]) is dict


def loyalty_ledger_entry_json():
    return {
        'created': '2023-05-02T09:20:00Z', 'programID': 125,
        'customerProfileID': 'URNGV8294NV', 'customerSessionID': '175KJPS947296',
        'eventID': 356, 'type': 'addition', 'amount': 10.0,
        'startDate': '2023-05-03T00:00:00+02:00', 'expiryDate': '2024-05-02T00:00:00Z',
        'name': 'Reward 10% points', 'subLedgerID': 'sub-123', 'userID': 0,
        'archived': False, 'flags': {'createsNegativeBalance': False},
        'validityDuration': '365D',
    }


def tier_json():
    return {'id': 11, 'name': 'Gold', 'startDate': '2023-01-01T00:00:00Z',
            'expiryDate': '2024-01-01T00:00:00-05:00', 'downgradePolicy': 'one_down'}


# -- the 13 new operations --------------------------------------------------------------

def test_best_prior_price(http_server, api):
    body = talon_one.BestPriorPriceRequest(
        skus=['SKU1241028', 'SKU7345278'],
        timeframe_end_date=datetime.datetime(2023, 5, 1, 23, 0, tzinfo=PLUS_TWO),
        timeframe='30', timeframe_end_date_type='strict',
        target=talon_one.BestPriorTarget(target_type='AUDIENCE', audience_id=748))
    reply = [{
        'id': 81, 'sku': 'SKU1241028', 'observedAt': '2023-04-10T08:00:00Z',
        'contextId': 'summer-sale', 'contextIds': ['summer-sale', 'members'], 'price': 89.99,
        'metadata': {
            'influencingCampaignDetails': [{'campaignId': 10, 'discountValue': 10.0}],
            'adjustmentDetails': {'referenceId': 'adj-1', 'selectedPriceType': 'member',
                                  'value': 84.5},
        },
        'target': {'targetType': 'AUDIENCE', 'audienceID': 748},
    }, {
        'id': 82, 'sku': 'SKU7345278', 'observedAt': '2023-04-11T08:00:00+02:00',
        'contextIds': [], 'price': 19.0,
        'metadata': {'influencingCampaignDetails': []}, 'target': {'targetType': 'NONE'},
    }]
    prices, request = exchange(http_server, api, 'best_prior_price', body, reply=reply)
    assert_wire(request, 'POST', '/v1/best_prior_price', body={
        'skus': ['SKU1241028', 'SKU7345278'], 'timeframeEndDate': '2023-05-01T23:00:00+02:00',
        'timeframe': '30', 'timeframeEndDateType': 'strict',
        'target': {'targetType': 'AUDIENCE', 'audienceID': 748},
    })
    # The 200 is a JSON array: a list of models.
    assert type(prices) is list and len(prices) == 2
    first, second = prices
    assert isinstance(first, talon_one.BestPriorPrice)
    assert (first.id, first.sku, first.price) == (81, 'SKU1241028', 89.99)
    assert (first.context_id, first.context_ids) == ('summer-sale', ['summer-sale', 'members'])
    assert is_aware(first.observed_at, datetime.datetime(2023, 4, 10, 8, 0, tzinfo=UTC))
    assert isinstance(first.metadata, talon_one.BestPriorPriceMetadata)
    detail = first.metadata.influencing_campaign_details[0]
    assert isinstance(detail, talon_one.InfluencingCampaignDetails)
    assert (detail.campaign_id, detail.discount_value) == (10, 10.0)
    adjustment = first.metadata.adjustment_details
    assert isinstance(adjustment, talon_one.AdjustmentDetails)
    assert (adjustment.reference_id, adjustment.selected_price_type, adjustment.value) == (
        'adj-1', 'member', 84.5)
    # BestPriorPrice.target is a free-form object in the spec: a plain dict.
    assert first.target == {'targetType': 'AUDIENCE', 'audienceID': 748}
    assert isinstance(second, talon_one.BestPriorPrice)
    assert second.context_id is None and second.context_ids == []
    assert is_aware(second.observed_at, datetime.datetime(2023, 4, 11, 6, 0, tzinfo=UTC))
    assert second.metadata.influencing_campaign_details == []


def test_get_customer_achievements(http_server, api):
    reply = {'totalResultSize': 2, 'data': [{
        'id': 3, 'created': '2022-12-01T10:00:00Z', 'name': 'FreeCoffee10',
        'title': 'Free coffee', 'description': 'Ten coffees, one free', 'target': 10.0,
        'period': '1Y', 'periodEndOverride': {'month': 12, 'dayOfMonth': 31, 'hour': 23,
                                              'minute': 59, 'second': 59},
        'recurrencePolicy': 'on_expiration', 'activationPolicy': 'fixed_schedule',
        'fixedStartDate': '2023-01-01T00:00:00Z', 'endDate': '2023-12-31T23:59:59Z',
        'allowRollbackAfterCompletion': True, 'campaignId': 10, 'status': 'active',
        'currentProgress': achievement_progress_json(),
    }, {
        'id': 4, 'created': '2023-02-01T10:00:00+01:00', 'name': 'Spend500',
        'title': 'Big spender', 'description': 'Spend 500', 'target': 500.0,
        'campaignId': 12, 'status': 'scheduled',
    }]}
    result, request = exchange(
        http_server, api, 'get_customer_achievements', 'URNGV8294NV',
        campaign_ids=['10', '12'], achievement_ids=['3'],
        achievement_status=['active', 'scheduled'],
        current_progress_status=['inprogress', 'not_started'], page_size=100, skip=20,
        reply=reply)
    # explode: false, each list is one comma-separated value.
    assert_wire(request, 'GET', '/v1/customer_profiles/URNGV8294NV/achievements', query={
        'campaignIds': '10,12', 'achievementIds': '3',
        'achievementStatus': 'active,scheduled',
        'currentProgressStatus': 'inprogress,not_started', 'pageSize': '100', 'skip': '20'})
    assert isinstance(result, talon_one.GetCustomerAchievements200Response)
    assert result.total_result_size == 2
    first, second = result.data
    assert isinstance(first, talon_one.AchievementStatusEntry)
    assert (first.id, first.name, first.target, first.period) == (
        3, 'FreeCoffee10', 10.0, '1Y')
    assert (first.recurrence_policy, first.activation_policy) == (
        'on_expiration', 'fixed_schedule')
    assert first.allow_rollback_after_completion is True
    assert is_aware(first.created, datetime.datetime(2022, 12, 1, 10, 0, tzinfo=UTC))
    assert is_aware(first.end_date, datetime.datetime(2023, 12, 31, 23, 59, 59, tzinfo=UTC))
    override = first.period_end_override
    assert isinstance(override, talon_one.TimePoint)
    assert (override.month, override.day_of_month, override.day_of_week, override.hour) == (
        12, 31, None, 23)
    check_achievement_progress(first.current_progress)
    assert isinstance(second, talon_one.AchievementStatusEntry)
    assert (second.status, second.current_progress) == ('scheduled', None)
    assert is_aware(second.created, datetime.datetime(2023, 2, 1, 9, 0, tzinfo=UTC))

    # Nothing set: no query at all.
    result, request = exchange(http_server, api, 'get_customer_achievements', 'URNGV8294NV',
                               reply={'totalResultSize': 0, 'data': []})
    assert_wire(request, 'GET', '/v1/customer_profiles/URNGV8294NV/achievements')
    assert result.data == []


def test_get_customer_achievement_history(http_server, api):
    reply = {'totalResultSize': 2, 'data': [
        achievement_progress_json('completed', 10.0),
        {'status': 'expired', 'progress': 2.5, 'startDate': '2022-01-01T00:00:00Z',
         'endDate': '2022-12-31T23:59:59Z'},
    ]}
    result, request = exchange(
        http_server, api, 'get_customer_achievement_history', 'URNGV 8294/NV', 3,
        progress_status=['completed', 'expired'],
        start_date=datetime.datetime(2022, 1, 1, tzinfo=MINUS_FIVE),
        end_date=datetime.datetime(2023, 12, 31, 23, 59, 59),  # naive: taken as UTC
        page_size=10, skip=5, reply=reply)
    assert_wire(request, 'GET',
                '/v1/customer_profiles/URNGV%208294%2FNV/achievements/3', query={
                    'progressStatus': 'completed,expired',
                    'startDate': '2022-01-01T00:00:00-05:00',
                    'endDate': '2023-12-31T23:59:59+00:00', 'pageSize': '10', 'skip': '5'})
    assert isinstance(result, talon_one.GetCustomerAchievementHistory200Response)
    assert result.total_result_size == 2
    check_achievement_progress(result.data[0], 'completed', 10.0)
    expired = result.data[1]
    assert isinstance(expired, talon_one.AchievementProgress)
    assert (expired.status, expired.progress, expired.completion_date) == (
        'expired', 2.5, None)
    assert is_aware(expired.end_date, datetime.datetime(2022, 12, 31, 23, 59, 59, tzinfo=UTC))


def test_integration_get_all_campaigns(http_server, api):
    reply = {'hasMore': True, 'data': [{
        'id': 10, 'applicationId': 322, 'name': 'Summer sale',
        'description': 'Ten percent off', 'startTime': '2023-06-01T00:00:00Z',
        'endTime': '2023-08-31T23:59:59+02:00', 'attributes': {'region': 'EU'},
        'state': 'enabled', 'tags': ['summer'], 'features': ['coupons', 'achievements'],
        'rules': [{'title': '10% off', 'displayName': 'Summer discount',
                   'displayDescription': 'Ten percent off everything',
                   'relatedData': 'SKU1241028'}],
        'linkedStoreIds': [7, 8], 'linkedAudienceIds': [748],
    }]}
    result, request = exchange(
        http_server, api, 'integration_get_all_campaigns', page_size=20, skip=40,
        campaign_ids=['10', '12', '45'],
        start_after=datetime.datetime(2023, 1, 1, tzinfo=UTC),
        start_before=datetime.datetime(2023, 7, 1, 12, 0, tzinfo=PLUS_TWO),
        end_after=datetime.datetime(2023, 8, 1),
        end_before=datetime.datetime(2023, 12, 31, 23, 59, 59, 500000, tzinfo=UTC),
        store_id=7, audience_id=748, reply=reply)
    assert_wire(request, 'GET', '/v1/integration/campaigns', query={
        'pageSize': '20', 'skip': '40', 'campaignIds': '10,12,45',
        'startAfter': '2023-01-01T00:00:00+00:00', 'startBefore': '2023-07-01T12:00:00+02:00',
        'endAfter': '2023-08-01T00:00:00+00:00',
        'endBefore': '2023-12-31T23:59:59.500000+00:00', 'storeId': '7',
        'audienceId': '748'})
    assert '%2B02%3A00' in request.query_string  # '+' percent-encoded, not read as a space
    assert isinstance(result, talon_one.IntegrationGetAllCampaigns200Response)
    assert result.has_more is True
    campaign = result.data[0]
    assert isinstance(campaign, talon_one.IntegrationCampaign)
    assert (campaign.id, campaign.application_id, campaign.state) == (10, 322, 'enabled')
    assert campaign.features == ['coupons', 'achievements']
    assert campaign.attributes == {'region': 'EU'}
    assert (campaign.linked_store_ids, campaign.linked_audience_ids) == ([7, 8], [748])
    assert is_aware(campaign.end_time, datetime.datetime(2023, 8, 31, 21, 59, 59, tzinfo=UTC))
    rule = campaign.rules[0]
    assert isinstance(rule, talon_one.RuleMetadata)
    assert (rule.title, rule.display_name, rule.related_data) == (
        '10% off', 'Summer discount', 'SKU1241028')

    # No parameters: a bare GET.
    result, request = exchange(http_server, api, 'integration_get_all_campaigns',
                               reply={'hasMore': False, 'data': []})
    assert_wire(request, 'GET', '/v1/integration/campaigns')
    assert result.has_more is False and result.data == []


def test_activate_loyalty_points(http_server, api):
    body = talon_one.ActivateLoyaltyPoints(transaction_uui_ds=[UUID_1, UUID_2],
                                           session_id='175KJPS947296')
    reply = {'ledgerEntries': [loyalty_ledger_entry_json()]}
    result, request = exchange(http_server, api, 'activate_loyalty_points', 125, body,
                               reply=reply)
    assert_wire(request, 'POST', '/v1/loyalty_programs/125/activate_points', body={
        'transactionUUIDs': [UUID_1, UUID_2], 'sessionId': '175KJPS947296'})
    assert isinstance(result, talon_one.ActivateLoyaltyPointsResponse)
    entry = result.ledger_entries[0]
    assert isinstance(entry, talon_one.LoyaltyLedgerEntry)
    assert (entry.program_id, entry.customer_profile_id, entry.customer_session_id) == (
        125, 'URNGV8294NV', '175KJPS947296')
    assert (entry.event_id, entry.type, entry.amount, entry.sub_ledger_id) == (
        356, 'addition', 10.0, 'sub-123')
    assert (entry.archived, entry.validity_duration) == (False, '365D')
    assert isinstance(entry.flags, talon_one.LoyaltyLedgerEntryFlags)
    assert entry.flags.creates_negative_balance is False
    assert is_aware(entry.start_date, datetime.datetime(2023, 5, 2, 22, 0, tzinfo=UTC))
    assert is_aware(entry.expiry_date, datetime.datetime(2024, 5, 2, tzinfo=UTC))

    # The other way to name the points: only the session.
    result, request = exchange(http_server, api, 'activate_loyalty_points', 125,
                               talon_one.ActivateLoyaltyPoints(session_id='S-2'),
                               reply={'ledgerEntries': []})
    assert_wire(request, 'POST', '/v1/loyalty_programs/125/activate_points',
                body={'sessionId': 'S-2'})
    assert result.ledger_entries == []


def test_generate_loyalty_card(http_server, api):
    body = talon_one.GenerateLoyaltyCard(status='inactive',
                                         customer_profile_ids=['URNGV8294NV', 'BZGGC2454PA'],
                                         card_identifier='summer-loyalty-card-0543')
    reply = loyalty_card_json()
    reply.update({'programName': 'summer_cards', 'programTitle': 'Summer cards',
                  'batchId': 'wdefpov', 'blockReason': ''})
    card, request = exchange(http_server, api, 'generate_loyalty_card', 324, body,
                             reply=reply)
    assert_wire(request, 'POST', '/v1/loyalty_programs/324/cards', body={
        'status': 'inactive', 'customerProfileIds': ['URNGV8294NV', 'BZGGC2454PA'],
        'cardIdentifier': 'summer-loyalty-card-0543'})
    check_loyalty_card(card)
    assert (card.program_name, card.program_title, card.batch_id) == (
        'summer_cards', 'Summer cards', 'wdefpov')

    # An empty GenerateLoyaltyCard still sends the spec default status, like the official
    # SDK (its constructor sets status='active').
    card, request = exchange(http_server, api, 'generate_loyalty_card', 324,
                             talon_one.GenerateLoyaltyCard(), reply=loyalty_card_json())
    assert_wire(request, 'POST', '/v1/loyalty_programs/324/cards', body={'status': 'active'})
    check_loyalty_card(card)


def test_get_loyalty_card_points(http_server, api):
    reply = {'hasMore': True, 'data': [{
        'id': 2, 'transactionUUID': UUID_1, 'created': '2023-05-02T09:20:00Z',
        'programId': 324, 'customerProfileID': 'URNGV8294NV',
        'customerSessionId': '175KJPS947296', 'name': 'Reward 10% points',
        'startDate': '2023-05-10T00:00:00Z', 'expiryDate': 'unlimited',
        'subledgerId': 'sub-123', 'amount': 10.25, 'validityDuration': '30D',
    }]}
    result, request = exchange(
        http_server, api, 'get_loyalty_card_points', 324, 'summer-loyalty-card-0543',
        call_kwargs={'status': 'pending'},  # the operation's status, not the reply's
        subledger_id=['sub-123', 'sub-456'],
        customer_session_i_ds=['175KJPS947296', '175KJPS947297'],
        transaction_uui_ds=[UUID_1, UUID_2], page_size=50, skip=0, sort='-expiryDate',
        reply=reply)
    # explode: true, one name=value per item, in order.
    assert_wire(request, 'GET', '/v1/loyalty_programs/324/cards/summer-loyalty-card-0543/points',
                query={'status': 'pending', 'subledgerId': ['sub-123', 'sub-456'],
                       'customerSessionIDs': ['175KJPS947296', '175KJPS947297'],
                       'transactionUUIDs': [UUID_1, UUID_2], 'pageSize': '50', 'skip': '0',
                       'sort': '-expiryDate'})
    assert request.query_string.count('subledgerId=') == 2
    assert isinstance(result, talon_one.InlineResponse2006)
    assert result.has_more is True
    entry = result.data[0]
    assert isinstance(entry, talon_one.CardLedgerPointsEntryIntegrationAPI)
    assert (entry.id, entry.transaction_uuid, entry.program_id) == (2, UUID_1, 324)
    assert (entry.customer_profile_id, entry.subledger_id, entry.amount) == (
        'URNGV8294NV', 'sub-123', 10.25)
    # startDate/expiryDate are plain strings in the spec ('unlimited', 'immediate', ...).
    assert (entry.start_date, entry.expiry_date) == ('2023-05-10T00:00:00Z', 'unlimited')
    assert entry.validity_duration == '30D'
    assert is_aware(entry.created, datetime.datetime(2023, 5, 2, 9, 20, tzinfo=UTC))


def test_delete_loyalty_transactions_from_ledgers(http_server, api):
    body = talon_one.DeleteLoyaltyTransactionsRequest(scope='SelectedSubledgers',
                                                      subledger_ids=['sub-123', 'sub-456'])
    result, request = exchange(http_server, api, 'delete_loyalty_transactions_from_ledgers',
                               125, 'URNGV8294NV', body, status=204)
    assert_wire(request, 'POST',
                '/v1/loyalty_programs/125/profile/URNGV8294NV/delete_transactions',
                body={'scope': 'SelectedSubledgers', 'subledgerIds': ['sub-123', 'sub-456']})
    assert result is None

    result, request = exchange(
        http_server, api, 'delete_loyalty_transactions_from_ledgers', 125, 'café/1',
        talon_one.DeleteLoyaltyTransactionsRequest(scope='AllSubledgers'), status=204)
    assert_wire(request, 'POST',
                '/v1/loyalty_programs/125/profile/caf%C3%A9%2F1/delete_transactions',
                body={'scope': 'AllSubledgers'})
    assert result is None


def test_join_loyalty_program(http_server, api):
    # 200 without a response schema: the method returns None, and sends no body.
    result, request = exchange(http_server, api, 'join_loyalty_program', 125, 'URNGV8294NV')
    assert_wire(request, 'POST', '/v1/loyalty_programs/125/profile/URNGV8294NV/join')
    assert result is None

    # Whatever the server puts in the 200 body, there is no model to read it into.
    result, request = exchange(http_server, api, 'join_loyalty_program', 125, 'a+b',
                               reply={'joined': True})
    assert_wire(request, 'POST', '/v1/loyalty_programs/125/profile/a%2Bb/join')
    assert result is None


def test_get_loyalty_program_profile_points(http_server, api):
    reply = {'hasMore': False, 'data': [{
        'id': 7, 'transactionUUID': UUID_2, 'created': '2023-05-02T09:20:00+02:00',
        'programId': 125, 'customerSessionId': '175KJPS947296', 'name': 'Welcome points',
        'startDate': 'immediate', 'expiryDate': '2024-05-02T00:00:00Z',
        'subledgerId': '', 'amount': 50.0, 'validityDuration': '1Y',
    }]}
    result, request = exchange(
        http_server, api, 'get_loyalty_program_profile_points', 125, 'URNGV8294NV',
        call_kwargs={'status': 'expired'},
        subledger_id='sub-123',  # one value: a string in 12.0.0, kept
        customer_session_i_ds=['175KJPS947296', '175KJPS947297'],
        transaction_uui_ds=UUID_2,  # one string for a list: a list of one
        page_size=1000, skip=10, sort='startDate', reply=reply)
    assert_wire(request, 'GET', '/v1/loyalty_programs/125/profile/URNGV8294NV/points', query={
        'status': 'expired', 'subledgerId': 'sub-123',
        'customerSessionIDs': ['175KJPS947296', '175KJPS947297'],
        'transactionUUIDs': [UUID_2], 'pageSize': '1000', 'skip': '10', 'sort': 'startDate'})
    assert isinstance(result, talon_one.InlineResponse2007)
    assert result.has_more is False
    entry = result.data[0]
    assert isinstance(entry, talon_one.LedgerPointsEntryIntegrationAPI)
    assert (entry.id, entry.transaction_uuid, entry.program_id, entry.amount) == (
        7, UUID_2, 125, 50.0)
    assert (entry.start_date, entry.expiry_date) == ('immediate', '2024-05-02T00:00:00Z')
    assert (entry.subledger_id, entry.validity_duration) == ('', '1Y')
    assert is_aware(entry.created, datetime.datetime(2023, 5, 2, 7, 20, tzinfo=UTC))
    assert entry.created.utcoffset() == datetime.timedelta(hours=2)


def test_unlink_loyalty_card_from_profile(http_server, api):
    reply = loyalty_card_json()
    reply['profiles'] = []
    card, request = exchange(
        http_server, api, 'unlink_loyalty_card_from_profile', 324, 'summer%card+0543',
        talon_one.LoyaltyCardRegistration(integration_id='URNGV8294NV'), reply=reply)
    # '%' and '+' are allowed in card identifiers and must be percent-encoded in the path.
    assert_wire(request, 'POST',
                '/v2/loyalty_programs/324/cards/summer%25card%2B0543/unlink_profile',
                body={'integrationId': 'URNGV8294NV'})
    assert isinstance(card, talon_one.LoyaltyCard)
    assert card.profiles == []
    assert card.identifier == 'summer-loyalty-card-0543'
    check_ledger_info(card.ledger)
    check_ledger_info(card.subledgers['sub-123'], 40.0)
    assert is_aware(card.created, datetime.datetime(2022, 11, 3, 8, 0, tzinfo=UTC))


def event_v3_request():
    return talon_one.IntegrationEventV3Request(
        profile_id='URNGV8294NV', store_integration_id='STORE-01', evaluable_campaign_ids=[10],
        integration_id='evt-2023-0001', type='purchase',
        attributes={'channel': 'app', 'total': 59.9}, connected_session_id='175KJPS947296',
        loyalty_cards=['summer-loyalty-card-0543'],
        response_content=['customerProfile', 'triggeredCampaigns', 'advancedEvent'])


EVENT_V3_BODY = {
    'profileId': 'URNGV8294NV', 'storeIntegrationId': 'STORE-01', 'evaluableCampaignIds': [10],
    'integrationId': 'evt-2023-0001', 'type': 'purchase',
    'attributes': {'channel': 'app', 'total': 59.9},
    'connectedSessionId': '175KJPS947296',  # the 26.13 wire name (12.0.0: connectedSessionID)
    'loyaltyCards': ['summer-loyalty-card-0543'],
    'responseContent': ['customerProfile', 'triggeredCampaigns', 'advancedEvent'],
}


def test_track_event_v3(http_server, api):
    integration_coupon = coupon_json('NEW-COUPON-1')
    reply = {
        'customerProfile': customer_profile_json(), 'loyalty': loyalty_json(),
        'triggeredCampaigns': [campaign_json()], 'effects': [effect_json()],
        'ruleFailureReasons': [{'campaignID': 12, 'campaignName': 'Winter', 'rulesetID': 74,
                                'ruleIndex': 0, 'ruleName': 'Winter rule',
                                'evaluationGroupID': 2, 'evaluationGroupMode': 'stackable'}],
        'createdCoupons': [integration_coupon], 'createdReferrals': [referral_json()],
        'awardedGiveaways': [giveaway_json()], 'advancedEvent': event_v3_json(),
        'campaignEligibility': [campaign_eligibility_json()],
        'achievements': [customer_achievement_json()],
    }
    result, request = exchange(http_server, api, 'track_event_v3', event_v3_request(),
                               silent='no', dry=True, force_complete_evaluation=True,
                               reply=reply)
    assert_wire(request, 'POST', '/v3/events', query={
        'silent': 'no', 'dry': 'true', 'forceCompleteEvaluation': 'true'}, body=EVENT_V3_BODY)
    assert isinstance(result, talon_one.IntegrationEventV3Response)
    check_customer_profile(result.customer_profile)
    check_loyalty(result.loyalty)
    assert isinstance(result.triggered_campaigns[0], talon_one.Campaign)
    check_effect(result.effects[0])
    reason = result.rule_failure_reasons[0]
    assert isinstance(reason, talon_one.RuleFailureReason)
    assert (reason.evaluation_group_id, reason.evaluation_group_mode) == (2, 'stackable')
    assert isinstance(result.created_coupons[0], talon_one.Coupon)
    assert result.created_coupons[0].value == 'NEW-COUPON-1'
    assert isinstance(result.created_referrals[0], talon_one.Referral)
    assert isinstance(result.awarded_giveaways[0], talon_one.Giveaway)
    check_event_v3(result.advanced_event)
    check_campaign_eligibility(result.campaign_eligibility[0])
    check_customer_achievement(result.achievements[0])

    # The default silent=yes: the server answers 204 and the method returns None.
    result, request = exchange(http_server, api, 'track_event_v3', event_v3_request(),
                               dry=False, force_complete_evaluation=False, status=204)
    assert_wire(request, 'POST', '/v3/events',
                query={'dry': 'false', 'forceCompleteEvaluation': 'false'}, body=EVENT_V3_BODY)
    assert result is None


def test_get_event_v3(http_server, api):
    event, request = exchange(http_server, api, 'get_event_v3', 'evt 2023/0001?x',
                              reply=event_v3_json('evt 2023/0001?x'))
    assert_wire(request, 'GET', '/v3/events/evt%202023%2F0001%3Fx')
    check_event_v3(event, 'evt 2023/0001?x')


# -- parameters existing operations gained --------------------------------------------------

def test_get_loyalty_card_transactions_2026_filters(http_server, api):
    reply = {'hasMore': False, 'data': [{
        'transactionUUID': UUID_1, 'created': '2023-05-02T09:20:00Z', 'programId': 324,
        'cardIdentifier': 'summer-loyalty-card-0543', 'customerSessionId': '175KJPS947296',
        'type': 'addition', 'name': 'Reward 10% points', 'startDate': 'on_action',
        'expiryDate': 'unlimited', 'subledgerId': 'sub-456', 'amount': 10.25, 'id': 123,
        'rulesetId': 73, 'ruleName': 'Points rule', 'validityDuration': '30D',
    }]}
    result, request = exchange(
        http_server, api, 'get_loyalty_card_transactions', 324, 'summer-loyalty-card-0543',
        subledger_id=['sub-123', 'sub-456'],
        start_date=datetime.datetime(2023, 1, 1, tzinfo=UTC),
        end_date=datetime.datetime(2023, 6, 30, 23, 59, 59, tzinfo=PLUS_ONE),
        page_size=100, skip=20, loyalty_transaction_type='session',
        customer_session_i_ds=['175KJPS947296', 'S 2&x=1'], transaction_uui_ds=[UUID_1],
        awaits_activation=False, reply=reply)
    assert_wire(request, 'GET',
                '/v1/loyalty_programs/324/cards/summer-loyalty-card-0543/transactions',
                query={'subledgerId': ['sub-123', 'sub-456'],
                       'startDate': '2023-01-01T00:00:00+00:00',
                       'endDate': '2023-06-30T23:59:59+01:00', 'pageSize': '100',
                       'skip': '20', 'loyaltyTransactionType': 'session',
                       'customerSessionIDs': ['175KJPS947296', 'S 2&x=1'],
                       'transactionUUIDs': [UUID_1],
                       'awaitsActivation': 'false'})  # False is sent, not left out
    # An item's '&' and '=' are escaped: they stay inside the one value.
    assert 'customerSessionIDs=S+2%26x%3D1' in request.query_string
    assert isinstance(result, talon_one.InlineResponse2001)
    assert talon_one.InlineResponse2004 is talon_one.InlineResponse2001  # 2026 name, same class
    entry = result.data[0]
    assert isinstance(entry, talon_one.CardLedgerTransactionLogEntryIntegrationAPI)
    assert (entry.transaction_uuid, entry.subledger_id, entry.validity_duration) == (
        UUID_1, 'sub-456', '30D')
    assert entry.start_date == 'on_action'


def test_get_loyalty_program_profile_transactions_2026_filters(http_server, api):
    reply = {'hasMore': True, 'data': [{
        'transactionUUID': UUID_2, 'created': '2023-05-02T09:20:00Z', 'programId': 125,
        'customerSessionId': '175KJPS947296', 'type': 'subtraction', 'name': 'Redeem points',
        'startDate': 'immediate', 'expiryDate': 'unlimited', 'subledgerId': 'sub-123',
        'amount': 5.0, 'id': 124, 'flags': {'createsNegativeBalance': True},
        'validityDuration': '',
    }]}
    result, request = exchange(
        http_server, api, 'get_loyalty_program_profile_transactions', 125, 'URNGV8294NV',
        subledger_id='sub-123', page_size=1000, skip=0,
        customer_session_i_ds=('175KJPS947296', '175KJPS947297'),  # a tuple: one per item
        transaction_uui_ds=[UUID_1, UUID_2], loyalty_transaction_type='manual',
        awaits_activation=True, reply=reply)
    assert_wire(request, 'GET', '/v1/loyalty_programs/125/profile/URNGV8294NV/transactions',
                query={'subledgerId': 'sub-123', 'pageSize': '1000', 'skip': '0',
                       'customerSessionIDs': ['175KJPS947296', '175KJPS947297'],
                       'transactionUUIDs': [UUID_1, UUID_2],
                       'loyaltyTransactionType': 'manual', 'awaitsActivation': 'true'})
    assert isinstance(result, talon_one.InlineResponse2002)
    assert talon_one.InlineResponse2005 is talon_one.InlineResponse2002
    assert result.has_more is True
    entry = result.data[0]
    assert isinstance(entry, talon_one.LedgerTransactionLogEntryIntegrationAPI)
    assert entry.transaction_uuid == UUID_2
    assert isinstance(entry.flags, talon_one.LoyaltyLedgerEntryFlags)
    assert entry.flags.creates_negative_balance is True


def test_get_loyalty_card_balances_subledger_ids(http_server, api):
    reply = {
        'balance': {'activePoints': 100.0, 'pendingPoints': 10.0, 'spentPoints': 20.0,
                    'expiredPoints': 5.0, 'negativePoints': 0.0},
        'subledgerBalances': {
            'sub-123': {'activePoints': 40.0, 'pendingPoints': 0.0, 'spentPoints': 1.0,
                        'expiredPoints': 0.0, 'negativePoints': 2.5},
            'sub-456': {'activePoints': 0.0},
        },
        'profiles': [{'integrationId': 'URNGV8294NV', 'timestamp': '2022-11-03T08:00:05Z'}],
    }
    balances, request = exchange(
        http_server, api, 'get_loyalty_card_balances', 324, 'summer-loyalty-card-0543',
        end_date=datetime.datetime(2023, 5, 1, 12, 30, tzinfo=PLUS_TWO),
        subledger_id=['sub-123', 'sub-456'], reply=reply)
    assert_wire(request, 'GET',
                '/v1/loyalty_programs/324/cards/summer-loyalty-card-0543/balances',
                query={'endDate': '2023-05-01T12:30:00+02:00',
                       'subledgerId': ['sub-123', 'sub-456']})
    assert isinstance(balances, talon_one.LoyaltyCardBalances)
    assert isinstance(balances.balance, talon_one.LoyaltyBalance)
    assert balances.balance.negative_points == 0.0
    sub = balances.subledger_balances['sub-123']
    assert isinstance(sub, talon_one.LoyaltyBalance)
    assert (sub.active_points, sub.negative_points) == (40.0, 2.5)
    assert isinstance(balances.subledger_balances['sub-456'], talon_one.LoyaltyBalance)
    profile = balances.profiles[0]
    assert isinstance(profile, talon_one.LoyaltyCardProfileRegistration)
    assert profile.integration_id == 'URNGV8294NV'
    assert is_aware(profile.timestamp, datetime.datetime(2022, 11, 3, 8, 0, 5, tzinfo=UTC))

    # One subledger ID as a string (the 4.0.0 shape): a list of one.
    exchange(http_server, api, 'get_loyalty_card_balances', 324, 'summer-loyalty-card-0543',
             subledger_id='sub-123', reply=reply)
    assert_wire(http_server.last_request, 'GET',
                '/v1/loyalty_programs/324/cards/summer-loyalty-card-0543/balances',
                query={'subledgerId': ['sub-123']})


def test_get_loyalty_balances_with_tiers(http_server, api):
    reply = {
        'balance': {
            'activePoints': 100.0, 'pendingPoints': 10.0, 'spentPoints': 20.0,
            'expiredPoints': 5.0, 'negativePoints': 0.0, 'currentTier': tier_json(),
            'projectedTier': {'projectedActivePoints': 180.0, 'stayInTierPoints': 20.0,
                              'projectedTierName': 'Platinum'},
            'pointsToNextTier': 50.0, 'nextTierName': 'Platinum',
        },
        'subledgerBalances': {'sub-123': {'activePoints': 40.0, 'currentTier': tier_json()}},
    }
    balances, request = exchange(
        http_server, api, 'get_loyalty_balances', 125, 'URNGV8294NV', subledger_id='sub-123',
        include_tiers=True, include_projected_tier=False, reply=reply)
    assert_wire(request, 'GET', '/v1/loyalty_programs/125/profile/URNGV8294NV/balances',
                query={'subledgerId': 'sub-123', 'includeTiers': 'true',
                       'includeProjectedTier': 'false'})
    assert isinstance(balances, talon_one.LoyaltyBalancesWithTiers)
    balance = balances.balance
    assert isinstance(balance, talon_one.LoyaltyBalanceWithTier)
    assert (balance.active_points, balance.points_to_next_tier, balance.next_tier_name) == (
        100.0, 50.0, 'Platinum')
    tier = balance.current_tier
    assert isinstance(tier, talon_one.Tier)
    assert (tier.id, tier.name, tier.downgrade_policy) == (11, 'Gold', 'one_down')
    assert is_aware(tier.start_date, datetime.datetime(2023, 1, 1, tzinfo=UTC))
    assert is_aware(tier.expiry_date, datetime.datetime(2024, 1, 1, 5, 0, tzinfo=UTC))
    assert tier.expiry_date.utcoffset() == datetime.timedelta(hours=-5)
    projected = balance.projected_tier
    assert isinstance(projected, talon_one.ProjectedTier)
    assert (projected.projected_active_points, projected.stay_in_tier_points,
            projected.projected_tier_name) == (180.0, 20.0, 'Platinum')
    sub = balances.subledger_balances['sub-123']
    assert isinstance(sub, talon_one.LoyaltyBalanceWithTier)
    assert isinstance(sub.current_tier, talon_one.Tier) and sub.projected_tier is None

    exchange(http_server, api, 'get_loyalty_balances', 125, 'URNGV8294NV',
             include_tiers=False, include_projected_tier=True, reply=reply)
    assert_wire(http_server.last_request, 'GET',
                '/v1/loyalty_programs/125/profile/URNGV8294NV/balances',
                query={'includeTiers': 'false', 'includeProjectedTier': 'true'})


def test_update_customer_session_v2_now(http_server, api):
    body = talon_one.IntegrationRequest(
        customer_session=talon_one.NewCustomerSessionV2(profile_id='URNGV8294NV'))
    state, request = exchange(
        http_server, api, 'update_customer_session_v2', '175KJPS947296', body, dry=True,
        now=datetime.datetime(2023, 12, 24, 18, 0, tzinfo=PLUS_ONE),
        reply=integration_state_v2_json())
    assert_wire(request, 'PUT', '/v2/customer_sessions/175KJPS947296',
                query={'dry': 'true', 'now': '2023-12-24T18:00:00+01:00'},
                body={'customerSession': {'profileId': 'URNGV8294NV', 'state': 'open'}})
    assert 'now=2023-12-24T18%3A00%3A00%2B01%3A00' in request.query_string
    check_integration_state_v2(state)

    # A naive date-time is taken as UTC; a string goes out unchanged.
    for now, text in ((datetime.datetime(2023, 12, 24, 17, 0, 0, 125000),
                       '2023-12-24T17:00:00.125000+00:00'),
                      ('2023-12-24T17:00:00Z', '2023-12-24T17:00:00Z')):
        exchange(http_server, api, 'update_customer_session_v2', '175KJPS947296', body,
                 dry=True, now=now, reply=integration_state_v2_json())
        assert_wire(http_server.last_request, 'PUT', '/v2/customer_sessions/175KJPS947296',
                    query={'dry': 'true', 'now': text},
                    body={'customerSession': {'profileId': 'URNGV8294NV', 'state': 'open'}})


def test_return_cart_items_run_rule_engine(http_server, api):
    body = talon_one.ReturnIntegrationRequest(
        _return=talon_one.NewReturn(returned_cart_items=[
            talon_one.ReturnedCartItem(position=0, quantity=1)]))
    reply = integration_state_v2_json()
    reply['customerSession'] = customer_session_v2_json('CLOSED-SESSION-1')
    for run, text in ((True, 'true'), (False, 'false')):
        state, request = exchange(http_server, api, 'return_cart_items', 'CLOSED-SESSION-1',
                                  body, dry=False, run_rule_engine=run, reply=reply)
        assert_wire(request, 'POST', '/v2/customer_sessions/CLOSED-SESSION-1/returns',
                    query={'dry': 'false', 'runRuleEngine': text},
                    body={'return': {'returnedCartItems': [{'position': 0, 'quantity': 1}]}})
        check_integration_state_v2(state, 'CLOSED-SESSION-1')


def test_track_event_v2_force_complete_evaluation(http_server, api):
    body = talon_one.IntegrationEventV2Request(profile_id='URNGV8294NV', type='pageViewed',
                                               store_integration_id='STORE-01',
                                               loyalty_cards=['summer-loyalty-card-0543'])
    expected_body = {'profileId': 'URNGV8294NV', 'type': 'pageViewed',
                     'storeIntegrationId': 'STORE-01',
                     'loyaltyCards': ['summer-loyalty-card-0543']}
    reply = integration_state_v2_json()
    reply.update({'campaignEligibility': [campaign_eligibility_json()],
                  'achievements': [customer_achievement_json()]})
    result, request = exchange(http_server, api, 'track_event_v2', body, silent='no',
                               dry=True, force_complete_evaluation=True, reply=reply)
    assert_wire(request, 'POST', '/v2/events', query={
        'silent': 'no', 'dry': 'true', 'forceCompleteEvaluation': 'true'}, body=expected_body)
    # 2026 returns IntegrationEventV2Response, which still reads as an IntegrationStateV2.
    assert type(result) is talon_one.IntegrationEventV2Response
    check_integration_state_v2(result)
    check_campaign_eligibility(result.campaign_eligibility[0])
    check_customer_achievement(result.achievements[0])

    # The default silent=yes: 204 (26.13), None.
    result, request = exchange(http_server, api, 'track_event_v2', body, dry=True,
                               force_complete_evaluation=False, status=204)
    assert_wire(request, 'POST', '/v2/events',
                query={'dry': 'true', 'forceCompleteEvaluation': 'false'}, body=expected_body)
    assert result is None


def test_get_customer_inventory_achievements(http_server, api):
    reply = {
        'profile': customer_profile_json(),
        'achievements': [{
            'status': 'completed', 'progress': 10.0, 'startDate': '2023-01-01T00:00:00Z',
            'completionDate': '2023-03-15T10:20:30Z', 'achievementId': 3,
            'name': 'FreeCoffee10', 'title': 'Free coffee',
            'description': 'Ten coffees, one free', 'campaignId': 10, 'target': 10.0,
            'achievementRecurrencePolicy': 'no_recurrence',
            'achievementActivationPolicy': 'user_action',
            'achievementFixedStartDate': '2023-01-01T00:00:00+01:00',
            'achievementEndDate': '2023-12-31T23:59:59Z',
            'achievementAllowRollbackAfterCompletion': True,
        }],
    }
    inventory, request = exchange(http_server, api, 'get_customer_inventory', 'URNGV8294NV',
                                  profile=True, achievements=True, reply=reply)
    assert_wire(request, 'GET', '/v1/customer_profiles/URNGV8294NV/inventory',
                query={'profile': 'true', 'achievements': 'true'})
    assert isinstance(inventory, talon_one.CustomerInventory)
    check_customer_profile(inventory.profile)
    achievement = inventory.achievements[0]
    assert isinstance(achievement, talon_one.AchievementProgressWithDefinition)
    assert (achievement.achievement_id, achievement.status, achievement.progress) == (
        3, 'completed', 10.0)
    assert (achievement.achievement_recurrence_policy,
            achievement.achievement_activation_policy) == ('no_recurrence', 'user_action')
    assert achievement.achievement_allow_rollback_after_completion is True
    assert is_aware(achievement.completion_date,
                    datetime.datetime(2023, 3, 15, 10, 20, 30, tzinfo=UTC))
    assert is_aware(achievement.achievement_fixed_start_date,
                    datetime.datetime(2022, 12, 31, 23, 0, tzinfo=UTC))

    exchange(http_server, api, 'get_customer_inventory', 'URNGV8294NV', achievements=False,
             reply={})
    assert_wire(http_server.last_request, 'GET', '/v1/customer_profiles/URNGV8294NV/inventory',
                query={'achievements': 'false'})


# -- shape rules of query parameters -------------------------------------------------------

# One value for a list parameter goes out as a list of one, whichever way the list goes out.
ONE_FOR_A_LIST = [
    ('get_loyalty_card_transactions', (324, 'summer-loyalty-card-0543'),
     'subledger_id', 'subledgerId'),
    ('get_loyalty_card_transactions', (324, 'summer-loyalty-card-0543'),
     'customer_session_i_ds', 'customerSessionIDs'),
    ('get_loyalty_program_profile_transactions', (125, 'URNGV8294NV'),
     'transaction_uui_ds', 'transactionUUIDs'),
    ('get_loyalty_card_points', (324, 'summer-loyalty-card-0543'),
     'subledger_id', 'subledgerId'),
    ('get_customer_achievements', ('URNGV8294NV',), 'campaign_ids', 'campaignIds'),
    ('get_customer_achievement_history', ('URNGV8294NV', 3),
     'progress_status', 'progressStatus'),
    ('integration_get_all_campaigns', (), 'campaign_ids', 'campaignIds'),
]


@pytest.mark.parametrize('name, args, attr, wire', ONE_FOR_A_LIST,
                         ids=['%s-%s' % (case[0], case[2]) for case in ONE_FOR_A_LIST])
def test_one_string_for_a_list_parameter_is_a_list_of_one(http_server, api, name, args,
                                                          attr, wire):
    http_server.respond(200, {})
    getattr(api, name)(*args, **{attr: 'only,one'})
    request = http_server.last_request
    # Sent as the one item it is: not split, not character by character.
    assert request.query == {wire: ['only,one']}
    assert request.query_list == [(wire, 'only,one')]


def test_empty_list_sends_nothing(http_server, api):
    # RFC 6570 (which the spec's style/explode refer to): a list with no items is
    # undefined and expands to nothing, exploded or comma-separated. 'campaignIds=' would
    # ask for the campaign with the empty ID.
    http_server.respond(200, {}, times=3)
    api.get_loyalty_card_points(324, 'summer-loyalty-card-0543', subledger_id=[])
    assert http_server.last_request.raw_path == (
        '/v1/loyalty_programs/324/cards/summer-loyalty-card-0543/points')
    api.integration_get_all_campaigns(campaign_ids=[], page_size=10)
    assert http_server.last_request.raw_path == '/v1/integration/campaigns?pageSize=10'
    api.get_customer_achievements('URNGV8294NV', campaign_ids=(), achievement_status=[])
    assert http_server.last_request.raw_path == '/v1/customer_profiles/URNGV8294NV/achievements'


def test_comma_separated_items_are_converted_to_text(http_server, api):
    http_server.respond(200, {})
    api.integration_get_all_campaigns(campaign_ids=[10, 12])
    assert http_server.last_request.query == {'campaignIds': ['10,12']}


# A list (or a mapping) for a one-value parameter: refused before any I/O.
LIST_FOR_A_SCALAR = [
    ('get_loyalty_balances', (125, 'URNGV8294NV'), 'subledger_id', ['sub-1', 'sub-2']),
    ('get_loyalty_program_profile_transactions', (125, 'URNGV8294NV'), 'subledger_id',
     ['sub-1']),
    ('get_loyalty_program_profile_points', (125, 'URNGV8294NV'), 'subledger_id',
     ('sub-1', 'sub-2')),
    ('get_loyalty_card_transactions', (324, 'summer-loyalty-card-0543'),
     'loyalty_transaction_type', ['manual', 'session']),
    ('get_loyalty_card_points', (324, 'summer-loyalty-card-0543'), 'status',
     ['active', 'pending']),
    ('integration_get_all_campaigns', (), 'store_id', [7, 8]),
    ('get_customer_achievements', ('URNGV8294NV',), 'page_size', [10]),
    ('get_customer_inventory', ('URNGV8294NV',), 'achievements', [True]),
    ('get_loyalty_balances', (125, 'URNGV8294NV'), 'include_tiers', {'yes': True}),
]


@pytest.mark.parametrize('name, args, attr, value', LIST_FOR_A_SCALAR,
                         ids=['%s-%s' % (case[0], case[2]) for case in LIST_FOR_A_SCALAR])
def test_a_list_for_a_one_value_parameter_raises_before_io(http_server, api, name, args,
                                                            attr, value):
    for method in (name, name + '_with_http_info'):
        with pytest.raises(talon_one.ApiTypeError) as caught:
            getattr(api, method)(*args, **{attr: value})
        message = str(caught.value)
        assert '`%s`' % attr in message
        assert name in message
    with pytest.raises(talon_one.ApiTypeError):  # also at call time with async_req
        getattr(api, name)(*args, async_req=True, **{attr: value})
    assert http_server.requests == []


def test_a_list_for_now_raises_before_io(http_server, api):
    body = talon_one.IntegrationRequest(
        customer_session=talon_one.NewCustomerSessionV2(profile_id='URNGV8294NV'))
    with pytest.raises(talon_one.ApiTypeError, match=r'`now`.*update_customer_session_v2'):
        api.update_customer_session_v2('175KJPS947296', body, dry=True,
                                       now=[datetime.datetime(2023, 12, 24, tzinfo=UTC)])
    assert http_server.requests == []


def test_a_mapping_for_a_list_parameter_raises_before_io(http_server, api):
    with pytest.raises(talon_one.ApiTypeError, match='`subledger_id`'):
        api.get_loyalty_card_balances(324, 'summer-loyalty-card-0543',
                                      subledger_id={'sub-1': True})
    with pytest.raises(talon_one.ApiTypeError, match='`campaign_ids`'):
        api.integration_get_all_campaigns(campaign_ids={'10': 1})
    assert http_server.requests == []
