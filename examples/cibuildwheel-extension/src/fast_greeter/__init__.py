"""A greeter with its arithmetic in C."""

from ._speedups import add

__all__ = ["add", "greet"]


def greet(name: str) -> str:
    """Return a greeting for ``name``."""
    return f"Hello, {name}!"
