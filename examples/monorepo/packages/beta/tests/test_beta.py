import pytest

from acme_beta import shout


def test_shouts_the_name() -> None:
    assert shout("pypi") == "HELLO, PYPI!"


def test_refuses_a_blank_name() -> None:
    with pytest.raises(ValueError):
        shout("")
