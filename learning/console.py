"""What every `flask --app app ...` command shares: the language it speaks, its refusals as sentences,
and passwords read without echo from a terminal or plainly from a pipe.

The language is the operator's: `LANGUAGE`, `LC_ALL`, `LC_MESSAGES` or `LANG` when it names a
language the interface has (`en_US.UTF-8` → English), otherwise Bahasa Indonesia, the default.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import current_app
from flask_babel import force_locale


def console_locale(environ: dict | None = None) -> str:
    environ = os.environ if environ is None else environ
    languages = current_app.config["LANGUAGES"]
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for part in (environ.get(name) or "").split(":"):
            code = part.split(".")[0].split("_")[0].lower()
            if code in languages:
                return code
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@contextmanager
def speaking() -> Iterator[None]:
    """Run the body in the operator's language (see the module docstring)."""
    with force_locale(console_locale()):
        yield


def read_password(label: str) -> str:
    """From a terminal: a hidden prompt, asked twice. From a pipe: the first line, with no
    prompt and no GetPassWarning (getpass warns when it cannot hide the input)."""
    if sys.stdin.isatty():
        return click.prompt(label, hide_input=True, confirmation_prompt=True, err=True)
    line = sys.stdin.readline()
    return line[:-1] if line.endswith("\n") else line
