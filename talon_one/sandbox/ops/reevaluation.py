"""Returns with ``runRuleEngine=true``: the campaigns that asked for it (``reevaluateOnReturn``)
and produced effects when the session closed are evaluated again on what is left of the
cart. Their committed effects are rolled back in full (ops/returns.py) and the new ones are
committed in their place, so a discount that no longer qualifies goes away instead of
shrinking in proportion."""

import datetime
from typing import Dict, List, Optional, Set

from talon_one.sandbox import engine
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.ops.customers import audience_ids
from talon_one.sandbox.ops.events import SESSION_UPDATED
from talon_one.sandbox.ops.loyalty import commit_points
from talon_one.sandbox.ops.rules import context
from talon_one.sandbox.ops.service import Service
from talon_one.sandbox.store.changes import Changes

# What a reevaluation takes over from the close: amounts that follow the cart. Coupon and
# referral redemptions, created codes, giveaways and achievements stay as the close left them.
# Points spent stay spent (a return does not refund them, ops/rollbacks.py).
_REDONE = engine.DISCOUNT_TYPES + ('addLoyaltyPoints',)
_KEPT_FROM_CLOSE = ('deductLoyaltyPoints', 'acceptCoupon', 'rejectCoupon', 'acceptReferral',
                    'rejectReferral', 'redeemReferral', 'increaseAchievementProgress',
                    'couponCreated', 'referralCreated', 'awardGiveaway', 'reserveCoupon',
                    'addToAudience', 'removeFromAudience', 'updateAttribute')


def campaigns_to_rerun(svc: Service, session: Doc) -> Set[int]:
    committed: Doc = session.get('committed') or {}
    produced = set(committed.get('campaignIds') or
                   [e['campaignId'] for e in committed.get('effects', [])])
    return {i for i in produced
            if svc.world.campaigns.get(i, {}).get('reevaluateOnReturn')}


def _coupons_before_this_session(changes: Changes, session: Doc,
                                 profile_id: str) -> Dict[str, Optional[Doc]]:
    """The session's coupons as they were before its own close redeemed them, so a
    usage limit that close reached does not reject them now."""
    committed: Doc = session.get('committed') or {}
    redeemed = {e['props']['value'] for e in committed.get('effects', [])
                if e['effectType'] == 'acceptCoupon'}
    coupons: Dict[str, Optional[Doc]] = {}
    for value in session.get('couponCodes', []):
        coupon = changes.get('coupon', value)
        if coupon is not None and value in redeemed:
            coupon = dict(coupon, usageCounter=max(0, coupon.get('usageCounter', 0) - 1))
            counts = dict(coupon.get('profileRedemptions', {}))
            if profile_id in counts:
                counts[profile_id] = max(0, counts[profile_id] - 1)
            coupon['profileRedemptions'] = counts
        coupons[value] = coupon
    return coupons


def rerun(svc: Service, changes: Changes, session: Doc, profile: Optional[Doc],
          campaign_ids: Set[int], now: datetime.datetime) -> List[Doc]:
    """Evaluate ``campaign_ids`` on the session's remaining cart and commit the amounts;
    the new effects (the caller stores the session)."""
    profile_id = profile['integrationId'] if profile else ''
    code = session.get('referralCode') or None
    cards: List[str] = session.get('loyaltyCards') or []
    ctx = context(svc, changes, SESSION_UPDATED, now, session=session, profile=profile,
                  audiences=audience_ids(changes, profile),
                  coupons=_coupons_before_this_session(changes, session, profile_id),
                  referral_code=code, referral=changes.get('referral', code) if code else None,
                  evaluable=sorted(campaign_ids), closing=True,
                  card=changes.get('card', cards[-1]) if cards else None)
    outcome = engine.evaluate(ctx)
    effects = [e for e in outcome.effects if e['effectType'] not in _KEPT_FROM_CLOSE]
    commit_points(svc, changes, [op for op in outcome.points if op.op == 'add'], profile, now,
                  session['integrationId'])
    committed: Doc = session.setdefault('committed', {'effects': []})
    committed['effects'].extend(dict(e, rolledBack=0) for e in effects
                                if e['effectType'] in _REDONE)
    return effects
