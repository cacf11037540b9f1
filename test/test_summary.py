"""``talon_one.summarize_effects`` (``talon_one.effects.summarize``): effects -> price to pay.

Two kinds of input: responses of the sandbox's example world (a full checkout, a
partial return, a rejected coupon) fetched through the SDK over HTTP, and a
hand-written response holding one effect of every type in
``talon_one.models.EFFECT_PROPS_CLASSES`` plus one the SDK does not know.
"""

import dataclasses
import datetime
import io
import typing
from decimal import Decimal

import pytest

import talon_one
from talon_one import _summary, models
from talon_one.effects import summarize

UTC = datetime.timezone.utc
COUPON = 'XMAS-20-2021'


# ---------------------------------------------------------------- a hand-written response

def _effect(campaign_id, effect_type, props, rule_name='Rule', **extra):
    effect = {'campaignId': campaign_id, 'rulesetId': campaign_id * 100 + 1, 'ruleIndex': 0,
              'ruleName': rule_name, 'effectType': effect_type, 'props': props}
    effect.update(extra)
    return effect


# Shoes 2 x 99.99 with gift wrap 2.00 per pair, socks 3 x 9.50, shipping 4.95.
SESSION = {
    'id': 1, 'integrationId': 'ORDER-1', 'applicationId': 1, 'profileId': 'URNGV8294NV',
    'state': 'open', 'created': '2024-12-01T10:00:00Z', 'updated': '2024-12-01T10:00:00Z',
    'firstSession': False, 'attributes': {},
    'cartItems': [
        {'name': 'Air Glide', 'sku': 'SKU1241028', 'quantity': 2, 'price': 99.99,
         'position': 0, 'additionalCosts': {'gift-wrap': {'price': 2.0}}},
        {'name': 'Running socks', 'sku': 'SOCKS-01', 'quantity': 3, 'price': 9.5, 'position': 1},
    ],
    'additionalCosts': {'shipping': {'price': 4.95}},
    'cartItemTotal': 228.48, 'additionalCostTotal': 8.95, 'total': 237.43,
}

