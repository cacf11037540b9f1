"""Customer sessions: update (v1, v2), get, reopen, returns, and rollbacks.

States: open -> closed | cancelled; closed -> cancelled (rolled back) or,
through returns, partially_returned (-> cancelled rolls back the rest);
closed -> open via reopen. Coupon and referral redemptions and loyalty points
are committed when a session closes.
"""

import contextlib
import math
from typing import Callable, Dict, List, Optional

from talon_one.sandbox import engine
from talon_one.sandbox.engine import ledgers
from talon_one.sandbox.world import schema
from talon_one.sandbox import timeutil
from talon_one.sandbox.ops import views
from talon_one.sandbox.engine import Doc
from talon_one.sandbox.errors import bad_request, not_found
from talon_one.sandbox.ops.service import Changes, Service
from talon_one.sandbox.world import World
from talon_one.sandbox.ops.responses import state_v2

DEFAULT_CONTENT = ('customerSession', 'customerProfile')
_COMMITTED_TYPES = ('acceptCoupon', 'acceptReferral', 'addLoyaltyPoints',
                    'deductLoyaltyPoints') + engine.DISCOUNT_TYPES
_COST_DISCOUNTS = ('setDiscountPerAdditionalCost', 'setDiscountPerAdditionalCostPerItem')
_SERVER_QUANTITIES = ('returnedQuantity', 'remainingQuantity')    # computed, never taken
_V1_NAMES = {'couponCodes': 'coupon', 'referralCode': 'referral'}    # v2 name -> v1 name
_CONTENT_FIELDS = ('profileId', 'evaluableCampaignIds', 'couponCodes', 'referralCode',
                   'loyaltyCards', 'cartItems', 'additionalCosts', 'identifiers', 'attributes')


class SessionResult(object):
    def __init__(self, changes, session, profile, effects, outcome=None, event=None,
                 giveaways=()):
        self.changes = changes
        self.session = session
        self.profile = profile
        self.effects = effects
        self.outcome = outcome
        self.event = event
        self.giveaways = list(giveaways)


def _lock_keys(svc, existing, incoming):
    keys = set()
    if incoming.get('state') == 'closed':       # a close commits what the rules write
        keys.update(svc.rule_lock_keys())
    # An open session only reads its codes and cards (a preview may see a concurrent
    # redemption or not, as in Talon.One); a close, a cancel and the states after a close
    # write them, and hold their locks.
    writes_codes = incoming.get('state') in ('closed', 'cancelled') or \
        (existing is not None and existing.get('state') != 'open')
    for source in (existing or {}, incoming):
        if source.get('profileId'):
            keys.add('profile:' + source['profileId'])
        if not writes_codes:
            continue
        for value in source.get('couponCodes') or []:
            keys.add('coupon:' + value)
        if source.get('referralCode'):
            keys.add('referral:' + source['referralCode'])
        for card in source.get('loyaltyCards') or []:
            keys.add('card:' + card)
    return keys


def update_session(svc, session_id, incoming, dry, pointer_of, total=None):
    """Create or update a session; the shared core of the v1 and v2 routes.

    ``incoming`` holds v2 field names; ``pointer_of(name)`` locates such a field in the
    request, for errors."""
    incoming = _with_code_keys(svc.world, incoming)
    store = svc.store
    with store.locked((), exclusive=('session:' + session_id,)):
        existing = store.get('session', session_id)
        with store.locked(_lock_keys(svc, existing, incoming)):
            changes = Changes(store)
            changes.seed('session', session_id, existing)
            result = _update_locked(svc, changes, session_id, incoming, pointer_of, total)
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
                     pointer_of: Callable[[str], str]) -> None:
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


def _check_transition(previous, wanted, pointer):
    if wanted == 'partially_returned' and previous != 'partially_returned':
        raise bad_request('%s: a session becomes partially_returned only through returns'
                          % pointer, pointer=pointer)
    if previous in (None, 'open'):
        return
    if wanted == previous or wanted == 'cancelled' and previous != 'cancelled':
        return
    raise bad_request('%s: a %s session cannot become %s%s' % (
        pointer, previous, wanted,
        ' (use the reopen endpoint)' if previous == 'closed' and wanted == 'open' else ''),
        pointer=pointer)


