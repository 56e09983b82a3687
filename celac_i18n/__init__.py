"""celac-i18n: align, score, diff and typeset the languages of China-CELAC plans.

Importing the package is cheap on purpose: heavy libraries (lingua, lxml, pypdf,
torch, ...) are imported inside the functions that need them.
"""

from .version import __version__