EVERY_EFFECT = [
    _effect(10, 'setDiscount', {'name': 'Christmas 20%', 'value': 45.7, 'scope': 'sessionTotal'},
            'Coupon discount', triggeredByCoupon=1),
    _effect(12, 'setDiscountPerItem', {'name': 'Shoe week 10%', 'value': 20.0, 'position': 0.0,
                                       'scope': 'price'}),
    _effect(13, 'setDiscountPerAdditionalCost', {'name': 'Free shipping', 'value': 4.95,
                                                 'additionalCost': 'shipping',
                                                 'additionalCostId': 1}),
    _effect(13, 'setDiscountPerAdditionalCostPerItem', {
        'name': 'Free wrapping', 'value': 4.0, 'position': 0, 'additionalCost': 'gift-wrap',
        'additionalCostId': 2}),
    _effect(12, 'addFreeItem', {'sku': 'SOCKS-01', 'name': 'Free running socks'}),
    _effect(10, 'acceptCoupon', {'value': COUPON}),
    _effect(10, 'rejectCoupon', {'value': 'EXPIRED-2020', 'rejectionReason': 'CouponExpired',
                                 'details': 'expired on 2020-12-31'}),
    _effect(60, 'couponCreated', {'value': 'THANKS-4821', 'profileId': 'URNGV8294NV'}),
    _effect(61, 'reserveCoupon', {'couponValue': 'RESERVED-ONLY',
                                  'profileIntegrationId': 'URNGV8294NV',
                                  'isNewReservation': True}),
    _effect(45, 'acceptReferral', {'value': 'NT2K54D9'}),
    _effect(45, 'rejectReferral', {'value': 'NOPE1234', 'rejectionReason': 'ReferralNotFound'}),
    _effect(45, 'redeemReferral', {'id': 3, 'value': 'NT2K54D9'}),
    _effect(46, 'referralCreated', {'value': 'REF-XY12'}),
    _effect(20, 'addLoyaltyPoints', {
        'name': 'Purchase points', 'programId': 125, 'subLedgerId': '', 'value': 22.85,
        'recipientIntegrationId': 'URNGV8294NV', 'transactionUUID': 'tx-1'}),
    _effect(20, 'addLoyaltyPoints', {
        'name': 'Summer card points', 'programId': 324, 'subLedgerId': 'summer', 'value': 11.42,
        'recipientIntegrationId': 'URNGV8294NV', 'transactionUUID': 'tx-2',
        'cardIdentifier': 'summer-loyalty-card-0543', 'startDate': '2024-12-31T00:00:00Z',
        'expiryDate': '2025-12-31T00:00:00Z'}),
    _effect(30, 'deductLoyaltyPoints', {
        'ruleTitle': 'Redeem 100 points', 'name': 'Points redemption', 'programId': 125,
        'subLedgerId': '', 'value': 100, 'transactionUUID': 'tx-3'}),
    _effect(10, 'showNotification', {'notificationType': 'info', 'title': 'Coupon applied',
                                     'body': 'You saved 20% with your coupon.'}),
    _effect(40, 'customEffect', {'effectId': 1, 'name': 'send_thank_you_email',
                                 'payload': {'template': 'review-thanks'},
                                 'cartItemPosition': 1}),
    _effect(41, 'awardGiveaway', {'poolId': 1, 'poolName': 'App gifts', 'giveawayId': 5,
                                  'code': 'GIFT-0001', 'recipientIntegrationId': 'URNGV8294NV'}),
    _effect(41, 'willAwardGiveaway', {'poolId': 1, 'poolName': 'App gifts',
                                      'recipientIntegrationId': 'URNGV8294NV'}),
    _effect(10, 'rollbackCoupon', {'value': COUPON}),
    _effect(45, 'rollbackReferral', {'value': 'NT2K54D9'}),
    _effect(10, 'rollbackDiscount', {'name': 'Christmas 20%', 'value': 20.0,
                                     'scope': 'sessionTotal'}),
    _effect(20, 'rollbackAddedLoyaltyPoints', {
        'programId': 125, 'subLedgerId': '', 'value': 10, 'transactionUUID': 'tx-4',
        'recipientIntegrationId': 'URNGV8294NV', 'cartItemPosition': 0}),
    _effect(30, 'rollbackDeductedLoyaltyPoints', {
        'programId': 125, 'subLedgerId': '', 'value': 100, 'transactionUUID': 'tx-5',
        'recipientIntegrationId': 'URNGV8294NV'}),
    _effect(70, 'error', {'message': 'attribute ShippingCity is missing'}),
    _effect(71, 'triggerWebhook', {'webhookId': 7, 'webhookName': 'order-webhook'}),
    _effect(72, 'updateAttribute', {'path': 'profile.Tier', 'value': 'gold'}),
    _effect(73, 'showBundleMetadata', {'description': 'Shoes and socks',
                                       'bundleAttributes': ['category'],
                                       'itemsIndices': [0, 1]}),
    _effect(74, 'strikethroughSetDiscountPerItem', {'name': '1EuroOff', 'value': 1}),
    # New in 2026.
    _effect(20, 'addLoyaltyPoints', {
        'name': 'Points on delivery', 'programId': 125, 'subLedgerId': '', 'value': 5,
        'recipientIntegrationId': 'URNGV8294NV', 'transactionUUID': 'tx-6',
        'awaitsActivation': True}),
    _effect(21, 'changeLoyaltyTierLevel', {
        'ruleTitle': 'Gold at 500', 'programId': 125, 'subLedgerId': '',
        'previousTierName': 'Silver', 'newTierName': 'Gold',
        'expiryDate': '2027-12-31T00:00:00Z'}),
    _effect(22, 'extendLoyaltyPointsExpiryDate', {
        'programId': 125, 'subLedgerId': '', 'extensionDuration': '30D'}),
    _effect(22, 'setLoyaltyPointsExpiryDate', {
        'programId': 324, 'subLedgerId': 'summer', 'newExpiryDate': '2027-06-30T00:00:00Z',
        'affectedTransactions': [{'transactionUUID': 'tx-2',
                                  'previousExpiryDate': '2025-12-31T00:00:00Z',
                                  'newExpiryDate': '2027-06-30T00:00:00Z'}]}),
    _effect(50, 'increaseAchievementProgress', {
        'achievementId': 3, 'achievementName': 'FiveOrders', 'progressTrackerId': 9,
        'delta': 1.0, 'value': 5.0, 'target': 5.0, 'isJustCompleted': True}),
    _effect(50, 'rollbackIncreasedAchievementProgress', {
        'achievementId': 3, 'achievementName': 'FiveOrders', 'progressTrackerId': 9,
        'decreaseProgressBy': 1.0, 'currentProgress': 4.0, 'target': 5.0}),
    _effect(51, 'addToAudience', {'audienceId': 748, 'audienceName': 'VIP',
                                  'profileIntegrationId': 'URNGV8294NV', 'profileId': 1}),
    _effect(51, 'removeFromAudience', {'audienceId': 749, 'audienceName': 'Newcomers',
                                       'profileIntegrationId': 'URNGV8294NV', 'profileId': 1}),
    _effect(80, 'teleport', {'destination': 'moon'}),
]

CAMPAIGNS = [{'id': 10, 'name': 'Christmas coupon'}, {'id': 12, 'name': 'Shoe week'}]


def every_effect_state(session=SESSION, effects=EVERY_EFFECT):
    body = {'effects': effects, 'createdCoupons': [], 'createdReferrals': [],
            'triggeredCampaigns': CAMPAIGNS}
    if session is not None:
        body['customerSession'] = session
    return talon_one.IntegrationStateV2.from_wire(body)


def place(summary, effect_type):
    """The summary attribute that holds effects of ``effect_type`` (e.g. discounts.per_item)."""
    value = summary
    for part in _summary.SUMMARY_PLACES[effect_type].split('.'):
        value = getattr(value, part)
    return value


