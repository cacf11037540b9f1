"""Events and profiles: silent decides whether a result comes back."""
from typing import Optional

import talon_one


def track(api: talon_one.IntegrationApi) -> int:
    body = talon_one.IntegrationEventV2Request(profile_id="p-1", type="pageView", attributes={"page": "/"})
    state = api.track_event_v2(body, silent="no")
    quiet: Optional[talon_one.IntegrationStateV2] = api.track_event_v2(body)
    if quiet is not None:
        print(quiet.effects)
    v1 = api.track_event(talon_one.NewEvent(profile_id="p-1", type="pageView", attributes={},
                                            session_id="s-1"))
    print(v1.event)
    return len(state.effects)


def bulk(api: talon_one.IntegrationApi) -> None:
    items = [talon_one.MultipleCustomerProfileIntegrationRequestItem(integration_id="p-%d" % n,
                                                                      attributes={"n": n})
             for n in range(3)]
    body = talon_one.MultipleCustomerProfileIntegrationRequest(customer_profiles=items)
    result = api.update_customer_profiles_v2(body, silent="no")
    print(result.integration_states)
    api.update_customer_profiles_v2(body)


def audiences(api: talon_one.IntegrationApi) -> int:
    audience = api.create_audience_v2(talon_one.NewAudience(name="VIP"))
    api.update_audience_v2(audience.id, talon_one.UpdateAudience(name="VIPs"))
    api.delete_audience_memberships_v2(audience.id)
    return audience.id
