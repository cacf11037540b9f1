"""Customer sessions: update (v1, v2), get and reopen.

States: open -> closed | cancelled; closed -> cancelled (rolled back) or,
through returns (ops/returns.py), partially_returned (-> cancelled rolls back the rest);
closed -> open via reopen. Coupon and referral redemptions and loyalty points
are committed when a session closes.
"""

import contextlib
import datetime
from typing import Callable, Dict, Generator, Iterable, List, Optional, Set

from talon_one.sandbox import engine, timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import Outcome
from talon_one.sandbox.errors import bad_request, not_found
from talon_one.sandbox.ops import views
from talon_one.sandbox.ops.carts import cart_items, set_totals
from talon_one.sandbox.ops.customers import (add_sales, audience_ids, ensure_profile,
                                             profile_of, touch_profile)
from talon_one.sandbox.ops.codes import reserve
from talon_one.sandbox.ops.events import SESSION_UPDATED, new_event
from talon_one.sandbox.ops.loyalty import commit_points
from talon_one.sandbox.ops.request import Request
from talon_one.sandbox.ops.responses import integration_state_v1, state_v2
from talon_one.sandbox.ops.rollbacks import COMMITTED_TYPES, undo_close
from talon_one.sandbox.ops.rules import (commit_giveaways, commit_rule_writes, context,
                                         lock_keys, preview_giveaways)
from talon_one.sandbox.ops.service import Answer, Service
from talon_one.sandbox.store.changes import Changes
from talon_one.sandbox.world import World, schema

DEFAULT_CONTENT = ('customerSession', 'customerProfile')
_V1_NAMES = {'couponCodes': 'coupon', 'referralCode': 'referral'}    # v2 name -> v1 name
_CONTENT_FIELDS = ('profileId', 'evaluableCampaignIds', 'couponCodes', 'referralCode',
                   'loyaltyCards', 'cartItems', 'additionalCosts', 'identifiers', 'attributes',
                   'storeIntegrationId')

PointerOf = Callable[[str], str]    # a v2 field name -> where the request holds it


class SessionResult(object):
    def __init__(self, changes: Changes, session: Doc, profile: Optional[Doc],
                 effects: List[Doc], outcome: Optional[Outcome] = None,
                 event: Optional[Doc] = None, giveaways: Iterable[Doc] = ()) -> None:
        self.changes = changes
        self.session = session
        self.profile = profile
        self.effects = effects
        self.outcome = outcome
        self.event = event
        self.giveaways = list(giveaways)


def _lock_keys(svc: Service, existing: Optional[Doc], incoming: Doc) -> Set[str]:
    keys: Set[str] = set()
    if incoming.get('state') == 'closed':       # a close commits what the rules write
        keys.update(lock_keys(svc))
    # An open session only reads its codes and cards (a preview may see a concurrent
    # redemption or not, as in Talon.One); a close, a cancel and the states after a close
    # write them, and hold their locks.
    writes_codes = incoming.get('state') in ('closed', 'cancelled') or \
        (existing is not None and existing.get('state') != 'open')
    for source in (existing, incoming):
        if source is None:
            continue
        if source.get('profileId'):
            keys.add('profile:' + source['profileId'])
        if not writes_codes:
            continue
        codes: List[str] = source.get('couponCodes') or []
        keys.update('coupon:' + value for value in codes)
        if source.get('referralCode'):
            keys.add('referral:' + source['referralCode'])
        cards: List[str] = source.get('loyaltyCards') or []
        keys.update('card:' + card for card in cards)
    return keys


def update_session(svc: Service, session_id: str, incoming: Doc, dry: bool,
                   pointer_of: PointerOf, total: Optional[float] = None,
                   at: Optional[datetime.datetime] = None) -> SessionResult:
    """Create or update a session; the shared core of the v1 and v2 routes.

    ``incoming`` holds v2 field names; ``pointer_of(name)`` locates such a field in the
    request, for errors. ``at``: the moment to evaluate as of (``now``; dry runs only)."""
    incoming = _with_code_keys(svc.world, incoming)
    store = svc.store
    with store.locked((), exclusive=('session:' + session_id,)):
        existing = store.get('session', session_id)
        with store.locked(_lock_keys(svc, existing, incoming)):
            changes = Changes(store)
            changes.seed('session', session_id, existing)
            result = _update_locked(svc, changes, session_id, incoming, pointer_of, total,
                                    at or svc.now())
            changes.commit(dry)
            return result


