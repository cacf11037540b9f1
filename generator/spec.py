"""Load the OpenAPI document and turn it into the plain descriptions the renderers use."""

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

import yaml

from generator import compat, naming
from generator.typestrings import rules_of, type_string

NO_DEFAULT = object()

_HTTP_METHODS = ('get', 'put', 'post', 'delete', 'patch', 'head', 'options')


@dataclass
class Prop:
    """One property of a schema."""

    api_name: str
    attr: str
    type_string: str
    required: bool
    rules: Dict[str, Any]
    default: Any
    schema: Dict[str, Any]


@dataclass
class ModelSpec:
    """One schema that becomes a class."""

    schema_name: str
    class_name: str
    module: str
    props: List[Prop]
    example: Any
    aliases: Dict[str, str] = field(default_factory=dict)
    # Reachable from a request body: its properties stay Optional for type checkers even
    # where the spec requires them (models are built empty and filled in).
    in_requests: bool = True
    # The Effect.effect_type whose props this model describes (None: not effect props).
    effect_type: Optional[str] = None
    # The class this one extends (compat.REPLACED_RESPONSES), and the attributes that come
    # from it only: they follow the model's own in the constructor, after
    # local_vars_configuration.
    base: Optional['ModelSpec'] = None
    inherited: Tuple[str, ...] = ()


@dataclass
class ParamSpec:
    """One argument of an operation (path, query or the body)."""

    api_name: Optional[str]
    attr: str
    location: str
    type_string: str
    required: bool
    rules: Dict[str, Any]
    default: Any
    schema: Dict[str, Any]
    # A list query parameter sent as one comma-separated value (explode: false).
    comma_separated: bool = False


@dataclass
class OperationSpec:
    """One API operation."""

    operation_id: str
    method_name: str
    http_method: str
    path: str
    summary: str
    params: List[ParamSpec]           # positional order: path, body, then optional query
    responses: Dict[int, Optional[str]]   # 2xx status -> type string (None: no body)
    statuses: List[int]               # every documented status, sorted
    auth: Tuple[str, ...]
    deprecated: bool
    # Lines of the method docstring's example; set by writer.generate once the models are
    # known (rendering a request body needs them).
    docstring_example: Tuple[str, ...] = ()

    @property
    def positional(self):
        return [p for p in self.params if p.required]

    @property
    def optional(self):
        return [p for p in self.params if not p.required]

    @property
    def body(self):
        for param in self.params:
            if param.location == 'body':
                return param
        return None


@dataclass
class Spec:
    models: List[ModelSpec]
    operations: List[OperationSpec]
    schemas: Dict[str, Dict[str, Any]]
    free_form: Tuple[str, ...]

    def model(self, class_name):
        for model in self.models:
            if model.class_name == class_name:
                return model
        raise KeyError(class_name)


class _SpecLoader(getattr(yaml, 'CSafeLoader', yaml.SafeLoader)):
    """Safe loader that keeps date-time examples as the strings the spec wrote."""


_SpecLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != 'tag:yaml.org,2002:timestamp']
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# Properties that get a friendlier alias beside their official name.
_ALIASES = {('CouponReservations', 'integrationIDs'): 'integration_ids'}

# Effect types 4.0.0 mapped to a props class that the 2026 map (x-effect-types) leaves out.
KEPT_EFFECT_TYPES = {
    'strikethroughSetDiscountPerItem': 'StrikethroughSetDiscountPerItemEffectProps',
}


def load(path):
    with open(path, encoding='utf-8') as handle:
        document = yaml.load(handle, Loader=_SpecLoader)
    return build(document)


def build(document):
    """Describe the models and operations of an already parsed OpenAPI document."""
    schemas = document.get('components', {}).get('schemas', {})
    free_form = tuple(name for name, schema in schemas.items() if _is_free_form(schema))
    effect_types = dict(KEPT_EFFECT_TYPES)
    effect_types.update(document.get('x-effect-types') or {})
    type_of = {schema: kind for kind, schema in effect_types.items()}
    names = {name: 'object' if name in free_form else compat.class_name(name, schema)
             for name, schema in schemas.items()}
    models = [_model(name, schema, names, type_of.get(name))
              for name, schema in schemas.items() if name not in free_form]
    _inherit(models)
    operations = []
    for path, item in document.get('paths', {}).items():
        for method in _HTTP_METHODS:
            if method in item:
                operations.append(_operation(path, method, item[method], item, names))
    operations.sort(key=lambda op: op.method_name)
    models.sort(key=lambda model: model.class_name)
    _mark_request_models(models, operations)
    return Spec(models=models, operations=operations, schemas=schemas, free_form=free_form)


