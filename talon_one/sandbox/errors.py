"""Errors the sandbox answers with, in the Integration API's error shape."""

from typing import Dict, Optional

from talon_one.sandbox.documents import Doc


class SandboxError(Exception):
    """An HTTP error answer: status, message and optional field pointer."""

    def __init__(self, status: int, message: str, pointer: Optional[str] = None,
                 title: Optional[str] = None, parameter: Optional[str] = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.pointer = pointer
        self.title = title
        self.parameter = parameter

    def body(self) -> Doc:
        """The JSON body: ``{"message", "errors": [...], "StatusCode"}``."""
        source: Dict[str, str] = {}
        if self.pointer is not None:
            source['pointer'] = self.pointer
        if self.parameter is not None:
            source['parameter'] = self.parameter
        error = {'title': self.title or self.message, 'details': self.message,
                 'source': source}
        return {'message': self.message, 'errors': [error], 'StatusCode': self.status}


def bad_request(message: str, pointer: Optional[str] = None,
                parameter: Optional[str] = None) -> SandboxError:
    return SandboxError(400, message, pointer=pointer, parameter=parameter,
                        title='Invalid request')


def not_found(message: str, pointer: Optional[str] = None) -> SandboxError:
    return SandboxError(404, message, pointer=pointer, title='Not found')


def conflict(message: str) -> SandboxError:
    return SandboxError(409, message, title='Conflict')
