"""Call shapes of the official SDK's usage examples (4.0.0 and the v1 calls of 2.3.0).

Each test is the shape of one documented example written out as code: imports, the
configuration style, the client/API construction, placeholder models built empty and
then given real field values, and the method call with the documented positional and
keyword arguments. Against a recording server on 127.0.0.1 each must send the
request the spec defines and return the documented type.
"""

from __future__ import print_function  # the examples start with it; harmless on Python 3

import contextlib
import datetime

import pytest

import talon_one
from talon_one.rest import ApiException

SEED_DATE_TIME = '2013-10-20T19:20:30+01:00'  # how the examples pass date-time parameters


@pytest.fixture(autouse=True)
def _no_environment_defaults(monkeypatch):
    # Configuration() may read these; the examples assume a clean environment.
    monkeypatch.delenv('TALON_ONE_HOST', raising=False)
    monkeypatch.delenv('TALON_ONE_API_KEY', raising=False)


@contextlib.contextmanager
def v4_api(host):
    """The 4.0.0 example set-up, pointed at the test server."""
    configuration = talon_one.Configuration(
        host=host,
        api_key={
            'Authorization': 'YOUR_API_KEY'
        }
    )
    with talon_one.ApiClient(configuration) as api_client:
        api_instance = talon_one.IntegrationApi(api_client)
        yield api_instance


@pytest.fixture
def v2_api(http_server):
    """The 2.3.0 example set-up: two Configuration() blocks, the second one wins."""
    instances = []

    def make():
        configuration = talon_one.Configuration()
        configuration.api_key['Authorization'] = 'YOUR_API_KEY'
        configuration = talon_one.Configuration()
        configuration.api_key['Content-Signature'] = 'YOUR_API_KEY'
        configuration.host = http_server.url  # the examples' host is https://localhost

        api_instance = talon_one.IntegrationApi(talon_one.ApiClient(configuration))
        instances.append(api_instance)
        return api_instance

    yield make
    for api_instance in instances:
        api_instance.api_client.close()


# 2026 answers these operations with a response class of its own; it extends the one the
# seeds document (generator/compat.py, REPLACED_RESPONSES), so their code keeps working.
LATER_RESPONSES = {
    'IntegrationStateV2': ('IntegrationEventV2Response', 'CustomerProfileIntegrationResponseV2'),
    'LoyaltyBalances': ('LoyaltyBalancesWithTiers', 'LoyaltyCardBalances'),
    'LoyaltyBalance': ('LoyaltyBalanceWithTier',),
}


def assert_returns(api_response, type_name):
    """The documented return type, by name and as the public class (or its 2026 subclass)."""
    assert type(api_response).__name__ in (type_name,) + LATER_RESPONSES.get(type_name, ())
    assert isinstance(api_response, getattr(talon_one, type_name))


def assert_sent(http_server, method, path, query=None):
    request = http_server.last_request
    assert (request.method, request.path) == (method, path)
    assert request.query == {name: [value] for name, value in (query or {}).items()}
    return request


def assert_v2_auth(request):
    """2.3.0 style credentials: the hand-set Content-Signature, sent as given."""
    assert request.header('Content-Signature') == 'YOUR_API_KEY'
    assert request.header('Authorization') is None


# -- configuration styles -------------------------------------------------------------------

def test_v4_configuration_styles(http_server):
    configuration = talon_one.Configuration(
        host="https://yourbaseurl.talon.one"
    )
    assert configuration.host == 'https://yourbaseurl.talon.one'
    assert talon_one.Configuration().host == 'https://yourbaseurl.talon.one'

    http_server.respond(204)
    with v4_api(http_server.url) as api_instance:
        api_instance.delete_audience_v2(56)
    request = http_server.last_request
    assert request.header('Authorization') == 'ApiKey-v1 YOUR_API_KEY'


@pytest.mark.parametrize('prefix, header', [
    ('ApiKey-v1', 'ApiKey-v1 YOUR_API_KEY'),
    ('Bearer', 'Bearer YOUR_API_KEY'),  # the commented-out line of the examples, if used
])
def test_v4_api_key_prefix(http_server, prefix, header):
    configuration = talon_one.Configuration(
        host=http_server.url,
        api_key={
            'Authorization': 'YOUR_API_KEY'
        }
    )
    configuration.api_key_prefix['Authorization'] = prefix
    http_server.respond(204)
    with talon_one.ApiClient(configuration) as api_client:
        api_instance = talon_one.IntegrationApi(api_client)
        api_instance.delete_audience_v2(56)
    assert http_server.last_request.header('Authorization') == header


