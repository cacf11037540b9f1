"""The rule engine: campaigns' conditions against a context, producing effects.

Effects follow the API's ``Effect`` shape with ``props`` per the
``*EffectProps`` schemas. Nothing here writes state: the outcome lists what
to commit (coupon and referral redemptions, loyalty transactions, giveaways)
and the caller decides whether to persist it (close, event, not dry).
"""

from typing import Any, Dict, Iterator, Optional, Set, Tuple

from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import ledgers
from talon_one.sandbox.engine.amounts import cart_item_total, cost_amounts, remaining
from talon_one.sandbox.engine.codes import coupon_problem, is_running, referral_problem
from talon_one.sandbox.engine.context import Context, Firing, Outcome, ruleset_id
from talon_one.sandbox.engine.effects import EFFECTS

# Effect types that take money off what the customer owes.
DISCOUNT_TYPES = ('setDiscount', 'setDiscountPerItem', 'setDiscountPerAdditionalCost',
                  'setDiscountPerAdditionalCostPerItem')


def _compare(actual: Any, op: str, expected: Any) -> bool:
    if op == 'exists':
        return actual is not None
    if actual is None:
        return op == '!='
    try:
        if op == '==':
            return bool(actual == expected)
        if op == '!=':
            return bool(actual != expected)
        if op == 'contains':
            return expected in actual
        if op == '>':
            return bool(actual > expected)
        if op == '>=':
            return bool(actual >= expected)
        if op == '<':
            return bool(actual < expected)
        if op == '<=':
            return bool(actual <= expected)
    except TypeError:
        return False
    return False


def _has_condition(rule: Doc, kind: str) -> bool:
    return any(c['type'] == kind for c in rule.get('conditions', []))


