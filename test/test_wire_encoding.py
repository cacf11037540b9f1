"""Wire encoding details, against a recording HTTP server on 127.0.0.1.

Path escaping, query booleans and date-times, explicit JSON null, lenient parsing of
unknown fields and enum values, per-call timeouts, async_req, deprecation warnings,
and the integration_auth Content-Signature (HMAC-MD5 over the exact body bytes).
Expected values are written by hand; the HMAC is computed here with hmac/hashlib.
"""

import datetime
import hashlib
import hmac
import urllib.parse
import warnings

import pytest

import talon_one
from talon_one.rest import ApiException

from support import TEST_API_KEY, TEST_APPLICATION_ID, TEST_APPLICATION_KEY

UTC = datetime.timezone.utc


@pytest.fixture
def api(make_api_client):
    return talon_one.IntegrationApi(make_api_client())


@pytest.fixture
def signing_api(make_api_client):
    """An IntegrationApi whose configuration has an application id and hex key."""
    return talon_one.IntegrationApi(make_api_client(application_id=TEST_APPLICATION_ID,
                                                    application_key=TEST_APPLICATION_KEY))


def expected_signature(body):
    digest = hmac.new(bytes.fromhex(TEST_APPLICATION_KEY), body, hashlib.md5).hexdigest()
    return 'signer=%s; signature=%s' % (TEST_APPLICATION_ID, digest)


# -- path escaping ------------------------------------------------------------------------

ESCAPED_IDS = [
    ('a/b', 'a%2Fb'),
    ('with space', 'with%20space'),
    ('100%', '100%25'),
    ('what?', 'what%3F'),
    ('hash#tag', 'hash%23tag'),
    ('a+b', 'a%2Bb'),
    ('x;y=z&w', 'x%3By%3Dz%26w'),
    ('café', 'caf%C3%A9'),
    ('€5', '%E2%82%AC5'),
    ('%2F', '%252F'),          # already-escaped text is escaped again, not trusted
    ('../admin', '..%2Fadmin'),
    # Bare dot segments must reach the server as the id, not be collapsed by URL
    # normalisation into another route ('/v2/customer_sessions/..' -> '/v2/'); any
    # escaping that decodes back to the id is fine.
    ('..', None),
    ('.', None),
]


@pytest.mark.parametrize('value, escaped', ESCAPED_IDS, ids=[e or v for v, e in ESCAPED_IDS])
def test_path_parameter_is_percent_encoded(http_server, api, value, escaped):
    http_server.respond(200, {'customerSession': {'integrationId': value}})
    result = api.get_customer_session(value)
    request = http_server.last_request
    segment = request.path[len('/v2/customer_sessions/'):]
    assert request.path.startswith('/v2/customer_sessions/')
    assert '/' not in segment
    assert urllib.parse.unquote(segment) == value
    if escaped is not None:
        assert segment == escaped
    assert request.query_string == ''
    assert result.customer_session.integration_id == value


def test_several_path_parameters_are_each_encoded(http_server, api):
    http_server.respond(200, {})
    api.get_loyalty_card_balances(324, 'card/1 #€')
    request = http_server.last_request
    assert request.path == '/v1/loyalty_programs/324/cards/card%2F1%20%23%E2%82%AC/balances'
    card = request.path.split('/')[5]
    assert urllib.parse.unquote(card) == 'card/1 #€'


def test_path_parameter_with_query_characters_does_not_leak_into_the_query(http_server, api):
    http_server.respond(200, {})
    api.get_customer_inventory('id?profile=false&x=1', profile=True)
    request = http_server.last_request
    assert request.path == '/v1/customer_profiles/id%3Fprofile%3Dfalse%26x%3D1/inventory'
    assert request.query == {'profile': ['true']}


# -- query parameters ----------------------------------------------------------------------

@pytest.mark.parametrize('value, text', [(True, 'true'), (False, 'false')])
def test_boolean_query_parameters(http_server, api, value, text):
    http_server.respond(200, {})
    api.get_customer_inventory('URNGV8294NV', profile=value, referrals=value, coupons=value,
                               loyalty=value, giveaways=value)
    assert http_server.last_request.query == {
        'profile': [text], 'referrals': [text], 'coupons': [text], 'loyalty': [text],
        'giveaways': [text]}

    http_server.respond(200, {})
    body = talon_one.CustomerProfileIntegrationRequestV2(attributes={'Age': 32})
    api.update_customer_profile_v2('URNGV8294NV', body, run_rule_engine=value, dry=value)
    # False is a value to send, not "leave out".
    assert http_server.last_request.query == {'runRuleEngine': [text], 'dry': [text]}


