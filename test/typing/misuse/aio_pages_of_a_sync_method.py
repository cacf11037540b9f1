import talon_one


def pages(api: talon_one.IntegrationApi) -> None:
    talon_one.aiter_pages(api.get_loyalty_program_profile_transactions, 125, "p")  # expect-error
