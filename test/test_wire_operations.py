"""Golden wire tests: every IntegrationApi operation against a recording HTTP server.

For each of the 30 operations of the old spec one test pins what goes on the wire
(method, raw percent-encoded path, query, headers, exact JSON body) and what comes back
(model type, nested reads, tz-aware date-times, ``dict(str, X)`` values as models). Every
call is made twice, plainly and through its ``*_with_http_info`` twin, against the
same canned reply; both must send the same request.

The 13 operations the 2026 spec added, and the parameters it gave existing ones, have
their goldens in test_wire_operations_2026.py (with the same helpers).

The expected values are written out by hand from the spec
(talon-one-integration-2026.yaml); nothing here is computed with SDK helpers.
"""

import datetime
import re

import pytest
import yaml

import talon_one
from support import TEST_API_KEY, require_shared


UTC = datetime.timezone.utc
PLUS_ONE = datetime.timezone(datetime.timedelta(hours=1))
PLUS_TWO = datetime.timezone(datetime.timedelta(hours=2))

REPLY_HEADERS = {'X-Request-Id': 'golden-reply-1'}


@pytest.fixture
def api(make_api_client):
    return talon_one.IntegrationApi(make_api_client())


# -- helpers ---------------------------------------------------------------------------

def exchange(http_server, api, name, *args, status=200, reply=None, call_kwargs=None,
             **kwargs):
    """Call ``name`` and ``name_with_http_info`` with the same arguments and canned reply.

    Checks the twin returns ``(data, status, headers)`` equal to the plain call's data,
    and that both calls sent the same request. Returns ``(data, first_request)``.
    ``status`` is the reply's HTTP status; ``call_kwargs`` passes keywords whose names
    clash with exchange's own (an operation's ``status`` parameter).
    """
    kwargs.update(call_kwargs or {})
    if reply is None:
        http_server.respond(status, headers=REPLY_HEADERS, times=2)
    else:
        http_server.respond(status, reply, headers=REPLY_HEADERS, times=2)
    before = len(http_server.requests)

    data = getattr(api, name)(*args, **kwargs)
    info = getattr(api, name + '_with_http_info')(*args, **kwargs)

    assert isinstance(info, tuple) and len(info) == 3
    info_data, info_status, info_headers = info
    assert info_status == status
    assert info_headers['X-Request-Id'] == 'golden-reply-1'
    assert type(info_data) is type(data)
    assert info_data == data

    assert len(http_server.requests) == before + 2
    first, second = http_server.requests[before:]
    assert (second.method, second.raw_path, second.body) == (
        first.method, first.raw_path, first.body)
    return data, first


def assert_wire(request, method, path, query=None, body=None):
    """The request line, headers and JSON body are exactly as expected.

    ``path`` is the raw (percent-encoded) path; ``query`` maps names to the single
    value sent (order-independent across names), or to a list of the values of a
    parameter sent once per item (``name=a&name=b``, in that order); ``body`` is the
    decoded JSON (None: no body).
    """
    assert request.method == method
    assert request.path == path
    expected_query = {name: list(value) if isinstance(value, list) else [value]
                      for name, value in (query or {}).items()}
    assert request.query == expected_query
    # No parameter sent more often than expected, and repeated ones in the given order.
    assert len(request.query_list) == sum(len(values) for values in expected_query.values())
    for name, values in expected_query.items():
        assert [value for key, value in request.query_list if key == name] == values

    assert request.header('Accept') == 'application/json'
    assert request.header('Authorization') == 'ApiKey-v1 ' + TEST_API_KEY
    user_agent = request.header('User-Agent')
    assert re.fullmatch(r'talon_one-python/\d+\.\d+\.\d+', user_agent)
    assert user_agent == 'talon_one-python/' + talon_one.__version__
    # No application id/key configured: nothing to sign.
    assert request.header('Content-Signature') is None

    if body is None:
        assert request.body == b''
        assert request.header('Content-Type') is None
    else:
        assert request.header('Content-Type') == 'application/json'
        assert request.json == body


def is_aware(value, expected):
    """``value`` is a tz-aware datetime equal to ``expected``."""
    return (isinstance(value, datetime.datetime) and value.tzinfo is not None
            and value.utcoffset() is not None and value == expected)


# -- response bodies shaped like the spec's schemas ------------------------------------

def cart_item_json():
    return {
        'name': 'Air Glide', 'sku': 'SKU1241028', 'quantity': 2, 'returnedQuantity': 0,
        'remainingQuantity': 2, 'price': 99.99, 'category': 'shoes', 'weight': 1130.0,
        'height': 12.0, 'width': 20.0, 'length': 30.0, 'position': 0,
        'attributes': {'color': 'blue'}, 'additionalCosts': {'shipping': {'price': 9.5}},
        'catalogItemID': 271,
    }


def customer_profile_json(integration_id='URNGV8294NV'):
    return {
        'id': 6, 'created': '2020-02-07T08:15:22Z', 'integrationId': integration_id,
        'attributes': {'Language': 'english', 'ShippingCountry': 'DE'}, 'accountId': 31,
        'closedSessions': 3, 'totalSales': 299.99,
        'loyaltyMemberships': [{'joined': '2021-09-12T10:12:42Z', 'loyaltyProgramId': 125}],
        'audienceMemberships': [{'id': 748, 'name': 'Travel audience'}],
        'lastActivity': '2023-05-01T10:30:00.123456+02:00', 'sandbox': False,
    }


def customer_session_v2_json(integration_id='175KJPS947296'):
    return {
        'id': 2, 'created': '2023-05-02T09:15:00Z', 'integrationId': integration_id,
        'applicationId': 322, 'profileId': 'URNGV8294NV', 'evaluableCampaignIds': [10, 12],
        'couponCodes': ['XMAS-20-2021'], 'referralCode': 'NT2K54D9',
        'loyaltyCards': ['summer-loyalty-card-0543'], 'state': 'open',
        'cartItems': [cart_item_json()], 'additionalCosts': {'shipping': {'price': 9.5}},
        'identifiers': ['91.11.156.141'], 'attributes': {'ShippingCity': 'Berlin'},
        'firstSession': True, 'total': 208.48, 'cartItemTotal': 199.98,
        'additionalCostTotal': 9.5, 'updated': '2023-05-02T09:20:00Z',
    }


def customer_session_v1_json():
    return {
        'integrationId': '175KJPS947296', 'created': '2023-05-02T09:15:00Z',
        'applicationId': 322, 'profileId': 'URNGV8294NV', 'coupon': 'XMAS-20-2021',
        'referral': 'NT2K54D9', 'state': 'closed', 'cartItems': [cart_item_json()],
        'identifiers': ['91.11.156.141'], 'total': 199.98, 'attributes': {},
        'firstSession': False, 'discounts': {'10% off': 19.99},
        'updated': '2023-05-02T09:20:00Z',
    }


