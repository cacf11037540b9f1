"""Loyalty: programs, ledgers and cards as the operations use them; the balance, transaction
log and card linking routes."""

import datetime
from typing import Iterable, List, NamedTuple, Optional, Set, Tuple

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import PointsOp, ledgers
from talon_one.sandbox.errors import bad_request, not_found
from talon_one.sandbox.ops import views
from talon_one.sandbox.ops.customers import require_profile
from talon_one.sandbox.ops.request import Request
from talon_one.sandbox.ops.service import Answer, Service
from talon_one.sandbox.store.changes import Changes
from talon_one.sandbox.world import schema


def program(svc: Service, program_id: int, card_based: Optional[bool] = None) -> Doc:
    found = svc.world.programs.get(program_id)
    if found is None:
        raise not_found('loyalty program %s not found' % program_id)
    if card_based is not None and bool(found.get('cardBased')) != card_based:
        kind = 'card-based' if card_based else 'profile-based'
        raise bad_request('loyalty program %s is not %s' % (program_id, kind))
    return found


def ledger(changes: Changes, program: Doc, owner: str) -> Optional[Doc]:
    return changes.get('ledger', ledgers.ledger_key(program, owner))


def ledger_for_write(changes: Changes, program: Doc, owner: str) -> Doc:
    key = ledgers.ledger_key(program, owner)
    doc = changes.get('ledger', key)
    if doc is None:
        doc = ledgers.new_ledger(program, owner)
    return changes.put('ledger', key, doc)


def card_view(svc: Service, changes: Changes, card: Doc) -> Doc:
    card_program = svc.world.programs[card['programId']]
    return views.card(card, card_program, ledger(changes, card_program, card['identifier']))


def loyalty_view(svc: Service, changes: Changes, profile: Optional[Doc],
                 cards: Iterable[Doc] = ()) -> Doc:
    programs = {}
    if profile is not None:
        for program_id in sorted(svc.world.programs):
            member_of = svc.world.programs[program_id]
            if member_of.get('cardBased'):
                continue
            found = ledger(changes, member_of, profile['integrationId'])
            joined = next((m['joined'] for m in profile.get('loyaltyMemberships', [])
                           if m['loyaltyProgramId'] == program_id), None)
            if found is not None or joined is not None:
                programs[str(program_id)] = views.program_ledgers(member_of, found, joined)
    return {'programs': programs, 'cards': [card_view(svc, changes, card) for card in cards]}


def cards_of(changes: Changes, integration_id: str) -> List[Doc]:
    """The cards linked to a profile, by id."""
    return sorted((c for c in changes.all('card')
                   if any(p['integrationId'] == integration_id for p in c.get('profiles', []))),
                  key=lambda c: c['id'])


def join_program(profile: Doc, program_id: int, now: datetime.datetime) -> None:
    memberships = profile.setdefault('loyaltyMemberships', [])
    if not any(m['loyaltyProgramId'] == program_id for m in memberships):
        memberships.append({'joined': timeutil.fmt(now), 'loyaltyProgramId': program_id})


def commit_points(svc: Service, changes: Changes, points: Iterable[PointsOp],
                  profile: Optional[Doc], now: datetime.datetime,
                  session_id: Optional[str] = None) -> None:
    """Write the loyalty operations of an outcome to the ledgers."""
    for op in points:
        op_program = svc.world.programs[op.program_id]
        doc = ledger_for_write(changes, op_program, op.owner)
        if op.op == 'add':
            ledgers.add_transaction(
                doc, svc.next_id('transaction'), now, 'addition', op.amount, op.name,
                op.subledger_id, start=op.start_date, expiry=op.expiry_date,
                session_id=session_id, ruleset_id=op.ruleset_id, rule_name=op.rule_name,
                uuid=op.uuid, kind='earn', awaits_activation=op.awaits_activation,
                validity=op.validity or None,
                # a card's points remember whose session earned them (customerProfileID)
                profile_id=profile['integrationId'] if profile is not None and
                op_program.get('cardBased') else None)
        elif op.op == 'deduct':
            ledgers.add_transaction(
                doc, svc.next_id('transaction'), now, 'subtraction', op.amount, op.name,
                op.subledger_id, session_id=session_id, ruleset_id=op.ruleset_id,
                rule_name=op.rule_name, uuid=op.uuid, kind='spend')
        elif op.op == 'tier':
            grant: Doc = {'name': op.name, 'startDate': timeutil.fmt(now)}
            if op.expiry_date:
                grant['expiryDate'] = op.expiry_date
            doc.setdefault('tiers', {})[op.subledger_id] = grant
        else:       # 'expiry': the additions named get their new expiry dates
            new_dates = dict(op.expiry_changes)
            for txn in doc['transactions']:
                if ledgers.uuid_of(txn) in new_dates:
                    txn['expiryDate'] = new_dates[ledgers.uuid_of(txn)]
        if profile is not None and not op_program.get('cardBased'):
            join_program(profile, op_program['id'], now)


# -- routes -------------------------------------------------------------------

CARD_ID_LENGTH = (4, 108)       # loyaltyCardId: minLength, maxLength


def card_of(changes: Changes, card_program: Doc, identifier: str) -> Doc:
    """The card a path's ``loyaltyCardId`` names, in this program."""
    low, high = CARD_ID_LENGTH
    if not low <= len(identifier) <= high:
        raise bad_request('path parameter loyaltyCardId: length must be between %d and %d, '
                          'got %d' % (low, high, len(identifier)), parameter='loyaltyCardId')
    card = changes.get('card', identifier)
    if card is None or card['programId'] != card_program['id']:
        raise not_found('loyalty card %r not found in program %s'
                        % (identifier, card_program['id']))
    return card


