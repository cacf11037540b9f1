"""The hand-written notes in generator/notes/*.yaml, checked against the spec.

The spec's own prose is not copied into the SDK; these files say what models,
properties and operations mean in talon_one's words. ``models.yaml``-style files
map schema names to ``about`` / ``properties`` / ``example``; ``operations.yaml``
maps operation ids to one paragraph. ``check(spec)`` fails on a name the spec
does not have and on a property of a covered model without a note.
"""

import functools
import os
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional

import yaml

NOTES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'notes')
OPERATIONS_FILE = 'operations.yaml'

# Models whose every property must have a note: the ones users build for requests.
# Every *EffectProps model is covered too (see ``covered``).
REQUEST_MODELS = (
    'NewCustomerSessionV2', 'IntegrationRequest', 'CartItem', 'AdditionalCost',
    'CustomerProfileIntegrationRequestV2', 'ProfileAudiencesChanges',
    'IntegrationEventV2Request', 'NewEvent', 'NewCustomerSession', 'NewCustomerProfile',
    'ReturnIntegrationRequest', 'NewReturn', 'ReturnedCartItem', 'CouponReservations',
    'NewReferral', 'NewReferralsForMultipleAdvocates', 'NewAudience', 'UpdateAudience',
    'LoyaltyCardRegistration', 'CatalogSyncRequest', 'CatalogAction',
    'MultipleCustomerProfileIntegrationRequest', 'MultipleCustomerProfileIntegrationRequestItem',
    'CustomerProfileAudienceRequest', 'CustomerProfileAudienceRequestItem',
)


class NotesError(ValueError):
    """A notes file that does not match the spec (or is not well formed)."""


@dataclass(frozen=True)
class ModelNote:
    about: str
    properties: Mapping[str, str]
    example: Optional[Dict[str, Any]]


@dataclass(frozen=True)
class Notes:
    models: Mapping[str, ModelNote]      # schema name ->
    operations: Mapping[str, str]        # operation id ->

    def model(self, schema_name: str) -> Optional[ModelNote]:
        return self.models.get(schema_name)

    def prop(self, schema_name: str, api_name: str) -> str:
        note = self.models.get(schema_name)
        return note.properties.get(api_name, '') if note is not None else ''

    def operation(self, operation_id: str) -> str:
        return self.operations.get(operation_id, '')


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise NotesError('%s: expected a non-empty text, got %r' % (where, value))
    return ' '.join(value.split())


def _model_note(data: Any, where: str) -> ModelNote:
    if not isinstance(data, dict) or not set(data) <= {'about', 'properties', 'example'}:
        raise NotesError('%s: expected a mapping with about, properties and example' % where)
    properties = data.get('properties') or {}
    if not isinstance(properties, dict):
        raise NotesError('%s.properties: expected a mapping' % where)
    example = data.get('example')
    if example is not None and not isinstance(example, dict):
        raise NotesError('%s.example: expected a JSON object' % where)
    return ModelNote(
        about=_text(data.get('about'), where + '.about'),
        properties={name: _text(text, '%s.properties.%s' % (where, name))
                    for name, text in properties.items()},
        example=example)


def read(directory: str = NOTES_DIR) -> Notes:
    """Parse every notes file of ``directory``."""
    models: Dict[str, ModelNote] = {}
    operations: Dict[str, str] = {}
    for filename in sorted(os.listdir(directory)):
        if not filename.endswith('.yaml'):
            continue
        with open(os.path.join(directory, filename), encoding='utf-8') as handle:
            try:
                data = yaml.safe_load(handle) or {}
            except yaml.YAMLError as error:
                raise NotesError('%s: not valid YAML: %s' % (filename, error)) from None
        if not isinstance(data, dict):
            raise NotesError('%s: expected a mapping at the top' % filename)
        for name, value in data.items():
            where = '%s: %s' % (filename, name)
            if name in models or name in operations:
                raise NotesError('%s: noted twice' % where)
            if filename == OPERATIONS_FILE:
                operations[name] = _text(value, where)
            else:
                models[name] = _model_note(value, where)
    return Notes(models=models, operations=operations)


@functools.lru_cache(maxsize=None)
def load() -> Notes:
    """The notes of generator/notes/ (read once)."""
    return read()


def covered(spec: Any) -> List[str]:
    """Schema names whose every property must have a note: every model a request body can
    contain (users build those) and every ``*EffectProps`` model."""
    names = list(REQUEST_MODELS)
    names += [m.schema_name for m in spec.models
              if m.in_requests and m.schema_name not in REQUEST_MODELS]
    names += [m.schema_name for m in spec.models if m.schema_name.endswith('EffectProps')]
    return names


def problems(spec: Any, notes: Notes) -> List[str]:
    """What does not match: unknown names, missing notes, examples with unknown fields."""
    found = []
    models = {m.schema_name: m for m in spec.models}
    for name, note in sorted(notes.models.items()):
        model = models.get(name)
        if model is None:
            found.append('notes for %s: no such model in the spec' % name)
            continue
        api_names = [p.api_name for p in model.props]
        found += ['notes for %s.%s: no such property' % (name, prop)
                  for prop in note.properties if prop not in api_names]
        found += ['example of %s: no property %r' % (name, key)
                  for key in note.example or () if key not in api_names]
    for name in covered(spec):
        note = notes.model(name)
        if note is None:
            found.append('%s: needs notes (about and every property)' % name)
            continue
        found += ['%s.%s: needs a note' % (name, p.api_name) for p in models[name].props
                  if p.api_name not in note.properties]
        if name.endswith('EffectProps') and note.example is None:
            found.append('%s: needs an example (props of one effect)' % name)
    operation_ids = {op.operation_id for op in spec.operations}
    found += ['notes for operation %s: no such operation' % name
              for name in sorted(notes.operations) if name not in operation_ids]
    return found


def check(spec: Any, notes: Optional[Notes] = None) -> None:
    """Raise NotesError listing every problem of the notes against ``spec``."""
    found = problems(spec, notes or load())
    if found:
        raise NotesError('generator/notes do not match the spec:\n  ' + '\n  '.join(found))
