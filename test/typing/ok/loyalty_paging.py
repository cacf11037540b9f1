"""Loyalty balances, cards and paging through transactions."""
import datetime
from typing import List

import talon_one


def points(api: talon_one.IntegrationApi, program_id: int, profile_id: str) -> float:
    balances = api.get_loyalty_balances(program_id, profile_id, end_date=datetime.datetime(2024, 1, 1))
    if balances.balance is not None and balances.balance.active_points is not None:
        return balances.balance.active_points
    return 0.0


def history(api: talon_one.IntegrationApi, program_id: int, profile_id: str) -> List[str]:
    names: List[str] = []
    for entry in talon_one.iterate_pages(api.get_loyalty_program_profile_transactions,
                                         program_id, profile_id, page_size=50):
        names.append("%s %s" % (entry.created, entry.amount))
    for card_entry in talon_one.iterate_pages(api.get_loyalty_card_transactions, program_id, "CARD-1"):
        names.append(card_entry.name)
    return names


def link(api: talon_one.IntegrationApi, program_id: int) -> str:
    card = api.link_loyalty_card_to_profile(
        program_id, "CARD-1", talon_one.LoyaltyCardRegistration(integration_id="p-1"))
    return card.identifier
