import talon_one
from talon_one.hooks import RetryEvent


def on_retry(event: RetryEvent) -> None:
    print(event.wait)


talon_one.Configuration(hooks={"response": on_retry})  # expect-error