def _with_code_keys(world: World, incoming: Doc) -> Doc:
    """``incoming`` with its coupon and referral codes as the application matches them."""
    incoming = dict(incoming)
    if incoming.get('couponCodes') is not None:
        incoming['couponCodes'] = [world.code_key(code) for code in incoming['couponCodes']]
    if incoming.get('referralCode'):
        incoming['referralCode'] = world.code_key(incoming['referralCode'])
    return incoming


def _check_unchanged(changes: Changes, session: Doc, incoming: Doc, total: Optional[float],
                     pointer_of: PointerOf) -> None:
    """A closed (or returned, cancelled) session takes no new content: the API changes a
    finished session only through cancel, returns and reopen. A 400 names the first
    field that differs; a repeat of the stored content is fine. Attributes differ only
    where a sent one has another value: rules (updateAttribute) may have added some."""
    merged = dict(session)
    _merge_incoming(changes, merged, incoming, total)
    merged['attributes'] = dict(session['attributes'], **merged['attributes'])
    compared = _CONTENT_FIELDS + (('total',) if total is not None else ())
    for name in compared:
        if merged.get(name) != session.get(name):
            pointer = pointer_of(name)
            hint = ' (reopen it first: PUT /v2/customer_sessions/{customerSessionId}/reopen)' \
                if session['state'] == 'closed' else ''
            raise bad_request('%s: customer session %r is %s, so its content cannot change%s'
                              % (pointer, session['integrationId'], session['state'], hint),
                              pointer=pointer)


def _check_transition(previous: Optional[str], wanted: str, pointer: str) -> None:
    if wanted == 'partially_returned' and previous != 'partially_returned':
        raise bad_request('%s: a session becomes partially_returned only through returns'
                          % pointer, pointer=pointer)
    if previous in (None, 'open'):
        return
    if wanted == previous or (wanted == 'cancelled' and previous != 'cancelled'):
        return
    raise bad_request('%s: a %s session cannot become %s%s' % (
        pointer, previous, wanted,
        ' (use the reopen endpoint)' if previous == 'closed' and wanted == 'open' else ''),
        pointer=pointer)


def _update_locked(svc: Service, changes: Changes, session_id: str, incoming: Doc,
                   pointer_of: PointerOf, total: Optional[float],
                   now: datetime.datetime) -> SessionResult:
    existing = changes.get('session', session_id)
    previous = existing['state'] if existing else None
    wanted = incoming.get('state') or 'open'
    _check_transition(previous, wanted, pointer_of('state'))
    if existing is not None and previous != 'open':
        _check_unchanged(changes, existing, incoming, total, pointer_of)
        if wanted == previous:          # idempotent repeat: nothing changes
            return SessionResult(changes, existing, profile_of(changes, existing),
                                 existing.get('effects', []))
        counted(existing)
        return _cancel_committed(svc, changes, existing, now)
    session = existing or _new_session(svc, session_id, now)
    if existing is not None:
        counted(session)
    _merge_incoming(changes, session, incoming, total)
    session['state'] = wanted
    session['updated'] = timeutil.fmt(now)
    profile = None
    if session.get('profileId'):
        profile = ensure_profile(svc, changes, session['profileId'], now)
        touch_profile(changes, profile, now)
    if existing is None:
        session['firstSession'] = profile is None or profile.get('closedSessions', 0) == 0
    if wanted == 'cancelled':       # an open session cancelled: nothing was committed
        session['effects'] = []
        changes.put('session', session_id, session)
        return SessionResult(changes, session, profile, [])
    return _apply_rules(svc, changes, session, profile, now, closing=wanted == 'closed')


def counted(session: Doc) -> None:
    """One more update of ``session`` (CustomerSessionV2.updateCount: 1 when created)."""
    session['updateCount'] = session.get('updateCount', 1) + 1


