"""hello-rs: the `hello-rs` command is the Rust binary installed next to Python's scripts."""

from __future__ import annotations

import shutil


def executable() -> str | None:
    """Where the installed `hello-rs` binary is, if it is on PATH."""
    return shutil.which("hello-rs")