def test_the_hand_written_state_has_every_effect_type_and_an_unknown_one():
    kinds = {effect['effectType'] for effect in EVERY_EFFECT}
    assert kinds == set(models.EFFECT_PROPS_CLASSES) | {'teleport'}
    assert set(_summary.SUMMARY_PLACES) == set(models.EFFECT_PROPS_CLASSES)


def test_every_effect_lands_in_its_place_in_order():
    summary = summarize(every_effect_state())

    assert len(summary.entries) == len(EVERY_EFFECT)
    for index, (entry, effect) in enumerate(zip(summary.entries, EVERY_EFFECT)):
        assert entry.origin.index == index
        assert entry.origin.effect_type == effect['effectType']
        if effect['effectType'] == 'teleport':
            assert summary.unknown == (entry,)
        else:
            assert entry in place(summary, effect['effectType']), effect['effectType']
    assert summary.warnings == ()


def test_every_entry_names_its_campaign_ruleset_and_rule():
    summary = summarize(every_effect_state())

    for entry, effect in zip(summary.entries, EVERY_EFFECT):
        origin = entry.origin
        assert (origin.campaign_id, origin.ruleset_id, origin.rule_index, origin.rule_name) == (
            effect['campaignId'], effect['rulesetId'], effect['ruleIndex'], effect['ruleName'])
    first = summary.entries[0].origin
    assert first.campaign_name == 'Christmas coupon'        # from triggeredCampaigns
    assert first.triggered_by_coupon == 1
    assert summary.entries[7].origin.campaign_name is None  # campaign 60 was not listed


def test_discounts_per_session_item_additional_cost_and_item_additional_cost():
    discounts = summarize(every_effect_state()).discounts

    assert discounts.by_name == {'Christmas 20%': Decimal('45.70')}
    (item,) = discounts.per_item
    assert (item.position, item.sku, item.name, item.amount) == (
        0, 'SKU1241028', 'Shoe week 10%', Decimal('20.00'))
    assert discounts.by_position == {0: Decimal('20.00')}
    (shipping,) = discounts.per_additional_cost
    assert (shipping.additional_cost, shipping.additional_cost_id, shipping.amount) == (
        'shipping', 1, Decimal('4.95'))
    (wrap,) = discounts.per_item_additional_cost
    assert (wrap.position, wrap.sku, wrap.additional_cost, wrap.amount) == (
        0, 'SKU1241028', 'gift-wrap', Decimal('4.00'))
    assert discounts.by_additional_cost == {'shipping': Decimal('4.95'),
                                            'gift-wrap': Decimal('4.00')}
    assert discounts.total == Decimal('74.65')
    assert discounts.total_float == pytest.approx(74.65)
    assert [d.kind for d in discounts.all] == ['session', 'item', 'additional_cost',
                                               'item_additional_cost']


def test_price_to_pay_is_items_plus_costs_minus_discounts_in_cents():
    summary = summarize(every_effect_state())

    assert summary.cart_items_total == Decimal('228.48')
    assert summary.additional_costs_total == Decimal('8.95')
    assert summary.price_to_pay == Decimal('162.78')        # 228.48 + 8.95 - 74.65
    assert isinstance(summary.price_to_pay, Decimal)
    assert summary.price_to_pay.as_tuple().exponent == -2
    assert summary.price_to_pay_float == pytest.approx(162.78)
    assert summary.cart_items_total_float == pytest.approx(228.48)
    assert summary.additional_costs_total_float == pytest.approx(8.95)


def test_amounts_are_rounded_half_up_and_keep_the_float():
    effects = [_effect(1, 'setDiscount', {'name': 'a', 'value': 0.125}),
               _effect(1, 'setDiscount', {'name': 'a', 'value': 0.1 + 0.2})]
    summary = summarize(effects)

    first, second = summary.discounts.session
    assert (first.amount, first.value) == (Decimal('0.13'), 0.125)
    assert (second.amount, second.value) == (Decimal('0.30'), 0.1 + 0.2)
    assert summary.discounts.by_name == {'a': Decimal('0.43')}


def test_coupons_referrals_and_their_reasons():
    summary = summarize(every_effect_state())

    assert [(c.code, c.status, c.reason, c.campaign_id) for c in summary.coupons] == [
        (COUPON, 'accepted', None, 10),
        ('EXPIRED-2020', 'rejected', 'CouponExpired', 10),
        ('THANKS-4821', 'created', None, 60),
        ('RESERVED-ONLY', 'reserved', None, 61),
    ]
    assert summary.accepted_coupons == summary.coupons[:1]
    (rejected,) = summary.rejected_coupons
    assert rejected.details == 'expired on 2020-12-31'
    assert summary.coupons[2].profile_integration_id == 'URNGV8294NV'
    assert [(r.code, r.status, r.reason) for r in summary.referrals] == [
        ('NT2K54D9', 'accepted', None), ('NOPE1234', 'rejected', 'ReferralNotFound'),
        ('NT2K54D9', 'redeemed', None), ('REF-XY12', 'created', None)]