def _update_locked(svc, changes, session_id, incoming, pointer_of, total):
    now = svc.now()
    existing = changes.get('session', session_id)
    previous = existing['state'] if existing else None
    wanted = incoming.get('state') or 'open'
    _check_transition(previous, wanted, pointer_of('state'))
    if previous is not None and previous != 'open':
        _check_unchanged(changes, existing, incoming, total, pointer_of)
        if wanted == previous:          # idempotent repeat: nothing changes
            profile = _profile_of(changes, existing)
            return SessionResult(changes, existing, profile, existing.get('effects', []))
        return _cancel_committed(svc, changes, existing, now)
    session = existing or _new_session(svc, session_id, now)
    _merge_incoming(changes, session, incoming, total)
    session['state'] = wanted
    session['updated'] = timeutil.fmt(now)
    profile = None
    if session.get('profileId'):
        profile = svc.ensure_profile(changes, session['profileId'], now)
        svc.touch_profile(changes, profile, now)
    if existing is None:
        session['firstSession'] = profile is None or profile.get('closedSessions', 0) == 0
    if wanted == 'cancelled':       # an open session cancelled: nothing was committed
        session['effects'] = []
        changes.put('session', session_id, session)
        return SessionResult(changes, session, profile, [])
    return _apply_rules(svc, changes, session, profile, now, closing=wanted == 'closed')


def _merge_incoming(changes, session, incoming, total):
    """Take the request's fields, then recompute the cart and the totals."""
    for name in _CONTENT_FIELDS:
        if incoming.get(name) is not None:
            session[name] = incoming[name]
    session['cartItems'] = _cart_items(changes, session)
    _totals(session, total)


def _apply_rules(svc, changes, session, profile, now, closing):
    """Evaluate an open or closing session; a close commits what the rules decided."""
    outcome = _evaluate(svc, changes, session, profile, now, closing)
    session['effects'] = outcome.effects
    if closing:
        giveaways = _commit_close(svc, changes, session, profile, outcome, now)
    else:
        giveaways = svc.preview_giveaways(changes, outcome.giveaways)
    changes.put('session', session['integrationId'], session)
    event = svc.new_event(changes, now, 'talon_session_updated', profile,
                          session['integrationId'], session.get('attributes'), outcome.effects,
                          outcome)
    return SessionResult(changes, session, profile, outcome.effects, outcome, event, giveaways)


def _profile_of(changes, session):
    return changes.get('profile', session['profileId']) if session.get('profileId') else None


def _new_session(svc, session_id, now):
    stamp = timeutil.fmt(now)
    return {'id': svc.next_id('session'), 'created': stamp, 'integrationId': session_id,
            'applicationId': svc.world.application_id, 'profileId': '', 'couponCodes': [],
            'referralCode': '', 'loyaltyCards': [], 'state': 'open', 'cartItems': [],
            'additionalCosts': {}, 'identifiers': [], 'attributes': {}, 'firstSession': True,
            'updated': stamp, 'returns': []}


def _cart_items(changes, session):
    """The cart as the server sees it: numbered, gaps filled from the catalogs, and
    returned/remaining quantities computed from stored returns (never the client's)."""
    items = session.get('cartItems', [])
    returned = _returned_by_position(session)
    catalog = _catalog_items(changes, items)
    return [_cart_item(item, index, returned.get(index, 0), catalog.get(item['sku']))
            for index, item in enumerate(items)]


def _returned_by_position(session):
    returned = {}
    for ret in session.get('returns') or []:
        for item in ret['returnedCartItems']:
            returned[item['position']] = returned.get(item['position'], 0) + item['quantity']
    return returned


def _catalog_items(changes, items):
    """SKU -> catalog item for the cart items lacking a price or attributes."""
    wanted = set(item['sku'] for item in items
                 if item.get('price') is None or not item.get('attributes'))
    found = {}
    if not wanted:
        return found
    for catalog in sorted(changes.view('catalog'), key=lambda c: c['id']):
        for sku, catalog_item in (catalog.get('items') or {}).items():
            if sku in wanted and sku not in found:    # the lowest catalog id wins
                found[sku] = catalog_item
    return found


def _cart_item(item, index, returned, catalog_item):
    item = {name: value for name, value in item.items() if name not in _SERVER_QUANTITIES}
    if catalog_item is not None:
        if item.get('price') is None and catalog_item.get('price') is not None:
            item['price'] = catalog_item['price']
        attributes = dict(catalog_item.get('attributes') or {})
        attributes.update(item.get('attributes') or {})    # the cart's own values win
        if attributes:
            item['attributes'] = attributes
    item['position'] = index
    item['returnedQuantity'] = returned
    item['remainingQuantity'] = item['quantity'] - returned
    return item


