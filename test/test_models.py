"""The generated models and their base class (talon_one/_model.py)."""

import copy
import datetime
import inspect
import json
import pickle

import pytest

import talon_one
from talon_one import NULL, ApiTypeError, ApiValueError
from talon_one import _codec, _datetimes, _model
from talon_one.configuration import Configuration

UTC = datetime.timezone.utc


def _no_validation():
    configuration = Configuration()
    configuration.client_side_validation = False
    return configuration


# -- names (NAMES.md) ---------------------------------------------------------------

def test_class_module_and_attribute_names_follow_names_md():
    from talon_one.models.cart_item import CartItem
    from talon_one.models.inline_response2001 import InlineResponse2001
    from talon_one.models.model_return import ModelReturn

    assert talon_one.CartItem is CartItem is talon_one.models.CartItem
    assert talon_one.InlineResponse2001 is InlineResponse2001
    assert talon_one.ModelReturn is ModelReturn
    assert CartItem.attribute_map['catalog_item_id'] == 'catalogItemID'
    assert talon_one.IntegrationStateV2.attribute_map['_return'] == 'return'
    assert talon_one.ReturnIntegrationRequest.attribute_map['_return'] == 'return'
    assert talon_one.CouponReservations.attribute_map == {'integration_i_ds': 'integrationIDs'}
    assert talon_one.InlineResponse2003.openapi_types == {'total_result_size': 'int',
                                                          'data': 'list[Coupon]'}


def test_openapi_type_strings():
    types = talon_one.NewCustomerSessionV2.openapi_types
    assert types['profile_id'] == 'str'
    assert types['cart_items'] == 'list[CartItem]'
    assert types['additional_costs'] == 'dict(str, AdditionalCost)'
    assert types['evaluable_campaign_ids'] == 'list[int]'
    assert types['attributes'] == 'object'
    assert talon_one.CustomerSession.openapi_types['discounts'] == 'dict(str, float)'
    assert talon_one.CustomerSession.openapi_types['created'] == 'datetime'
    assert talon_one.CartItem.openapi_types['price'] == 'float'
    assert talon_one.Coupon.openapi_types['reservation'] == 'bool'


def test_constructor_keyword_order_is_spec_order_then_local_vars_configuration():
    # 4.0.0's properties first, in 4.0.0's order (code passes some positionally), then what
    # 2026 added, then local_vars_configuration.
    names = list(inspect.signature(talon_one.NewCustomerSessionV2).parameters)
    assert names == ['profile_id', 'evaluable_campaign_ids', 'coupon_codes', 'referral_code',
                     'loyalty_cards', 'state', 'cart_items', 'additional_costs', 'identifiers',
                     'attributes', 'store_integration_id', 'experiment_variant_allocations',
                     'local_vars_configuration']
    session = talon_one.NewCustomerSessionV2('P1', [10], ['C1'], 'R1', ['card'], 'closed')
    assert (session.profile_id, session.state, session.loyalty_cards) == ('P1', 'closed', ['card'])
    assert list(talon_one.CartItem.openapi_types)[:3] == ['name', 'sku', 'quantity']
    # Positional use, as code written for the official SDK does.
    assert talon_one.NewCustomerSessionV2('PROFILE_ID').profile_id == 'PROFILE_ID'


def test_spec_defaults_are_constructor_defaults():
    assert talon_one.NewCustomerSessionV2().state == 'open'
    assert talon_one.Coupon().reservation is True
    assert inspect.signature(talon_one.Coupon).parameters['reservation'].default is True


def test_integration_ids_alias():
    names = list(inspect.signature(talon_one.CouponReservations).parameters)
    assert names == ['integration_i_ds', 'local_vars_configuration', 'integration_ids']
    reservations = talon_one.CouponReservations(integration_ids=['A1'])
    assert reservations.integration_i_ds == ['A1']
    assert reservations.integration_ids == ['A1']
    reservations.integration_ids = ['B2']
    assert reservations.integration_i_ds == ['B2']
    assert reservations.to_wire() == {'integrationIDs': ['B2']}
    with pytest.raises(ApiTypeError, match='integration_ids'):
        talon_one.CouponReservations(integration_i_ds=['A'], integration_ids=['B'])


# -- set-time rules ---------------------------------------------------------------

