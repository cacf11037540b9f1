"""Every effect type a world rule can produce, over raw HTTP: props, amounts, what is
stored and when (see WORLD.md, "Effects"). The world is test/support/effects_world.py."""

import pytest

from support import require_shared
from support.effects_world import (ADVOCATE, CARD, COUPON, PACKAGING_COST_ID, PROFILE, REFERRAL,
                                   SHIPPING_COST_ID, WALLET_COUPON, effects_world, session_body)
from talon_one.sandbox import Sandbox

from .http_client import Client, assert_error, effects_of

# Everything the Integration API can return in ``effects`` (all *EffectProps schemas but
# the two strikethrough ones; WORLD.md says why those never appear).
ALL_EFFECT_TYPES = {
    'acceptCoupon', 'acceptReferral', 'addFreeItem', 'addLoyaltyPoints', 'awardGiveaway',
    'couponCreated', 'customEffect', 'deductLoyaltyPoints', 'error', 'redeemReferral',
    'referralCreated', 'rejectCoupon', 'rejectReferral', 'reserveCoupon',
    'rollbackAddedLoyaltyPoints', 'rollbackCoupon', 'rollbackDeductedLoyaltyPoints',
    'rollbackDiscount', 'rollbackReferral', 'setDiscount', 'setDiscountPerAdditionalCost',
    'setDiscountPerAdditionalCostPerItem', 'setDiscountPerItem', 'showBundleMetadata',
    'showNotification', 'triggerWebhook', 'updateAttribute', 'willAwardGiveaway',
    'addToAudience', 'removeFromAudience', 'increaseAchievementProgress',
    'rollbackIncreasedAchievementProgress', 'changeLoyaltyTierLevel',
    'extendLoyaltyPointsExpiryDate', 'setLoyaltyPointsExpiryDate',
}
CONTENT = ['customerSession', 'customerProfile', 'coupons']


@pytest.fixture
def world_client():
    with Sandbox(world=effects_world()) as running:
        yield Client(running.url, running.api_key)


def one(response, effect_type):
    found = effects_of(response, effect_type)
    assert len(found) == 1, [(e['effectType'], e['props']) for e in response.body['effects']]
    return found[0]['props']


def all_flows(client):
    """Open, close and cancel a session, and one with a bad referral: every effect type."""
    opened = client.session('S1', content=CONTENT, **session_body())
    closed = client.session('S1', content=CONTENT, **session_body('closed'))
    cancelled = client.session('S1', content=CONTENT, **session_body('cancelled'))
    rejected = client.session('S2', profileId=PROFILE, referralCode='NO-SUCH-REF')
    for response in (opened, closed, cancelled, rejected):
        assert response.status == 200, response
    return opened, closed, cancelled, rejected


def test_every_effect_type_is_produced(world_client):
    seen = {e['effectType'] for response in all_flows(world_client)
            for e in response.body['effects']}
    assert seen == ALL_EFFECT_TYPES


def test_additional_cost_discounts_reduce_what_is_owed(world_client):
    response = world_client.session('S1', content=CONTENT, **session_body())
    session = response.body['customerSession']
    assert (session['cartItemTotal'], session['additionalCostTotal'], session['total']) == \
        (110, 12, 122)
    shipping = one(response, 'setDiscountPerAdditionalCost')
    assert shipping == {'name': 'Free shipping', 'additionalCostId': SHIPPING_COST_ID,
                        'additionalCost': 'shipping', 'value': 6.0}   # all of the 6 shipping
    packaging = one(response, 'setDiscountPerAdditionalCostPerItem')
    assert packaging == {'name': 'Half packaging', 'additionalCostId': PACKAGING_COST_ID,
                         'value': 3.0, 'position': 0, 'additionalCost': 'packaging'}
    discounts = sum(e['props']['value'] for e in response.body['effects']
                    if e['effectType'].startswith('setDiscount'))
    assert discounts == 11 + 10 + 6 + 3 + 2
    assert session['total'] - discounts == 90     # what the customer pays


