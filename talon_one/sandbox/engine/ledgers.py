"""Loyalty ledgers: transactions, balances at a point in time, pagination.

A ledger document holds every transaction of one owner (a profile or a card)
in one program, across subledgers (``""`` is the main ledger). Balances are
derived, never stored: additions become active at their start date and expire
at their expiry date; spending consumes the earliest-expiring active points.
"""

from talon_one.sandbox import timeutil

IMMEDIATE = 'immediate'
UNLIMITED = 'unlimited'


def ledger_key(program, owner):
    return '%s:%s' % (program['id'], owner)


def new_ledger(program, owner):
    return {'programId': program['id'], 'owner': owner, 'transactions': []}


def points_window(program, created):
    """(startDate, expiryDate) strings for points earned at ``created``."""
    pending = program.get('pendingDays') or 0
    expiry = program.get('expiryDays')
    start = IMMEDIATE if not pending else timeutil.fmt(timeutil.add_days(created, pending))
    base = created if not pending else timeutil.add_days(created, pending)
    end = UNLIMITED if not expiry else timeutil.fmt(timeutil.add_days(base, expiry))
    return start, end


def _moment(text, default):
    if text in (None, IMMEDIATE):
        return default
    if text == UNLIMITED:
        return None
    return timeutil.parse(text)


def _buckets(transactions, subledger, at):
    """Replay transactions up to ``at``: (buckets, spent)."""
    buckets = []
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


def _consume(buckets, amount, at):
    usable = [b for b in buckets if b['start'] <= at and (b['expiry'] is None or b['expiry'] > at)]
    usable.sort(key=lambda b: (b['expiry'] is None, b['expiry'] or at))
    for bucket in usable:
        if amount <= 0:
            break
        taken = min(bucket['left'], amount)
        bucket['left'] -= taken
        amount -= taken


def balance(ledger, subledger='', at=None):
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


def ledger_info(ledger, subledger=''):
    """LedgerInfo (API names) of one subledger now. Open sessions' points are not
    counted anywhere, so the tentative balances equal the others."""
    now = balance(ledger, subledger)
    return {'currentBalance': now['activePoints'], 'pendingBalance': now['pendingPoints'],
            'expiredBalance': now['expiredPoints'], 'spentBalance': now['spentPoints'],
            'tentativeCurrentBalance': now['activePoints'],
            'tentativePendingBalance': now['pendingPoints']}


def subledgers_of(program, ledger):
    names = set(program.get('subledgers', []))
    for txn in (ledger or {}).get('transactions', []):
        if txn['subledgerId']:
            names.add(txn['subledgerId'])
    return sorted(names)


def _round(value):
    value = round(value, 2)
    return int(value) if value == int(value) else value


def add_transaction(ledger, txn_id, created, txn_type, amount, name, subledger,
                    start=IMMEDIATE, expiry=UNLIMITED, session_id=None, ruleset_id=None,
                    rule_name=None, uuid=None, kind=None, rollback_of=None):
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


def transaction_page(ledger, card_identifier=None, subledger=None, start=None, end=None,
                     skip=0, page_size=50):
    """(entries newest first, has_more) in the transaction log shape."""
    entries = []
    for txn in (ledger or {}).get('transactions', []):
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