def test_unset_optional_query_parameters_are_not_sent(http_server, api):
    http_server.respond(200, {})
    api.get_loyalty_card_transactions(324, 'summer-loyalty-card-0543')
    request = http_server.last_request
    assert request.query_string == ''
    assert request.raw_path == (
        '/v1/loyalty_programs/324/cards/summer-loyalty-card-0543/transactions')


DATE_TIMES = [
    (datetime.datetime(2023, 5, 1, 12, 30, tzinfo=datetime.timezone(
        datetime.timedelta(hours=5, minutes=30))), '2023-05-01T12:30:00+05:30'),
    (datetime.datetime(2023, 5, 1, 12, 30, tzinfo=datetime.timezone(
        datetime.timedelta(hours=-7))), '2023-05-01T12:30:00-07:00'),
    (datetime.datetime(2023, 5, 1, 12, 30, tzinfo=UTC), '2023-05-01T12:30:00+00:00'),
    (datetime.datetime(2023, 5, 1, 12, 30), '2023-05-01T12:30:00+00:00'),  # naive = UTC
    (datetime.datetime(2023, 5, 1, 12, 30, 5, 250000), '2023-05-01T12:30:05.250000+00:00'),
    # Strings (as the seeds pass them) go out unchanged.
    ('2013-10-20T19:20:30+01:00', '2013-10-20T19:20:30+01:00'),
    ('2013-10-20T19:20:30Z', '2013-10-20T19:20:30Z'),
]


@pytest.mark.parametrize('value, text', DATE_TIMES, ids=[t for _, t in DATE_TIMES])
def test_date_time_query_parameters(http_server, api, value, text):
    http_server.respond(200, {'hasMore': False, 'data': []})
    api.get_loyalty_card_transactions(324, 'summer-loyalty-card-0543', start_date=value,
                                      end_date=value)
    request = http_server.last_request
    # parse_qs decodes '+' as a space: equality also proves '+' was percent-encoded.
    assert request.query == {'startDate': [text], 'endDate': [text]}


def test_naive_date_time_in_a_body_is_sent_as_utc(http_server, api):
    http_server.respond(201, {})
    api.create_referral(talon_one.NewReferral(
        campaign_id=45, advocate_profile_integration_id='URNGV8294NV',
        start_date=datetime.datetime(2023, 5, 2, 8, 0),
        expiry_date=datetime.datetime(2023, 6, 2, 8, 0, tzinfo=datetime.timezone(
            datetime.timedelta(hours=2)))))
    assert http_server.last_request.json == {
        'campaignId': 45, 'advocateProfileIntegrationId': 'URNGV8294NV',
        'startDate': '2023-05-02T08:00:00+00:00', 'expiryDate': '2023-06-02T08:00:00+02:00'}


# -- JSON bodies ------------------------------------------------------------------------------

def test_body_is_compact_utf8_json(http_server, api):
    http_server.respond(201, {})
    api.create_coupon_reservation('XMAS-20-2021',
                                  talon_one.CouponReservations(integration_i_ds=['URNGV8294NV']))
    request = http_server.last_request
    assert request.body == b'{"integrationIDs":["URNGV8294NV"]}'
    assert request.header('Content-Length') == str(len(request.body))

    http_server.respond(201, {})
    api.create_coupon_reservation('XMAS-20-2021',
                                  talon_one.CouponReservations(integration_i_ds=['café €']))
    assert http_server.last_request.json == {'integrationIDs': ['café €']}


def test_explicit_null_with_talon_one_null(http_server, api):
    assert talon_one.NULL is talon_one.model_base.NULL
    audience = talon_one.NewAudience(name='Travel audience', description=talon_one.NULL)
    # NULL passes set-time rules (integration_id has a min length) and required checks.
    audience.integration_id = talon_one.NULL
    audience.integration = None  # None: left out
    http_server.respond(201, {'id': 748, 'name': 'Travel audience', 'description': None})
    result = api.create_audience_v2(audience)
    assert http_server.last_request.json == {
        'name': 'Travel audience', 'description': None, 'integrationId': None}
    assert b'"description":null' in http_server.last_request.body
    assert result.description is None