def _totals(session, total=None):
    items = session.get('cartItems', [])
    cart_total = engine.cart_item_total(session)
    costs = sum(float(c.get('price') or 0) for c in (session.get('additionalCosts') or {}).values())
    for item in items:
        for cost in (item.get('additionalCosts') or {}).values():
            costs += float(cost.get('price') or 0) * item['remainingQuantity']
    session['cartItemTotal'] = _num(cart_total)
    session['additionalCostTotal'] = _num(round(costs, 2))
    session['total'] = _num(round(cart_total + costs, 2)) if total is None else total


def _num(value):
    if not math.isfinite(value):    # inputs are bounded; this guards sums of many of them
        raise bad_request('amounts add up to a number out of range', pointer='')
    return int(value) if float(value) == int(value) else value


def _evaluate(svc, changes, session, profile, now, closing):
    coupons = {}
    for value in session.get('couponCodes', []):
        coupons[value] = changes.get('coupon', value)
    code = session.get('referralCode') or None
    identifiers = session.get('loyaltyCards') or []     # the schema allows one card
    card = changes.get('card', identifiers[-1]) if identifiers else None
    audiences = [a['id'] for a in svc.audiences_of(changes, profile['integrationId'])] \
        if profile else []
    ctx = svc.context(changes, 'talon_session_updated', now, session=session, profile=profile,
                      audiences=audiences, coupons=coupons, referral_code=code,
                      referral=changes.get('referral', code) if code else None,
                      evaluable=session.get('evaluableCampaignIds'), closing=closing,
                      card=card)
    return engine.evaluate(ctx)


def _commit_close(svc, changes, session, profile, outcome, now):
    profile_id = profile['integrationId'] if profile else ''
    for value in outcome.accepted_coupons:
        coupon = changes.get('coupon', value)
        coupon['usageCounter'] = coupon.get('usageCounter', 0) + 1
        if profile_id:
            counts = coupon.setdefault('profileRedemptions', {})
            counts[profile_id] = counts.get(profile_id, 0) + 1
            # Redeeming reserves the coupon for the profile (it shows in its inventory);
            # like other reservations it stays when the session is rolled back.
            svc.reserve(changes, coupon, profile_id, now)
        changes.put('coupon', value, coupon)
    svc.commit_rule_writes(changes, outcome, profile, session, now)
    if outcome.accepted_referral:
        referral = changes.get('referral', outcome.accepted_referral)
        referral['usageCounter'] = referral.get('usageCounter', 0) + 1
        if profile_id:
            referral.setdefault('referredCustomers', []).append(profile_id)
        changes.put('referral', referral['code'], referral)
    svc.commit_points(changes, outcome.points, profile, now, session['integrationId'])
    giveaways = svc.commit_giveaways(changes, outcome.giveaways, profile, now) if profile else []
    if profile is not None:
        profile['closedSessions'] = profile.get('closedSessions', 0) + 1
        profile['totalSales'] = _num(round(float(profile.get('totalSales', 0)) +
                                           float(session['total']), 2))
        changes.put('profile', profile_id, profile)
    session['committed'] = {
        'cartItemTotal': session['cartItemTotal'], 'total': session['total'],
        'effects': [dict(e, rolledBack=0) for e in outcome.effects
                    if e['effectType'] in _COMMITTED_TYPES]}
    return giveaways


# -- rollbacks --------------------------------------------------------------

def _rollback_effect(effect, effect_type, props):
    return {'campaignId': effect['campaignId'], 'rulesetId': effect['rulesetId'],
            'ruleIndex': effect['ruleIndex'], 'ruleName': effect['ruleName'],
            'effectType': effect_type, 'props': props}


def _rollback(svc, changes, session, profile, now, share_of=None):
    """Undo committed effects; ``share_of(effect)`` -> amount for partial returns.

    Without ``share_of`` everything left is rolled back (cancel, reopen).
    """
    effects = []
    committed = session.get('committed') or {'effects': []}
    profile_id = profile['integrationId'] if profile else ''
    for effect in committed['effects']:
        kind = effect['effectType']
        props = effect['props']
        if kind in ('acceptCoupon', 'acceptReferral'):
            if share_of is None:
                effects.append(_undo_code(changes, effect, profile_id))
            continue
        if kind == 'deductLoyaltyPoints' and share_of is not None:
            continue
        left = round(float(props['value']) - effect['rolledBack'], 2)
        amount = left if share_of is None else min(left, share_of(effect))
        amount = round(amount, 2)
        if amount <= 0:
            continue
        effect['rolledBack'] = round(effect['rolledBack'] + amount, 2)
        if kind in engine.DISCOUNT_TYPES:
            effects.append(_rollback_effect(effect, 'rollbackDiscount',
                                            _discount_rollback(kind, props, amount)))
        else:
            effects.append(_undo_points(svc, changes, session, effect, amount, now))
    return effects