def test_loyalty_points_per_program_and_subledger_with_pending_dates():
    loyalty = summarize(every_effect_state()).loyalty

    purchase, card, on_delivery = loyalty.added
    assert (purchase.program_id, purchase.subledger_id, purchase.points, purchase.pending) == (
        125, '', Decimal('22.85'), False)
    assert (card.program_id, card.subledger_id, card.card_identifier) == (
        324, 'summer', 'summer-loyalty-card-0543')
    assert card.pending
    assert card.start_date == datetime.datetime(2024, 12, 31, tzinfo=UTC)
    assert card.expiry_date == datetime.datetime(2025, 12, 31, tzinfo=UTC)
    assert on_delivery.pending and on_delivery.start_date is None  # awaits activation
    assert loyalty.added_by_ledger == {(125, ''): Decimal('27.85'),
                                       (324, 'summer'): Decimal('11.42')}
    (deducted,) = loyalty.deducted
    assert (deducted.direction, deducted.name, deducted.transaction_uuid) == (
        'deducted', 'Points redemption', 'tx-3')
    assert loyalty.deducted_by_ledger == {(125, ''): Decimal('100.00')}


def test_tiers_expiry_changes_achievements_and_audiences():
    summary = summarize(every_effect_state())

    tier, = summary.loyalty.tier_changes
    assert (tier.program_id, tier.subledger_id, tier.previous_tier_name, tier.new_tier_name) == (
        125, '', 'Silver', 'Gold')
    assert tier.expiry_date == datetime.datetime(2027, 12, 31, tzinfo=UTC)
    extend, set_date = summary.loyalty.expiry_changes
    assert (extend.effect_type, extend.extension_duration, extend.new_expiry_date) == (
        'extendLoyaltyPointsExpiryDate', '30D', None)
    assert (set_date.program_id, set_date.subledger_id) == (324, 'summer')
    assert set_date.new_expiry_date == datetime.datetime(2027, 6, 30, tzinfo=UTC)
    assert [t.transaction_uuid for t in set_date.affected_transactions] == ['tx-2']
    progress, = summary.achievements
    assert (progress.achievement_id, progress.delta, progress.value, progress.target,
            progress.just_completed) == (3, 1.0, 5.0, 5.0, True)
    rollback = [r for r in summary.rollbacks
                if r.effect_type == 'rollbackIncreasedAchievementProgress']
    assert [(r.name, r.amount) for r in rollback] == [('FiveOrders', Decimal('1.0'))]
    assert [(a.direction, a.audience_id, a.profile_integration_id)
            for a in summary.audiences] == [('added', 748, 'URNGV8294NV'),
                                            ('removed', 749, 'URNGV8294NV')]
    # Points that wait for activation are pending, and still counted on their ledger.
    waiting = [p for p in summary.loyalty.added if p.transaction_uuid == 'tx-6']
    assert waiting[0].pending and waiting[0].awaits_activation
    assert summary.loyalty.added_by_ledger[(125, '')] == Decimal('27.85')
    # None of them is money: the price to pay is what it was.
    assert summary.price_to_pay == Decimal('162.78')


def test_huge_numbers_stay_exact():
    # A 64-bit quantity and a price past a float's exact integers: the fallback totals
    # (no cartItemTotal from the server) are computed in Decimal, not in floats.
    quantity = 4611686018427387903
    session = dict(SESSION, cartItemTotal=None, additionalCostTotal=None, additionalCosts={},
                   cartItems=[{'name': 'Bulk', 'sku': 'BULK', 'quantity': quantity,
                               'price': 0.01, 'position': 0}])
    summary = summarize(every_effect_state(session, [
        _effect(1, 'setDiscount', {'name': 'a', 'value': 2e15})]))
    assert summary.cart_items_total == Decimal(quantity) / 100
    assert summary.discounts.total == Decimal('2000000000000000.00')
    assert summary.price_to_pay == Decimal(quantity) / 100 - Decimal('2000000000000000')


def test_free_items_notifications_custom_effects_and_giveaways():
    summary = summarize(every_effect_state())

    assert [(i.sku, i.name) for i in summary.free_items] == [('SOCKS-01', 'Free running socks')]
    (note,) = summary.notifications
    assert (note.notification_type, note.title) == ('info', 'Coupon applied')
    (custom,) = summary.custom_effects
    assert (custom.name, custom.effect_id, custom.payload, custom.cart_item_position) == (
        'send_thank_you_email', 1, {'template': 'review-thanks'}, 1)
    awarded, pending = summary.giveaways
    assert (awarded.status, awarded.code, awarded.giveaway_id) == ('awarded', 'GIFT-0001', 5)
    assert (pending.status, pending.code, pending.pool_name) == ('pending', None, 'App gifts')


