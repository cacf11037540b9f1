"""Whether a coupon or a referral code can be used: campaign, dates, recipients and limits.

Every check of a code's state lives here, so that the rules (rejection reasons) and the
customer inventory (a coupon's state) cannot disagree.
"""

import datetime
from typing import Optional

from talon_one.sandbox import timeutil
from talon_one.sandbox.documents import Doc
from talon_one.sandbox.engine.context import Context


def is_running(campaign: Doc, now: datetime.datetime) -> bool:
    if campaign.get('state', 'enabled') != 'enabled':
        return False
    start, end = campaign.get('startTime'), campaign.get('endTime')
    if start and timeutil.parse(start) > now:
        return False
    return not (end and timeutil.parse(end) <= now)


def not_started(code: Doc, now: datetime.datetime) -> bool:
    return bool(code.get('startDate')) and timeutil.parse(code['startDate']) > now


def expired(code: Doc, now: datetime.datetime) -> bool:
    return bool(code.get('expiryDate')) and timeutil.parse(code['expiryDate']) <= now


def usage_limit_reached(code: Doc) -> bool:
    """True when a coupon's or referral's ``usageLimit`` (0: none) is used up."""
    return bool(code.get('usageLimit')) and code.get('usageCounter', 0) >= code['usageLimit']


def profile_limit_reached(coupon: Doc, profile_id: str) -> bool:
    """True when a per-profile redemption limit of ``coupon`` is used up by ``profile_id``."""
    used = coupon.get('profileRedemptions', {}).get(profile_id, 0)
    return any(limit.get('action') == 'redeemCoupon' and 'Profile' in limit.get('entities', [])
               and used >= limit['limit'] for limit in coupon.get('limits', []))


def _code_problem(code: Doc, ctx: Context, prefix: str) -> Optional[str]:
    """Campaign and validity-window checks coupons and referrals share; the reason
    names start with ``prefix`` (``Coupon`` / ``Referral``)."""
    campaign = ctx.world.campaigns.get(code['campaignId'])
    if campaign is None or not is_running(campaign, ctx.now):
        return prefix + 'PartOfNotRunningCampaign'
    if ctx.evaluable is not None and campaign['id'] not in ctx.evaluable:
        return prefix + 'PartOfNotTriggeredCampaign'
    if not_started(code, ctx.now):
        return prefix + 'StartDateInFuture'
    if expired(code, ctx.now):
        return prefix + 'Expired'
    return None


def coupon_problem(coupon: Optional[Doc], ctx: Context) -> Optional[str]:
    """The rejection reason of a coupon before conditions, or None."""
    if coupon is None:
        return 'CouponNotFound'
    problem = _code_problem(coupon, ctx, 'Coupon')
    if problem:
        return problem
    recipient = coupon.get('recipientIntegrationId')
    if (recipient or coupon.get('reservationRequired')) and not ctx.profile_id:
        return 'ProfileRequired'
    if recipient and recipient != ctx.profile_id:
        return 'CouponRecipientDoesNotMatch'
    if coupon.get('reservationRequired') and ctx.profile_id not in coupon.get('reservations', []):
        return 'CouponReservationRequired'
    if usage_limit_reached(coupon):
        return 'CouponLimitReached'
    if ctx.profile_id and profile_limit_reached(coupon, ctx.profile_id):
        return 'ProfileLimitReached'
    return None


def referral_problem(referral: Optional[Doc], ctx: Context) -> Optional[str]:
    """The rejection reason of a referral code before conditions, or None."""
    if referral is None:
        return 'ReferralNotFound'
    if ctx.profile_id and referral['advocateProfileIntegrationId'] == ctx.profile_id:
        return 'ReferralRecipientIdSameAsAdvocate'
    problem = _code_problem(referral, ctx, 'Referral')
    if problem:
        return problem
    friend = referral.get('friendProfileIntegrationId')
    if friend and friend != ctx.profile_id:
        return 'ReferralRecipientDoesNotMatch'
    if usage_limit_reached(referral):
        return 'ReferralLimitReached'
    if ctx.profile_id and ctx.profile_id in referral.get('referredCustomers', []):
        return 'ProfileLimitReached'
    return None


def inventory_state(coupon: Doc, profile_id: str, campaign: Optional[Doc],
                    now: datetime.datetime) -> str:
    """InventoryCoupon.state for the profile: a coupon it redeemed that cannot be used
    again (a limit is reached) or that expired after its redemption is ``used``."""
    redeemed = coupon.get('profileRedemptions', {}).get(profile_id, 0)
    if expired(coupon, now):
        return 'used' if redeemed else 'expired'
    if not_started(coupon, now):
        return 'pending'
    if usage_limit_reached(coupon) or profile_limit_reached(coupon, profile_id):
        return 'used'
    if campaign is None or not is_running(campaign, now):
        return 'disabled'
    return 'active'