def _mark_request_models(models, operations):
    """Set ``in_requests`` on the models a request body can contain (directly or nested)."""
    from generator.typestrings import model_names
    by_name = {model.class_name: model for model in models}
    pending = [name for op in operations for param in op.params if param.location == 'body'
               for name in model_names(param.type_string)]
    seen = set()
    while pending:
        name = pending.pop()
        if name in seen or name not in by_name:
            continue
        seen.add(name)
        pending.extend(n for prop in by_name[name].props for n in model_names(prop.type_string))
    for model in models:
        model.in_requests = model.class_name in seen
        if not model.in_requests:
            # What 12.0.0 requires (26.13 relaxed it) stays required in responses: the
            # attribute's type stays non-Optional, as code written for 4.0.0 reads it.
            for prop in model.props:
                if prop.schema.get('x-required-in-12.0.0'):
                    prop.required = True


def _inherit(models):
    """Give each replacing response model its base class and the base's other attributes."""
    by_schema = {model.schema_name: model for model in models}
    for name, base_name in compat.REPLACED_RESPONSES.items():
        if name not in by_schema or base_name not in by_schema:
            continue  # a document without them (a test's small spec)
        model, base = by_schema[name], by_schema[base_name]
        own = {prop.attr for prop in model.props}
        extra = [prop for prop in base.props if prop.attr not in own]
        model.base = base
        model.inherited = tuple(prop.attr for prop in extra)
        model.props = model.props + extra


def _is_free_form(schema):
    """A bare ``type: object`` without properties gets no class (NAMES.md)."""
    return (schema.get('type') == 'object' and not schema.get('properties')
            and not isinstance(schema.get('additionalProperties'), dict))


def _model(schema_name, schema, names, effect_type):
    cls = names[schema_name]
    required = set(schema.get('required', ()))
    props = []
    aliases = {}
    properties = schema.get('properties') or {}
    for api_name in compat.ordered(schema_name, list(properties)):
        prop_schema = properties[api_name]
        attr = naming.attribute_name(api_name)
        props.append(Prop(
            api_name=api_name,
            attr=attr,
            type_string=type_string(prop_schema, names),
            required=api_name in required,
            rules=rules_of(prop_schema),
            default=prop_schema.get('default', NO_DEFAULT),
            schema=prop_schema,
        ))
        alias = _ALIASES.get((schema_name, api_name))
        if alias:
            aliases[alias] = attr
    return ModelSpec(schema_name=schema_name, class_name=cls, module=naming.module_name(cls),
                     props=props, example=schema.get('example'), aliases=aliases,
                     effect_type=effect_type)


def _operation(path, method, op, path_item, names):
    name = naming.method_name(op['operationId'])
    raw_params = list(path_item.get('parameters', ())) + list(op.get('parameters', ()))
    path_params, query_params = [], []
    for raw in raw_params:
        schema = raw.get('schema', {})
        param = ParamSpec(
            api_name=raw['name'],
            attr=naming.attribute_name(raw['name']),
            location=raw['in'],
            type_string=type_string(schema, names),
            required=bool(raw.get('required')) or raw['in'] == 'path',
            rules=rules_of(schema),
            default=schema.get('default', NO_DEFAULT),
            schema=schema,
            comma_separated=schema.get('type') == 'array' and raw.get('explode') is False,
        )
        if param.location == 'path':
            path_params.append(param)
        elif param.location == 'query':
            query_params.append(param)
        else:
            raise ValueError('%s: parameters in %r are not supported' % (name, param.location))
    order = compat.ordered(op['operationId'], [p.api_name for p in query_params],
                           compat.EARLIER_QUERY_ORDER)
    query_params.sort(key=lambda p: order.index(p.api_name))
    body = []
    request = op.get('requestBody')
    if request:
        schema = request['content']['application/json']['schema']
        body.append(ParamSpec(api_name=None, attr='body', location='body',
                              type_string=type_string(schema, names),
                              required=bool(request.get('required')), rules={},
                              default=NO_DEFAULT, schema=schema))
    # Required query parameters would be positional after the body; none exist today.
    params = (path_params + [p for p in body if p.required]
              + [p for p in query_params if p.required]
              + [p for p in body if not p.required]
              + [p for p in query_params if not p.required])
    responses = {}
    for status, response in op.get('responses', {}).items():
        code = int(status)
        if 200 <= code < 300:
            content = (response.get('content') or {}).get('application/json')
            responses[code] = type_string(content['schema'], names) if content else None
    if any(p.api_name == 'silent' for p in query_params):
        responses.setdefault(204, None)  # silent=yes (the default) answers without a body
    auth = []
    for requirement in op.get('security', ()):
        auth.extend(requirement)
    return OperationSpec(
        operation_id=op['operationId'],
        method_name=name,
        http_method=method.upper(),
        path=path,
        summary=' '.join(str(op.get('summary', '')).split()),
        params=params,
        responses=responses,
        statuses=sorted(int(code) for code in op.get('responses', {})),
        auth=tuple(auth),
        deprecated=bool(op.get('deprecated')),
    )