class Evaluation(object):
    """One pass over all campaigns; its rules' effects (engine/effects.py) add to its outcome."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.out = Outcome()
        self.valid_coupons: Dict[int, Doc] = {}     # campaign id -> coupon doc
        self.coupon_reasons: Dict[str, str] = {}    # value -> reason
        self.valid_referral: Optional[Doc] = None
        self.cart_total = cart_item_total(ctx.session)
        costs = (ctx.session or {}).get('additionalCostTotal') or 0
        self.discount_left = self.cart_total + float(costs)
        self.cost_left = cost_amounts(ctx.session)  # what each cost still allows off
        self.deducted: Dict[Tuple[int, str, str], float] = {}
        self.taken_giveaways: Set[int] = set()

    def run(self) -> Outcome:
        ctx = self.ctx
        for value, coupon in ctx.coupons.items():
            problem = coupon_problem(coupon, ctx)
            if coupon is not None and problem is None:
                if coupon['campaignId'] in self.valid_coupons:
                    problem = 'CouponRejectedByCondition'   # one coupon per campaign
                else:
                    self.valid_coupons[coupon['campaignId']] = coupon
            if problem is not None:
                self.coupon_reasons[value] = problem
        if ctx.referral_code:
            problem = referral_problem(ctx.referral, ctx)
            if problem is None:
                self.valid_referral = ctx.referral
            else:
                self.out.referral_rejection = problem
        for campaign_id in sorted(ctx.world.campaigns):
            campaign = ctx.world.campaigns[campaign_id]
            if not is_running(campaign, ctx.now):
                continue
            if ctx.evaluable is not None and campaign_id not in ctx.evaluable:
                continue
            self._campaign(campaign)
        self._rejections()
        return self.out

    def _campaign(self, campaign: Doc) -> None:
        fired = False
        for index, rule in enumerate(campaign.get('rules', [])):
            conditions = rule.get('conditions', [])
            if self.ctx.trigger != 'talon_session_updated' and \
                    not _has_condition(rule, 'eventType'):
                continue   # rules without an eventType condition run on session updates
            failed = None
            for c_index, condition in enumerate(conditions):
                if not self._holds(condition, campaign):
                    failed = c_index
                    break
            if failed is not None:
                self._failure(campaign, index, rule, failed, conditions[failed])
                continue
            fired = True
            self._fire(campaign, index, rule)
        if fired:
            self.out.triggered.append(campaign['id'])

    def _failure(self, campaign: Doc, index: int, rule: Doc, c_index: int,
                 condition: Doc) -> None:
        self.out.fail(lambda: self._failure_reason(campaign, index, rule, c_index, condition))

    def _failure_reason(self, campaign: Doc, index: int, rule: Doc, c_index: int,
                        condition: Doc) -> Doc:
        reason = {'campaignID': campaign['id'], 'campaignName': campaign['name'],
                  'rulesetID': ruleset_id(campaign), 'ruleIndex': index,
                  'ruleName': rule['title'], 'conditionIndex': c_index,
                  'details': 'condition %s did not hold' % condition['type']}
        coupon = self.valid_coupons.get(campaign['id'])
        if coupon is not None:
            reason.update(couponID=coupon['id'], couponValue=coupon['value'])
        if self.valid_referral is not None and self.valid_referral['campaignId'] == campaign['id']:
            reason.update(referralID=self.valid_referral['id'],
                          referralValue=self.valid_referral['code'])
        return reason

    # -- conditions ------------------------------------------------------
    def _holds(self, condition: Doc, campaign: Doc) -> bool:
        ctx = self.ctx
        kind = condition['type']
        session = ctx.session or {}
        if kind == 'couponValid':
            return bool(campaign['id'] in self.valid_coupons)
        if kind == 'referralValid':
            return self.valid_referral is not None and \
                self.valid_referral['campaignId'] == campaign['id']
        if kind == 'subtotal':
            return ctx.session is not None and \
                _compare(self.cart_total, condition['op'], condition['value'])
        if kind == 'cartItem':
            minimum: int = condition.get('minQuantity', 1)
            return self._cart_quantity(condition) >= minimum
        if kind == 'profileAttribute':
            attributes = (ctx.profile or {}).get('attributes', {})
            return _compare(attributes.get(condition['name']), condition['op'],
                            condition.get('value'))
        if kind == 'sessionAttribute':
            return _compare(session.get('attributes', {}).get(condition['name']),
                            condition['op'], condition.get('value'))
        if kind == 'eventAttribute':
            return _compare(ctx.event_attributes.get(condition['name']),
                            condition['op'], condition.get('value'))
        if kind == 'eventType':
            return bool(ctx.trigger == condition['value'])
        if kind == 'audience':
            return condition['audienceId'] in ctx.audiences
        if kind == 'firstSession':
            return bool(session.get('firstSession')) == bool(condition.get('value', True))
        if kind == 'loyaltyBalance':
            program = ctx.world.programs[condition['programId']]
            active = self.active_points(program, condition.get('subledgerId', ''))
            return active is not None and _compare(active, condition['op'], condition['value'])
        if kind == 'any':
            return any(self._holds(inner, campaign) for inner in condition['conditions'])
        if kind == 'not':
            return not self._holds(condition['condition'], campaign)
        return False

    def matching_items(self, spec: Doc) -> Iterator[Tuple[int, Doc]]:
        """(position, item) of the cart items a condition or effect names (sku, category)
        that are not all returned."""
        for position, item in enumerate((self.ctx.session or {}).get('cartItems', [])):
            if 'sku' in spec and item.get('sku') != spec['sku']:
                continue
            if 'category' in spec and item.get('category') != spec['category']:
                continue
            if remaining(item) <= 0:
                continue
            yield position, item

    def _cart_quantity(self, condition: Doc) -> int:
        return sum(remaining(item) for _, item in self.matching_items(condition))

    def owner(self, program: Doc) -> Optional[str]:
        """Whose points of ``program`` this evaluation sees: the session's card of a
        card-based program, else the profile."""
        if program.get('cardBased'):
            card = self.ctx.card
            if card is None or card['programId'] != program['id']:
                return None
            identifier: str = card['identifier']
            return identifier
        return self.ctx.profile_id

    def active_points(self, program: Doc, subledger: str) -> Optional[float]:
        """The owner's active points of ``program`` (None: no owner in this evaluation)."""
        owner = self.owner(program)
        if owner is None:
            return None
        return ledgers.balance(self.ctx.ledger_of(program, owner), subledger,
                               self.ctx.now)['activePoints']

    # -- effects ---------------------------------------------------------
    def effect(self, at: Firing, effect_type: str, props: Doc) -> None:
        campaign = at.campaign
        effect = {'campaignId': campaign['id'], 'rulesetId': ruleset_id(campaign),
                  'ruleIndex': at.rule_index, 'ruleName': at.rule['title'],
                  'effectType': effect_type, 'props': props}
        if at.coupon is not None:
            effect['triggeredByCoupon'] = at.coupon['id']
        self.out.effects.append(effect)

    def take(self, desired: float, *limits: float) -> float:
        """The part of ``desired`` the limits (and what is left to discount) allow."""
        value = round(max(0.0, min((desired, self.discount_left) + limits)), 2)
        self.discount_left -= value
        return value

    def _fire(self, campaign: Doc, index: int, rule: Doc) -> None:
        coupon = None
        if _has_condition(rule, 'couponValid'):
            coupon = self.valid_coupons[campaign['id']]
            if coupon['value'] not in self.out.accepted_coupons:
                self.out.accepted_coupons.append(coupon['value'])
                self.effect(Firing(campaign, index, rule, coupon), 'acceptCoupon',
                            {'value': coupon['value']})
        referral = self.valid_referral
        if _has_condition(rule, 'referralValid') and self.out.accepted_referral is None \
                and referral is not None:   # the condition held: the referral is valid
            self.out.accepted_referral = referral['code']
            self.effect(Firing(campaign, index, rule, None), 'acceptReferral',
                        {'value': referral['code']})
        at = Firing(campaign, index, rule, coupon)
        for spec in rule.get('effects', []):
            EFFECTS[spec['type']](self, at, spec)

    def _rejections(self) -> None:
        ctx = self.ctx
        for value, coupon in ctx.coupons.items():
            if value in self.out.accepted_coupons:
                continue
            reason = self.coupon_reasons.get(value)
            if reason is None:
                assert coupon is not None   # a coupon not found has its reason
                campaign = ctx.world.campaigns[coupon['campaignId']]
                reason = 'CouponRejectedByCondition' if any(
                    _has_condition(r, 'couponValid') for r in campaign.get('rules', [])) \
                    else 'CouponPartOfNotTriggeredCampaign'
            self.out.rejected_coupons[value] = reason
            self.out.effects.append(_rejection_effect(ctx, coupon, 'rejectCoupon', value, reason))
        code = ctx.referral_code
        if code and self.out.accepted_referral is None:
            reason = self.out.referral_rejection or 'ReferralRejectedByCondition'
            self.out.referral_rejection = reason
            self.out.effects.append(
                _rejection_effect(ctx, ctx.referral, 'rejectReferral', code, reason))


def _rejection_effect(ctx: Context, entity: Optional[Doc], effect_type: str, value: str,
                      reason: str) -> Doc:
    campaign = ctx.world.campaigns.get(entity['campaignId']) if entity else None
    return {'campaignId': campaign['id'] if campaign else 0,
            'rulesetId': ruleset_id(campaign) if campaign else 0,
            'ruleIndex': 0, 'ruleName': '', 'effectType': effect_type,
            'props': {'value': value, 'rejectionReason': reason}}


def evaluate(ctx: Context) -> Outcome:
    """Run every running campaign against ``ctx``; return an Outcome."""
    return Evaluation(ctx).run()
