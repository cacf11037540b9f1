"""The official 12.0.0 surface: every IntegrationApi operation and model class of talon_one
12.0.0 (test/compat/talon_one_12_names.txt, written out from the 2026 document by
test/compat/make_names_12.py) exists here with the same call shape and attributes.

Where 12.0.0 code would get something else, because the SDK keeps 4.0.0's names and
constructor order first (generator/compat.py), the difference is listed in CLASHES; the
test fails on any difference not listed there, and on a listed one that went away.
"""

import importlib
import inspect
import os
import sys

import pytest

import talon_one
import talon_one.models
from talon_one.api import integration_api

COMPAT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'compat')
NAMES_FILE = os.path.join(COMPAT_DIR, 'talon_one_12_names.txt')

sys.path.insert(0, COMPAT_DIR)
import make_names_12  # noqa: E402

SPEC_2026 = make_names_12.SPEC

with open(NAMES_FILE, encoding='utf-8') as _handle:
    OPERATIONS, CLASSES = make_names_12.parse(_handle.read())

# 12.0.0 names kept as aliases of the 4.0.0 class of the same response (generator/compat.py).
ALIASES = {'InlineResponse2004': 'InlineResponse2001', 'InlineResponse2005': 'InlineResponse2002'}

# (kind, class, position) -> why 12.0.0 code gets something different here.
# 'class': the name is a different class (12.0.0 renumbered InlineResponse*; 4.0.0 wins).
# 'order': the first constructor position where 12.0.0's positional order differs from
# ours (4.0.0's order comes first, EARLIER_ORDER); positions before it are the same.
CLASHES = {
    ('class', 'InlineResponse200', None):
        '4.0.0 getReservedCustomers response; 12.0.0 integrationGetAllCampaigns',
    ('class', 'InlineResponse2001', None):
        '4.0.0 getLoyaltyCardTransactions response; 12.0.0 getReservedCustomers',
    ('class', 'InlineResponse2002', None):
        '4.0.0 getLoyaltyProgramProfileTransactions response; 12.0.0 getCustomerAchievements',
    ('class', 'InlineResponse2003', None):
        '4.0.0 getReservedCoupons response; 12.0.0 getCustomerAchievementHistory',
    ('order', 'Campaign', 12):
        '12.0.0 put reevaluate_on_return before features; 4.0.0 order first',
    ('order', 'CardLedgerTransactionLogEntryIntegrationAPI', 0):
        '12.0.0 starts with transaction_uuid; 4.0.0 started with created',
    ('order', 'CartItem', 7):
        '12.0.0 put product before weight; 4.0.0 order first',
    ('order', 'CustomerProfileIntegrationRequestV2', 2):
        '12.0.0 has response_content before audiences_changes; 4.0.0 the other way',
    ('order', 'CustomerSessionV2', 5):
        '12.0.0 put store_integration_id before evaluable_campaign_ids; 4.0.0 order first',
    ('order', 'Effect', 0):
        '12.0.0 starts with experiment_id; 4.0.0 started with campaign_id',
    ('order', 'Event', 4):
        '12.0.0 put store_integration_id before type; 4.0.0 order first',
    ('order', 'IntegrationCoupon', 21):
        '12.0.0 put implicitly_reserved before profile_redemption_count; 4.0.0 order first',
    ('order', 'IntegrationEventV2Request', 1):
        '12.0.0 put store_integration_id before evaluable_campaign_ids; 4.0.0 order first',
    ('order', 'IntegrationStateV2', 0):
        '12.0.0 starts with customer_profile; 4.0.0 started with customer_session',
    ('order', 'InventoryCoupon', 21):
        '12.0.0 put implicitly_reserved before profile_redemption_count; 4.0.0 order first',
    ('order', 'LedgerInfo', 2):
        '12.0.0 put negative_balance before expired_balance; 4.0.0 order first',
    ('order', 'LedgerTransactionLogEntryIntegrationAPI', 0):
        '12.0.0 starts with transaction_uuid; 4.0.0 started with created',
    ('order', 'LoyaltyCard', 3):
        '12.0.0 put program_name, program_title before status; 4.0.0 order first',
    ('order', 'LoyaltyProgramLedgers', 3):
        '12.0.0 put join_date before ledger; 4.0.0 order first',
    ('order', 'NewCustomerSessionV2', 1):
        '12.0.0 put store_integration_id before evaluable_campaign_ids; 4.0.0 order first',
}


def _leading_parameters(function):
    return [p.name for p in inspect.signature(function).parameters.values()
            if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD][1:]


def _constructor_order(cls):
    parameters = list(inspect.signature(cls.__init__).parameters)[1:]
    # then friendlier aliases (CouponReservations.integration_ids), keyword use only
    return parameters[:parameters.index('local_vars_configuration')]


