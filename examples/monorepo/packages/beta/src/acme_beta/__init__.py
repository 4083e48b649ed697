"""Loud greetings, released by projen-pypi-pipelines from a monorepo."""

__all__ = ["shout"]


def shout(name: str) -> str:
    """Return a greeting for ``name`` in capitals."""
    if not name.strip():
        raise ValueError("name must not be blank")
    return f"HELLO, {name.upper()}!"
