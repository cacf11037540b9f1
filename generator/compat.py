"""Facts that keep code written for earlier official releases working (hand-written).

The generator reads only the 2026 document; what 4.0.0 code relies on and that document
no longer says — class names the official SDKs have since renumbered, the constructor order
of 2023, the response classes of operations whose response schema changed — is listed
here. NAMES.md (beside the spec) gives the naming rules these are exceptions to.
"""

from generator import naming

# Schema -> the class name 4.0.0 gave the same response. The official SDKs number their
# InlineResponse* classes over the whole API, so 12.0.0 moved these to other numbers.
EARLIER_CLASS_NAMES = {
    'inline_response_200_1': 'InlineResponse200',     # getReservedCustomers
    'inline_response_200_4': 'InlineResponse2001',    # getLoyaltyCardTransactions
    'inline_response_200_5': 'InlineResponse2002',    # getLoyaltyProgramProfileTransactions
    'inline_response_200_54': 'InlineResponse2003',   # getReservedCoupons (v1, legacy)
}

# 12.0.0's name -> the class it names here, where the name is free (no 4.0.0 class has it).
# 12.0.0's InlineResponse200 and InlineResponse2001..2003 name other responses than 4.0.0's
# and cannot be aliases; the schemas 12.0.0 gives those names take 26.13's class names
# (``x-26.13-class``) instead.
LATER_ALIASES = {
    'InlineResponse2004': 'InlineResponse2001',
    'InlineResponse2005': 'InlineResponse2002',
}

# Response schemas 2026 puts where 4.0.0 returned another class: they subclass it, so that
# code written for 4.0.0 (isinstance checks, annotations) keeps working.
REPLACED_RESPONSES = {
    'IntegrationEventV2Response': 'IntegrationStateV2',            # trackEventV2
    'CustomerProfileIntegrationResponseV2': 'IntegrationStateV2',  # updateCustomerProfileV2
    'LoyaltyBalancesWithTiers': 'LoyaltyBalances',                 # getLoyaltyBalances
    'LoyaltyCardBalances': 'LoyaltyBalances',                      # getLoyaltyCardBalances
    'LoyaltyBalanceWithTier': 'LoyaltyBalance',
}

