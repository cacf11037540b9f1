"""Typed access to the ``props`` of rule engine effects (the implementation).

``Effect.props`` is a free-form object in the API; the spec describes the props of each
effect type with a ``*EffectProps`` schema. :func:`effect_props` parses them into that
model (``setDiscount`` -> ``SetDiscountEffectProps``), using the generated
``talon_one.models.EFFECT_PROPS_CLASSES`` table; the model class is imported only when an
effect of its type is parsed. The typed signatures (an overload per effect type) are in
the generated ``talon_one._effect_types``.
"""

from collections import abc
from typing import Any, Iterable, List, Mapping, Optional, cast

from talon_one import models
from talon_one._exceptions import ApiValueError

__all__ = ['effect_props', 'effects_of_type']


def _field(effect: Any, attr: str, api_name: str) -> Any:
    """``effect.attr`` of a model, or ``effect[api_name]`` of a raw JSON effect."""
    if isinstance(effect, abc.Mapping):
        raw = cast('Mapping[str, Any]', effect)  # an effect's JSON object
        return raw.get(api_name)
    return getattr(effect, attr, None)


def effect_props(effect: Any, effect_type: Optional[str] = None) -> Any:
    """The ``props`` of ``effect`` as the model of its effect type.

    ``effect`` is an ``Effect`` (or its JSON object). Parsing is lenient, as for
    responses: unknown fields are kept in ``extra_fields``, nothing is validated.
    Props of an effect type without a model (a newer or custom one), and props that
    are not a JSON object, are returned unchanged. With ``effect_type`` given, an
    effect of another type is an ``ApiValueError``.
    """
    actual = _field(effect, 'effect_type', 'effectType')
    if effect_type is not None and actual != effect_type:
        raise ApiValueError('effect_props: expected an effect of type %r, got %r'
                            % (effect_type, actual))
    props = _field(effect, 'props', 'props')
    class_name = models.EFFECT_PROPS_CLASSES.get(actual)
    if class_name is None or not isinstance(props, dict):
        return props
    return getattr(models, class_name).from_wire(props)


def effects_of_type(effects: Optional[Iterable[Any]], effect_type: str) -> List[Any]:
    """The effects whose ``effect_type`` is ``effect_type``, in their order.

    ``effects`` may be None (a response without effects), which gives ``[]``.
    """
    return [effect for effect in effects or ()
            if _field(effect, 'effect_type', 'effectType') == effect_type]