def effect_json():
    return {
        'campaignId': 10, 'rulesetId': 73, 'ruleIndex': 0, 'ruleName': '10% off',
        'effectType': 'setDiscount', 'triggeredByCoupon': 4928,
        'props': {'name': '10% off', 'value': 19.99, 'scope': 'sessionTotal'},
    }


def ledger_info_json(current=100.0):
    return {
        'currentBalance': current, 'pendingBalance': 10.0, 'expiredBalance': 0.0,
        'spentBalance': 20.0, 'tentativeCurrentBalance': 95.0, 'tentativePendingBalance': 10.0,
        'currentTier': {'id': 11, 'name': 'Gold'}, 'pointsToNextTier': 50.0,
    }


def loyalty_card_json():
    return {
        'id': 6, 'created': '2022-11-03T08:00:00Z', 'programID': 324, 'status': 'active',
        'identifier': 'summer-loyalty-card-0543', 'usersPerCardLimit': 2,
        'profiles': [{'integrationId': 'URNGV8294NV', 'timestamp': '2022-11-03T08:00:05Z'}],
        'ledger': ledger_info_json(), 'subledgers': {'sub-123': ledger_info_json(40.0)},
        'modified': '2023-01-10T12:00:00+01:00',
    }


def loyalty_json():
    return {
        'cards': [loyalty_card_json()],
        'programs': {'125': {
            'id': 125, 'title': 'Point collection', 'name': 'point_collection',
            'ledger': ledger_info_json(), 'subLedgers': {'sub-123': ledger_info_json(25.0)},
        }},
    }


def coupon_json(value='XMAS-20-2021'):
    return {
        'id': 4928, 'created': '2021-11-20T10:00:00Z', 'campaignId': 10, 'value': value,
        'usageLimit': 100, 'discountLimit': 30.0, 'reservationLimit': 45,
        'startDate': '2021-12-01T00:00:00Z', 'expiryDate': '2021-12-31T23:59:59Z',
        'limits': [{'action': 'redeemCoupon', 'limit': 1.0, 'period': 'daily',
                    'entities': ['Coupon']}],
        'usageCounter': 1, 'discountCounter': 19.99, 'discountRemainder': 10.01,
        'reservationCounter': 1.0, 'attributes': {'channel': 'web'}, 'referralId': 9,
        'recipientIntegrationId': 'URNGV8294NV', 'importId': 4, 'reservation': True,
        'batchId': 'tqyrgahe', 'isReservationMandatory': False,
    }


def referral_json():
    return {
        'id': 9, 'created': '2023-05-02T09:00:00Z', 'startDate': '2023-05-02T00:00:00Z',
        'expiryDate': '2023-06-02T00:00:00Z', 'usageLimit': 1, 'campaignId': 45,
        'advocateProfileIntegrationId': 'URNGV8294NV',
        'friendProfileIntegrationId': 'BZGGC2454PA', 'attributes': {'channel': 'email'},
        'importId': 2, 'code': 'NT2K54D9', 'usageCounter': 0, 'batchId': 'axdfbtzq',
    }


def inventory_referral_json():
    referral = referral_json()
    referral['referredCustomers'] = ['BZGGC2454PA']
    return referral


def giveaway_json():
    return {
        'id': 5, 'created': '2023-01-01T00:00:00Z', 'code': 'GIVE-123', 'poolId': 3,
        'startDate': '2023-01-01T00:00:00Z', 'endDate': '2023-12-31T00:00:00Z',
        'attributes': {}, 'used': False, 'importId': 1,
        'profileIntegrationId': 'URNGV8294NV', 'profileId': 6,
    }


def event_json():
    return {
        'id': 356, 'created': '2023-05-02T09:20:00Z', 'applicationId': 322,
        'profileId': 'URNGV8294NV', 'type': 'pageViewed', 'attributes': {'page': '/checkout'},
        'sessionId': '175KJPS947296', 'effects': [effect_json()],
        'ledgerEntries': [{
            'id': 1, 'created': '2023-05-02T09:20:00Z', 'profileId': 'URNGV8294NV',
            'accountId': 31, 'loyaltyProgramId': 125, 'eventId': 356, 'amount': 10,
            'reason': 'purchase', 'expiryDate': '2024-05-02T00:00:00Z', 'referenceId': 7,
        }],
        'meta': {
            'campaigns': {}, 'coupons': {},
            'couponRejectionReason': {'campaignId': 10, 'couponId': 4928,
                                      'reason': 'CouponExpired'},
            'referralRejectionReason': {'campaignId': 45, 'referralId': 9,
                                        'reason': 'ReferralExpired'},
            'warnings': {},
        },
    }


def campaign_json():
    return {
        'id': 10, 'created': '2023-01-01T00:00:00Z', 'applicationId': 322, 'userId': 1,
        'name': 'Summer sale', 'description': 'Ten percent off',
        'startTime': '2023-06-01T00:00:00Z', 'endTime': '2023-08-31T23:59:59Z',
        'attributes': {}, 'state': 'enabled', 'activeRulesetId': 73, 'tags': ['summer'],
        'features': ['coupons', 'loyalty'],
        'couponSettings': {'validCharacters': ['A', 'B', 'C'], 'couponPattern': 'SUM-####'},
        'limits': [{'action': 'setDiscount', 'limit': 1000.0, 'entities': ['Profile']}],
        'campaignGroups': [1], 'couponRedemptionCount': 163, 'discountCount': 288.0,
        'lastActivity': '2023-05-02T09:20:00Z', 'createdBy': 'John Doe',
    }


def return_json():
    return {
        'id': 1, 'created': '2023-05-03T10:00:00Z', 'applicationId': 322, 'accountId': 31,
        'returnedCartItems': [{'position': 0, 'quantity': 1}], 'eventId': 357,
        'sessionId': 2, 'sessionIntegrationId': 'CLOSED-SESSION-1', 'profileId': 6,
        'profileIntegrationId': 'URNGV8294NV', 'createdBy': 1,
    }


def integration_state_v2_json():
    integration_coupon = coupon_json()
    integration_coupon['profileRedemptionCount'] = 1
    return {
        'customerSession': customer_session_v2_json(),
        'customerProfile': customer_profile_json(),
        'event': event_json(),
        'loyalty': loyalty_json(),
        'referral': inventory_referral_json(),
        'coupons': [integration_coupon],
        'triggeredCampaigns': [campaign_json()],
        'effects': [effect_json()],
        'ruleFailureReasons': [{
            'campaignID': 12, 'campaignName': 'Winter', 'rulesetID': 74, 'couponID': 4929,
            'couponValue': 'WINTER-5', 'ruleIndex': 0, 'ruleName': 'Winter rule',
            'conditionIndex': 1, 'details': 'cart total too small',
        }],
        'createdCoupons': [coupon_json('NEW-COUPON-1')],
        'createdReferrals': [referral_json()],
        'awardedGiveaways': [giveaway_json()],
        'return': return_json(),
        'previousReturns': [return_json()],
    }


