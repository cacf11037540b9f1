import talon_one

api = talon_one.IntegrationApi()
api.get_loyalty_balances("five", "p-1")  # expect-error
