import talon_one


async def forget(api: talon_one.AsyncIntegrationApi) -> None:
    print(api.get_customer_session("s").customer_session)  # expect-error
