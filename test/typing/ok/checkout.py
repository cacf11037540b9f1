"""A checkout: profile, cart with a coupon, the discounts, then closing the session."""
from typing import List, Optional

import talon_one
from talon_one.effects import effect_props, effects_of_type


def total_discount(state: talon_one.IntegrationStateV2) -> float:
    total = 0.0
    for effect in effects_of_type(state.effects, "setDiscount"):
        total += effect_props(effect).value
    for item_effect in effects_of_type(state.effects, "setDiscountPerItem"):
        total += effect_props(item_effect).value
    return total


def rejected_coupons(state: talon_one.IntegrationStateV2) -> List[str]:
    reasons: List[str] = []
    for effect in effects_of_type(state.effects, "rejectCoupon"):
        props = effect_props(effect)
        reasons.append("%s: %s" % (props.value, props.rejection_reason))
    return reasons


def checkout(api: talon_one.IntegrationApi, session_id: str, profile_id: str,
             coupon: Optional[str]) -> float:
    profile = talon_one.CustomerProfileIntegrationRequestV2(attributes={"Name": "Ada"})
    api.update_customer_profile_v2(profile_id, profile, run_rule_engine=True)

    items = [talon_one.CartItem(name="Shoe", sku="SKU-1", quantity=2, price=49.5),
             talon_one.CartItem(name="Sock", sku="SKU-2", quantity=1, price=5.0)]
    session = talon_one.NewCustomerSessionV2(profile_id=profile_id, cart_items=items)
    if coupon is not None:
        session.coupon_codes = [coupon]
    session.additional_costs = {"shipping": talon_one.AdditionalCost(price=4.9)}
    request = talon_one.IntegrationRequest(customer_session=session,
                                           response_content=["customerSession", "customerProfile"])
    state = api.update_customer_session_v2(session_id, request, dry=False)
    discount = total_discount(state)
    for reason in rejected_coupons(state):
        print("rejected:", reason)
    if state.customer_session is not None:
        print("state:", state.customer_session.state)

    session.state = "closed"
    closed = api.update_customer_session_v2(session_id, talon_one.IntegrationRequest(customer_session=session))
    for coupon_entity in closed.created_coupons:
        print("new coupon", coupon_entity.value)
    return discount


def main() -> None:
    configuration = talon_one.Configuration(host="http://127.0.0.1:9000", api_key={"Authorization": "k"},
                                            timeout=(2.0, 5.0), max_retries=1)
    configuration.debug = True
    with talon_one.ApiClient(configuration) as client:
        print(checkout(talon_one.IntegrationApi(client), "s-1", "p-1", "XMAS"))


if __name__ == "__main__":
    main()