@pytest.mark.parametrize('build, message', [
    (lambda: talon_one.NewCustomerSessionV2(state='bogus'),
     "NewCustomerSessionV2.state: must be one of ['open', 'closed', 'partially_returned', "
     "'cancelled'], got 'bogus'"),
    (lambda: talon_one.CartItem(quantity=0), 'CartItem.quantity: must be >= 1, got 0'),
    (lambda: talon_one.CartItem(sku=''),
     "CartItem.sku: must be at least 1 character long, got ''"),
    (lambda: talon_one.NewCustomerSessionV2(referral_code='x' * 101),
     'NewCustomerSessionV2.referral_code: must be at most 100 characters long'),
    (lambda: talon_one.NewCustomerSessionV2(loyalty_cards=['a', 'b']),
     'NewCustomerSessionV2.loyalty_cards: must have at most 1 item, got 2'),
    (lambda: talon_one.CatalogSyncRequest(actions=[]),
     'CatalogSyncRequest.actions: must have at least 1 item, got 0'),
    (lambda: talon_one.IntegrationRequest(response_content=['customerSession', 'nope']),
     "IntegrationRequest.response_content[1]: must be one of ["),
])
def test_rules_are_checked_when_an_attribute_is_set(build, message):
    with pytest.raises(ApiValueError) as error:
        build()
    assert message in str(error.value)


def test_setting_an_attribute_later_is_checked_too():
    item = talon_one.CartItem(name='Air Glide', sku='SKU1', quantity=2)
    with pytest.raises(ApiValueError, match=r'CartItem\.quantity: must be >= 1, got -3'):
        item.quantity = -3
    assert item.quantity == 2
    item.quantity = None  # unsetting is always allowed
    assert item.quantity is None


def test_local_vars_configuration_turns_checks_off_and_only_its_switch_is_kept():
    configuration = _no_validation()
    item = talon_one.CartItem(quantity=0, local_vars_configuration=configuration)
    assert item.quantity == 0
    assert not any(isinstance(value, Configuration) for value in vars(item).values())


def test_default_configuration_switch_is_read_without_copying_it():
    default = Configuration.get_default()
    default.client_side_validation = False
    item = talon_one.CartItem(quantity=0)
    default.client_side_validation = True
    with pytest.raises(ApiValueError):
        item.quantity = 0
    assert Configuration.get_default() is default


def test_required_is_only_checked_by_validate():
    item = talon_one.CartItem()  # an empty model can be built and filled later
    with pytest.raises(ApiValueError, match=r'^CartItem\.sku: is required, got None$'):
        item.validate()
    item.sku, item.quantity = 'SKU1', 1
    item.validate()


# -- validate() -----------------------------------------------------------------------

def test_validate_names_the_full_path_of_nested_errors():
    unchecked = _no_validation()
    request = talon_one.IntegrationRequest(customer_session=talon_one.NewCustomerSessionV2(
        cart_items=[talon_one.CartItem(sku='A', quantity=1, local_vars_configuration=unchecked),
                    talon_one.CartItem(sku='B', quantity=0, local_vars_configuration=unchecked)]))
    with pytest.raises(ApiValueError) as error:
        request.validate()
    assert str(error.value) == ('IntegrationRequest.customer_session.cart_items[1].quantity: '
                                'must be >= 1, got 0')


@pytest.mark.parametrize('attr, value, message', [
    ('quantity', '2', "CartItem.quantity: must be an integer, got '2'"),
    ('quantity', True, 'CartItem.quantity: must be an integer, got True'),
    ('price', 'cheap', "CartItem.price: must be a number, got 'cheap'"),
    ('sku', 5, 'CartItem.sku: must be a string, got 5'),
    ('additional_costs', {'shipping': 'free'},
     "CartItem.additional_costs['shipping']: must be AdditionalCost (or a dict), got 'free'"),
    ('additional_costs', {'shipping': talon_one.CartItem()},
     "CartItem.additional_costs['shipping']: must be AdditionalCost, got CartItem"),
])
def test_validate_checks_json_types(attr, value, message):
    item = talon_one.CartItem(sku='S', quantity=1)
    setattr(item, attr, value)
    with pytest.raises(ApiValueError) as error:
        item.validate()
    assert str(error.value) == message


def test_validate_accepts_ints_for_numbers_dicts_for_models_and_rfc3339_strings():
    item = talon_one.CartItem(sku='S', quantity=1, price=10,
                              additional_costs={'shipping': {'price': 9}})
    item.validate()
    referral = talon_one.NewReferral(campaign_id=1, advocate_profile_integration_id='A',
                                     start_date='2021-01-01T00:00:00Z')
    referral.validate()
    referral.start_date = 'tomorrow'
    with pytest.raises(ApiValueError, match=r'NewReferral\.start_date: must be a datetime'):
        referral.validate()


# -- serialization --------------------------------------------------------------------

