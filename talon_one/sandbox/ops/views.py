"""Render stored documents in the response schemas' shapes (API names)."""

import datetime
from typing import TYPE_CHECKING, Iterable, List, Optional, Sequence

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import ledgers, ruleset_id, tiers

if TYPE_CHECKING:   # pragma: no cover
    from talon_one.sandbox.world import World

_COUPON_FIELDS = ('id', 'created', 'campaignId', 'value', 'usageLimit', 'discountLimit',
                  'reservationLimit', 'startDate', 'expiryDate', 'limits', 'usageCounter',
                  'discountCounter', 'discountRemainder', 'reservationCounter', 'attributes',
                  'referralId', 'recipientIntegrationId', 'importId', 'batchId')
_REFERRAL_FIELDS = ('id', 'created', 'startDate', 'expiryDate', 'usageLimit', 'campaignId',
                    'advocateProfileIntegrationId', 'friendProfileIntegrationId', 'attributes',
                    'importId', 'code', 'usageCounter', 'batchId')
_AUDIENCE_FIELDS = ('accountId', 'id', 'created', 'name', 'sandbox', 'description',
                    'integration', 'integrationId', 'createdIn3rdParty', 'lastUpdate')
_SESSION_V2_FIELDS = ('id', 'created', 'integrationId', 'applicationId', 'profileId',
                      'evaluableCampaignIds', 'couponCodes', 'referralCode', 'loyaltyCards',
                      'state', 'cartItems', 'additionalCosts', 'identifiers', 'attributes',
                      'firstSession', 'total', 'cartItemTotal', 'additionalCostTotal', 'updated',
                      'storeIntegrationId', 'updateCount', 'cartItemAdditionalCostTotal')


def _pick(doc: Doc, fields: Sequence[str]) -> Doc:
    return {name: doc[name] for name in fields if doc.get(name) is not None}


def coupon(doc: Doc, profile_id: Optional[str] = None,
           inventory_state: Optional[str] = None) -> Doc:
    """Coupon; with ``profile_id`` an IntegrationCoupon; with a state an InventoryCoupon."""
    body = _pick(doc, _COUPON_FIELDS)
    body.setdefault('usageLimit', 0)
    body.setdefault('usageCounter', 0)
    body['reservationCounter'] = len(doc.get('reservations', []))
    body['reservation'] = True
    body['isReservationMandatory'] = bool(doc.get('reservationRequired'))
    if profile_id is not None:
        body['profileRedemptionCount'] = doc.get('profileRedemptions', {}).get(profile_id, 0)
    if inventory_state is not None:
        body['state'] = inventory_state
    return body


def referral(doc: Doc, inventory: bool = False) -> Doc:
    body = _pick(doc, _REFERRAL_FIELDS)
    body.setdefault('usageLimit', 0)
    body.setdefault('usageCounter', 0)
    if inventory:
        body['referredCustomers'] = list(doc.get('referredCustomers', []))
    return body


def audience(doc: Doc) -> Doc:
    return _pick(doc, _AUDIENCE_FIELDS)


def profile(doc: Doc, audiences: Iterable[Doc]) -> Doc:
    """CustomerProfile; ``audiences`` are the audience docs the profile is in."""
    body = _pick(doc, ('id', 'created', 'integrationId', 'attributes', 'accountId',
                       'closedSessions', 'totalSales', 'lastActivity'))
    body['attributes'] = doc.get('attributes', {})
    body['loyaltyMemberships'] = [dict(m) for m in doc.get('loyaltyMemberships', [])]
    body['audienceMemberships'] = [{'id': a['id'], 'name': a['name']} for a in audiences]
    body['sandbox'] = True
    return body


def session_v2(doc: Doc) -> Doc:
    body = _pick(doc, _SESSION_V2_FIELDS)
    body.setdefault('profileId', '')
    body.setdefault('updateCount', 1)      # sessions stored before the count existed
    body.setdefault('cartItemAdditionalCostTotal', 0)
    return body


def session_v1(doc: Doc, discounts: Doc) -> Doc:
    """The deprecated CustomerSession shape."""
    return {'integrationId': doc['integrationId'], 'created': doc['created'],
            'applicationId': doc['applicationId'], 'profileId': doc.get('profileId') or '',
            'coupon': (doc.get('couponCodes') or [''])[0],
            'referral': doc.get('referralCode') or '',
            'state': doc['state'], 'cartItems': doc.get('cartItems', []),
            'identifiers': doc.get('identifiers', []), 'total': doc.get('total', 0),
            'attributes': doc.get('attributes', {}),
            'firstSession': doc.get('firstSession', False), 'discounts': discounts,
            'updated': doc['updated'], 'updateCount': doc.get('updateCount', 1)}


def frontend_state(doc: Doc, now: datetime.datetime) -> str:
    """Campaign.frontendState: the state as the Campaign Manager shows it at ``now``."""
    state = doc.get('state', 'enabled')
    if state != 'enabled':
        return str(state)
    if doc.get('startTime') and timeutil.parse(doc['startTime']) > now:
        return 'scheduled'
    if doc.get('endTime') and timeutil.parse(doc['endTime']) <= now:
        return 'expired'
    return 'running'