def test_explicit_null_in_nested_models_and_free_form_objects(http_server, api):
    session = talon_one.NewCustomerSessionV2(
        profile_id='URNGV8294NV', referral_code=talon_one.NULL,
        attributes={'ShippingCity': None, 'Gift': talon_one.NULL, 'Note': 'x'})
    http_server.respond(200, {})
    api.update_customer_session_v2('175KJPS947296',
                                   talon_one.IntegrationRequest(customer_session=session))
    assert http_server.last_request.json == {'customerSession': {
        'profileId': 'URNGV8294NV', 'referralCode': None, 'state': 'open',
        # A free-form object is the user's data: its null values are kept.
        'attributes': {'ShippingCity': None, 'Gift': None, 'Note': 'x'},
    }}


def test_nested_models_send_the_same_bytes_whichever_path_encodes_them(http_server, api):
    # Items built by the user are encoded inline by their parent's compiled encoder; a
    # parsed instance, one with an unknown field and a plain dict take the general path
    # (the JSON encoder's hook). The bytes on the wire must not tell them apart.
    def body(*items):
        return talon_one.IntegrationRequest(customer_session=talon_one.NewCustomerSessionV2(
            profile_id='p', cart_items=list(items)))

    plain = [talon_one.CartItem(sku='A', quantity=1, price=2.5),
             talon_one.CartItem(sku='B', quantity=2, attributes={'c': 'red'})]
    sent = []
    for items in (plain,
                  [{'sku': 'A', 'quantity': 1, 'price': 2.5}, plain[1]],
                  [talon_one.CartItem.from_wire({'sku': 'A', 'quantity': 1, 'price': 2.5}),
                   plain[1]]):
        http_server.respond(200, {})
        api.update_customer_session_v2('s', body(*items))
        sent.append(http_server.last_request.body)
    assert sent[0] == sent[1] == sent[2] == (
        b'{"customerSession":{"profileId":"p","state":"open","cartItems":['
        b'{"sku":"A","quantity":1,"price":2.5},'
        b'{"sku":"B","quantity":2,"attributes":{"c":"red"}}]}}')

    extra = talon_one.CartItem.from_wire({'sku': 'C', 'quantity': 1, 'vendorNote': 'kept'})
    extra.quantity = 3   # a field the spec does not declare stays beside the changed ones
    http_server.respond(200, {})
    api.update_customer_session_v2('s', body(plain[0], extra))
    assert http_server.last_request.json['customerSession']['cartItems'][1] == {
        'sku': 'C', 'quantity': 3, 'vendorNote': 'kept'}


@pytest.mark.parametrize('make', [talon_one.CartItem,
                                  lambda **kw: talon_one.CartItem.from_wire(kw)],
                         ids=['built', 'parsed'])
def test_a_bad_nested_item_is_named_by_its_path_and_nothing_is_sent(http_server, api, make):
    unchecked = talon_one.Configuration()
    unchecked.client_side_validation = False   # built unchecked, still checked when sent
    items = [make(sku='A', quantity=1), make(sku='B', quantity=1),
             talon_one.CartItem(sku='C', quantity=0, local_vars_configuration=unchecked)]
    request = talon_one.IntegrationRequest(
        customer_session=talon_one.NewCustomerSessionV2(profile_id='p', cart_items=items))
    with pytest.raises(talon_one.ApiValueError,
                       match=r'customer_session\.cart_items\[2\]\.quantity: must be >= 1, got 0'):
        api.update_customer_session_v2('s', request)
    assert http_server.requests == []


def test_raw_dict_body_is_sent_as_given(http_server, api):
    http_server.respond(201, {'id': 1, 'name': 'n'})
    api.create_audience_v2({'name': 'n', 'integrationId': None, 'sandbox': False})
    assert http_server.last_request.json == {'name': 'n', 'integrationId': None,
                                             'sandbox': False}


# -- lenient responses ----------------------------------------------------------------------

