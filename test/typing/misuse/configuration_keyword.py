import talon_one

talon_one.Configuration(hots="https://example.talon.one")  # expect-error
