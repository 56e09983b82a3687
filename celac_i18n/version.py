"""The toolkit's version, in a module of its own so that every stage can put it in its
signatures without importing the package's top level (which re-exports the stages)."""

__version__ = "0.1.0"