def _merge_incoming(changes: Changes, session: Doc, incoming: Doc,
                    total: Optional[float]) -> None:
    """Take the request's fields, then recompute the cart and the totals."""
    for name in _CONTENT_FIELDS:
        if incoming.get(name) is not None:
            session[name] = incoming[name]
    session['cartItems'] = cart_items(changes, session)
    set_totals(session, total)


def _apply_rules(svc: Service, changes: Changes, session: Doc, profile: Optional[Doc],
                 now: datetime.datetime, closing: bool) -> SessionResult:
    """Evaluate an open or closing session; a close commits what the rules decided."""
    outcome = _evaluate(svc, changes, session, profile, now, closing)
    session['effects'] = outcome.effects
    if closing:
        giveaways = _commit_close(svc, changes, session, profile, outcome, now)
    else:
        giveaways = preview_giveaways(changes, outcome.giveaways)
    changes.put('session', session['integrationId'], session)
    event = new_event(svc, changes, now, SESSION_UPDATED, profile, session['integrationId'],
                      session.get('attributes'), outcome.effects, outcome)
    if session.get('storeIntegrationId'):
        event['storeIntegrationId'] = session['storeIntegrationId']
    return SessionResult(changes, session, profile, outcome.effects, outcome, event, giveaways)


def _new_session(svc: Service, session_id: str, now: datetime.datetime) -> Doc:
    stamp = timeutil.fmt(now)
    return {'id': svc.next_id('session'), 'created': stamp, 'integrationId': session_id,
            'applicationId': svc.world.application_id, 'profileId': '', 'couponCodes': [],
            'referralCode': '', 'loyaltyCards': [], 'state': 'open', 'cartItems': [],
            'additionalCosts': {}, 'identifiers': [], 'attributes': {}, 'firstSession': True,
            'updated': stamp, 'returns': [], 'updateCount': 1}


def _evaluate(svc: Service, changes: Changes, session: Doc, profile: Optional[Doc],
              now: datetime.datetime, closing: bool) -> Outcome:
    coupons: Dict[str, Optional[Doc]] = {}
    for value in session.get('couponCodes', []):
        coupons[value] = changes.get('coupon', value)
    code = session.get('referralCode') or None
    identifiers: List[str] = session.get('loyaltyCards') or []     # the schema allows one
    card = changes.get('card', identifiers[-1]) if identifiers else None
    ctx = context(svc, changes, SESSION_UPDATED, now, session=session, profile=profile,
                  audiences=audience_ids(changes, profile), coupons=coupons,
                  referral_code=code, referral=changes.get('referral', code) if code else None,
                  evaluable=session.get('evaluableCampaignIds'), closing=closing, card=card)
    return engine.evaluate(ctx)


def _commit_close(svc: Service, changes: Changes, session: Doc, profile: Optional[Doc],
                  outcome: Outcome, now: datetime.datetime) -> List[Doc]:
    profile_id = profile['integrationId'] if profile else ''
    for value in outcome.accepted_coupons:
        coupon = changes.get('coupon', value)
        assert coupon is not None   # accepted: it was found
        coupon['usageCounter'] = coupon.get('usageCounter', 0) + 1
        if profile_id:
            counts = coupon.setdefault('profileRedemptions', {})
            counts[profile_id] = counts.get(profile_id, 0) + 1
            # Redeeming reserves the coupon for the profile (it shows in its inventory);
            # like other reservations it stays when the session is rolled back.
            reserve(svc, changes, coupon, profile_id, now)
        changes.put('coupon', value, coupon)
    commit_rule_writes(svc, changes, outcome, profile, session, now)
    if outcome.accepted_referral:
        referral = changes.get('referral', outcome.accepted_referral)
        assert referral is not None     # accepted: it was found
        referral['usageCounter'] = referral.get('usageCounter', 0) + 1
        if profile_id:
            referral.setdefault('referredCustomers', []).append(profile_id)
        changes.put('referral', referral['code'], referral)
    commit_points(svc, changes, outcome.points, profile, now, session['integrationId'])
    giveaways = commit_giveaways(changes, outcome.giveaways, profile, now) if profile else []
    if profile is not None:
        profile['closedSessions'] = profile.get('closedSessions', 0) + 1
        add_sales(changes, profile, float(session['total']))
    session['committed'] = {
        'cartItemTotal': session['cartItemTotal'], 'total': session['total'],
        'campaignIds': sorted({e['campaignId'] for e in outcome.effects}),
        'effects': [dict(e, rolledBack=0) for e in outcome.effects
                    if e['effectType'] in COMMITTED_TYPES]}
    return giveaways


