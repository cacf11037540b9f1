import talon_one

api = talon_one.IntegrationApi()
body = talon_one.IntegrationEventV2Request(profile_id="p", type="t")
print(api.track_event_v2(body).effects)  # expect-error