def test_cost_discounts_are_capped_by_the_cost_and_need_the_cost(world_client):
    world = effects_world()
    rule = world['campaigns'][0]['rules'][0]
    rule['effects'] = [
        {'type': 'setDiscountPerAdditionalCost', 'name': 'Big', 'additionalCost': 'shipping',
         'value': 10},
        {'type': 'setDiscountPerAdditionalCost', 'name': 'Again', 'additionalCost': 'shipping',
         'percent': 50},
        {'type': 'setDiscountPerAdditionalCostPerItem', 'name': 'Pack', 'value': 5,
         'additionalCost': 'packaging'}]
    with Sandbox(world=world) as running:
        client = Client(running.url, running.api_key)
        response = client.session('S1', **session_body())
        big, again = [e['props'] for e in effects_of(response, 'setDiscountPerAdditionalCost')]
        assert (big['value'], big['desiredValue']) == (6.0, 10.0)      # no more than the cost
        assert (again['value'], again['desiredValue']) == (0.0, 3.0)   # nothing left of it
        pack = one(response, 'setDiscountPerAdditionalCostPerItem')
        assert (pack['value'], pack['desiredValue']) == (6.0, 10.0)    # 2 units x 3, not 2 x 5
        bare = client.session('S3', profileId=PROFILE, couponCodes=[COUPON],
                              cartItems=[{'sku': 'SOCKS', 'quantity': 1, 'price': 10}])
        assert not effects_of(bare, 'setDiscountPerAdditionalCost')       # no shipping sent
        assert not effects_of(bare, 'setDiscountPerAdditionalCostPerItem')


def test_v1_session_discounts_include_free_shipping(world_client):
    body = {'profileId': PROFILE, 'coupon': COUPON, 'state': 'open',
            'cartItems': session_body()['cartItems']}
    world_client.session('V1', **session_body())      # the v1 route cannot send costs
    response = world_client.put('/v1/customer_sessions/V1', body)
    assert response.status == 200
    assert response.body['session']['discounts'] == {
        '10% off': 11, 'Shoe 5 off': 10, 'Free shipping': 6, 'Half packaging': 3,
        'Friend 2 off': 2}      # the referral code stays from the v2 update


def test_cancel_rolls_back_cost_discounts(world_client):
    _, _, cancelled, _ = all_flows(world_client)
    rollbacks = {e['props']['name']: e['props'] for e in effects_of(cancelled, 'rollbackDiscount')}
    assert rollbacks['Free shipping'] == {
        'name': 'Free shipping', 'value': 6.0, 'scope': 'additionalCosts',
        'additionalCostId': SHIPPING_COST_ID, 'additionalCost': 'shipping'}
    assert rollbacks['Half packaging'] == {
        'name': 'Half packaging', 'value': 3.0, 'scope': 'additionalCosts',
        'cartItemPosition': 0, 'additionalCostId': PACKAGING_COST_ID,
        'additionalCost': 'packaging'}


def test_a_return_keeps_free_shipping_and_rolls_back_item_costs(world_client):
    world_client.session('S1', **session_body('closed'))
    response = world_client.post('/v2/customer_sessions/S1/returns', {
        'return': {'returnedCartItems': [{'position': 0, 'quantity': 1}]}})
    assert response.status == 200, response
    rollbacks = {e['props']['name']: e['props']['value']
                 for e in effects_of(response, 'rollbackDiscount')}
    assert 'Free shipping' not in rollbacks       # shipping is still paid and still free
    assert rollbacks['Half packaging'] == 1.5     # one of two units' packaging came back


