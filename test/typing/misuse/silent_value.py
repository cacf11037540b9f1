import talon_one

api = talon_one.IntegrationApi()
body = talon_one.IntegrationEventV2Request(profile_id="p", type="t")
api.track_event_v2(body, silent="maybe")  # expect-error
