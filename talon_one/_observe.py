"""What a call tells the outside while it runs: the hooks' events and the OpenTelemetry spans.

``talon_one._calls.CallState`` makes one :class:`Observer` per call when the configuration
asks for any of it (``start`` returns None otherwise, and the call pays nothing more), and
both transports report to it at the same points:

- ``attempt(request)`` before each attempt is sent (a retry, a redirect): the ``request``
  hook, the attempt's span, the trace context in the request's headers when
  ``Configuration.propagate_trace_context`` is on;
- ``response(status, headers, started)`` when an attempt has its answer, ``failed(error)``
  when it has none (a timeout, a broken connection): the attempt's span ends;
- ``retry(reason, wait)`` when the call tries again: the ``retry`` hook;
- the call's span ends when the transport leaves ``with observer:`` (with the call's
  exception, if it raised one).
"""

import time
from typing import TYPE_CHECKING, Any, Dict, FrozenSet, Mapping, Optional, Type, cast

from talon_one import _hooks, _tracing

if TYPE_CHECKING:
    from types import TracebackType

    from talon_one._configuration import Configuration
    from talon_one._request import PreparedRequest, RequestOptions

__all__ = ['Observer', 'start']

# Path parameters (by their Python names) and body fields that name the work of a call.
_SESSION_PARAMS = ('customer_session_id',)
_PROFILE_PARAMS = ('integration_id',)


def start(configuration: 'Configuration', request: 'PreparedRequest',
          options: 'RequestOptions') -> Optional['Observer']:
    """The observer of a call, or None when there are no hooks, no tracing, no propagation."""
    hooks = configuration._hook_functions
    tracer = _tracing.tracer_for(configuration)
    propagate = configuration._propagate_trace_context
    if hooks is None and tracer is None and not propagate:
        return None
    return Observer(configuration, request, options, hooks, tracer, propagate)


class Observer(object):
    """One call's hooks and spans (see the module's docstring)."""

    __slots__ = ('request_hook', 'response_hook', 'retry_hook', 'tracer', 'propagate',
                 'operation', 'request', 'secret', 'span', 'attempt_span', 'attempts',
                 'parent')

    def __init__(self, configuration: 'Configuration', request: 'PreparedRequest',
                 options: 'RequestOptions', hooks: _hooks.HookFunctions, tracer: Any,
                 propagate: bool) -> None:
        self.request_hook, self.response_hook, self.retry_hook = hooks or (None, None, None)
        self.tracer = tracer
        self.propagate = propagate
        operation = options.operation
        self.operation: Optional[str] = operation[0].name if operation is not None else None
        self.request = request
        # The credential header names, for the events' copies of the headers.
        self.secret: FrozenSet[str] = (_secret_headers(configuration, options)
                                       if hooks is not None else frozenset())
        self.attempt_span: Any = None
        self.attempts = 0
        self.span: Any = None
        self.parent: Any = None
        if tracer is not None:
            self.span = self._call_span(operation)

    # -- the call ------------------------------------------------------------------------

    def _call_span(self, operation: Any) -> Any:
        """The call's span: named after the operation, with the ids of its work (the HTTP
        attributes are on the attempts' spans: each attribute costs the SDK time)."""
        otel = _tracing.api()
        if operation is None:
            return self.tracer.start_span('talon_one.request', kind=otel.INTERNAL)
        endpoint, values = operation
        return self.tracer.start_span('talon_one.' + endpoint.name, kind=otel.INTERNAL,
                                      attributes=_work_ids(values))

    def __enter__(self) -> 'Observer':
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]],
                 exc_value: Optional[BaseException],
                 traceback: Optional['TracebackType']) -> None:
        span = self.span
        if self.attempt_span is not None:     # the attempt did not finish (cancelled, a bug)
            self._end_attempt(None, exc_value)
        if span is None:
            return
        if exc_value is not None:
            span.set_attribute('error.type', _error_type(exc_value))
            span.set_status(_tracing.api().ERROR)
            if isinstance(exc_value, Exception):   # (not for a cancellation)
                span.record_exception(exc_value)
        span.end()

    # -- attempts ------------------------------------------------------------------------

    def attempt(self, request: 'PreparedRequest') -> None:
        """Attempt ``self.attempts + 1`` is about to send ``request``."""
        self.request = request
        self.attempts += 1
        span = self.span
        # (a call span the sampler dropped gets no attempt spans: its context is propagated)
        if span is not None and span.is_recording():
            otel = _tracing.api()
            attributes = {'http.request.method': request.method,
                          'url.full': request.shown_url,
                          'server.address': request.host,
                          'server.port': request.port or (443 if request.scheme == 'https'
                                                          else 80)}
            if self.attempts > 1:
                attributes['http.request.resend_count'] = self.attempts - 1
            if self.parent is None:
                self.parent = otel.set_span_in_context(self.span)
            span = self.attempt_span = self.tracer.start_span(
                request.method, context=self.parent, kind=otel.CLIENT, attributes=attributes)
        if self.propagate:
            _tracing.inject(request.headers, span)
        hook = self.request_hook
        if hook is not None:
            _hooks.emit('request', hook, _hooks.RequestEvent(
                self.operation, request.method, request.shown_url,
                _hooks.masked_headers(request.headers, self.secret), self.attempts))

    def response(self, status: int, headers: Mapping[str, str], started: float) -> None:
        """The attempt has its answer (``started``: when it began, monotonic)."""
        if self.attempt_span is not None:
            self._end_attempt(status, None)
        hook = self.response_hook
        if hook is not None:
            request = self.request
            _hooks.emit('response', hook, _hooks.ResponseEvent(
                self.operation, request.method, request.shown_url, status,
                _hooks.masked_headers(headers, self.secret), time.monotonic() - started,
                self.attempts))

    def failed(self, error: BaseException) -> None:
        """The attempt ended without an answer."""
        if self.attempt_span is not None:
            self._end_attempt(None, error)

    def retry(self, reason: str, wait: float) -> None:
        """The call tries again in ``wait`` seconds."""
        if self.span is not None:
            self.span.add_event('retry', {'talon_one.retry.reason': reason,
                                          'talon_one.retry.wait': wait})
        hook = self.retry_hook
        if hook is not None:
            request = self.request
            _hooks.emit('retry', hook, _hooks.RetryEvent(
                self.operation, request.method, request.shown_url, reason, wait,
                self.attempts))

    def _end_attempt(self, status: Optional[int], error: Optional[BaseException]) -> None:
        span, self.attempt_span = self.attempt_span, None
        if status is not None:
            span.set_attribute('http.response.status_code', status)
            if status >= 400:
                span.set_attribute('error.type', str(status))
                span.set_status(_tracing.api().ERROR)
        elif error is not None:
            span.set_attribute('error.type', _error_type(error))
            span.set_status(_tracing.api().ERROR)
        span.end()