def _cancel_committed(svc: Service, changes: Changes, session: Doc,
                      now: datetime.datetime) -> SessionResult:
    profile, effects = undo_close(svc, changes, session, now, 'cancelled')
    event = new_event(svc, changes, now, SESSION_UPDATED, profile, session['integrationId'],
                      session.get('attributes'), effects)
    return SessionResult(changes, session, profile, effects, event=event)


# -- routes -------------------------------------------------------------------

def update_customer_session_v2(svc: Service, req: Request) -> Answer:
    schema.validate(schema.INTEGRATION_REQUEST, req.body)
    dry = req.flag('dry')
    result = update_session(svc, req.params['customerSessionId'], req.body['customerSession'],
                            dry, lambda name: '/customerSession/' + name,
                            at=_evaluation_time(svc, req, dry))
    content = req.body.get('responseContent') or DEFAULT_CONTENT
    return 200, state_v2(svc, result.changes, content, result.effects, result.session,
                         result.profile, result.event, result.outcome, result.giveaways)


def _evaluation_time(svc: Service, req: Request, dry: bool) -> Optional[datetime.datetime]:
    """The ``now`` query parameter: a future moment to evaluate as of (campaign and code
    date windows, points dates); the spec allows it only with ``dry=true``."""
    at = req.date_time('now')
    if at is None:
        return None
    if not dry:
        raise bad_request('query parameter now: can only be used with dry=true',
                          parameter='now')
    if at <= svc.now():
        raise bad_request('query parameter now: must be in the future, got %r'
                          % req.query['now'], parameter='now')
    return at


def update_customer_session_v1(svc: Service, req: Request) -> Answer:
    schema.validate(schema.NEW_CUSTOMER_SESSION, req.body)
    body = req.body
    incoming: Doc = {name: body[name] for name in ('profileId', 'state', 'cartItems',
                                                  'identifiers', 'attributes') if name in body}
    if 'coupon' in body:
        incoming['couponCodes'] = [body['coupon']] if body['coupon'] else []
    if 'referral' in body:
        incoming['referralCode'] = body['referral'] or ''
    result = update_session(svc, req.params['customerSessionId'], incoming, False,
                            lambda name: '/' + _V1_NAMES.get(name, name), total=body.get('total'))
    event = result.event
    if event is None:       # a repeated update of a finished session records no new event
        event = new_event(svc, result.changes, svc.now(), SESSION_UPDATED, result.profile,
                          result.session['integrationId'], {}, result.effects)
    return 200, integration_state_v1(svc, result.changes, result.profile, event, result.session)


def get_customer_session(svc: Service, req: Request) -> Answer:
    session = svc.store.get('session', req.params['customerSessionId'])
    if session is None:
        raise not_found('customer session %r not found' % req.params['customerSessionId'])
    return 200, {'customerSession': views.session_v2(session),
                 'effects': session.get('effects', [])}


@contextlib.contextmanager
def locked_session(svc: Service, session_id: str) -> Generator[None, None, None]:
    """Lock an existing session (409 when busy) and then its profile, codes and card."""
    store = svc.store
    with store.locked((), exclusive=('session:' + session_id,)):
        session = store.get('session', session_id)
        if session is None:
            raise not_found('customer session %r not found' % session_id)
        with store.locked(_lock_keys(svc, session, {})):
            yield


def reopen_customer_session(svc: Service, req: Request) -> Answer:
    session_id = req.params['customerSessionId']
    with locked_session(svc, session_id):
        changes = Changes(svc.store)
        session = changes.require('session', session_id, 'customer session %r' % session_id)
        if session['state'] != 'closed':
            raise bad_request('only a closed session can be reopened; %r is %s'
                              % (session_id, session['state']))
        counted(session)
        _, effects = undo_close(svc, changes, session, svc.now(), 'open')
        changes.commit()
    return 200, {'effects': effects}
