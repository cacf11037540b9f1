import talon_one

api = talon_one.IntegrationApi()
print(api.get_customer_session("s", async_req=True).customer_session)  # expect-error
