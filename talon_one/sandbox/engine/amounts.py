"""Money arithmetic of the rules: cart totals, additional costs, discount amounts."""

from typing import Dict, List, Optional, Tuple, Union

from talon_one.sandbox.documents import Doc

CostKey = Union[str, Tuple[int, str]]   # a session cost by name, an item's by (position, name)


def remaining(item: Doc) -> int:
    """A cart item's quantity not returned."""
    quantity: int = item.get('quantity', 0) - item.get('returnedQuantity', 0)
    return quantity


def cart_item_total(session: Optional[Doc]) -> float:
    items: List[Doc] = session.get('cartItems', []) if session else []
    return round(sum(float(item.get('price') or 0) * remaining(item) for item in items), 2)


def cost_amounts(session: Optional[Doc]) -> Dict[CostKey, float]:
    """Additional cost amounts by name (session level) and by (position, name) (cart
    items: unit price x remaining quantity)."""
    if session is None:
        return {}
    session_costs: Dict[str, Doc] = session.get('additionalCosts') or {}
    amounts: Dict[CostKey, float] = {name: float(cost.get('price') or 0)
                                     for name, cost in session_costs.items()}
    for position, item in enumerate(session.get('cartItems', [])):
        item_costs: Dict[str, Doc] = item.get('additionalCosts') or {}
        for name, cost in item_costs.items():
            amounts[(position, name)] = float(cost.get('price') or 0) * remaining(item)
    return amounts


def amount(spec: Doc, base: float) -> float:
    """A rule's amount: ``percent`` of ``base``, or its fixed ``value``."""
    if 'percent' in spec:
        return round(base * float(spec['percent']) / 100.0, 2)
    return round(float(spec['value']), 2)


def per_item_amount(spec: Doc, unit_price: float, quantity: int) -> float:
    """A per-item rule's amount for ``quantity`` units: ``percent`` of what they cost, or
    its ``value`` for each unit."""
    if 'percent' in spec:
        return amount(spec, unit_price * quantity)
    return round(float(spec['value']) * quantity, 2)
