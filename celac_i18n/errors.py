"""Errors a user can act on.

A ``UserError`` is bad input (a missing file, an unknown plan, an empty document):
the CLI prints its message on one line and exits with code 2, no traceback.
"""


class UserError(Exception):
    """Bad input from the user; the message says what and where."""

    exit_code = 2


class NoNumberingError(UserError):
    """The text has no chapters, clauses or articles the parser can recognise.

    A distinct type so that callers which can work without numbering (the aligner
    reads such a text as plain paragraphs) catch exactly this case.
    """
