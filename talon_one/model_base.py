"""The base class of the models, and ``NULL`` (an explicit JSON null in a request)."""

from talon_one._model import Model as Model
from talon_one._null import NULL as NULL

__all__ = ['Model', 'NULL']
