"""``talon_one.effect_props``: effect props as the model of their effect type."""

import json
import os
import subprocess
import sys

import talon_one
from talon_one import models
from talon_one.effects import effects_of_type
from talon_one.models.effect import Effect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _session_with_coupon(api, session_id):
    session = talon_one.NewCustomerSessionV2(
        profile_id='URNGV8294NV', coupon_codes=['XMAS-20-2021'],
        cart_items=[talon_one.CartItem(name='Air Glide', sku='SKU1241028', quantity=1,
                                       price=99.99)])
    return api.update_customer_session_v2(
        session_id, talon_one.IntegrationRequest(customer_session=session))


def test_set_discount_props_from_the_sandbox_are_typed(talon_sandbox):
    with talon_one.ApiClient(talon_sandbox.configuration()) as client:
        state = _session_with_coupon(talon_one.IntegrationApi(client), 'effects-1')

    discounts = effects_of_type(state.effects, 'setDiscount')
    assert len(discounts) == 1
    props = talon_one.effect_props(discounts[0])
    assert isinstance(props, talon_one.SetDiscountEffectProps)
    assert isinstance(props.value, (int, float)) and props.value > 0
    assert props.name == 'Christmas 20%'
    # The other effects of the session get their own classes too.
    accepted = talon_one.effect_props(effects_of_type(state.effects, 'acceptCoupon')[0])
    assert isinstance(accepted, talon_one.AcceptCouponEffectProps)
    assert accepted.value == 'XMAS-20-2021'


def test_every_typed_effect_of_a_session_gets_its_mapped_class(talon_sandbox):
    with talon_one.ApiClient(talon_sandbox.configuration()) as client:
        state = _session_with_coupon(talon_one.IntegrationApi(client), 'effects-2')

    kinds = {effect.effect_type for effect in state.effects}
    assert {'acceptCoupon', 'setDiscount', 'showNotification', 'addLoyaltyPoints'} <= kinds
    for effect in state.effects:
        expected = models.EFFECT_PROPS_CLASSES[effect.effect_type]
        assert type(talon_one.effect_props(effect)).__name__ == expected


def test_unknown_effect_types_pass_through_unchanged():
    props = {'destination': 'moon'}
    effect = Effect.from_wire({'effectType': 'teleport', 'props': props})
    assert talon_one.effect_props(effect) is props
    assert talon_one.effect_props(Effect.from_wire({'props': props})) is props


def test_props_that_are_not_an_object_pass_through_unchanged():
    for value in ('20% off', 20, None, ['a']):
        effect = Effect.from_wire({'effectType': 'setDiscount', 'props': value})
        assert talon_one.effect_props(effect) == value


def test_parsing_is_lenient_like_responses():
    effect = Effect.from_wire({'effectType': 'setDiscount',
                               'props': {'value': 'lots', 'futureField': [1]}})
    props = talon_one.effect_props(effect)
    assert isinstance(props, talon_one.SetDiscountEffectProps)
    assert props.value == 'lots'          # unexpected type kept as is, no error
    assert props.name is None             # missing required field
    assert props.extra_fields == {'futureField': [1]}


def test_raw_json_effects_work_too():
    raw = {'effectType': 'customEffect',
           'props': {'effectId': 7, 'name': 'gift', 'payload': {'x': 1}}}
    props = talon_one.effect_props(raw)
    assert isinstance(props, talon_one.CustomEffectProps)
    assert (props.effect_id, props.payload) == (7, {'x': 1})
    assert effects_of_type([raw, {'effectType': 'other'}], 'customEffect') == [raw]


def test_effects_of_type_keeps_order_and_accepts_none():
    effects = [Effect.from_wire({'effectType': kind, 'ruleIndex': index})
               for index, kind in enumerate(['setDiscount', 'acceptCoupon', 'setDiscount'])]
    assert [e.rule_index for e in effects_of_type(effects, 'setDiscount')] == [0, 2]
    assert effects_of_type(effects, 'rollbackCoupon') == []
    assert effects_of_type(None, 'setDiscount') == []


def test_the_mapping_covers_every_effect_props_class():
    classes = {name for name in models.__all__ if name.endswith('EffectProps')}
    assert 'StrikethroughEffectProps' not in classes      # free-form: no class
    assert len(classes) == 37
    # Every class but the members of a strikethrough payload, which is no effect's props.
    assert sorted(models.EFFECT_PROPS_CLASSES.values()) == sorted(
        classes - {'StrikethroughSetDiscountPerItemMemberEffectProps'})
    assert models.EFFECT_PROPS_CLASSES['addToAudience'] == 'AddToAudienceEffectProps'
    assert models.EFFECT_PROPS_CLASSES['setDiscount'] == 'SetDiscountEffectProps'
    assert models.EFFECT_PROPS_CLASSES['setDiscountPerItem'] == 'SetDiscountPerItemEffectProps'
    assert models.EFFECT_PROPS_CLASSES['customEffect'] == 'CustomEffectProps'
    assert models.EFFECT_PROPS_CLASSES['willAwardGiveaway'] == 'WillAwardGiveawayEffectProps'


def test_effect_props_loads_only_the_class_it_needs():
    code = (
        'import json, sys\n'
        'import talon_one\n'
        'talon_one.effect_props({"effectType": "setDiscount", "props": {"value": 1}})\n'
        'print(json.dumps(sorted(m for m in sys.modules if m.startswith("talon_one.models."))))\n')
    result = subprocess.run([sys.executable, '-c', code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert json.loads(result.stdout) == ['talon_one.models.set_discount_effect_props']
