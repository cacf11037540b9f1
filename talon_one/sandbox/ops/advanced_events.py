"""Advanced events (v3): idempotent custom events identified by their integration id. The
first one with an id is evaluated and stored; the same id again is a 409 (the spec's "an
advanced event already exists") and changes nothing. An event may name a session (also a
closed one) whose cart and attributes its rules then see."""

from typing import List, NamedTuple, Optional

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import Outcome
from talon_one.sandbox.errors import SandboxError, bad_request, not_found
from talon_one.sandbox.ops.customers import ensure_profile, touch_profile
from talon_one.sandbox.ops.request import Request
from talon_one.sandbox.ops.responses import state_v2
from talon_one.sandbox.ops.rules import profile_locks, run_rules
from talon_one.sandbox.ops.service import Answer, Service
from talon_one.sandbox.store.changes import Changes
from talon_one.sandbox.world import schema

DEFAULT_CONTENT = ('customerProfile', 'advancedEvent')
_ECHOED = ('profileId', 'storeIntegrationId', 'evaluableCampaignIds', 'integrationId', 'type',
           'connectedSessionId', 'previousEventID')


class Recorded(NamedTuple):
    changes: Changes
    profile: Doc
    outcome: Outcome
    event: Doc
    giveaways: List[Doc]


def _exists(integration_id: str) -> SandboxError:
    return SandboxError(409, 'an advanced event with integrationId %r already exists; it is '
                        'recorded once (GET /v3/events/{integrationId} shows it)'
                        % integration_id, pointer='/integrationId', title='Conflict')


def record(svc: Service, body: Doc, dry: bool) -> Recorded:
    """Evaluate and (unless ``dry``) store the advanced event ``body`` (validated)."""
    integration_id: str = body['integrationId']
    connected: Optional[str] = body.get('connectedSessionId')
    exclusive = ['advancedEvent:' + integration_id] + (['session:' + connected] if connected
                                                       else [])
    with svc.store.locked((), exclusive=exclusive):
        if svc.store.get('advancedEvent', integration_id) is not None:
            raise _exists(integration_id)
        with profile_locks(svc, body['profileId']):
            changes = Changes(svc.store)
            now = svc.now()
            # A session the sandbox does not know (e.g. one of another system) is only
            # echoed: the rules then see no session, as for an event without one.
            session = changes.get('session', connected) if connected else None
            profile = ensure_profile(svc, changes, body['profileId'], now)
            touch_profile(changes, profile, now)
            outcome, giveaways = run_rules(svc, changes, body['type'], profile, now,
                                           attributes=body.get('attributes'),
                                           evaluable=body.get('evaluableCampaignIds'),
                                           session=session)
            if session is not None and any(t == 'session' for t, _, _ in
                                           outcome.attribute_updates):
                changes.put('session', session['integrationId'], session)
            event: Doc = {name: body[name] for name in _ECHOED if body.get(name) is not None}
            event.update(id=svc.next_id('event'), created=timeutil.fmt(now),
                         applicationId=svc.world.application_id,
                         attributes=body.get('attributes') or {}, effects=outcome.effects)
            changes.put('advancedEvent', integration_id, event)
            changes.commit(dry)
    return Recorded(changes, profile, outcome, event, giveaways)


def track_event_v3(svc: Service, req: Request) -> Answer:
    """``silent`` (default yes) answers 204; ``forceCompleteEvaluation`` needs ``dry=true``
    (the sandbox evaluates every campaign anyway)."""
    schema.validate(schema.EVENT_V3_REQUEST, req.body)
    silent = req.silent()
    dry = req.flag('dry')
    check_force_complete(req, dry)
    done = record(svc, req.body, dry)
    if silent:
        return 204, None
    content = req.body.get('responseContent') or DEFAULT_CONTENT
    body = state_v2(svc, done.changes, content, done.outcome.effects, profile=done.profile,
                    outcome=done.outcome, giveaways=done.giveaways)
    if 'advancedEvent' in content:
        body['advancedEvent'] = done.event
    return 200, body


def check_force_complete(req: Request, dry: bool) -> None:
    if req.flag('forceCompleteEvaluation') and not dry:
        raise bad_request('query parameter forceCompleteEvaluation: requires dry=true',
                          parameter='forceCompleteEvaluation')


def get_event_v3(svc: Service, req: Request) -> Answer:
    event = svc.store.get('advancedEvent', req.params['integrationId'])
    if event is None:
        raise not_found('advanced event %r not found' % req.params['integrationId'])
    return 200, event