def integration_state_v1_json():
    return {
        'session': customer_session_v1_json(),
        'profile': customer_profile_json(),
        'event': event_json(),
        'loyalty': loyalty_json(),
        'coupon': coupon_json(),
    }


def audience_json():
    return {
        'accountId': 31, 'id': 748, 'created': '2022-04-26T11:02:38Z',
        'name': 'Travel audience', 'sandbox': True, 'description': 'Travelling customers',
        'integration': 'mparticle', 'integrationId': '382370BKDB946',
        'createdIn3rdParty': False, 'lastUpdate': '2022-04-26T11:02:38+01:00',
    }


# -- shared response checks -------------------------------------------------------------

def check_cart_item(item):
    assert isinstance(item, talon_one.CartItem)
    assert item.sku == 'SKU1241028'
    assert item.quantity == 2
    assert item.price == 99.99
    assert item.catalog_item_id == 271
    assert item.attributes == {'color': 'blue'}
    shipping = item.additional_costs['shipping']
    assert isinstance(shipping, talon_one.AdditionalCost)
    assert shipping.price == 9.5


def check_customer_profile(profile, integration_id='URNGV8294NV'):
    assert isinstance(profile, talon_one.CustomerProfile)
    assert profile.integration_id == integration_id
    assert profile.total_sales == 299.99
    assert is_aware(profile.created, datetime.datetime(2020, 2, 7, 8, 15, 22, tzinfo=UTC))
    assert is_aware(profile.last_activity,
                    datetime.datetime(2023, 5, 1, 10, 30, 0, 123456, tzinfo=PLUS_TWO))
    assert profile.last_activity.utcoffset() == datetime.timedelta(hours=2)
    membership = profile.loyalty_memberships[0]
    assert isinstance(membership, talon_one.LoyaltyMembership)
    assert membership.loyalty_program_id == 125
    assert isinstance(profile.audience_memberships[0], talon_one.AudienceMembership)
    assert profile.audience_memberships[0].name == 'Travel audience'


def check_effect(effect):
    assert isinstance(effect, talon_one.Effect)
    assert effect.effect_type == 'setDiscount'
    assert effect.triggered_by_coupon == 4928
    # Effect.props is a free-form object: a plain dict.
    assert effect.props == {'name': '10% off', 'value': 19.99, 'scope': 'sessionTotal'}


def check_ledger_info(ledger, current=100.0):
    assert isinstance(ledger, talon_one.LedgerInfo)
    assert ledger.current_balance == current
    assert isinstance(ledger.current_tier, talon_one.Tier)
    assert ledger.current_tier.name == 'Gold'


def check_loyalty_card(card):
    assert isinstance(card, talon_one.LoyaltyCard)
    assert card.program_id == 324
    assert card.identifier == 'summer-loyalty-card-0543'
    assert isinstance(card.profiles[0], talon_one.LoyaltyCardProfileRegistration)
    assert is_aware(card.profiles[0].timestamp,
                    datetime.datetime(2022, 11, 3, 8, 0, 5, tzinfo=UTC))
    check_ledger_info(card.ledger)
    check_ledger_info(card.subledgers['sub-123'], 40.0)
    assert is_aware(card.modified, datetime.datetime(2023, 1, 10, 11, 0, tzinfo=UTC))


def check_loyalty(loyalty):
    assert isinstance(loyalty, talon_one.Loyalty)
    check_loyalty_card(loyalty.cards[0])
    program = loyalty.programs['125']
    assert isinstance(program, talon_one.LoyaltyProgramLedgers)
    assert program.title == 'Point collection'
    check_ledger_info(program.ledger)
    check_ledger_info(program.sub_ledgers['sub-123'], 25.0)


def check_coupon(coupon, value='XMAS-20-2021'):
    assert isinstance(coupon, talon_one.Coupon)
    assert coupon.value == value
    assert coupon.usage_limit == 100
    assert coupon.is_reservation_mandatory is False
    assert is_aware(coupon.expiry_date, datetime.datetime(2021, 12, 31, 23, 59, 59, tzinfo=UTC))
    limit = coupon.limits[0]
    assert isinstance(limit, talon_one.LimitConfig)
    assert (limit.period, limit.entities) == ('daily', ['Coupon'])


def check_referral(referral):
    assert isinstance(referral, talon_one.Referral)
    assert referral.code == 'NT2K54D9'
    assert referral.advocate_profile_integration_id == 'URNGV8294NV'
    assert is_aware(referral.expiry_date, datetime.datetime(2023, 6, 2, tzinfo=UTC))


def check_event(event):
    assert isinstance(event, talon_one.Event)
    assert event.type == 'pageViewed'
    assert event.session_id == '175KJPS947296'
    entry = event.ledger_entries[0]
    assert isinstance(entry, talon_one.LedgerEntry)
    assert (entry.loyalty_program_id, entry.amount) == (125, 10)
    assert isinstance(event.meta, talon_one.Meta)
    assert isinstance(event.meta.coupon_rejection_reason, talon_one.CouponRejectionReason)
    assert event.meta.coupon_rejection_reason.reason == 'CouponExpired'
    assert event.meta.referral_rejection_reason.reason == 'ReferralExpired'


def check_integration_state_v2(state, session_id='175KJPS947296'):
    assert isinstance(state, talon_one.IntegrationStateV2)
    session = state.customer_session
    assert isinstance(session, talon_one.CustomerSessionV2)
    assert session.integration_id == session_id
    assert session.state == 'open'
    assert session.loyalty_cards == ['summer-loyalty-card-0543']
    assert is_aware(session.created, datetime.datetime(2023, 5, 2, 9, 15, tzinfo=UTC))
    check_cart_item(session.cart_items[0])
    assert state.customer_session.cart_items[0].sku == 'SKU1241028'
    assert isinstance(session.additional_costs['shipping'], talon_one.AdditionalCost)
    check_customer_profile(state.customer_profile)
    check_event(state.event)
    check_loyalty(state.loyalty)
    assert isinstance(state.referral, talon_one.InventoryReferral)
    assert state.referral.referred_customers == ['BZGGC2454PA']
    assert isinstance(state.coupons[0], talon_one.IntegrationCoupon)
    assert state.coupons[0].profile_redemption_count == 1
    campaign = state.triggered_campaigns[0]
    assert isinstance(campaign, talon_one.Campaign)
    assert campaign.features == ['coupons', 'loyalty']
    assert isinstance(campaign.coupon_settings, talon_one.CodeGeneratorSettings)
    assert campaign.coupon_settings.coupon_pattern == 'SUM-####'
    check_effect(state.effects[0])
    reason = state.rule_failure_reasons[0]
    assert isinstance(reason, talon_one.RuleFailureReason)
    assert (reason.campaign_id, reason.ruleset_id, reason.coupon_id) == (12, 74, 4929)
    check_coupon(state.created_coupons[0], 'NEW-COUPON-1')
    check_referral(state.created_referrals[0])
    assert isinstance(state.awarded_giveaways[0], talon_one.Giveaway)
    assert state.awarded_giveaways[0].code == 'GIVE-123'
    returned = state._return
    assert isinstance(returned, talon_one.ModelReturn)
    assert returned.session_integration_id == 'CLOSED-SESSION-1'
    assert isinstance(returned.returned_cart_items[0], talon_one.ReturnedCartItem)
    assert returned.returned_cart_items[0].position == 0
    assert isinstance(state.previous_returns[0], talon_one.ModelReturn)


