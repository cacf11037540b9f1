import talon_one

item = talon_one.CartItem(sku="SKU-1", quantity=1)
item.quantiti = 2  # expect-error
