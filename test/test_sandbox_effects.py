"""Every effect type through the SDK: ``talon_one.effect_props(effect)`` gives the model of
the effect's ``*EffectProps`` schema with the values the world's rules imply; plus the
sandbox fidelity fixes (inventory after redeeming, code case, v1 profile updates and
events, closed sessions) as SDK users meet them.

The world is test/support/effects_world.py; its comments give the amounts.
"""

import datetime

import pytest

import talon_one
from support.effects_world import (ADVOCATE, CARD, COUPON, PACKAGING_COST_ID, PROFILE, REFERRAL,
                                   SHIPPING_COST_ID, WALLET_COUPON, effects_world)
from talon_one.sandbox import Sandbox

CONTENT = ['customerSession', 'customerProfile', 'coupons']


@pytest.fixture(scope='module')
def flows():
    """Effects (SDK models) of: open, close and cancel of one session; a bad referral;
    and the close's response."""
    with Sandbox(world=effects_world()) as sandbox:
        with talon_one.ApiClient(sandbox.configuration()) as client:
            api = talon_one.IntegrationApi(client)
            by_step = {state: update(api, 'S1', new_session(state))
                       for state in ('open', 'closed', 'cancelled')}
            by_step['rejected'] = update(api, 'S2', talon_one.NewCustomerSessionV2(
                profile_id=PROFILE, referral_code='NO-SUCH-REF'))
            yield by_step


def new_session(state, **fields):
    cart = [talon_one.CartItem(name='Shoe', sku='SHOE', quantity=2, price=50.0, category='shoes',
                               attributes={'color': 'red'},
                               additional_costs={'packaging': talon_one.AdditionalCost(price=3)}),
            talon_one.CartItem(name='Socks', sku='SOCKS', quantity=1, price=10.0,
                               category='socks')]
    values = {'profile_id': PROFILE, 'coupon_codes': [COUPON, 'NO-SUCH-COUPON'],
              'referral_code': REFERRAL, 'loyalty_cards': [CARD], 'cart_items': cart,
              'additional_costs': {'shipping': talon_one.AdditionalCost(price=6)},
              'state': state}
    values.update(fields)
    return talon_one.NewCustomerSessionV2(**values)


def update(api, session_id, session, **kwargs):
    return api.update_customer_session_v2(
        session_id, talon_one.IntegrationRequest(customer_session=session,
                                                 response_content=CONTENT), **kwargs)


def props_of(state, effect_type, model):
    """The props of the only ``effect_type`` effect of ``state`` whose model is ``model``,
    checked for having no unknown fields and all required ones."""
    found = [e for e in state.effects if e.effect_type == effect_type]
    assert len(found) == 1, [(e.effect_type, e.props) for e in state.effects]
    return checked_props(found[0], model)


def checked_props(effect, model):
    props = talon_one.effect_props(effect)
    assert type(props) is model, type(props)
    assert props.extra_fields == {}, props.extra_fields
    for attribute in model.required_attributes:
        assert getattr(props, attribute) is not None, (model.__name__, attribute)
    return props


# ---------------------------------------------------------------- discounts

def test_set_discount(flows):
    discounts = [checked_props(e, talon_one.SetDiscountEffectProps) for e in flows['open'].effects
                 if e.effect_type == 'setDiscount']
    assert [(d.name, d.value, d.scope) for d in discounts] == [
        ('10% off', 11.0, 'sessionTotal'), ('Friend 2 off', 2.0, 'sessionTotal')]
    assert discounts[0].desired_value is None       # not capped


def test_set_discount_per_item(flows):
    props = props_of(flows['open'], 'setDiscountPerItem', talon_one.SetDiscountPerItemEffectProps)
    assert (props.name, props.value, props.position, props.scope) == ('Shoe 5 off', 10.0, 0,
                                                                      'price')


