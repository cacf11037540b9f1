"""The README quickstart, as written there."""
import talon_one

configuration = talon_one.Configuration(host="https://yourbaseurl.talon.one", api_key={"Authorization": "YOUR_API_KEY"})
with talon_one.ApiClient(configuration) as api_client:
    api = talon_one.IntegrationApi(api_client)
    session = talon_one.NewCustomerSessionV2(profile_id="URNGV8294NV", coupon_codes=["XMAS-20-2021"],
        cart_items=[talon_one.CartItem(name="Air Glide", sku="SKU1241028", quantity=1, price=99.99)])
    state = api.update_customer_session_v2("session-1", talon_one.IntegrationRequest(customer_session=session))
    for effect in state.effects:
        print(effect.effect_type, effect.props)
