"""Customer profiles, events, inventory and customer data deletion."""

import collections

from talon_one.sandbox import engine
from talon_one.sandbox.world import schema
from talon_one.sandbox import timeutil
from talon_one.sandbox.ops import views
from talon_one.sandbox.errors import not_found
from talon_one.sandbox.ops.service import Changes
from talon_one.sandbox.ops.sessions import integration_state_v1
from talon_one.sandbox.ops.responses import state_v2

PROFILE_DEFAULT_CONTENT = ('customerProfile',)
PROFILE_UPDATED = 'talon_profile_updated'     # the event type of profile updates
EVENT_DEFAULT_CONTENT = ('customerProfile', 'event')


def _profile_locks(svc, integration_id, audiences=False):
    keys = ['audiences'] if audiences else []
    keys.extend(svc.rule_lock_keys())       # profile updates and events commit at once
    if integration_id:
        keys.append('profile:' + integration_id)
        for card in svc.cards_of(Changes(svc.store), integration_id):
            keys.append('card:' + card['identifier'])
    return svc.store.locked(keys)


def _run_rules(svc, changes, trigger, profile, now, attributes=None, evaluable=None):
    """Evaluate rules for a profile/event and commit their outcome at once."""
    audiences = [a['id'] for a in svc.audiences_of(changes, profile['integrationId'])] \
        if profile else []
    ctx = svc.context(changes, trigger, now, profile=profile, event_attributes=attributes,
                      audiences=audiences, evaluable=evaluable, closing=True)
    outcome = engine.evaluate(ctx)
    svc.commit_points(changes, outcome.points, profile, now)
    giveaways = svc.commit_giveaways(changes, outcome.giveaways, profile, now) if profile else []
    svc.commit_rule_writes(changes, outcome, profile, None, now)
    if profile is not None:
        changes.put('profile', profile['integrationId'], profile)
    return outcome, giveaways


def _change_audiences(changes, integration_id, adds, deletes):
    for field, ids, joining in (('adds', adds, True), ('deletes', deletes, False)):
        for index, audience_id in enumerate(ids):
            audience = changes.get('audience', audience_id)
            if audience is None:
                raise not_found('audience %s not found' % audience_id,
                                pointer='/audiencesChanges/%s/%d' % (field, index))
            members = audience.setdefault('members', [])
            if joining and integration_id not in members:
                members.append(integration_id)
            if not joining and integration_id in members:
                members.remove(integration_id)
            changes.put('audience', audience_id, audience)


def update_customer_profile_v2(svc, req):
    schema.validate(schema.CUSTOMER_PROFILE_REQUEST_V2, req.body)
    dry = req.flag('dry')
    run_rules = req.flag('runRuleEngine')
    integration_id = req.params['integrationId']
    body = req.body
    audience_changes = body.get('audiencesChanges')
    with _profile_locks(svc, integration_id, audiences=bool(audience_changes)):
        changes = Changes(svc.store)
        now = svc.now()
        profile = svc.ensure_profile(changes, integration_id, now)
        profile['attributes'].update(body.get('attributes') or {})
        svc.touch_profile(changes, profile, now)
        if audience_changes:
            _change_audiences(changes, integration_id, audience_changes['adds'],
                              audience_changes['deletes'])
        outcome, giveaways = None, []
        if run_rules:
            outcome, giveaways = _run_rules(svc, changes, PROFILE_UPDATED, profile, now,
                                            evaluable=body.get('evaluableCampaignIds'))
        effects = outcome.effects if outcome else []
        event = svc.new_event(changes, now, PROFILE_UPDATED, profile, None,
                              body.get('attributes'), effects)
        changes.commit(dry)
    content = body.get('responseContent') or PROFILE_DEFAULT_CONTENT
    return 200, state_v2(svc, changes, content, effects, profile=profile, event=event,
                         outcome=outcome, giveaways=giveaways)


