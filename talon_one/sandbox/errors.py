"""Errors the sandbox answers with, in the Integration API's error shape."""


class SandboxError(Exception):
    """An HTTP error answer: status, message and optional field pointer."""

    def __init__(self, status, message, pointer=None, title=None, parameter=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.pointer = pointer
        self.title = title
        self.parameter = parameter

    def body(self):
        """The JSON body: ``{"message", "errors": [...], "StatusCode"}``."""
        source = {}
        if self.pointer is not None:
            source['pointer'] = self.pointer
        if self.parameter is not None:
            source['parameter'] = self.parameter
        error = {'title': self.title or self.message, 'details': self.message,
                 'source': source}
        return {'message': self.message, 'errors': [error], 'StatusCode': self.status}


def bad_request(message, pointer=None, parameter=None):
    return SandboxError(400, message, pointer=pointer, parameter=parameter,
                        title='Invalid request')


def not_found(message, pointer=None):
    return SandboxError(404, message, pointer=pointer, title='Not found')


def conflict(message):
    return SandboxError(409, message, title='Conflict')
