"""``import talon_one`` stays cheap: model modules load on first use (PEP 562)."""

import ast
import json
import os
import subprocess
import sys

import pytest

import talon_one
from talon_one import models

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _run(code):
    """Run ``code`` in a fresh interpreter (so nothing is imported yet); return its JSON output."""
    result = subprocess.run([sys.executable, '-c', code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    return json.loads(result.stdout)


def test_import_talon_one_imports_no_model_module():
    loaded = _run(
        'import json, sys\n'
        'import talon_one\n'
        'api = talon_one.IntegrationApi\n'
        'print(json.dumps(sorted(m for m in sys.modules if m.startswith("talon_one.models."))))\n')
    assert loaded == []


def test_import_talon_one_loads_no_event_loop_tls_or_hooks_module():
    # asyncio, ssl and subprocess cost tens of milliseconds: only a client or an asyncio call
    # that needs them loads them; the hooks module only when hooks are configured.
    loaded = _run(
        'import json, sys\n'
        'import talon_one\n'
        'talon_one.Configuration()\n'
        'print(json.dumps([m for m in ("asyncio", "ssl", "subprocess", "talon_one._hooks")'
        ' if m in sys.modules]))\n')
    assert loaded == []


def test_transport_loads_with_the_first_client():
    loaded = _run(
        'import json, sys\n'
        'import talon_one\n'
        'before = [m for m in ("urllib3", "http.client", "talon_one._transport")'
        ' if m in sys.modules]\n'
        'talon_one.ApiClient()\n'
        'after = [m for m in ("urllib3", "talon_one._transport") if m in sys.modules]\n'
        'print(json.dumps([before, after, talon_one.rest.ApiException.__name__]))\n')
    assert loaded == [[], ['urllib3', 'talon_one._transport'], 'ApiException']


def test_a_model_loads_only_its_own_module():
    loaded = _run(
        'import json, sys\n'
        'import talon_one\n'
        'session = talon_one.NewCustomerSessionV2(profile_id="p")\n'
        'print(json.dumps(sorted(m for m in sys.modules if m.startswith("talon_one.models."))))\n')
    assert loaded == ['talon_one.models.new_customer_session_v2']


def test_parsing_loads_only_the_models_the_data_contains():
    loaded = _run(
        'import json, sys\n'
        'import talon_one\n'
        'state = talon_one.IntegrationStateV2.from_wire({"effects": [{"campaignId": 1}]})\n'
        'before = sorted(m for m in sys.modules if m.startswith("talon_one.models."))\n'
        'state.effects\n'
        'after = sorted(m for m in sys.modules if m.startswith("talon_one.models."))\n'
        'print(json.dumps([before, after]))\n')
    # Fields are converted when first read: a nested model's module loads then.
    assert loaded == [['talon_one.models.integration_state_v2'],
                      ['talon_one.models.effect', 'talon_one.models.integration_state_v2']]


def test_every_class_is_importable_three_ways():
    assert len(models.__all__) == 159 + 2
    for name in models.__all__:
        module = models._MODULES[name]
        cls = getattr(talon_one, name)
        assert getattr(models, name) is cls
        assert getattr(getattr(models, module), name) is cls
        if name in ('InlineResponse2004', 'InlineResponse2005'):  # 12.0.0's names, aliases
            continue
        assert cls.__module__ == 'talon_one.models.%s' % module
        assert cls.__name__ == name
    assert talon_one.InlineResponse2004 is talon_one.InlineResponse2001
    assert talon_one.InlineResponse2005 is talon_one.InlineResponse2002


def test_from_imports_and_star_import():
    from talon_one.models.integration_state_v2 import IntegrationStateV2
    from talon_one.models import CartItem
    from talon_one import ModelReturn

    namespace = {}
    exec('from talon_one.models import *', namespace)
    assert namespace['IntegrationStateV2'] is IntegrationStateV2
    assert namespace['CartItem'] is CartItem
    assert namespace['ModelReturn'] is ModelReturn


def test_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError, match='NoSuchModel'):
        talon_one.NoSuchModel  # noqa: B018
    with pytest.raises(AttributeError, match='NoSuchModel'):
        models.NoSuchModel  # noqa: B018
    assert not hasattr(models, 'EffectProps')  # free-form schemas get no class
    assert not hasattr(talon_one, 'EffectProps')
    assert not hasattr(models, 'effect_props')  # no module for it either


def test_dir_lists_the_lazy_names():
    assert {'CartItem', 'IntegrationStateV2', 'Configuration', 'NULL'} <= set(dir(talon_one))
    assert {'CartItem', 'InlineResponse2003'} <= set(dir(models))
    assert set(models.__all__) <= set(talon_one.__all__)


def test_type_checkers_see_every_class():
    """models/__init__.py imports every class under TYPE_CHECKING, for IDEs and mypy."""
    path = os.path.join(ROOT, 'talon_one', 'models', '__init__.py')
    with open(path, encoding='utf-8') as handle:
        tree = ast.parse(handle.read())
    guarded = [node for node in tree.body if isinstance(node, ast.If)
               and getattr(node.test, 'id', None) == 'TYPE_CHECKING']
    assert len(guarded) == 1
    imported = {alias.name: node.module for node in guarded[0].body
                for alias in node.names if isinstance(node, ast.ImportFrom)}
    assert imported == {name: 'talon_one.models.%s' % module
                        for name, module in models._MODULES.items()}
    assert sorted(models.__all__) == sorted(models._MODULES)


def test_the_eager_part_of_the_package():
    from talon_one.api import IntegrationApi
    from talon_one.exceptions import ApiException, ApiValueError

    assert talon_one.IntegrationApi is IntegrationApi
    assert talon_one.ApiException is ApiException and talon_one.ApiValueError is ApiValueError
    from talon_one.version import __version__
    assert talon_one.__version__ == __version__