def test_to_dict_has_every_attribute_by_python_name_and_nested_dicts():
    session = talon_one.NewCustomerSessionV2(
        profile_id='P1', cart_items=[talon_one.CartItem(name='Air Glide', sku='S', quantity=1)],
        additional_costs={'shipping': talon_one.AdditionalCost(price=9.5)})
    result = session.to_dict()
    assert list(result) == list(talon_one.NewCustomerSessionV2.openapi_types)
    assert result['coupon_codes'] is None
    assert result['state'] == 'open'
    assert result['cart_items'][0]['catalog_item_id'] is None
    assert result['cart_items'][0]['name'] == 'Air Glide'
    assert result['additional_costs'] == {'shipping': {'price': 9.5}}
    serialized = session.to_dict(serialize=True)
    assert serialized['profileId'] == 'P1' and serialized['couponCodes'] is None
    assert serialized['cartItems'][0]['catalogItemID'] is None
    assert repr(session) == session.to_str()
    assert "'profile_id': 'P1'" in repr(session)


def test_to_wire_uses_api_names_omits_none_and_formats_datetimes():
    referral = talon_one.NewReferral(
        campaign_id=78, advocate_profile_integration_id='URNGV8294NV',
        start_date=datetime.datetime(2020, 11, 10, 23, 0),   # naive: taken as UTC
        expiry_date=datetime.datetime(2021, 11, 10, 23, 0, 5, 250000,
                                      tzinfo=datetime.timezone(datetime.timedelta(hours=2))))
    assert referral.to_wire() == {
        'startDate': '2020-11-10T23:00:00+00:00',
        'expiryDate': '2021-11-10T23:00:05.250000+02:00',
        'campaignId': 78,
        'advocateProfileIntegrationId': 'URNGV8294NV',
    }
    assert json.loads(referral.to_json()) == referral.to_wire()


def test_null_sends_an_explicit_json_null():
    session = talon_one.NewCustomerSessionV2(profile_id=NULL, state=None)
    assert session.to_wire() == {'profileId': None}
    assert session.to_json() == '{"profileId": null}'
    assert session.to_dict()['profile_id'] is None
    session.validate()
    assert repr(NULL) == 'NULL' and not NULL
    assert copy.deepcopy(NULL) is NULL and pickle.loads(pickle.dumps(NULL)) is NULL


def test_nested_values_are_serialized():
    wire = _codec.encode({
        'when': datetime.datetime(2021, 1, 2, 3, 4, 5, tzinfo=UTC),
        'day': datetime.date(2021, 1, 2),
        'items': [talon_one.AdditionalCost(price=1.5), NULL, None],
        'pair': (NULL, 1),  # tuples stay tuples, as sanitize_for_serialization keeps them
    })
    assert wire == {'when': '2021-01-02T03:04:05+00:00', 'day': '2021-01-02',
                    'items': [{'price': 1.5}, None, None], 'pair': (None, 1)}


# -- lenient parsing -------------------------------------------------------------------

STATE = {
    'customerSession': {
        'integrationId': 'S1', 'created': '2021-07-01T10:00:00.123456789Z', 'state': 'frozen',
        'cartItems': [{'name': 'Air Glide', 'sku': 'SKU1', 'quantity': 'three', 'price': 5}],
        'additionalCosts': {'shipping': {'price': 9}},
        'brandNewField': {'x': [1, 2]},
    },
    'effects': [{'campaignId': 1, 'effectType': 'setDiscount', 'props': {'name': 'x', 'value': 2},
                 'ruleIndex': None}],
    'createdCoupons': 'not a list',
    'totallyNew': 7,
}


def test_from_wire_is_lenient_and_keeps_unknown_fields():
    state = talon_one.IntegrationStateV2.from_wire(STATE)
    session = state.customer_session
    assert session.created == datetime.datetime(2021, 7, 1, 10, 0, 0, 123456, tzinfo=UTC)
    assert session.state == 'frozen'                         # unknown enum value kept
    assert session.cart_items[0].quantity == 'three'         # unexpected type kept
    assert session.cart_items[0].price == 5.0 and isinstance(session.cart_items[0].price, float)
    assert isinstance(session.additional_costs['shipping'], talon_one.AdditionalCost)
    assert session.profile_id is None                        # missing required field
    assert state.effects[0].rule_index is None
    assert state.created_coupons == 'not a list'
    assert state.extra_fields == {'totallyNew': 7}
    assert session.brandNewField == {'x': [1, 2]} and session.brand_new_field == {'x': [1, 2]}
    with pytest.raises(TypeError):
        state.extra_fields['x'] = 1
    with pytest.raises(AttributeError):
        state.not_there  # noqa: B018


