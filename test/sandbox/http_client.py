"""A tiny HTTP client for the sandbox tests (deliberately not the SDK)."""

import http.client
import json
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
            parsed = json.loads(data) if data else None
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