def test_v2_configuration_style(http_server):
    configuration = talon_one.Configuration()
    configuration.api_key['Authorization'] = 'YOUR_API_KEY'
    first = configuration
    configuration = talon_one.Configuration()
    configuration.api_key['Content-Signature'] = 'YOUR_API_KEY'
    # Each Configuration() has its own api_key dict.
    assert first.api_key == {'Authorization': 'YOUR_API_KEY'}
    assert configuration.api_key == {'Content-Signature': 'YOUR_API_KEY'}

    # Both schemes configured on one object (the examples' blocks merged).
    configuration = talon_one.Configuration()
    configuration.host = http_server.url
    configuration.api_key['Authorization'] = 'YOUR_API_KEY'
    configuration.api_key['Content-Signature'] = 'YOUR_SIGNATURE'
    configuration.api_key_prefix['Content-Signature'] = 'Bearer'
    api_instance = talon_one.IntegrationApi(talon_one.ApiClient(configuration))
    try:
        http_server.respond(204)
        api_instance.delete_customer_data('URNGV8294NV')
    finally:
        api_instance.api_client.close()
    request = http_server.last_request
    assert request.header('Authorization') == 'ApiKey-v1 YOUR_API_KEY'
    assert request.header('Content-Signature') == 'Bearer YOUR_SIGNATURE'


def test_placeholder_model_sent_unchanged_fails_before_any_request(http_server):
    with v4_api(http_server.url) as api_instance:
        body = talon_one.NewAudience()  # built empty, as in the examples
        with pytest.raises(talon_one.ApiValueError, match=r'NewAudience\.name'):
            api_instance.create_audience_v2(body)
    assert http_server.requests == []


@pytest.mark.parametrize('status', [400, 401, 404, 409, 500])
def test_v4_api_exception_is_caught(http_server, status):
    http_server.respond(status, {'message': 'Something went wrong', 'errors': [],
                                 'StatusCode': status})
    caught = None
    with v4_api(http_server.url) as api_instance:
        customer_session_id = '175KJPS947296'
        try:
            api_response = api_instance.get_customer_session(customer_session_id)
            print(api_response)
        except ApiException as e:
            print("Exception when calling IntegrationApi->get_customer_session: %s\n" % e)
            caught = e
    assert caught is not None
    assert caught.status == status
    assert ('%s' % caught).startswith('(%d)' % status)
    assert 'YOUR_API_KEY' not in '%s %r' % (caught, caught)


def test_v2_api_exception_is_caught(http_server, v2_api):
    http_server.respond(404, {'message': 'Coupon not found'})
    api_instance = v2_api()
    caught = None
    coupon_value = 'XMAS-20-2021'
    try:
        api_response = api_instance.get_reserved_customers(coupon_value)
        print(api_response)
    except ApiException as e:
        print("Exception when calling IntegrationApi->get_reserved_customers: %s\n" % e)
        caught = e
    assert caught is not None and caught.status == 404


# -- 4.0.0: audiences --------------------------------------------------------------------------

def test_v4_create_audience_v2(http_server):
    http_server.respond(201, {'accountId': 31, 'id': 748, 'created': '2022-04-26T11:02:38Z',
                              'name': 'Travel audience'})
    with v4_api(http_server.url) as api_instance:
        body = talon_one.NewAudience()
        body.name = 'Travel audience'
        body.integration = 'mparticle'
        body.integration_id = '382370BKDB946'

        api_response = api_instance.create_audience_v2(body)
    assert_returns(api_response, 'Audience')
    assert api_response.id == 748
    request = assert_sent(http_server, 'POST', '/v2/audiences')
    assert request.json == {'name': 'Travel audience', 'integration': 'mparticle',
                            'integrationId': '382370BKDB946'}


def test_v4_update_audience_v2(http_server):
    http_server.respond(200, {'id': 748, 'name': 'Frequent travellers'})
    with v4_api(http_server.url) as api_instance:
        audience_id = 56
        body = talon_one.UpdateAudience()
        body.name = 'Frequent travellers'

        api_response = api_instance.update_audience_v2(audience_id, body)
    assert_returns(api_response, 'Audience')
    assert api_response.name == 'Frequent travellers'
    assert assert_sent(http_server, 'PUT', '/v2/audiences/56').json == {
        'name': 'Frequent travellers'}


def test_v4_delete_audience_v2(http_server):
    http_server.respond(204)
    with v4_api(http_server.url) as api_instance:
        audience_id = 56

        result = api_instance.delete_audience_v2(audience_id)
    assert result is None
    assert_sent(http_server, 'DELETE', '/v2/audiences/56')


