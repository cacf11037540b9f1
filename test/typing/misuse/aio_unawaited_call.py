import talon_one


async def forget(api: talon_one.AsyncIntegrationApi) -> None:
    api.get_customer_session("s")  # expect-error
