"""async_req=True: an AsyncResult whose get() returns the model."""
from typing import List

import talon_one
from talon_one.api_client import AsyncResult


def parallel(api: talon_one.IntegrationApi, ids: List[str]) -> List[str]:
    pending: List[AsyncResult[talon_one.IntegrationCustomerSessionResponse]] = [
        api.get_customer_session(session_id, async_req=True) for session_id in ids]
    states: List[str] = []
    for thread in pending:
        thread.wait(5)
        if thread.ready() and thread.successful():
            result = thread.get(timeout=1)
            if result.customer_session is not None:
                states.append(result.customer_session.state)
    return states


def event_in_background(api: talon_one.IntegrationApi) -> None:
    body = talon_one.IntegrationEventV2Request(profile_id="p-1", type="pageView", attributes={})
    thread = api.track_event_v2(body, silent="no", async_req=True)
    state = thread.get()
    print(len(state.effects))
    quiet = api.track_event_v2(body, async_req=True).get()
    print(quiet is None)
