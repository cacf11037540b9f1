"""The rule engine: campaigns' conditions against a context, producing effects.

Effects follow the API's ``Effect`` shape with ``props`` per the
``*EffectProps`` schemas. Nothing here writes state: the outcome lists what
to commit (coupon and referral redemptions, loyalty transactions, giveaways)
and the caller decides whether to persist it (close, event, not dry).
"""

import os
import random
from typing import Any, Dict, Optional

from talon_one.sandbox.engine import codegen
from talon_one.sandbox.engine import ledgers
from talon_one.sandbox import timeutil

Doc = Dict[str, Any]    # a stored document or a world-file entry, by API names

# Effect types that take money off what the customer owes.
DISCOUNT_TYPES = ('setDiscount', 'setDiscountPerItem', 'setDiscountPerAdditionalCost',
                  'setDiscountPerAdditionalCostPerItem')


class Context(object):
    """What one evaluation sees."""

    def __init__(self, world, trigger, now, session=None, profile=None, event_attributes=None,
                 audiences=(), coupons=None, referral=None, referral_code=None,
                 evaluable=None, closing=False, ledger_of=None, card=None, pool_of=None,
                 lookup=None):
        self.world = world
        self.trigger = trigger
        self.now = now
        self.session = session
        self.profile = profile
        self.event_attributes = event_attributes or {}
        self.audiences = set(audiences)
        self.coupons = coupons or {}          # value -> coupon doc or None, in session order
        self.referral = referral
        self.referral_code = referral_code
        self.evaluable = set(evaluable) if evaluable else None
        self.closing = closing
        self.ledger_of = ledger_of or (lambda program, owner: None)
        self.card = card
        self.pool_of = pool_of or (lambda pool_id: None)
        self.lookup = lookup or (lambda kind, key: None)     # stored document or None

    @property
    def profile_id(self):
        return self.profile['integrationId'] if self.profile else None


class Outcome(object):
    def __init__(self):
        self.effects = []
        self.triggered = []               # campaign ids, in order
        self._failures = []               # RuleFailureReason dicts, or makers of them
        self.accepted_coupons = []        # values
        self.rejected_coupons = {}        # value -> reason
        self.accepted_referral = None
        self.referral_rejection = None
        self.points = []                  # loyalty operations to commit
        self.giveaways = []               # (pool id, giveaway id)
        self.created_coupons = []         # coupon documents to store (couponCreated)
        self.created_referrals = []       # referral documents to store (referralCreated)
        self.reservations = []            # (coupon value, integration id) to add
        self.attribute_updates = []       # (profile | session, attribute name, value)

    @property
    def failures(self):
        """RuleFailureReason dicts: written out when asked for (only a response that asks
        for ruleFailureReasons shows them, and most rules of most evaluations fail)."""
        failures = self._failures
        for position, failure in enumerate(failures):
            if callable(failure):
                failures[position] = failure()
        return failures


def cart_item_total(session):
    return round(sum(float(item.get('price') or 0) * _remaining(item)
                     for item in (session or {}).get('cartItems', [])), 2)


def _remaining(item):
    return item.get('quantity', 0) - item.get('returnedQuantity', 0)


def _cost_amounts(session: Optional[Doc]) -> Dict[Any, float]:
    """Additional cost amounts by name (session level) and by (position, name) (cart
    items: unit price x remaining quantity)."""
    session = session or {}
    amounts = {name: float(cost.get('price') or 0)
               for name, cost in (session.get('additionalCosts') or {}).items()}
    for position, item in enumerate(session.get('cartItems', [])):
        for name, cost in (item.get('additionalCosts') or {}).items():
            amounts[(position, name)] = float(cost.get('price') or 0) * _remaining(item)
    return amounts


def is_running(campaign, now):
    if campaign.get('state', 'enabled') != 'enabled':
        return False
    start, end = campaign.get('startTime'), campaign.get('endTime')
    if start and timeutil.parse(start) > now:
        return False
    if end and timeutil.parse(end) <= now:
        return False
    return True