def test_rollbacks_are_their_own_list_and_not_discounts():
    summary = summarize(every_effect_state())

    assert [(r.effect_type, r.code, r.name, r.amount) for r in summary.rollbacks] == [
        ('rollbackCoupon', COUPON, None, None),
        ('rollbackReferral', 'NT2K54D9', None, None),
        ('rollbackDiscount', None, 'Christmas 20%', Decimal('20.00')),
        ('rollbackAddedLoyaltyPoints', None, None, Decimal('10.00')),
        ('rollbackDeductedLoyaltyPoints', None, None, Decimal('100.00')),
        ('rollbackIncreasedAchievementProgress', None, 'FiveOrders', Decimal('1.0')),
    ]
    assert summary.rollbacks[3].cart_item_position == 0
    assert summary.rollbacks[3].program_id == 125
    assert summary.rolled_back_discount_total == Decimal('20.00')
    assert 'rollback' not in {d.origin.effect_type for d in summary.discounts.all}


def test_other_known_effects_say_what_they_are():
    texts = [o.text for o in summarize(every_effect_state()).other]
    assert texts == [
        'Error: attribute ShippingCity is missing',
        'Webhook order-webhook (id 7) triggered',
        "Attribute profile.Tier set to 'gold'",
        "Bundle 'Shoes and socks' of cart items 0, 1",
        'Strikethrough price 1EuroOff: 1',
    ]


def test_unknown_effects_are_kept_as_they_came():
    state = every_effect_state()
    (unknown,) = summarize(state).unknown
    assert unknown.effect is state.effects[-1]
    assert unknown.effect_type == 'teleport'
    assert unknown.effect.props == {'destination': 'moon'}


def test_known_effect_without_props_object_is_unknown_with_a_warning():
    summary = summarize([_effect(1, 'setDiscount', None)])
    assert summary.discounts.total == 0
    assert len(summary.unknown) == 1
    assert [w.message for w in summary.warnings] == ['setDiscount effect without props']


def test_typed_props_come_from_effect_props():
    summary = summarize(every_effect_state())
    for entry in summary.entries:
        if entry.origin.effect_type != 'teleport':
            expected = models.EFFECT_PROPS_CLASSES[entry.origin.effect_type]
            assert type(entry.props).__name__ == expected


# ---------------------------------------------------------------- warnings and limits

def test_references_the_session_does_not_have_give_warnings():
    effects = [
        _effect(12, 'setDiscountPerItem', {'name': 'x', 'value': 1.0, 'position': 5}),
        _effect(13, 'setDiscountPerAdditionalCost', {'name': 'y', 'value': 2.0,
                                                     'additionalCost': 'insurance',
                                                     'additionalCostId': 3}),
        _effect(13, 'setDiscountPerAdditionalCostPerItem', {
            'name': 'z', 'value': 3.0, 'position': 1, 'additionalCost': 'gift-wrap',
            'additionalCostId': 2}),
        _effect(20, 'addLoyaltyPoints', {'name': 'p', 'programId': 1, 'subLedgerId': '',
                                         'value': 1, 'cartItemPosition': 9}),
    ]
    summary = summarize(every_effect_state(effects=effects))

    assert [w.message for w in summary.warnings] == [
        'setDiscountPerItem refers to cart item 5, but the session has 2 cart item(s)',
        "setDiscountPerAdditionalCost refers to additional cost 'insurance', which the "
        'session does not have',
        "setDiscountPerAdditionalCostPerItem refers to additional cost 'gift-wrap', which "
        'cart item 1 does not have',
        'addLoyaltyPoints refers to cart item 9, but the session has 2 cart item(s)',
    ]
    assert [w.origin.index for w in summary.warnings] == [0, 1, 2, 3]
    assert "(campaign 12 Shoe week, rule 'Rule')" in str(summary.warnings[0])
    # The server granted them, so they still count.
    assert summary.discounts.total == Decimal('6.00')
    assert summary.discounts.per_item[0].sku is None


def test_price_to_pay_never_goes_below_zero():
    effects = [_effect(10, 'setDiscount', {'name': 'Everything free', 'value': 500.0})]
    summary = summarize(every_effect_state(effects=effects))

    assert summary.price_to_pay == Decimal('0.00')
    assert summary.discounts.total == Decimal('500.00')
    assert [w.message for w in summary.warnings] == [
        'the discounts (500.00) exceed the session total (237.43); price to pay set to 0']


def test_a_value_that_is_not_a_number_counts_as_zero_with_a_warning():
    effects = [_effect(10, 'setDiscount', {'name': 'odd', 'value': 'lots'}),
               _effect(10, 'setDiscount', {'name': 'fine', 'value': 5})]
    summary = summarize(effects)

    assert summary.discounts.total == Decimal('5.00')
    assert summary.discounts.session[0].amount == Decimal('0.00')
    assert [w.message for w in summary.warnings] == [
        "setDiscount value is not a number ('lots'); counted as 0"]


def test_without_a_session_there_is_no_price_and_no_reference_check():
    summary = summarize(every_effect_state(session=None))

    assert summary.price_to_pay is None and summary.price_to_pay_float is None
    assert summary.cart_items_total is None
    assert summary.discounts.total == Decimal('74.65')
    assert summary.discounts.per_item[0].sku is None
    assert summary.warnings == ()
    assert 'Discounts (no session in the response)' in str(summary)


