"""A sandbox world whose rules produce every effect type the sandbox knows.

Used by test/sandbox/test_effect_types.py (raw HTTP) and test/test_sandbox_effects.py
(through the SDK). The numbers below are chosen so each effect's values are easy to
work out by hand; the comments give them.
"""

import copy

PROFILE = 'EFFECTS-PROFILE'          # 100 active points in program 7; holds card CARD-1
ADVOCATE = 'EFFECTS-ADVOCATE'        # advocate of referral REF-1
COUPON = 'ALL-EFFECTS'               # campaign 1: the coupon behind most effects
WALLET_COUPON = 'WALLET-1'           # campaign 1 reserves it for the profile by name
REFERRAL = 'REF-1'                   # campaign 3
CARD = 'CARD-1'                      # card program 8
SHIPPING_COST_ID = 11
PACKAGING_COST_ID = 12

# Shoes 2 x 50 with packaging 3 per unit, socks 1 x 10; shipping 6.
CART = [
    {'name': 'Shoe', 'sku': 'SHOE', 'quantity': 2, 'price': 50.0, 'category': 'shoes',
     'attributes': {'color': 'red'},
     'additionalCosts': {'packaging': {'price': 3.0}}},
    {'name': 'Socks', 'sku': 'SOCKS', 'quantity': 1, 'price': 10.0, 'category': 'socks'},
]
ADDITIONAL_COSTS = {'shipping': {'price': 6.0}}
# cart item total 110, additional costs 6 + 2 x 3 = 12, total 122