def check_integration_state_v1(state):
    assert isinstance(state, talon_one.IntegrationState)
    session = state.session
    assert isinstance(session, talon_one.CustomerSession)
    assert (session.integration_id, session.state) == ('175KJPS947296', 'closed')
    check_cart_item(session.cart_items[0])
    # dict(str, float): plain numbers.
    assert session.discounts == {'10% off': 19.99}
    assert is_aware(session.updated, datetime.datetime(2023, 5, 2, 9, 20, tzinfo=UTC))
    check_customer_profile(state.profile)
    check_event(state.event)
    check_loyalty(state.loyalty)
    check_coupon(state.coupon)


# -- the operation list -------------------------------------------------------------------

def _snake(name):
    name = re.sub(r'([A-Z]+)([A-Z][a-z])', r'\1_\2', name)
    return re.sub(r'([a-z\d])([A-Z])', r'\1_\2', name).lower()


def spec_operations():
    with open(require_shared('openapi', 'talon-one-integration-2026.yaml')) as handle:
        spec = yaml.safe_load(handle)
    return sorted(operation['operationId'] for item in spec['paths'].values()
                  for method, operation in item.items() if method != 'parameters')


# Every operation has one golden test, here or in test_wire_operations_2026.py (the 13
# operations the 2026 spec added): this list is checked against the spec and the class.
TESTED_OPERATIONS = [
    'activate_loyalty_points', 'best_prior_price', 'create_audience_v2',
    'create_coupon_reservation', 'create_referral', 'create_referrals_for_multiple_advocates',
    'delete_audience_memberships_v2', 'delete_audience_v2', 'delete_coupon_reservation',
    'delete_customer_data', 'delete_loyalty_transactions_from_ledgers',
    'generate_loyalty_card', 'get_customer_achievement_history', 'get_customer_achievements',
    'get_customer_inventory', 'get_customer_session', 'get_event_v3', 'get_loyalty_balances',
    'get_loyalty_card_balances', 'get_loyalty_card_points', 'get_loyalty_card_transactions',
    'get_loyalty_program_profile_points', 'get_loyalty_program_profile_transactions',
    'get_reserved_coupons', 'get_reserved_customers', 'integration_get_all_campaigns',
    'join_loyalty_program', 'link_loyalty_card_to_profile', 'reopen_customer_session',
    'return_cart_items', 'sync_catalog', 'track_event', 'track_event_v2', 'track_event_v3',
    'unlink_loyalty_card_from_profile', 'update_audience_customers_attributes',
    'update_audience_v2', 'update_customer_profile', 'update_customer_profile_audiences',
    'update_customer_profile_v2', 'update_customer_profiles_v2', 'update_customer_session',
    'update_customer_session_v2',
]

# The 13 the 2026 spec added (CHANGES-2026.md, "New operations"); their goldens are in
# test_wire_operations_2026.py.
NEW_IN_2026 = [
    'activate_loyalty_points', 'best_prior_price', 'delete_loyalty_transactions_from_ledgers',
    'generate_loyalty_card', 'get_customer_achievement_history', 'get_customer_achievements',
    'get_event_v3', 'get_loyalty_card_points', 'get_loyalty_program_profile_points',
    'integration_get_all_campaigns', 'join_loyalty_program', 'track_event_v3',
    'unlink_loyalty_card_from_profile',
]


def test_forty_three_operations_in_spec_and_class():
    operation_ids = spec_operations()
    assert len(operation_ids) == 43 == len(TESTED_OPERATIONS) == len(set(TESTED_OPERATIONS))
    assert sorted(_snake(operation_id) for operation_id in operation_ids) == TESTED_OPERATIONS
    assert len(NEW_IN_2026) == 13 and set(NEW_IN_2026) < set(TESTED_OPERATIONS)

    public = sorted(name for name in vars(talon_one.IntegrationApi)
                    if not name.startswith('_') and callable(getattr(talon_one.IntegrationApi,
                                                                     name)))
    plain = [name for name in public if not name.endswith('_with_http_info')]
    twins = [name for name in public if name.endswith('_with_http_info')]
    assert plain == TESTED_OPERATIONS
    assert twins == sorted(name + '_with_http_info' for name in TESTED_OPERATIONS)


def test_every_operation_has_a_golden_test():
    import test_wire_operations_2026 as goldens_2026  # here: it imports this module's helpers

    here = {name for name in globals() if name.startswith('test_')}
    in_2026 = {name for name in vars(goldens_2026) if name.startswith('test_')}
    for operation in TESTED_OPERATIONS:
        where = in_2026 if operation in NEW_IN_2026 else here
        assert 'test_' + operation in where, operation


# -- audiences ----------------------------------------------------------------------------

def test_create_audience_v2(http_server, api):
    body = talon_one.NewAudience(
        name='Travel audience', sandbox=True, description='Travelling customers',
        integration='mparticle', integration_id='382370BKDB946', created_in3rd_party=False,
        last_update=datetime.datetime(2022, 4, 26, 11, 2, 38, tzinfo=PLUS_ONE))
    audience, request = exchange(http_server, api, 'create_audience_v2', body,
                                 status=201, reply=audience_json())
    assert_wire(request, 'POST', '/v2/audiences', body={
        'name': 'Travel audience', 'sandbox': True, 'description': 'Travelling customers',
        'integration': 'mparticle', 'integrationId': '382370BKDB946',
        'createdIn3rdParty': False, 'lastUpdate': '2022-04-26T11:02:38+01:00',
    })
    assert isinstance(audience, talon_one.Audience)
    assert (audience.id, audience.account_id, audience.name) == (748, 31, 'Travel audience')
    assert audience.created_in3rd_party is False
    assert is_aware(audience.created, datetime.datetime(2022, 4, 26, 11, 2, 38, tzinfo=UTC))
    assert is_aware(audience.last_update, datetime.datetime(2022, 4, 26, 10, 2, 38, tzinfo=UTC))


