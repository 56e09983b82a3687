"""The corpus of plans: manifest, document references, import and fetch."""
