"""The rule engine: campaigns' rules against what one evaluation sees, giving an outcome."""

from talon_one.sandbox.engine.evaluation import (DISCOUNT_TYPES, Context, Doc, Outcome,
                                                 cart_item_total, evaluate, is_running,
                                                 profile_limit_reached, ruleset_id)

__all__ = ['DISCOUNT_TYPES', 'Context', 'Doc', 'Outcome', 'cart_item_total', 'evaluate',
           'is_running', 'profile_limit_reached', 'ruleset_id']
