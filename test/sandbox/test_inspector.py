"""The inspector page (GET /_sandbox/): access, contents, escaping, and a real browser."""

import html
import io
import os
import re
import shutil
import subprocess
import tempfile

import pytest

import talon_one
from talon_one.sandbox import Sandbox
from talon_one.sandbox import demo

from .http_client import Client, assert_error

PAGE = '/_sandbox/'
CHROMIUM_TIMEOUT = 90       # a guard against a hung browser, not a speed check


def _demo_flow(sandbox):
    """The demo's whole checkout flow, through the SDK, against ``sandbox``."""
    with talon_one.ApiClient(sandbox.configuration()) as client:
        demo.run(talon_one.IntegrationApi(client), demo.Printer(io.StringIO()))


def _page(client, **kwargs):
    response = client.get(PAGE, **kwargs)
    return response, response.raw.decode('utf-8')


# ---------------------------------------------------------------- access

def test_page_needs_the_api_key(client):
    response, text = _page(client, auth=False)
    assert response.status == 401
    assert response.headers['Content-Type'] == 'text/html; charset=utf-8'
    assert '<form method="get" action="/_sandbox/">' in text and 'name="key"' in text
    response, _ = _page(client, headers={'Authorization': 'ApiKey-v1 wrong'})
    assert response.status == 401


def test_page_with_the_api_key_header(client):
    response, text = _page(client)
    assert response.status == 200
    assert response.headers['Cache-Control'] == 'no-store'
    assert "default-src 'none'" in response.headers['Content-Security-Policy']
    assert '<meta http-equiv="refresh" content="5">' in text
    # Offline: nothing is loaded from anywhere, and no script runs.
    assert not re.search(r'<(script|link|img|iframe)\b|\ssrc=', text)


def test_key_form_sets_a_cookie_without_the_key(sandbox, client):
    wrong = client.get(PAGE, auth=False, query={'key': 'wrong'})
    assert wrong.status == 401 and 'not the API key' in wrong.raw.decode()
    right = client.get(PAGE, auth=False, query={'key': sandbox.api_key})
    assert right.status == 303
    assert right.headers['Location'] == PAGE
    cookie = right.headers['Set-Cookie']
    assert 'HttpOnly' in cookie and 'SameSite=Strict' in cookie and 'Path=/_sandbox/' in cookie
    assert sandbox.api_key not in cookie
    pair = cookie.split(';')[0]
    assert client.get(PAGE, auth=False, headers={'Cookie': pair}).status == 200
    assert client.get('/_sandbox/requests', auth=False, headers={'Cookie': pair}).status == 200
    assert client.get(PAGE, auth=False, headers={'Cookie': pair + 'x'}).status == 401
    # The cookie opens the read-only pages, not the reset.
    assert_error(client.post('/_sandbox/reset', auth=False, headers={'Cookie': pair}), 401)


def test_key_form_is_off_unless_bound_to_loopback():
    with Sandbox(host='0.0.0.0') as sandbox:
        port = sandbox.server.server_address[1]
        client = Client('http://127.0.0.1:%d' % port, sandbox.api_key)
        refused = client.get(PAGE, auth=False, query={'key': sandbox.api_key})
        assert refused.status == 403
        assert 'Set-Cookie' not in refused.headers
        assert 'Authorization: ApiKey-v1' in refused.raw.decode()
        assert client.get(PAGE).status == 200          # the header still works


def test_head_of_the_page(client):
    response = client.call('HEAD', PAGE)
    assert response.status == 200 and response.raw == b''
    assert client.get('/_sandbox', auth=False).status == 308


# ---------------------------------------------------------------- contents

