"""Coupon reservations and referrals, with request timeouts per call."""
from typing import Any, Dict

import talon_one


def reserve(api: talon_one.IntegrationApi, code: str) -> str:
    coupon = api.create_coupon_reservation(code, talon_one.CouponReservations(integration_i_ds=["p-1"]),
                                           _request_timeout=(1, 3))
    customers = api.get_reserved_customers(code, _request_timeout=5)
    for profile in customers.data:
        print(profile.integration_id)
    api.delete_coupon_reservation(code, talon_one.CouponReservations(integration_i_ds=["p-1"]))
    return coupon.value


def refer(api: talon_one.IntegrationApi) -> str:
    referral = api.create_referral(talon_one.NewReferral(campaign_id=1, advocate_profile_integration_id="p-1"))
    many = api.create_referrals_for_multiple_advocates(
        talon_one.NewReferralsForMultipleAdvocates(campaign_id=1, advocate_profile_integration_ids=["a", "b"]),
        silent="no")
    print(many.data)
    return referral.code


def legacy(client: talon_one.ApiClient, props: Dict[str, Any]) -> float:
    discount = client.deserialize_model(props, talon_one.SetDiscountEffectProps)
    return discount.value