def test_unknown_response_fields_are_kept_and_round_trip(http_server, api):
    reply = {
        'customerSession': {
            'id': 2, 'created': '2023-05-02T09:15:00+00:00', 'integrationId': '175KJPS947296',
            'state': 'open',
            'cartItems': [{'sku': 'SKU1', 'quantity': 1, 'giftWrap': {'paper': 'red'}}],
            'loyaltyTier': 'gold',
        },
        'effects': [],
        'futureTopLevel': {'rollout': [1, 2]},
    }
    http_server.respond(200, reply)
    result = api.get_customer_session('175KJPS947296')

    assert dict(result.extra_fields) == {'futureTopLevel': {'rollout': [1, 2]}}
    assert result.futureTopLevel == {'rollout': [1, 2]}
    assert result.future_top_level == {'rollout': [1, 2]}
    assert result.customer_session.extra_fields['loyaltyTier'] == 'gold'
    assert result.customer_session.loyalty_tier == 'gold'
    assert result.customer_session.cart_items[0].gift_wrap == {'paper': 'red'}
    with pytest.raises(AttributeError):
        _ = result.no_such_field
    # extra_fields is read-only.
    with pytest.raises(TypeError):
        result.extra_fields['x'] = 1

    # The wire form is exactly what came in (dates were already in the output format).
    assert result.to_wire() == reply


def test_unknown_fields_go_back_out_on_the_wire(http_server, api):
    http_server.respond(200, {'id': 748, 'name': 'Old', 'segmentSource': 'crm'})
    audience = api.update_audience_v2(748, talon_one.UpdateAudience(name='Old'))
    update = talon_one.UpdateAudience.from_wire(audience.to_wire())
    update.name = 'New'
    http_server.respond(200, {'id': 748, 'name': 'New'})
    api.update_audience_v2(748, update)
    assert http_server.last_request.json == {'id': 748, 'name': 'New', 'segmentSource': 'crm'}


def test_unknown_enum_values_and_odd_data_do_not_raise(http_server, api):
    reply = {
        'customerSession': {'integrationId': 'S1', 'state': 'suspended',
                            'cartItems': [{'sku': '', 'quantity': 0}],
                            'created': 'not a date', 'total': 'n/a'},
        'triggeredCampaigns': [{'id': 10, 'state': 'paused', 'features': ['teleport']}],
        'event': {'meta': {'couponRejectionReason': {'reason': 'MoonPhaseWrong'}}},
        'effects': None,
        'createdCoupons': [],
    }
    http_server.respond(200, reply)
    state = api.update_customer_session_v2(
        'S1', talon_one.IntegrationRequest(
            customer_session=talon_one.NewCustomerSessionV2(profile_id='P1')))
    session = state.customer_session
    assert session.state == 'suspended'
    assert session.cart_items[0].quantity == 0       # below the spec minimum, kept
    assert session.created == 'not a date'           # unparsable date-time kept as text
    assert session.total == 'n/a'                     # unexpected JSON type kept
    assert session.id is None                         # missing required field
    assert state.effects == []                        # null required list: empty
    assert state.triggered_campaigns[0].state == 'paused'
    assert state.triggered_campaigns[0].features == ['teleport']
    assert state.event.meta.coupon_rejection_reason.reason == 'MoonPhaseWrong'


def test_date_time_responses_are_timezone_aware(http_server, api):
    http_server.respond(201, {
        'id': 1, 'name': 'a', 'created': '2022-04-26T11:02:38Z',
        'lastUpdate': '2022-04-26T11:02:38.123+05:30'})
    audience = api.create_audience_v2(talon_one.NewAudience(name='a'))
    assert audience.created == datetime.datetime(2022, 4, 26, 11, 2, 38, tzinfo=UTC)
    assert audience.created.utcoffset() == datetime.timedelta(0)
    assert audience.last_update.utcoffset() == datetime.timedelta(hours=5, minutes=30)
    assert audience.last_update.microsecond == 123000


# -- per-call options ----------------------------------------------------------------------------

@pytest.mark.parametrize('timeout', [5, 2.5, (3, 7), (3.0, 7.5)])
def test_request_timeout_accepts_number_and_tuple(http_server, api, timeout):
    http_server.respond(200, {'effects': []}, times=2)
    result = api.reopen_customer_session('CLOSED-SESSION-1', _request_timeout=timeout)
    assert isinstance(result, talon_one.ReopenSessionResponse)
    data, status, _ = api.reopen_customer_session_with_http_info(
        'CLOSED-SESSION-1', _request_timeout=timeout)
    assert status == 200 and isinstance(data, talon_one.ReopenSessionResponse)
    assert len(http_server.requests) == 2


def test_request_timeout_applies_to_the_read(http_server, make_api_client):
    api = talon_one.IntegrationApi(make_api_client(max_retries=0))
    http_server.hang()
    with pytest.raises(talon_one.ApiTimeoutError) as caught:
        api.get_customer_session('175KJPS947296', _request_timeout=(5, 0.2))
    assert isinstance(caught.value, ApiException)


