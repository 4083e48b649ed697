import fast_greeter


def test_add_is_computed_in_c():
    assert fast_greeter.add(2, 3) == 5
    assert fast_greeter._speedups.__file__.endswith((".so", ".pyd"))


def test_greet():
    assert fast_greeter.greet("PyPI") == "Hello, PyPI!"