def test_update_audience_v2(http_server, api):
    reply = audience_json()
    reply['name'] = 'Frequent travellers'
    audience, request = exchange(http_server, api, 'update_audience_v2', 748,
                                 talon_one.UpdateAudience(name='Frequent travellers'),
                                 reply=reply)
    assert_wire(request, 'PUT', '/v2/audiences/748', body={'name': 'Frequent travellers'})
    assert isinstance(audience, talon_one.Audience)
    assert audience.name == 'Frequent travellers'
    assert audience.integration_id == '382370BKDB946'


def test_delete_audience_v2(http_server, api):
    result, request = exchange(http_server, api, 'delete_audience_v2', 748, status=204)
    assert_wire(request, 'DELETE', '/v2/audiences/748')
    assert result is None


def test_delete_audience_memberships_v2(http_server, api):
    result, request = exchange(http_server, api, 'delete_audience_memberships_v2', 748,
                               status=204)
    assert_wire(request, 'DELETE', '/v2/audiences/748/memberships')
    assert result is None


def test_update_audience_customers_attributes(http_server, api):
    # The body schema (AttributeQuery) is a free-form object: a plain dict.
    result, request = exchange(
        http_server, api, 'update_audience_customers_attributes', 748,
        {'loyaltyTier': 'gold', 'newsletter': True, 'points': 120}, status=204)
    assert_wire(request, 'PUT', '/v2/audience_customers/748/attributes',
                body={'loyaltyTier': 'gold', 'newsletter': True, 'points': 120})
    assert result is None


def test_update_customer_profile_audiences(http_server, api):
    body = talon_one.CustomerProfileAudienceRequest(data=[
        talon_one.CustomerProfileAudienceRequestItem(
            action='add', profile_integration_id='URNGV8294NV', audience_id=748),
        talon_one.CustomerProfileAudienceRequestItem(
            action='delete', profile_integration_id='BZGGC2454PA', audience_id=2),
    ])
    result, request = exchange(http_server, api, 'update_customer_profile_audiences', body,
                               status=204)
    assert_wire(request, 'POST', '/v2/customer_audiences', body={'data': [
        {'action': 'add', 'profileIntegrationId': 'URNGV8294NV', 'audienceId': 748},
        {'action': 'delete', 'profileIntegrationId': 'BZGGC2454PA', 'audienceId': 2},
    ]})
    assert result is None


# -- coupons and referrals -------------------------------------------------------------------

def test_create_coupon_reservation(http_server, api):
    body = talon_one.CouponReservations(integration_i_ds=['URNGV8294NV', 'BZGGC2454PA'])
    coupon, request = exchange(http_server, api, 'create_coupon_reservation', 'XMAS-20-2021',
                               body, status=201, reply=coupon_json())
    assert_wire(request, 'POST', '/v1/coupon_reservations/XMAS-20-2021',
                body={'integrationIDs': ['URNGV8294NV', 'BZGGC2454PA']})
    check_coupon(coupon)
    assert coupon.recipient_integration_id == 'URNGV8294NV'
    assert coupon.attributes == {'channel': 'web'}


def test_delete_coupon_reservation(http_server, api):
    body = talon_one.CouponReservations(integration_i_ds=['URNGV8294NV'])
    result, request = exchange(http_server, api, 'delete_coupon_reservation', 'XMAS-20-2021',
                               body, status=204)
    # DELETE with a JSON body: Content-Type is sent.
    assert_wire(request, 'DELETE', '/v1/coupon_reservations/XMAS-20-2021',
                body={'integrationIDs': ['URNGV8294NV']})
    assert result is None


def test_get_reserved_customers(http_server, api):
    reply = {'totalResultSize': 2,
             'data': [customer_profile_json(), customer_profile_json('BZGGC2454PA')]}
    result, request = exchange(http_server, api, 'get_reserved_customers', 'XMAS-20-2021',
                               reply=reply)
    assert_wire(request, 'GET', '/v1/coupon_reservations/customerprofiles/XMAS-20-2021')
    assert isinstance(result, talon_one.InlineResponse200)
    assert result.total_result_size == 2
    check_customer_profile(result.data[0])
    check_customer_profile(result.data[1], 'BZGGC2454PA')


def test_get_reserved_coupons(http_server, api):
    reply = {'totalResultSize': 1, 'data': [coupon_json()]}
    with pytest.warns(DeprecationWarning):
        result, request = exchange(http_server, api, 'get_reserved_coupons', 'URNGV8294NV',
                                   reply=reply)
    assert_wire(request, 'GET', '/v1/coupon_reservations/coupons/URNGV8294NV')
    assert isinstance(result, talon_one.InlineResponse2003)
    assert result.total_result_size == 1
    check_coupon(result.data[0])


def test_create_referral(http_server, api):
    body = talon_one.NewReferral(
        start_date=datetime.datetime(2023, 5, 2, tzinfo=UTC),
        expiry_date=datetime.datetime(2023, 6, 2, 12, 30, tzinfo=PLUS_TWO),
        usage_limit=1, campaign_id=45, advocate_profile_integration_id='URNGV8294NV',
        friend_profile_integration_id='BZGGC2454PA', attributes={'channel': 'email'})
    referral, request = exchange(http_server, api, 'create_referral', body, status=201,
                                 reply=referral_json())
    assert_wire(request, 'POST', '/v1/referrals', body={
        'startDate': '2023-05-02T00:00:00+00:00', 'expiryDate': '2023-06-02T12:30:00+02:00',
        'usageLimit': 1, 'campaignId': 45, 'advocateProfileIntegrationId': 'URNGV8294NV',
        'friendProfileIntegrationId': 'BZGGC2454PA', 'attributes': {'channel': 'email'},
    })
    check_referral(referral)
    assert referral.friend_profile_integration_id == 'BZGGC2454PA'


