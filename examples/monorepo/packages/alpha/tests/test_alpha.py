import pytest

from acme_alpha import greet


def test_greets_by_name() -> None:
    assert greet("PyPI") == "Hello, PyPI!"


def test_refuses_a_blank_name() -> None:
    with pytest.raises(ValueError):
        greet("  ")