def test_v4_delete_audience_memberships_v2(http_server):
    http_server.respond(204)
    with v4_api(http_server.url) as api_instance:
        audience_id = 56

        result = api_instance.delete_audience_memberships_v2(audience_id)
    assert result is None
    assert_sent(http_server, 'DELETE', '/v2/audiences/56/memberships')


def test_v4_update_audience_customers_attributes(http_server):
    http_server.respond(204)
    with v4_api(http_server.url) as api_instance:
        audience_id = 56
        body = {'loyaltyTier': 'gold'}  # the example's `None` placeholder, given a value

        result = api_instance.update_audience_customers_attributes(audience_id, body)
    assert result is None
    assert assert_sent(http_server, 'PUT', '/v2/audience_customers/56/attributes').json == {
        'loyaltyTier': 'gold'}


def test_v4_update_customer_profile_audiences(http_server):
    http_server.respond(204)
    with v4_api(http_server.url) as api_instance:
        body = talon_one.CustomerProfileAudienceRequest()
        item = talon_one.CustomerProfileAudienceRequestItem()
        item.action = 'add'
        item.profile_integration_id = 'URNGV8294NV'
        item.audience_id = 748
        body.data = [item]

        result = api_instance.update_customer_profile_audiences(body)
    assert result is None
    assert assert_sent(http_server, 'POST', '/v2/customer_audiences').json == {'data': [
        {'action': 'add', 'profileIntegrationId': 'URNGV8294NV', 'audienceId': 748}]}


# -- 4.0.0: coupons and referrals ----------------------------------------------------------------

COUPON = {'id': 4928, 'created': '2021-11-20T10:00:00Z', 'campaignId': 10,
          'value': 'XMAS-20-2021', 'usageLimit': 100, 'usageCounter': 1}
REFERRAL = {'id': 9, 'created': '2023-05-02T09:00:00Z', 'usageLimit': 1, 'campaignId': 45,
            'advocateProfileIntegrationId': 'URNGV8294NV', 'code': 'NT2K54D9',
            'usageCounter': 0}
PROFILE = {'id': 6, 'created': '2020-02-07T08:15:22Z', 'integrationId': 'URNGV8294NV',
           'attributes': {}, 'accountId': 31, 'closedSessions': 0, 'totalSales': 0.0,
           'lastActivity': '2023-05-01T10:30:00Z'}


def test_v4_create_coupon_reservation(http_server):
    http_server.respond(201, COUPON)
    with v4_api(http_server.url) as api_instance:
        coupon_value = 'XMAS-20-2021'
        body = talon_one.CouponReservations()
        body.integration_i_ds = ['URNGV8294NV']

        api_response = api_instance.create_coupon_reservation(coupon_value, body)
    assert_returns(api_response, 'Coupon')
    assert api_response.value == 'XMAS-20-2021'
    assert assert_sent(http_server, 'POST', '/v1/coupon_reservations/XMAS-20-2021').json == {
        'integrationIDs': ['URNGV8294NV']}


def test_v4_delete_coupon_reservation(http_server):
    http_server.respond(204)
    with v4_api(http_server.url) as api_instance:
        coupon_value = 'XMAS-20-2021'
        body = talon_one.CouponReservations()
        body.integration_i_ds = ['URNGV8294NV']

        result = api_instance.delete_coupon_reservation(coupon_value, body)
    assert result is None
    assert assert_sent(http_server, 'DELETE', '/v1/coupon_reservations/XMAS-20-2021').json == {
        'integrationIDs': ['URNGV8294NV']}


def test_v4_get_reserved_customers(http_server):
    http_server.respond(200, {'totalResultSize': 1, 'data': [PROFILE]})
    with v4_api(http_server.url) as api_instance:
        coupon_value = 'XMAS-20-2021'

        api_response = api_instance.get_reserved_customers(coupon_value)
    assert_returns(api_response, 'InlineResponse200')
    assert_returns(api_response.data[0], 'CustomerProfile')
    assert_sent(http_server, 'GET', '/v1/coupon_reservations/customerprofiles/XMAS-20-2021')


def test_v4_create_referral(http_server):
    http_server.respond(201, REFERRAL)
    with v4_api(http_server.url) as api_instance:
        body = talon_one.NewReferral()
        body.campaign_id = 45
        body.advocate_profile_integration_id = 'URNGV8294NV'

        api_response = api_instance.create_referral(body)
    assert_returns(api_response, 'Referral')
    assert api_response.code == 'NT2K54D9'
    assert assert_sent(http_server, 'POST', '/v1/referrals').json == {
        'campaignId': 45, 'advocateProfileIntegrationId': 'URNGV8294NV'}


