"""Text on its way to a terminal: nothing in it may act on the terminal. Pure: standard library.

Names, file names, a course pack's text and whatever else came from a file can carry an ANSI or
OSC escape (ESC, or CSI as the single character U+009B), a bell, a backspace or carriage return
that rewrites what is on screen, or a lone surrogate (a file name whose bytes are not UTF-8),
which would stop the output with an encoding error. Each face neutralises them at the one place
it prints:

- the CLI's sentences (``latsar.cli.outcome``, ``latsar.errors.warn``, the import summaries):
  ``visible`` writes each such character out as an escape (``\\x1b``), so an instructor sees
  what is in a file's name;
- Rich in the plain terminal and Textual in the TUI: ``inert`` drops them from the text as it
  is rendered (they take no cell, so every layout stays as measured) and shows a lone
  surrogate as U+FFFD.

Tab and newline stay where text has lines (``inert``); a sentence (``visible``) keeps only tab.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline; DEL; the C1 controls; lone surrogates.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
UNSAFE_IN_SENTENCE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff]")
_ZERO_WIDTH = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by Python's surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` as one printable line: each control character, newline included, and each lone
    surrogate written out as an escape (``\\x1b``, ``\\x9b``, ``\\ud800``)."""
    if UNSAFE_IN_SENTENCE.search(text) is None:
        return text
    return UNSAFE_IN_SENTENCE.sub(_escape, text)


def inert(text: str) -> str:
    """``text`` with its control characters removed (newline and tab kept) and each lone
    surrogate shown as U+FFFD: the same cells on screen, nothing for the terminal to obey."""
    if UNSAFE.search(text) is None:
        return text
    return _SURROGATE.sub(REPLACEMENT, _ZERO_WIDTH.sub("", text))
