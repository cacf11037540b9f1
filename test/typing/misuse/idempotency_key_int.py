import talon_one

api = talon_one.IntegrationApi()
body = talon_one.IntegrationRequest(customer_session=talon_one.NewCustomerSessionV2())
api.update_customer_session_v2("s", body, _idempotency_key=5)  # expect-error
