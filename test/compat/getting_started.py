"""The "Getting Started / Integration API" flow of the official SDK's README, written out in
this project's own code: the same calls, in the same shapes, with only the host and the key
coming from the environment (TALON_ONE_HOST, TALON_ONE_API_KEY)."""

from __future__ import print_function

import json
import os

import talon_one
from talon_one.rest import ApiException

# Configure the host and the API key.
configuration = talon_one.Configuration()
configuration.host = os.environ['TALON_ONE_HOST']
configuration.api_key['Authorization'] = os.environ['TALON_ONE_API_KEY']
configuration.api_key_prefix['Authorization'] = 'ApiKey-v1'

# The API instance, without a `with` block.
integration_api = talon_one.IntegrationApi(talon_one.ApiClient(configuration))

customer_session_id = 'getting-started-session'

# A session for a profile, given positionally; cart items and coupon codes set afterwards.
customer_session = talon_one.NewCustomerSessionV2('URNGV8294NV')
customer_session.cart_items = [
    talon_one.CartItem(name='Hawaiian Pizza', sku='piz-hw-001', quantity=1, price=50),
    talon_one.CartItem(name='Pizza Margherita', sku='piz-mg-002', quantity=2, price=25),
]
customer_session.coupon_codes = ['XMAS-20-2021', 'NO-SUCH-COUPON']

integration_request = talon_one.IntegrationRequest(customer_session)

try:
    api_response = integration_api.update_customer_session_v2(customer_session_id,
                                                              integration_request)
    print(json.dumps(api_response.to_dict(), indent=4, default=str))

    for effect in api_response.effects:
        if effect.effect_type == 'setDiscount':
            set_discount_props = integration_api.api_client.deserialize_model(
                effect.props, talon_one.SetDiscountEffectProps)
            print('DISCOUNT %s %s' % (set_discount_props.name, set_discount_props.value))
        elif effect.effect_type == 'rejectCoupon':
            reject_coupon_props = integration_api.api_client.deserialize_model(
                effect.props, talon_one.RejectCouponEffectProps)
            print('REJECTED %s %s' % (reject_coupon_props.value,
                                      reject_coupon_props.rejection_reason))
except ApiException as e:
    print('Exception when calling IntegrationApi->update_customer_session_v2: %s\n' % e)
