"""Deleting a customer's data: the profile, its sessions and ledgers, and every mention of it
in audiences, coupon reservations and loyalty cards."""

from typing import List, Set, Tuple

from talon_one.sandbox.engine import ledgers
from talon_one.sandbox.ops.customers import require_profile
from talon_one.sandbox.ops.loyalty import cards_of, ledger
from talon_one.sandbox.ops.request import Request
from talon_one.sandbox.ops.service import Answer, Service
from talon_one.sandbox.store.changes import Changes


def _deletion_locks(svc: Service, integration_id: str) -> Tuple[List[str], Set[str]]:
    """(session lock keys, other lock keys) a deletion of ``integration_id`` needs."""
    sessions = sorted('session:' + key for key, session in svc.store.items('session')
                      if session.get('profileId') == integration_id)
    others = {'audiences', 'profile:' + integration_id}
    others.update('coupon:' + coupon['value'] for _, coupon in svc.store.items('coupon')
                  if integration_id in coupon.get('reservations', []))
    others.update('card:' + card['identifier']
                  for card in cards_of(Changes(svc.store), integration_id))
    return sessions, others


def delete_customer_data(svc: Service, req: Request) -> Answer:
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


def _delete_profile_data(svc: Service, integration_id: str) -> None:
    changes = Changes(svc.store)
    require_profile(changes, integration_id)
    changes.delete('profile', integration_id)
    for key, session in svc.store.items('session'):
        if session.get('profileId') == integration_id:
            changes.delete('session', key)
    for program in svc.world.programs.values():
        if not program.get('cardBased') and ledger(changes, program, integration_id):
            changes.delete('ledger', ledgers.ledger_key(program, integration_id))
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
