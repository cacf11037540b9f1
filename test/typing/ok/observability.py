"""Hooks (a latency histogram), tracing settings and with_options, as the README shows them."""
import asyncio
from collections import defaultdict
from typing import DefaultDict, List, Optional

import talon_one
from talon_one.aio import AsyncApiClient, AsyncIntegrationApi
from talon_one.hooks import Hooks, RequestEvent, ResponseEvent, RetryEvent

latencies: DefaultDict[Optional[str], List[float]] = defaultdict(list)


def record(event: ResponseEvent) -> None:
    latencies[event.operation].append(event.elapsed)


def on_request(event: RequestEvent) -> None:
    print(event.method, event.url, event.attempt, dict(event.headers))


def on_retry(event: RetryEvent) -> None:
    print("retrying", event.reason, "in", event.wait, "s")


hooks: Hooks = {"request": on_request, "response": record, "retry": on_retry}
configuration = talon_one.Configuration(host="https://yourbaseurl.talon.one", hooks=hooks,
                                        tracing=True, propagate_trace_context=True)
configuration.hooks = Hooks(response=record)
with talon_one.ApiClient(configuration) as api_client:
    api = talon_one.IntegrationApi(api_client)
    checkout: talon_one.IntegrationApi = api.with_options(timeout=0.6, total_timeout=1.0,
                                                          max_retries=1)
    fast: talon_one.ApiClient = api_client.with_options(
        timeout=(1.0, 2.0), retry_non_idempotent=True, default_headers={"X-Shop": "berlin"})
    state = checkout.get_customer_session("session-1")
    print(state.effects)


async def main() -> None:
    async with AsyncApiClient(configuration) as client:
        api = AsyncIntegrationApi(client).with_options(max_retries=0, total_timeout=None)
        session = await api.get_customer_session("session-1")
        print(session.effects)
        other: AsyncApiClient = client.with_options(timeout=2.0)
        print(other.configuration.timeout)


asyncio.run(main())