# Schema -> the order of its properties in 4.0.0, where 2026 inserted new properties
# before them or reordered them. Constructors take these first (4.0.0 code passes some
# positionally), then the properties 2026 added, in the 2026 order.
EARLIER_ORDER = {
    'Campaign': (
        'id', 'created', 'applicationId', 'userId', 'name', 'description', 'startTime', 'endTime',
        'attributes', 'state', 'activeRulesetId', 'tags', 'features', 'couponSettings',
        'referralSettings', 'limits', 'campaignGroups', 'couponRedemptionCount',
        'referralRedemptionCount', 'discountCount', 'discountEffectCount', 'couponCreationCount',
        'customEffectCount', 'referralCreationCount', 'addFreeItemEffectCount',
        'awardedGiveawaysCount', 'createdLoyaltyPointsCount', 'createdLoyaltyPointsEffectCount',
        'redeemedLoyaltyPointsCount', 'redeemedLoyaltyPointsEffectCount', 'callApiEffectCount',
        'reservecouponEffectCount', 'lastActivity', 'updated', 'createdBy', 'updatedBy',
        'templateId',
    ),
    'CardLedgerTransactionLogEntryIntegrationAPI': (
        'created', 'programId', 'cardIdentifier', 'customerSessionId', 'type', 'name', 'startDate',
        'expiryDate', 'subledgerId', 'amount', 'id', 'rulesetId', 'ruleName',
    ),
    'CartItem': (
        'name', 'sku', 'quantity', 'returnedQuantity', 'remainingQuantity', 'price', 'category',
        'weight', 'height', 'width', 'length', 'position', 'attributes', 'additionalCosts',
        'catalogItemID',
    ),
    'CustomerProfileIntegrationRequestV2': (
        'attributes', 'evaluableCampaignIds', 'audiencesChanges', 'responseContent',
    ),
    'CustomerSession': (
        'integrationId', 'created', 'applicationId', 'profileId', 'coupon', 'referral', 'state',
        'cartItems', 'identifiers', 'total', 'attributes', 'firstSession', 'discounts', 'updated',
    ),
    'CustomerSessionV2': (
        'id', 'created', 'integrationId', 'applicationId', 'profileId', 'evaluableCampaignIds',
        'couponCodes', 'referralCode', 'loyaltyCards', 'state', 'cartItems', 'additionalCosts',
        'identifiers', 'attributes', 'firstSession', 'total', 'cartItemTotal',
        'additionalCostTotal', 'updated',
    ),
    'Effect': (
        'campaignId', 'rulesetId', 'ruleIndex', 'ruleName', 'effectType', 'triggeredByCoupon',
        'triggeredForCatalogItem', 'props',
    ),
    'Event': (
        'id', 'created', 'applicationId', 'profileId', 'type', 'attributes', 'sessionId',
        'effects', 'ledgerEntries', 'meta',
    ),
    'IntegrationCoupon': (
        'id', 'created', 'campaignId', 'value', 'usageLimit', 'discountLimit', 'reservationLimit',
        'startDate', 'expiryDate', 'limits', 'usageCounter', 'discountCounter',
        'discountRemainder', 'reservationCounter', 'attributes', 'referralId',
        'recipientIntegrationId', 'importId', 'reservation', 'batchId', 'isReservationMandatory',
        'profileRedemptionCount',
    ),
    'IntegrationEventV2Request': (
        'profileId', 'evaluableCampaignIds', 'type', 'attributes', 'responseContent',
    ),
    'IntegrationStateV2': (
        'customerSession', 'customerProfile', 'event', 'loyalty', 'referral', 'coupons',
        'triggeredCampaigns', 'effects', 'ruleFailureReasons', 'createdCoupons',
        'createdReferrals', 'awardedGiveaways', 'return', 'previousReturns',
    ),
    'InventoryCoupon': (
        'id', 'created', 'campaignId', 'value', 'usageLimit', 'discountLimit', 'reservationLimit',
        'startDate', 'expiryDate', 'limits', 'usageCounter', 'discountCounter',
        'discountRemainder', 'reservationCounter', 'attributes', 'referralId',
        'recipientIntegrationId', 'importId', 'reservation', 'batchId', 'isReservationMandatory',
        'profileRedemptionCount', 'state',
    ),
    'LedgerInfo': (
        'currentBalance', 'pendingBalance', 'expiredBalance', 'spentBalance',
        'tentativeCurrentBalance', 'tentativePendingBalance', 'currentTier', 'pointsToNextTier',
    ),
    'LedgerTransactionLogEntryIntegrationAPI': (
        'created', 'programId', 'customerSessionId', 'type', 'name', 'startDate', 'expiryDate',
        'subledgerId', 'amount', 'id', 'rulesetId', 'ruleName',
    ),
    'LoyaltyCard': (
        'id', 'created', 'programID', 'status', 'identifier', 'usersPerCardLimit', 'profiles',
        'ledger', 'subledgers', 'modified', 'oldCardIdentifier', 'newCardIdentifier',
    ),
    'LoyaltyProgramLedgers': (
        'id', 'title', 'name', 'ledger', 'subLedgers',
    ),
    'NewCustomerSessionV2': (
        'profileId', 'evaluableCampaignIds', 'couponCodes', 'referralCode', 'loyaltyCards',
        'state', 'cartItems', 'additionalCosts', 'identifiers', 'attributes',
    ),
    'NewEvent': (
        'profileId', 'type', 'attributes', 'sessionId',
    ),
}


# Operation -> its query parameters in 4.0.0's order, where 2026 put new ones among them.
# Optional parameters are keywords, so this is the order of the docs and signatures only.
EARLIER_QUERY_ORDER = {
    'getLoyaltyCardTransactions': ('subledgerId', 'startDate', 'endDate', 'pageSize', 'skip'),
    'getLoyaltyProgramProfileTransactions': (
        'subledgerId', 'startDate', 'endDate', 'pageSize', 'skip',
    ),
}


def class_name(schema_name, schema):
    """The class of a schema: 4.0.0's name where it had the schema under another number."""
    if schema_name in EARLIER_CLASS_NAMES:
        return EARLIER_CLASS_NAMES[schema_name]
    name = naming.class_name(schema_name)
    if name in EARLIER_CLASS_NAMES.values():
        return schema['x-26.13-class']
    return name


def ordered(schema_name, api_names, earlier_order=EARLIER_ORDER):
    """``api_names`` (the 2026 order) with 4.0.0's names first, in 4.0.0's order."""
    earlier = [name for name in earlier_order.get(schema_name, ()) if name in api_names]
    return earlier + [name for name in api_names if name not in earlier]