def test_v4_create_referrals_for_multiple_advocates(http_server):
    http_server.respond(201, {'totalResultSize': 1, 'data': [REFERRAL]})
    http_server.respond(204)
    with v4_api(http_server.url) as api_instance:
        body = talon_one.NewReferralsForMultipleAdvocates()
        body.usage_limit = 1
        body.campaign_id = 45
        body.advocate_profile_integration_ids = ['URNGV8294NV']
        silent = 'yes'

        api_response = api_instance.create_referrals_for_multiple_advocates(body, silent=silent)
        assert_returns(api_response, 'InlineResponse201')
        assert_returns(api_response.data[0], 'Referral')
        assert_sent(http_server, 'POST', '/v1/referrals_for_multiple_advocates',
                    {'silent': 'yes'})

        # What the server really answers to silent=yes: 204, no body.
        assert api_instance.create_referrals_for_multiple_advocates(body, silent=silent) is None


# -- 4.0.0: customer data and sessions ----------------------------------------------------------

SESSION_V2 = {'id': 2, 'created': '2023-05-02T09:15:00Z', 'integrationId': '175KJPS947296',
              'applicationId': 322, 'profileId': 'URNGV8294NV', 'state': 'open',
              'cartItems': [{'sku': 'SKU1241028', 'quantity': 1, 'price': 99.99}],
              'attributes': {}, 'firstSession': True, 'total': 99.99, 'cartItemTotal': 99.99,
              'additionalCostTotal': 0.0, 'updated': '2023-05-02T09:20:00Z'}
STATE_V2 = {'customerSession': SESSION_V2, 'customerProfile': PROFILE,
            'effects': [{'campaignId': 10, 'rulesetId': 73, 'ruleIndex': 0, 'ruleName': 'r',
                         'effectType': 'setDiscount', 'props': {'name': 'r', 'value': 9.99}}],
            'createdCoupons': [], 'createdReferrals': []}


def test_v4_delete_customer_data(http_server):
    http_server.respond(204)
    with v4_api(http_server.url) as api_instance:
        integration_id = 'URNGV8294NV'

        result = api_instance.delete_customer_data(integration_id)
    assert result is None
    assert_sent(http_server, 'DELETE', '/v1/customer_data/URNGV8294NV')


def test_v4_get_customer_inventory(http_server):
    http_server.respond(200, {'profile': PROFILE, 'coupons': [], 'referrals': []})
    with v4_api(http_server.url) as api_instance:
        integration_id = 'URNGV8294NV'
        profile = True
        referrals = True
        coupons = True
        loyalty = True
        giveaways = True

        api_response = api_instance.get_customer_inventory(
            integration_id, profile=profile, referrals=referrals, coupons=coupons,
            loyalty=loyalty, giveaways=giveaways)
    assert_returns(api_response, 'CustomerInventory')
    assert_returns(api_response.profile, 'CustomerProfile')
    assert_sent(http_server, 'GET', '/v1/customer_profiles/URNGV8294NV/inventory', {
        'profile': 'true', 'referrals': 'true', 'coupons': 'true', 'loyalty': 'true',
        'giveaways': 'true'})


def test_v4_update_customer_profile_v2(http_server):
    http_server.respond(200, STATE_V2)
    with v4_api(http_server.url) as api_instance:
        integration_id = 'URNGV8294NV'
        body = talon_one.CustomerProfileIntegrationRequestV2()
        body.attributes = {'Language': 'english'}
        run_rule_engine = False
        dry = True

        api_response = api_instance.update_customer_profile_v2(
            integration_id, body, run_rule_engine=run_rule_engine, dry=dry)
    assert_returns(api_response, 'IntegrationStateV2')
    assert api_response.customer_profile.integration_id == 'URNGV8294NV'
    request = assert_sent(http_server, 'PUT', '/v2/customer_profiles/URNGV8294NV',
                          {'runRuleEngine': 'false', 'dry': 'true'})
    assert request.json == {'attributes': {'Language': 'english'}}


def test_v4_update_customer_profiles_v2(http_server):
    http_server.respond(200, {'integrationStates': [{'customerProfile': PROFILE}]})
    with v4_api(http_server.url) as api_instance:
        body = talon_one.MultipleCustomerProfileIntegrationRequest()
        item = talon_one.MultipleCustomerProfileIntegrationRequestItem()
        item.integration_id = 'URNGV8294NV'
        body.customer_profiles = [item]
        silent = 'yes'

        api_response = api_instance.update_customer_profiles_v2(body, silent=silent)
    assert_returns(api_response, 'MultipleCustomerProfileIntegrationResponseV2')
    assert_returns(api_response.integration_states[0], 'CustomerProfileUpdateV2Response')
    request = assert_sent(http_server, 'PUT', '/v2/customer_profiles', {'silent': 'yes'})
    assert request.json == {'customerProfiles': [{'integrationId': 'URNGV8294NV'}]}


