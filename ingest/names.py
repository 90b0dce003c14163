"""File names as data: any name the file system holds, shown and stored as one printable line.

A POSIX file name is bytes. Python hands it over as text, bytes that are not UTF-8 (an archive
copied from an old Windows share: ``caf\\xe9.pdf`` in cp874 or latin-1) as lone surrogates
(``os.fsdecode``'s surrogateescape), which SQLite and a UTF-8 terminal refuse. A name may also
hold a newline (a forged second line in a list of failures) or terminal escape codes.

`display_name` turns any name into a faithful escaped form: printable characters stay as they
are (Thai included), a backslash is doubled, a byte that is not UTF-8 is ``\\xNN``, a newline,
tab or carriage return is ``\\n``, ``\\t``, ``\\r``, and any other unprintable character
(controls, escape codes, format characters such as U+202E that reverse the text after it) is
``\\uNNNN`` or ``\\UNNNNNNNN``. The form is what kamrap stores as a file's key and prints, so one
file is always one line, and `real_name` gives the name back exactly.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_SHORT = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\\": "\\\\"}
_UNESCAPE = re.compile(r"\\(\\|n|t|r|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})")


def display_name(name: str | os.PathLike[str] | bytes) -> str:
    """The escaped, printable, one-line form of a file name or path (see the module docstring).

    >>> display_name(os.fsdecode(b"caf\\xe9.pdf")), display_name("a\\nb.pdf"), display_name("กข.pdf")
    ('caf\\\\xe9.pdf', 'a\\\\nb.pdf', 'กข.pdf')
    """
    text = os.fsdecode(name) if isinstance(name, bytes) else os.fspath(name)
    if text.isprintable() and "\\" not in text:
        return text
    return "".join(_escape(char) for char in text)


def _escape(char: str) -> str:
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    if char.isprintable():
        return char
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def real_name(shown: str) -> str:
    """The name `display_name` escaped, as the file system holds it (as `os.fsdecode` gives it)."""
    def unescape(match: re.Match[str]) -> str:
        code = match[1]
        if code in ("\\", "n", "t", "r"):
            return {"\\": "\\", "n": "\n", "t": "\t", "r": "\r"}[code]
        if code[0] == "x":
            return chr(0xDC00 + int(code[1:], 16))
        return chr(int(code[1:], 16))

    return _UNESCAPE.sub(unescape, shown) if "\\" in shown else shown


def real_path(shown: str) -> Path:
    return Path(real_name(shown))


def one_line(text: str) -> str:
    """A message as one printable line: every unprintable character escaped as in a name."""
    return display_name(text)


def short_line(text: str, limit: int = 200) -> str:
    """`text` with every run of whitespace (line breaks included) one space, cut to `limit`
    characters ("…" marks the cut): a detail that fits in a one-line reason.

    >>> short_line("no  such\\n field"), short_line("x" * 5, limit=3)
    ('no such field', 'xxx…')
    """
    text = " ".join(text.split())
    return text[:limit] + "…" if len(text) > limit else text


def error_line(exc: BaseException) -> str:
    """An exception as the detail of a reason, one short line.

    >>> error_line(KeyError("no such field"))
    "KeyError: 'no such field'"
    """
    return f"{type(exc).__name__}: {short_line(str(exc))}"
