"""The text of an article's bytes: UTF-8 first, else the Japanese encoding that
charset-normalizer finds (UTF-16, Shift_JIS as cp932, EUC-JP, ISO-2022-JP), or the one
the user forces with `--encoding`.

    >>> decode_bytes("港町市の路面電車が開業する。".encode("euc_jp"), "a.txt").note
    'a.txt read as EUC-JP (euc-jp); pass --encoding to choose another'
    >>> decode_bytes("「みなと線」".encode("cp932"), "b.txt", "cp932").text
    '「みなと線」'

Bytes that are not text in any of them (a binary file), and bytes whose best readings
disagree with none of them clearly best, are refused with an `UndecodableInputError`
that says how to pass `--encoding`.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import CharsetMatch, from_bytes

from keypoints.errors import UndecodableInputError

AUTO = "auto"
# What detection may choose (charset-normalizer's names) and how a note names each:
# the encoding, then the --encoding value that forces it. Shift_JIS is read as cp932,
# its Windows superset (① ～ and the NEC/IBM extensions).
DETECTED_NAMES = {
    "utf_16": "UTF-16 (utf-16)",
    "utf_16_le": "UTF-16LE (utf-16-le)",
    "utf_16_be": "UTF-16BE (utf-16-be)",
    "cp932": "Shift_JIS (cp932)",
    "euc_jp": "EUC-JP (euc-jp)",
    "iso2022_jp": "ISO-2022-JP (iso-2022-jp)",
}
# Bytes of text in any of these encodings but UTF-16 never hold a NUL.
_WITH_NUL = [name for name in DETECTED_NAMES if name.startswith("utf_16")]
# charset-normalizer drops a candidate whose chunks look messier than this; its default
# (0.2) drops real articles (mixed kana, kanji, digits and a mail address in one chunk).
# Candidates must still decode strictly, and the least messy wins.
_MESS_THRESHOLD = 0.5
# A runner-up this close to the best (charset-normalizer's own "difficult decision":
# mess ratios within 1%, language coherence within 2%) that reads as other text makes
# the encoding impossible to tell.
_CHAOS_MARGIN = 0.01
_COHERENCE_MARGIN = 0.02
SUPPORTED = "UTF-8, UTF-16, Shift_JIS (cp932), EUC-JP or ISO-2022-JP"


@dataclass(frozen=True)
class Decoded:
    """The text of some bytes, the codec that read them, and whether it was guessed."""

    text: str
    encoding: str = "utf-8"
    source: str = ""
    detected: bool = False  # True: not UTF-8 and not forced, found by detection

    @property
    def label(self) -> str:
        """How messages name the encoding: 'Shift_JIS (cp932)'."""
        return DETECTED_NAMES.get(self.encoding, self.encoding)

    @property
    def note(self) -> str | None:
        """The line that says which encoding was detected, or None (UTF-8, forced)."""
        if not self.detected:
            return None
        return f"{self.source} read as {self.label}; pass --encoding to choose another"


def check_encoding(name: str) -> str:
    """`name` as Python's codec name ('auto' stays 'auto'); ValueError for an unknown
    encoding or a codec that is not a text encoding (base64, rot13).

    >>> check_encoding("Shift-JIS"), check_encoding("EUC-JP")
    ('shift_jis', 'euc_jp')
    """
    if name.strip().lower() == AUTO:
        return AUTO
    try:
        info = codecs.lookup(name)
        _decodes_text(info.name)
    except LookupError:
        raise ValueError(
            f"{name!r} is not a text encoding Python knows: use auto or an encoding "
            "such as cp932, shift_jis, euc-jp, iso-2022-jp, utf-16 or utf-8"
        ) from None
    return info.name


def _decodes_text(encoding: str) -> None:
    """LookupError unless `encoding` turns bytes into text (base64 and rot13 do not)."""
    try:
        b"\x00\x00\x00\x00".decode(encoding)  # empty bytes would not look the codec up
    except UnicodeDecodeError:
        pass


def decode_bytes(data: bytes, source: str, encoding: str = AUTO) -> Decoded:
    """The text of `data` (a file named `source` in messages), in `encoding` or, with
    'auto', UTF-8 (a BOM accepted and removed) or else the encoding detected. UTF-8 is
    tried first, with no detection, unless the bytes hold a NUL (UTF-16?) or an escape
    (ISO-2022-JP?)."""
    if encoding != AUTO:
        return _forced(data, source, check_encoding(encoding))
    if b"\x00" not in data:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        else:
            if b"\x1b" not in data:
                return Decoded(text, "utf-8", source)
            # ISO-2022-JP is 7-bit, so valid UTF-8 too: its escape sequences tell it.
            found = _candidates(data, ["iso2022_jp"])
            if found:
                return Decoded(found[0][1], "iso2022_jp", source, detected=True)
            return Decoded(text, "utf-8", source)
    return _detected(data, source)


def _forced(data: bytes, source: str, encoding: str) -> Decoded:
    try:
        text = data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise UndecodableInputError(
            f"{source}: not {encoding} text (byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start:,}); pass another --encoding, or --encoding auto to detect it"
        ) from None
    if "\x00" in text:
        raise UndecodableInputError(
            f"{source}: read as {encoding} it holds NUL characters: a binary file?"
        )
    return Decoded(text, encoding, source)


def _detected(data: bytes, source: str) -> Decoded:
    candidates = _candidates(data)
    if not candidates:
        raise UndecodableInputError(
            f"{source}: not text in {SUPPORTED} (a binary file?); if it is text, "
            "pass its encoding, e.g. --encoding cp932"
        )
    (best, text), *others = candidates
    for other, other_text in others:
        if other_text != text and _close(best, other):
            raise UndecodableInputError(
                f"{source}: cannot tell its encoding: it reads as {_glimpse(text)} in "
                f"{_flag(best.encoding)} and as {_glimpse(other_text)} in "
                f"{_flag(other.encoding)}; pass one, e.g. --encoding {_flag(best.encoding)}"
            )
    return Decoded(text, best.encoding, source, detected=True)


def _candidates(data: bytes, allowed: list[str] | None = None) -> list[tuple[CharsetMatch, str]]:
    """charset-normalizer's readings of `data` in the encodings detection may choose
    (or those `allowed`), best first, each with its text (only those that decode the
    whole of `data`)."""
    if allowed is None:
        allowed = _WITH_NUL if b"\x00" in data else list(DETECTED_NAMES)
    readings = []
    for match in from_bytes(data, cp_isolation=allowed, threshold=_MESS_THRESHOLD):
        if match.encoding not in DETECTED_NAMES:
            continue
        try:
            text = str(match)  # charset-normalizer checks only samples of a large input
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            readings.append((match, text.removeprefix("\ufeff")))
    return readings


def _close(best: CharsetMatch, other: CharsetMatch) -> bool:
    return (
        other.chaos - best.chaos < _CHAOS_MARGIN
        and abs(other.coherence - best.coherence) <= _COHERENCE_MARGIN
    )


def _flag(encoding: str) -> str:
    """The --encoding value of a detected encoding: 'cp932', 'euc-jp'."""
    return DETECTED_NAMES[encoding].rsplit("(", 1)[1].rstrip(")")


def _glimpse(text: str, size: int = 12) -> str:
    """The start of `text` in 「」, control characters and line breaks shown as spaces."""
    head = "".join(c if c.isprintable() else " " for c in text[:size])
    return f"「{head}{'…' if len(text) > size else ''}」"