# ---------------------------------------------------------------- inputs

def test_a_list_of_effects_models_or_json():
    as_json = summarize(EVERY_EFFECT)
    as_models = summarize([talon_one.Effect.from_wire(e) for e in EVERY_EFFECT])
    assert as_json.discounts.total == as_models.discounts.total == Decimal('74.65')
    assert len(as_json.entries) == len(as_models.entries) == len(EVERY_EFFECT)
    assert summarize([]).entries == ()


def test_integration_customer_session_response():
    response = talon_one.IntegrationCustomerSessionResponse.from_wire(
        {'customerSession': SESSION, 'effects': EVERY_EFFECT[:2]})
    assert summarize(response).price_to_pay == Decimal('171.73')   # 237.43 - 45.70 - 20.00


def test_v1_integration_state_reads_the_event_effects_and_the_session_cart():
    session = {'integrationId': 'ORDER-1', 'applicationId': 1, 'profileId': 'URNGV8294NV',
               'coupon': COUPON, 'referral': '', 'state': 'open', 'total': 228.48,
               'firstSession': False, 'attributes': {}, 'discounts': {},
               'created': '2024-12-01T10:00:00Z', 'updated': '2024-12-01T10:00:00Z',
               'cartItems': [{'sku': 'SKU1241028', 'quantity': 2, 'price': 99.99},
                             {'sku': 'SOCKS-01', 'quantity': 3, 'price': 9.5,
                              'remainingQuantity': 2}]}
    state = talon_one.IntegrationState.from_wire({
        'session': session, 'profile': {}, 'event': {'effects': EVERY_EFFECT[:2]}})
    summary = summarize(state)
    # v1 sessions have no totals: price x remaining quantity, no additional costs.
    assert summary.cart_items_total == Decimal('218.98')
    assert summary.additional_costs_total == Decimal('0.00')
    assert summary.price_to_pay == Decimal('153.28')
    assert summary.discounts.per_item[0].sku == 'SKU1241028'
    empty = talon_one.IntegrationState.from_wire({'session': session, 'profile': {}})
    assert summarize(empty).entries == ()


def test_reopen_session_response_lists_the_rollbacks():
    response = talon_one.ReopenSessionResponse.from_wire({'effects': EVERY_EFFECT[20:25]})
    summary = summarize(response)
    assert [r.effect_type for r in summary.rollbacks] == [
        'rollbackCoupon', 'rollbackReferral', 'rollbackDiscount', 'rollbackAddedLoyaltyPoints',
        'rollbackDeductedLoyaltyPoints']
    assert summary.price_to_pay is None


@pytest.mark.parametrize('model', ['IntegrationEventV3Response', 'EventV3'])
def test_advanced_event_responses_list_their_effects(model):
    # track_event_v3 answers with an IntegrationEventV3Response, get_event_v3 with an EventV3;
    # neither carries a session, so there is no price to pay.
    effects = [_effect(51, 'addToAudience', {'audienceId': 748, 'audienceName': 'VIP',
                                             'profileIntegrationId': 'URNGV8294NV'}),
               _effect(50, 'increaseAchievementProgress', {
                   'achievementId': 3, 'achievementName': 'FiveOrders', 'delta': 1,
                   'value': 2, 'target': 5, 'isJustCompleted': False})]
    summary = summarize(getattr(talon_one, model).from_wire({'effects': effects}))
    assert [a.audience_name for a in summary.audiences] == ['VIP']
    assert [(p.value, p.just_completed) for p in summary.achievements] == [(2, False)]
    assert summary.price_to_pay is None


def test_other_inputs_are_refused_with_what_is_accepted():
    with pytest.raises(TypeError, match=r'IntegrationStateV2, IntegrationState, .*got dict'):
        summarize({'effects': []})
    with pytest.raises(TypeError, match=r'effects\[1\] is a str'):
        summarize([EVERY_EFFECT[0], 'setDiscount'])


# ---------------------------------------------------------------- the values themselves

def test_the_summary_is_immutable():
    summary = summarize(every_effect_state())
    with pytest.raises(dataclasses.FrozenInstanceError):
        summary.price_to_pay = Decimal('0')
    with pytest.raises(dataclasses.FrozenInstanceError):
        summary.discounts.session[0].amount = Decimal('0')
    with pytest.raises(dataclasses.FrozenInstanceError):
        summary.entries[0].origin.campaign_id = 1
    for name in ('free_items', 'coupons', 'rollbacks', 'unknown', 'warnings', 'entries'):
        assert isinstance(getattr(summary, name), tuple)
    for entry in summary.entries:           # props and payloads are left out of hashing
        hash(entry)


