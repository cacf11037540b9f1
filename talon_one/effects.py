"""Effects of the rule engine: typed ``props``, selection by effect type, and a summary.

``effect_props(effect)`` parses ``effect.props`` into the model of its effect type
(``setDiscount`` -> ``SetDiscountEffectProps``); ``effects_of_type(effects, 'setDiscount')``
picks the effects of one type, typed so that ``effect_props`` of each returns that model;
:func:`summarize` turns all the effects of a response into discounts, the price to pay,
coupons, points and more.
"""

from typing import TYPE_CHECKING, Any

from talon_one._effect_types import EffectProps as EffectProps
from talon_one._effect_types import EffectType as EffectType
from talon_one._effect_types import TypedEffect as TypedEffect
from talon_one._effect_types import effect_props as effect_props
from talon_one._effect_types import effects_of_type as effects_of_type

if TYPE_CHECKING:
    from talon_one._summary_types import EffectsSummary as EffectsSummary

__all__ = ['EffectProps', 'EffectType', 'EffectsSummary', 'TypedEffect', 'effect_props',
           'effects_of_type', 'summarize']


def summarize(state: Any) -> 'EffectsSummary':
    """What the effects of a response mean for the checkout, as immutable, typed values.

    ``state`` is an ``IntegrationStateV2`` (update_customer_session_v2, return_cart_items,
    track_event_v2 with ``silent='no'``...), an ``IntegrationState`` (v1 operations), an
    ``IntegrationCustomerSessionResponse`` (get_customer_session), a
    ``ReopenSessionResponse`` or a list of effects (``Effect`` objects or their JSON).
    Also available as ``talon_one.summarize_effects``. The result has:

    - ``discounts``: ``session``, ``per_item`` (with position and sku),
      ``per_additional_cost`` and ``per_item_additional_cost`` entries, ``total``, and
      ``by_name`` / ``by_position`` / ``by_additional_cost`` sums;
    - ``price_to_pay``: the session's cart items total plus additional costs total minus
      the discounts, a ``Decimal`` rounded to cents and never below zero (None without a
      session in the response; ``price_to_pay_float`` for a float);
    - ``free_items``, ``coupons`` (``accepted_coupons``, ``rejected_coupons`` with the
      reason), ``referrals``, ``loyalty`` (``added`` / ``deducted`` per program and
      subledger, pending dates included), ``notifications``, ``custom_effects``,
      ``giveaways``, ``rollbacks``, ``other`` and ``unknown`` (effect types it does not
      know, unchanged);
    - ``warnings`` for effects that refer to cart items or additional costs the session
      does not have, and ``entries``: one per effect, in order, each with the
      ``origin`` (campaign, ruleset and rule) of its effect.

    ``str(summary)`` is a short receipt. Props are read with :func:`effect_props`.
    """
    # Loaded on first use: building the summary's dataclasses would slow `import talon_one`.
    from talon_one._summary import summarize as summarize_state
    return summarize_state(state)


def __getattr__(name: str) -> Any:
    if name == 'EffectsSummary':
        from talon_one._summary_types import EffectsSummary
        return EffectsSummary
    raise AttributeError('module %r has no attribute %r' % (__name__, name))