def test_state_changing_effects_wait_for_the_close(world_client):
    opened = world_client.session('S1', content=CONTENT, **session_body())
    assert not effects_of(opened, 'couponCreated') and not effects_of(opened, 'referralCreated')
    assert opened.body['createdCoupons'] == [] and opened.body['createdReferrals'] == []
    assert [p['isNewReservation'] for p in
            (e['props'] for e in effects_of(opened, 'reserveCoupon'))] == [True, True]
    assert 'Tier' not in opened.body['customerProfile']['attributes']
    assert 'Gift' not in opened.body['customerSession']['attributes']
    inventory = world_client.get('/v1/customer_profiles/%s/inventory' % PROFILE,
                                 query={'coupons': 'true'}).body
    assert inventory['coupons'] == []

    closed = world_client.session('S1', content=CONTENT, **session_body('closed'))
    assert closed.body['customerProfile']['attributes'] == {'Name': 'Eve', 'Tier': 'gold'}
    assert closed.body['customerSession']['attributes'] == {'Gift': {'wrapped': True}}
    paths = [e['props'] for e in effects_of(closed, 'updateAttribute')]
    assert paths == [{'path': 'profile.Tier', 'value': 'gold'},
                     {'path': 'session.Gift', 'value': {'wrapped': True}}]
    created = one(closed, 'couponCreated')
    assert created['profileId'] == PROFILE and created['value'].startswith('NEXT-')
    [coupon] = closed.body['createdCoupons']
    assert (coupon['value'], coupon['campaignId'], coupon['usageLimit'],
            coupon['recipientIntegrationId']) == (created['value'], 1, 1, PROFILE)
    assert coupon['expiryDate'] > coupon['created']
    referral = one(closed, 'referralCreated')
    assert referral['value'].startswith('FRIEND-') and len(referral['value']) == 11
    [made] = closed.body['createdReferrals']
    assert (made['code'], made['advocateProfileIntegrationId'], made['campaignId']) == (
        referral['value'], PROFILE, 1)

    inventory = world_client.get('/v1/customer_profiles/%s/inventory' % PROFILE,
                                 query={'coupons': 'true', 'referrals': 'true'}).body
    values = sorted(c['value'] for c in inventory['coupons'])
    assert values == sorted([COUPON, WALLET_COUPON, created['value']])
    assert [r['code'] for r in inventory['referrals']] == [referral['value']]
    # The created coupon works: its recipient may use it in a new session.
    used = world_client.session('S9', profileId=PROFILE, couponCodes=[created['value']],
                                cartItems=session_body()['cartItems'])
    assert one(used, 'acceptCoupon') == {'value': created['value']}


def test_reservations_report_whether_they_are_new(world_client):
    world_client.session('S1', **session_body('closed'))
    again = world_client.session('S2', **session_body())
    assert [e['props']['isNewReservation'] for e in effects_of(again, 'reserveCoupon')] == \
        [False, False]
    customers = world_client.get('/v1/coupon_reservations/customerprofiles/' + WALLET_COUPON)
    assert [p['integrationId'] for p in customers.body['data']] == [PROFILE]


def test_a_dry_close_shows_created_codes_but_keeps_nothing(world_client):
    dry = world_client.session('S1', content=CONTENT, query={'dry': 'true'},
                               **session_body('closed'))
    [coupon] = dry.body['createdCoupons']
    assert dry.body['customerProfile']['attributes']['Tier'] == 'gold'
    inventory = world_client.get('/v1/customer_profiles/%s/inventory' % PROFILE,
                                 query={'coupons': 'true', 'profile': 'true'}).body
    assert coupon['value'] not in [c['value'] for c in inventory['coupons']]
    assert 'Tier' not in inventory['profile']['attributes']


def test_rollback_keeps_created_codes_reservations_and_attributes(world_client):
    _, closed, cancelled, _ = all_flows(world_client)
    [coupon] = closed.body['createdCoupons']
    assert not [e for e in cancelled.body['effects'] if e['effectType'] in (
        'couponCreated', 'referralCreated', 'reserveCoupon', 'updateAttribute')]
    inventory = world_client.get('/v1/customer_profiles/%s/inventory' % PROFILE,
                                 query={'coupons': 'true', 'profile': 'true'}).body
    assert coupon['value'] in [c['value'] for c in inventory['coupons']]
    assert WALLET_COUPON in [c['value'] for c in inventory['coupons']]
    assert inventory['profile']['attributes']['Tier'] == 'gold'


