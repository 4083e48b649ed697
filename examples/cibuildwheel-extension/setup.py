"""The C extension; everything else is in pyproject.toml."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("fast_greeter._speedups", ["src/fast_greeter/_speedups.c"])])