def test_create_referrals_for_multiple_advocates(http_server, api):
    body = talon_one.NewReferralsForMultipleAdvocates(
        usage_limit=1, campaign_id=45,
        advocate_profile_integration_ids=['URNGV8294NV', 'DRPVV9476AF'],
        valid_characters=['A', 'B', '1'], referral_pattern='REF-###')
    expected_body = {'usageLimit': 1, 'campaignId': 45,
                     'advocateProfileIntegrationIds': ['URNGV8294NV', 'DRPVV9476AF'],
                     'validCharacters': ['A', 'B', '1'], 'referralPattern': 'REF-###'}
    reply = {'totalResultSize': 1, 'data': [referral_json()]}
    result, request = exchange(http_server, api, 'create_referrals_for_multiple_advocates',
                               body, silent='no', status=201, reply=reply)
    assert_wire(request, 'POST', '/v1/referrals_for_multiple_advocates', query={'silent': 'no'},
                body=expected_body)
    assert isinstance(result, talon_one.InlineResponse201)
    assert result.total_result_size == 1
    check_referral(result.data[0])

    # silent=yes: the server answers 204 and the method returns None.
    result, request = exchange(http_server, api, 'create_referrals_for_multiple_advocates',
                               body, silent='yes', status=204)
    assert_wire(request, 'POST', '/v1/referrals_for_multiple_advocates',
                query={'silent': 'yes'}, body=expected_body)
    assert result is None


# -- customer data -------------------------------------------------------------------------

def test_delete_customer_data(http_server, api):
    result, request = exchange(http_server, api, 'delete_customer_data', 'URNGV8294NV',
                               status=204)
    assert_wire(request, 'DELETE', '/v1/customer_data/URNGV8294NV')
    assert result is None


def test_get_customer_inventory(http_server, api):
    inventory_coupon = coupon_json()
    inventory_coupon.update({'profileRedemptionCount': 1, 'state': 'active'})
    reply = {
        'profile': customer_profile_json(), 'loyalty': loyalty_json(),
        'referrals': [inventory_referral_json()], 'coupons': [inventory_coupon],
        'giveaways': [giveaway_json()],
    }
    inventory, request = exchange(http_server, api, 'get_customer_inventory', 'URNGV8294NV',
                                  profile=True, referrals=True, coupons=False, loyalty=True,
                                  giveaways=False, reply=reply)
    assert_wire(request, 'GET', '/v1/customer_profiles/URNGV8294NV/inventory', query={
        'profile': 'true', 'referrals': 'true', 'coupons': 'false', 'loyalty': 'true',
        'giveaways': 'false'})
    assert isinstance(inventory, talon_one.CustomerInventory)
    check_customer_profile(inventory.profile)
    check_loyalty(inventory.loyalty)
    assert isinstance(inventory.referrals[0], talon_one.InventoryReferral)
    assert inventory.referrals[0].code == 'NT2K54D9'
    assert isinstance(inventory.coupons[0], talon_one.InventoryCoupon)
    assert inventory.coupons[0].state == 'active'
    giveaway = inventory.giveaways[0]
    assert isinstance(giveaway, talon_one.Giveaway)
    assert giveaway.used is False
    assert is_aware(giveaway.end_date, datetime.datetime(2023, 12, 31, tzinfo=UTC))


def test_update_customer_profile_v2(http_server, api):
    body = talon_one.CustomerProfileIntegrationRequestV2(
        attributes={'Language': 'english', 'ShippingCountry': 'DE'},
        evaluable_campaign_ids=[10, 12],
        audiences_changes=talon_one.ProfileAudiencesChanges(adds=[2, 4], deletes=[7]),
        response_content=['customerProfile', 'triggeredCampaigns'])
    state, request = exchange(http_server, api, 'update_customer_profile_v2', 'URNGV8294NV',
                              body, run_rule_engine=True, dry=False,
                              reply=integration_state_v2_json())
    assert_wire(request, 'PUT', '/v2/customer_profiles/URNGV8294NV',
                query={'runRuleEngine': 'true', 'dry': 'false'},
                body={'attributes': {'Language': 'english', 'ShippingCountry': 'DE'},
                      'evaluableCampaignIds': [10, 12],
                      'audiencesChanges': {'adds': [2, 4], 'deletes': [7]},
                      'responseContent': ['customerProfile', 'triggeredCampaigns']})
    check_integration_state_v2(state)


def test_update_customer_profiles_v2(http_server, api):
    body = talon_one.MultipleCustomerProfileIntegrationRequest(customer_profiles=[
        talon_one.MultipleCustomerProfileIntegrationRequestItem(
            attributes={'Language': 'english'}, integration_id='URNGV8294NV'),
        talon_one.MultipleCustomerProfileIntegrationRequestItem(integration_id='R195412'),
    ])
    reply = {'integrationStates': [{'customerProfile': customer_profile_json()},
                                   {'customerProfile': customer_profile_json('R195412')}]}
    result, request = exchange(http_server, api, 'update_customer_profiles_v2', body,
                               silent='no', reply=reply)
    assert_wire(request, 'PUT', '/v2/customer_profiles', query={'silent': 'no'}, body={
        'customerProfiles': [
            {'attributes': {'Language': 'english'}, 'integrationId': 'URNGV8294NV'},
            {'integrationId': 'R195412'},
        ]})
    assert isinstance(result, talon_one.MultipleCustomerProfileIntegrationResponseV2)
    first, second = result.integration_states
    assert isinstance(first, talon_one.CustomerProfileUpdateV2Response)
    check_customer_profile(first.customer_profile)
    check_customer_profile(second.customer_profile, 'R195412')


def test_update_customer_profile(http_server, api):
    body = talon_one.NewCustomerProfile(attributes={'Language': 'english', 'Age': 32})
    with pytest.warns(DeprecationWarning):
        state, request = exchange(http_server, api, 'update_customer_profile', 'URNGV8294NV',
                                  body, reply=integration_state_v1_json())
    assert_wire(request, 'PUT', '/v1/customer_profiles/URNGV8294NV',
                body={'attributes': {'Language': 'english', 'Age': 32}})
    check_integration_state_v1(state)


# -- customer sessions -------------------------------------------------------------------------

def new_session_v2():
    return talon_one.NewCustomerSessionV2(
        profile_id='URNGV8294NV', evaluable_campaign_ids=[10], coupon_codes=['XMAS-20-2021'],
        referral_code='NT2K54D9', loyalty_cards=['summer-loyalty-card-0543'],
        cart_items=[talon_one.CartItem(
            name='Air Glide', sku='SKU1241028', quantity=2, price=99.99, category='shoes',
            attributes={'color': 'blue'},
            additional_costs={'shipping': talon_one.AdditionalCost(price=9.5)},
            catalog_item_id=271)],
        additional_costs={'handling': talon_one.AdditionalCost(price=2.0)},
        identifiers=['91.11.156.141'], attributes={'ShippingCity': 'Berlin'})


