"""Docstrings that carry the facts (what an IDE shows on hover), and the notes behind them.

- generator/notes/*.yaml matches the spec: no unknown names, a note for every property
  of the request models and of every ``*EffectProps`` class (the generator refuses to run
  otherwise).
- Every model's class docstring lists every property with type, required or not, wire
  name and rules; the covered ones carry the note too.
- Every API method's docstring gives parameters, return type (Optional where ``silent``
  or a 204 can give None), statuses and an example; the examples run against a fresh
  sandbox and return what the docstring and docs/IntegrationApi.md say.
"""

import contextlib
import inspect
import io
import os
import re
import textwrap
import warnings

import pytest

import talon_one
from generator import docstrings, notes, spec
from generator.typestrings import python_hint
from support import require_shared

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE_MARK = 'Example (runs as is against the local sandbox)::'


@pytest.fixture(scope='module')
def loaded_spec():
    return spec.load(require_shared('openapi', 'talon-one-integration-2026.yaml'))


def _words(text):
    return ' '.join(text.split())


def _doc(obj):
    return _words(inspect.getdoc(obj) or '')


# -- the notes --------------------------------------------------------------------------

def test_the_notes_match_the_spec(loaded_spec):
    assert notes.problems(loaded_spec, notes.load()) == []
    covered = notes.covered(loaded_spec)
    assert len([name for name in covered if name.endswith('EffectProps')]) == 37
    for name in ('NewCustomerSessionV2', 'CartItem', 'CatalogAction',
                 'MultipleCustomerProfileIntegrationRequestItem',
                 'CustomerProfileAudienceRequestItem'):
        assert name in covered


def _notes_with(**models):
    base = notes.load()
    merged = dict(base.models)
    merged.update(models)
    return notes.Notes(models=merged, operations=dict(base.operations, noSuchOperation='x'))


def test_notes_problems_name_the_schema_and_property(loaded_spec):
    cart = notes.load().model('CartItem')
    without_sku = notes.ModelNote(cart.about, {k: v for k, v in cart.properties.items()
                                               if k != 'sku'}, None)
    typo = notes.ModelNote('x', {'nmae': 'typo'}, {'nmae': 1})
    discount = notes.load().model('SetDiscountEffectProps')
    no_example = notes.ModelNote(discount.about, discount.properties, None)
    found = notes.problems(loaded_spec, _notes_with(
        CartItem=without_sku, AdditionalCost=typo, NoSuchModel=typo,
        SetDiscountEffectProps=no_example))
    assert found == [
        'notes for AdditionalCost.nmae: no such property',
        "example of AdditionalCost: no property 'nmae'",
        'notes for NoSuchModel: no such model in the spec',
        'CartItem.sku: needs a note',
        'AdditionalCost.price: needs a note',
        'SetDiscountEffectProps: needs an example (props of one effect)',
        'notes for operation noSuchOperation: no such operation',
    ]
    with pytest.raises(notes.NotesError, match=r'CartItem\.sku: needs a note'):
        notes.check(loaded_spec, _notes_with(CartItem=without_sku))


def test_notes_files_are_checked_when_read(tmp_path):
    (tmp_path / 'a.yaml').write_text('CartItem:\n  about: One line.\n  properties:\n'
                                     '    sku: The SKU.\n')
    assert notes.read(str(tmp_path)).prop('CartItem', 'sku') == 'The SKU.'
    (tmp_path / 'b.yaml').write_text('CartItem:\n  about: again\n')
    with pytest.raises(notes.NotesError, match=r'b\.yaml: CartItem: noted twice'):
        notes.read(str(tmp_path))
    (tmp_path / 'b.yaml').write_text('Other:\n  about: ""\n')
    with pytest.raises(notes.NotesError, match=r'Other\.about: expected a non-empty text'):
        notes.read(str(tmp_path))
    (tmp_path / 'b.yaml').write_text('Other:\n  about: a: b: c\n')
    with pytest.raises(notes.NotesError, match=r'b\.yaml: not valid YAML'):
        notes.read(str(tmp_path))


# -- model docstrings --------------------------------------------------------------------

def _entry(model, prop):
    return '%s (%s): %s; wire name ``%s``' % (
        prop.attr, python_hint(prop.type_string), 'Required' if prop.required else 'Optional',
        prop.api_name)


def test_every_model_docstring_lists_every_property(loaded_spec):
    for model in loaded_spec.models:
        doc = _doc(getattr(talon_one, model.class_name))
        assert 'Reference page: docs/%s.md' % model.class_name in doc
        for prop in model.props:
            assert _entry(model, prop) in doc, (model.class_name, prop.attr)


def test_covered_models_carry_their_notes_on_hover(loaded_spec):
    all_notes = notes.load()
    for name in notes.covered(loaded_spec):
        model = next(m for m in loaded_spec.models if m.schema_name == name)
        doc = _doc(getattr(talon_one, model.class_name))
        assert docstrings.rst(all_notes.model(name).about) in doc, name
        for prop in model.props:
            entry = doc[doc.index(_entry(model, prop)):]
            assert entry.split('. ', 1)[1].startswith(
                docstrings.rst(all_notes.prop(name, prop.api_name))[:40]), (name, prop.attr)


