"""The values ``talon_one.effects.summarize`` returns: frozen dataclasses and tuples.

Money is ``Decimal`` rounded half up to cents (``to_cents``), with the effect's own
float beside it. Each entry keeps the ``EffectOrigin`` of its effect and, left out of
equality and repr, the typed props it was read from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any, Dict, Iterable, Optional, Tuple, Union

from talon_one._receipt import receipt

CENT = Decimal('0.01')
ZERO = Decimal('0.00')
# Arithmetic on money: enough digits for the cents of any JSON number the API takes (a
# double reaches 309 digits, a 64-bit quantity times a price adds 19), so nothing is
# rounded but the cents.
MONEY = Context(prec=400, rounding=ROUND_HALF_UP)


def exact(value: Union[int, float, Decimal]) -> Decimal:
    """``value`` as the Decimal it reads as: ``99.99`` -> ``Decimal('99.99')``."""
    # repr() of a float is the shortest string that reads back the same number, so
    # 99.99 becomes Decimal('99.99') and not its binary neighbour.
    if isinstance(value, Decimal):
        return value
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def to_cents(value: Union[int, float, Decimal]) -> Decimal:
    """``value`` as a Decimal rounded half up to 2 places (``99.99`` -> ``Decimal('99.99')``)."""
    return exact(value).quantize(CENT, context=MONEY)


def money_sum(values: Iterable[Decimal]) -> Decimal:
    """The exact sum of amounts (``sum()`` would round past 28 digits)."""
    total = ZERO
    for value in values:
        total = MONEY.add(total, value)
    return total


# -- the values -----------------------------------------------------------------

@dataclass(frozen=True)
class EffectOrigin:
    """Which campaign and rule produced an effect, and where it is in the effects list."""

    index: int
    effect_type: Optional[str]
    campaign_id: Optional[int]
    campaign_name: Optional[str]        # from triggeredCampaigns, when the response has them
    ruleset_id: Optional[int]
    rule_index: Optional[int]
    rule_name: Optional[str]
    triggered_by_coupon: Optional[int]
    triggered_for_catalog_item: Optional[int]

    def __str__(self) -> str:
        campaign = 'campaign %s' % self.campaign_id
        if self.campaign_name:
            campaign += ' %s' % self.campaign_name
        return '%s, rule %r' % (campaign, self.rule_name) if self.rule_name else campaign


@dataclass(frozen=True)
class Discount:
    """One discount effect. ``kind`` says what it applies to.

    ``session`` (setDiscount), ``item`` (setDiscountPerItem: ``position``/``sku``),
    ``additional_cost`` (setDiscountPerAdditionalCost: ``additional_cost``) or
    ``item_additional_cost`` (setDiscountPerAdditionalCostPerItem: both).
    ``amount`` is ``value`` rounded to cents; ``sku`` comes from the session's cart.
    """

    kind: str
    name: Optional[str]
    amount: Decimal
    value: float
    position: Optional[int]
    sub_position: Optional[float]
    sku: Optional[str]
    additional_cost: Optional[str]
    additional_cost_id: Optional[int]
    scope: Optional[str]
    desired_value: Optional[float]
    origin: EffectOrigin
    props: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class Discounts:
    """The discounts of a response by what they apply to, and their total."""

    session: Tuple[Discount, ...]
    per_item: Tuple[Discount, ...]
    per_additional_cost: Tuple[Discount, ...]
    per_item_additional_cost: Tuple[Discount, ...]
    total: Decimal

    @property
    def all(self) -> Tuple[Discount, ...]:
        return self.session + self.per_item + self.per_additional_cost + \
            self.per_item_additional_cost

    @property
    def total_float(self) -> float:
        return float(self.total)

    @property
    def by_name(self) -> Dict[str, Decimal]:
        """Session discounts: name -> amount (same names added up)."""
        return added_up((d.name or '', d.amount) for d in self.session)

    @property
    def by_position(self) -> Dict[int, Decimal]:
        """Cart item discounts: cart item position -> amount."""
        return added_up((d.position, d.amount) for d in self.per_item if d.position is not None)

    @property
    def by_additional_cost(self) -> Dict[str, Decimal]:
        """Additional cost discounts (session and per item): cost name -> amount."""
        return added_up((d.additional_cost or '', d.amount)
                        for d in self.per_additional_cost + self.per_item_additional_cost)


@dataclass(frozen=True)
class FreeItem:
    """A product the rules add for free (addFreeItem); add it to the cart yourself."""

    sku: Optional[str]
    name: Optional[str]
    origin: EffectOrigin
    props: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class CodeOutcome:
    """What happened to a coupon or referral code.

    ``status``: ``accepted``, ``rejected`` (with ``reason``), ``created``, ``reserved``
    (coupons) or ``redeemed`` (referrals).
    """

    code: Optional[str]
    status: str
    reason: Optional[str]
    details: Optional[str]
    campaign_id: Optional[int]
    profile_integration_id: Optional[str]
    origin: EffectOrigin
    props: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class LoyaltyPoints:
    """Points added (addLoyaltyPoints) or deducted (deductLoyaltyPoints) by the rules.

    ``subledger_id`` is ``''`` for the main ledger. Added points with a ``start_date``
    are pending until then; ``expiry_date`` is when they expire.
    """

    direction: str
    program_id: Optional[int]
    subledger_id: str
    points: Decimal
    value: float
    name: Optional[str]
    card_identifier: Optional[str]
    recipient_integration_id: Optional[str]
    start_date: Any
    expiry_date: Any
    transaction_uuid: Optional[str]
    origin: EffectOrigin
    props: Any = field(compare=False, repr=False)
    # Added points that stay pending until activate_loyalty_points activates them.
    awaits_activation: bool = False

    @property
    def pending(self) -> bool:
        return self.start_date is not None or self.awaits_activation


@dataclass(frozen=True)
class TierChange:
    """A move to another tier of a loyalty program (changeLoyaltyTierLevel)."""

    program_id: Optional[int]
    subledger_id: str
    previous_tier_name: Optional[str]
    new_tier_name: Optional[str]
    expiry_date: Any                     # when the new tier ends, if it does
    origin: EffectOrigin
    props: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class ExpiryChange:
    """New expiry dates for points already in a ledger.

    ``extendLoyaltyPointsExpiryDate`` gives ``extension_duration`` (e.g. ``'30D'``),
    ``setLoyaltyPointsExpiryDate`` gives ``new_expiry_date``; ``affected_transactions``
    lists the ledger entries with their old and new dates, when the server sends them.
    """

    effect_type: str
    program_id: Optional[int]
    subledger_id: str
    extension_duration: Optional[str]
    new_expiry_date: Any
    affected_transactions: Tuple[Any, ...] = field(compare=False)   # models: not hashable
    origin: EffectOrigin
    props: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class LoyaltySummary:
    """The points of a response, one entry per effect, and their sums per ledger; tier and
    expiry changes."""

    added: Tuple[LoyaltyPoints, ...]
    deducted: Tuple[LoyaltyPoints, ...]
    tier_changes: Tuple[TierChange, ...] = ()
    expiry_changes: Tuple[ExpiryChange, ...] = ()

    @property
    def added_by_ledger(self) -> Dict[Tuple[Optional[int], str], Decimal]:
        """(program id, subledger id) -> points added (pending ones included)."""
        return added_up(((p.program_id, p.subledger_id), p.points) for p in self.added)

    @property
    def deducted_by_ledger(self) -> Dict[Tuple[Optional[int], str], Decimal]:
        """(program id, subledger id) -> points deducted."""
        return added_up(((p.program_id, p.subledger_id), p.points) for p in self.deducted)


@dataclass(frozen=True)
class AchievementProgress:
    """Progress a rule made on an achievement (increaseAchievementProgress).

    ``value`` is the progress after the effect, out of ``target``; ``just_completed``
    is True when this effect completed it.
    """

    achievement_id: Optional[int]
    achievement_name: Optional[str]
    delta: Optional[float]
    value: Optional[float]
    target: Optional[float]
    just_completed: bool
    origin: EffectOrigin
    props: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class AudienceChange:
    """The customer joins (``added``) or leaves (``removed``) an audience."""

    direction: str
    audience_id: Optional[int]
    audience_name: Optional[str]
    profile_integration_id: Optional[str]
    origin: EffectOrigin
    props: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class Notification:
    """A message for the customer (showNotification)."""

    notification_type: Optional[str]
    title: Optional[str]
    body: Optional[str]
    origin: EffectOrigin
    props: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class CustomEffect:
    """A custom effect defined in the Campaign Manager, with its JSON payload."""

    name: Optional[str]
    effect_id: Optional[int]
    payload: Any = field(compare=False)     # a JSON object: kept out of hashing
    cart_item_position: Optional[int]
    origin: EffectOrigin
    props: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class GiveawayAward:
    """A giveaway code awarded (``awarded``, with ``code``) or to come on close (``pending``)."""

    status: str
    pool_id: Optional[int]
    pool_name: Optional[str]
    code: Optional[str]
    giveaway_id: Optional[int]
    recipient_integration_id: Optional[str]
    origin: EffectOrigin
    props: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class Rollback:
    """Something a cancel, reopen or return undid (the ``rollback*`` effects).

    Discount rollbacks carry ``name`` and ``amount``; points rollbacks ``program_id``,
    ``subledger_id`` and ``amount`` (points); coupon and referral ones ``code``;
    achievement ones ``name`` (the achievement's) and ``amount`` (the progress taken back).
    """

    effect_type: str
    code: Optional[str]
    name: Optional[str]
    amount: Optional[Decimal]
    program_id: Optional[int]
    subledger_id: Optional[str]
    cart_item_position: Optional[int]
    additional_cost: Optional[str]
    origin: EffectOrigin
    props: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class OtherEffect:
    """A known effect with no money or code in it (error, webhook, attribute update, bundle,
    strikethrough price); ``text`` says what it is."""

    effect_type: str
    text: str
    origin: EffectOrigin
    props: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class UnknownEffect:
    """An effect type ``summarize`` does not know (newer or custom): ``effect`` as given."""

    effect_type: Optional[str]
    origin: EffectOrigin
    effect: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
class SummaryWarning:
    """Something in the effects that does not fit the session (or is not a number)."""

    message: str
    origin: Optional[EffectOrigin] = None

    def __str__(self) -> str:
        return self.message if self.origin is None else '%s (%s)' % (self.message, self.origin)


Entry = Union[Discount, FreeItem, CodeOutcome, LoyaltyPoints, TierChange, ExpiryChange,
              AchievementProgress, AudienceChange, Notification, CustomEffect, GiveawayAward,
              Rollback, OtherEffect, UnknownEffect]


@dataclass(frozen=True)
class EffectsSummary:
    """What the effects of one response mean. ``str(summary)`` is a short receipt.

    The totals are None when the response has no session (``responseContent`` without
    ``customerSession``, or a bare list of effects).
    """

    discounts: Discounts
    cart_items_total: Optional[Decimal]
    additional_costs_total: Optional[Decimal]
    price_to_pay: Optional[Decimal]
    free_items: Tuple[FreeItem, ...]
    coupons: Tuple[CodeOutcome, ...]
    referrals: Tuple[CodeOutcome, ...]
    loyalty: LoyaltySummary
    notifications: Tuple[Notification, ...]
    custom_effects: Tuple[CustomEffect, ...]
    giveaways: Tuple[GiveawayAward, ...]
    rollbacks: Tuple[Rollback, ...]
    other: Tuple[OtherEffect, ...]
    unknown: Tuple[UnknownEffect, ...]
    warnings: Tuple[SummaryWarning, ...]
    entries: Tuple[Entry, ...]          # one per effect, in the order of the effects
    achievements: Tuple[AchievementProgress, ...] = ()
    audiences: Tuple[AudienceChange, ...] = ()

    @property
    def price_to_pay_float(self) -> Optional[float]:
        return None if self.price_to_pay is None else float(self.price_to_pay)

    @property
    def cart_items_total_float(self) -> Optional[float]:
        return None if self.cart_items_total is None else float(self.cart_items_total)

    @property
    def additional_costs_total_float(self) -> Optional[float]:
        return None if self.additional_costs_total is None else float(self.additional_costs_total)

    @property
    def accepted_coupons(self) -> Tuple[CodeOutcome, ...]:
        return tuple(c for c in self.coupons if c.status == 'accepted')

    @property
    def rejected_coupons(self) -> Tuple[CodeOutcome, ...]:
        return tuple(c for c in self.coupons if c.status == 'rejected')

    @property
    def rolled_back_discount_total(self) -> Decimal:
        return money_sum(r.amount for r in self.rollbacks
                         if r.effect_type == 'rollbackDiscount' and r.amount is not None)

    def __str__(self) -> str:
        return receipt(self)


def added_up(pairs: Iterable[Tuple[Any, Decimal]]) -> Dict[Any, Decimal]:
    sums: Dict[Any, Decimal] = {}
    for key, amount in pairs:
        sums[key] = MONEY.add(sums.get(key, ZERO), amount)
    return sums
