"""The rule engine, pure: what one evaluation sees (``Context``) in, an ``Outcome`` out.

It reads no store and does no I/O: the documents it may need beyond the context's own come
through the reads the caller puts in the context (``ledger_of``, ``pool_of``, ``lookup``).
"""

from talon_one.sandbox.engine.amounts import cart_item_total
from talon_one.sandbox.engine.codes import inventory_state, is_running
from talon_one.sandbox.engine.context import Context, Outcome, PointsOp, ruleset_id
from talon_one.sandbox.engine.evaluation import DISCOUNT_TYPES, evaluate

__all__ = ['DISCOUNT_TYPES', 'Context', 'Outcome', 'PointsOp', 'cart_item_total',
           'evaluate', 'inventory_state', 'is_running', 'ruleset_id']
