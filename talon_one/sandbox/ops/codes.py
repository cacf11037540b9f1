"""Coupon reservations and referral codes."""

import datetime
from typing import List, Optional, Sequence

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import codegen
from talon_one.sandbox.errors import bad_request
from talon_one.sandbox.ops import views
from talon_one.sandbox.ops.customers import ensure_profile, profile_view
from talon_one.sandbox.ops.request import Request
from talon_one.sandbox.ops.service import Answer, Service
from talon_one.sandbox.store.changes import Changes
from talon_one.sandbox.world import schema


def reserve(svc: Service, changes: Changes, coupon: Doc, integration_id: str,
            now: datetime.datetime) -> bool:
    """Reserve ``coupon`` for a profile (created if need be); False if it already was."""
    ensure_profile(svc, changes, integration_id, now)
    reservations = coupon.setdefault('reservations', [])
    if integration_id in reservations:
        return False
    reservations.append(integration_id)
    changes.put('coupon', coupon['value'], coupon)
    return True


def _coupon(changes: Changes, value: str) -> Doc:
    return changes.require('coupon', value, 'coupon %r' % value)


def create_coupon_reservation(svc: Service, req: Request) -> Answer:
    schema.validate(schema.COUPON_RESERVATIONS, req.body)
    value = svc.world.code_key(req.params['couponValue'])
    ids: List[str] = req.body['integrationIDs']
    with svc.store.locked(['coupon:' + value] + ['profile:' + i for i in set(ids)]):
        changes = Changes(svc.store)
        coupon = _coupon(changes, value)
        now = svc.now()
        for integration_id in ids:
            reserve(svc, changes, coupon, integration_id, now)
        limit = coupon.get('reservationLimit')
        if limit and len(coupon.get('reservations', [])) > limit:
            raise bad_request('/integrationIDs: coupon %r can be reserved by at most %d profiles'
                              % (value, limit), pointer='/integrationIDs')
        changes.put('coupon', value, coupon)
        changes.commit()
    return 201, views.coupon(coupon)


def delete_coupon_reservation(svc: Service, req: Request) -> Answer:
    schema.validate(schema.COUPON_RESERVATIONS, req.body)
    value = svc.world.code_key(req.params['couponValue'])
    with svc.store.locked(['coupon:' + value]):
        changes = Changes(svc.store)
        coupon = _coupon(changes, value)
        coupon['reservations'] = [i for i in coupon.get('reservations', [])
                                  if i not in req.body['integrationIDs']]
        changes.put('coupon', value, coupon)
        changes.commit()
    return 204, None


def get_reserved_customers(svc: Service, req: Request) -> Answer:
    changes = Changes(svc.store)
    coupon = _coupon(changes, svc.world.code_key(req.params['couponValue']))
    profiles = [changes.get('profile', i) for i in coupon.get('reservations', [])]
    data = [profile_view(changes, p) for p in profiles if p is not None]
    return 200, {'totalResultSize': len(data), 'data': data}


def get_reserved_coupons(svc: Service, req: Request) -> Answer:
    integration_id = req.params['integrationId']
    changes = Changes(svc.store)
    data = [views.coupon(c) for c in sorted(changes.all('coupon'), key=lambda c: c['id'])
            if integration_id in c.get('reservations', []) or
            c.get('recipientIntegrationId') == integration_id]
    return 200, {'totalResultSize': len(data), 'data': data}


def _referral_campaign(svc: Service, campaign_id: int) -> Doc:
    campaign = svc.world.campaigns.get(campaign_id)
    if campaign is None:
        raise bad_request('/campaignId: campaign %s does not exist' % campaign_id,
                          pointer='/campaignId')
    if 'referrals' not in campaign.get('features', []) and not any(
            c['type'] == 'referralValid' for r in campaign.get('rules', [])
            for c in r.get('conditions', [])):
        raise bad_request('/campaignId: campaign %s does not allow referrals' % campaign_id,
                          pointer='/campaignId')
    return campaign


def _new_code(svc: Service, changes: Changes, pattern: Optional[str] = None,
              characters: Optional[Sequence[str]] = None) -> str:
    code = codegen.generate(pattern, characters,
                            lambda value: changes.get('referral', value) is not None,
                            svc.world.code_key)
    if code is None:
        raise bad_request('/referralPattern: could not generate a unique code; widen the pattern',
                          pointer='/referralPattern')
    return code


def _referral(svc: Service, changes: Changes, body: Doc, advocate: str, code: str,
              now: datetime.datetime) -> Doc:
    doc: Doc = {'id': svc.next_id('referral'), 'created': timeutil.fmt(now), 'code': code,
                'campaignId': body['campaignId'], 'advocateProfileIntegrationId': advocate,
                'usageLimit': body.get('usageLimit', 0), 'usageCounter': 0,
                'referredCustomers': []}
    for name in ('startDate', 'expiryDate', 'friendProfileIntegrationId', 'attributes'):
        if body.get(name) is not None:
            doc[name] = body[name]
    for name in ('startDate', 'expiryDate'):
        if name in doc:
            doc[name] = timeutil.fmt(timeutil.parse(doc[name]))
    ensure_profile(svc, changes, advocate, now)
    return changes.put('referral', code, doc)


def create_referral(svc: Service, req: Request) -> Answer:
    schema.validate(schema.NEW_REFERRAL, req.body)
    _referral_campaign(svc, req.body['campaignId'])
    advocate = req.body['advocateProfileIntegrationId']
    with svc.store.locked(['profile:' + advocate, 'referrals']):
        changes = Changes(svc.store)
        code = _new_code(svc, changes)
        doc = _referral(svc, changes, req.body, advocate, code, svc.now())
        changes.commit()
    return 201, views.referral(doc)


def create_referrals_for_multiple_advocates(svc: Service, req: Request) -> Answer:
    schema.validate(schema.NEW_REFERRALS_MULTIPLE, req.body)
    silent = req.silent()
    body = req.body
    _referral_campaign(svc, body['campaignId'])
    pattern = body.get('referralPattern')
    if pattern is not None and '#' not in pattern:
        raise bad_request("/referralPattern: must contain at least one '#'",
                          pointer='/referralPattern')
    characters = body.get('validCharacters')
    advocates: List[str] = body['advocateProfileIntegrationIds']
    with svc.store.locked(['profile:' + a for a in set(advocates)] + ['referrals']):
        changes = Changes(svc.store)
        now = svc.now()
        created = [_referral(svc, changes, body, advocate,
                             _new_code(svc, changes, pattern, characters), now)
                   for advocate in advocates]
        changes.commit()
    if silent:
        return 204, None
    return 201, {'totalResultSize': len(created), 'data': [views.referral(r) for r in created]}
