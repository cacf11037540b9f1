"""The inspector page (``GET /_sandbox/``): the sandbox's state as one read-only HTML page.

Standard library only, no script, no external resource (works offline); it reloads itself
every few seconds. Every value from the state is escaped. Long lists show their first
``MAX_ROWS`` rows and say how many there are.
"""

import html
import json
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Sequence, Tuple

from talon_one.sandbox.engine import ledgers

if TYPE_CHECKING:   # pragma: no cover
    from talon_one.sandbox.http.app import SandboxApp

MAX_ROWS = 200
REFRESH_SECONDS = 5
MAX_VALUE_CHARS = 4000

_STYLE = '''
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #ddd;padding:3px 6px;
vertical-align:top;text-align:left}th{background:#f3f3f3}code{font-size:12px;white-space:pre-wrap;
word-break:break-all}nav a{margin-right:1em}.note{color:#666}.ok{color:#060}.bad{color:#a00}
'''
_SECTIONS = (('campaigns', 'Campaigns and rules'), ('coupons', 'Coupons'),
             ('profiles', 'Profiles'), ('audiences', 'Audiences'), ('sessions', 'Sessions'),
             ('loyalty', 'Loyalty ledgers'), ('faults', 'Injected faults'),
             ('requests', 'Request log'))


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _json(value: Any) -> str:
    """A value as escaped, compact JSON (cut when very long)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    if len(text) > MAX_VALUE_CHARS:
        text = text[:MAX_VALUE_CHARS] + '...(%d characters in all)' % len(text)
    return '<code>%s</code>' % esc(text)


def _table(headings: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A table; cells are HTML already (escaped by the caller)."""
    head = ''.join('<th>%s</th>' % esc(h) for h in headings)
    body = ''.join('<tr>%s</tr>' % ''.join('<td>%s</td>' % cell for cell in row)
                   for row in rows)
    return '<table><tr>%s</tr>%s</table>' % (head, body)


def _shown(total: int, shown: int, what: str) -> str:
    if total > shown:
        return '<p class="note">showing %d of %d %s</p>' % (shown, total, esc(what))
    return '<p class="note">%d %s</p>' % (total, esc(what))


def _page(title: str, body: str, refresh: bool) -> str:
    meta = '<meta http-equiv="refresh" content="%d">' % REFRESH_SECONDS if refresh else ''
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">%s'
            '<title>%s</title><style>%s</style></head><body>%s</body></html>'
            % (meta, esc(title), _STYLE, body))


def login_page(loopback: bool, wrong: bool) -> str:
    """The answer without a valid key: a form on loopback, else how to send the header."""
    if not loopback:
        text = ('<p>This sandbox does not listen on 127.0.0.1 only, so the key form is off. '
                'Send the header <code>Authorization: ApiKey-v1 &lt;key&gt;</code>.</p>')
    else:
        text = ('%s<form method="get" action="/_sandbox/"><label>API key '
                '<input type="password" name="key" autocomplete="off"></label> '
                '<button type="submit">Open</button></form>'
                % ('<p class="bad">That is not the API key.</p>' if wrong else ''))
    return _page('Talon.One sandbox', '<h1>Talon.One sandbox inspector</h1>' + text, False)


# ---------------------------------------------------------------- sections

def _campaigns(app: 'SandboxApp') -> str:
    rows: List[Tuple[str, ...]] = []
    for campaign in app.service.world.campaigns.values():
        rules = ''.join('<p><b>%s</b><br>if %s<br>then %s</p>' % (
            esc(rule.get('title', '')), _json(rule.get('conditions', [])),
            _json(rule.get('effects', []))) for rule in campaign.get('rules', []))
        rows.append((esc(campaign['id']), esc(campaign.get('name', '')),
                     esc(campaign.get('state', 'enabled')), rules))
    return _shown(len(rows), len(rows), 'campaigns') + \
        _table(('id', 'name', 'state', 'rules'), rows)


def _coupons(app: 'SandboxApp') -> str:
    store = app.service.store
    rows = [(esc(c.get('value')), esc(c.get('campaignId')),
             esc('%s / %s' % (c.get('usageCounter', 0), c.get('usageLimit') or 'unlimited')),
             esc(', '.join(c.get('reservations', []))), esc(c.get('expiryDate', '')))
            for _, c in store.items('coupon', MAX_ROWS)]
    return _shown(store.count('coupon'), len(rows), 'coupons') + _table(
        ('code', 'campaign', 'used / limit', 'reserved by', 'expires'), rows)


def _profiles(app: 'SandboxApp') -> str:
    store = app.service.store
    rows = [(esc(p.get('integrationId')), _json(p.get('attributes', {})),
             esc(p.get('closedSessions', 0)), esc(p.get('totalSales', 0)),
             esc(', '.join(str(m['loyaltyProgramId']) for m in p.get('loyaltyMemberships', []))))
            for _, p in store.items('profile', MAX_ROWS)]
    return _shown(store.count('profile'), len(rows), 'profiles') + _table(
        ('integration id', 'attributes', 'closed sessions', 'total sales', 'loyalty programs'),
        rows)


