"""Writes with an Idempotency-Key, sync and asyncio, and the key of a failed call."""
import asyncio
import uuid
from typing import Optional

import talon_one
from talon_one.aio import AsyncApiClient, AsyncIntegrationApi


def return_items(api: talon_one.IntegrationApi, session_id: str,
                 body: talon_one.ReturnIntegrationRequest) -> Optional[str]:
    key = str(uuid.uuid4())
    try:
        state: talon_one.IntegrationStateV2 = api.return_cart_items(
            session_id, body, _idempotency_key=key, _total_timeout=5.0)
        print(state.effects)
    except talon_one.ApiException as error:
        sent: Optional[str] = error.idempotency_key
        return sent
    return None


def track(api: talon_one.IntegrationApi, event: talon_one.IntegrationEventV2Request) -> None:
    api.track_event_v2(event, _idempotency_key="order-42-shipped")
    result = api.track_event_v2(event, _idempotency_key="order-43-shipped", async_req=True)
    result.get(10)


async def track_async(event: talon_one.IntegrationEventV3Request) -> None:
    configuration = talon_one.Configuration(order_writes_per_id=True, auto_idempotency_keys=False)
    async with AsyncApiClient(configuration) as client:
        api = AsyncIntegrationApi(client)
        await api.track_event_v3(event, _idempotency_key="event-" + str(event.integration_id))


if __name__ == "__main__":
    asyncio.run(track_async(talon_one.IntegrationEventV3Request(
        integration_id="E1", type="orderShipped", profile_id="P1")))
