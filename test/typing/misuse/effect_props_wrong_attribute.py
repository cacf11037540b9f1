import talon_one
from talon_one.effects import effect_props

effect = talon_one.Effect(effect_type="setDiscount", props={"name": "x", "value": 1})
print(effect_props(effect, "setDiscount").coupon_code)  # expect-error