def _audiences(app: 'SandboxApp') -> str:
    store = app.service.store
    rows = [(esc(a.get('id')), esc(a.get('name', '')), esc(len(a.get('members', []))),
             esc(', '.join(a.get('members', [])[:MAX_ROWS])))
            for _, a in store.items('audience', MAX_ROWS)]
    return _shown(store.count('audience'), len(rows), 'audiences') + _table(
        ('id', 'name', 'members', 'member ids'), rows)


def _cart(items: List[Dict[str, Any]]) -> str:
    return _table(('sku', 'qty', 'price'), [(esc(i.get('sku')), esc(i.get('quantity')),
                                             esc(i.get('price'))) for i in items]) if items else ''


def _effects(effects: List[Dict[str, Any]]) -> str:
    return _table(('effect', 'campaign', 'rule', 'props'), [
        (esc(e.get('effectType')), esc(e.get('campaignId')), esc(e.get('ruleName', '')),
         _json(e.get('props', {}))) for e in effects]) if effects else ''


def _sessions(app: 'SandboxApp') -> str:
    store = app.service.store
    rows = [(esc(s.get('integrationId')), esc(s.get('profileId', '')), esc(s.get('state')),
             _cart(s.get('cartItems', [])),
             esc(', '.join(s.get('couponCodes', []))), esc(s.get('total', '')),
             _effects(s.get('effects', [])))
            for _, s in store.items('session', MAX_ROWS, newest_first=True)]
    return _shown(store.count('session'), len(rows), 'sessions, newest first') + _table(
        ('session', 'profile', 'state', 'cart', 'coupons', 'total',
         'effects of the last evaluation'), rows)


def _loyalty(app: 'SandboxApp') -> str:
    store = app.service.store
    programs = app.service.world.programs
    rows: List[Tuple[str, ...]] = []
    for _, ledger in store.items('ledger', MAX_ROWS):
        program_id: Any = ledger.get('programId')     # stored JSON
        program = programs.get(program_id, {})
        balances = {sub or 'main': ledgers.balance(ledger, sub)
                    for sub in [''] + ledgers.subledgers_of(program, ledger)}
        transactions = _table(('created', 'type', 'amount', 'name', 'subledger'), [
            (esc(t.get('created')), esc(t.get('type')), esc(t.get('amount')), esc(t.get('name')),
             esc(t.get('subledgerId', ''))) for t in ledger.get('transactions', [])[-MAX_ROWS:]])
        rows.append((esc(program.get('name', ledger.get('programId'))), esc(ledger.get('owner')),
                     _json(balances), transactions))
    return _shown(store.count('ledger'), len(rows), 'ledgers') + _table(
        ('program', 'profile or card', 'balances', 'transactions'), rows)


def _requests(app: 'SandboxApp') -> str:
    entries = app.log.entries(MAX_ROWS)[::-1]
    rows = [(esc(e['id']), esc(e['time']), esc(e['method']),
             esc(e['path'] + ('?' + e['query'] if e['query'] else '')),
             '<span class="%s">%s</span>' % ('ok' if e['status'] < 400 else 'bad',
                                             esc(e['status'])),
             esc('%.2f ms' % e['durationMs']),
             '<details><summary>bodies</summary>request %s<br>response %s</details>'
             % (_json(e['requestBody']), _json(e['responseBody'])))
            for e in entries]
    return _shown(len(app.log), len(rows), 'requests, newest first') + _table(
        ('#', 'time (UTC)', 'method', 'path', 'status', 'duration', 'bodies'), rows)


def _faults(app: 'SandboxApp') -> str:
    """The active faults (POST /_sandbox/faults) and the sandbox clock."""
    clock = app.service.clock.as_json()
    moved = ' (moved %+g s from real time)' % clock['offsetSeconds'] \
        if clock['offsetSeconds'] else ''
    rows = [(esc(f['id']), esc(f['method']), esc(f['path'] + (' (regex)' if f['regex'] else '')),
             esc(f['type']), esc(', '.join('%s %s' % (name, f[name]) for name in
                                          ('status', 'retryAfter', 'delay') if name in f)),
             esc('%d of %d' % (f['remaining'], f['times'])))
            for f in app.faults.listing()[:MAX_ROWS]]
    return '<p class="note">Sandbox clock: %s%s</p>' % (esc(clock['now']), esc(moved)) + \
        _shown(len(app.faults.active), len(rows), 'active faults') + _table(
            ('id', 'method', 'path', 'type', 'details', 'remaining'), rows)


_RENDERERS = {'campaigns': _campaigns, 'coupons': _coupons, 'profiles': _profiles,
              'audiences': _audiences, 'sessions': _sessions, 'loyalty': _loyalty,
              'faults': _faults, 'requests': _requests}


def render(app: 'SandboxApp') -> str:
    """The whole inspector page for the current state."""
    world = app.service.world
    nav = ''.join('<a href="#%s">%s</a>' % (anchor, esc(title)) for anchor, title in _SECTIONS)
    parts = ['<h1>Talon.One sandbox: %s</h1>' % esc(world.application.get('name', 'application')),
             '<p class="note">Read-only; reloads every %d s. Application %s.</p>'
             % (REFRESH_SECONDS, esc(world.application_id)), '<nav>%s</nav>' % nav]
    for anchor, title in _SECTIONS:
        parts.append('<section id="%s"><h2>%s</h2>%s</section>'
                     % (anchor, esc(title), _RENDERERS[anchor](app)))
    return _page('Talon.One sandbox inspector', ''.join(parts), True)