_WORLD = {
    'application': {'id': 3, 'name': 'Effects shop', 'currency': 'EUR',
                    'apiKey': 'effects-api-key'},
    'additionalCosts': [
        {'id': SHIPPING_COST_ID, 'name': 'shipping', 'title': 'Shipping', 'type': 'session'},
        {'id': PACKAGING_COST_ID, 'name': 'packaging', 'title': 'Packaging', 'type': 'item'},
    ],
    'campaigns': [
        {'id': 1, 'name': 'Everything with a coupon', 'rules': [
            {'title': 'Coupon rule', 'conditions': [{'type': 'couponValid'}], 'effects': [
                {'type': 'setDiscount', 'name': '10% off', 'percent': 10},            # 11
                {'type': 'setDiscountPerItem', 'name': 'Shoe 5 off', 'sku': 'SHOE',
                 'value': 5},                                                           # 10
                {'type': 'setDiscountPerAdditionalCost', 'name': 'Free shipping',
                 'additionalCost': 'shipping', 'percent': 100},                        # 6
                {'type': 'setDiscountPerAdditionalCostPerItem', 'name': 'Half packaging',
                 'additionalCost': 'packaging', 'percent': 50},                        # 3
                {'type': 'addFreeItem', 'sku': 'GIFT', 'name': 'Free gift'},
                {'type': 'showNotification', 'title': 'Hello', 'body': 'All effects',
                 'notificationType': 'warning'},
                {'type': 'customEffect', 'effectId': 4, 'name': 'confetti',
                 'payload': {'colors': ['red', 'gold'], 'big': True}},
                {'type': 'reserveCoupon'},
                {'type': 'reserveCoupon', 'couponValue': WALLET_COUPON},
                {'type': 'showBundleMetadata', 'description': 'Red things',
                 'bundleAttributes': ['color'], 'category': 'shoes'},
                {'type': 'triggerWebhook', 'webhookId': 9, 'webhookName': 'order-hook'},
                {'type': 'error', 'message': 'rule 0 of campaign 1 reports a problem'},
                {'type': 'updateAttribute', 'path': 'profile.Tier', 'value': 'gold'},
                {'type': 'updateAttribute', 'path': 'session.Gift',
                 'value': {'wrapped': True}},
                {'type': 'addLoyaltyPoints', 'programId': 7, 'value': 12,
                 'name': 'Coupon points'},
                {'type': 'addLoyaltyPoints', 'programId': 8, 'value': 3, 'name': 'Card points'},
                {'type': 'deductLoyaltyPoints', 'programId': 7, 'value': 40,
                 'name': 'Points spent'},
                {'type': 'awardGiveaway', 'poolId': 5},
                {'type': 'couponCreated', 'pattern': 'NEXT-####', 'usageLimit': 1,
                 'expiryDays': 30},
                {'type': 'referralCreated', 'pattern': 'FRIEND-####'},
            ]},
        ]},
        {'id': 3, 'name': 'Referrals', 'rules': [
            {'title': 'Referred friend', 'conditions': [{'type': 'referralValid'}], 'effects': [
                {'type': 'redeemReferral'},
                {'type': 'setDiscount', 'name': 'Friend 2 off', 'value': 2},
            ]},
        ]},
        {'id': 5, 'name': '2026 effects', 'rules': [
            {'title': 'Shoe buyer', 'conditions': [{'type': 'cartItem', 'sku': 'SHOE'}],
             'effects': [
                 {'type': 'addToAudience', 'audienceId': 21},
                 {'type': 'removeFromAudience', 'audienceId': 22},
                 {'type': 'increaseAchievementProgress', 'achievementId': 31, 'value': 2},
                 # Program 7: Gold for 30 days; the 100 points expire 30 days later, then
                 # in 60 days from now.
                 {'type': 'changeLoyaltyTierLevel', 'programId': 7, 'tierName': 'Gold',
                  'expiryDays': 30},
                 {'type': 'extendLoyaltyPointsExpiryDate', 'programId': 7,
                  'extensionDuration': '30D'},
                 {'type': 'setLoyaltyPointsExpiryDate', 'programId': 7, 'expiryDays': 60},
             ]},
        ]},
        {'id': 4, 'name': 'Profile updates', 'rules': [
            {'title': 'Profile tier', 'conditions': [
                {'type': 'eventType', 'value': 'talon_profile_updated'},
                {'type': 'profileAttribute', 'name': 'Vip', 'op': '==', 'value': True}],
             'effects': [{'type': 'updateAttribute', 'path': 'profile.Tier',
                          'value': 'platinum'}]},
        ]},
    ],
    # Shoe orders: 2 of 6 each (rolled back on cancel).
    'achievements': [{'id': 31, 'name': 'ShoeFan', 'campaignId': 5, 'target': 6}],
    # The profile joins 21 and leaves 22 when it orders shoes.
    'audiences': [{'id': 21, 'name': 'Shoe buyers'},
                  {'id': 22, 'name': 'Browsers', 'members': [PROFILE]}],
    'coupons': [
        {'value': COUPON, 'campaignId': 1},
        {'value': WALLET_COUPON, 'campaignId': 1},
    ],
    'referrals': [
        {'code': REFERRAL, 'campaignId': 3, 'advocateProfileIntegrationId': ADVOCATE},
    ],
    'loyaltyPrograms': [
        {'id': 7, 'name': 'points', 'title': 'Points', 'expiryDays': 365,
         'tiers': [{'name': 'Silver', 'minPoints': 0}, {'name': 'Gold', 'minPoints': 1000}]},
        {'id': 8, 'name': 'card', 'title': 'Card', 'cardBased': True},
    ],
    'loyaltyCards': [{'identifier': CARD, 'programId': 8, 'profiles': [PROFILE]}],
    'loyaltyTransactions': [
        {'programId': 7, 'profileId': PROFILE, 'amount': 100, 'createdDaysAgo': 3},
    ],
    'giveawayPools': [{'id': 5, 'name': 'Gift codes', 'codes': ['GIFT-A', 'GIFT-B']}],
    'profiles': [{'integrationId': PROFILE, 'attributes': {'Name': 'Eve'}}],
}


def effects_world():
    """A fresh copy (tests may change it)."""
    return copy.deepcopy(_WORLD)


def session_body(state='open', **extra):
    """The customerSession that triggers campaigns 1 and 3."""
    body = {'profileId': PROFILE, 'couponCodes': [COUPON, 'NO-SUCH-COUPON'],
            'referralCode': REFERRAL, 'loyaltyCards': [CARD], 'cartItems': copy.deepcopy(CART),
            'additionalCosts': copy.deepcopy(ADDITIONAL_COSTS), 'state': state}
    body.update(extra)
    return body