def test_the_summary_types_are_fully_annotated():
    for cls in (_summary.EffectsSummary, _summary.Discount, _summary.Discounts,
                _summary.LoyaltyPoints, _summary.CodeOutcome, _summary.Rollback,
                _summary.EffectOrigin):
        hints = typing.get_type_hints(cls)
        assert set(hints) == {f.name for f in dataclasses.fields(cls)}
    hints = typing.get_type_hints(_summary.summarize)
    assert hints['return'] is _summary.EffectsSummary
    assert summarize.__annotations__['return'] == 'EffectsSummary'    # the lazy public wrapper


def test_the_receipt():
    text = str(summarize(every_effect_state()))
    lines = text.splitlines()

    assert lines[0].split() == ['Cart', 'items', '228.48']
    assert lines[1].split() == ['Additional', 'costs', '8.95']
    assert lines[2].startswith('- Christmas 20%')
    assert "-45.70   [campaign 10 Christmas coupon, rule 'Coupon discount']" in lines[2]
    assert '- item 0 SKU1241028: Shoe week 10%' in text
    assert '- shipping: Free shipping' in text
    assert '- item 0 gift-wrap: Free wrapping' in text
    assert lines[6].split() == ['Price', 'to', 'pay', '162.78']
    assert 'Free item Free running socks (SOCKS-01)' in text
    assert 'Coupon EXPIRED-2020 rejected: CouponExpired' in text
    assert 'Referral NOPE1234 rejected: ReferralNotFound' in text
    assert ('Points +11.42 program 324 / summer card summer-loyalty-card-0543 '
            '(Summer card points, pending until 2024-12-31)') in text
    assert 'Points -100.00 program 125 (Points redemption)' in text
    assert 'Giveaway from pool App gifts: GIFT-0001' in text
    assert 'Rolled back discount Christmas 20%: 20.00' in text
    assert 'Rolled back coupon XMAS-20-2021' in text
    assert 'Refunded points +100.00 program 125' in text
    assert 'Unknown effect teleport' in text
    assert 'Points +5.00 program 125 (Points on delivery, pending until activated)' in text
    assert 'Tier Silver -> Gold program 125' in text
    assert 'Points expiry +30D program 125' in text
    assert 'Points expiry 2027-06-30 program 324 / summer' in text
    assert 'Achievement FiveOrders: +1 (5 of 5, completed)' in text
    assert 'Rolled back achievement progress FiveOrders: -1' in text
    assert 'Audience VIP: added' in text and 'Audience Newcomers: removed' in text
    # Amounts line up in one column.
    money = lines[:7]
    assert len({len(line.split('   [')[0]) for line in money}) == 1


def test_the_receipt_lists_warnings_last():
    effects = [_effect(12, 'setDiscountPerItem', {'name': 'x', 'value': 1.0, 'position': 5})]
    lines = str(summarize(every_effect_state(effects=effects))).splitlines()
    assert lines[-1].startswith('Warning: setDiscountPerItem refers to cart item 5')


# ---------------------------------------------------------------- the example world

DEMO_CUSTOMER = 'SUMMARY-CUSTOMER-1'


@pytest.fixture
def api(talon_sandbox):
    with talon_one.ApiClient(talon_sandbox.configuration()) as client:
        yield talon_one.IntegrationApi(client)


def _demo_cart_session(coupon_codes=(COUPON,)):
    """The demo's cart: 2 pairs of shoes, 3 pairs of socks, shipping, a coupon."""
    return talon_one.NewCustomerSessionV2(
        profile_id=DEMO_CUSTOMER, coupon_codes=list(coupon_codes),
        cart_items=[
            talon_one.CartItem(name='Air Glide', sku='SKU1241028', quantity=2, price=99.99,
                               category='shoes'),
            talon_one.CartItem(name='Running socks', sku='SOCKS-01', quantity=3, price=9.5,
                               category='socks'),
        ],
        additional_costs={'shipping': talon_one.AdditionalCost(price=4.95)})


def _update(api, session_id, session):
    return api.update_customer_session_v2(session_id, talon_one.IntegrationRequest(
        customer_session=session, response_content=['customerSession', 'triggeredCampaigns']))


def _raw_discount_sum(state):
    kinds = ('setDiscount', 'setDiscountPerItem', 'setDiscountPerAdditionalCost',
             'setDiscountPerAdditionalCostPerItem')
    return sum(Decimal(repr(e.props['value'])) for e in state.effects if e.effect_type in kinds)


def test_full_checkout_in_the_example_world(api):
    session = _demo_cart_session()
    state = _update(api, 'SUMMARY-ORDER-1', session)
    summary = summarize(state)

    assert summary.cart_items_total == Decimal('228.48')     # 2 x 99.99 + 3 x 9.50
    assert summary.additional_costs_total == Decimal('4.95')
    christmas = summary.discounts.session[0]
    assert (christmas.name, christmas.amount, christmas.origin.campaign_name) == (
        'Christmas 20%', Decimal('45.70'), 'Christmas coupon')
    assert summary.discounts.by_position[0] == Decimal('20.00')  # 10% of the shoes
    assert summary.discounts.per_item[0].sku == 'SKU1241028'
    # Whatever discounts the world grants, the price is the session's total minus them.
    assert summary.price_to_pay == Decimal(repr(state.customer_session.total)) - \
        _raw_discount_sum(state)
    assert summary.discounts.total == _raw_discount_sum(state)
    assert [c.code for c in summary.accepted_coupons] == [COUPON]
    assert [i.sku for i in summary.free_items] == ['SOCKS-01']
    assert (125, '') in summary.loyalty.added_by_ledger
    assert summary.unknown == () and summary.warnings == ()

    session.state = 'closed'
    closed = summarize(_update(api, 'SUMMARY-ORDER-1', session))
    assert closed.price_to_pay == summary.price_to_pay
    assert 'Price to pay' in str(closed)


