"""Loyalty ledgers: transactions, balances at a point in time, pagination.

A ledger document holds every transaction of one owner (a profile or a card)
in one program, across subledgers (``""`` is the main ledger). Balances are
derived, never stored: additions become active at their start date and expire
at their expiry date; spending consumes the earliest-expiring active points.
Points that await activation (``startDate`` ``on_action``) stay pending until an
activation gives them a start date. A deduction beyond the active points leaves a
negative balance, which the next points earned pay off first.
"""

import datetime
import uuid
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Set, Tuple

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc

IMMEDIATE = 'immediate'
UNLIMITED = 'unlimited'
ON_ACTION = 'on_action'       # the start date of points that await activation
_NEVER = datetime.datetime.max.replace(tzinfo=timeutil.UTC)


def ledger_key(program: Doc, owner: str) -> str:
    return '%s:%s' % (program['id'], owner)


def new_ledger(program: Doc, owner: str) -> Doc:
    return {'programId': program['id'], 'owner': owner, 'transactions': []}


def points_window(program: Doc, created: datetime.datetime) -> Tuple[str, str]:
    """(startDate, expiryDate) strings for points earned at ``created``."""
    pending = program.get('pendingDays') or 0
    expiry = program.get('expiryDays')
    start = IMMEDIATE if not pending else timeutil.fmt(timeutil.add_days(created, pending))
    base = created if not pending else timeutil.add_days(created, pending)
    end = UNLIMITED if not expiry else timeutil.fmt(timeutil.add_days(base, expiry))
    return start, end


def _moment(text: Optional[str],
            default: Optional[datetime.datetime]) -> Optional[datetime.datetime]:
    if text in (None, IMMEDIATE):
        return default
    if text == UNLIMITED:
        return None
    if text == ON_ACTION:
        return _NEVER       # pending until an activation sets a real start date
    return timeutil.parse(text)


class Replay(NamedTuple):
    """One subledger replayed up to a moment: what is left of each addition (``buckets``:
    start, expiry, left, txn), points spent, the negative balance and the deductions
    that went below zero (their ids)."""

    buckets: List[Dict[str, Any]]
    spent: float
    negative: float
    overdrawn: Set[int]


def replay(transactions: List[Doc], subledger: str, at: datetime.datetime) -> Replay:
    buckets: List[Dict[str, Any]] = []
    spent = negative = 0.0
    overdrawn: Set[int] = set()
    for txn in sorted(transactions, key=lambda t: (t['created'], t['id'])):
        if txn['subledgerId'] != subledger:
            continue
        created = timeutil.parse(txn['created'])
        if created > at:
            continue
        kind = txn.get('kind', 'earn' if txn['type'] == 'addition' else 'spend')
        if txn['type'] == 'addition':
            start = _moment(txn['startDate'], created)
            bucket: Dict[str, Any] = {'start': start,
                                      'expiry': _moment(txn['expiryDate'], None),
                                      'left': float(txn['amount']),
                                      'uuid': txn.get('transactionUUID'), 'txn': txn}
            buckets.append(bucket)
            if kind == 'refund':
                spent -= float(txn['amount'])
            if negative > 0:       # new points pay off a negative balance first
                paid = min(negative, bucket['left'])
                bucket['left'] -= paid
                negative -= paid
        elif kind == 'rollback':
            for bucket in buckets:
                if bucket['uuid'] == txn.get('rollbackOf'):
                    bucket['left'] = max(0.0, bucket['left'] - float(txn['amount']))
        else:
            spent += float(txn['amount'])
            short = _consume(buckets, float(txn['amount']), created)
            if short > 0.000001:
                negative += short
                overdrawn.add(txn['id'])
    return Replay(buckets, spent, negative, overdrawn)


def _consume(buckets: List[Dict[str, Any]], amount: float, at: datetime.datetime) -> float:
    """Take ``amount`` from the active buckets, earliest expiry first; what was missing."""
    usable = [b for b in buckets if b['start'] <= at and (b['expiry'] is None or b['expiry'] > at)]
    usable.sort(key=lambda b: (b['expiry'] is None, b['expiry'] or at))
    for bucket in usable:
        if amount <= 0:
            break
        taken = min(bucket['left'], amount)
        bucket['left'] -= taken
        amount -= taken
    return max(0.0, amount)


def status(bucket: Dict[str, Any], at: datetime.datetime) -> str:
    """``active``, ``pending`` or ``expired``: what a bucket's points are at ``at``."""
    if bucket['start'] > at:
        return 'pending'
    if bucket['expiry'] is not None and bucket['expiry'] <= at:
        return 'expired'
    return 'active'


