import talon_one

api = talon_one.IntegrationApi()
state = api.get_customer_session("175KJPS947296")
summary = talon_one.summarize_effects(state)
print([change.new_tier for change in summary.loyalty.tier_changes])  # expect-error