def test_partial_return_in_the_example_world(api):
    session = _demo_cart_session()
    session.state = 'closed'
    _update(api, 'SUMMARY-ORDER-2', session)

    state = api.return_cart_items('SUMMARY-ORDER-2', talon_one.ReturnIntegrationRequest(
        _return=talon_one.NewReturn(returned_cart_items=[
            talon_one.ReturnedCartItem(position=0, quantity=1)])))
    summary = summarize(state)

    # The return's effects are rollbacks only: the share of one pair of shoes.
    assert summary.discounts.all == ()
    assert len(summary.rollbacks) == len(state.effects)
    assert all(e.effect_type.startswith('rollback') for e in state.effects)
    discounts = {r.name: r.amount for r in summary.rollbacks
                 if r.effect_type == 'rollbackDiscount'}
    assert discounts['Christmas 20%'] == Decimal('20.00')    # 99.99 / 228.48 of 45.70
    assert discounts['Shoe week 10%'] == Decimal('10.00')    # half of 20.00
    assert summary.rolled_back_discount_total == sum(
        Decimal(repr(e.props['value'])) for e in state.effects
        if e.effect_type == 'rollbackDiscount')
    assert 'rollbackAddedLoyaltyPoints' in {r.effect_type for r in summary.rollbacks}
    # The session now counts one pair of shoes: 99.99 + 28.50, plus shipping.
    assert summary.cart_items_total == Decimal('128.49')
    assert summary.price_to_pay == Decimal('133.44')
    assert summary.warnings == ()
    assert 'Discounts rolled back' in str(summary)


def test_rejected_coupon_in_the_example_world(api):
    state = _update(api, 'SUMMARY-ORDER-3', _demo_cart_session(['EXPIRED-2020']))
    summary = summarize(state)

    (rejected,) = summary.rejected_coupons
    assert (rejected.code, rejected.reason, rejected.campaign_id) == (
        'EXPIRED-2020', 'CouponExpired', 10)
    assert summary.accepted_coupons == ()
    assert 'Christmas 20%' not in summary.discounts.by_name
    assert summary.price_to_pay == Decimal('233.43') - _raw_discount_sum(state)
    assert 'Coupon EXPIRED-2020 rejected: CouponExpired' in str(summary)


class _Recording(object):
    """An IntegrationApi that remembers what each call returned."""

    def __init__(self, api):
        self.api = api
        self.results = []

    def __getattr__(self, name):
        method = getattr(self.api, name)

        def call(*args, **kwargs):
            result = method(*args, **kwargs)
            self.results.append((name, result))
            return result
        return call


def test_the_demo_prints_the_price_to_pay_of_its_checkout(talon_sandbox):
    from talon_one.sandbox import demo
    out = io.StringIO()
    with talon_one.ApiClient(talon_sandbox.configuration()) as client:
        api = _Recording(talon_one.IntegrationApi(client))
        demo.run(api, demo.Printer(out))

    (checkout,) = [result for name, result in api.results
                   if name == 'update_customer_session_v2'
                   and result.customer_session.state == 'closed']
    expected = Decimal(repr(checkout.customer_session.total)) - _raw_discount_sum(checkout)
    lines = [line.strip() for line in out.getvalue().splitlines()]
    assert 'price to pay (talon_one.summarize_effects): %s' % expected in lines
    # With today's example world: 228.48 + 4.95 - 45.70 (Christmas 20%) - 20.00 (Shoe week).
    assert expected == summarize(checkout).price_to_pay
    assert expected > 0


def test_the_public_names():
    assert talon_one.summarize_effects is talon_one.effects.summarize is summarize
    assert 'summarize_effects' in talon_one.__all__
    assert {'summarize', 'EffectsSummary'} <= set(talon_one.effects.__all__)
    assert isinstance(summarize([]), talon_one.effects.EffectsSummary)


def test_import_talon_one_does_not_load_the_summary_until_used():
    import json
    import os
    import subprocess
    import sys
    code = ('import json, sys\n'
            'import talon_one\n'
            'before = "talon_one._summary" in sys.modules\n'
            'talon_one.summarize_effects([])\n'
            'print(json.dumps([before, "talon_one._summary" in sys.modules]))\n')
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    result = subprocess.run([sys.executable, '-c', code], cwd=root, capture_output=True,
                            text=True, check=True)
    assert json.loads(result.stdout) == [False, True]
