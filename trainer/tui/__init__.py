"""The Textual app: a thin face over the core (bank, scoring, sim, study, export)."""
