import talon_one

api = talon_one.IntegrationApi()
data, status = api.get_customer_session_with_http_info("s")  # expect-error
