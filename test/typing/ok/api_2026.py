# mypy: disallow-any-expr
"""The operations and summary fields 2026 added, used the way their docs show."""
import datetime
from typing import List, Optional, Tuple

import talon_one


def best_prices(api: talon_one.IntegrationApi, skus: List[str]) -> List[Tuple[str, float]]:
    request = talon_one.BestPriorPriceRequest(
        skus=skus, timeframe_end_date=datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc),
        timeframe="30", target=talon_one.BestPriorTarget(target_type="audience", audience_id=748))
    prices: List[Tuple[str, float]] = []
    for price in api.best_prior_price(request):
        observed: datetime.datetime = price.observed_at
        print(observed, price.context_id)
        prices.append((price.sku, price.price))
    return prices


def advanced_event(api: talon_one.IntegrationApi) -> Optional[int]:
    body = talon_one.IntegrationEventV3Request(
        profile_id="URNGV8294NV", type="pageViewed", integration_id="EVT-1",
        loyalty_cards=["CARD-1234"], response_content=["triggeredCampaigns", "loyalty"])
    response: talon_one.IntegrationEventV3Response = api.track_event_v3(
        body, silent="no", dry=True, force_complete_evaluation=False)
    campaign_names = [campaign.name for campaign in response.triggered_campaigns or []]
    print(campaign_names)
    event: talon_one.EventV3 = api.get_event_v3("EVT-1")
    created: Optional[datetime.datetime] = event.created
    print(created, event.type, event.connected_session_id)
    return event.id


def loyalty(api: talon_one.IntegrationApi, program_id: int) -> List[str]:
    card: talon_one.LoyaltyCard = api.generate_loyalty_card(
        program_id, talon_one.GenerateLoyaltyCard(status="active", customer_profile_ids=["p-1"]))
    activated = api.activate_loyalty_points(
        program_id, talon_one.ActivateLoyaltyPoints(session_id="175KJPS947296"))
    joined: None = api.join_loyalty_program(program_id, "p-1")
    print(joined, len(activated.ledger_entries or []))
    points = api.get_loyalty_card_points(
        program_id, card.identifier, status="active", subledger_id=["sub-1", "sub-2"],
        page_size=50, sort="-expiryDate")
    lines: List[str] = []
    for entry in points.data:
        amount: float = entry.amount
        lines.append("%s %s %s" % (entry.transaction_uuid, amount, entry.expiry_date))
    if points.has_more:
        lines.append("more")
    return lines


def campaigns_and_achievements(api: talon_one.IntegrationApi, profile_id: str) -> List[str]:
    names: List[str] = []
    page = api.integration_get_all_campaigns(
        page_size=10, campaign_ids=["1", "2"],
        start_after=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))
    for campaign in page.data:
        names.append(campaign.name)
        start: Optional[datetime.datetime] = campaign.start_time
        print(start, campaign.tags, campaign.features)
    achievements = api.get_customer_achievements(
        profile_id, campaign_ids="1", achievement_status=["active"], page_size=5)
    for entry in achievements.data:
        progress = entry.current_progress
        if progress is not None:
            names.append("%s %s/%s" % (entry.name, progress.progress, entry.target))
    return names


def summary_of_session(api: talon_one.IntegrationApi) -> List[str]:
    state = api.update_customer_session_v2(
        "175KJPS947296", talon_one.IntegrationRequest(
            customer_session=talon_one.NewCustomerSessionV2(profile_id="URNGV8294NV")))
    summary = talon_one.summarize_effects(state)
    lines: List[str] = []
    for change in summary.loyalty.tier_changes:
        previous: Optional[str] = change.previous_tier_name
        lines.append("%s: %s -> %s" % (change.subledger_id, previous, change.new_tier_name))
    for achievement in summary.achievements:
        done: bool = achievement.just_completed
        lines.append("%s %s %s" % (achievement.achievement_name, achievement.value, done))
    for audience in summary.audiences:
        lines.append("%s %s %s" % (audience.direction, audience.audience_id,
                                   audience.audience_name))
    return lines