def _discount_rollback(kind: str, props: Doc, amount: float) -> Doc:
    """RollbackDiscountEffectProps undoing ``amount`` of a discount effect."""
    rb = {'name': props['name'], 'value': amount,
          'scope': 'additionalCosts' if kind in _COST_DISCOUNTS else props.get('scope', '')}
    if 'position' in props:
        rb['cartItemPosition'] = props['position']
    if kind in _COST_DISCOUNTS:
        rb.update(additionalCostId=props['additionalCostId'],
                  additionalCost=props['additionalCost'])
    return rb


def _undo_code(changes, effect, profile_id):
    value = effect['props']['value']
    if effect['effectType'] == 'acceptCoupon':
        coupon = changes.get('coupon', value)
        if coupon is not None:
            coupon['usageCounter'] = max(0, coupon.get('usageCounter', 0) - 1)
            counts = coupon.get('profileRedemptions', {})
            if profile_id in counts:
                counts[profile_id] = max(0, counts[profile_id] - 1)
            changes.put('coupon', value, coupon)
        return _rollback_effect(effect, 'rollbackCoupon', {'value': value})
    referral = changes.get('referral', value)
    if referral is not None:
        referral['usageCounter'] = max(0, referral.get('usageCounter', 0) - 1)
        if profile_id in referral.get('referredCustomers', []):
            referral['referredCustomers'].remove(profile_id)
        changes.put('referral', value, referral)
    return _rollback_effect(effect, 'rollbackReferral', {'value': value})


def _undo_points(svc, changes, session, effect, amount, now):
    props = effect['props']
    program = svc.world.programs[props['programId']]
    owner = props.get('cardIdentifier') or props.get('recipientIntegrationId') or \
        session.get('profileId')
    ledger = svc.ledger_for_write(changes, program, owner)
    rb = {'programId': props['programId'], 'subLedgerId': props['subLedgerId'], 'value': amount,
          'recipientIntegrationId': session.get('profileId') or '',
          'transactionUUID': props['transactionUUID']}
    if props.get('cardIdentifier'):
        rb['cardIdentifier'] = props['cardIdentifier']
    if effect['effectType'] == 'addLoyaltyPoints':
        ledgers.add_transaction(ledger, svc.next_id('transaction'), now, 'subtraction', amount,
                                'Rollback: ' + props['name'], props['subLedgerId'],
                                session_id=session['integrationId'], kind='rollback',
                                rollback_of=props['transactionUUID'],
                                ruleset_id=effect['rulesetId'], rule_name=effect['ruleName'])
        return _rollback_effect(effect, 'rollbackAddedLoyaltyPoints', rb)
    ledgers.add_transaction(ledger, svc.next_id('transaction'), now, 'addition', amount,
                            'Refund: ' + props['name'], props['subLedgerId'],
                            session_id=session['integrationId'], kind='refund',
                            ruleset_id=effect['rulesetId'], rule_name=effect['ruleName'])
    return _rollback_effect(effect, 'rollbackDeductedLoyaltyPoints', rb)


def _undo_sales(changes, session, profile):
    if profile is None:
        return
    profile['closedSessions'] = max(0, profile.get('closedSessions', 0) - 1)
    profile['totalSales'] = _num(round(float(profile.get('totalSales', 0)) -
                                       float(session['total']), 2))
    changes.put('profile', profile['integrationId'], profile)


def _undo_close(svc, changes, session, now, new_state):
    """Roll back everything a close committed and move the session to ``new_state``."""
    profile = _profile_of(changes, session)
    effects = _rollback(svc, changes, session, profile, now)
    _undo_sales(changes, session, profile)
    session['state'] = new_state
    session['updated'] = timeutil.fmt(now)
    session['effects'] = effects
    session.pop('committed', None)
    changes.put('session', session['integrationId'], session)
    return profile, effects


