"""OpenTelemetry for talon_one: which tracer a call uses, if any (opentelemetry-api is optional).

Nothing here imports ``opentelemetry`` until a call is to be traced: with
``Configuration.tracing`` left at None (auto) a call is traced only once a tracer provider
is configured, which means the application has imported ``opentelemetry.trace`` already --
so while ``sys.modules`` has no ``opentelemetry.trace`` the answer is "no tracer", at the
cost of a dict look-up. ``tracing=True`` imports it (no tracer when it is not installed);
``Configuration.tracer_provider`` gives a provider of its own instead of the global one.

The spans (``talon_one._observe`` makes them): one per call, named ``talon_one.<method
name>``, with a CLIENT child span per attempt carrying the attributes of the OpenTelemetry
HTTP client conventions (``http.request.method``, ``url.full`` with credentials masked,
``server.address``, ``server.port``, ``http.response.status_code``,
``http.request.resend_count``, ``error.type``) and the Talon.One ids of the work
(``talon_one.session_id``, ``talon_one.profile_id``) where the call has them.
"""

import functools
import sys
from typing import TYPE_CHECKING, Any, Dict, Tuple

from talon_one.version import __version__

if TYPE_CHECKING:
    from talon_one._configuration import Configuration

__all__ = ['api', 'inject', 'tracer_for']

INSTRUMENTATION = 'talon_one'
_TRACE = 'opentelemetry.trace'

# id(provider) -> (provider, its tracer for talon_one)
_tracers: Dict[int, Tuple[Any, Any]] = {}


class _Api(object):
    """The parts of opentelemetry-api the spans need, imported on first use."""

    def __init__(self) -> None:
        from opentelemetry import propagate, trace
        self.trace = trace
        self.propagate = propagate
        self.INTERNAL = trace.SpanKind.INTERNAL
        self.CLIENT = trace.SpanKind.CLIENT
        self.ERROR = trace.Status(trace.StatusCode.ERROR)
        self.set_span_in_context = trace.set_span_in_context
        self.unconfigured = (trace.ProxyTracerProvider, trace.NoOpTracerProvider)


@functools.lru_cache(maxsize=None)
def api() -> _Api:
    """opentelemetry-api (ImportError when it is not installed; asked again next time)."""
    return _Api()


def tracer_for(configuration: 'Configuration') -> Any:
    """The tracer of ``configuration``'s calls, or None when they are not traced."""
    tracing = configuration._tracing
    if tracing is False:
        return None
    provider = configuration._tracer_provider
    if provider is None:
        if tracing is None and _TRACE not in sys.modules:
            return None           # nobody imported opentelemetry: no provider is configured
        try:
            otel = api()
        except ImportError:
            return None
        provider = otel.trace.get_tracer_provider()
        if tracing is None and isinstance(provider, otel.unconfigured):
            return None
    entry = _tracers.get(id(provider))
    if entry is None or entry[0] is not provider:
        entry = _tracers[id(provider)] = (provider,
                                          provider.get_tracer(INSTRUMENTATION, __version__))
    return entry[1]


def inject(headers: Dict[str, str], span: Any) -> None:
    """Put the trace context of ``span`` (None: the current one) in ``headers`` (W3C
    ``traceparent``/``tracestate``, or whatever propagators the application configured)."""
    try:
        otel = api()
    except ImportError:
        return
    context = None if span is None else otel.set_span_in_context(span)
    otel.propagate.inject(headers, context=context)