def _class_differences(name, attrs):
    """The CLASHES keys of one 12.0.0 class (its attributes are checked separately)."""
    cls = getattr(talon_one, name)
    if any(cls.openapi_types.get(attr) != type_string for attr, type_string in attrs):
        return {('class', name, None)}
    ours = _constructor_order(cls)
    for position, (attr, _) in enumerate(attrs):
        if position >= len(ours) or ours[position] != attr:
            return {('order', name, position)}
    return set()


def test_the_names_file_is_what_the_spec_says():
    if not os.path.exists(SPEC_2026):
        pytest.skip('the 2026 spec is not here')
    assert make_names_12.main(['--check', SPEC_2026]) == 0, (
        'rerun: python test/compat/make_names_12.py > test/compat/talon_one_12_names.txt')


def test_the_names_file_covers_12_0_0():
    assert len(OPERATIONS) == 36
    assert len(CLASSES) > 100
    assert {'InlineResponse2004', 'InlineResponse2007', 'ModelReturn', 'SetDiscountEffectProps',
            'IntegrationCampaign'} <= set(CLASSES)
    assert 'CampaignEligibility' not in CLASSES  # 26.13 only
    assert 'join_loyalty_program' not in OPERATIONS and 'track_event' not in OPERATIONS


@pytest.mark.parametrize('name', sorted(OPERATIONS))
def test_every_12_0_0_operation_keeps_its_call_shape(name):
    positional, keywords = OPERATIONS[name]
    endpoint = getattr(integration_api, '_' + name.upper())
    for method in (name, name + '_with_http_info'):
        function = getattr(talon_one.IntegrationApi, method)
        assert _leading_parameters(function) == positional, method
        parameters = inspect.signature(function).parameters
        assert [k for k in keywords if k not in parameters] == [], method
    assert [k for k in keywords if k not in endpoint.keywords] == []
    assert [p.attr for p in endpoint.positional] == positional


@pytest.mark.parametrize('name', sorted(CLASSES))
def test_every_12_0_0_class_resolves_and_has_its_attributes(name):
    module, attrs = CLASSES[name]
    cls = getattr(talon_one, name)
    assert getattr(talon_one.models, name) is cls
    if name in ALIASES:
        assert cls is getattr(talon_one, ALIASES[name])
    else:
        assert cls.__name__ == name
        assert getattr(importlib.import_module('talon_one.models.' + module), name) is cls
    if ('class', name, None) in CLASHES:
        return  # another class of the same name: its attributes are 4.0.0's
    missing = [attr for attr, _ in attrs if not hasattr(cls, attr)]
    assert missing == []
    wrong = [(attr, t, cls.openapi_types.get(attr)) for attr, t in attrs
             if cls.openapi_types.get(attr) != t]
    assert wrong == []
    instance = cls()
    for attr, _ in attrs:
        getattr(instance, attr)  # readable on an empty instance
    assert {attr for attr, _ in attrs} <= set(_constructor_order(cls))


def test_the_clash_table_is_exactly_the_differences_found():
    found = set()
    for name, (_, attrs) in CLASSES.items():
        found |= _class_differences(name, attrs)
    assert sorted(found - set(CLASHES), key=str) == [], 'new differences from 12.0.0'
    assert sorted(set(CLASHES) - found, key=str) == [], 'listed clashes that went away'
    assert all(why.strip() and '\n' not in why for why in CLASHES.values())


def test_positions_before_a_clash_are_12_0_0_positions():
    for kind, name, position in CLASHES:
        if kind != 'order':
            continue
        theirs = [attr for attr, _ in CLASSES[name][1]]
        assert _constructor_order(getattr(talon_one, name))[:position] == theirs[:position]


def test_12_0_0_code_building_models_positionally_up_to_the_clash():
    # Up to the first clashing position 12.0.0's positional calls mean the same thing.
    card = talon_one.LoyaltyCard(1, None, 125)
    assert (card.id, card.program_id) == (1, 125)
    item = talon_one.CartItem('Air Glide', 'SKU1', 2)
    assert (item.name, item.sku, item.quantity) == ('Air Glide', 'SKU1', 2)
    session = talon_one.NewCustomerSessionV2('PROFILE_ID')
    assert session.profile_id == 'PROFILE_ID'


def test_every_model_module_compiles_without_warnings():
    # A docstring quoting a pattern (``^[a-zA-Z]\w+$``) once made an invalid escape: a
    # SyntaxWarning on import under Python 3.12, an error under -W error.
    import warnings
    models_dir = os.path.dirname(talon_one.models.__file__)
    for filename in sorted(os.listdir(models_dir)):
        if filename.endswith('.py'):
            with open(os.path.join(models_dir, filename), encoding='utf-8') as handle:
                source = handle.read()
            with warnings.catch_warnings():
                warnings.simplefilter('error')
                compile(source, filename, 'exec')
    assert '\\w' in talon_one.AchievementStatusEntry.__doc__
