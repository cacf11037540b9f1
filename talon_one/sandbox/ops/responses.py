"""The answers that show state: IntegrationStateV2 (honouring ``responseContent``) and the
deprecated v1 IntegrationState."""

from typing import Dict, Iterable, List, Optional

from talon_one.sandbox import engine, timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import Outcome
from talon_one.sandbox.ops import views
from talon_one.sandbox.ops.achievements import customer_achievements
from talon_one.sandbox.ops.carts import num
from talon_one.sandbox.ops.eligibility import campaign_eligibility
from talon_one.sandbox.ops.customers import profile_view
from talon_one.sandbox.ops.loyalty import cards_of, loyalty_view
from talon_one.sandbox.ops.service import Service
from talon_one.sandbox.store.changes import Changes


def state_v2(svc: Service, changes: Changes, content: Iterable[str], effects: List[Doc],
             session: Optional[Doc] = None, profile: Optional[Doc] = None,
             event: Optional[Doc] = None, outcome: Optional[Outcome] = None,
             giveaways: Iterable[Doc] = (), previous_returns: Optional[List[Doc]] = None) -> Doc:
    wanted = set(content)
    body: Doc = {
        'effects': effects,
        'createdCoupons': [views.coupon(c) for c in outcome.created_coupons] if outcome else [],
        'createdReferrals': [views.referral(r) for r in outcome.created_referrals] if outcome
        else []}
    if 'customerSession' in wanted and session is not None:
        body['customerSession'] = views.session_v2(session)
    if 'customerProfile' in wanted and profile is not None:
        body['customerProfile'] = profile_view(changes, profile)
    if 'event' in wanted and event is not None:
        body['event'] = event
    if 'loyalty' in wanted:
        body['loyalty'] = loyalty_view(svc, changes, profile, _cards(changes, session, profile))
    if 'coupons' in wanted and session is not None:
        owner = profile['integrationId'] if profile else ''
        found = (changes.get('coupon', v) for v in session.get('couponCodes', []))
        body['coupons'] = [views.coupon(doc, profile_id=owner) for doc in found if doc is not None]
    if 'referral' in wanted and session is not None and session.get('referralCode'):
        referral = changes.get('referral', session['referralCode'])
        if referral is not None:
            body['referral'] = views.referral(referral, inventory=True)
    if 'triggeredCampaigns' in wanted:
        body['triggeredCampaigns'] = _campaigns_view(svc, outcome.triggered if outcome else [])
    if 'ruleFailureReasons' in wanted:
        body['ruleFailureReasons'] = list(outcome.failures) if outcome else []
    if 'awardedGiveaways' in wanted:
        body['awardedGiveaways'] = list(giveaways)
    if 'achievements' in wanted and profile is not None:
        body['achievements'] = customer_achievements(svc, changes, profile)
    if 'campaignEligibility' in wanted:
        body['campaignEligibility'] = campaign_eligibility(svc, outcome)
    if 'previousReturns' in wanted and session is not None:
        body['previousReturns'] = list(previous_returns if previous_returns is not None
                                       else session.get('returns', []))
    return body


def _cards(changes: Changes, session: Optional[Doc], profile: Optional[Doc]) -> List[Doc]:
    """A session shows the cards it was sent; a profile or event all linked cards."""
    if session is not None:
        found = (changes.get('card', i) for i in session.get('loyaltyCards', []))
        return [card for card in found if card is not None]
    if profile is not None:
        return cards_of(changes, profile['integrationId'])
    return []


def _campaigns_view(svc: Service, ids: Iterable[int]) -> List[Doc]:
    created = timeutil.fmt(svc.world.created)
    return [views.campaign(svc.world.campaigns[i], svc.world, created) for i in ids]


def integration_state_v1(svc: Service, changes: Changes, profile: Optional[Doc], event: Doc,
                         session: Optional[Doc] = None) -> Doc:
    """The deprecated IntegrationState: profile, event, and the session when the call
    concerns one (its ``discounts`` are those of its last evaluation)."""
    body: Doc = {'event': event,
                 'profile': (profile_view(changes, profile) if profile
                             else _anonymous_profile(svc, timeutil.fmt(svc.now())))}
    body['loyalty'] = loyalty_view(svc, changes, profile)
    if session is None:
        return body
    body['session'] = views.session_v1(session, _discounts(session.get('effects', [])))
    for value in session.get('couponCodes', [])[:1]:
        coupon = changes.get('coupon', value)
        if coupon is not None:
            body['coupon'] = views.coupon(coupon)
    return body


def _discounts(effects: List[Doc]) -> Dict[str, float]:
    """CustomerSession.discounts: discount name -> total amount."""
    discounts: Dict[str, float] = {}
    for effect in effects:
        if effect['effectType'] in engine.DISCOUNT_TYPES:
            name = effect['props']['name']
            discounts[name] = num(round(discounts.get(name, 0) + effect['props']['value'], 2))
    return discounts


def _anonymous_profile(svc: Service, now: str) -> Doc:
    return {'id': 0, 'created': now, 'integrationId': '', 'attributes': {},
            'accountId': svc.world.account_id, 'closedSessions': 0, 'totalSales': 0,
            'lastActivity': now, 'loyaltyMemberships': [], 'audienceMemberships': []}
