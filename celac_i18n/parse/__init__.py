"""Parse a plan's plain text into its numbered structure (see ``parser.parse``)."""

from .parser import parse

__all__ = ["parse"]