def _error_type(error: BaseException) -> str:
    """``error.type``: the status of an HTTP error, else the exception's class name."""
    status = getattr(error, 'status', None)
    if isinstance(status, int) and status >= 400:
        return str(status)
    return type(error).__name__


def _secret_headers(configuration: 'Configuration',
                    options: 'RequestOptions') -> FrozenSet[str]:
    """Header names (lower case) of the credentials this call may carry."""
    names = {name.lower() for name in configuration.api_key}
    request_auth = options.request_auth
    if request_auth and request_auth.get('in') == 'header' and request_auth.get('key'):
        names.add(str(request_auth['key']).lower())
    return frozenset(names)


def _work_ids(values: Mapping[str, Any]) -> Dict[str, str]:
    """(``talon_one.session_id``/``talon_one.profile_id``, id) of the call's values: path
    parameters first, then the profile a body names (a session update, an event)."""
    found: Dict[str, str] = {}
    for name in _SESSION_PARAMS:
        if values.get(name) is not None:
            found['talon_one.session_id'] = str(values[name])
    for name in _PROFILE_PARAMS:
        if values.get(name) is not None:
            found['talon_one.profile_id'] = str(values[name])
    if 'talon_one.profile_id' not in found:
        profile = _body_profile(values.get('body'))
        if profile is not None:
            found['talon_one.profile_id'] = profile
    return found


def _body_profile(body: Any) -> Optional[str]:
    """The ``profileId`` of a body (a model or a dict), or of its ``customerSession``."""
    if body is None:
        return None
    for holder in (body, _field(body, 'customer_session', 'customerSession')):
        profile = _field(holder, 'profile_id', 'profileId')
        if isinstance(profile, (str, int)) and not isinstance(profile, bool) and profile != '':
            return str(profile)
    return None


def _field(value: Any, attr: str, wire: str) -> Any:
    if value is None:
        return None
    if isinstance(value, dict):
        mapping = cast('Dict[str, Any]', value)
        return mapping.get(wire, mapping.get(attr))
    try:
        return getattr(value, attr, None) if attr in getattr(value, 'openapi_types', ()) \
            else None
    except Exception:  # an odd body: no id rather than a broken call
        return None