def test_page_shows_the_state_after_the_demo_flow(sandbox, client):
    _demo_flow(sandbox)
    _, text = _page(client)
    for section in ('Campaigns and rules', 'Coupons', 'Profiles', 'Audiences', 'Sessions',
                    'Loyalty ledgers', 'Request log'):
        assert '<h2>%s</h2>' % section in text
    sessions = text.split('<h2>Sessions</h2>')[1].split('</section>')[0]
    assert 'DEMO-ORDER-1' in sessions and 'partially_returned' in sessions
    assert 'SKU1241028' in sessions and 'SOCKS-01' in sessions
    for effect in ('setDiscount', 'acceptCoupon', 'addLoyaltyPoints'):    # of the close
        assert effect in sessions
    coupons = text.split('<h2>Coupons</h2>')[1].split('</section>')[0]
    assert re.search(r'XMAS-20-2021</td><td>10</td><td>1 / unlimited', coupons)
    profiles = text.split('<h2>Profiles</h2>')[1].split('</section>')[0]
    assert 'DEMO-CUSTOMER-1' in profiles and 'Demo Customer' in profiles
    ledgers = text.split('<h2>Loyalty ledgers</h2>')[1].split('</section>')[0]
    assert 'Review bonus' in ledgers and 'summer-loyalty-card-0544' in ledgers
    # The request log, newest first: the last call of the flow comes before the first.
    log = text.split('<h2>Request log</h2>')[1]
    newest = log.index('/v1/loyalty_programs/125/profile/DEMO-CUSTOMER-1/balances')
    oldest = log.index('/v2/customer_profiles/DEMO-CUSTOMER-1')
    assert newest < oldest


def test_everything_on_the_page_is_escaped(sandbox, client):
    attack = '<script>alert("pwned")</script>'
    client.put('/v2/customer_profiles/EVIL', {'attributes': {'bio': attack}})
    client.session('<img src=x onerror=alert(1)>', profileId='EVIL',
                   cartItems=[{'sku': '"><script>x()</script>', 'quantity': 1, 'price': 1.0}])
    client.get('/v2/customer_sessions/%3Cscript%3Eboom%3C%2Fscript%3E')
    _, text = _page(client)
    assert '<script' not in text and '<img' not in text
    assert html.escape('<img src=x onerror=alert(1)>') in text
    assert 'EVIL' in text and '&lt;script&gt;' in text


def test_long_lists_are_cut_and_counted():
    world = {'application': {'name': 'many'},
             'profiles': [{'integrationId': 'MANY-%04d' % i} for i in range(250)]}
    with Sandbox(world=world) as sandbox:
        _, text = _page(Client(sandbox.url, sandbox.api_key))
    profiles = text.split('<h2>Profiles</h2>')[1].split('</section>')[0]
    assert 'showing 200 of 250 profiles' in profiles
    assert len(re.findall(r'<td>MANY-\d{4}</td>', profiles)) == 200


# ---------------------------------------------------------------- a real browser

def _chromium():
    for name in ('chromium', 'chromium-browser', 'google-chrome'):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip('Chromium is not installed (.ci/run installs the Debian package "chromium")')


def _dump_dom(browser, url):
    with tempfile.TemporaryDirectory() as profile:
        command = [browser, '--headless', '--disable-gpu', '--disable-background-networking',
                   '--disable-component-update', '--disable-sync', '--no-first-run',
                   '--user-data-dir=' + profile, '--dump-dom', url]
        if os.geteuid() == 0:
            command.insert(1, '--no-sandbox')       # Chromium refuses root without it
        result = subprocess.run(command, capture_output=True, text=True,
                                timeout=CHROMIUM_TIMEOUT)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_chromium_shows_the_session_its_effects_and_the_request_log(sandbox):
    browser = _chromium()
    _demo_flow(sandbox)
    # The key form: a redirect that sets the cookie, then the page itself.
    dom = _dump_dom(browser, '%s%s?key=%s' % (sandbox.url, PAGE, sandbox.api_key))
    assert 'Talon.One sandbox inspector' in dom
    sessions = dom.split('<h2>Sessions</h2>')[1].split('</section>')[0]
    assert 'DEMO-ORDER-1' in sessions and 'partially_returned' in sessions
    assert 'setDiscount' in sessions and 'acceptCoupon' in sessions
    log = dom.split('<h2>Request log</h2>')[1]
    assert '/v2/customer_sessions/DEMO-ORDER-1/returns' in log
    assert 'PUT' in log and 'POST' in log
    assert sandbox.api_key not in dom


def test_chromium_does_not_run_an_injected_script(sandbox):
    browser = _chromium()
    attack = '<script>document.title="pwned";document.body.innerHTML="pwned"</script>'
    Client(sandbox.url, sandbox.api_key).put('/v2/customer_profiles/EVIL',
                                             {'attributes': {'bio': attack}})
    dom = _dump_dom(browser, '%s%s?key=%s' % (sandbox.url, PAGE, sandbox.api_key))
    assert '<title>Talon.One sandbox inspector</title>' in dom
    assert '&lt;script&gt;document.title=' in dom       # shown as text, not run
    assert '<h2>Profiles</h2>' in dom                   # the page was not replaced
