"""Assemble every generated file, then write them or compare them with the files on disk."""

import dataclasses
import os

from generator import (MD_HEADER, NAME, PY_HEADER, VERSION, aio, api, compat, docs, docstrings,
                       effects, models, naming, notes)

FILES = '.openapi-generator/FILES'
VERSION_FILE = '.openapi-generator/VERSION'

# Directories whose files carry the generated header; such a file that the generator
# no longer produces is stale ("extra").
_GENERATED_DIRS = (('talon_one/models', '.py'), ('talon_one/api', '.py'), ('docs', '.md'))


def generate(spec):
    """``{relative path: content}`` of every generated file."""
    notes.check(spec)   # descriptions of unknown or missing properties fail here, early
    spec = dataclasses.replace(spec, operations=[
        dataclasses.replace(op, docstring_example=tuple(docstrings.docstring_example(spec, op)))
        for op in spec.operations])
    out = {}
    for model in spec.models:
        out['talon_one/models/%s.py' % model.module] = models.render_model(model)
        out['docs/%s.md' % model.class_name] = docs.render_model_doc(spec, model)
    aliases = []
    for alias, target in sorted(compat.LATER_ALIASES.items()):
        module = naming.module_name(alias)
        out['talon_one/models/%s.py' % module] = models.render_alias_module(
            alias, spec.model(target))
        aliases.append((alias, module))
    out['talon_one/models/__init__.py'] = models.render_models_init(spec.models, aliases)
    out['talon_one/api/integration_api.py'] = api.render_api(spec.operations)
    out['talon_one/api/async_integration_api.py'] = aio.render_async_api(spec.operations)
    out['talon_one/_effect_types.py'] = effects.render_effect_types(spec.models)
    out['docs/IntegrationApi.md'] = docs.render_api_doc(spec)
    out[VERSION_FILE] = '%s %s\n' % (NAME, VERSION)
    # The manifest lists every generated path except itself.
    out[FILES] = ''.join('%s\n' % path for path in sorted(out))
    return out


def _read(root, path):
    try:
        with open(os.path.join(root, path), 'rb') as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _is_generated(root, path):
    data = _read(root, path)
    if data is None:
        return False
    first = data.split(b'\n', 1)[0].decode('utf-8', 'replace')
    return first in (PY_HEADER, MD_HEADER)


def stale_files(root, out):
    """Generated files on disk that ``out`` no longer contains."""
    candidates = set()
    manifest = _read(root, FILES)
    if manifest is not None:
        candidates.update(line.strip() for line in manifest.decode('utf-8').splitlines()
                          if line.strip())
    for directory, suffix in _GENERATED_DIRS:
        full = os.path.join(root, directory)
        if os.path.isdir(full):
            candidates.update('%s/%s' % (directory, name) for name in os.listdir(full)
                              if name.endswith(suffix))
    return sorted(path for path in candidates
                  if path not in out and _is_generated(root, path))


def differences(root, out):
    """``[(kind, path)]`` with kind ``missing``, ``differs`` or ``extra``, sorted by path."""
    found = []
    for path, content in out.items():
        existing = _read(root, path)
        if existing is None:
            found.append(('missing', path))
        elif existing != content.encode('utf-8'):
            found.append(('differs', path))
    found += [('extra', path) for path in stale_files(root, out)]
    return sorted(found, key=lambda item: item[1])


def write(root, out):
    """Write what changed and delete stale generated files; returns the paths touched."""
    touched = []
    for path in stale_files(root, out):
        os.remove(os.path.join(root, path))
        touched.append(path)
    for path, content in sorted(out.items()):
        data = content.encode('utf-8')
        if _read(root, path) == data:
            continue
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'wb') as handle:
            handle.write(data)
        touched.append(path)
    return touched