def test_model_docstrings_state_rules_defaults_and_aliases():
    session = _doc(talon_one.NewCustomerSessionV2)
    assert ("state (str): Optional; wire name ``state``; one of ``open``, ``closed``, "
            "``partially_returned``, ``cancelled``; default ``'open'``.") in session
    assert '``coupon_codes=[]`` to remove every coupon' in session
    assert 'loyalty_cards (list[str]): Optional; wire name ``loyaltyCards``; at most 1 item.' \
        in session
    assert 'quantity (int): Required; wire name ``quantity``; >= 1.' in _doc(talon_one.CartItem)
    assert 'flattening' in _doc(talon_one.CartItem)
    reservations = _doc(talon_one.CouponReservations)
    assert ('integration_i_ds (list[str]): Required; wire name ``integrationIDs``; at most 1000 '
            'items; alias ``integration_ids``.') in reservations
    referrals = _doc(talon_one.NewReferralsForMultipleAdvocates)
    assert ('referral_pattern (str): Optional; wire name ``referralPattern``; 3 to 100 '
            'characters.') in referrals


def test_effect_props_docstrings_say_where_they_appear():
    doc = _doc(talon_one.SetDiscountPerAdditionalCostEffectProps)
    assert ('It is the ``props`` of an ``Effect`` whose ``effect_type`` is '
            '``setDiscountPerAdditionalCost``') in doc
    assert '``summary.discounts.per_additional_cost``' in doc
    assert '``talon_one.summarize_effects(state)`` reads all the effects' in _doc(talon_one.Effect)


# -- method docstrings -------------------------------------------------------------------

def _method(op):
    return getattr(talon_one.IntegrationApi, op.method_name)


def test_every_method_docstring_has_parameters_return_statuses_and_example(loaded_spec):
    for op in loaded_spec.operations:
        raw = inspect.getdoc(_method(op))
        doc = _words(raw)
        for param in op.params:
            assert ':param %s %s:' % (param.type_string, param.attr) in doc, op.method_name
        assert ':rtype: %s' % docstrings.return_hint(op) in doc
        for status, _ in docstrings.statuses(op):
            assert '- %d: ' % status in raw, (op.method_name, status)
        assert EXAMPLE_MARK in doc
        assert 'https://docs.talon.one/integration-api#operation/%s' % op.operation_id in doc


@pytest.mark.parametrize('name, hint', [
    ('track_event_v2', 'Optional[IntegrationEventV2Response]'),
    ('update_customer_profiles_v2', 'Optional[MultipleCustomerProfileIntegrationResponseV2]'),
    ('create_referrals_for_multiple_advocates', 'Optional[InlineResponse201]'),
    ('update_customer_session_v2', 'IntegrationStateV2'),
    ('delete_coupon_reservation', 'None'),
])
def test_optional_return_types_where_silent_or_204_give_none(name, hint):
    doc = _doc(getattr(talon_one.IntegrationApi, name))
    assert ':rtype: %s' % hint in doc
    with open(os.path.join(REPO_ROOT, 'docs', 'IntegrationApi.md'), encoding='utf-8') as handle:
        page = handle.read()
    section = page.split('\n## %s\n' % name, 1)[1].split('\n## ', 1)[0]
    assert '### Return type\n\n`%s`' % hint in section
    if hint.startswith('Optional'):
        assert "None when silent='yes' (the default)" in doc
        assert "| 204 | Success with silent='yes': no body, the method returns None. |" in section


def test_silent_default_really_returns_none_and_no_returns_the_state(talon_sandbox):
    body = talon_one.IntegrationEventV2Request(type='review_written', profile_id='URNGV8294NV')
    with talon_one.ApiClient(talon_sandbox.configuration()) as client:
        api = talon_one.IntegrationApi(client)
        assert api.track_event_v2(body) is None
        assert isinstance(api.track_event_v2(body, silent='no'), talon_one.IntegrationStateV2)


def _docstring_example(op):
    doc = inspect.getdoc(_method(op))
    block = doc.split(EXAMPLE_MARK, 1)[1].split('\nOfficial reference:', 1)[0]
    return textwrap.dedent(block).strip('\n') + '\n'


def _operations():
    return spec.load(require_shared('openapi', 'talon-one-integration-2026.yaml')).operations


@pytest.mark.parametrize('op', _operations() if os.path.isdir(
    os.path.join(REPO_ROOT, '..', 'shared', 'openapi')) else [], ids=lambda op: op.method_name)
def test_docstring_example_runs_and_returns_the_documented_type(op):
    code = _docstring_example(op)
    assert 'with Sandbox() as sandbox' in code
    out = io.StringIO()
    namespace = {'__name__': '__example__'}
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)     # the deprecated operations
        exec(compile(code, 'docstring:%s' % op.method_name, 'exec'), namespace)
    hint = docstrings.return_hint(op)
    if hint == 'None':
        assert 'api_response' not in namespace
        assert out.getvalue().strip() == '%s: done' % op.method_name
    else:
        expected = re.sub(r'^Optional\[(.*)\]$', r'\1', hint)
        result = namespace['api_response']
        items = re.match(r'^list\[(\w+)\]$', expected)
        if items:   # a list of models (best_prior_price)
            assert isinstance(result, list) and result, op.method_name
            assert {type(item).__name__ for item in result} == {items.group(1)}, op.method_name
        else:
            assert type(result).__name__ == expected, op.method_name
        assert out.getvalue().strip()
