"""Making input text safe to print or to open in a spreadsheet — the one place every text output uses.

Cell text and file names come from thousands of submitters. Before any of it reaches a terminal, a
CI log, a CSV file or a Markdown summary it goes through one of these functions:

* :func:`display` — escape sequences (OSC 0/8/52 titles, links and clipboard writes, CSI cursor and
  colour codes, DCS/APC/PM/SOS strings), other C0/C1 controls, DEL and bidirectional overrides are
  removed; newline and tab are kept where the format allows; a file name that is not valid UTF-8
  (bytes Python carries as lone surrogates ``\\udcXX``) is shown as ``\\xXX`` escapes, any other lone
  surrogate as U+FFFD — so every output is valid UTF-8 and names the file recognisably;
* :func:`neutralise` — a spreadsheet cell that would run as a formula (``=``, ``+``, ``-``, ``@``,
  tab or CR first) gets a leading apostrophe, plain negative numbers included (``'-5`` still reads
  as -5);
* :func:`csv_cell` — both, for one CSV cell;
* :func:`json_text` — C1 controls, DEL and U+2028/U+2029 in already-serialised JSON written as
  ``\\uXXXX`` (json.dumps escapes C0 itself), so a JSON file shown in a terminal cannot drive it.
"""

from __future__ import annotations

import re

#: Escape sequences, 7-bit and 8-bit forms: string commands (OSC, DCS, SOS, PM, APC) with their
#: payload up to the terminator (BEL or ST, on the same line; an unterminated one loses only its
#: introducer, so that it cannot swallow the rest of the output), CSI with its parameters, and
#: two-character escapes. Every repetition stops at the next introducer, so matching is linear.
_SEQUENCE = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\x90\x98\x9d\x9e\x9f\n]*(?:\x07|\x1b\\|\x9c)"
    r"|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"  # CSI … final byte
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"  # ESC c, ESC ( B, ESC 7 …, or a lone ESC
)
#: Controls left after the sequences: C0 except tab/LF, DEL, C1, bidirectional embeddings/overrides/isolates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_NO_TAB = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_NO_NEWLINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Surrogates Python's surrogateescape made of undecodable bytes (U+DC80–U+DCFF), and the other lone ones.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def unescape_surrogates(text: str) -> str:
    """Undecodable file-name bytes as ``\\xXX``, other lone surrogates as U+FFFD (valid UTF-8 after)."""
    if not _LONE_SURROGATE.search(text):
        return text
    text = _ESCAPED_BYTE.sub(lambda match: f"\\x{ord(match.group()) - 0xDC00:02x}", text)
    return _LONE_SURROGATE.sub("\ufffd", text)


def file_name_bytes(name: str) -> bytes:
    """The bytes of a file name as on disk (surrogate-escaped bytes restored; other lone surrogates U+FFFD)."""
    name = re.sub("[\ud800-\udc7f\udd00-\udfff]", "\ufffd", name)
    return name.encode("utf-8", "surrogateescape")


def display(text: str, *, newline: bool = True, tab: bool = True) -> str:
    """``text`` safe to print: no escape sequences or controls (newline/tab kept unless told not to)."""
    text = unescape_surrogates(text)
    if text.isprintable():  # the common case: nothing to remove (newline/tab are not "printable")
        return text
    text = _SEQUENCE.sub("", text)
    if newline and tab:
        return _CONTROL.sub("", text)
    if newline:
        return _CONTROL_NO_TAB.sub("", text)
    if tab:
        return _CONTROL_NO_NEWLINE.sub("", text)
    return _CONTROL_NO_TAB.sub("", text).replace("\n", " ")


def neutralise(value: str) -> str:
    """Prefix an apostrophe to a value a spreadsheet would evaluate as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_cell(value: object) -> str:
    """One CSV cell: controls and escape sequences removed (newline and tab kept), formulas neutralised."""
    return neutralise(display(str(value)))


def json_text(serialised: str) -> str:
    """Serialised JSON with C1 controls, DEL and line/paragraph separators written as ``\\uXXXX``.

    These characters can only occur inside JSON strings, where the escape means the same character,
    so the document's data are unchanged. Undecodable file-name bytes become the text ``\\xXX``
    (the backslash escaped for JSON), other lone surrogates U+FFFD.
    """
    if _LONE_SURROGATE.search(serialised):  # json.dumps(ensure_ascii=False) leaves them raw, inside strings
        serialised = _ESCAPED_BYTE.sub(lambda match: f"\\\\x{ord(match.group()) - 0xDC00:02x}", serialised)
        serialised = _LONE_SURROGATE.sub("\ufffd", serialised)
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", serialised)