def test_async_req_returns_a_result_with_get(http_server, api):
    http_server.respond(200, {'customerSession': {'integrationId': '175KJPS947296'}})
    pending = api.get_customer_session('175KJPS947296', async_req=True)
    assert hasattr(pending, 'get')
    result = pending.get(timeout=10)
    assert isinstance(result, talon_one.IntegrationCustomerSessionResponse)
    assert result.customer_session.integration_id == '175KJPS947296'

    http_server.respond(201, {'id': 748, 'name': 'Travel audience'},
                        headers={'X-Request-Id': 'async-1'})
    pending = api.create_audience_v2_with_http_info(
        talon_one.NewAudience(name='Travel audience'), async_req=True)
    data, status, headers = pending.get(timeout=10)
    assert isinstance(data, talon_one.Audience) and data.id == 748
    assert status == 201 and headers['X-Request-Id'] == 'async-1'
    assert http_server.last_request.json == {'name': 'Travel audience'}


def test_async_req_error_is_raised_by_get(http_server, api):
    http_server.respond(404, {'message': 'session not found', 'StatusCode': 404})
    pending = api.get_customer_session('missing', async_req=True)
    with pytest.raises(ApiException) as caught:
        pending.get(timeout=10)
    assert caught.value.status == 404


# -- deprecation ---------------------------------------------------------------------------------

DEPRECATED_CALLS = {
    'get_reserved_coupons': lambda api: api.get_reserved_coupons('URNGV8294NV'),
    'track_event': lambda api: api.track_event(talon_one.NewEvent(
        type='pageViewed', attributes={}, session_id='175KJPS947296')),
    'update_customer_profile': lambda api: api.update_customer_profile(
        'URNGV8294NV', talon_one.NewCustomerProfile(attributes={'Age': 32})),
    'update_customer_session': lambda api: api.update_customer_session(
        '175KJPS947296', talon_one.NewCustomerSession(profile_id='URNGV8294NV')),
}


@pytest.mark.parametrize('name', sorted(DEPRECATED_CALLS))
def test_deprecated_operations_warn(http_server, api, name):
    http_server.respond(200, {})
    with pytest.warns(DeprecationWarning, match=name):
        DEPRECATED_CALLS[name](api)
    assert len(http_server.requests) == 1  # the call still goes out


def test_current_operations_do_not_warn(http_server, api):
    http_server.respond(200, {})
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        api.get_customer_session('175KJPS947296')


# -- integration_auth -------------------------------------------------------------------------

