import talon_one

api = talon_one.IntegrationApi()
state = api.get_customer_session("s")
print(state.customer_sesion)  # expect-error
