import talon_one


async def quiet(api: talon_one.AsyncIntegrationApi) -> None:
    body = talon_one.IntegrationEventV2Request(profile_id="p", type="t")
    print((await api.track_event_v2(body)).effects)  # expect-error
