"""talon_one.aio: the asyncio client, the README's way (async with, await, aiter_pages)."""
import asyncio
from decimal import Decimal
from typing import AsyncIterator, List, Mapping, Optional

import talon_one
from talon_one.aio import AsyncApiClient, AsyncIntegrationApi


async def checkout(configuration: talon_one.Configuration, session_id: str) -> Optional[Decimal]:
    async with talon_one.AsyncApiClient(configuration) as client:
        api = talon_one.AsyncIntegrationApi(client)
        request = talon_one.IntegrationRequest(
            customer_session=talon_one.NewCustomerSessionV2(
                profile_id="URNGV8294NV", coupon_codes=["XMAS-20-2021"],
                cart_items=[talon_one.CartItem(name="Air Glide", sku="SKU1241028", quantity=1,
                                               price=99.99)]))
        state: talon_one.IntegrationStateV2 = await api.update_customer_session_v2(
            session_id, request, dry=False, _request_timeout=(2.0, 5.0), _total_timeout=8.0)
        for effect in state.effects:
            print(effect.effect_type, effect.props)
        return talon_one.summarize_effects(state).price_to_pay


async def events(api: AsyncIntegrationApi) -> int:
    body = talon_one.IntegrationEventV2Request(profile_id="p-1", type="pageView", attributes={})
    state = await api.track_event_v2(body, silent="no")
    quiet: Optional[talon_one.IntegrationEventV2Response] = await api.track_event_v2(body)
    print(quiet is None)
    return len(state.effects)


async def with_http_info(api: AsyncIntegrationApi) -> int:
    data, status, headers = await api.get_customer_inventory_with_http_info("p-1", profile=True)
    content_type: Mapping[str, str] = headers
    print(data.profile, content_type.get("Content-Type"))
    balances: talon_one.LoyaltyBalancesWithTiers = await api.get_loyalty_balances_with_http_info(
        5, "p-1", _return_http_data_only=True)
    print(balances.balance)
    nothing, deleted, _ = await api.delete_audience_v2_with_http_info(7)
    assert nothing is None
    return status + deleted


async def entries(api: AsyncIntegrationApi) -> List[str]:
    names: List[str] = []
    pages: AsyncIterator[talon_one.LedgerTransactionLogEntryIntegrationAPI] = talon_one.aiter_pages(
        api.get_loyalty_program_profile_transactions, 125, "URNGV8294NV", page_size=50)
    async for entry in pages:
        names.append(entry.name)
    return names


async def concurrently(client: AsyncApiClient, ids: List[str]) -> List[str]:
    api = AsyncIntegrationApi(client)
    results = await asyncio.gather(*(api.get_customer_session(i) for i in ids))
    return [r.customer_session.integration_id for r in results if r.customer_session is not None]


async def errors(api: AsyncIntegrationApi) -> Optional[int]:
    try:
        await api.get_customer_session("s1")
    except talon_one.ApiTimeoutError as error:
        print(error.limit)
    except talon_one.ApiException as error:
        return error.status
    return None


def main() -> None:
    configuration = talon_one.Configuration(host="http://127.0.0.1:9000",
                                            api_key={"Authorization": "key"})
    print(asyncio.run(checkout(configuration, "s1")))
