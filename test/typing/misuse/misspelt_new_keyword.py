import talon_one

api = talon_one.IntegrationApi()
body = talon_one.IntegrationEventV3Request(profile_id="URNGV8294NV", type="pageViewed")
api.track_event_v3(body, silent="no", force_complete_evalution=True)  # expect-error