def test_set_discount_per_additional_cost_is_free_shipping(flows):
    props = props_of(flows['open'], 'setDiscountPerAdditionalCost',
                     talon_one.SetDiscountPerAdditionalCostEffectProps)
    assert (props.name, props.additional_cost_id, props.additional_cost, props.value) == (
        'Free shipping', SHIPPING_COST_ID, 'shipping', 6.0)
    session = flows['open'].customer_session
    assert props.value == session.additional_costs['shipping'].price     # all of the shipping


def test_set_discount_per_additional_cost_per_item(flows):
    props = props_of(flows['open'], 'setDiscountPerAdditionalCostPerItem',
                     talon_one.SetDiscountPerAdditionalCostPerItemEffectProps)
    assert (props.name, props.additional_cost_id, props.additional_cost, props.position,
            props.value) == ('Half packaging', PACKAGING_COST_ID, 'packaging', 0, 3.0)


def test_discounts_reduce_what_is_owed(flows):
    session = flows['open'].customer_session
    discount_types = ('setDiscount', 'setDiscountPerItem', 'setDiscountPerAdditionalCost',
                      'setDiscountPerAdditionalCostPerItem')
    owed = session.total - sum(talon_one.effect_props(e).value for e in flows['open'].effects
                               if e.effect_type in discount_types)
    assert (session.total, owed) == (122, 90)


# ---------------------------------------------------------------- codes

def test_accept_and_reject_coupon(flows):
    accepted = props_of(flows['open'], 'acceptCoupon', talon_one.AcceptCouponEffectProps)
    assert accepted.value == COUPON
    rejected = props_of(flows['open'], 'rejectCoupon', talon_one.RejectCouponEffectProps)
    assert (rejected.value, rejected.rejection_reason) == ('NO-SUCH-COUPON', 'CouponNotFound')


def test_accept_redeem_and_reject_referral(flows):
    accepted = props_of(flows['open'], 'acceptReferral', talon_one.AcceptReferralEffectProps)
    assert accepted.value == REFERRAL
    redeemed = props_of(flows['open'], 'redeemReferral', talon_one.RedeemReferralEffectProps)
    assert (redeemed.id, redeemed.value) == (1, REFERRAL)
    rejected = props_of(flows['rejected'], 'rejectReferral', talon_one.RejectReferralEffectProps)
    assert (rejected.value, rejected.rejection_reason) == ('NO-SUCH-REF', 'ReferralNotFound')


def test_reserve_coupon(flows):
    reservations = [checked_props(e, talon_one.ReserveCouponEffectProps)
                    for e in flows['open'].effects if e.effect_type == 'reserveCoupon']
    assert [(r.coupon_value, r.profile_integration_id, r.is_new_reservation)
            for r in reservations] == [(COUPON, PROFILE, True), (WALLET_COUPON, PROFILE, True)]


def test_coupon_created(flows):
    closed = flows['closed']
    props = props_of(closed, 'couponCreated', talon_one.CouponCreatedEffectProps)
    assert props.profile_id == PROFILE and props.value.startswith('NEXT-')
    [coupon] = closed.created_coupons
    assert isinstance(coupon, talon_one.Coupon)
    assert (coupon.value, coupon.recipient_integration_id, coupon.usage_limit) == (
        props.value, PROFILE, 1)
    assert coupon.expiry_date - coupon.created == datetime.timedelta(days=30)


def test_referral_created(flows):
    closed = flows['closed']
    props = props_of(closed, 'referralCreated', talon_one.ReferralCreatedEffectProps)
    [referral] = closed.created_referrals
    assert isinstance(referral, talon_one.Referral)
    assert (referral.code, referral.advocate_profile_integration_id) == (props.value, PROFILE)


# ---------------------------------------------------------------- loyalty and giveaways

def test_add_and_deduct_loyalty_points(flows):
    added = [checked_props(e, talon_one.AddLoyaltyPointsEffectProps)
             for e in flows['open'].effects if e.effect_type == 'addLoyaltyPoints']
    assert [(a.program_id, a.value, a.name, a.card_identifier) for a in added] == [
        (7, 12.0, 'Coupon points', None), (8, 3.0, 'Card points', CARD)]
    deducted = props_of(flows['open'], 'deductLoyaltyPoints',
                        talon_one.DeductLoyaltyPointsEffectProps)
    assert (deducted.program_id, deducted.value, deducted.rule_title, deducted.name) == (
        7, 40.0, 'Coupon rule', 'Points spent')