def _cancel_committed(svc, changes, session, now):
    profile, effects = _undo_close(svc, changes, session, now, 'cancelled')
    event = svc.new_event(changes, now, 'talon_session_updated', profile,
                          session['integrationId'], session.get('attributes'), effects)
    return SessionResult(changes, session, profile, effects, event=event)


# -- routes -------------------------------------------------------------------

def update_customer_session_v2(svc, req):
    schema.validate(schema.INTEGRATION_REQUEST, req.body)
    dry = req.flag('dry')
    result = update_session(svc, req.params['customerSessionId'], req.body['customerSession'],
                            dry, lambda name: '/customerSession/' + name)
    content = req.body.get('responseContent') or DEFAULT_CONTENT
    return 200, state_v2(svc, result.changes, content, result.effects, result.session,
                         result.profile, result.event, result.outcome, result.giveaways)


def update_customer_session_v1(svc, req):
    schema.validate(schema.NEW_CUSTOMER_SESSION, req.body)
    body = req.body
    incoming = {name: body[name] for name in ('profileId', 'state', 'cartItems', 'identifiers',
                                              'attributes') if name in body}
    if 'coupon' in body:
        incoming['couponCodes'] = [body['coupon']] if body['coupon'] else []
    if 'referral' in body:
        incoming['referralCode'] = body['referral'] or ''
    result = update_session(svc, req.params['customerSessionId'], incoming, False,
                            lambda name: '/' + _V1_NAMES.get(name, name), total=body.get('total'))
    event = result.event
    if event is None:       # a repeated update of a finished session records no new event
        event = svc.new_event(result.changes, svc.now(), 'talon_session_updated',
                              result.profile, result.session['integrationId'], {},
                              result.effects)
    return 200, integration_state_v1(svc, result.changes, result.profile, event, result.session)


def integration_state_v1(svc: Service, changes: Changes, profile: Optional[Doc], event: Doc,
                         session: Optional[Doc] = None) -> Doc:
    """The deprecated IntegrationState: profile, event, and the session when the call
    concerns one (its ``discounts`` are those of its last evaluation)."""
    body = {'event': event,
            'profile': (svc.profile_view(changes, profile) if profile
                        else _anonymous_profile(svc, timeutil.fmt(svc.now())))}
    body['loyalty'] = svc.loyalty_view(changes, profile)
    if session is None:
        return body
    body['session'] = views.session_v1(session, _discounts(session.get('effects', [])))
    for value in session.get('couponCodes', [])[:1]:
        coupon = changes.get('coupon', value)
        if coupon is not None:
            body['coupon'] = views.coupon(coupon)
    return body


def _discounts(effects: List[Doc]) -> Dict[str, float]:
    """CustomerSession.discounts: discount name -> total amount."""
    discounts: Dict[str, float] = {}
    for effect in effects:
        if effect['effectType'] in engine.DISCOUNT_TYPES:
            name = effect['props']['name']
            discounts[name] = _num(round(discounts.get(name, 0) + effect['props']['value'], 2))
    return discounts


def _anonymous_profile(svc, now):
    return {'id': 0, 'created': now, 'integrationId': '', 'attributes': {},
            'accountId': svc.world.account_id, 'closedSessions': 0, 'totalSales': 0,
            'lastActivity': now, 'loyaltyMemberships': [], 'audienceMemberships': []}


def get_customer_session(svc, req):
    session = svc.store.get('session', req.params['customerSessionId'])
    if session is None:
        raise not_found('customer session %r not found' % req.params['customerSessionId'])
    return 200, {'customerSession': views.session_v2(session),
                 'effects': session.get('effects', [])}


@contextlib.contextmanager
def _locked_session(svc, session_id):
    """Lock an existing session (409 when busy) and then its profile, codes and card."""
    store = svc.store
    with store.locked((), exclusive=('session:' + session_id,)):
        session = store.get('session', session_id)
        if session is None:
            raise not_found('customer session %r not found' % session_id)
        with store.locked(_lock_keys(svc, session, {})):
            yield


def reopen_customer_session(svc, req):
    session_id = req.params['customerSessionId']
    with _locked_session(svc, session_id):
        changes = Changes(svc.store)
        session = changes.get('session', session_id)
        if session['state'] != 'closed':
            raise bad_request('only a closed session can be reopened; %r is %s'
                              % (session_id, session['state']))
        _, effects = _undo_close(svc, changes, session, svc.now(), 'open')
        changes.commit()
    return 200, {'effects': effects}


