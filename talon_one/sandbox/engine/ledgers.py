"""Loyalty ledgers: transactions, balances at a point in time, pagination.

A ledger document holds every transaction of one owner (a profile or a card)
in one program, across subledgers (``""`` is the main ledger). Balances are
derived, never stored: additions become active at their start date and expire
at their expiry date; spending consumes the earliest-expiring active points.
"""

import datetime
from typing import Any, Dict, List, Optional, Tuple

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc

IMMEDIATE = 'immediate'
UNLIMITED = 'unlimited'


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
    return timeutil.parse(text)


def _buckets(transactions: List[Doc], subledger: str,
             at: datetime.datetime) -> Tuple[List[Dict[str, Any]], float]:
    """Replay transactions up to ``at``: (buckets, spent)."""
    buckets: List[Dict[str, Any]] = []
    spent = 0.0
    for txn in sorted(transactions, key=lambda t: (t['created'], t['id'])):
        if txn['subledgerId'] != subledger:
            continue
        created = timeutil.parse(txn['created'])
        if created > at:
            continue
        kind = txn.get('kind', 'earn' if txn['type'] == 'addition' else 'spend')
        if txn['type'] == 'addition':
            start = _moment(txn['startDate'], created)
            buckets.append({'start': start, 'expiry': _moment(txn['expiryDate'], None),
                            'left': float(txn['amount']), 'uuid': txn.get('transactionUUID')})
            if kind == 'refund':
                spent -= float(txn['amount'])
        elif kind == 'rollback':
            for bucket in buckets:
                if bucket['uuid'] == txn.get('rollbackOf'):
                    bucket['left'] = max(0.0, bucket['left'] - float(txn['amount']))
        else:
            spent += float(txn['amount'])
            _consume(buckets, float(txn['amount']), created)
    return buckets, spent


def _consume(buckets: List[Dict[str, Any]], amount: float, at: datetime.datetime) -> None:
    usable = [b for b in buckets if b['start'] <= at and (b['expiry'] is None or b['expiry'] > at)]
    usable.sort(key=lambda b: (b['expiry'] is None, b['expiry'] or at))
    for bucket in usable:
        if amount <= 0:
            break
        taken = min(bucket['left'], amount)
        bucket['left'] -= taken
        amount -= taken


def balance(ledger: Optional[Doc], subledger: str = '',
            at: Optional[datetime.datetime] = None) -> Dict[str, float]:
    """LoyaltyBalance (API names) of one subledger at ``at`` (default now)."""
    at = at or timeutil.now()
    buckets, spent = _buckets(ledger['transactions'] if ledger else [], subledger, at)
    active = pending = expired = 0.0
    for bucket in buckets:
        if bucket['start'] > at:
            pending += bucket['left']
        elif bucket['expiry'] is not None and bucket['expiry'] <= at:
            expired += bucket['left']
        else:
            active += bucket['left']
    return {'activePoints': _round(active), 'pendingPoints': _round(pending),
            'spentPoints': _round(spent), 'expiredPoints': _round(expired)}


def ledger_info(ledger: Optional[Doc], subledger: str = '') -> Dict[str, float]:
    """LedgerInfo (API names) of one subledger now. Open sessions' points are not
    counted anywhere, so the tentative balances equal the others."""
    now = balance(ledger, subledger)
    return {'currentBalance': now['activePoints'], 'pendingBalance': now['pendingPoints'],
            'expiredBalance': now['expiredPoints'], 'spentBalance': now['spentPoints'],
            'tentativeCurrentBalance': now['activePoints'],
            'tentativePendingBalance': now['pendingPoints']}


def subledgers_of(program: Doc, ledger: Optional[Doc]) -> List[str]:
    names = set(program.get('subledgers', []))
    for txn in (ledger or {}).get('transactions', []):
        if txn['subledgerId']:
            names.add(txn['subledgerId'])
    return sorted(names)


def _round(value: float) -> float:
    value = round(value, 2)
    return int(value) if value == int(value) else value


def add_transaction(ledger: Doc, txn_id: int, created: datetime.datetime, txn_type: str,
                    amount: float, name: str, subledger: str, start: str = IMMEDIATE,
                    expiry: str = UNLIMITED, session_id: Optional[str] = None,
                    ruleset_id: Optional[int] = None, rule_name: Optional[str] = None,
                    uuid: Optional[str] = None, kind: Optional[str] = None,
                    rollback_of: Optional[str] = None) -> Doc:
    txn = {'id': txn_id, 'created': timeutil.fmt(created), 'type': txn_type,
           'amount': _round(float(amount)), 'name': name, 'subledgerId': subledger or '',
           'startDate': start, 'expiryDate': expiry}
    optional = {'customerSessionId': session_id, 'rulesetId': ruleset_id, 'ruleName': rule_name,
                'transactionUUID': uuid, 'kind': kind, 'rollbackOf': rollback_of}
    txn.update({k: v for k, v in optional.items() if v is not None})
    ledger['transactions'].append(txn)
    return txn


_PUBLIC = ('created', 'programId', 'customerSessionId', 'type', 'name', 'startDate',
           'expiryDate', 'subledgerId', 'amount', 'id', 'rulesetId', 'ruleName')


def transaction_page(ledger: Optional[Doc], card_identifier: Optional[str] = None,
                     subledger: Optional[str] = None,
                     start: Optional[datetime.datetime] = None,
                     end: Optional[datetime.datetime] = None, skip: int = 0,
                     page_size: int = 50) -> Tuple[List[Doc], bool]:
    """(entries newest first, has_more) in the transaction log shape."""
    if ledger is None:
        return [], False
    entries: List[Doc] = []
    for txn in ledger.get('transactions', []):
        if subledger is not None and txn['subledgerId'] != subledger:
            continue
        created = timeutil.parse(txn['created'])
        if (start is not None and created < start) or (end is not None and created > end):
            continue
        entry = {key: txn[key] for key in _PUBLIC if key in txn}
        entry['programId'] = ledger['programId']
        if card_identifier is not None:
            entry['cardIdentifier'] = card_identifier
        entries.append(entry)
    entries.sort(key=lambda e: (e['created'], e['id']), reverse=True)
    page = entries[skip:skip + page_size]
    return page, len(entries) > skip + page_size
