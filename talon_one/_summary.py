"""``summarize(state)``: what the effects of a response mean for the checkout.

Every shop integration walks ``state.effects`` after a session update: it adds up
the discounts, adds free items, shows notifications, reports coupons and points.
``summarize`` does that walk once, into the immutable, typed values of
talon_one/_summary_types.py:

- the discounts (per session, per cart item, per additional cost, per additional
  cost of a cart item) and the price to pay, as ``Decimal`` rounded to cents;
- free items, coupons, referrals, loyalty points, tier and expiry changes,
  achievements, audience changes, notifications, custom effects, giveaways and
  rollbacks, each entry with the ``EffectOrigin`` (campaign, ruleset, rule) of the
  effect it came from;
- warnings for effects that point at cart items or additional costs the session
  does not have, and every effect type it does not know, unchanged, in ``unknown``.

Props are read through ``talon_one.effect_props``; nothing here talks to the API.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, cast

from talon_one import models
from talon_one._summary_types import (
    MONEY, ZERO, AchievementProgress, AudienceChange, CodeOutcome, CustomEffect, Discount,
    Discounts, EffectOrigin, EffectsSummary, Entry, ExpiryChange, FreeItem, GiveawayAward,
    LoyaltyPoints, LoyaltySummary, Notification, OtherEffect, Rollback, SummaryWarning,
    TierChange, UnknownEffect, exact, money_sum, to_cents,
)
from talon_one._effects import _field, effect_props
from talon_one.model_base import Model

# -- reading the input ------------------------------------------------------------

_ACCEPTED = ('IntegrationStateV2, IntegrationState, IntegrationCustomerSessionResponse, '
             'IntegrationEventV3Response, EventV3, ReopenSessionResponse or a list of effects')


def _unpack(state: Any) -> Tuple[List[Any], Any, Dict[int, str]]:
    """(effects, session or None, campaign id -> name) of whatever was passed."""
    if isinstance(state, (list, tuple)):
        return list(cast('Sequence[Any]', state)), None, {}  # a list of effects (or dicts)
    if isinstance(state, models.IntegrationStateV2):
        names: Dict[int, str] = {c.id: c.name for c in state.triggered_campaigns or ()
                                 if c is not None and c.id is not None and c.name is not None}
        return list(state.effects or ()), state.customer_session, names
    if isinstance(state, models.IntegrationCustomerSessionResponse):
        return list(state.effects or ()), state.customer_session, {}
    if isinstance(state, models.IntegrationState):
        effects = state.event.effects if state.event is not None else None
        return list(effects or ()), state.session, {}
    if isinstance(state, (models.ReopenSessionResponse, models.IntegrationEventV3Response,
                          models.EventV3)):
        return list(state.effects or ()), None, {}
    raise TypeError('summarize() takes an %s; got %s' % (_ACCEPTED, type(state).__name__))


def _origin(index: int, effect: Any, names: Dict[int, str]) -> EffectOrigin:
    _get = _field               # an Effect's attribute, or a JSON effect's key
    campaign_id = _get(effect, 'campaign_id', 'campaignId')
    return EffectOrigin(
        index=index,
        effect_type=_get(effect, 'effect_type', 'effectType'),
        campaign_id=campaign_id,
        campaign_name=names.get(campaign_id) if isinstance(campaign_id, int) else None,
        ruleset_id=_get(effect, 'ruleset_id', 'rulesetId'),
        rule_index=_get(effect, 'rule_index', 'ruleIndex'),
        rule_name=_get(effect, 'rule_name', 'ruleName'),
        triggered_by_coupon=_get(effect, 'triggered_by_coupon', 'triggeredByCoupon'),
        triggered_for_catalog_item=_get(effect, 'triggered_for_catalog_item',
                                        'triggeredForCatalogItem'),
    )


def _number(value: Any) -> Optional[float]:
    """``value`` when it is a finite JSON number (lenient parsing keeps anything), else None.

    Integers are kept as they are, however large (a 64-bit quantity is exact).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return value
    return None


