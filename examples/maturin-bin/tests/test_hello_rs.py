import subprocess

import hello_rs


def test_the_binary_greets():
    exe = hello_rs.executable()
    assert exe, "hello-rs is not installed"
    out = subprocess.run([exe, "PyPI"], check=True, capture_output=True, text=True).stdout
    assert out == "Hello, PyPI!\n"