def test_update_customer_session_v2(http_server, api):
    body = talon_one.IntegrationRequest(customer_session=new_session_v2(),
                                        response_content=['customerSession', 'coupons'])
    state, request = exchange(http_server, api, 'update_customer_session_v2', '175KJPS947296',
                              body, dry=True, reply=integration_state_v2_json())
    assert_wire(request, 'PUT', '/v2/customer_sessions/175KJPS947296', query={'dry': 'true'},
                body={
                    'customerSession': {
                        'profileId': 'URNGV8294NV', 'evaluableCampaignIds': [10],
                        'couponCodes': ['XMAS-20-2021'], 'referralCode': 'NT2K54D9',
                        'loyaltyCards': ['summer-loyalty-card-0543'],
                        'state': 'open',  # the spec default, sent like the official SDK
                        'cartItems': [{
                            'name': 'Air Glide', 'sku': 'SKU1241028', 'quantity': 2,
                            'price': 99.99, 'category': 'shoes', 'attributes': {'color': 'blue'},
                            'additionalCosts': {'shipping': {'price': 9.5}},
                            'catalogItemID': 271,
                        }],
                        'additionalCosts': {'handling': {'price': 2.0}},
                        'identifiers': ['91.11.156.141'],
                        'attributes': {'ShippingCity': 'Berlin'},
                    },
                    'responseContent': ['customerSession', 'coupons'],
                })
    check_integration_state_v2(state)


def test_update_customer_session(http_server, api):
    body = talon_one.NewCustomerSession(
        profile_id='URNGV8294NV', coupon='XMAS-20-2021', referral='NT2K54D9', state='closed',
        cart_items=[talon_one.CartItem(sku='SKU1241028', quantity=1, price=99.99)],
        identifiers=['91.11.156.141'], total=99.99, attributes={'ShippingCity': 'Berlin'})
    with pytest.warns(DeprecationWarning):
        state, request = exchange(http_server, api, 'update_customer_session', '175KJPS947296',
                                  body, reply=integration_state_v1_json())
    assert_wire(request, 'PUT', '/v1/customer_sessions/175KJPS947296', body={
        'profileId': 'URNGV8294NV', 'coupon': 'XMAS-20-2021', 'referral': 'NT2K54D9',
        'state': 'closed', 'cartItems': [{'sku': 'SKU1241028', 'quantity': 1, 'price': 99.99}],
        'identifiers': ['91.11.156.141'], 'total': 99.99,
        'attributes': {'ShippingCity': 'Berlin'},
    })
    check_integration_state_v1(state)


def test_get_customer_session(http_server, api):
    reply = {'customerSession': customer_session_v2_json(), 'effects': [effect_json()]}
    result, request = exchange(http_server, api, 'get_customer_session', '175KJPS947296',
                               reply=reply)
    assert_wire(request, 'GET', '/v2/customer_sessions/175KJPS947296')
    assert isinstance(result, talon_one.IntegrationCustomerSessionResponse)
    session = result.customer_session
    assert isinstance(session, talon_one.CustomerSessionV2)
    assert (session.id, session.profile_id, session.total) == (2, 'URNGV8294NV', 208.48)
    check_cart_item(session.cart_items[0])
    assert is_aware(session.updated, datetime.datetime(2023, 5, 2, 9, 20, tzinfo=UTC))
    check_effect(result.effects[0])


def test_reopen_customer_session(http_server, api):
    reply = {'effects': [effect_json()]}
    result, request = exchange(http_server, api, 'reopen_customer_session', 'CLOSED-SESSION-1',
                               reply=reply)
    # PUT without a body: no Content-Type.
    assert_wire(request, 'PUT', '/v2/customer_sessions/CLOSED-SESSION-1/reopen')
    assert isinstance(result, talon_one.ReopenSessionResponse)
    check_effect(result.effects[0])


def test_return_cart_items(http_server, api):
    body = talon_one.ReturnIntegrationRequest(
        _return=talon_one.NewReturn(returned_cart_items=[
            talon_one.ReturnedCartItem(position=0, quantity=1),
            talon_one.ReturnedCartItem(position=2),
        ]),
        response_content=['customerSession', 'previousReturns'])
    reply = integration_state_v2_json()
    reply['customerSession'] = customer_session_v2_json('CLOSED-SESSION-1')
    state, request = exchange(http_server, api, 'return_cart_items', 'CLOSED-SESSION-1', body,
                              dry=False, reply=reply)
    assert_wire(request, 'POST', '/v2/customer_sessions/CLOSED-SESSION-1/returns',
                query={'dry': 'false'},
                body={'return': {'returnedCartItems': [{'position': 0, 'quantity': 1},
                                                       {'position': 2}]},
                      'responseContent': ['customerSession', 'previousReturns']})
    check_integration_state_v2(state, 'CLOSED-SESSION-1')


# -- events ----------------------------------------------------------------------------------

def test_track_event_v2(http_server, api):
    body = talon_one.IntegrationEventV2Request(
        profile_id='URNGV8294NV', evaluable_campaign_ids=[10, 12], type='pageViewed',
        attributes={'page': '/checkout'}, response_content=['triggeredCampaigns', 'event'])
    state, request = exchange(http_server, api, 'track_event_v2', body, silent='no', dry=True,
                              reply=integration_state_v2_json())
    assert_wire(request, 'POST', '/v2/events', query={'silent': 'no', 'dry': 'true'}, body={
        'profileId': 'URNGV8294NV', 'evaluableCampaignIds': [10, 12], 'type': 'pageViewed',
        'attributes': {'page': '/checkout'}, 'responseContent': ['triggeredCampaigns', 'event'],
    })
    check_integration_state_v2(state)


def test_track_event(http_server, api):
    body = talon_one.NewEvent(profile_id='URNGV8294NV', type='pageViewed',
                              attributes={'page': '/checkout'}, session_id='175KJPS947296')
    with pytest.warns(DeprecationWarning):
        state, request = exchange(http_server, api, 'track_event', body, dry=True, status=201,
                                  reply=integration_state_v1_json())
    assert_wire(request, 'POST', '/v1/events', query={'dry': 'true'}, body={
        'profileId': 'URNGV8294NV', 'type': 'pageViewed', 'attributes': {'page': '/checkout'},
        'sessionId': '175KJPS947296',
    })
    check_integration_state_v1(state)


# -- loyalty ----------------------------------------------------------------------------------

def loyalty_balances_json():
    return {
        'balance': {'activePoints': 100.0, 'pendingPoints': 10.0, 'spentPoints': 20.0,
                    'expiredPoints': 5.0},
        'subledgerBalances': {'sub-123': {'activePoints': 40.0, 'pendingPoints': 0.0,
                                          'spentPoints': 1.0, 'expiredPoints': 0.0}},
    }


def check_loyalty_balances(balances):
    assert isinstance(balances, talon_one.LoyaltyBalances)
    assert isinstance(balances.balance, talon_one.LoyaltyBalance)
    assert balances.balance.active_points == 100.0
    sub = balances.subledger_balances['sub-123']
    assert isinstance(sub, talon_one.LoyaltyBalance)
    assert (sub.active_points, sub.spent_points) == (40.0, 1.0)