def test_informational_effects(world_client):
    response = world_client.session('S1', **session_body())
    assert one(response, 'triggerWebhook') == {'webhookId': 9, 'webhookName': 'order-hook'}
    assert one(response, 'showBundleMetadata') == {
        'description': 'Red things', 'bundleAttributes': ['color'], 'itemsIndices': [0]}
    assert one(response, 'error') == {'message': 'rule 0 of campaign 1 reports a problem'}
    assert one(response, 'redeemReferral') == {'id': 1, 'value': REFERRAL}
    assert one(response, 'customEffect')['payload'] == {'colors': ['red', 'gold'], 'big': True}
    card_points = [e['props'] for e in effects_of(response, 'addLoyaltyPoints')
                   if e['props'].get('cardIdentifier')]
    assert [(p['cardIdentifier'], p['value']) for p in card_points] == [(CARD, 3.0)]


def test_events_and_profile_updates_apply_attribute_updates_at_once(world_client):
    response = world_client.put('/v2/customer_profiles/VIP-1', {'attributes': {'Vip': True}},
                                query={'runRuleEngine': 'true'})
    assert one(response, 'updateAttribute') == {'path': 'profile.Tier', 'value': 'platinum'}
    assert response.body['customerProfile']['attributes'] == {'Vip': True, 'Tier': 'platinum'}
    v1 = world_client.put('/v1/customer_profiles/VIP-2', {'attributes': {'Vip': True}})
    assert v1.body['event']['type'] == 'talon_profile_updated'
    assert [e['effectType'] for e in v1.body['event']['effects']] == ['updateAttribute']
    assert v1.body['profile']['attributes'] == {'Vip': True, 'Tier': 'platinum'}


def test_created_codes_follow_the_case_setting():
    world = effects_world()
    world['application']['caseSensitivity'] = 'insensitive-lowercase'
    with Sandbox(world=world) as running:
        client = Client(running.url, running.api_key)
        closed = client.session('S1', **session_body('closed', couponCodes=[COUPON.lower()]))
        assert one(closed, 'couponCreated')['value'].startswith('next-')
        assert one(closed, 'referralCreated')['value'].startswith('friend-')
        assert one(closed, 'acceptCoupon') == {'value': COUPON.lower()}