def update_customer_profile_v1(svc, req):
    """The old profile update always ran the rules (v2 asks for it with runRuleEngine)."""
    schema.validate(schema.NEW_CUSTOMER_PROFILE, req.body)
    integration_id = req.params['integrationId']
    attributes = req.body.get('attributes')
    with _profile_locks(svc, integration_id):
        changes = Changes(svc.store)
        now = svc.now()
        profile = svc.ensure_profile(changes, integration_id, now)
        profile['attributes'].update(attributes or {})
        svc.touch_profile(changes, profile, now)
        outcome, _ = _run_rules(svc, changes, PROFILE_UPDATED, profile, now)
        event = svc.new_event(changes, now, PROFILE_UPDATED, profile, None, attributes,
                              outcome.effects, outcome)
        changes.commit()
    return 200, integration_state_v1(svc, changes, profile, event)


def update_customer_profiles_v2(svc, req):
    schema.validate(schema.MULTIPLE_PROFILES_REQUEST, req.body)
    silent = req.silent()
    items = req.body.get('customerProfiles') or []
    ids = sorted(set(item['integrationId'] for item in items))
    with svc.store.locked(['profile:' + i for i in ids]):
        changes = Changes(svc.store)
        now = svc.now()
        profiles = []
        for item in items:
            profile = svc.ensure_profile(changes, item['integrationId'], now)
            profile['attributes'].update(item.get('attributes') or {})
            svc.touch_profile(changes, profile, now)
            profiles.append(profile)
        changes.commit()
    if silent:
        return 204, None
    return 200, {'integrationStates': [{'customerProfile': svc.profile_view(changes, p)}
                                       for p in profiles]}


_Tracked = collections.namedtuple('_Tracked', 'changes profile outcome event giveaways')


def _track_event(svc, body, dry, session_id=None, evaluable=None):
    """Record a custom event for its (optional) profile and run its rules; the shared core
    of the v1 and v2 event routes."""
    integration_id = body.get('profileId') or ''
    with _profile_locks(svc, integration_id):
        changes = Changes(svc.store)
        now = svc.now()
        profile = None
        if integration_id:
            profile = svc.ensure_profile(changes, integration_id, now)
            svc.touch_profile(changes, profile, now)
        outcome, giveaways = _run_rules(svc, changes, body['type'], profile, now,
                                        attributes=body.get('attributes'), evaluable=evaluable)
        event = svc.new_event(changes, now, body['type'], profile, session_id,
                              body.get('attributes'), outcome.effects, outcome)
        changes.commit(dry)
    return _Tracked(changes, profile, outcome, event, giveaways)


def track_event_v2(svc, req):
    """``silent`` (default yes) answers 204 even for ``dry=true``; see WORLD.md."""
    schema.validate(schema.EVENT_V2_REQUEST, req.body)
    silent = req.silent()
    body = req.body
    done = _track_event(svc, body, req.flag('dry'), evaluable=body.get('evaluableCampaignIds'))
    if silent:
        return 204, None
    content = body.get('responseContent') or EVENT_DEFAULT_CONTENT
    return 200, state_v2(svc, done.changes, content, done.outcome.effects, profile=done.profile,
                         event=done.event, outcome=done.outcome, giveaways=done.giveaways)


def track_event_v1(svc, req):
    schema.validate(schema.NEW_EVENT, req.body)
    body = req.body
    done = _track_event(svc, body, req.flag('dry'), session_id=body['sessionId'])
    session = svc.store.get('session', body['sessionId'])     # shown as it is, if known
    return 201, integration_state_v1(svc, done.changes, done.profile, done.event, session)


_INVENTORY_FLAGS = ('profile', 'referrals', 'coupons', 'loyalty', 'giveaways')