def balance(ledger: Optional[Doc], subledger: str = '',
            at: Optional[datetime.datetime] = None) -> Dict[str, float]:
    """LoyaltyBalance (API names) of one subledger at ``at`` (default now)."""
    at = at or timeutil.now()
    state = replay(ledger['transactions'] if ledger else [], subledger, at)
    totals = {'active': 0.0, 'pending': 0.0, 'expired': 0.0}
    for bucket in state.buckets:
        totals[status(bucket, at)] += bucket['left']
    return {'activePoints': _round(totals['active']), 'pendingPoints': _round(totals['pending']),
            'spentPoints': _round(state.spent), 'expiredPoints': _round(totals['expired']),
            'negativePoints': _round(state.negative)}


def ledger_info(ledger: Optional[Doc], subledger: str = '') -> Dict[str, float]:
    """LedgerInfo (API names) of one subledger now. Open sessions' points are not
    counted anywhere, so the tentative balances equal the others."""
    now = balance(ledger, subledger)
    return {'currentBalance': now['activePoints'], 'pendingBalance': now['pendingPoints'],
            'expiredBalance': now['expiredPoints'], 'spentBalance': now['spentPoints'],
            'negativeBalance': now['negativePoints'],
            'tentativeCurrentBalance': now['activePoints'],
            'tentativePendingBalance': now['pendingPoints'],
            'tentativeNegativeBalance': now['negativePoints']}


def subledgers_of(program: Doc, ledger: Optional[Doc]) -> List[str]:
    names = set(program.get('subledgers', []))
    for txn in (ledger or {}).get('transactions', []):
        if txn['subledgerId']:
            names.add(txn['subledgerId'])
    return sorted(names)


def _round(value: float) -> float:
    value = round(value, 2)
    return int(value) if value == int(value) else value


def new_uuid() -> str:
    return str(uuid.uuid4())


def uuid_of(txn: Doc) -> str:
    """The transaction's UUID; one derived from its id for ledgers stored before every
    transaction had one (a --db file of an older sandbox)."""
    found: Optional[str] = txn.get('transactionUUID')
    return found or '00000000-0000-4000-8000-%012x' % txn['id']


def add_transaction(ledger: Doc, txn_id: int, created: datetime.datetime, txn_type: str,
                    amount: float, name: str, subledger: str, start: str = IMMEDIATE,
                    expiry: str = UNLIMITED, session_id: Optional[str] = None,
                    ruleset_id: Optional[int] = None, rule_name: Optional[str] = None,
                    uuid: Optional[str] = None, kind: Optional[str] = None,
                    rollback_of: Optional[str] = None, awaits_activation: bool = False,
                    validity: Optional[str] = None, profile_id: Optional[str] = None,
                    source: Optional[str] = None) -> Doc:
    txn = {'id': txn_id, 'created': timeutil.fmt(created), 'type': txn_type,
           'amount': _round(float(amount)), 'name': name, 'subledgerId': subledger or '',
           'startDate': ON_ACTION if awaits_activation else start, 'expiryDate': expiry,
           'transactionUUID': uuid or new_uuid()}
    optional = {'customerSessionId': session_id, 'rulesetId': ruleset_id, 'ruleName': rule_name,
                'kind': kind, 'rollbackOf': rollback_of, 'validityDuration': validity,
                'profileId': profile_id, 'source': source,
                'awaitsActivation': True if awaits_activation else None}
    txn.update({k: v for k, v in optional.items() if v is not None})
    ledger['transactions'].append(txn)
    return txn


def awaiting(txn: Doc) -> bool:
    """Points earned with ``awaitsActivation`` that no activation has started yet."""
    return bool(txn.get('awaitsActivation')) and txn['startDate'] == ON_ACTION


def activate(txn: Doc, at: datetime.datetime, expiry: str) -> None:
    """Start awaiting points at ``at``; ``expiry`` is their expiry date from now on."""
    txn['startDate'] = timeutil.fmt(at)
    txn['expiryDate'] = expiry
    txn['activated'] = timeutil.fmt(at)
    txn.pop('awaitsActivation', None)


def source_of(txn: Doc) -> str:
    """``loyaltyTransactionType``: ``import`` for the world's history, ``session`` for what
    the rule engine wrote (sessions, events, profile updates and their rollbacks)."""
    found: str = txn.get('source', 'session')
    return found


class Filter(NamedTuple):
    """Which transactions a log page shows; None (or False) = no filter."""

    subledgers: Optional[Set[str]] = None
    start: Optional[datetime.datetime] = None
    end: Optional[datetime.datetime] = None
    session_ids: Optional[Set[str]] = None
    uuids: Optional[Set[str]] = None
    source: Optional[str] = None
    awaiting: bool = False


NO_FILTER = Filter()     # every transaction shown (a NamedTuple: safe to share)


