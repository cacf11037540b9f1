"""Returns of cart items from a closed session: the returned share of what its close
committed is rolled back, and the session becomes partially_returned."""

import datetime
from typing import AbstractSet, Dict, List, Optional, Set, Tuple

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.errors import bad_request
from talon_one.sandbox.ops import reevaluation
from talon_one.sandbox.ops.carts import set_totals
from talon_one.sandbox.ops.customers import add_sales, profile_of
from talon_one.sandbox.ops.events import SESSION_UPDATED, new_event
from talon_one.sandbox.ops.request import Request
from talon_one.sandbox.ops.responses import state_v2
from talon_one.sandbox.ops.rollbacks import rollback
from talon_one.sandbox.ops.service import Answer, Service
from talon_one.sandbox.ops.sessions import DEFAULT_CONTENT, counted, locked_session
from talon_one.sandbox.store.changes import Changes
from talon_one.sandbox.world import schema

Returned = List[Tuple[int, int]]    # (cart item position, quantity), in request order


def return_cart_items(svc: Service, req: Request) -> Answer:
    schema.validate(schema.RETURN_INTEGRATION_REQUEST, req.body)
    dry = req.flag('dry')
    run_rules = req.flag('runRuleEngine')
    session_id = req.params['customerSessionId']
    with locked_session(svc, session_id):
        changes = Changes(svc.store)
        session = changes.require('session', session_id, 'customer session %r' % session_id)
        if session['state'] not in ('closed', 'partially_returned'):
            raise bad_request('only closed or partially returned sessions accept returns; '
                              '%r is %s' % (session_id, session['state']), pointer='/return')
        now = svc.now()
        returned = _returned_quantities(session, req.body['return']['returnedCartItems'])
        profile = profile_of(changes, session)
        previous = list(session.get('returns', []))
        counted(session)
        redo: Set[int] = reevaluation.campaigns_to_rerun(svc, session) if run_rules else set()
        effects = _apply_return(svc, changes, session, profile, returned, now, redo)
        if redo:
            effects += reevaluation.rerun(svc, changes, session, profile, redo, now)
        event = new_event(svc, changes, now, SESSION_UPDATED, profile, session_id,
                          session.get('attributes'), effects)
        ret = _record_return(svc, session, profile, returned, event, now)
        changes.put('session', session_id, session)
        changes.commit(dry)
    content = req.body.get('responseContent') or DEFAULT_CONTENT
    body = state_v2(svc, changes, content, effects, session, profile, event,
                    previous_returns=previous)
    body['return'] = ret
    return 200, body


def _record_return(svc: Service, session: Doc, profile: Optional[Doc], returned: Returned,
                   event: Doc, now: datetime.datetime) -> Doc:
    """Append the Return document to the session's returns; return it."""
    ret = {'id': svc.next_id('return'), 'created': timeutil.fmt(now),
           'applicationId': svc.world.application_id, 'accountId': svc.world.account_id,
           'returnedCartItems': [{'position': p, 'quantity': q,
                                  'sku': session['cartItems'][p].get('sku', '')}
                                 for p, q in returned],
           'eventId': event['id'], 'sessionId': session['id'],
           'sessionIntegrationId': session['integrationId']}
    if profile is not None:
        ret.update(profileId=profile['id'], profileIntegrationId=profile['integrationId'])
    session.setdefault('returns', []).append(ret)
    return ret


def _position(session: Doc, item: Doc, wanted: Dict[int, int], pointer: str) -> int:
    """The cart item a ReturnedCartItem names: its ``position``, else the first item with
    its ``sku`` that still has units to return."""
    if item.get('position') is not None:
        found: int = item['position']
        return found
    sku = item.get('sku')
    if not sku:
        raise bad_request('%s: needs a position or a sku' % pointer, pointer=pointer)
    for position, cart_item in enumerate(session['cartItems']):
        left = cart_item['quantity'] - cart_item.get('returnedQuantity', 0) - \
            wanted.get(position, 0)
        if cart_item.get('sku') == sku and left > 0:
            return position
    raise bad_request('%s/sku: no cart item with sku %r is left to return' % (pointer, sku),
                      pointer=pointer + '/sku')


def _returned_quantities(session: Doc, items: List[Doc]) -> Returned:
    wanted: Dict[int, int] = {}
    order: List[int] = []
    for index, item in enumerate(items):
        pointer = '/return/returnedCartItems/%d' % index
        position = _position(session, item, wanted, pointer)
        if position < 0 or position >= len(session['cartItems']):
            raise bad_request('%s/position: no cart item at position %d (the session has %d)'
                              % (pointer, position, len(session['cartItems'])),
                              pointer=pointer + '/position')
        cart_item = session['cartItems'][position]
        left = (cart_item['quantity'] - cart_item.get('returnedQuantity', 0) -
                wanted.get(position, 0))
        quantity: int = item['quantity'] if item.get('quantity') is not None else left
        if quantity < 1 or quantity > left:
            raise bad_request('%s/quantity: must be between 1 and %d (the quantity not yet '
                              'returned), got %d' % (pointer, left, quantity),
                              pointer=pointer + '/quantity')
        if position not in wanted:
            order.append(position)
        wanted[position] = wanted.get(position, 0) + quantity
    return [(position, wanted[position]) for position in order]


def _apply_return(svc: Service, changes: Changes, session: Doc, profile: Optional[Doc],
                  returned: Returned, now: datetime.datetime,
                  redo: AbstractSet[int] = frozenset()) -> List[Doc]:
    """Roll back the returned share of what the close committed; the campaigns in ``redo``
    (reevaluated after the return) are rolled back in full."""
    committed: Doc = session.get('committed') or {'effects': [], 'cartItemTotal': 0}
    base = float(committed.get('cartItemTotal') or 0)
    value = 0.0
    per_position: Dict[int, Tuple[int, int]] = {}
    for position, quantity in returned:
        item = session['cartItems'][position]
        item['returnedQuantity'] = item.get('returnedQuantity', 0) + quantity
        item['remainingQuantity'] = item['quantity'] - item['returnedQuantity']
        per_position[position] = (quantity, item['quantity'])
        value += float(item.get('price') or 0) * quantity
    share = value / base if base else 0.0

    def share_of(effect: Doc) -> float:
        props = effect['props']
        if effect['campaignId'] in redo:
            return float(props['value'])     # all of it: the reevaluation decides anew
        if effect['effectType'] == 'setDiscountPerAdditionalCost':
            return 0.0      # a session-level cost (shipping) is still owed after a return
        position = props.get('position', props.get('cartItemPosition'))
        if effect['effectType'] == 'setDiscountPerItem' or position is not None:
            if position not in per_position:
                return 0.0
            quantity, total = per_position[position]
            return float(props['value']) * quantity / total
        return float(props['value']) * share

    effects = rollback(svc, changes, session, profile, now, share_of)
    old_total = float(session['total'])
    set_totals(session)
    session['state'] = 'partially_returned'
    session['updated'] = timeutil.fmt(now)
    if profile is not None:
        add_sales(changes, profile, -(old_total - float(session['total'])))
    return effects
