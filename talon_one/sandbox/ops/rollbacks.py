"""Undoing what a session's close committed: all of it (cancel, reopen) or a returned share."""

import datetime
from typing import Callable, List, Optional, Tuple

from talon_one.sandbox import engine, timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import ledgers
from talon_one.sandbox.engine.amounts import remaining
from talon_one.sandbox.ops.achievements import undo_progress
from talon_one.sandbox.ops.customers import add_sales, profile_of
from talon_one.sandbox.ops.loyalty import ledger_for_write
from talon_one.sandbox.ops.service import Service
from talon_one.sandbox.store.changes import Changes

# A close commits these effects (session['committed']); they are what can be rolled back.
COMMITTED_TYPES = ('acceptCoupon', 'acceptReferral', 'addLoyaltyPoints',
                   'deductLoyaltyPoints', 'increaseAchievementProgress') + engine.DISCOUNT_TYPES
_COST_DISCOUNTS = ('setDiscountPerAdditionalCost', 'setDiscountPerAdditionalCostPerItem')

ShareOf = Callable[[Doc], float]    # a committed effect -> the amount a return takes back


def _rollback_effect(effect: Doc, effect_type: str, props: Doc) -> Doc:
    return {'campaignId': effect['campaignId'], 'rulesetId': effect['rulesetId'],
            'ruleIndex': effect['ruleIndex'], 'ruleName': effect['ruleName'],
            'effectType': effect_type, 'props': props}


def rollback(svc: Service, changes: Changes, session: Doc, profile: Optional[Doc],
             now: datetime.datetime, share_of: Optional[ShareOf] = None) -> List[Doc]:
    """Undo committed effects; ``share_of(effect)`` -> amount for partial returns.

    Without ``share_of`` everything left is rolled back (cancel, reopen).
    """
    effects: List[Doc] = []
    committed: Doc = session.get('committed') or {'effects': []}
    profile_id = profile['integrationId'] if profile else ''
    for effect in committed['effects']:
        kind = effect['effectType']
        props = effect['props']
        if kind in ('acceptCoupon', 'acceptReferral'):
            if share_of is None:
                effects.append(_undo_code(changes, effect, profile_id))
            continue
        if kind == 'deductLoyaltyPoints' and share_of is not None:
            continue
        if kind == 'increaseAchievementProgress':
            # A return takes progress back only once nothing of the cart is left.
            if share_of is None or all(remaining(i) <= 0 for i in session['cartItems']):
                undone = undo_progress(svc, changes, profile, effect)
                if undone is not None:
                    effects.append(_rollback_effect(
                        effect, 'rollbackIncreasedAchievementProgress', undone))
            continue
        left = round(float(props['value']) - effect['rolledBack'], 2)
        amount = left if share_of is None else min(left, share_of(effect))
        amount = round(amount, 2)
        if amount <= 0:
            continue
        effect['rolledBack'] = round(effect['rolledBack'] + amount, 2)
        if kind in engine.DISCOUNT_TYPES:
            effects.append(_rollback_effect(effect, 'rollbackDiscount',
                                            _discount_rollback(kind, props, amount)))
        else:
            effects.append(_undo_points(svc, changes, session, effect, amount, now))
    return effects


def _discount_rollback(kind: str, props: Doc, amount: float) -> Doc:
    """RollbackDiscountEffectProps undoing ``amount`` of a discount effect."""
    rb = {'name': props['name'], 'value': amount,
          'scope': 'additionalCosts' if kind in _COST_DISCOUNTS else props.get('scope', '')}
    if 'position' in props:
        rb['cartItemPosition'] = props['position']
    if kind in _COST_DISCOUNTS:
        rb.update(additionalCostId=props['additionalCostId'],
                  additionalCost=props['additionalCost'])
    return rb


def _undo_code(changes: Changes, effect: Doc, profile_id: str) -> Doc:
    value = effect['props']['value']
    if effect['effectType'] == 'acceptCoupon':
        coupon = changes.get('coupon', value)
        if coupon is not None:
            coupon['usageCounter'] = max(0, coupon.get('usageCounter', 0) - 1)
            counts = coupon.get('profileRedemptions', {})
            if profile_id in counts:
                counts[profile_id] = max(0, counts[profile_id] - 1)
            changes.put('coupon', value, coupon)
        return _rollback_effect(effect, 'rollbackCoupon', {'value': value})
    referral = changes.get('referral', value)
    if referral is not None:
        referral['usageCounter'] = max(0, referral.get('usageCounter', 0) - 1)
        if profile_id in referral.get('referredCustomers', []):
            referral['referredCustomers'].remove(profile_id)
        changes.put('referral', value, referral)
    return _rollback_effect(effect, 'rollbackReferral', {'value': value})


def _undo_points(svc: Service, changes: Changes, session: Doc, effect: Doc, amount: float,
                 now: datetime.datetime) -> Doc:
    props = effect['props']
    program = svc.world.programs[props['programId']]
    owner: str = props.get('cardIdentifier') or props.get('recipientIntegrationId') or \
        session['profileId']    # every session document has a profileId ('' for none)
    ledger = ledger_for_write(changes, program, owner)
    rb = {'programId': props['programId'], 'subLedgerId': props['subLedgerId'], 'value': amount,
          'recipientIntegrationId': session.get('profileId') or '',
          'transactionUUID': props['transactionUUID']}
    if props.get('cardIdentifier'):
        rb['cardIdentifier'] = props['cardIdentifier']
    if effect['effectType'] == 'addLoyaltyPoints':
        ledgers.add_transaction(ledger, svc.next_id('transaction'), now, 'subtraction', amount,
                                'Rollback: ' + props['name'], props['subLedgerId'],
                                session_id=session['integrationId'], kind='rollback',
                                rollback_of=props['transactionUUID'],
                                ruleset_id=effect['rulesetId'], rule_name=effect['ruleName'])
        return _rollback_effect(effect, 'rollbackAddedLoyaltyPoints', rb)
    ledgers.add_transaction(ledger, svc.next_id('transaction'), now, 'addition', amount,
                            'Refund: ' + props['name'], props['subLedgerId'],
                            session_id=session['integrationId'], kind='refund',
                            ruleset_id=effect['rulesetId'], rule_name=effect['ruleName'])
    return _rollback_effect(effect, 'rollbackDeductedLoyaltyPoints', rb)


def undo_close(svc: Service, changes: Changes, session: Doc, now: datetime.datetime,
               new_state: str) -> Tuple[Optional[Doc], List[Doc]]:
    """Roll back everything a close committed and move the session to ``new_state``; the
    session's profile and the rollback effects."""
    profile = profile_of(changes, session)
    effects = rollback(svc, changes, session, profile, now)
    if profile is not None:
        profile['closedSessions'] = max(0, profile.get('closedSessions', 0) - 1)
        add_sales(changes, profile, -float(session['total']))
    session['state'] = new_state
    session['updated'] = timeutil.fmt(now)
    session['effects'] = effects
    session.pop('committed', None)
    changes.put('session', session['integrationId'], session)
    return profile, effects
