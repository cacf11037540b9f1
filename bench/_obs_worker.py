"""One side of bench_observability.py: S2 calls (a small session update) in timed slices.

    python bench/_obs_worker.py TREE URL MODE [PROCESSOR [API_KEY]]

imports ``talon_one`` from TREE (this checkout, or a ``git archive`` of another revision),
then answers each line ``SECONDS`` on stdin with ``CALLS CPU WALL`` after making S2 calls
for that long (wall clock) against URL: CPU is the process's CPU time meanwhile (all its
threads), which other processes on a busy machine do not inflate the way they do wall time.

MODE: ``plain`` (no hook, no tracer), ``otel`` (the OpenTelemetry SDK's TracerProvider with
a no-op exporter; PROCESSOR ``simple`` or ``batch``), ``otel-by-hand`` (tracing off, the
same two spans made around each call with the OpenTelemetry API: the SDK's own cost),
``otel-imported`` (opentelemetry imported, no provider configured), ``hook`` (a response
hook that counts).
"""

import gc
import sys
import time

TREE, URL, MODE = sys.argv[1:4]
PROCESSOR = sys.argv[4] if len(sys.argv) > 4 else 'simple'
API_KEY = sys.argv[5] if len(sys.argv) > 5 else 'bench-key'
sys.path.insert(0, TREE)

import talon_one  # noqa: E402

assert talon_one.__file__.startswith(TREE), (talon_one.__file__, TREE)

settings = {'host': URL, 'api_key': {'Authorization': API_KEY}}
by_hand = None
if MODE in ('otel', 'otel-by-hand'):
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import (BatchSpanProcessor, SimpleSpanProcessor,
                                                SpanExporter, SpanExportResult)

    class NoOpExporter(SpanExporter):
        def export(self, spans):
            return SpanExportResult.SUCCESS

    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(NoOpExporter()) if PROCESSOR == 'simple'
                                else BatchSpanProcessor(NoOpExporter()))
    if MODE == 'otel':
        settings['tracer_provider'] = provider
    else:
        # The same two spans (names, kinds, attributes, parent) made directly with the
        # OpenTelemetry API around an untraced call: what the SDK itself costs.
        from opentelemetry import trace
        tracer = provider.get_tracer('by-hand')
        url = URL + '/v2/customer_sessions/small'
        port = int(URL.rsplit(':', 1)[1])

        def by_hand(call):
            span = tracer.start_span('talon_one.update_customer_session_v2',
                                     kind=trace.SpanKind.INTERNAL,
                                     attributes={'talon_one.session_id': 'small',
                                                 'talon_one.profile_id': 'URNGV8294NV'})
            attempt = tracer.start_span(
                'PUT', context=trace.set_span_in_context(span), kind=trace.SpanKind.CLIENT,
                attributes={'http.request.method': 'PUT', 'url.full': url,
                            'server.address': '127.0.0.1', 'server.port': port})
            result = call()
            attempt.set_attribute('http.response.status_code', 200)
            attempt.end()
            span.end()
            return result
elif MODE == 'otel-imported':
    import opentelemetry.trace  # noqa: F401
elif MODE == 'hook':
    seen = []
    settings['hooks'] = {'response': lambda event: seen.append(event.status)}
elif MODE != 'plain':
    raise SystemExit('unknown mode %r' % MODE)

api = talon_one.IntegrationApi(talon_one.ApiClient(talon_one.Configuration(**settings)))


def s2():
    return by_hand(update) if by_hand is not None else update()


def update():
    """S2: a small session update (3 cart items; 3 items and 5 effects back), a few reads."""
    session = talon_one.NewCustomerSessionV2(
        profile_id='URNGV8294NV', coupon_codes=['XMAS-20-2021'],
        cart_items=[talon_one.CartItem(name='Item %d' % i, sku='SKU-%d' % i, quantity=1,
                                       price=10.0) for i in range(3)])
    state = api.update_customer_session_v2('small',
                                           talon_one.IntegrationRequest(customer_session=session))
    total = 0.0
    for item in state.effects:
        if item.effect_type == 'setDiscountPerItem':
            total += item.props['value']
    return total, len(state.customer_session.cart_items), state.customer_session.state


for _ in range(50):
    s2()            # warm: connections, lazy modules, caches
print('ready', flush=True)
for line in sys.stdin:
    seconds = float(line)
    gc.collect()
    started = time.perf_counter()
    cpu = time.process_time()
    stop = started + seconds
    calls = 0
    while True:
        s2()
        calls += 1
        now = time.perf_counter()
        if now >= stop:
            break
    print(calls, time.process_time() - cpu, now - started, flush=True)