def _shown(txn: Doc, where: Filter, now: datetime.datetime) -> bool:
    if where.subledgers is not None and txn['subledgerId'] not in where.subledgers:
        return False
    if where.session_ids is not None and txn.get('customerSessionId') not in where.session_ids:
        return False
    if where.uuids is not None and uuid_of(txn) not in where.uuids:
        return False
    if where.source is not None and source_of(txn) != where.source:
        return False
    if where.awaiting and not (awaiting(txn) and txn['type'] == 'addition' and not
                               _expired(txn, now)):
        return False
    if where.start is not None or where.end is not None:
        created = timeutil.parse(txn['created'])
        if (where.start is not None and created < where.start) or \
                (where.end is not None and created > where.end):
            return False
    return True


def _expired(txn: Doc, now: datetime.datetime) -> bool:
    expiry = _moment(txn['expiryDate'], None)
    return expiry is not None and expiry <= now


_PUBLIC = ('created', 'programId', 'customerSessionId', 'type', 'name', 'startDate',
           'expiryDate', 'subledgerId', 'amount', 'id', 'rulesetId', 'ruleName',
           'validityDuration')


def transaction_page(ledger: Optional[Doc], card_identifier: Optional[str] = None,
                     where: Filter = NO_FILTER, skip: int = 0,
                     page_size: int = 50) -> Tuple[List[Doc], bool]:
    """(entries newest first, has_more) in the transaction log shape (card entries when
    ``card_identifier`` is given; profile entries carry ``flags``)."""
    if ledger is None:
        return [], False
    now = timeutil.now()
    overdrawn: Set[int] = set()
    if card_identifier is None:
        for sub in {t['subledgerId'] for t in ledger['transactions']
                    if t['type'] == 'subtraction'}:
            overdrawn |= replay(ledger['transactions'], sub, now).overdrawn
    entries: List[Doc] = []
    for txn in ledger.get('transactions', []):
        if not _shown(txn, where, now):
            continue
        entry = {key: txn[key] for key in _PUBLIC if key in txn}
        entry['programId'] = ledger['programId']
        entry['transactionUUID'] = uuid_of(txn)
        if card_identifier is not None:
            entry['cardIdentifier'] = card_identifier
        else:
            entry['flags'] = {'createsNegativeBalance': txn['id'] in overdrawn}
        entries.append(entry)
    entries.sort(key=lambda e: (e['created'], e['id']), reverse=True)
    page = entries[skip:skip + page_size]
    return page, len(entries) > skip + page_size


_POINTS_SORTS = ('startDate', 'expiryDate', '-startDate', '-expiryDate')


def unused_points(ledger: Optional[Doc], wanted: str, where: Filter,
                  sort: Optional[str], card: bool) -> List[Doc]:
    """What is left of each addition whose points are ``wanted`` (active, pending or
    expired) now, in the points entry shape; oldest first unless ``sort`` says otherwise."""
    if ledger is None:
        return []
    now = timeutil.now()
    found: List[Tuple[Dict[str, Any], Doc]] = []
    for sub in sorted({t['subledgerId'] for t in ledger['transactions']}):
        if where.subledgers is not None and sub not in where.subledgers:
            continue
        for bucket in replay(ledger['transactions'], sub, now).buckets:
            txn = bucket['txn']
            if bucket['left'] <= 0.000001 or status(bucket, now) != wanted or \
                    not _shown(txn, where._replace(subledgers=None), now):
                continue
            entry = {key: txn[key] for key in ('id', 'created', 'customerSessionId', 'name',
                                               'startDate', 'expiryDate', 'subledgerId',
                                               'validityDuration') if key in txn}
            entry.update(transactionUUID=uuid_of(txn), programId=ledger['programId'],
                         amount=_round(bucket['left']))
            if card and txn.get('profileId'):
                entry['customerProfileID'] = txn['profileId']
            found.append((bucket, entry))
    if sort:
        field = sort.lstrip('-')
        moment = 'start' if field == 'startDate' else 'expiry'
        found.sort(key=lambda pair: (pair[0][moment] is None, pair[0][moment] or now,
                                     pair[1]['id']), reverse=sort.startswith('-'))
    else:
        found.sort(key=lambda pair: (pair[1]['created'], pair[1]['id']))
    return [entry for _, entry in found]


def unexpired_additions(ledger: Optional[Doc], subledger: str,
                        at: datetime.datetime) -> List[Doc]:
    """The additions of a subledger that still hold points which have not expired and do
    not await activation: what an expiry date change applies to."""
    if ledger is None:
        return []
    return [b['txn'] for b in replay(ledger['transactions'], subledger, at).buckets
            if b['left'] > 0.000001 and status(b, at) != 'expired' and not awaiting(b['txn'])]


def remove_transactions(ledger: Doc, subledgers: Optional[Iterable[str]]) -> int:
    """Drop the transactions of ``subledgers`` (None: all); how many went."""
    names = None if subledgers is None else set(subledgers)
    kept = [t for t in ledger['transactions']
            if names is not None and t['subledgerId'] not in names]
    removed = len(ledger['transactions']) - len(kept)
    ledger['transactions'] = kept
    return removed
