"""A tiny HTTP client for the sandbox tests (deliberately not the SDK)."""

import http.client
import json
import re
import socket
from urllib.parse import quote, urlsplit


class Response(object):
    def __init__(self, status, body, headers, raw):
        self.status = status
        self.body = body
        self.headers = headers
        self.raw = raw

    def __repr__(self):
        return '<Response %d %s>' % (self.status, self.raw[:300])


class Client(object):
    def __init__(self, url, api_key):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.api_key = api_key

    def call(self, method, path, body=None, query=None, headers=None, raw=None, auth=True):
        if query:
            path += '?' + '&'.join('%s=%s' % (k, quote(str(v), safe='')) for k, v in query.items())
        payload = raw if raw is not None else (
            None if body is None else json.dumps(body).encode('utf-8'))
        sent = {'Accept': 'application/json'}
        if payload is not None:
            sent['Content-Type'] = 'application/json'
        if auth:
            sent['Authorization'] = 'ApiKey-v1 ' + self.api_key
        sent.update(headers or {})
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=payload, headers=sent)
            response = conn.getresponse()
            data = response.read()
            is_json = response.getheader('Content-Type', '') == 'application/json'
            parsed = json.loads(data) if data and is_json else None
            return Response(response.status, parsed, dict(response.getheaders()), data)
        finally:
            conn.close()

    def get(self, path, **kwargs):
        return self.call('GET', path, **kwargs)

    def put(self, path, body=None, **kwargs):
        return self.call('PUT', path, body=body, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.call('POST', path, body=body, **kwargs)

    def delete(self, path, body=None, **kwargs):
        return self.call('DELETE', path, body=body, **kwargs)

    # -- shortcuts -----------------------------------------------------------
    def session(self, session_id, content=None, query=None, **fields):
        body = {'customerSession': fields}
        if content is not None:
            body['responseContent'] = content
        return self.put('/v2/customer_sessions/' + quote(session_id, safe=''), body, query=query)


def effects_of(response, effect_type=None):
    effects = response.body['effects']
    if effect_type is None:
        return effects
    return [e for e in effects if e['effectType'] == effect_type]


def assert_error(response, status, pointer=None):
    assert response.status == status, response
    assert response.body['StatusCode'] == status
    assert response.body['message']
    error = response.body['errors'][0]
    assert error['title']
    if pointer is not None:
        assert error['source']['pointer'] == pointer, response.body


# -- raw sockets: for requests no HTTP library would send ----------------------

class RawResponse(object):
    """One response read off a socket: status, lower-case headers, body bytes."""

    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body

    @property
    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return '<RawResponse %d %r %s>' % (self.status, self.headers, self.body[:300])


class RawConnection(object):
    """A plain TCP connection to the sandbox: write any bytes, read whole responses."""

    def __init__(self, address, timeout=10.0):
        self.sock = socket.create_connection(address, timeout=timeout)
        self.reader = self.sock.makefile('rb')

    def send(self, data):
        self.sock.sendall(data)
        return self

    def response(self, head_only=False):
        """The next response (None when the server closed the connection first)."""
        status_line = self.reader.readline()
        if not status_line:
            return None
        version, status, reason = status_line.decode('latin-1').rstrip('\r\n').split(' ', 2)
        assert version == 'HTTP/1.1', status_line
        headers = {}
        while True:
            line = self.reader.readline().decode('latin-1').rstrip('\r\n')
            if not line:
                break
            name, _, value = line.partition(':')
            headers[name.strip().lower()] = value.strip()
        length = 0 if head_only else int(headers.get('content-length', '0'))
        body = self.reader.read(length) if length else b''
        return RawResponse(int(status), reason, headers, body)

    def closed_by_server(self):
        """True when the server ends the connection (EOF or reset) before the socket timeout."""
        try:
            return self.reader.read(1) == b''
        except ConnectionResetError:
            return True

    def close(self):
        self.reader.close()
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def raw_request(method, target, api_key=None, body=None, headers=None, version='HTTP/1.1'):
    """The bytes of one request; ``body`` is bytes (JSON-encoded when it is not)."""
    if body is not None and not isinstance(body, bytes):
        body = json.dumps(body).encode('utf-8')
    lines = ['%s %s %s' % (method, target, version), 'Host: sandbox']
    if api_key:
        lines.append('Authorization: ApiKey-v1 ' + api_key)
    if body is not None:
        lines += ['Content-Type: application/json', 'Content-Length: %d' % len(body)]
    lines += ['%s: %s' % pair for pair in (headers or {}).items()]
    return ('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1') + (body or b'')


def assert_json_error(response, status):
    """A raw response in the API's error shape with ``status``."""
    assert response is not None, 'the server closed the connection without an answer'
    assert response.status == status, response
    assert response.headers['content-type'] == 'application/json', response
    body = response.json
    assert body['StatusCode'] == status and body['message'] and body['errors'][0]['title'], body
    return body


# Ids of the example world for every path parameter of the routes.
PATH_VALUES = {'integrationId': 'URNGV8294NV', 'couponValue': 'XMAS-20-2021',
               'loyaltyCardId': 'summer-loyalty-card-0543', 'customerSessionId': '175KJPS947296',
               'audienceId': '748', 'catalogId': '6', 'achievementId': '3'}


def concrete_path(template, **values):
    """A route template (routes.ROUTES) filled with example-world ids; ``values`` win."""
    def value(match):
        name = match.group(1)
        if name in values:
            return values[name]
        if name == 'loyaltyProgramId':
            return '324' if '/cards' in template else '125'     # card routes: the card program
        if name == 'integrationId' and template.startswith('/v3/events/'):
            return 'ADV-EVENT-1'
        return PATH_VALUES[name]
    return re.sub(r'\{(\w+)(?::int)?\}', value, template)
