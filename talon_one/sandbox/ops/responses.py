"""Assemble IntegrationStateV2 bodies, honouring ``responseContent``."""

from talon_one.sandbox.ops import views


def state_v2(svc, changes, content, effects, session=None, profile=None, event=None,
             outcome=None, giveaways=(), previous_returns=None):
    content = set(content)
    body = {'effects': effects,
            'createdCoupons': [views.coupon(c) for c in outcome.created_coupons] if outcome
            else [],
            'createdReferrals': [views.referral(r) for r in outcome.created_referrals] if outcome
            else []}
    if 'customerSession' in content and session is not None:
        body['customerSession'] = views.session_v2(session)
    if 'customerProfile' in content and profile is not None:
        body['customerProfile'] = svc.profile_view(changes, profile)
    if 'event' in content and event is not None:
        body['event'] = event
    if 'loyalty' in content:
        body['loyalty'] = svc.loyalty_view(changes, profile,
                                           _cards(svc, changes, session, profile))
    if 'coupons' in content and session is not None:
        owner = profile['integrationId'] if profile else ''
        found = (changes.get('coupon', v) for v in session.get('couponCodes', []))
        body['coupons'] = [views.coupon(doc, profile_id=owner) for doc in found if doc is not None]
    if 'referral' in content and session is not None and session.get('referralCode'):
        referral = changes.get('referral', session['referralCode'])
        if referral is not None:
            body['referral'] = views.referral(referral, inventory=True)
    if 'triggeredCampaigns' in content:
        body['triggeredCampaigns'] = svc.campaigns_view(outcome.triggered if outcome else [])
    if 'ruleFailureReasons' in content:
        body['ruleFailureReasons'] = list(outcome.failures) if outcome else []
    if 'awardedGiveaways' in content:
        body['awardedGiveaways'] = list(giveaways)
    if 'previousReturns' in content and session is not None:
        body['previousReturns'] = list(previous_returns if previous_returns is not None
                                       else session.get('returns', []))
    return body


def _cards(svc, changes, session, profile):
    """A session shows the cards it was sent; a profile or event all linked cards."""
    if session is not None:
        found = (changes.get('card', i) for i in session.get('loyaltyCards', []))
        return [card for card in found if card is not None]
    if profile is not None:
        return svc.cards_of(changes, profile['integrationId'])
    return []