def test_v4_get_customer_session(http_server):
    http_server.respond(200, {'customerSession': SESSION_V2, 'effects': []})
    with v4_api(http_server.url) as api_instance:
        customer_session_id = '175KJPS947296'

        api_response = api_instance.get_customer_session(customer_session_id)
    assert_returns(api_response, 'IntegrationCustomerSessionResponse')
    assert api_response.customer_session.cart_items[0].sku == 'SKU1241028'
    assert_sent(http_server, 'GET', '/v2/customer_sessions/175KJPS947296')


def test_v4_update_customer_session_v2(http_server):
    http_server.respond(200, STATE_V2)
    with v4_api(http_server.url) as api_instance:
        customer_session_id = '175KJPS947296'
        body = talon_one.IntegrationRequest()
        body.customer_session = talon_one.NewCustomerSessionV2("URNGV8294NV")  # positional
        body.customer_session.cart_items = [
            talon_one.CartItem(name='Air Glide', sku='SKU1241028', quantity=1, price=99.99)]
        dry = True

        api_response = api_instance.update_customer_session_v2(customer_session_id, body,
                                                               dry=dry)
    assert_returns(api_response, 'IntegrationStateV2')
    assert api_response.customer_session.cart_items[0].price == 99.99
    request = assert_sent(http_server, 'PUT', '/v2/customer_sessions/175KJPS947296',
                          {'dry': 'true'})
    assert request.json == {'customerSession': {
        'profileId': 'URNGV8294NV', 'state': 'open',
        'cartItems': [{'name': 'Air Glide', 'sku': 'SKU1241028', 'quantity': 1,
                       'price': 99.99}]}}


def test_v4_reopen_customer_session(http_server):
    http_server.respond(200, {'effects': []})
    with v4_api(http_server.url) as api_instance:
        customer_session_id = 'CLOSED-SESSION-1'

        api_response = api_instance.reopen_customer_session(customer_session_id)
    assert_returns(api_response, 'ReopenSessionResponse')
    assert api_response.effects == []
    assert_sent(http_server, 'PUT', '/v2/customer_sessions/CLOSED-SESSION-1/reopen')


def test_v4_return_cart_items(http_server):
    http_server.respond(200, STATE_V2)
    with v4_api(http_server.url) as api_instance:
        customer_session_id = 'CLOSED-SESSION-1'
        body = talon_one.ReturnIntegrationRequest()
        body._return = talon_one.NewReturn()
        body._return.returned_cart_items = [talon_one.ReturnedCartItem(position=0, quantity=1)]
        dry = True

        api_response = api_instance.return_cart_items(customer_session_id, body, dry=dry)
    assert_returns(api_response, 'IntegrationStateV2')
    request = assert_sent(http_server, 'POST', '/v2/customer_sessions/CLOSED-SESSION-1/returns',
                          {'dry': 'true'})
    assert request.json == {'return': {'returnedCartItems': [{'position': 0, 'quantity': 1}]}}


# -- 4.0.0: events --------------------------------------------------------------------------

STATE_V1 = {'session': {'integrationId': '175KJPS947296', 'profileId': 'URNGV8294NV',
                        'state': 'open', 'cartItems': [], 'discounts': {}},
            'profile': PROFILE,
            'event': {'id': 356, 'type': 'pageViewed', 'attributes': {}, 'effects': [],
                      'ledgerEntries': []}}


def test_v4_track_event(http_server):
    http_server.respond(201, STATE_V1)
    with v4_api(http_server.url) as api_instance:
        body = talon_one.NewEvent()
        body.type = 'pageViewed'
        body.attributes = {'page': '/checkout'}
        body.session_id = '175KJPS947296'
        dry = True

        with pytest.warns(DeprecationWarning):
            api_response = api_instance.track_event(body, dry=dry)
    assert_returns(api_response, 'IntegrationState')
    assert_returns(api_response.event, 'Event')
    request = assert_sent(http_server, 'POST', '/v1/events', {'dry': 'true'})
    assert request.json == {'type': 'pageViewed', 'attributes': {'page': '/checkout'},
                            'sessionId': '175KJPS947296'}


def test_v4_track_event_v2(http_server):
    http_server.respond(200, STATE_V2)
    with v4_api(http_server.url) as api_instance:
        body = talon_one.IntegrationEventV2Request()
        body.profile_id = 'URNGV8294NV'
        body.type = 'pageViewed'
        silent = 'yes'
        dry = True

        api_response = api_instance.track_event_v2(body, silent=silent, dry=dry)
    assert_returns(api_response, 'IntegrationStateV2')
    assert_returns(api_response.effects[0], 'Effect')
    request = assert_sent(http_server, 'POST', '/v2/events', {'silent': 'yes', 'dry': 'true'})
    assert request.json == {'profileId': 'URNGV8294NV', 'type': 'pageViewed'}