def test_round_trip_keeps_unknown_fields():
    state = talon_one.IntegrationStateV2.from_wire(STATE)
    wire = state.to_wire()
    assert wire['totallyNew'] == 7
    assert wire['customerSession']['brandNewField'] == {'x': [1, 2]}
    assert wire['customerSession']['created'] == '2021-07-01T10:00:00.123456+00:00'
    assert talon_one.IntegrationStateV2.from_wire(wire) == state
    assert talon_one.IntegrationStateV2.from_json(json.dumps(wire)) == state
    assert talon_one.CartItem.from_dict(session_item_dict()) == talon_one.CartItem(
        name='A', sku='S', quantity=1)


def session_item_dict():
    return talon_one.CartItem(name='A', sku='S', quantity=1).to_dict()


def test_parsing_builds_no_configuration_and_runs_no_validation(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError('called while parsing')

    monkeypatch.setattr(Configuration, '__init__', forbidden)
    monkeypatch.setattr(Configuration, 'get_default', forbidden)
    monkeypatch.setattr(_model.Model, 'validate', forbidden)
    monkeypatch.setattr(_model, 'check_rules', forbidden)
    state = talon_one.IntegrationStateV2.from_wire(STATE)
    assert state.customer_session.integration_id == 'S1'
    assert state.to_dict()['customer_session']['integration_id'] == 'S1'  # everything read


def test_parsed_models_can_be_edited_with_checks():
    item = talon_one.CartItem.from_wire({'quantity': 0, 'sku': ''})
    assert item.quantity == 0
    with pytest.raises(ApiValueError):
        item.quantity = 0
    item.quantity = 2
    assert item.to_wire() == {'sku': '', 'quantity': 2}


def test_converters_are_compiled_once_per_class_and_type():
    costs = {'ship': {'price': 1}}
    assert talon_one.CartItem.from_wire({'additionalCosts': costs}).additional_costs
    field = talon_one.CartItem.__dict__['additional_costs']
    compiled = field._decode
    assert compiled is _codec.decoder('dict(str, AdditionalCost)')
    assert talon_one.CartItem.from_wire({'additionalCosts': costs}).additional_costs
    assert field._decode is compiled
    assert _codec.decoder('list[CartItem]') is _codec.decoder('list[CartItem]')


def test_from_wire_needs_an_object():
    with pytest.raises(ApiTypeError, match='needs a dict'):
        talon_one.CartItem.from_wire([1, 2])


@pytest.mark.parametrize('type_string, value, expected', [
    ('datetime', '2021-03-04T05:06:07Z', datetime.datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC)),
    ('datetime', '2021-03-04T05:06:07', datetime.datetime(2021, 3, 4, 5, 6, 7, tzinfo=UTC)),
    ('datetime', '2022-08-02T15:04:05Z07:00', '2022-08-02T15:04:05Z07:00'),  # kept as is
    ('date', '2021-03-04', datetime.date(2021, 3, 4)),
    ('list[datetime]', ['2021-03-04T05:06:07+01:00'],
     [datetime.datetime(2021, 3, 4, 4, 6, 7, tzinfo=UTC)]),
    ('dict(str, float)', {'a': 1, 'b': None}, {'a': 1.0, 'b': None}),
    ('float', True, True),
    ('list[int]', {'not': 'a list'}, {'not': 'a list'}),
    ('NoSuchModel', {'a': 1}, {'a': 1}),
    ('object', {'a': [1]}, {'a': [1]}),
    ('AdditionalCost', None, None),
])
def test_deserialize_value(type_string, value, expected):
    assert _codec.decode(type_string, value) == expected


def test_deserialize_value_builds_models():
    costs = _codec.decode('dict(str, AdditionalCost)', {'ship': {'price': 2}})
    assert costs == {'ship': talon_one.AdditionalCost(price=2.0)}


# -- date-time helpers -----------------------------------------------------------------

@pytest.mark.parametrize('text, expected', [
    ('2021-01-01T10:00:00Z', '2021-01-01T10:00:00+00:00'),
    ('2021-01-01T10:00:00.123456789Z', '2021-01-01T10:00:00.123456+00:00'),
    ('2021-01-01 10:00:00.1+0200', '2021-01-01T10:00:00.100000+02:00'),
    ('2021-01-01T10:00:00-05', '2021-01-01T10:00:00-05:00'),
    ('not a date', 'not a date'),
])
def test_rfc3339_normalisation_for_old_fromisoformat(text, expected):
    # What Python 3.9/3.10 feed to datetime.fromisoformat().
    assert _datetimes.normalise_rfc3339(text) == expected


