"""Events: the Event document every evaluation records, and the custom event routes."""

import datetime
from typing import List, NamedTuple, Optional

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import Outcome
from talon_one.sandbox.errors import bad_request
from talon_one.sandbox.ops.customers import ensure_profile, touch_profile
from talon_one.sandbox.ops.request import Request
from talon_one.sandbox.ops.responses import integration_state_v1, state_v2
from talon_one.sandbox.ops.rules import profile_locks, run_rules
from talon_one.sandbox.ops.service import Answer, Service
from talon_one.sandbox.store.changes import Changes
from talon_one.sandbox.world import schema

EVENT_DEFAULT_CONTENT = ('customerProfile', 'event')
SESSION_UPDATED = 'talon_session_updated'     # the event type of session updates


def new_event(svc: Service, changes: Changes, now: datetime.datetime, event_type: str,
              profile: Optional[Doc], session_id: Optional[str], attributes: Optional[Doc],
              effects: List[Doc], outcome: Optional[Outcome] = None) -> Doc:
    event: Doc = {'id': svc.next_id('event'), 'created': timeutil.fmt(now),
                  'applicationId': svc.world.application_id, 'type': event_type,
                  'attributes': attributes or {}, 'effects': effects, 'ledgerEntries': [],
                  'meta': {}}
    if profile is not None:
        event['profileId'] = profile['integrationId']
    if session_id:
        event['sessionId'] = session_id
    if outcome is not None:
        event['meta'] = _meta(changes, outcome)
    return event


def _meta(changes: Changes, outcome: Outcome) -> Doc:
    meta: Doc = {'campaigns': {}, 'coupons': {}, 'warnings': {}}
    if outcome.rejected_coupons:    # EventV2's meta has room for one rejection only
        value, reason = next(iter(outcome.rejected_coupons.items()))
        coupon = changes.get('coupon', value)
        meta['couponRejectionReason'] = {
            'campaignId': coupon['campaignId'] if coupon else 0,
            'couponId': coupon['id'] if coupon else 0, 'reason': reason}
    if outcome.referral_rejection:
        meta['referralRejectionReason'] = {'campaignId': 0, 'referralId': 0,
                                           'reason': outcome.referral_rejection}
    return meta


class _Tracked(NamedTuple):
    changes: Changes
    profile: Optional[Doc]
    outcome: Outcome
    event: Doc
    giveaways: List[Doc]


def _track_event(svc: Service, body: Doc, dry: bool, session_id: Optional[str] = None,
                 evaluable: Optional[List[int]] = None) -> _Tracked:
    """Record a custom event for its (optional) profile and run its rules; the shared core
    of the v1 and v2 event routes."""
    integration_id = body.get('profileId') or ''
    with profile_locks(svc, integration_id):
        changes = Changes(svc.store)
        now = svc.now()
        profile = None
        if integration_id:
            profile = ensure_profile(svc, changes, integration_id, now)
            touch_profile(changes, profile, now)
        outcome, giveaways = run_rules(svc, changes, body['type'], profile, now,
                                       attributes=body.get('attributes'), evaluable=evaluable)
        event = new_event(svc, changes, now, body['type'], profile, session_id,
                          body.get('attributes'), outcome.effects, outcome)
        if body.get('storeIntegrationId'):
            event['storeIntegrationId'] = body['storeIntegrationId']
        changes.commit(dry)
    return _Tracked(changes, profile, outcome, event, giveaways)


def track_event_v2(svc: Service, req: Request) -> Answer:
    """``silent`` (default yes) answers 204 even for ``dry=true``; see WORLD.md."""
    schema.validate(schema.EVENT_V2_REQUEST, req.body)
    silent = req.silent()
    body = req.body
    dry = req.flag('dry')
    if req.flag('forceCompleteEvaluation') and not dry:     # the spec: "Requires dry=true"
        raise bad_request('query parameter forceCompleteEvaluation: requires dry=true',
                          parameter='forceCompleteEvaluation')
    done = _track_event(svc, body, dry, evaluable=body.get('evaluableCampaignIds'))
    if silent:
        return 204, None
    content = body.get('responseContent') or EVENT_DEFAULT_CONTENT
    return 200, state_v2(svc, done.changes, content, done.outcome.effects, profile=done.profile,
                         event=done.event, outcome=done.outcome, giveaways=done.giveaways)


def track_event_v1(svc: Service, req: Request) -> Answer:
    """An event is always part of a session: an unknown ``sessionId`` opens that session
    (for the event's profile) first, as a session update would."""
    schema.validate(schema.NEW_EVENT, req.body)
    body = req.body
    dry = req.flag('dry')
    session = svc.store.get('session', body['sessionId'])     # shown as it is, if known
    if session is None:
        from talon_one.sandbox.ops.sessions import update_session   # sessions imports us
        opened: Doc = {'profileId': body['profileId']} if body.get('profileId') else {}
        session = update_session(svc, body['sessionId'], opened, dry,
                                 lambda name: '/sessionId').session
    done = _track_event(svc, body, dry, session_id=body['sessionId'])
    return 201, integration_state_v1(svc, done.changes, done.profile, done.event, session)