# -- 4.0.0: loyalty ------------------------------------------------------------------------

BALANCES = {'balance': {'activePoints': 100.0, 'pendingPoints': 10.0, 'spentPoints': 0.0,
                        'expiredPoints': 0.0},
            'subledgerBalances': {'sub-123': {'activePoints': 40.0}}}


def test_v4_get_loyalty_balances(http_server):
    http_server.respond(200, BALANCES)
    with v4_api(http_server.url) as api_instance:
        loyalty_program_id = 125
        integration_id = 'URNGV8294NV'
        end_date = '2013-10-20T19:20:30+01:00'

        api_response = api_instance.get_loyalty_balances(loyalty_program_id, integration_id,
                                                         end_date=end_date)
    assert_returns(api_response, 'LoyaltyBalances')
    assert_returns(api_response.subledger_balances['sub-123'], 'LoyaltyBalance')
    assert_sent(http_server, 'GET', '/v1/loyalty_programs/125/profile/URNGV8294NV/balances',
                {'endDate': SEED_DATE_TIME})


def test_v4_get_loyalty_card_balances(http_server):
    http_server.respond(200, BALANCES)
    with v4_api(http_server.url) as api_instance:
        loyalty_program_id = 324
        loyalty_card_id = 'summer-loyalty-card-0543'
        end_date = '2013-10-20T19:20:30+01:00'

        api_response = api_instance.get_loyalty_card_balances(loyalty_program_id,
                                                              loyalty_card_id,
                                                              end_date=end_date)
    assert_returns(api_response, 'LoyaltyBalances')
    assert api_response.balance.active_points == 100.0
    assert_sent(http_server, 'GET',
                '/v1/loyalty_programs/324/cards/summer-loyalty-card-0543/balances',
                {'endDate': SEED_DATE_TIME})


@pytest.mark.parametrize('start_date, end_date, start_text, end_text', [
    ('2013-10-20T19:20:30+01:00', '2013-10-20T19:20:30+01:00', SEED_DATE_TIME, SEED_DATE_TIME),
    (datetime.datetime(2013, 10, 20, 19, 20, 30, tzinfo=datetime.timezone(
        datetime.timedelta(hours=1))), datetime.datetime(2013, 10, 21, 8, 0),
     '2013-10-20T19:20:30+01:00', '2013-10-21T08:00:00+00:00'),
])
def test_v4_get_loyalty_card_transactions(http_server, start_date, end_date, start_text,
                                          end_text):
    http_server.respond(200, {'hasMore': False, 'data': [{
        'created': '2023-05-02T09:20:00Z', 'programId': 324,
        'cardIdentifier': 'summer-loyalty-card-0543', 'type': 'addition', 'name': 'r',
        'startDate': 'immediate', 'expiryDate': 'unlimited', 'subledgerId': 'sub-123',
        'amount': 10.0, 'id': 1}]})
    with v4_api(http_server.url) as api_instance:
        loyalty_program_id = 324
        loyalty_card_id = 'summer-loyalty-card-0543'
        subledger_id = 'sub-123'
        page_size = 1000
        skip = 56

        api_response = api_instance.get_loyalty_card_transactions(
            loyalty_program_id, loyalty_card_id, subledger_id=subledger_id,
            start_date=start_date, end_date=end_date, page_size=page_size, skip=skip)
    assert_returns(api_response, 'InlineResponse2001')
    assert_returns(api_response.data[0], 'CardLedgerTransactionLogEntryIntegrationAPI')
    assert_sent(http_server, 'GET',
                '/v1/loyalty_programs/324/cards/summer-loyalty-card-0543/transactions', {
                    'subledgerId': 'sub-123', 'startDate': start_text, 'endDate': end_text,
                    'pageSize': '1000', 'skip': '56'})


