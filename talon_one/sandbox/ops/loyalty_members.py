"""A profile's membership of a profile-based program: joinLoyaltyProgram and
deleteLoyaltyTransactionsFromLedgers."""

from typing import List, Optional

from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import ledgers
from talon_one.sandbox.errors import bad_request
from talon_one.sandbox.ops.customers import ensure_profile, require_profile
from talon_one.sandbox.ops.loyalty import join_program, ledger, program
from talon_one.sandbox.ops.loyalty_bodies import DELETE_LOYALTY_TRANSACTIONS
from talon_one.sandbox.ops.request import Request
from talon_one.sandbox.ops.service import Answer, Service
from talon_one.sandbox.store.changes import Changes
from talon_one.sandbox.world import schema


def _member(profile: Doc, program_id: int) -> bool:
    return any(m['loyaltyProgramId'] == program_id for m in profile.get('loyaltyMemberships', []))


def join_loyalty_program(svc: Service, req: Request) -> Answer:
    member_of = program(svc, req.params['loyaltyProgramId'], card_based=False)
    integration_id = req.params['integrationId']
    with svc.store.locked(['profile:' + integration_id]):
        changes = Changes(svc.store)
        now = svc.now()
        # The spec: a profile that does not exist yet is created, then joined.
        profile = ensure_profile(svc, changes, integration_id, now)
        if _member(profile, member_of['id']):
            raise bad_request('customer profile %r has already joined loyalty program %s'
                              % (integration_id, member_of['id']), parameter='integrationId')
        join_program(profile, member_of['id'], now)
        changes.put('profile', integration_id, profile)
        changes.commit()
    return 200, None


def _subledgers(member_of: Doc, body: Doc) -> Optional[List[str]]:
    """The subledgers to empty (None: all of them, the main ledger included)."""
    names: List[str] = body.get('subledgerIds') or []
    if body['scope'] == 'AllSubledgers':
        if names:
            raise bad_request('/subledgerIds: must be left out when scope is AllSubledgers',
                              pointer='/subledgerIds')
        return None
    if not names:
        raise bad_request('/subledgerIds: is required when scope is SelectedSubledgers',
                          pointer='/subledgerIds')
    known = member_of.get('subledgers', [])
    for index, name in enumerate(names):
        if name not in known:
            pointer = '/subledgerIds/%d' % index
            raise bad_request('%s: loyalty program %s has no subledger %r (subledgers: %s)'
                              % (pointer, member_of['id'], name, ', '.join(known) or 'none'),
                              pointer=pointer)
    return names


def delete_loyalty_transactions_from_ledgers(svc: Service, req: Request) -> Answer:
    schema.validate(DELETE_LOYALTY_TRANSACTIONS, req.body)
    member_of = program(svc, req.params['loyaltyProgramId'], card_based=False)
    subledgers = _subledgers(member_of, req.body)
    integration_id = req.params['integrationId']
    with svc.store.locked(['profile:' + integration_id]):
        changes = Changes(svc.store)
        require_profile(changes, integration_id)
        doc = ledger(changes, member_of, integration_id)
        if doc is not None and ledgers.remove_transactions(doc, subledgers):
            changes.put('ledger', ledgers.ledger_key(member_of, integration_id), doc)
            changes.commit()
    return 204, None
