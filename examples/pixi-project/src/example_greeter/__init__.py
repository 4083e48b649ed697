"""Greetings, released by projen-pypi-pipelines."""

__all__ = ["greet"]


def greet(name: str) -> str:
    """Return a friendly greeting for ``name``."""
    if not name.strip():
        raise ValueError("name must not be blank")
    return f"Hello, {name}!"