def test_v4_get_loyalty_program_profile_transactions(http_server):
    http_server.respond(200, {'hasMore': True, 'data': [{
        'created': '2023-05-02T09:20:00Z', 'programId': 125, 'type': 'subtraction',
        'name': 'r', 'startDate': 'immediate', 'expiryDate': 'unlimited',
        'subledgerId': 'sub-123', 'amount': 5.0, 'id': 2}]})
    with v4_api(http_server.url) as api_instance:
        loyalty_program_id = 125
        integration_id = 'URNGV8294NV'
        subledger_id = 'sub-123'
        start_date = '2013-10-20T19:20:30+01:00'
        end_date = '2013-10-20T19:20:30+01:00'
        page_size = 50
        skip = 56

        api_response = api_instance.get_loyalty_program_profile_transactions(
            loyalty_program_id, integration_id, subledger_id=subledger_id,
            start_date=start_date, end_date=end_date, page_size=page_size, skip=skip)
    assert_returns(api_response, 'InlineResponse2002')
    assert_returns(api_response.data[0], 'LedgerTransactionLogEntryIntegrationAPI')
    assert api_response.has_more is True
    assert_sent(http_server, 'GET', '/v1/loyalty_programs/125/profile/URNGV8294NV/transactions',
                {'subledgerId': 'sub-123', 'startDate': SEED_DATE_TIME,
                 'endDate': SEED_DATE_TIME, 'pageSize': '50', 'skip': '56'})


def test_v4_link_loyalty_card_to_profile(http_server):
    http_server.respond(200, {'id': 6, 'created': '2022-11-03T08:00:00Z', 'programID': 324,
                              'status': 'active', 'identifier': 'summer-loyalty-card-0543',
                              'usersPerCardLimit': 2,
                              'subledgers': {'sub-123': {'currentBalance': 1.0}}})
    with v4_api(http_server.url) as api_instance:
        loyalty_program_id = 324
        loyalty_card_id = 'summer-loyalty-card-0543'
        body = talon_one.LoyaltyCardRegistration()
        body.integration_id = 'URNGV8294NV'

        api_response = api_instance.link_loyalty_card_to_profile(loyalty_program_id,
                                                                 loyalty_card_id, body)
    assert_returns(api_response, 'LoyaltyCard')
    assert_returns(api_response.subledgers['sub-123'], 'LedgerInfo')
    request = assert_sent(
        http_server, 'POST',
        '/v2/loyalty_programs/324/cards/summer-loyalty-card-0543/link_profile')
    assert request.json == {'integrationId': 'URNGV8294NV'}


# -- 4.0.0: catalogs ------------------------------------------------------------------------

def test_v4_sync_catalog(http_server):
    http_server.respond(200, {'id': 6, 'created': '2020-06-10T09:05:27Z', 'accountId': 31,
                              'modified': '2021-09-12T10:12:42Z', 'name': 'seasonal-sale',
                              'description': '', 'version': 4, 'createdBy': 6})
    with v4_api(http_server.url) as api_instance:
        catalog_id = 6
        body = talon_one.CatalogSyncRequest()
        action = talon_one.CatalogAction()
        action.type = 'ADD'
        action.payload = {'sku': 'SKU1241028', 'price': 99.99}
        body.actions = [action]

        api_response = api_instance.sync_catalog(catalog_id, body)
    assert_returns(api_response, 'Catalog')
    assert api_response.version == 4
    assert assert_sent(http_server, 'PUT', '/v1/catalogs/6/sync').json == {
        'actions': [{'type': 'ADD', 'payload': {'sku': 'SKU1241028', 'price': 99.99}}]}


# -- 2.3.0: the v1 calls --------------------------------------------------------------------

def test_v2_create_coupon_reservation(http_server, v2_api):
    http_server.respond(201, COUPON)
    api_instance = v2_api()
    coupon_value = 'XMAS-20-2021'
    body = talon_one.CouponReservations()
    body.integration_i_ds = ['URNGV8294NV']

    api_response = api_instance.create_coupon_reservation(coupon_value, body)
    assert_returns(api_response, 'Coupon')
    request = assert_sent(http_server, 'POST', '/v1/coupon_reservations/XMAS-20-2021')
    assert request.json == {'integrationIDs': ['URNGV8294NV']}
    assert_v2_auth(request)


def test_v2_create_referral(http_server, v2_api):
    http_server.respond(201, REFERRAL)
    api_instance = v2_api()
    body = talon_one.NewReferral()
    body.campaign_id = 45
    body.advocate_profile_integration_id = 'URNGV8294NV'

    api_response = api_instance.create_referral(body)
    assert_returns(api_response, 'Referral')
    assert_v2_auth(assert_sent(http_server, 'POST', '/v1/referrals'))


def test_v2_delete_coupon_reservation(http_server, v2_api):
    http_server.respond(204)
    api_instance = v2_api()
    coupon_value = 'XMAS-20-2021'
    body = talon_one.CouponReservations()
    body.integration_i_ds = ['URNGV8294NV']

    assert api_instance.delete_coupon_reservation(coupon_value, body) is None
    assert_v2_auth(assert_sent(http_server, 'DELETE', '/v1/coupon_reservations/XMAS-20-2021'))