def test_parse_and_format_datetime():
    parsed = _datetimes.parse_datetime('2021-01-01T10:00:00.5+02:00')
    assert parsed == datetime.datetime(2021, 1, 1, 8, 0, 0, 500000, tzinfo=UTC)
    assert _datetimes.format_datetime(parsed) == '2021-01-01T10:00:00.500000+02:00'
    assert _datetimes.format_datetime(datetime.datetime(2021, 1, 1)) == '2021-01-01T00:00:00+00:00'
    assert _datetimes.parse_datetime('20210101T100000Z').hour == 10  # basic ISO 8601 form
    assert _datetimes.parse_date('2021-02-03') == datetime.date(2021, 2, 3)
    with pytest.raises(ValueError):
        _datetimes.parse_datetime('2022-08-02T15:04:05Z07:00')
    with pytest.raises(ValueError):
        _datetimes.parse_date('yesterday')


# -- equality and copies -----------------------------------------------------------

def test_equality_copy_and_pickle():
    item = talon_one.CartItem(name='A', sku='S', quantity=1)
    assert item == talon_one.CartItem(name='A', sku='S', quantity=1)
    assert item != talon_one.CartItem(name='B', sku='S', quantity=1)
    assert item != talon_one.AdditionalCost()
    state = talon_one.IntegrationStateV2.from_wire(STATE)
    assert copy.deepcopy(state) == state
    assert pickle.loads(pickle.dumps(state)) == state


def test_assigning_an_unknown_response_field_reaches_the_wire():
    item = talon_one.CartItem.from_wire({'sku': 'A', 'quantity': 1, 'giftWrap': 'no'})
    item.gift_wrap = 'yes'
    assert item.giftWrap == 'yes'
    assert item.extra_fields == {'giftWrap': 'yes'}
    assert item.to_wire()['giftWrap'] == 'yes'


def test_deserialize_accepts_any_object_with_data():
    class Payload(object):
        data = '{"customerSession": {"integrationId": "s1", "cartItems": [{"sku": "A"}]}}'

    state = talon_one.ApiClient().deserialize(Payload(), 'IntegrationStateV2')
    assert isinstance(state, talon_one.IntegrationStateV2)
    assert state.customer_session.cart_items[0].sku == 'A'


def test_limits_of_list_items_are_checked_with_the_item_index():
    session = talon_one.NewCustomerSessionV2(coupon_codes=['OK'])
    with pytest.raises(ApiValueError) as caught:
        session.coupon_codes = ['OK', 'X' * 101]
    assert 'NewCustomerSessionV2.coupon_codes[1]: must be at most 100 characters long' in str(
        caught.value)
    request = talon_one.IntegrationRequest(customer_session=talon_one.NewCustomerSessionV2(
        local_vars_configuration=Configuration(client_side_validation=False),
        coupon_codes=['OK', 'Y' * 101]))
    with pytest.raises(ApiValueError) as caught:
        request.validate()
    assert str(caught.value).startswith(
        'IntegrationRequest.customer_session.coupon_codes[1]: must be at most 100 characters')


def test_a_wire_name_of_12_0_0_is_read_too_and_never_written():
    # 12.0.0 spells EventV3.connectedSessionId as connectedSessionID; responses may use either.
    earlier = talon_one.EventV3.from_wire({'integrationId': 'E1', 'connectedSessionID': 'S1'})
    assert earlier.connected_session_id == 'S1'
    assert earlier.extra_fields == {}
    now = talon_one.EventV3.from_wire({'integrationId': 'E1', 'connectedSessionId': 'S2',
                                       'connectedSessionID': 'S1'})
    assert now.connected_session_id == 'S2'        # the 2026 name wins
    request = talon_one.IntegrationEventV3Request(integration_id='E1', profile_id='P1',
                                                  type='orderShipped', connected_session_id='S1')
    assert request.to_wire() == {'profileId': 'P1', 'integrationId': 'E1',
                                 'type': 'orderShipped', 'connectedSessionId': 'S1'}


def test_number_fields_keep_large_integers_exact():
    # A JSON integer in a number field reads as a float where a float holds it exactly;
    # beyond 2**53 it stays an int (exact, and a type checker's float accepts an int).
    item = talon_one.CartItem.from_wire({'price': 5, 'quantity': 4611686018427387903,
                                         'weight': 4611686018427387903, 'length': 10 ** 400})
    assert item.price == 5.0 and isinstance(item.price, float)
    assert item.quantity == 4611686018427387903
    assert item.weight == 4611686018427387903 and isinstance(item.weight, int)
    assert item.length == 10 ** 400
    assert item.to_wire()['weight'] == 4611686018427387903
