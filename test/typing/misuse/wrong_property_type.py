import talon_one

talon_one.CartItem(sku="SKU-1", quantity="2")  # expect-error