def test_will_award_and_award_giveaway(flows):
    will = props_of(flows['open'], 'willAwardGiveaway', talon_one.WillAwardGiveawayEffectProps)
    assert (will.pool_id, will.pool_name, will.recipient_integration_id) == (5, 'Gift codes',
                                                                             PROFILE)
    awarded = props_of(flows['closed'], 'awardGiveaway', talon_one.AwardGiveawayEffectProps)
    assert (awarded.pool_id, awarded.code, awarded.recipient_integration_id) == (5, 'GIFT-A',
                                                                                 PROFILE)


# ---------------------------------------------------------------- rollbacks

def test_rollbacks_on_cancel(flows):
    cancelled = flows['cancelled']
    coupon = props_of(cancelled, 'rollbackCoupon', talon_one.RollbackCouponEffectProps)
    referral = props_of(cancelled, 'rollbackReferral', talon_one.RollbackReferralEffectProps)
    assert (coupon.value, referral.value) == (COUPON, REFERRAL)
    discounts = {d.name: d for d in (checked_props(e, talon_one.RollbackDiscountEffectProps)
                                     for e in cancelled.effects
                                     if e.effect_type == 'rollbackDiscount')}
    assert sorted(discounts) == ['10% off', 'Free shipping', 'Friend 2 off', 'Half packaging',
                                 'Shoe 5 off']
    shipping = discounts['Free shipping']
    assert (shipping.value, shipping.scope, shipping.additional_cost_id,
            shipping.additional_cost) == (6.0, 'additionalCosts', SHIPPING_COST_ID, 'shipping')
    assert discounts['Half packaging'].cart_item_position == 0
    added = [checked_props(e, talon_one.RollbackAddedLoyaltyPointsEffectProps)
             for e in cancelled.effects if e.effect_type == 'rollbackAddedLoyaltyPoints']
    assert [(a.program_id, a.value) for a in added] == [(7, 12.0), (8, 3.0)]
    refunded = props_of(cancelled, 'rollbackDeductedLoyaltyPoints',
                        talon_one.RollbackDeductedLoyaltyPointsEffectProps)
    assert (refunded.program_id, refunded.value, refunded.recipient_integration_id) == (
        7, 40.0, PROFILE)


# ---------------------------------------------------------------- everything else

def test_add_free_item_notification_and_custom_effect(flows):
    state = flows['open']
    free = props_of(state, 'addFreeItem', talon_one.AddFreeItemEffectProps)
    assert (free.sku, free.name) == ('GIFT', 'Free gift')
    note = props_of(state, 'showNotification', talon_one.ShowNotificationEffectProps)
    assert (note.notification_type, note.title, note.body) == ('warning', 'Hello', 'All effects')
    custom = props_of(state, 'customEffect', talon_one.CustomEffectProps)
    assert (custom.effect_id, custom.name, custom.payload) == (
        4, 'confetti', {'colors': ['red', 'gold'], 'big': True})


def test_update_attribute(flows):
    updates = [checked_props(e, talon_one.UpdateAttributeEffectProps)
               for e in flows['closed'].effects if e.effect_type == 'updateAttribute']
    assert [(u.path, u.value) for u in updates] == [('profile.Tier', 'gold'),
                                                    ('session.Gift', {'wrapped': True})]
    assert flows['closed'].customer_profile.attributes['Tier'] == 'gold'
    assert flows['closed'].customer_session.attributes == {'Gift': {'wrapped': True}}


def test_trigger_webhook_is_reported_not_delivered(flows):
    props = props_of(flows['open'], 'triggerWebhook', talon_one.TriggerWebhookEffectProps)
    assert (props.webhook_id, props.webhook_name) == (9, 'order-hook')


def test_show_bundle_metadata(flows):
    props = props_of(flows['open'], 'showBundleMetadata', talon_one.ShowBundleMetadataEffectProps)
    assert (props.description, props.bundle_attributes, props.items_indices) == (
        'Red things', ['color'], [0])


