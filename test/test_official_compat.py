"""The official 4.0.0 runtime surface: its README's getting-started code runs unchanged, and
every public name of its runtime classes exists here."""

import inspect
import io
import os
import subprocess
import sys

import pytest

import talon_one
from talon_one.api_client import ApiClient
from talon_one.configuration import Configuration
from talon_one.rest import ApiException, RESTClientObject, RESTResponse

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GETTING_STARTED = os.path.join(REPO_ROOT, 'test', 'compat', 'getting_started.py')
EXAMPLE_WORLD = os.path.join(REPO_ROOT, 'talon_one', 'sandbox', 'example_world.json')

# Public methods and attributes of the official 4.0.0 runtime classes (instance attributes
# included), written out here so that a rename or a removal fails loudly.
OFFICIAL_NAMES = {
    ApiClient: [
        'PRIMITIVE_TYPES', 'NATIVE_TYPES_MAPPING', 'configuration', 'pool_threads',
        'rest_client', 'default_headers', 'cookie', 'user_agent', 'client_side_validation',
        'last_response', 'pool', 'close', 'set_default_header', 'sanitize_for_serialization',
        'deserialize', 'deserialize_model', 'call_api', 'request', 'parameters_to_tuples',
        'files_parameters', 'select_header_accept', 'select_header_content_type',
        'update_params_for_auth', '__enter__', '__exit__',
    ],
    Configuration: [
        'host', 'temp_folder_path', 'api_key', 'api_key_prefix', 'refresh_api_key_hook',
        'username', 'password', 'discard_unknown_keys', 'disabled_client_side_validations',
        'logger', 'logger_format', 'logger_formatter', 'logger_stream_handler',
        'logger_file_handler', 'logger_file', 'debug', 'verify_ssl', 'ssl_ca_cert',
        'cert_file', 'key_file', 'assert_hostname', 'connection_pool_maxsize', 'proxy',
        'proxy_headers', 'safe_chars_for_path_param', 'retries', 'client_side_validation',
        'socket_options', 'server_index', 'server_variables', 'server_operation_index',
        'server_operation_variables', 'set_default', 'get_default_copy',
        'get_api_key_with_prefix', 'get_basic_auth_token', 'auth_settings',
        'to_debug_report', 'get_host_settings', 'get_host_from_settings', '__deepcopy__',
    ],
    RESTClientObject: [
        'pool_manager', 'request', 'GET', 'HEAD', 'OPTIONS', 'DELETE', 'POST', 'PUT', 'PATCH',
    ],
    RESTResponse: [
        'urllib3_response', 'status', 'reason', 'data', 'getheaders', 'getheader',
        'close', 'closed', 'readable', 'readline', 'readlines', 'fileno', 'flush', 'isatty',
        'seekable', 'tell', 'writable', '__enter__', '__exit__', '__iter__',
    ],
    ApiException: ['status', 'reason', 'body', 'headers', '__str__'],
}

CONSTRUCTOR_PARAMETERS = {
    Configuration: ['host', 'api_key', 'api_key_prefix', 'username', 'password',
                    'discard_unknown_keys', 'disabled_client_side_validations', 'server_index',
                    'server_variables', 'server_operation_index', 'server_operation_variables',
                    'ssl_ca_cert'],
    ApiClient: ['configuration', 'header_name', 'header_value', 'cookie', 'pool_threads'],
    RESTClientObject: ['configuration', 'pools_size', 'maxsize'],
    ApiException: ['status', 'reason', 'http_resp'],
}


def _instances(talon_sandbox):
    configuration = Configuration(host=talon_sandbox.url,
                                  api_key={'Authorization': talon_sandbox.api_key})
    client = ApiClient(configuration)
    talon_one.IntegrationApi(client).get_customer_session('175KJPS947296')
    return {ApiClient: client, Configuration: configuration,
            RESTClientObject: client.rest_client, RESTResponse: client.last_response,
            ApiException: ApiException(status=404, reason='Not Found')}


def test_every_official_public_name_exists(talon_sandbox):
    instances = _instances(talon_sandbox)
    missing = ['%s.%s' % (cls.__name__, name) for cls, names in OFFICIAL_NAMES.items()
               for name in names if not hasattr(instances[cls], name)]
    assert missing == []
    instances[ApiClient].close()


def test_official_constructor_parameters_keep_their_positions():
    for cls, expected in CONSTRUCTOR_PARAMETERS.items():
        parameters = list(inspect.signature(cls.__init__).parameters)[1:]
        assert parameters[:len(expected)] == expected, cls.__name__


def test_rest_response_is_a_read_only_binary_file(talon_sandbox):
    response = _instances(talon_sandbox)[RESTResponse]
    assert isinstance(response, io.IOBase)
    assert response.status == 200 and response.reason == 'OK'
    assert response.getheader('Content-Type', '').startswith('application/json')
    assert response.getheaders()['Content-Type'] == response.getheader('Content-Type')
    assert response.readable() and not response.writable()
    assert response.read(1) == b'{'
    assert response.read() == response.data[1:]
    with response:
        assert not response.closed
    assert response.closed
    with pytest.raises(ValueError):
        response.read()
    assert response.data  # the data stays available


def test_every_model_property_is_a_descriptor_on_the_class():
    for name in talon_one.models.__all__:
        cls = getattr(talon_one.models, name)
        for attr, type_string in cls.openapi_types.items():
            field = getattr(cls, attr)
            assert field.type_string == type_string, (name, attr)
            assert attr in field.__doc__ and type_string in field.__doc__, (name, attr)
    assert 'required' in talon_one.CartItem.sku.__doc__


def test_deserialize_model_is_lenient_and_typed(make_api_client):
    client = make_api_client()
    props = client.deserialize_model({'name': 'Xmas', 'value': 10, 'extra': 1},
                                     talon_one.SetDiscountEffectProps)
    assert isinstance(props, talon_one.SetDiscountEffectProps)
    assert (props.name, props.value, dict(props.extra_fields)) == ('Xmas', 10.0, {'extra': 1})
    odd = client.deserialize_model({'value': 'not a number'}, talon_one.SetDiscountEffectProps)
    assert odd.value == 'not a number'            # kept, as for every response
    assert client.deserialize_model(['x'], talon_one.SetDiscountEffectProps) == ['x']


def test_the_official_getting_started_flow_runs_unchanged(talon_sandbox):
    talon_sandbox_env = dict(os.environ, TALON_ONE_HOST=talon_sandbox.url,
                             TALON_ONE_API_KEY=talon_sandbox.api_key)
    talon_sandbox_env['PYTHONPATH'] = os.pathsep.join(
        filter(None, [REPO_ROOT, os.environ.get('PYTHONPATH')]))
    result = subprocess.run([sys.executable, GETTING_STARTED], env=talon_sandbox_env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert 'Exception when calling' not in result.stdout, result.stdout
    lines = result.stdout.splitlines()
    # 20% of a 100.0 cart: the parsed SetDiscountEffectProps, printed by the user's code.
    assert 'DISCOUNT Christmas 20% 20.0' in lines, result.stdout
    assert 'REJECTED NO-SUCH-COUPON CouponNotFound' in lines, result.stdout
    assert '"effect_type": "setDiscount"' in result.stdout
