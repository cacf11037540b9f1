"""Points as the 2026 loyalty operations see them: activating points that await activation
(activateLoyaltyPoints) and listing what is left unused of each addition
(getLoyaltyCardPoints, getLoyaltyProgramProfilePoints)."""

import datetime
from typing import List, Optional, Set

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import durations, ledgers
from talon_one.sandbox.errors import bad_request, not_found
from talon_one.sandbox.ops.customers import require_profile
from talon_one.sandbox.ops.loyalty import card_of, filter_query, ledger, paging, program
from talon_one.sandbox.ops.loyalty_bodies import ACTIVATE_LOYALTY_POINTS, check_uuid
from talon_one.sandbox.ops.request import Request
from talon_one.sandbox.ops.service import Answer, Service
from talon_one.sandbox.store.changes import Changes
from talon_one.sandbox.world import schema

POINT_STATUSES = ('active', 'pending', 'expired')
POINT_SORTS = ('startDate', 'expiryDate', '-startDate', '-expiryDate')


# -- activateLoyaltyPoints ----------------------------------------------------

def _wanted(txn: Doc, session_id: Optional[str], uuids: Set[str]) -> bool:
    return txn['type'] == 'addition' and (
        ledgers.uuid_of(txn) in uuids or
        (session_id is not None and txn.get('customerSessionId') == session_id))


def _ledgers_with(changes: Changes, program_id: int, session_id: Optional[str],
                  uuids: Set[str]) -> List[Doc]:
    return [doc for doc in changes.all('ledger') if doc['programId'] == program_id and
            any(_wanted(t, session_id, uuids) for t in doc['transactions'])]


def _expiry_from(points_program: Doc, txn: Doc, at: datetime.datetime) -> str:
    """The expiry of points activated at ``at``: their validityDuration, else a fixed expiry
    date they were given, else the program's expiryDays, counted from the activation."""
    if txn.get('validityDuration'):
        return timeutil.fmt(durations.add(at, txn['validityDuration']))
    if txn['expiryDate'] != ledgers.UNLIMITED:
        found: str = txn['expiryDate']
        return found
    if points_program.get('expiryDays'):
        return timeutil.fmt(timeutil.add_days(at, points_program['expiryDays']))
    return ledgers.UNLIMITED


def _ledger_entry(points_program: Doc, changes: Changes, doc: Doc, txn: Doc) -> Doc:
    """LoyaltyLedgerEntry of an activated addition."""
    entry: Doc = {'created': txn['created'], 'programID': points_program['id'],
                  'type': txn['type'], 'amount': txn['amount'], 'name': txn['name'],
                  'subLedgerID': txn['subledgerId'], 'startDate': txn['startDate']}
    if txn['expiryDate'] != ledgers.UNLIMITED:
        entry['expiryDate'] = txn['expiryDate']
    if points_program.get('cardBased'):
        card = changes.get('card', doc['owner'])
        if card is not None:
            entry['cardID'] = card['id']
        if txn.get('profileId'):
            entry['customerProfileID'] = txn['profileId']
    else:
        entry['customerProfileID'] = doc['owner']
    if txn.get('customerSessionId'):
        entry['customerSessionID'] = txn['customerSessionId']
    if txn.get('validityDuration'):
        entry['validityDuration'] = txn['validityDuration']
    return entry


def activate_loyalty_points(svc: Service, req: Request) -> Answer:
    schema.validate(ACTIVATE_LOYALTY_POINTS, req.body)
    body = req.body
    session_id: Optional[str] = body.get('sessionId')
    uuid_list: List[str] = body.get('transactionUUIDs') or []
    if session_id is None and not uuid_list:
        raise bad_request('/: one of sessionId, transactionUUIDs is required', pointer='')
    for index, value in enumerate(uuid_list):
        check_uuid(value, '/transactionUUIDs/%d' % index)
    points_program = program(svc, req.params['loyaltyProgramId'])
    uuids = set(uuid_list)
    if session_id is not None and Changes(svc.store).get('session', session_id) is None:
        raise not_found('/sessionId: customer session %r not found' % session_id,
                        pointer='/sessionId')
    owners = [d['owner'] for d in _ledgers_with(Changes(svc.store), points_program['id'],
                                                session_id, uuids)]
    kind = 'card:' if points_program.get('cardBased') else 'profile:'
    with svc.store.locked([kind + owner for owner in owners]):
        changes = Changes(svc.store)
        docs = _ledgers_with(changes, points_program['id'], session_id, uuids)
        found = {ledgers.uuid_of(t) for d in docs for t in d['transactions']}
        unknown = [u for u in uuid_list if u not in found]
        if unknown:
            raise not_found('/transactionUUIDs: no points transaction %s in loyalty program %s'
                            % (', '.join(unknown), points_program['id']),
                            pointer='/transactionUUIDs')
        now = svc.now()
        entries: List[Doc] = []
        for doc in docs:
            for txn in doc['transactions']:
                if not _wanted(txn, session_id, uuids) or not ledgers.awaiting(txn):
                    continue        # already active points are left as they are
                ledgers.activate(txn, now, _expiry_from(points_program, txn, now))
                entries.append(_ledger_entry(points_program, changes, doc, txn))
            changes.put('ledger', ledgers.ledger_key(points_program, doc['owner']), doc)
        changes.commit()
    return 200, {'ledgerEntries': entries}


# -- unused points --------------------------------------------------------------

def _points_page(ledger_doc: Optional[Doc], req: Request, card: bool) -> Answer:
    data = ledgers.unused_points(ledger_doc, req.choice('status', POINT_STATUSES) or 'active',
                                 filter_query(req), req.choice('sort', POINT_SORTS), card)
    skip, size = paging(req)
    return 200, {'hasMore': len(data) > skip + size, 'data': data[skip:skip + size]}


def _check_query(req: Request) -> None:
    """The query, checked before the program's entities (a bad query is a 400 first)."""
    req.choice('status', POINT_STATUSES)
    req.choice('sort', POINT_SORTS)
    paging(req)


def get_loyalty_card_points(svc: Service, req: Request) -> Answer:
    card_program = program(svc, req.params['loyaltyProgramId'], card_based=True)
    _check_query(req)
    changes = Changes(svc.store)
    card = card_of(changes, card_program, req.params['loyaltyCardId'])
    return _points_page(ledger(changes, card_program, card['identifier']), req, card=True)


def get_loyalty_program_profile_points(svc: Service, req: Request) -> Answer:
    profile_program = program(svc, req.params['loyaltyProgramId'], card_based=False)
    _check_query(req)
    changes = Changes(svc.store)
    integration_id = req.params['integrationId']
    require_profile(changes, integration_id)
    return _points_page(ledger(changes, profile_program, integration_id), req, card=False)
