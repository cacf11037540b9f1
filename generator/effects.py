"""Render ``talon_one/_effect_types.py``: typed ``effect_props`` / ``effects_of_type``.

One ``@overload`` per effect type maps the literal effect type to its ``*EffectProps``
class, so type checkers know what ``effect_props(effect, 'setDiscount')`` returns.
"""

from generator import PY_HEADER, pyfmt


def effect_classes(models):
    """Sorted ``[(effect type, class name)]`` of the ``*EffectProps`` models."""
    return sorted((m.effect_type, m.class_name) for m in models if m.effect_type is not None)


def render_effect_types(models):
    pairs = effect_classes(models)
    classes = sorted(cls for _, cls in pairs)
    lines = [
        PY_HEADER,
        '"""Typed signatures of ``effect_props`` and ``effects_of_type``: one overload per',
        'effect type of the spec. The implementations are in ``talon_one._effects``;',
        '``talon_one.effects`` (and ``talon_one``) re-export these.',
        '"""',
        '',
        'from __future__ import annotations',
        '',
        'from typing import (TYPE_CHECKING, Any, Dict, Generic, Iterable, Literal, Mapping,',
        '                    Optional, Sequence, TypeVar, Union)',
        '',
        'from talon_one import _effects',
        '',
        'if TYPE_CHECKING:',
        '    from typing import overload',
        '',
        '    from talon_one.models import (',
    ]
    lines += ['        %s,' % name for name in classes + ['Effect']]
    lines += [
        '    )',
        '',
        "__all__ = ['EffectProps', 'EffectType', 'TypedEffect', 'effect_props', "
        "'effects_of_type']",
        '',
        '#: The effect types that have a props model.',
        'EffectType = Literal[',
    ]
    lines += pyfmt.wrap_words(' '.join("'%s'," % effect for effect, _ in pairs), '    ')
    lines += [
        ']',
        '',
        '#: What ``effect_props`` returns: the props model of the effect\'s type, or the JSON',
        '#: object as it came for a type without a model.',
        'EffectProps = Union[',
    ]
    lines += pyfmt.wrap_words(' '.join("'%s'," % name for name in classes), '    ')
    lines += [
        '    Dict[str, Any],',
        ']',
        '',
        "P = TypeVar('P', bound=EffectProps)",
        '',
        'if TYPE_CHECKING:',
        '    class TypedEffect(Effect, Generic[P]):',
        '        """An ``Effect`` whose ``props`` parse as ``P`` (from ``effects_of_type``)."""',
        'else:',
        '    class TypedEffect(Generic[P]):',
        ('        """A name for type checkers: at run time effects are plain ``Effect`` '
         'objects."""'),
        '',
        '',
        'if TYPE_CHECKING:',
        '    @overload',
        '    def effect_props(effect: TypedEffect[P]) -> P: ...',
    ]
    for effect, cls in pairs:
        lines += ['    @overload',
                  '    def effect_props(effect: Union[Effect, Mapping[str, Any]],',
                  "                     effect_type: Literal['%s']," % effect,
                  '                     ) -> %s: ...' % cls]
    lines += [
        '    @overload',
        '    def effect_props(effect: Union[Effect, Mapping[str, Any]],',
        '                     effect_type: Optional[str] = None) -> EffectProps: ...',
        '',
        '',
        'def effect_props(effect: Any, effect_type: Optional[str] = None) -> Any:',
        '    """The ``props`` of ``effect`` as the model of its effect type.',
        '',
        '    ``effect`` is an ``Effect`` (or its JSON object); parsing is lenient, as for',
        '    responses. Props of a type without a model come back unchanged. With',
        '    ``effect_type`` (e.g. ``\'setDiscount\'``) an effect of another type is an',
        '    ``ApiValueError``, and type checkers know the class returned.',
        '    """',
        '    return _effects.effect_props(effect, effect_type)',
        '',
        '',
        'if TYPE_CHECKING:',
    ]
    for effect, cls in pairs:
        lines += ['    @overload',
                  '    def effects_of_type(',
                  '            effects: Optional[Iterable[Effect]],',
                  "            effect_type: Literal['%s']," % effect,
                  '    ) -> Sequence[TypedEffect[%s]]: ...' % cls]
    lines += [
        '    @overload',
        '    def effects_of_type(effects: Optional[Iterable[Effect]],',
        '                        effect_type: str) -> Sequence[Effect]: ...',
        '',
        '',
        ('def effects_of_type(effects: Optional[Iterable[Any]], effect_type: str) '
         '-> Sequence[Any]:'),
        '    """The effects whose ``effect_type`` is ``effect_type``, in their order.',
        '',
        '    ``effects`` may be None (a response without effects), which gives ``[]``. The',
        '    result is a list; for type checkers a sequence of ``TypedEffect`` of the props',
        '    class, so that ``effect_props(effect)`` of each is typed.',
        '    """',
        '    return _effects.effects_of_type(effects, effect_type)',
    ]
    return '\n'.join(lines) + '\n'