def test_an_exhausted_pattern_gives_an_error_effect():
    world = effects_world()
    world['campaigns'][0]['rules'][0]['effects'] = [
        {'type': 'referralCreated', 'pattern': 'ONE#'}]
    world['referrals'] += [{'code': 'ONE' + c, 'campaignId': 3,
                            'advocateProfileIntegrationId': ADVOCATE}
                           for c in 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789']
    with Sandbox(world=world) as running:
        client = Client(running.url, running.api_key)
        closed = client.session('S1', **session_body('closed'))
        assert not effects_of(closed, 'referralCreated')
        assert 'widen it' in one(closed, 'error')['message']
        assert closed.body['createdReferrals'] == []


@pytest.mark.parametrize('effect, message', [
    ({'type': 'setDiscountPerAdditionalCost', 'name': 'x', 'additionalCost': 'handling',
      'value': 1}, "additionalCost: unknown additional cost 'handling'"),
    ({'type': 'setDiscountPerAdditionalCost', 'name': 'x', 'additionalCost': 'packaging',
      'value': 1}, "additional cost 'packaging' has type item; this effect needs session or both"),
    ({'type': 'setDiscountPerAdditionalCostPerItem', 'name': 'x', 'additionalCost': 'shipping',
      'percent': 1}, 'has type session; this effect needs item or both'),
    ({'type': 'setDiscountPerAdditionalCost', 'name': 'x', 'additionalCost': 'shipping'},
     'needs exactly one of value, percent'),
    ({'type': 'updateAttribute', 'path': 'cart.Tier', 'value': 1},
     'path: must be profile.<attribute> or session.<attribute>'),
    ({'type': 'updateAttribute', 'path': 'profile.Tier'}, 'value: is required'),
    ({'type': 'couponCreated', 'pattern': 'FIXED-CODE'}, "pattern: must be 4+ characters with"),
    ({'type': 'referralCreated', 'usageLimit': -1}, 'usageLimit: must be between 0 and 999999'),
    ({'type': 'reserveCoupon', 'couponValue': 'NOT-THERE'}, "couponValue: unknown coupon"),
    ({'type': 'triggerWebhook', 'webhookName': 'x'}, 'webhookId: is required'),
    ({'type': 'showBundleMetadata', 'description': 'x', 'bundleAttributes': [1]},
     'bundleAttributes[0]: must be str'),
    ({'type': 'error'}, 'message: is required'),
])
def test_bad_effects_are_world_errors(effect, message):
    from talon_one.sandbox import world as world_module
    world = effects_world()
    world['campaigns'][0]['rules'][0]['effects'] = [effect]
    with pytest.raises(world_module.WorldError) as caught:
        world_module.from_dict(world)
    assert 'campaigns[0].rules[0].effects[0]' in str(caught.value)
    assert message in str(caught.value)


@pytest.mark.parametrize('effect, needed', [
    ({'type': 'reserveCoupon'}, 'reserveCoupon needs couponValue or a couponValid condition'),
    ({'type': 'redeemReferral'}, 'redeemReferral needs a referralValid condition'),
])
def test_code_effects_need_their_condition(effect, needed):
    from talon_one.sandbox import world as world_module
    world = effects_world()
    world['campaigns'][2]['rules'][0]['effects'] = [effect]
    with pytest.raises(world_module.WorldError, match=needed):
        world_module.from_dict(world)


def test_additional_costs_section_is_checked():
    from talon_one.sandbox import world as world_module
    world = effects_world()
    world['additionalCosts'].append({'id': 13, 'name': 'shipping'})
    with pytest.raises(world_module.WorldError, match=r"additionalCosts\[2\]\.name: duplicate"):
        world_module.from_dict(world)
    world = effects_world()
    world['additionalCosts'][0]['type'] = 'cart'
    with pytest.raises(world_module.WorldError,
                       match=r"additionalCosts\[0\]\.type: must be one of session, item, both"):
        world_module.from_dict(world)


_SCALARS = {'string': (str,), 'integer': (int,), 'number': (int, float), 'boolean': (bool,)}


def _json_type_ok(schema, value, schemas=None):
    ref = schema.get('$ref')
    if ref is not None:     # a nested model: its properties, by their schemas
        target = (schemas or {})[ref.rsplit('/', 1)[1]]
        return (isinstance(value, dict) and set(value) <= set(target['properties'])
                and all(_json_type_ok(target['properties'][k], v, schemas)
                        for k, v in value.items()))
    kind = schema.get('type')
    if kind == 'array':
        return isinstance(value, list) and all(_json_type_ok(schema['items'], v, schemas)
                                               for v in value)
    if kind == 'object':
        # A property-less object in these schemas is free JSON: customEffect's payload,
        # and updateAttribute's value (any attribute type, per its description).
        return isinstance(value, dict) if schema.get('properties') else True
    is_bool = isinstance(value, bool)
    return isinstance(value, _SCALARS[kind]) and (is_bool == (kind == 'boolean'))


def test_props_match_their_schemas_in_the_spec(world_client):
    import yaml

    # The 2026 document names the props schema of every effect type (x-effect-types).
    with open(require_shared('openapi', 'talon-one-integration-2026.yaml'),
              encoding='utf-8') as f:
        spec = yaml.safe_load(f)
    schemas, props_of = spec['components']['schemas'], spec['x-effect-types']
    checked = set()
    for response in all_flows(world_client):
        for effect in response.body['effects']:
            kind = effect['effectType']
            schema = schemas[props_of[kind]]
            props = effect['props']
            where = '%s props %r' % (kind, props)
            assert set(props) <= set(schema['properties']), where
            assert set(schema.get('required', ())) <= set(props), where
            for name, value in props.items():
                assert _json_type_ok(schema['properties'][name], value, schemas), (where, name)
            checked.add(kind)
    assert checked == ALL_EFFECT_TYPES


# ---------------------------------------------------------------- WORLD.md examples

def _documented_examples():
    """(rule effect, documented props) pairs of WORLD.md's "Effect examples"."""
    import json
    import os
    import re

    from talon_one import sandbox
    with open(os.path.join(os.path.dirname(sandbox.__file__), 'WORLD.md'),
              encoding='utf-8') as handle:
        text = handle.read()
    section = text.split('### Effect examples', 1)[1].split('\n## ', 1)[0]
    pairs = re.findall(r'```json\n(.*?)\n```\n`(\{.*?\})`', section, re.S)
    return [(json.loads(effect), json.loads(props)) for effect, props in pairs]


EXAMPLES = _documented_examples()


def _doc_world(effect):
    """The example world with only a campaign 900 running, whose one rule has ``effect``."""
    import json

    from talon_one.sandbox import world as world_module
    with open(world_module.EXAMPLE_WORLD, encoding='utf-8') as handle:
        world = json.load(handle)
    for campaign in world['campaigns']:
        campaign['state'] = 'disabled'
    world['additionalCosts'].append({'id': 2, 'name': 'packaging', 'type': 'item'})
    conditions = [{'type': 'referralValid'}] if effect['type'] == 'redeemReferral' else []
    world['campaigns'].append({'id': 900, 'name': 'Docs', 'rules': [
        {'title': 'Redeem 100 points', 'conditions': conditions, 'effects': [effect]}]})
    world['referrals'][0]['campaignId'] = 900
    # An achievement is progressed by its own campaign's rules: make them campaign 900's.
    world['campaigns'] = [c for c in world['campaigns'] if c['id'] not in (60, 61)]
    for achievement in world['achievements']:
        achievement['campaignId'] = 900
    world['sessions'] = []      # seeded closed sessions would run the rule too
    world['advancedEvents'] = []    # so would the seeded event (and it names a session)
    return world


def test_world_md_has_an_example_for_every_rule_effect_type():
    from talon_one.sandbox.world.checks import EFFECT_TYPES
    assert sorted(effect['type'] for effect, _ in EXAMPLES) == sorted(EFFECT_TYPES)


@pytest.mark.parametrize('effect, documented', EXAMPLES, ids=[e['type'] for e, _ in EXAMPLES])
def test_world_md_examples_produce_what_they_say(effect, documented):
    shoes = {'name': 'Air Glide', 'sku': 'SKU1241028', 'quantity': 2, 'price': 99.99,
             'category': 'shoes', 'additionalCosts': {'packaging': {'price': 2.0}}}
    socks = {'name': 'Running socks', 'sku': 'SOCKS-01', 'quantity': 3, 'price': 9.5,
             'category': 'socks'}
    with Sandbox(world=_doc_world(effect)) as running:
        client = Client(running.url, running.api_key)
        response = client.session('DOC-1', profileId='URNGV8294NV', referralCode='NT2K54D9',
                                  cartItems=[shoes, socks], state='closed',
                                  additionalCosts={'shipping': {'price': 4.95}})
    [produced] = [e['props'] for e in response.body['effects']
                  if e['campaignId'] == 900 and e['effectType'] == effect['type']]
    assert sorted(produced) == sorted(documented)
    for name, value in documented.items():
        if value == '...':
            continue        # a uuid or a date
        if name == 'value' and effect.get('pattern'):
            prefix = effect['pattern'].split('#')[0]
            assert produced[name].startswith(prefix) and len(produced[name]) == len(value)
            continue        # a random code
        assert produced[name] == value, (name, produced)


def test_a_close_can_be_repeated_after_rules_updated_the_session(world_client):
    closed = world_client.session('S1', **session_body('closed', attributes={'Note': 'x'}))
    assert closed.body['customerSession']['attributes'] == {'Note': 'x', 'Gift': {'wrapped': True}}
    again = world_client.session('S1', **session_body('closed', attributes={'Note': 'x'}))
    assert again.status == 200, again
    changed = world_client.session('S1', **session_body('closed', attributes={'Note': 'y'}))
    assert_error(changed, 400, pointer='/customerSession/attributes')
    cancelled = world_client.session('S1', **session_body('cancelled', attributes={'Note': 'x'}))
    assert cancelled.status == 200


def test_every_effect_type_a_world_may_name_has_a_handler_in_the_engine():
    from talon_one.sandbox.engine.effects import EFFECTS
    from talon_one.sandbox.world.checks import EFFECT_TYPES
    assert sorted(EFFECTS) == sorted(EFFECT_TYPES)
