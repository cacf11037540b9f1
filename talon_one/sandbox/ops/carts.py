"""A session's cart as the server keeps it: numbered items, catalog gaps filled, returned and
remaining quantities, and the totals."""

import math
from typing import Dict, List, Optional

from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine import cart_item_total
from talon_one.sandbox.errors import bad_request
from talon_one.sandbox.store.changes import Changes

_SERVER_QUANTITIES = ('returnedQuantity', 'remainingQuantity')    # computed, never taken


def num(value: float) -> float:
    """An amount as JSON shows it: an integer when it is whole."""
    if not math.isfinite(value):    # inputs are bounded; this guards sums of many of them
        raise bad_request('amounts add up to a number out of range', pointer='')
    return int(value) if float(value) == int(value) else value


def cart_items(changes: Changes, session: Doc) -> List[Doc]:
    """The cart as the server sees it: numbered, gaps filled from the catalogs, and
    returned/remaining quantities computed from stored returns (never the client's)."""
    items: List[Doc] = session.get('cartItems', [])
    returned = _returned_by_position(session)
    catalog = _catalog_items(changes, items)
    return [_cart_item(item, index, returned.get(index, 0), catalog.get(item['sku']))
            for index, item in enumerate(items)]


def _returned_by_position(session: Doc) -> Dict[int, int]:
    returned: Dict[int, int] = {}
    returns: List[Doc] = session.get('returns') or []
    for ret in returns:
        for item in ret['returnedCartItems']:
            returned[item['position']] = returned.get(item['position'], 0) + item['quantity']
    return returned


def _catalog_items(changes: Changes, items: List[Doc]) -> Dict[str, Doc]:
    """SKU -> catalog item for the cart items lacking a price or attributes."""
    wanted = {item['sku'] for item in items
              if item.get('price') is None or not item.get('attributes')}
    found: Dict[str, Doc] = {}
    if not wanted:
        return found
    for catalog in sorted(changes.view('catalog'), key=lambda c: c['id']):
        catalog_items: Dict[str, Doc] = catalog.get('items') or {}
        for sku, catalog_item in catalog_items.items():
            if sku in wanted and sku not in found:    # the lowest catalog id wins
                found[sku] = catalog_item
    return found


def _cart_item(item: Doc, index: int, returned: int, catalog_item: Optional[Doc]) -> Doc:
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


def set_totals(session: Doc, total: Optional[float] = None) -> None:
    """cartItemTotal, additionalCostTotal and total (unless the caller sent it: v1)."""
    items: List[Doc] = session.get('cartItems', [])
    cart_total = cart_item_total(session)
    session_costs: Dict[str, Doc] = session.get('additionalCosts') or {}
    costs = sum(float(c.get('price') or 0) for c in session_costs.values())
    item_level = 0.0
    for item in items:
        item_costs: Dict[str, Doc] = item.get('additionalCosts') or {}
        for cost in item_costs.values():
            item_level += float(cost.get('price') or 0) * item['remainingQuantity']
    costs += item_level
    session['cartItemTotal'] = num(cart_total)
    session['cartItemAdditionalCostTotal'] = num(round(item_level, 2))
    session['additionalCostTotal'] = num(round(costs, 2))
    session['total'] = num(round(cart_total + costs, 2)) if total is None else total