def _program_of(svc: Service, req: Request, card_based: bool) -> Doc:
    return program(svc, req.params['loyaltyProgramId'], card_based=card_based)


def get_loyalty_balances(svc: Service, req: Request) -> Answer:
    profile_program = _program_of(svc, req, card_based=False)
    at = req.date_time('endDate') or svc.now()
    sub = req.query.get('subledgerId') or None
    with_tiers, projected = req.flag('includeTiers'), req.flag('includeProjectedTier')
    changes = Changes(svc.store)
    integration_id = req.params['integrationId']
    require_profile(changes, integration_id)
    return 200, views.balances(profile_program, ledger(changes, profile_program, integration_id),
                               at, subledgers=None if sub is None else [sub],
                               with_tiers=with_tiers, projected=projected)


def get_loyalty_card_balances(svc: Service, req: Request) -> Answer:
    card_program = _program_of(svc, req, card_based=True)
    at = req.date_time('endDate') or svc.now()
    subs = req.strings('subledgerId')
    changes = Changes(svc.store)
    card = card_of(changes, card_program, req.params['loyaltyCardId'])
    body = views.balances(card_program, ledger(changes, card_program, card['identifier']), at,
                          subledgers=subs)
    body['profiles'] = [dict(p) for p in card.get('profiles', [])]
    return 200, body


class _PageQuery(NamedTuple):
    where: ledgers.Filter
    skip: int
    page_size: int


TRANSACTION_TYPES = ('manual', 'session', 'import')
PAGE_SIZE, MAX_PAGE_SIZE = 50, 1000


def _set(values: Optional[List[str]]) -> Optional[Set[str]]:
    return None if values is None else set(values)


def filter_query(req: Request) -> ledgers.Filter:
    """The filters the transaction and points lists share (checked before any entity)."""
    return ledgers.Filter(subledgers=_set(req.strings('subledgerId')),
                          session_ids=_set(req.strings('customerSessionIDs')),
                          uuids=_set(req.strings('transactionUUIDs')))


def paging(req: Request) -> Tuple[int, int]:
    """(skip, pageSize) of a list route."""
    return (req.integer('skip', 0, minimum=0),
            req.integer('pageSize', PAGE_SIZE, minimum=1, maximum=MAX_PAGE_SIZE))


def _page_query(req: Request) -> _PageQuery:
    """The query of a transaction log page (checked before the program's entities)."""
    if req.query.get('awaitsActivation') is not None and not req.flag('awaitsActivation'):
        # The spec: only true filters; false is a bad request.
        raise bad_request('query parameter awaitsActivation: only true is allowed (it keeps '
                          'the points that await activation), got %r'
                          % req.query['awaitsActivation'], parameter='awaitsActivation')
    where = filter_query(req)._replace(
        start=req.date_time('startDate'), end=req.date_time('endDate'),
        source=req.choice('loyaltyTransactionType', TRANSACTION_TYPES),
        awaiting=req.flag('awaitsActivation'))
    skip, size = paging(req)
    return _PageQuery(where, skip, size)


def _page(ledger_doc: Optional[Doc], query: _PageQuery,
          card_identifier: Optional[str] = None) -> Answer:
    data, more = ledgers.transaction_page(
        ledger_doc, card_identifier=card_identifier, where=query.where, skip=query.skip,
        page_size=query.page_size)
    return 200, {'hasMore': more, 'data': data}


def get_loyalty_program_profile_transactions(svc: Service, req: Request) -> Answer:
    profile_program = _program_of(svc, req, card_based=False)
    query = _page_query(req)
    changes = Changes(svc.store)
    integration_id = req.params['integrationId']
    require_profile(changes, integration_id)
    return _page(ledger(changes, profile_program, integration_id), query)


def get_loyalty_card_transactions(svc: Service, req: Request) -> Answer:
    card_program = _program_of(svc, req, card_based=True)
    query = _page_query(req)
    changes = Changes(svc.store)
    card = card_of(changes, card_program, req.params['loyaltyCardId'])
    return _page(ledger(changes, card_program, card['identifier']), query,
                 card_identifier=card['identifier'])


def link_loyalty_card_to_profile(svc: Service, req: Request) -> Answer:
    schema.validate(schema.LOYALTY_CARD_REGISTRATION, req.body)
    card_program = _program_of(svc, req, card_based=True)
    identifier = req.params['loyaltyCardId']
    integration_id = req.body['integrationId']
    with svc.store.locked(['card:' + identifier, 'profile:' + integration_id]):
        changes = Changes(svc.store)
        card = card_of(changes, card_program, identifier)
        require_profile(changes, integration_id, pointer='/integrationId')
        profiles = card.setdefault('profiles', [])
        if not any(p['integrationId'] == integration_id for p in profiles):
            limit = card.get('usersPerCardLimit', card_program.get('usersPerCardLimit', 1))
            if limit and len(profiles) >= limit:
                raise bad_request('/integrationId: card %r already has its limit of %d linked '
                                  'profiles' % (identifier, limit), pointer='/integrationId')
            now = timeutil.fmt(svc.now())
            profiles.append({'integrationId': integration_id, 'timestamp': now})
            card['modified'] = now
            changes.put('card', identifier, card)
            changes.commit()
    return 200, card_view(svc, changes, card)