def _code_problem(code, ctx, prefix):
    """Campaign and validity-window checks coupons and referrals share; the reason
    names start with ``prefix`` (``Coupon`` / ``Referral``)."""
    campaign = ctx.world.campaigns.get(code['campaignId'])
    if campaign is None or not is_running(campaign, ctx.now):
        return prefix + 'PartOfNotRunningCampaign'
    if ctx.evaluable is not None and campaign['id'] not in ctx.evaluable:
        return prefix + 'PartOfNotTriggeredCampaign'
    if code.get('startDate') and timeutil.parse(code['startDate']) > ctx.now:
        return prefix + 'StartDateInFuture'
    if code.get('expiryDate') and timeutil.parse(code['expiryDate']) <= ctx.now:
        return prefix + 'Expired'
    return None


def coupon_problem(coupon, ctx):
    """The rejection reason of a coupon before conditions, or None."""
    if coupon is None:
        return 'CouponNotFound'
    problem = _code_problem(coupon, ctx, 'Coupon')
    if problem:
        return problem
    recipient = coupon.get('recipientIntegrationId')
    if (recipient or coupon.get('reservationRequired')) and not ctx.profile_id:
        return 'ProfileRequired'
    if recipient and recipient != ctx.profile_id:
        return 'CouponRecipientDoesNotMatch'
    if coupon.get('reservationRequired') and ctx.profile_id not in coupon.get('reservations', []):
        return 'CouponReservationRequired'
    if coupon.get('usageLimit') and coupon.get('usageCounter', 0) >= coupon['usageLimit']:
        return 'CouponLimitReached'
    if ctx.profile_id and profile_limit_reached(coupon, ctx.profile_id):
        return 'ProfileLimitReached'
    return None


def profile_limit_reached(coupon: Doc, profile_id: str) -> bool:
    """True when a per-profile redemption limit of ``coupon`` is used up by ``profile_id``."""
    used = coupon.get('profileRedemptions', {}).get(profile_id, 0)
    return any(limit.get('action') == 'redeemCoupon' and 'Profile' in limit.get('entities', [])
               and used >= limit['limit'] for limit in coupon.get('limits', []))


def referral_problem(referral, ctx):
    """The rejection reason of a referral code before conditions, or None."""
    if referral is None:
        return 'ReferralNotFound'
    if ctx.profile_id and referral['advocateProfileIntegrationId'] == ctx.profile_id:
        return 'ReferralRecipientIdSameAsAdvocate'
    problem = _code_problem(referral, ctx, 'Referral')
    if problem:
        return problem
    friend = referral.get('friendProfileIntegrationId')
    if friend and friend != ctx.profile_id:
        return 'ReferralRecipientDoesNotMatch'
    if referral.get('usageLimit') and referral.get('usageCounter', 0) >= referral['usageLimit']:
        return 'ReferralLimitReached'
    if ctx.profile_id and ctx.profile_id in referral.get('referredCustomers', []):
        return 'ProfileLimitReached'
    return None


def _compare(actual, op, expected):
    if op == 'exists':
        return actual is not None
    if actual is None:
        return op == '!='
    try:
        if op == '==':
            return actual == expected
        if op == '!=':
            return actual != expected
        if op == 'contains':
            return expected in actual
        if op == '>':
            return actual > expected
        if op == '>=':
            return actual >= expected
        if op == '<':
            return actual < expected
        if op == '<=':
            return actual <= expected
    except TypeError:
        return False
    return False