def test_v2_delete_customer_data(http_server, v2_api):
    http_server.respond(204)
    api_instance = v2_api()
    integration_id = 'URNGV8294NV'

    assert api_instance.delete_customer_data(integration_id) is None
    assert_v2_auth(assert_sent(http_server, 'DELETE', '/v1/customer_data/URNGV8294NV'))


def test_v2_get_customer_inventory(http_server, v2_api):
    http_server.respond(200, {'profile': PROFILE, 'referrals': [dict(REFERRAL,
                                                                    referredCustomers=[])]})
    api_instance = v2_api()
    integration_id = 'URNGV8294NV'
    profile = True     # the example's NULL placeholder, given a value
    referrals = False

    api_response = api_instance.get_customer_inventory(integration_id, profile=profile,
                                                       referrals=referrals)
    assert_returns(api_response, 'CustomerInventory')
    assert_returns(api_response.referrals[0], 'InventoryReferral')
    assert_v2_auth(assert_sent(http_server, 'GET', '/v1/customer_profiles/URNGV8294NV/inventory',
                               {'profile': 'true', 'referrals': 'false'}))


def test_v2_get_reserved_coupons(http_server, v2_api):
    http_server.respond(200, {'totalResultSize': 1, 'data': [COUPON]})
    api_instance = v2_api()
    integration_id = 'URNGV8294NV'

    with pytest.warns(DeprecationWarning):
        api_response = api_instance.get_reserved_coupons(integration_id)
    # 2.3.0 called this type InlineResponse2001; that name now belongs to another schema.
    assert_returns(api_response, 'InlineResponse2003')
    assert api_response.total_result_size == 1
    assert isinstance(api_response.data, list)
    assert_returns(api_response.data[0], 'Coupon')
    assert api_response.data[0].value == 'XMAS-20-2021'
    assert_v2_auth(assert_sent(http_server, 'GET',
                               '/v1/coupon_reservations/coupons/URNGV8294NV'))


def test_v2_get_reserved_customers(http_server, v2_api):
    http_server.respond(200, {'totalResultSize': 1, 'data': [PROFILE]})
    api_instance = v2_api()
    coupon_value = 'XMAS-20-2021'

    api_response = api_instance.get_reserved_customers(coupon_value)
    assert_returns(api_response, 'InlineResponse200')
    assert_v2_auth(assert_sent(http_server, 'GET',
                               '/v1/coupon_reservations/customerprofiles/XMAS-20-2021'))


def test_v2_track_event(http_server, v2_api):
    http_server.respond(201, STATE_V1)
    api_instance = v2_api()
    body = talon_one.NewEvent()
    body.profile_id = 'URNGV8294NV'
    body.type = 'pageViewed'
    body.attributes = {}
    body.session_id = '175KJPS947296'

    with pytest.warns(DeprecationWarning):
        api_response = api_instance.track_event(body)
    assert_returns(api_response, 'IntegrationState')
    request = assert_sent(http_server, 'POST', '/v1/events')
    assert request.json == {'profileId': 'URNGV8294NV', 'type': 'pageViewed', 'attributes': {},
                            'sessionId': '175KJPS947296'}
    assert_v2_auth(request)


def test_v2_update_customer_profile(http_server, v2_api):
    http_server.respond(200, STATE_V1)
    api_instance = v2_api()
    integration_id = 'URNGV8294NV'
    body = talon_one.NewCustomerProfile()
    body.attributes = {'Language': 'english'}

    with pytest.warns(DeprecationWarning):
        api_response = api_instance.update_customer_profile(integration_id, body)
    assert_returns(api_response, 'IntegrationState')
    assert_returns(api_response.profile, 'CustomerProfile')
    request = assert_sent(http_server, 'PUT', '/v1/customer_profiles/URNGV8294NV')
    assert request.json == {'attributes': {'Language': 'english'}}
    assert_v2_auth(request)


def test_v2_update_customer_session(http_server, v2_api):
    http_server.respond(200, STATE_V1)
    api_instance = v2_api()
    customer_session_id = '175KJPS947296'
    body = talon_one.NewCustomerSession()
    body.profile_id = 'URNGV8294NV'
    body.cart_items = [talon_one.CartItem(sku='SKU1241028', quantity=1)]

    with pytest.warns(DeprecationWarning):
        api_response = api_instance.update_customer_session(customer_session_id, body)
    assert_returns(api_response, 'IntegrationState')
    assert_returns(api_response.session, 'CustomerSession')
    request = assert_sent(http_server, 'PUT', '/v1/customer_sessions/175KJPS947296')
    assert request.json == {'profileId': 'URNGV8294NV', 'state': 'open',
                            'cartItems': [{'sku': 'SKU1241028', 'quantity': 1}]}
    assert_v2_auth(request)
