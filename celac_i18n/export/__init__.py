"""Exchange formats for translators' tools: TMX 1.4b and XLIFF 2.0."""
