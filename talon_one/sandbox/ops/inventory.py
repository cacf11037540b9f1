"""A customer's inventory: profile, referrals, coupons, loyalty and giveaways on request."""

from talon_one.sandbox import engine
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.ops import views
from talon_one.sandbox.ops.achievements import inventory_achievements
from talon_one.sandbox.ops.customers import profile_view, require_profile
from talon_one.sandbox.ops.loyalty import cards_of, loyalty_view
from talon_one.sandbox.ops.request import Request
from talon_one.sandbox.ops.service import Answer, Service
from talon_one.sandbox.store.changes import Changes

_INVENTORY_FLAGS = ('profile', 'referrals', 'coupons', 'loyalty', 'giveaways', 'achievements')


def get_customer_inventory(svc: Service, req: Request) -> Answer:
    integration_id = req.params['integrationId']
    flags = {name: req.flag(name) for name in _INVENTORY_FLAGS}
    changes = Changes(svc.store)
    profile = require_profile(changes, integration_id)
    body: Doc = {}
    if flags['profile']:
        body['profile'] = profile_view(changes, profile)
    if flags['referrals']:
        body['referrals'] = [views.referral(r, inventory=True)
                             for r in sorted(changes.all('referral'), key=lambda r: r['id'])
                             if r['advocateProfileIntegrationId'] == integration_id]
    if flags['coupons']:
        body['coupons'] = [views.coupon(c, profile_id=integration_id,
                                        inventory_state=_coupon_state(svc, c, integration_id))
                           for c in sorted(changes.all('coupon'), key=lambda c: c['id'])
                           if c.get('recipientIntegrationId') == integration_id or
                           integration_id in c.get('reservations', [])]
    if flags['loyalty']:
        body['loyalty'] = loyalty_view(svc, changes, profile, cards_of(changes, integration_id))
    if flags['giveaways']:
        body['giveaways'] = [views.giveaway(g, pool['id'])
                             for pool in sorted(changes.all('pool'), key=lambda p: p['id'])
                             for g in pool.get('giveaways', [])
                             if g.get('profileIntegrationId') == integration_id]
    if flags['achievements']:
        body['achievements'] = inventory_achievements(svc, changes, integration_id)
    return 200, body


def _coupon_state(svc: Service, coupon: Doc, integration_id: str) -> str:
    return engine.inventory_state(coupon, integration_id,
                                  svc.world.campaigns.get(coupon['campaignId']), svc.now())
