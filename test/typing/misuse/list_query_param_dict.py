import talon_one

api = talon_one.IntegrationApi()
api.get_loyalty_card_points(125, "CARD-1234", subledger_id={"subledger": "sub-1"})  # expect-error
