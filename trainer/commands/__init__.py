"""Subcommand implementations, one module per command group, imported on demand."""
