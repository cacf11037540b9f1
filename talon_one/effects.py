"""Effects of the rule engine: typed ``props`` and selection by effect type.

``effect_props(effect)`` parses ``effect.props`` into the model of its effect type
(``setDiscount`` -> ``SetDiscountEffectProps``); ``effects_of_type(effects, 'setDiscount')``
picks the effects of one type, typed so that ``effect_props`` of each returns that model.
"""

from talon_one._effect_types import EffectProps as EffectProps
from talon_one._effect_types import EffectType as EffectType
from talon_one._effect_types import TypedEffect as TypedEffect
from talon_one._effect_types import effect_props as effect_props
from talon_one._effect_types import effects_of_type as effects_of_type

__all__ = ['EffectProps', 'EffectType', 'TypedEffect', 'effect_props', 'effects_of_type']