def test_error(flows):
    props = props_of(flows['open'], 'error', talon_one.ErrorEffectProps)
    assert props.message == 'rule 0 of campaign 1 reports a problem'


def test_the_2026_effects_read_typed(flows):
    tier = props_of(flows['open'], 'changeLoyaltyTierLevel',
                    talon_one.ChangeLoyaltyTierLevelEffectProps)
    assert (tier.program_id, tier.previous_tier_name, tier.new_tier_name) == (7, 'Silver', 'Gold')
    assert tier.expiry_date.tzinfo is not None
    extend = props_of(flows['open'], 'extendLoyaltyPointsExpiryDate',
                      talon_one.ExtendLoyaltyPointsExpiryDateEffectProps)
    assert (extend.program_id, extend.extension_duration) == (7, '30D')
    new_date = props_of(flows['open'], 'setLoyaltyPointsExpiryDate',
                        talon_one.SetLoyaltyPointsExpiryDateEffectProps)
    assert new_date.new_expiry_date.tzinfo is not None
    joined = props_of(flows['open'], 'addToAudience', talon_one.AddToAudienceEffectProps)
    assert (joined.audience_id, joined.profile_integration_id) == (21, PROFILE)
    progress = props_of(flows['open'], 'increaseAchievementProgress',
                        talon_one.IncreaseAchievementProgressEffectProps)
    assert (progress.achievement_id, progress.delta, progress.target) == (31, 2, 6)
    summary = talon_one.summarize_effects(flows['open'])
    assert [t.new_tier_name for t in summary.loyalty.tier_changes] == ['Gold']
    assert [c.effect_type for c in summary.loyalty.expiry_changes] == [
        'extendLoyaltyPointsExpiryDate', 'setLoyaltyPointsExpiryDate']
    assert [(a.direction, a.audience_id) for a in summary.audiences] == [('added', 21),
                                                                        ('removed', 22)]
    assert [p.achievement_id for p in summary.achievements] == [31]


def test_every_effect_type_with_a_model_was_seen(flows):
    seen = {e.effect_type for state in flows.values() for e in state.effects}
    # The strikethrough props describe catalog price previews, never session effects.
    modelled = set(talon_one.models.EFFECT_PROPS_CLASSES) - {'strikethroughSetDiscountPerItem'}
    assert seen == modelled


# ---------------------------------------------------------------- fidelity fixes

@pytest.fixture
def api(talon_sandbox):
    with talon_one.ApiClient(talon_sandbox.configuration()) as client:
        yield talon_one.IntegrationApi(client)


def shoes():
    return [talon_one.CartItem(name='Air Glide', sku='SKU1241028', quantity=1, price=100.0,
                               category='shoes')]


def test_inventory_lists_the_coupon_a_profile_redeemed(api):
    session = talon_one.NewCustomerSessionV2(profile_id='BUYER-1', coupon_codes=['XMAS-20-2021'],
                                             cart_items=shoes(), state='closed')
    api.update_customer_session_v2('BUY-1', talon_one.IntegrationRequest(customer_session=session))
    [coupon] = api.get_customer_inventory('BUYER-1', coupons=True).coupons
    assert isinstance(coupon, talon_one.InventoryCoupon)
    assert (coupon.value, coupon.profile_redemption_count, coupon.state) == (
        'XMAS-20-2021', 1, 'active')      # usable again: it has no usage limit
    reserved = api.get_reserved_customers('XMAS-20-2021').data
    assert 'BUYER-1' in [p.integration_id for p in reserved]


def test_a_used_up_coupon_is_used_in_the_inventory(api):
    session = talon_one.NewCustomerSessionV2(profile_id='BUYER-2', coupon_codes=['ONCE-ONLY-1'],
                                             cart_items=shoes(), state='closed')
    api.update_customer_session_v2('BUY-2', talon_one.IntegrationRequest(customer_session=session))
    [coupon] = api.get_customer_inventory('BUYER-2', coupons=True).coupons
    assert (coupon.value, coupon.state) == ('ONCE-ONLY-1', 'used')