def _as_float(number: float) -> float:
    """The float beside an exact amount; an integer past the float range reads as inf."""
    try:
        return float(number)
    except OverflowError:
        return math.inf if number > 0 else -math.inf


def _position(value: Any) -> Optional[int]:
    """A cart item position (a JSON number, sometimes sent as 1.0) as an int."""
    number = _number(value)
    if isinstance(number, int):
        return number
    return int(number) if number is not None and number.is_integer() else None


class _Cart(object):
    """The session's cart items and additional costs, for totals and reference checks."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.items: Sequence[Any] = list(getattr(session, 'cart_items', None) or ())
        self.costs: Dict[str, Any] = dict(getattr(session, 'additional_costs', None) or {})

    def item(self, position: Optional[int]) -> Any:
        if position is None or not 0 <= position < len(self.items):
            return None
        return self.items[position]

    def totals(self) -> Tuple[Decimal, Decimal]:
        """(cart items total, additional costs total): the server's when it sent them,
        else price x remaining quantity of each line, exactly (Decimal, not float)."""
        items_total = _number(getattr(self.session, 'cart_item_total', None))
        costs_total = _number(getattr(self.session, 'additional_cost_total', None))
        items = exact(items_total) if items_total is not None else money_sum(
            MONEY.multiply(_price(item), _remaining(item)) for item in self.items)
        if costs_total is not None:
            costs = exact(costs_total)
        else:
            costs = money_sum(_price(cost) for cost in self.costs.values())
            for item in self.items:
                per_unit: Mapping[str, Any] = getattr(item, 'additional_costs', None) or {}
                unit = money_sum(_price(cost) for cost in per_unit.values())
                costs = MONEY.add(costs, MONEY.multiply(unit, _remaining(item)))
        return to_cents(items), to_cents(costs)


def _price(thing: Any) -> Decimal:
    price = _number(getattr(thing, 'price', None))
    return exact(price) if price is not None else ZERO


def _remaining(item: Any) -> Decimal:
    remaining = _number(getattr(item, 'remaining_quantity', None))
    if remaining is None:
        remaining = _number(getattr(item, 'quantity', None))
    return Decimal(int(remaining or 0))


# -- the walk -------------------------------------------------------------------

class _Walk(object):
    """One pass over the effects, sorting each into its place."""

    def __init__(self, session: Any, names: Dict[int, str]) -> None:
        self.cart = _Cart(session) if session is not None else None
        self.names = names
        self.entries: List[Entry] = []
        self.warnings: List[SummaryWarning] = []

    def add(self, index: int, effect: Any) -> None:
        if not isinstance(effect, (Model, dict)):
            raise TypeError('summarize(): effects[%d] is a %s, not an Effect or its JSON object'
                            % (index, type(effect).__name__))
        origin = _origin(index, effect, self.names)
        kind = origin.effect_type
        reader = _READERS.get(kind) if isinstance(kind, str) else None
        props = effect_props(effect)
        if reader is None or not isinstance(props, Model):
            if reader is not None:
                self.warn('%s effect without props' % kind, origin)
            self.entries.append(UnknownEffect(kind, origin, effect))
            return
        self.entries.append(reader(self, props, origin))

    def warn(self, message: str, origin: Optional[EffectOrigin] = None) -> None:
        self.warnings.append(SummaryWarning(message, origin))

    def money(self, value: Any, what: str, origin: EffectOrigin) -> Tuple[Decimal, float]:
        number = _number(value)
        if number is not None:
            return to_cents(number), _as_float(number)
        self.warn('%s %s is not a number (%r); counted as 0' % (origin.effect_type, what, value),
                  origin)
        return ZERO, 0.0

    def cart_item(self, position: Any, origin: EffectOrigin) -> Any:
        """The cart item at ``position``; warns when the session has none there."""
        if self.cart is None or position is None:
            return None
        index = _position(position)
        item = self.cart.item(index)
        if item is None:
            self.warn('%s refers to cart item %r, but the session has %d cart item(s)'
                      % (origin.effect_type, position if index is None else index,
                         len(self.cart.items)), origin)
        return item

    def check_cost(self, name: Optional[str], costs: Any, where: str,
                   origin: EffectOrigin) -> None:
        if name is not None and name not in (costs or {}):
            self.warn('%s refers to additional cost %r, which %s does not have'
                      % (origin.effect_type, name, where), origin)

    # -- one reader per effect type ----------------------------------------------

    def _discount(self, kind: str, props: Any, origin: EffectOrigin,
                  position: Optional[int] = None, item: Any = None,
                  cost: Optional[str] = None) -> Discount:
        amount, value = self.money(props.value, 'value', origin)
        return Discount(
            kind=kind, name=props.name, amount=amount, value=value, position=position,
            sub_position=getattr(props, 'sub_position', None),
            sku=getattr(item, 'sku', None), additional_cost=cost,
            additional_cost_id=getattr(props, 'additional_cost_id', None),
            scope=getattr(props, 'scope', None), desired_value=props.desired_value,
            origin=origin, props=props)

    def set_discount(self, props: Any, origin: EffectOrigin) -> Entry:
        return self._discount('session', props, origin)

    def set_discount_per_item(self, props: Any, origin: EffectOrigin) -> Entry:
        item = self.cart_item(props.position, origin)
        return self._discount('item', props, origin, _position(props.position), item)

    def set_discount_per_additional_cost(self, props: Any, origin: EffectOrigin) -> Entry:
        if self.cart is not None:
            self.check_cost(props.additional_cost, self.cart.costs, 'the session', origin)
        return self._discount('additional_cost', props, origin, cost=props.additional_cost)

    def set_discount_per_additional_cost_per_item(self, props: Any,
                                                  origin: EffectOrigin) -> Entry:
        item = self.cart_item(props.position, origin)
        position = _position(props.position)
        if item is not None:
            self.check_cost(props.additional_cost, item.additional_costs,
                            'cart item %s' % position, origin)
        return self._discount('item_additional_cost', props, origin, position, item,
                              props.additional_cost)

    def add_free_item(self, props: Any, origin: EffectOrigin) -> Entry:
        return FreeItem(props.sku, props.name, origin, props)

    def _code(self, status: str, props: Any, origin: EffectOrigin, code: Any = None,
              profile: Optional[str] = None) -> CodeOutcome:
        return CodeOutcome(
            code=props.value if code is None else code, status=status,
            reason=getattr(props, 'rejection_reason', None),
            details=getattr(props, 'details', None), campaign_id=origin.campaign_id,
            profile_integration_id=profile, origin=origin, props=props)

    def accept(self, props: Any, origin: EffectOrigin) -> Entry:
        return self._code('accepted', props, origin)

    def reject(self, props: Any, origin: EffectOrigin) -> Entry:
        return self._code('rejected', props, origin)

    def coupon_created(self, props: Any, origin: EffectOrigin) -> Entry:
        return self._code('created', props, origin, profile=props.profile_id)

    def referral_created(self, props: Any, origin: EffectOrigin) -> Entry:
        return self._code('created', props, origin)

    def reserve_coupon(self, props: Any, origin: EffectOrigin) -> Entry:
        return self._code('reserved', props, origin, props.coupon_value,
                          props.profile_integration_id)

    def redeem_referral(self, props: Any, origin: EffectOrigin) -> Entry:
        return self._code('redeemed', props, origin)

    def _points(self, direction: str, props: Any, origin: EffectOrigin) -> LoyaltyPoints:
        self.cart_item(getattr(props, 'cart_item_position', None), origin)
        points, value = self.money(props.value, 'value', origin)
        return LoyaltyPoints(
            direction=direction, program_id=props.program_id,
            subledger_id=props.sub_ledger_id or '', points=points, value=value,
            name=props.name, card_identifier=props.card_identifier,
            recipient_integration_id=getattr(props, 'recipient_integration_id', None),
            start_date=getattr(props, 'start_date', None),
            expiry_date=getattr(props, 'expiry_date', None),
            transaction_uuid=props.transaction_uuid, origin=origin, props=props,
            awaits_activation=getattr(props, 'awaits_activation', None) is True)

    def add_points(self, props: Any, origin: EffectOrigin) -> Entry:
        return self._points('added', props, origin)

    def tier_change(self, props: Any, origin: EffectOrigin) -> Entry:
        return TierChange(program_id=props.program_id, subledger_id=props.sub_ledger_id or '',
                          previous_tier_name=props.previous_tier_name,
                          new_tier_name=props.new_tier_name, expiry_date=props.expiry_date,
                          origin=origin, props=props)

    def expiry_change(self, props: Any, origin: EffectOrigin) -> Entry:
        return ExpiryChange(
            effect_type=origin.effect_type or '', program_id=props.program_id,
            subledger_id=props.sub_ledger_id or '',
            extension_duration=getattr(props, 'extension_duration', None),
            new_expiry_date=getattr(props, 'new_expiry_date', None),
            affected_transactions=tuple(props.affected_transactions or ()), origin=origin,
            props=props)

    def achievement(self, props: Any, origin: EffectOrigin) -> Entry:
        return AchievementProgress(
            achievement_id=props.achievement_id, achievement_name=props.achievement_name,
            delta=_number(props.delta), value=_number(props.value),
            target=_number(props.target), just_completed=props.is_just_completed is True,
            origin=origin, props=props)

    def audience(self, props: Any, origin: EffectOrigin) -> Entry:
        added = origin.effect_type == 'addToAudience'
        return AudienceChange(
            direction='added' if added else 'removed', audience_id=props.audience_id,
            audience_name=props.audience_name,
            profile_integration_id=props.profile_integration_id, origin=origin, props=props)

    def achievement_rollback(self, props: Any, origin: EffectOrigin) -> Entry:
        taken_back = _number(props.decrease_progress_by)
        return Rollback(
            effect_type=origin.effect_type or '', code=None, name=props.achievement_name,
            amount=exact(taken_back) if taken_back is not None else None, program_id=None,
            subledger_id=None, cart_item_position=None, additional_cost=None, origin=origin,
            props=props)

    def deduct_points(self, props: Any, origin: EffectOrigin) -> Entry:
        return self._points('deducted', props, origin)

    def notification(self, props: Any, origin: EffectOrigin) -> Entry:
        return Notification(props.notification_type, props.title, props.body, origin, props)

    def custom_effect(self, props: Any, origin: EffectOrigin) -> Entry:
        self.cart_item(props.cart_item_position, origin)
        return CustomEffect(props.name, props.effect_id, props.payload,
                            _position(props.cart_item_position), origin, props)

    def giveaway(self, props: Any, origin: EffectOrigin) -> Entry:
        awarded = origin.effect_type == 'awardGiveaway'
        return GiveawayAward(
            status='awarded' if awarded else 'pending', pool_id=props.pool_id,
            pool_name=props.pool_name, code=getattr(props, 'code', None),
            giveaway_id=getattr(props, 'giveaway_id', None),
            recipient_integration_id=props.recipient_integration_id, origin=origin,
            props=props)

    def rollback(self, props: Any, origin: EffectOrigin) -> Entry:
        value = getattr(props, 'value', None)
        if origin.effect_type in ('rollbackCoupon', 'rollbackReferral'):
            code, amount = value, None
        else:
            code, amount = None, self.money(value, 'value', origin)[0]
        position = getattr(props, 'cart_item_position', None)
        self.cart_item(position, origin)
        return Rollback(
            effect_type=origin.effect_type or '', code=code, name=getattr(props, 'name', None),
            amount=amount, program_id=getattr(props, 'program_id', None),
            subledger_id=getattr(props, 'sub_ledger_id', None),
            cart_item_position=_position(position),
            additional_cost=getattr(props, 'additional_cost', None), origin=origin, props=props)

    def other(self, props: Any, origin: EffectOrigin) -> Entry:
        kind = origin.effect_type or ''
        return OtherEffect(kind, _OTHER_TEXT[kind](props), origin, props)

    def bundle(self, props: Any, origin: EffectOrigin) -> Entry:
        for position in props.items_indices or ():
            self.cart_item(position, origin)
        return self.other(props, origin)


def _plain(value: Any) -> Any:
    """A JSON number without a needless ``.0`` (ids and positions arrive as floats)."""
    position = _position(value)
    return value if position is None else position


# The text of each effect type ``other`` reads, from its props (the effect type's model).
_OTHER_TEXT: Dict[str, Callable[[Any], str]] = {
    'error': lambda p: 'Error: %s' % p.message,
    'triggerWebhook': lambda p: 'Webhook %s (id %s) triggered' % (
        p.webhook_name, _plain(p.webhook_id)),
    'updateAttribute': lambda p: 'Attribute %s set to %r' % (p.path, p.value),
    'showBundleMetadata': lambda p: 'Bundle %r of cart items %s' % (
        p.description, ', '.join(str(_plain(i)) for i in p.items_indices or ())),
    'strikethroughSetDiscountPerItem': lambda p: 'Strikethrough price %s: %s' % (p.name,
                                                                                 p.value),
}

_READERS = {
    'setDiscount': _Walk.set_discount,
    'setDiscountPerItem': _Walk.set_discount_per_item,
    'setDiscountPerAdditionalCost': _Walk.set_discount_per_additional_cost,
    'setDiscountPerAdditionalCostPerItem': _Walk.set_discount_per_additional_cost_per_item,
    'addFreeItem': _Walk.add_free_item,
    'acceptCoupon': _Walk.accept,
    'rejectCoupon': _Walk.reject,
    'couponCreated': _Walk.coupon_created,
    'reserveCoupon': _Walk.reserve_coupon,
    'acceptReferral': _Walk.accept,
    'rejectReferral': _Walk.reject,
    'redeemReferral': _Walk.redeem_referral,
    'referralCreated': _Walk.referral_created,
    'addLoyaltyPoints': _Walk.add_points,
    'deductLoyaltyPoints': _Walk.deduct_points,
    'showNotification': _Walk.notification,
    'customEffect': _Walk.custom_effect,
    'awardGiveaway': _Walk.giveaway,
    'willAwardGiveaway': _Walk.giveaway,
    'rollbackCoupon': _Walk.rollback,
    'rollbackReferral': _Walk.rollback,
    'rollbackDiscount': _Walk.rollback,
    'rollbackAddedLoyaltyPoints': _Walk.rollback,
    'rollbackDeductedLoyaltyPoints': _Walk.rollback,
    'rollbackIncreasedAchievementProgress': _Walk.achievement_rollback,
    'changeLoyaltyTierLevel': _Walk.tier_change,
    'extendLoyaltyPointsExpiryDate': _Walk.expiry_change,
    'setLoyaltyPointsExpiryDate': _Walk.expiry_change,
    'increaseAchievementProgress': _Walk.achievement,
    'addToAudience': _Walk.audience,
    'removeFromAudience': _Walk.audience,
    'error': _Walk.other,
    'triggerWebhook': _Walk.other,
    'updateAttribute': _Walk.other,
    'showBundleMetadata': _Walk.bundle,
    'strikethroughSetDiscountPerItem': _Walk.other,
}

_COUPON_TYPES = ('acceptCoupon', 'rejectCoupon', 'couponCreated', 'reserveCoupon')
_REFERRAL_TYPES = ('acceptReferral', 'rejectReferral', 'redeemReferral', 'referralCreated')

# Effect type -> the summary attribute holding it (used by the reference pages too).
SUMMARY_PLACES = {
    'setDiscount': 'discounts.session',
    'setDiscountPerItem': 'discounts.per_item',
    'setDiscountPerAdditionalCost': 'discounts.per_additional_cost',
    'setDiscountPerAdditionalCostPerItem': 'discounts.per_item_additional_cost',
    'addFreeItem': 'free_items',
    'addLoyaltyPoints': 'loyalty.added',
    'deductLoyaltyPoints': 'loyalty.deducted',
    'showNotification': 'notifications',
    'changeLoyaltyTierLevel': 'loyalty.tier_changes',
    'extendLoyaltyPointsExpiryDate': 'loyalty.expiry_changes',
    'setLoyaltyPointsExpiryDate': 'loyalty.expiry_changes',
    'increaseAchievementProgress': 'achievements',
    'addToAudience': 'audiences',
    'removeFromAudience': 'audiences',
    'customEffect': 'custom_effects',
    'awardGiveaway': 'giveaways',
    'willAwardGiveaway': 'giveaways',
}
SUMMARY_PLACES.update((kind, 'coupons') for kind in _COUPON_TYPES)
SUMMARY_PLACES.update((kind, 'referrals') for kind in _REFERRAL_TYPES)
SUMMARY_PLACES.update((kind, 'rollbacks') for kind in _READERS if kind.startswith('rollback'))
SUMMARY_PLACES.update((kind, 'other') for kind, reader in _READERS.items()
                      if reader in (_Walk.other, _Walk.bundle))


def summarize(state: Any) -> EffectsSummary:
    """The work of ``talon_one.effects.summarize`` (documented there)."""
    effects, session, names = _unpack(state)
    walk = _Walk(session, names)
    for index, effect in enumerate(effects):
        walk.add(index, effect)
    entries = tuple(walk.entries)
    found = [e for e in entries if isinstance(e, Discount)]
    discounts = Discounts(
        session=tuple(d for d in found if d.kind == 'session'),
        per_item=tuple(d for d in found if d.kind == 'item'),
        per_additional_cost=tuple(d for d in found if d.kind == 'additional_cost'),
        per_item_additional_cost=tuple(d for d in found if d.kind == 'item_additional_cost'),
        total=money_sum(d.amount for d in found))
    items_total = costs_total = price = None
    if walk.cart is not None:
        items_total, costs_total = walk.cart.totals()
        before = MONEY.add(items_total, costs_total)
        price = MONEY.subtract(before, discounts.total)
        if price < 0:
            walk.warn('the discounts (%s) exceed the session total (%s); price to pay set to 0'
                      % (discounts.total, before))
            price = ZERO
    points = [e for e in entries if isinstance(e, LoyaltyPoints)]
    codes = [e for e in entries if isinstance(e, CodeOutcome)]
    return EffectsSummary(
        discounts=discounts,
        cart_items_total=items_total,
        additional_costs_total=costs_total,
        price_to_pay=price,
        free_items=_of(entries, FreeItem),
        coupons=tuple(c for c in codes if c.origin.effect_type in _COUPON_TYPES),
        referrals=tuple(c for c in codes if c.origin.effect_type in _REFERRAL_TYPES),
        loyalty=LoyaltySummary(added=tuple(p for p in points if p.direction == 'added'),
                               deducted=tuple(p for p in points if p.direction == 'deducted'),
                               tier_changes=_of(entries, TierChange),
                               expiry_changes=_of(entries, ExpiryChange)),
        notifications=_of(entries, Notification),
        custom_effects=_of(entries, CustomEffect),
        giveaways=_of(entries, GiveawayAward),
        rollbacks=_of(entries, Rollback),
        other=_of(entries, OtherEffect),
        unknown=_of(entries, UnknownEffect),
        achievements=_of(entries, AchievementProgress),
        audiences=_of(entries, AudienceChange),
        warnings=tuple(walk.warnings),
        entries=entries,
    )


def _of(entries: Tuple[Entry, ...], cls: type) -> Tuple[Any, ...]:
    return tuple(e for e in entries if isinstance(e, cls))
