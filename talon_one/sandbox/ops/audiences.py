"""Audiences: create, rename, delete, memberships and members' attributes."""

from typing import List

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.errors import SandboxError, not_found
from talon_one.sandbox.ops import views
from talon_one.sandbox.ops.customers import require_profile, touch_profile
from talon_one.sandbox.ops.request import Request
from talon_one.sandbox.ops.service import Answer, Service
from talon_one.sandbox.store.changes import Changes
from talon_one.sandbox.world import schema

_LOCK = ('audiences',)


def _audience(changes: Changes, audience_id: int) -> Doc:
    return changes.require('audience', audience_id, 'audience %s' % audience_id)


def create_audience_v2(svc: Service, req: Request) -> Answer:
    schema.validate(schema.NEW_AUDIENCE, req.body)
    body = req.body
    with svc.store.locked(_LOCK):
        changes = Changes(svc.store)
        if body.get('integrationId') and any(a.get('integrationId') == body['integrationId']
                                             for a in changes.all('audience')):
            raise SandboxError(409, 'an audience with integrationId %r already exists'
                               % body['integrationId'], pointer='/integrationId',
                               title='Conflict')
        now = timeutil.fmt(svc.now())
        audience: Doc = {'id': svc.next_id('audience'), 'created': now,
                    'accountId': svc.world.account_id, 'members': []}
        for name in ('name', 'sandbox', 'description', 'integration', 'integrationId',
                     'createdIn3rdParty', 'lastUpdate'):
            if body.get(name) is not None:
                audience[name] = body[name]
        changes.put('audience', audience['id'], audience)
        changes.commit()
    return 201, views.audience(audience)


def update_audience_v2(svc: Service, req: Request) -> Answer:
    schema.validate(schema.UPDATE_AUDIENCE, req.body)
    with svc.store.locked(_LOCK):
        changes = Changes(svc.store)
        audience = _audience(changes, req.params['audienceId'])
        audience['name'] = req.body['name']
        audience['lastUpdate'] = timeutil.fmt(svc.now())
        changes.put('audience', audience['id'], audience)
        changes.commit()
    return 200, views.audience(audience)


def delete_audience_v2(svc: Service, req: Request) -> Answer:
    with svc.store.locked(_LOCK):
        changes = Changes(svc.store)
        audience = _audience(changes, req.params['audienceId'])
        changes.delete('audience', audience['id'])
        changes.commit()
    return 204, None


def delete_audience_memberships_v2(svc: Service, req: Request) -> Answer:
    with svc.store.locked(_LOCK):
        changes = Changes(svc.store)
        audience = _audience(changes, req.params['audienceId'])
        audience['members'] = []
        changes.put('audience', audience['id'], audience)
        changes.commit()
    return 204, None


def update_customer_profile_audiences(svc: Service, req: Request) -> Answer:
    schema.validate(schema.PROFILE_AUDIENCE_REQUEST, req.body)
    items: List[Doc] = req.body.get('data') or []
    with svc.store.locked(_LOCK):
        changes = Changes(svc.store)
        for index, item in enumerate(items):
            pointer = '/data/%d' % index
            audience = changes.get('audience', item['audienceId'])
            if audience is None:
                raise not_found('%s/audienceId: audience %s not found'
                                % (pointer, item['audienceId']), pointer=pointer + '/audienceId')
            require_profile(changes, item['profileIntegrationId'],
                            pointer=pointer + '/profileIntegrationId')
            members = audience.setdefault('members', [])
            who = item['profileIntegrationId']
            if item['action'] == 'add' and who not in members:
                members.append(who)
            if item['action'] == 'delete' and who in members:
                members.remove(who)
            changes.put('audience', audience['id'], audience)
        changes.commit()
    return 204, None


def update_audience_customers_attributes(svc: Service, req: Request) -> Answer:
    # The audiences lock is held only to read the members (a snapshot); the
    # profiles are then locked and written like any other profile update.
    with svc.store.locked(_LOCK):
        audience = _audience(Changes(svc.store), req.params['audienceId'])
    members = sorted(audience.get('members', []))
    with svc.store.locked(['profile:' + m for m in members]):
        changes = Changes(svc.store)
        now = svc.now()
        for member in members:
            profile = changes.get('profile', member)
            if profile is not None:
                profile['attributes'].update(req.body)
                touch_profile(changes, profile, now)
        changes.commit()
    return 204, None
