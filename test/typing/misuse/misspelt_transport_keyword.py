import talon_one

api = talon_one.IntegrationApi()
api.get_customer_session("s", _request_timout=5)  # expect-error
