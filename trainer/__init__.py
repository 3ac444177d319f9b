"""trainer: practise deployment, release-engineering and networking interviews."""

__version__ = "0.1.0"
