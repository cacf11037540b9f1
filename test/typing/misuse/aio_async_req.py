import talon_one


async def threads(api: talon_one.AsyncIntegrationApi) -> None:
    print(await api.get_customer_session("s", async_req=True))  # expect-error