class _Evaluation(object):
    """One pass over all campaigns."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.out = Outcome()
        self.valid_coupons = {}      # campaign id -> coupon doc
        self.coupon_reasons = {}     # value -> reason
        self.valid_referral = None
        self.cart_total = cart_item_total(ctx.session)
        costs = (ctx.session or {}).get('additionalCostTotal') or 0
        self.discount_left = self.cart_total + float(costs)
        self.cost_left = _cost_amounts(ctx.session)     # what each cost still allows off
        self.deducted = {}
        self.taken_giveaways = set()

    def run(self):
        ctx = self.ctx
        for value, coupon in ctx.coupons.items():
            problem = coupon_problem(coupon, ctx)
            if problem is None and coupon['campaignId'] in self.valid_coupons:
                problem = 'CouponRejectedByCondition'   # one coupon per campaign
            if problem is None:
                self.valid_coupons[coupon['campaignId']] = coupon
            else:
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

    def _campaign(self, campaign):
        fired = False
        for index, rule in enumerate(campaign.get('rules', [])):
            conditions = rule.get('conditions', [])
            if self.ctx.trigger != 'talon_session_updated' and \
                    not any(c['type'] == 'eventType' for c in conditions):
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

    def _failure(self, campaign, index, rule, c_index, condition):
        self.out._failures.append(
            lambda: self._failure_reason(campaign, index, rule, c_index, condition))

    def _failure_reason(self, campaign, index, rule, c_index, condition):
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
    def _holds(self, condition, campaign):
        ctx = self.ctx
        kind = condition['type']
        session = ctx.session or {}
        if kind == 'couponValid':
            return campaign['id'] in self.valid_coupons
        if kind == 'referralValid':
            return self.valid_referral is not None and \
                self.valid_referral['campaignId'] == campaign['id']
        if kind == 'subtotal':
            return ctx.session is not None and \
                _compare(self.cart_total, condition['op'], condition['value'])
        if kind == 'cartItem':
            return self._cart_quantity(condition) >= condition.get('minQuantity', 1)
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
            return ctx.trigger == condition['value']
        if kind == 'audience':
            return condition['audienceId'] in ctx.audiences
        if kind == 'firstSession':
            return bool(session.get('firstSession')) == bool(condition.get('value', True))
        if kind == 'loyaltyBalance':
            program = ctx.world.programs[condition['programId']]
            owner = self._owner(program)
            if owner is None:
                return False
            active = ledgers.balance(ctx.ledger_of(program, owner),
                                     condition.get('subledgerId', ''), ctx.now)['activePoints']
            return _compare(active, condition['op'], condition['value'])
        if kind == 'any':
            return any(self._holds(inner, campaign) for inner in condition['conditions'])
        if kind == 'not':
            return not self._holds(condition['condition'], campaign)
        return False

    def _matching_items(self, spec):
        for position, item in enumerate((self.ctx.session or {}).get('cartItems', [])):
            if 'sku' in spec and item.get('sku') != spec['sku']:
                continue
            if 'category' in spec and item.get('category') != spec['category']:
                continue
            if _remaining(item) <= 0:
                continue
            yield position, item

    def _cart_quantity(self, condition):
        return sum(_remaining(item) for _, item in self._matching_items(condition))

    def _owner(self, program):
        if program.get('cardBased'):
            card = self.ctx.card
            if card is None or card['programId'] != program['id']:
                return None
            return card['identifier']
        return self.ctx.profile_id

    # -- effects ---------------------------------------------------------
    def _effect(self, campaign, index, rule, effect_type, props, coupon=None):
        effect = {'campaignId': campaign['id'], 'rulesetId': ruleset_id(campaign),
                  'ruleIndex': index, 'ruleName': rule['title'], 'effectType': effect_type,
                  'props': props}
        if coupon is not None:
            effect['triggeredByCoupon'] = coupon['id']
        self.out.effects.append(effect)
        return effect

    def _fire(self, campaign, index, rule):
        conditions = rule.get('conditions', [])
        coupon = None
        if any(c['type'] == 'couponValid' for c in conditions):
            coupon = self.valid_coupons[campaign['id']]
            if coupon['value'] not in self.out.accepted_coupons:
                self.out.accepted_coupons.append(coupon['value'])
                self._effect(campaign, index, rule, 'acceptCoupon', {'value': coupon['value']},
                             coupon)
        if any(c['type'] == 'referralValid' for c in conditions) and \
                self.out.accepted_referral is None:
            self.out.accepted_referral = self.valid_referral['code']
            self._effect(campaign, index, rule, 'acceptReferral',
                         {'value': self.valid_referral['code']})
        for spec in rule.get('effects', []):
            handler = getattr(self, '_do_' + spec['type'])
            handler(campaign, index, rule, spec, coupon)

    def _amount(self, spec, base):
        if 'percent' in spec:
            return round(base * float(spec['percent']) / 100.0, 2)
        return round(float(spec['value']), 2)

    def _do_setDiscount(self, campaign, index, rule, spec, coupon):
        if self.ctx.session is None:
            return
        desired = self._amount(spec, self.cart_total)
        value = self._take(desired)
        props = {'name': spec['name'], 'value': value, 'scope': 'sessionTotal'}
        if value != desired:
            props['desiredValue'] = desired
        self._effect(campaign, index, rule, 'setDiscount', props, coupon)

    def _do_setDiscountPerItem(self, campaign, index, rule, spec, coupon):
        for position, item in self._matching_items(spec):
            line = float(item.get('price') or 0) * _remaining(item)
            if 'percent' in spec:
                desired = round(line * float(spec['percent']) / 100.0, 2)
            else:
                desired = round(float(spec['value']) * _remaining(item), 2)
            value = self._take(desired, line)
            props = {'name': spec['name'], 'value': value, 'position': position,
                     'totalDiscount': value, 'scope': 'price'}
            if value != desired:
                props['desiredValue'] = desired
            self._effect(campaign, index, rule, 'setDiscountPerItem', props, coupon)

    def _take(self, desired: float, *limits: float) -> float:
        """The part of ``desired`` the limits (and what is left to discount) allow."""
        value = round(max(0.0, min((desired, self.discount_left) + limits)), 2)
        self.discount_left -= value
        return value

    def _do_setDiscountPerAdditionalCost(self, campaign: Doc, index: int, rule: Doc, spec: Doc,
                                         coupon: Optional[Doc]) -> None:
        name = spec['additionalCost']
        left = self.cost_left.get(name)
        if left is None:
            return      # the session does not carry this cost
        price = float(self.ctx.session['additionalCosts'][name].get('price') or 0)
        desired = self._amount(spec, price)
        value = self._take(desired, left)
        self.cost_left[name] = left - value
        props = {'name': spec['name'], 'additionalCostId': self._cost_id(name),
                 'additionalCost': name, 'value': value}
        if value != desired:
            props['desiredValue'] = desired
        self._effect(campaign, index, rule, 'setDiscountPerAdditionalCost', props, coupon)

    def _do_setDiscountPerAdditionalCostPerItem(self, campaign: Doc, index: int, rule: Doc,
                                                spec: Doc, coupon: Optional[Doc]) -> None:
        name = spec['additionalCost']
        for position, item in self._matching_items(spec):
            left = self.cost_left.get((position, name))
            if left is None:
                continue    # this item does not carry the cost
            unit = float(item['additionalCosts'][name].get('price') or 0)
            if 'percent' in spec:
                desired = round(unit * _remaining(item) * float(spec['percent']) / 100.0, 2)
            else:
                desired = round(float(spec['value']) * _remaining(item), 2)
            value = self._take(desired, left)
            self.cost_left[(position, name)] = left - value
            props = {'name': spec['name'], 'additionalCostId': self._cost_id(name),
                     'value': value, 'position': position, 'additionalCost': name}
            if value != desired:
                props['desiredValue'] = desired
            self._effect(campaign, index, rule, 'setDiscountPerAdditionalCostPerItem', props,
                         coupon)

    def _cost_id(self, name: str) -> int:
        return self.ctx.world.additional_costs[name]['id']

    def _do_updateAttribute(self, campaign: Doc, index: int, rule: Doc, spec: Doc,
                            coupon: Optional[Doc]) -> None:
        target, _, name = spec['path'].partition('.')
        if (self.ctx.profile if target == 'profile' else self.ctx.session) is None:
            return      # nothing to update in this evaluation
        self._effect(campaign, index, rule, 'updateAttribute',
                     {'path': spec['path'], 'value': spec['value']}, coupon)
        self.out.attribute_updates.append((target, name, spec['value']))

    def _create_code(self, campaign: Doc, index: int, rule: Doc, spec: Doc,
                     coupon: Optional[Doc], kind: str) -> Optional[Doc]:
        """Make a coupon or referral code for the profile; its document (to store) or None.

        Codes are created only when the evaluation is committed (close, events)."""
        if not self.ctx.closing or not self.ctx.profile_id:
            return None
        key, made = ('value', self.out.created_coupons) if kind == 'coupon' else \
            ('code', self.out.created_referrals)
        taken = set(doc[key] for doc in made)
        code = codegen.generate(
            spec.get('pattern'), None,
            lambda value: value in taken or self.ctx.lookup(kind, value) is not None,
            self.ctx.world.code_key)
        if code is None:
            self._effect(campaign, index, rule, 'error', {
                'message': 'could not create a unique %s code from the pattern %r; widen it'
                           % (kind, spec.get('pattern'))}, coupon)
            return None
        doc = {key: code, 'campaignId': campaign['id']}
        if spec.get('expiryDays') is not None:
            doc['expiryDate'] = timeutil.fmt(timeutil.add_days(self.ctx.now, spec['expiryDays']))
        made.append(doc)
        return doc

    def _do_couponCreated(self, campaign: Doc, index: int, rule: Doc, spec: Doc,
                          coupon: Optional[Doc]) -> None:
        doc = self._create_code(campaign, index, rule, spec, coupon, 'coupon')
        if doc is not None:
            doc.update(usageLimit=spec.get('usageLimit', 1),
                       recipientIntegrationId=self.ctx.profile_id)
            self._effect(campaign, index, rule, 'couponCreated',
                         {'value': doc['value'], 'profileId': self.ctx.profile_id}, coupon)

    def _do_referralCreated(self, campaign: Doc, index: int, rule: Doc, spec: Doc,
                            coupon: Optional[Doc]) -> None:
        doc = self._create_code(campaign, index, rule, spec, coupon, 'referral')
        if doc is not None:
            doc.update(usageLimit=spec.get('usageLimit', 0),
                       advocateProfileIntegrationId=self.ctx.profile_id)
            self._effect(campaign, index, rule, 'referralCreated', {'value': doc['code']},
                         coupon)

    def _do_reserveCoupon(self, campaign: Doc, index: int, rule: Doc, spec: Doc,
                          coupon: Optional[Doc]) -> None:
        profile_id = self.ctx.profile_id
        if spec.get('couponValue'):
            target = self.ctx.lookup('coupon', self.ctx.world.code_key(spec['couponValue']))
        else:
            target = coupon     # the session's coupon that this rule validated
        if target is None or not profile_id:
            return
        pending = [v for v, who in self.out.reservations if v == target['value']]
        reservations = target.get('reservations', [])
        is_new = profile_id not in reservations and not pending
        limit = target.get('reservationLimit')
        if is_new and limit and len(reservations) + len(pending) >= limit:
            return      # no room for another profile
        if is_new:
            self.out.reservations.append((target['value'], profile_id))
        self._effect(campaign, index, rule, 'reserveCoupon',
                     {'couponValue': target['value'], 'profileIntegrationId': profile_id,
                      'isNewReservation': is_new}, coupon)

    def _do_redeemReferral(self, campaign: Doc, index: int, rule: Doc, spec: Doc,
                           coupon: Optional[Doc]) -> None:
        referral = self.valid_referral      # the rule's referralValid condition held
        self._effect(campaign, index, rule, 'redeemReferral',
                     {'id': referral['id'], 'value': referral['code']}, coupon)

    def _do_triggerWebhook(self, campaign: Doc, index: int, rule: Doc, spec: Doc,
                           coupon: Optional[Doc]) -> None:
        # Not delivered: the sandbox reports the effect but calls no webhook.
        self._effect(campaign, index, rule, 'triggerWebhook',
                     {'webhookId': spec['webhookId'], 'webhookName': spec['webhookName']},
                     coupon)

    def _do_showBundleMetadata(self, campaign: Doc, index: int, rule: Doc, spec: Doc,
                               coupon: Optional[Doc]) -> None:
        self._effect(campaign, index, rule, 'showBundleMetadata', {
            'description': spec['description'],
            'bundleAttributes': list(spec['bundleAttributes']),
            'itemsIndices': [position for position, _ in self._matching_items(spec)]}, coupon)

    def _do_error(self, campaign: Doc, index: int, rule: Doc, spec: Doc,
                  coupon: Optional[Doc]) -> None:
        self._effect(campaign, index, rule, 'error', {'message': spec['message']}, coupon)

    def _do_addFreeItem(self, campaign, index, rule, spec, coupon):
        self._effect(campaign, index, rule, 'addFreeItem',
                     {'sku': spec['sku'], 'name': spec['name']}, coupon)

    def _do_showNotification(self, campaign, index, rule, spec, coupon):
        self._effect(campaign, index, rule, 'showNotification',
                     {'notificationType': spec.get('notificationType', 'info'),
                      'title': spec['title'], 'body': spec['body']}, coupon)

    def _do_customEffect(self, campaign, index, rule, spec, coupon):
        self._effect(campaign, index, rule, 'customEffect',
                     {'effectId': spec['effectId'], 'name': spec['name'],
                      'payload': spec.get('payload', {})}, coupon)

    def _do_addLoyaltyPoints(self, campaign, index, rule, spec, coupon):
        program = self.ctx.world.programs[spec['programId']]
        owner = self._owner(program)
        if owner is None:
            return
        value = self._amount(spec, self.cart_total)
        if value <= 0:
            return
        start, expiry = ledgers.points_window(program, self.ctx.now)
        name = spec.get('name') or rule['title']
        txn_uuid = _uuid4()
        props = {'name': name, 'programId': program['id'],
                 'subLedgerId': spec.get('subledgerId', ''), 'value': value,
                 'recipientIntegrationId': self.ctx.profile_id or '',
                 'transactionUUID': txn_uuid}
        if start != ledgers.IMMEDIATE:
            props['startDate'] = start
        if expiry != ledgers.UNLIMITED:
            props['expiryDate'] = expiry
        if program.get('cardBased'):
            props['cardIdentifier'] = owner
        self._effect(campaign, index, rule, 'addLoyaltyPoints', props, coupon)
        self.out.points.append({'op': 'add', 'programId': program['id'], 'owner': owner,
                                'subledgerId': props['subLedgerId'], 'amount': value,
                                'name': name, 'startDate': start, 'expiryDate': expiry,
                                'uuid': txn_uuid, 'rulesetId': ruleset_id(campaign),
                                'ruleName': rule['title']})

    def _do_deductLoyaltyPoints(self, campaign, index, rule, spec, coupon):
        program = self.ctx.world.programs[spec['programId']]
        owner = self._owner(program)
        if owner is None:
            return
        subledger = spec.get('subledgerId', '')
        value = round(float(spec['value']), 2)
        key = (program['id'], owner, subledger)
        active = ledgers.balance(self.ctx.ledger_of(program, owner), subledger,
                                 self.ctx.now)['activePoints']
        if active - self.deducted.get(key, 0) < value:
            return    # not enough active points: no effect, like a failed budget
        self.deducted[key] = self.deducted.get(key, 0) + value
        name = spec.get('name') or rule['title']
        txn_uuid = _uuid4()
        props = {'ruleTitle': rule['title'], 'programId': program['id'],
                 'subLedgerId': subledger, 'value': value, 'transactionUUID': txn_uuid,
                 'name': name}
        if program.get('cardBased'):
            props['cardIdentifier'] = owner
        self._effect(campaign, index, rule, 'deductLoyaltyPoints', props, coupon)
        self.out.points.append({'op': 'deduct', 'programId': program['id'], 'owner': owner,
                                'subledgerId': subledger, 'amount': value, 'name': name,
                                'uuid': txn_uuid, 'rulesetId': ruleset_id(campaign),
                                'ruleName': rule['title']})

    def _do_awardGiveaway(self, campaign, index, rule, spec, coupon):
        pool = self.ctx.pool_of(spec['poolId'])
        if pool is None or not self.ctx.profile_id:
            return
        base = {'poolId': pool['id'], 'poolName': pool.get('name', ''),
                'recipientIntegrationId': self.ctx.profile_id}
        if not self.ctx.closing:
            self._effect(campaign, index, rule, 'willAwardGiveaway', base, coupon)
            return
        for giveaway in pool.get('giveaways', []):
            if giveaway.get('used') or giveaway.get('profileIntegrationId') or \
                    giveaway['id'] in self.taken_giveaways:
                continue
            self.taken_giveaways.add(giveaway['id'])
            props = dict(base, giveawayId=giveaway['id'], code=giveaway['code'])
            self._effect(campaign, index, rule, 'awardGiveaway', props, coupon)
            self.out.giveaways.append((pool['id'], giveaway['id']))
            return

    def _rejections(self):
        ctx = self.ctx
        for value, coupon in ctx.coupons.items():
            if value in self.out.accepted_coupons:
                continue
            reason = self.coupon_reasons.get(value)
            if reason is None:
                campaign = ctx.world.campaigns[coupon['campaignId']]
                reason = 'CouponRejectedByCondition' if any(
                    any(c['type'] == 'couponValid' for c in r.get('conditions', []))
                    for r in campaign.get('rules', [])) else 'CouponPartOfNotTriggeredCampaign'
            self.out.rejected_coupons[value] = reason
            self.out.effects.append(_rejection_effect(ctx, coupon, 'rejectCoupon', value, reason))
        code = ctx.referral_code
        if code and self.out.accepted_referral is None:
            reason = self.out.referral_rejection or 'ReferralRejectedByCondition'
            self.out.referral_rejection = reason
            self.out.effects.append(
                _rejection_effect(ctx, ctx.referral, 'rejectReferral', code, reason))


def _rejection_effect(ctx, entity, effect_type, value, reason):
    campaign = ctx.world.campaigns.get(entity['campaignId']) if entity else None
    return {'campaignId': campaign['id'] if campaign else 0,
            'rulesetId': ruleset_id(campaign) if campaign else 0,
            'ruleIndex': 0, 'ruleName': '', 'effectType': effect_type,
            'props': {'value': value, 'rejectionReason': reason}}


# A private generator: the sandbox may run inside a user's test process, whose seeded
# global random sequence it must not disturb.
_random = random.Random()
_random_bits = _random.getrandbits
if hasattr(os, 'register_at_fork'):     # a forked test worker must not repeat its parent's ids
    os.register_at_fork(after_in_child=_random.seed)


def _uuid4():
    """A random (version 4) UUID string. Transaction ids only need to be unique here, so the
    fast generator will do: uuid.uuid4() asks the OS for randomness on every call."""
    bits = _random_bits(128)
    return '%08x-%04x-4%03x-%04x-%012x' % (
        bits >> 96, (bits >> 80) & 0xffff, (bits >> 68) & 0xfff,
        0x8000 | ((bits >> 52) & 0x3fff), bits & 0xffffffffffff)


def ruleset_id(campaign):
    return campaign.get('activeRulesetId') or campaign['id'] * 100 + 1


def evaluate(ctx):
    """Run every running campaign against ``ctx``; return an Outcome."""
    return _Evaluation(ctx).run()
