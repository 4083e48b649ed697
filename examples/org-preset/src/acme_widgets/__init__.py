"""Acme widgets."""


def widget_count() -> int:
    """How many widgets Acme ships."""
    return 3