def return_cart_items(svc, req):
    schema.validate(schema.RETURN_INTEGRATION_REQUEST, req.body)
    dry = req.flag('dry')
    session_id = req.params['customerSessionId']
    with _locked_session(svc, session_id):
        changes = Changes(svc.store)
        session = changes.get('session', session_id)
        if session['state'] not in ('closed', 'partially_returned'):
            raise bad_request('only closed or partially returned sessions accept returns; '
                              '%r is %s' % (session_id, session['state']), pointer='/return')
        now = svc.now()
        returned = _returned_quantities(session, req.body['return']['returnedCartItems'])
        profile = _profile_of(changes, session)
        previous = list(session.get('returns', []))
        effects = _apply_return(svc, changes, session, profile, returned, now)
        event = svc.new_event(changes, now, 'talon_session_updated', profile, session_id,
                              session.get('attributes'), effects)
        ret = _record_return(svc, session, profile, returned, event, now)
        changes.put('session', session_id, session)
        changes.commit(dry)
    content = req.body.get('responseContent') or DEFAULT_CONTENT
    body = state_v2(svc, changes, content, effects, session, profile, event,
                    previous_returns=previous)
    body['return'] = ret
    return 200, body


def _record_return(svc, session, profile, returned, event, now):
    """Append the Return document to the session's returns; return it."""
    ret = {'id': svc.next_id('return'), 'created': timeutil.fmt(now),
           'applicationId': svc.world.application_id, 'accountId': svc.world.account_id,
           'returnedCartItems': [{'position': p, 'quantity': q} for p, q in returned],
           'eventId': event['id'], 'sessionId': session['id'],
           'sessionIntegrationId': session['integrationId']}
    if profile is not None:
        ret.update(profileId=profile['id'], profileIntegrationId=profile['integrationId'])
    session.setdefault('returns', []).append(ret)
    return ret


def _returned_quantities(session, items):
    wanted = {}
    order = []
    for index, item in enumerate(items):
        pointer = '/return/returnedCartItems/%d' % index
        position = item['position']
        if position < 0 or position >= len(session['cartItems']):
            raise bad_request('%s/position: no cart item at position %d (the session has %d)'
                              % (pointer, position, len(session['cartItems'])),
                              pointer=pointer + '/position')
        cart_item = session['cartItems'][position]
        left = (cart_item['quantity'] - cart_item.get('returnedQuantity', 0) -
                wanted.get(position, 0))
        quantity = item.get('quantity') if item.get('quantity') is not None else left
        if quantity < 1 or quantity > left:
            raise bad_request('%s/quantity: must be between 1 and %d (the quantity not yet '
                              'returned), got %d' % (pointer, left, quantity),
                              pointer=pointer + '/quantity')
        if position not in wanted:
            order.append(position)
        wanted[position] = wanted.get(position, 0) + quantity
    return [(position, wanted[position]) for position in order]


def _apply_return(svc, changes, session, profile, returned, now):
    committed = session.get('committed') or {'effects': [], 'cartItemTotal': 0}
    base = float(committed.get('cartItemTotal') or 0)
    value = 0.0
    per_position = {}
    for position, quantity in returned:
        item = session['cartItems'][position]
        item['returnedQuantity'] = item.get('returnedQuantity', 0) + quantity
        item['remainingQuantity'] = item['quantity'] - item['returnedQuantity']
        per_position[position] = (quantity, item['quantity'])
        value += float(item.get('price') or 0) * quantity
    share = value / base if base else 0.0

    def share_of(effect):
        props = effect['props']
        if effect['effectType'] == 'setDiscountPerAdditionalCost':
            return 0.0      # a session-level cost (shipping) is still owed after a return
        position = props.get('position', props.get('cartItemPosition'))
        if effect['effectType'] == 'setDiscountPerItem' or position is not None:
            if position not in per_position:
                return 0.0
            quantity, total = per_position[position]
            return float(props['value']) * quantity / total
        return float(props['value']) * share

    effects = _rollback(svc, changes, session, profile, now, share_of)
    old_total = float(session['total'])
    _totals(session)
    session['state'] = 'partially_returned'
    session['updated'] = timeutil.fmt(now)
    if profile is not None:
        profile['totalSales'] = _num(round(float(profile.get('totalSales', 0)) -
                                           (old_total - float(session['total'])), 2))
        changes.put('profile', profile['integrationId'], profile)
    return effects