# Every operation with minimal valid arguments: (name, args factory, keywords, reply status).
# V1_CALLS: the /v1/ routes (integration_auth: signed); V2_CALLS: the /v2/ and /v3/ routes
# (api_key_v1 only: never signed).
V1_CALLS = [
    ('activate_loyalty_points', lambda: (125, talon_one.ActivateLoyaltyPoints(
        session_id='175KJPS947296')), {}, 200),
    ('best_prior_price', lambda: (talon_one.BestPriorPriceRequest(
        skus=['SKU1241028'], timeframe_end_date=datetime.datetime(2023, 5, 1, tzinfo=UTC),
        timeframe='30', timeframe_end_date_type='strict'),), {}, 200),
    ('create_coupon_reservation', lambda: ('XMAS-20-2021', talon_one.CouponReservations(
        integration_i_ds=['URNGV8294NV'])), {}, 201),
    ('create_referral', lambda: (talon_one.NewReferral(
        campaign_id=45, advocate_profile_integration_id='URNGV8294NV'),), {}, 201),
    ('create_referrals_for_multiple_advocates', lambda: (
        talon_one.NewReferralsForMultipleAdvocates(
            usage_limit=1, campaign_id=45, advocate_profile_integration_ids=['URNGV8294NV']),),
     {}, 204),
    ('delete_coupon_reservation', lambda: ('XMAS-20-2021', talon_one.CouponReservations(
        integration_i_ds=['URNGV8294NV'])), {}, 204),
    ('delete_customer_data', lambda: ('URNGV8294NV',), {}, 204),
    ('delete_loyalty_transactions_from_ledgers', lambda: (
        125, 'URNGV8294NV', talon_one.DeleteLoyaltyTransactionsRequest(scope='AllSubledgers')),
     {}, 204),
    ('generate_loyalty_card', lambda: (324, talon_one.GenerateLoyaltyCard(
        customer_profile_ids=['URNGV8294NV'])), {}, 200),
    ('get_customer_achievement_history', lambda: ('URNGV8294NV', 3), {}, 200),
    ('get_customer_achievements', lambda: ('URNGV8294NV',), {'campaign_ids': ['10', '12']},
     200),
    ('get_customer_inventory', lambda: ('URNGV8294NV',), {'profile': True}, 200),
    ('get_loyalty_balances', lambda: (125, 'URNGV8294NV'), {}, 200),
    ('get_loyalty_card_balances', lambda: (324, 'summer-loyalty-card-0543'), {}, 200),
    ('get_loyalty_card_points', lambda: (324, 'summer-loyalty-card-0543'),
     {'subledger_id': ['sub-123', 'sub-456']}, 200),
    ('get_loyalty_card_transactions', lambda: (324, 'summer-loyalty-card-0543'), {}, 200),
    ('get_loyalty_program_profile_points', lambda: (125, 'URNGV8294NV'), {}, 200),
    ('get_loyalty_program_profile_transactions', lambda: (125, 'URNGV8294NV'), {}, 200),
    ('get_reserved_coupons', lambda: ('URNGV8294NV',), {}, 200),
    ('get_reserved_customers', lambda: ('XMAS-20-2021',), {}, 200),
    ('integration_get_all_campaigns', lambda: (), {}, 200),
    ('join_loyalty_program', lambda: (125, 'URNGV8294NV'), {}, 200),
    ('sync_catalog', lambda: (6, talon_one.CatalogSyncRequest(actions=[
        talon_one.CatalogAction(type='ADD', payload={'sku': 'SKU1'})])), {}, 200),
    ('track_event', lambda: (talon_one.NewEvent(
        type='pageViewed', attributes={}, session_id='175KJPS947296'),), {}, 201),
    ('update_customer_profile', lambda: ('URNGV8294NV', talon_one.NewCustomerProfile(
        attributes={'Age': 32})), {}, 200),
    ('update_customer_session', lambda: ('175KJPS947296', talon_one.NewCustomerSession(
        profile_id='URNGV8294NV')), {}, 200),
]

V2_CALLS = [
    ('create_audience_v2', lambda: (talon_one.NewAudience(name='Travel audience'),), {}, 201),
    ('delete_audience_memberships_v2', lambda: (748,), {}, 204),
    ('delete_audience_v2', lambda: (748,), {}, 204),
    ('get_customer_session', lambda: ('175KJPS947296',), {}, 200),
    ('get_event_v3', lambda: ('evt-2023-0001',), {}, 200),
    ('link_loyalty_card_to_profile', lambda: (
        324, 'summer-loyalty-card-0543',
        talon_one.LoyaltyCardRegistration(integration_id='URNGV8294NV')), {}, 200),
    ('reopen_customer_session', lambda: ('CLOSED-SESSION-1',), {}, 200),
    ('return_cart_items', lambda: ('CLOSED-SESSION-1', talon_one.ReturnIntegrationRequest(
        _return=talon_one.NewReturn(returned_cart_items=[
            talon_one.ReturnedCartItem(position=0)]))), {}, 200),
    ('track_event_v2', lambda: (talon_one.IntegrationEventV2Request(type='pageViewed'),),
     {'dry': True}, 200),
    ('track_event_v3', lambda: (talon_one.IntegrationEventV3Request(
        profile_id='URNGV8294NV', integration_id='evt-2023-0001', type='purchase'),),
     {'silent': 'no'}, 200),
    ('unlink_loyalty_card_from_profile', lambda: (
        324, 'summer-loyalty-card-0543',
        talon_one.LoyaltyCardRegistration(integration_id='URNGV8294NV')), {}, 200),
    ('update_audience_customers_attributes', lambda: (748, {'tier': 'gold'}), {}, 204),
    ('update_audience_v2', lambda: (748, talon_one.UpdateAudience(name='Travellers')), {}, 200),
    ('update_customer_profile_audiences', lambda: (talon_one.CustomerProfileAudienceRequest(
        data=[talon_one.CustomerProfileAudienceRequestItem(
            action='add', profile_integration_id='URNGV8294NV', audience_id=748)]),), {}, 204),
    ('update_customer_profile_v2', lambda: (
        'URNGV8294NV', talon_one.CustomerProfileIntegrationRequestV2(attributes={'Age': 32})),
     {}, 200),
    ('update_customer_profiles_v2', lambda: (
        talon_one.MultipleCustomerProfileIntegrationRequest(customer_profiles=[
            talon_one.MultipleCustomerProfileIntegrationRequestItem(
                integration_id='URNGV8294NV')]),), {}, 200),
    ('update_customer_session_v2', lambda: ('175KJPS947296', talon_one.IntegrationRequest(
        customer_session=talon_one.NewCustomerSessionV2(profile_id='URNGV8294NV'))), {}, 200),
]


