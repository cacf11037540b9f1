import talon_one


async def info(api: talon_one.AsyncIntegrationApi) -> None:
    data, status = await api.get_customer_session_with_http_info("s")  # expect-error
    print(data, status)
