"""Effects of the rule engine: typed ``props`` and selection by effect type.

``effect_props(effect)`` parses ``effect.props`` into the model of its effect type
(``setDiscount`` -> ``SetDiscountEffectProps``); ``effects_of_type(effects, 'setDiscount')``
picks the effects of one type, typed so that ``effect_props`` of each returns that model.
"""

from talon_one._effects import effect_props as effect_props
from talon_one._effects import effects_of_type as effects_of_type

__all__ = ['effect_props', 'effects_of_type']
