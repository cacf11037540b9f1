"""Customer profile updates: v2 (one or many profiles) and the old v1 one."""

from typing import List, Optional

from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import Outcome
from talon_one.sandbox.errors import not_found
from talon_one.sandbox.ops.customers import ensure_profile, profile_view, touch_profile
from talon_one.sandbox.ops.events import new_event
from talon_one.sandbox.ops.request import Request
from talon_one.sandbox.ops.responses import integration_state_v1, state_v2
from talon_one.sandbox.ops.rules import profile_locks, run_rules
from talon_one.sandbox.ops.service import Answer, Service
from talon_one.sandbox.store.changes import Changes
from talon_one.sandbox.world import schema

PROFILE_DEFAULT_CONTENT = ('customerProfile',)
PROFILE_UPDATED = 'talon_profile_updated'     # the event type of profile updates


def _change_audiences(changes: Changes, integration_id: str, adds: List[int],
                      deletes: List[int]) -> None:
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


def update_customer_profile_v2(svc: Service, req: Request) -> Answer:
    schema.validate(schema.CUSTOMER_PROFILE_REQUEST_V2, req.body)
    dry = req.flag('dry')
    rules_run = req.flag('runRuleEngine')
    integration_id = req.params['integrationId']
    body = req.body
    audience_changes = body.get('audiencesChanges')
    with profile_locks(svc, integration_id, audiences=bool(audience_changes)):
        changes = Changes(svc.store)
        now = svc.now()
        profile = ensure_profile(svc, changes, integration_id, now)
        profile['attributes'].update(body.get('attributes') or {})
        touch_profile(changes, profile, now)
        if audience_changes:
            _change_audiences(changes, integration_id, audience_changes['adds'],
                              audience_changes['deletes'])
        outcome: Optional[Outcome] = None
        giveaways: List[Doc] = []
        if rules_run:
            outcome, giveaways = run_rules(svc, changes, PROFILE_UPDATED, profile, now,
                                           evaluable=body.get('evaluableCampaignIds'))
        effects = outcome.effects if outcome else []
        event = new_event(svc, changes, now, PROFILE_UPDATED, profile, None,
                          body.get('attributes'), effects)
        changes.commit(dry)
    content = body.get('responseContent') or PROFILE_DEFAULT_CONTENT
    return 200, state_v2(svc, changes, content, effects, profile=profile, event=event,
                         outcome=outcome, giveaways=giveaways)


def update_customer_profile_v1(svc: Service, req: Request) -> Answer:
    """The old profile update always ran the rules (v2 asks for it with runRuleEngine)."""
    schema.validate(schema.NEW_CUSTOMER_PROFILE, req.body)
    integration_id = req.params['integrationId']
    attributes = req.body.get('attributes')
    with profile_locks(svc, integration_id):
        changes = Changes(svc.store)
        now = svc.now()
        profile = ensure_profile(svc, changes, integration_id, now)
        profile['attributes'].update(attributes or {})
        touch_profile(changes, profile, now)
        outcome, _ = run_rules(svc, changes, PROFILE_UPDATED, profile, now)
        event = new_event(svc, changes, now, PROFILE_UPDATED, profile, None, attributes,
                          outcome.effects, outcome)
        changes.commit()
    return 200, integration_state_v1(svc, changes, profile, event,
                                     latest_session(svc, changes, profile))


def latest_session(svc: Service, changes: Changes, profile: Doc) -> Doc:
    """The v1 IntegrationState requires a session: the profile's most recently updated
    one, or (no session yet) an empty one that is not stored."""
    mine = [s for s in changes.view('session') if s.get('profileId') == profile['integrationId']]
    if mine:
        return max(mine, key=lambda s: (s['updated'], s['id']))
    stamp = profile['lastActivity']
    return {'integrationId': '', 'created': stamp, 'updated': stamp, 'updateCount': 0,
            'applicationId': svc.world.application_id, 'profileId': profile['integrationId'],
            'state': 'open', 'cartItems': [],
            'firstSession': profile.get('closedSessions', 0) == 0, 'effects': []}


def update_customer_profiles_v2(svc: Service, req: Request) -> Answer:
    schema.validate(schema.MULTIPLE_PROFILES_REQUEST, req.body)
    silent = req.silent()
    items: List[Doc] = req.body.get('customerProfiles') or []
    ids = sorted({item['integrationId'] for item in items})
    with svc.store.locked(['profile:' + i for i in ids]):
        changes = Changes(svc.store)
        now = svc.now()
        profiles: List[Doc] = []
        for item in items:
            profile = ensure_profile(svc, changes, item['integrationId'], now)
            profile['attributes'].update(item.get('attributes') or {})
            touch_profile(changes, profile, now)
            profiles.append(profile)
        changes.commit()
    if silent:
        return 204, None
    return 200, {'integrationStates': [{'customerProfile': profile_view(changes, p)}
                                       for p in profiles]}
