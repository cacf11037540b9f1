"""*_with_http_info: (data, status, headers), and the data alone on request."""
from typing import Mapping

import talon_one


def inventory_status(api: talon_one.IntegrationApi) -> int:
    data, status, headers = api.get_customer_inventory_with_http_info("p-1", profile=True, coupons=True)
    content_type: Mapping[str, str] = headers
    print(data.profile, content_type.get("Content-Type"))
    if data.coupons is not None:
        for coupon in data.coupons:
            print(coupon.value)
    return status


def deleted(api: talon_one.IntegrationApi, audience_id: int) -> int:
    nothing, status, _ = api.delete_audience_v2_with_http_info(audience_id)
    assert nothing is None
    return status


def only_data(api: talon_one.IntegrationApi) -> talon_one.LoyaltyBalances:
    return api.get_loyalty_balances_with_http_info(5, "p-1", _return_http_data_only=True)
