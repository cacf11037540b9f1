import talon_one

client = talon_one.ApiClient()
client.with_options(max_retry=0)  # expect-error