def _send(http_server, api, call):
    name, make_args, kwargs, status = call
    if status == 204:
        http_server.respond(204)
    else:
        http_server.respond(status, {})
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        getattr(api, name)(*make_args(), **kwargs)
    return http_server.last_request


def test_the_call_tables_cover_all_operations():
    names = sorted(call[0] for call in V1_CALLS + V2_CALLS)
    assert len(names) == 43 == len(set(names))
    assert len(V1_CALLS) == 26 and len(V2_CALLS) == 17  # the route tests check the prefixes
    public = sorted(name for name in vars(talon_one.IntegrationApi)
                    if not name.startswith('_') and not name.endswith('_with_http_info'))
    assert names == public


@pytest.mark.parametrize('call', V1_CALLS, ids=[call[0] for call in V1_CALLS])
def test_v1_routes_sign_the_exact_body_bytes(http_server, signing_api, call):
    request = _send(http_server, signing_api, call)
    assert request.path.startswith('/v1/')
    assert request.header('Content-Signature') == expected_signature(request.body)
    assert request.header('Authorization') == 'ApiKey-v1 ' + TEST_API_KEY


def test_signature_covers_non_ascii_bodies(http_server, signing_api):
    http_server.respond(200, {})
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        signing_api.update_customer_profile(
            'café-1', talon_one.NewCustomerProfile(attributes={'City': 'Zürich', 'Sum': 1.5}))
    request = http_server.last_request
    assert request.path == '/v1/customer_profiles/caf%C3%A9-1'
    assert request.json == {'attributes': {'City': 'Zürich', 'Sum': 1.5}}
    assert request.header('Content-Signature') == expected_signature(request.body)


def test_signature_of_a_request_without_body(http_server, signing_api):
    http_server.respond(200, {})
    signing_api.get_reserved_customers('XMAS-20-2021')
    request = http_server.last_request
    assert request.body == b''
    # HMAC-MD5 of the empty byte string under the test key, computed by hand above.
    assert request.header('Content-Signature') == expected_signature(b'')


def test_signature_changes_with_the_body(http_server, signing_api):
    signatures = set()
    for integration_id in ('URNGV8294NV', 'BZGGC2454PA'):
        http_server.respond(201, {})
        signing_api.create_coupon_reservation('XMAS-20-2021', talon_one.CouponReservations(
            integration_i_ds=[integration_id]))
        signatures.add(http_server.last_request.header('Content-Signature'))
    assert len(signatures) == 2


@pytest.mark.parametrize('call', V2_CALLS, ids=[call[0] for call in V2_CALLS])
def test_v2_and_v3_routes_never_send_content_signature(http_server, make_api_client, call):
    computed = talon_one.IntegrationApi(make_api_client(
        application_id=TEST_APPLICATION_ID, application_key=TEST_APPLICATION_KEY))
    request = _send(http_server, computed, call)
    assert request.path.startswith(('/v2/', '/v3/'))
    assert request.header('Content-Signature') is None
    assert request.header('Authorization') == 'ApiKey-v1 ' + TEST_API_KEY

    by_hand = talon_one.IntegrationApi(make_api_client(
        api_key={'Authorization': TEST_API_KEY, 'Content-Signature': 'signer=1; signature=ab'}))
    request = _send(http_server, by_hand, call)
    assert request.header('Content-Signature') is None


def test_hand_made_content_signature_is_sent_on_v1_routes(http_server, make_api_client):
    api = talon_one.IntegrationApi(make_api_client(
        api_key={'Content-Signature': 'signer=17; signature=00ff'}))
    http_server.respond(204)
    api.delete_customer_data('URNGV8294NV')
    request = http_server.last_request
    assert request.header('Content-Signature') == 'signer=17; signature=00ff'
    assert request.header('Authorization') is None