def get_customer_inventory(svc, req):
    integration_id = req.params['integrationId']
    flags = {name: req.flag(name) for name in _INVENTORY_FLAGS}
    changes = Changes(svc.store)
    profile = svc.require_profile(changes, integration_id)
    body = {}
    if flags['profile']:
        body['profile'] = svc.profile_view(changes, profile)
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
        body['loyalty'] = svc.loyalty_view(changes, profile, svc.cards_of(changes, integration_id))
    if flags['giveaways']:
        body['giveaways'] = [views.giveaway(g, pool['id'])
                             for pool in sorted(changes.all('pool'), key=lambda p: p['id'])
                             for g in pool.get('giveaways', [])
                             if g.get('profileIntegrationId') == integration_id]
    return 200, body


def _coupon_state(svc, coupon, integration_id):
    """InventoryCoupon.state for the profile: a coupon it redeemed that cannot be used
    again (a limit is reached) or that expired after its redemption is ``used``."""
    now = svc.now()
    redeemed = coupon.get('profileRedemptions', {}).get(integration_id, 0)
    if coupon.get('expiryDate') and timeutil.parse(coupon['expiryDate']) <= now:
        return 'used' if redeemed else 'expired'
    if coupon.get('startDate') and timeutil.parse(coupon['startDate']) > now:
        return 'pending'
    if coupon.get('usageLimit') and coupon.get('usageCounter', 0) >= coupon['usageLimit']:
        return 'used'
    if engine.profile_limit_reached(coupon, integration_id):
        return 'used'
    campaign = svc.world.campaigns.get(coupon['campaignId'])
    if campaign is None or not engine.is_running(campaign, now):
        return 'disabled'
    return 'active'


def _deletion_locks(svc, integration_id):
    """(session lock keys, other lock keys) a deletion of ``integration_id`` needs."""
    sessions = sorted('session:' + key for key, session in svc.store.items('session')
                      if session.get('profileId') == integration_id)
    others = {'audiences', 'profile:' + integration_id}
    others.update('coupon:' + coupon['value'] for _, coupon in svc.store.items('coupon')
                  if integration_id in coupon.get('reservations', []))
    others.update('card:' + card['identifier']
                  for card in svc.cards_of(Changes(svc.store), integration_id))
    return sessions, others


def delete_customer_data(svc, req):
    integration_id = req.params['integrationId']
    while True:
        sessions, others = _deletion_locks(svc, integration_id)
        # Session locks first, like the session routes, which lock their session and then
        # its profile; waiting for them here (not 409) lets a running update finish first.
        with svc.store.locked(sessions):
            with svc.store.locked(others):
                # Nothing joins this profile while its lock is held, so once the sets are
                # unchanged under the locks they stay complete.
                now_sessions, now_others = _deletion_locks(svc, integration_id)
                if set(now_sessions) <= set(sessions) and now_others <= others:
                    _delete_profile_data(svc, integration_id)
                    return 204, None


def _delete_profile_data(svc, integration_id):
    changes = Changes(svc.store)
    svc.require_profile(changes, integration_id)
    changes.delete('profile', integration_id)
    for key, session in svc.store.items('session'):
        if session.get('profileId') == integration_id:
            changes.delete('session', key)
    for program in svc.world.programs.values():
        if not program.get('cardBased') and svc.ledger(changes, program, integration_id):
            changes.delete('ledger', '%s:%s' % (program['id'], integration_id))
    for audience in changes.all('audience'):
        if integration_id in audience.get('members', []):
            audience['members'].remove(integration_id)
            changes.put('audience', audience['id'], audience)
    for coupon in changes.all('coupon'):
        if integration_id in coupon.get('reservations', []):
            coupon['reservations'].remove(integration_id)
            changes.put('coupon', coupon['value'], coupon)
    for card in changes.all('card'):
        profiles = card.get('profiles', [])
        kept = [p for p in profiles if p['integrationId'] != integration_id]
        if len(kept) != len(profiles):
            card['profiles'] = kept
            changes.put('card', card['identifier'], card)
    changes.commit()
