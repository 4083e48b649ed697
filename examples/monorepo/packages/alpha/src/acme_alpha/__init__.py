"""Polite greetings, released by projen-pypi-pipelines from a monorepo."""

__all__ = ["greet"]


def greet(name: str) -> str:
    """Return a friendly greeting for ``name``."""
    if not name.strip():
        raise ValueError("name must not be blank")
    return f"Hello, {name}!"