def test_codes_are_case_insensitive_when_the_application_says_so():
    world = effects_world()
    world['application']['caseSensitivity'] = 'insensitive-uppercase'
    world['coupons'].append({'value': 'lower-case-1', 'campaignId': 1})   # stored as LOWER-CASE-1
    with Sandbox(world=world) as sandbox, \
            talon_one.ApiClient(sandbox.configuration()) as client:
        api = talon_one.IntegrationApi(client)
        state = update(api, 'CASE-1', new_session('open', coupon_codes=['all-effects'],
                                                  referral_code='ref-1'))
        assert props_of(state, 'acceptCoupon', talon_one.AcceptCouponEffectProps).value == COUPON
        assert props_of(state, 'acceptReferral', talon_one.AcceptReferralEffectProps).value == \
            REFERRAL
        assert state.customer_session.coupon_codes == [COUPON]     # stored as matched
        reserved = api.create_coupon_reservation(
            'Lower-Case-1', talon_one.CouponReservations(integration_i_ds=[ADVOCATE]))
        assert reserved.value == 'LOWER-CASE-1'


def test_codes_are_case_sensitive_by_default(api):
    session = talon_one.NewCustomerSessionV2(profile_id='CASE-P', coupon_codes=['xmas-20-2021'],
                                             cart_items=shoes())
    state = api.update_customer_session_v2(
        'CASE-2', talon_one.IntegrationRequest(customer_session=session))
    rejected = props_of(state, 'rejectCoupon', talon_one.RejectCouponEffectProps)
    assert (rejected.value, rejected.rejection_reason) == ('xmas-20-2021', 'CouponNotFound')


def test_v1_profile_update_has_its_own_event_and_an_empty_session(api):
    with pytest.warns(DeprecationWarning):
        state = api.update_customer_profile(
            'V1-PROFILE', talon_one.NewCustomerProfile(attributes={'Language': 'de'}))
    assert (state.session.integration_id, state.session.profile_id) == ('', 'V1-PROFILE')
    assert (state.event.type, state.event.profile_id, state.event.session_id) == (
        'talon_profile_updated', 'V1-PROFILE', None)


def test_v1_event_keeps_the_session_discounts(api):
    session = talon_one.NewCustomerSessionV2(profile_id='EVENT-P', coupon_codes=['XMAS-20-2021'],
                                             cart_items=shoes())
    api.update_customer_session_v2('EVENT-S',
                                   talon_one.IntegrationRequest(customer_session=session))
    with pytest.warns(DeprecationWarning):
        state = api.track_event(talon_one.NewEvent(profile_id='EVENT-P', type='review_written',
                                                   attributes={}, session_id='EVENT-S'))
    assert state.session.integration_id == 'EVENT-S'
    assert state.session.discounts == {'Christmas 20%': 20.0, 'Shoe week 10%': 10.0}
    assert [e['effectType'] for e in state.event.effects] == ['addLoyaltyPoints', 'customEffect']


def test_a_closed_session_rejects_changes_with_a_400(api):
    session = talon_one.NewCustomerSessionV2(profile_id='CLOSER', cart_items=shoes(),
                                             state='closed')
    api.update_customer_session_v2('CLOSED-S',
                                   talon_one.IntegrationRequest(customer_session=session))
    # The same content again is a harmless repeat.
    again = api.update_customer_session_v2(
        'CLOSED-S', talon_one.IntegrationRequest(customer_session=session))
    assert again.customer_session.state == 'closed'
    session.cart_items[0].quantity = 3
    with pytest.raises(talon_one.BadRequestException) as caught:
        api.update_customer_session_v2('CLOSED-S',
                                       talon_one.IntegrationRequest(customer_session=session))
    assert "customer session 'CLOSED-S' is closed" in caught.value.body
    assert '/customerSession/cartItems' in caught.value.body
    stored = api.get_customer_session('CLOSED-S').customer_session
    assert (stored.state, stored.cart_items[0].quantity) == ('closed', 1)
