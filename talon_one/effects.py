"""Typed access to the ``props`` of rule engine effects.

``Effect.props`` is a free-form object in the API; the spec describes the props
of each effect type with a ``*EffectProps`` schema. :func:`effect_props` parses
them into that model (``setDiscount`` -> ``SetDiscountEffectProps``), using the
generated ``talon_one.models.EFFECT_PROPS_CLASSES`` table. The model class is
imported only when an effect of its type is parsed. :func:`summarize` turns all the
effects of a response into discounts, the price to pay, coupons, points and more.
"""

from typing import TYPE_CHECKING, Any, Iterable, List, Optional

from talon_one import models

if TYPE_CHECKING:
    from talon_one._summary_types import EffectsSummary

__all__ = ['EffectsSummary', 'effect_props', 'effects_of_type', 'summarize']


def _field(effect: Any, attr: str, api_name: str) -> Any:
    """``effect.attr`` of a model, or ``effect[api_name]`` of a raw JSON effect."""
    if isinstance(effect, dict):
        return effect.get(api_name)
    return getattr(effect, attr, None)


def effect_props(effect: Any) -> Any:
    """The ``props`` of ``effect`` as the model of its effect type.

    ``effect`` is an ``Effect`` (or its JSON object). Parsing is lenient, as for
    responses: unknown fields are kept in ``extra_fields``, nothing is validated.
    Props of an effect type without a model (a newer or custom one), and props
    that are not a JSON object, are returned unchanged.
    """
    props = _field(effect, 'props', 'props')
    class_name = models.EFFECT_PROPS_CLASSES.get(_field(effect, 'effect_type', 'effectType'))
    if class_name is None or not isinstance(props, dict):
        return props
    return getattr(models, class_name).from_wire(props)


def effects_of_type(effects: Optional[Iterable[Any]], effect_type: str) -> List[Any]:
    """The effects whose ``effect_type`` is ``effect_type``, in their order.

    ``effects`` may be None (a response without effects), which gives ``[]``.
    """
    return [effect for effect in effects or ()
            if _field(effect, 'effect_type', 'effectType') == effect_type]


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