def test_get_loyalty_balances(http_server, api):
    balances, request = exchange(
        http_server, api, 'get_loyalty_balances', 125, 'URNGV8294NV',
        end_date=datetime.datetime(2023, 5, 1, 12, 30, tzinfo=PLUS_TWO),
        reply=loyalty_balances_json())
    assert_wire(request, 'GET', '/v1/loyalty_programs/125/profile/URNGV8294NV/balances',
                query={'endDate': '2023-05-01T12:30:00+02:00'})
    # '+' must be percent-encoded in the query, or the server reads a space.
    assert '%2B02%3A00' in request.query_string
    check_loyalty_balances(balances)


def test_get_loyalty_card_balances(http_server, api):
    balances, request = exchange(
        http_server, api, 'get_loyalty_card_balances', 324, 'summer-loyalty-card-0543',
        end_date=datetime.datetime(2023, 5, 1, 12, 30, 15),  # naive: taken as UTC
        reply=loyalty_balances_json())
    assert_wire(request, 'GET',
                '/v1/loyalty_programs/324/cards/summer-loyalty-card-0543/balances',
                query={'endDate': '2023-05-01T12:30:15+00:00'})
    check_loyalty_balances(balances)


def test_get_loyalty_card_transactions(http_server, api):
    reply = {'hasMore': True, 'data': [{
        'created': '2023-05-02T09:20:00Z', 'programId': 324,
        'cardIdentifier': 'summer-loyalty-card-0543', 'customerSessionId': '175KJPS947296',
        'type': 'addition', 'name': 'Reward 10% points', 'startDate': 'immediate',
        'expiryDate': 'unlimited', 'subledgerId': 'sub-123', 'amount': 10.25, 'id': 123,
        'rulesetId': 73, 'ruleName': 'Points rule',
    }]}
    result, request = exchange(
        http_server, api, 'get_loyalty_card_transactions', 324, 'summer-loyalty-card-0543',
        subledger_id='sub-123', start_date=datetime.datetime(2023, 1, 1, tzinfo=UTC),
        end_date=datetime.datetime(2023, 6, 30, 23, 59, 59, tzinfo=PLUS_ONE),
        page_size=100, skip=20, reply=reply)
    assert_wire(request, 'GET',
                '/v1/loyalty_programs/324/cards/summer-loyalty-card-0543/transactions',
                query={'subledgerId': 'sub-123', 'startDate': '2023-01-01T00:00:00+00:00',
                       'endDate': '2023-06-30T23:59:59+01:00', 'pageSize': '100',
                       'skip': '20'})
    assert isinstance(result, talon_one.InlineResponse2001)
    assert result.has_more is True
    entry = result.data[0]
    assert isinstance(entry, talon_one.CardLedgerTransactionLogEntryIntegrationAPI)
    assert (entry.card_identifier, entry.type, entry.amount) == (
        'summer-loyalty-card-0543', 'addition', 10.25)
    assert entry.start_date == 'immediate'  # a plain string in the spec
    assert is_aware(entry.created, datetime.datetime(2023, 5, 2, 9, 20, tzinfo=UTC))


def test_get_loyalty_program_profile_transactions(http_server, api):
    reply = {'hasMore': False, 'data': [{
        'created': '2023-05-02T09:20:00Z', 'programId': 125,
        'customerSessionId': '175KJPS947296', 'type': 'subtraction',
        'name': 'Redeem points', 'startDate': 'immediate', 'expiryDate': 'unlimited',
        'subledgerId': 'sub-123', 'amount': 5.0, 'id': 124,
    }]}
    result, request = exchange(
        http_server, api, 'get_loyalty_program_profile_transactions', 125, 'URNGV8294NV',
        subledger_id='sub-123', start_date=datetime.datetime(2023, 1, 1, 8, 0),
        end_date=datetime.datetime(2023, 2, 1, tzinfo=UTC), page_size=50, skip=0,
        reply=reply)
    assert_wire(request, 'GET', '/v1/loyalty_programs/125/profile/URNGV8294NV/transactions',
                query={'subledgerId': 'sub-123', 'startDate': '2023-01-01T08:00:00+00:00',
                       'endDate': '2023-02-01T00:00:00+00:00', 'pageSize': '50',
                       'skip': '0'})
    assert isinstance(result, talon_one.InlineResponse2002)
    assert result.has_more is False
    entry = result.data[0]
    assert isinstance(entry, talon_one.LedgerTransactionLogEntryIntegrationAPI)
    assert (entry.program_id, entry.type, entry.subledger_id) == (125, 'subtraction', 'sub-123')


def test_link_loyalty_card_to_profile(http_server, api):
    card, request = exchange(
        http_server, api, 'link_loyalty_card_to_profile', 324, 'summer-loyalty-card-0543',
        talon_one.LoyaltyCardRegistration(integration_id='URNGV8294NV'),
        reply=loyalty_card_json())
    assert_wire(request, 'POST',
                '/v2/loyalty_programs/324/cards/summer-loyalty-card-0543/link_profile',
                body={'integrationId': 'URNGV8294NV'})
    check_loyalty_card(card)


# -- catalogs ---------------------------------------------------------------------------------

def test_sync_catalog(http_server, api):
    body = talon_one.CatalogSyncRequest(
        actions=[
            talon_one.CatalogAction(type='ADD', payload={
                'sku': 'SKU1241028', 'price': 99.99, 'attributes': {'color': 'blue'},
                'replaceIfExists': True}),
            talon_one.CatalogAction(type='REMOVE', payload={'sku': 'SKU0000001'}),
        ],
        version=3)
    reply = {
        'id': 6, 'created': '2020-06-10T09:05:27.993483Z', 'accountId': 31,
        'modified': '2021-09-12T10:12:42Z', 'name': 'seasonal-sale',
        'description': 'Seasonal items', 'subscribedApplicationsIds': [1, 2, 3],
        'version': 4, 'createdBy': 6,
    }
    catalog, request = exchange(http_server, api, 'sync_catalog', 6, body, reply=reply)
    assert_wire(request, 'PUT', '/v1/catalogs/6/sync', body={
        'actions': [
            {'type': 'ADD', 'payload': {'sku': 'SKU1241028', 'price': 99.99,
                                        'attributes': {'color': 'blue'},
                                        'replaceIfExists': True}},
            {'type': 'REMOVE', 'payload': {'sku': 'SKU0000001'}},
        ],
        'version': 3,
    })
    assert isinstance(catalog, talon_one.Catalog)
    assert (catalog.id, catalog.version, catalog.subscribed_applications_ids) == (
        6, 4, [1, 2, 3])
    assert is_aware(catalog.created,
                    datetime.datetime(2020, 6, 10, 9, 5, 27, 993483, tzinfo=UTC))