def campaign(doc: Doc, world: 'World', created: str,
             now: Optional[datetime.datetime] = None) -> Doc:
    """Campaign; ``features`` derived from the rules unless the world names them."""
    features = campaign_features(doc)
    body: Doc = {'id': doc['id'], 'created': doc.get('created', created),
            'applicationId': world.application_id, 'userId': 1, 'name': doc['name'],
            'description': doc.get('description', ''), 'attributes': doc.get('attributes', {}),
            'state': doc.get('state', 'enabled'), 'activeRulesetId': ruleset_id(doc),
            'tags': doc.get('tags', []), 'features': features, 'limits': doc.get('limits', []),
            'campaignGroups': doc.get('campaignGroups', []),
            'frontendState': frontend_state(doc, now or timeutil.now()),
            'reevaluateOnReturn': bool(doc.get('reevaluateOnReturn', False)),
            'storesImported': False, 'type': doc.get('type', 'cartItem')}
    for name in ('startTime', 'endTime'):
        if doc.get(name):
            body[name] = doc[name]
    return body


def campaign_features(doc: Doc) -> List[str]:
    """The world's ``features``, else those its rules use."""
    features: Optional[List[str]] = doc.get('features')
    return list(features) if features is not None else _features(doc.get('rules', []))


def _features(rules: List[Doc]) -> List[str]:
    conditions = {c['type'] for r in rules for c in r.get('conditions', [])}
    effects = {e['type'] for r in rules for e in r.get('effects', [])}
    features: List[str] = []
    if 'couponValid' in conditions or effects & {'couponCreated', 'reserveCoupon'}:
        features.append('coupons')
    if 'referralValid' in conditions or 'referralCreated' in effects:
        features.append('referrals')
    if effects & {'addLoyaltyPoints', 'deductLoyaltyPoints', 'changeLoyaltyTierLevel',
                  'extendLoyaltyPointsExpiryDate', 'setLoyaltyPointsExpiryDate'}:
        features.append('loyalty')
    if 'awardGiveaway' in effects:
        features.append('giveaways')
    if 'increaseAchievementProgress' in effects:
        features.append('achievements')
    return features


def ledger_info(program: Doc, ledger: Optional[Doc], subledger: str) -> Doc:
    """LedgerInfo now, with the tier fields when the program has tiers."""
    info: Doc = ledgers.ledger_info(ledger, subledger)
    if program.get('tiers'):
        info.update(tiers.tier_fields(program, ledger, subledger, info['currentBalance'],
                                      timeutil.now()))
    return info


def program_ledgers(program: Doc, ledger: Optional[Doc], joined: Optional[str] = None) -> Doc:
    body: Doc = {'id': program['id'], 'title': program.get('title', program['name']),
            'name': program['name'], 'ledger': ledger_info(program, ledger, '')}
    if joined:
        body['joinDate'] = joined
    subs = ledgers.subledgers_of(program, ledger)
    if subs:
        body['subLedgers'] = {sub: ledger_info(program, ledger, sub) for sub in subs}
    return body


def card(doc: Doc, program: Doc, ledger: Optional[Doc]) -> Doc:
    body: Doc = {'id': doc['id'], 'created': doc['created'], 'programID': doc['programId'],
            'programName': program['name'], 'programTitle': program.get('title', program['name']),
            'status': doc.get('status', 'active'), 'identifier': doc['identifier'],
            'usersPerCardLimit': doc.get('usersPerCardLimit', program.get('usersPerCardLimit', 1)),
            'profiles': [dict(p) for p in doc.get('profiles', [])],
            'ledger': ledger_info(program, ledger, '')}
    subs = ledgers.subledgers_of(program, ledger)
    if subs:
        body['subledgers'] = {sub: ledger_info(program, ledger, sub) for sub in subs}
    for name in ('modified', 'batchId', 'blockReason'):
        if doc.get(name):
            body[name] = doc[name]
    return body


def balance_with_tier(program: Doc, ledger: Optional[Doc], subledger: str,
                      at: datetime.datetime, with_tiers: bool, projected: bool) -> Doc:
    """LoyaltyBalanceWithTier of one subledger at ``at``."""
    body: Doc = ledgers.balance(ledger, subledger, at)
    if with_tiers:
        body.update(tiers.tier_fields(program, ledger, subledger, body['activePoints'], at))
    if projected and program.get('tiers'):
        then = ledgers.balance(ledger, subledger, max(at, tiers.period_end(at)))
        body['projectedTier'] = tiers.projected(program, ledger, subledger,
                                                then['activePoints'], body['activePoints'], at)
    return body


def balances(program: Doc, ledger: Optional[Doc], at: datetime.datetime,
             subledgers: Optional[Sequence[str]] = None, with_tiers: bool = False,
             projected: bool = False) -> Doc:
    """LoyaltyBalancesWithTiers (LoyaltyBalances without the tier flags); ``subledgers``
    limits the subledger balances to those named."""
    body: Doc = {'balance': balance_with_tier(program, ledger, '', at, with_tiers, projected)}
    subs = ledgers.subledgers_of(program, ledger)
    if subledgers is not None:
        subs = [sub for sub in subs if sub in subledgers]
    body['subledgerBalances'] = {sub: balance_with_tier(program, ledger, sub, at, with_tiers,
                                                        projected) for sub in subs}
    return body


def giveaway(doc: Doc, pool_id: int) -> Doc:
    body = _pick(doc, ('id', 'created', 'code', 'startDate', 'endDate', 'attributes', 'used',
                       'importId', 'profileIntegrationId', 'profileId'))
    body['poolId'] = pool_id
    body.setdefault('used', False)
    return body


def catalog(doc: Doc) -> Doc:
    return {'id': doc['id'], 'created': doc['created'], 'accountId': doc['accountId'],
            'modified': doc['modified'], 'name': doc.get('name', ''),
            'description': doc.get('description', ''),
            'subscribedApplicationsIds': doc.get('subscribedApplicationsIds', []),
            'version': doc['version'], 'createdBy': doc.get('createdBy', 1)}
