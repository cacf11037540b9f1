import talon_one

talon_one.CartItem(skuu="SKU-1", quantity=1)  # expect-error
