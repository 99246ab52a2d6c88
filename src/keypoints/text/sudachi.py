"""The one SudachiPy loader (split mode A, sudachidict-core) and what is read from it.

`tokenize` gives the light `Token`s every stage scores with (surface, normalized
form, part of speech); `morphemes_of` gives the conjugation details the compress
rules need, cached, as the guards re-read a point several times.

    >>> [t.surface for t in tokenize("厚労省が発表した。")]
    ['厚労', '省', 'が', '発表', 'し', 'た', '。']
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

from keypoints.structures import Token

# SudachiPy refuses input over 49,149 bytes; stay well below it (UTF-8 Japanese
# is 3 bytes a character, some characters 4).
SUDACHI_MAX_BYTES = 40_000

# Texts whose morphemes stay cached: the guards re-read a text a few times while
# it is compressed. 8,192 texts hold about 50 MB; at 1,024 a livedoor article needs
# about 4 more tokenizations (~0.2 ms).
MORPHEME_CACHE_SIZE = 8192


@functools.cache
def sudachi_tokenizer() -> Any:
    """The SudachiPy split-mode-A tokenizer (core dictionary), created once per process."""
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="core").create(mode=SplitMode.A)


# Part-of-speech tuples by SudachiPy's id: the dictionary has a few thousand, and
# one shared tuple per id spares building a new one for every token.
_POS_BY_ID: dict[int, tuple[str, ...]] = {}


def _pos(morpheme: Any) -> tuple[str, ...]:
    pos_id = morpheme.part_of_speech_id()
    pos = _POS_BY_ID.get(pos_id)
    if pos is None:
        pos = _POS_BY_ID[pos_id] = tuple(morpheme.part_of_speech()[:4])
    return pos


def byte_safe_chunks(text: str, max_bytes: int = SUDACHI_MAX_BYTES) -> list[str]:
    """Pieces of `text` that each encode to at most `max_bytes` UTF-8 bytes."""
    if len(text.encode("utf-8")) <= max_bytes:
        return [text]
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for char in text:
        char_bytes = len(char.encode("utf-8"))
        if size + char_bytes > max_bytes:
            chunks.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += char_bytes
    chunks.append("".join(current))
    return chunks


def tokenize(text: str) -> list[Token]:
    """SudachiPy split-mode-A tokens of `text`, safe for any length."""
    tokenizer = sudachi_tokenizer()
    return [
        Token(m.surface(), m.normalized_form(), _pos(m))
        for chunk in byte_safe_chunks(text)
        for m in tokenizer.tokenize(chunk)
    ]


class Morpheme(NamedTuple):
    """What the compress rules need of a SudachiPy morpheme (split mode A)."""

    surface: str
    pos: str  # 動詞, 助動詞, 名詞 ...
    pos1: str  # 格助詞, 接続助詞, 普通名詞 ...
    pos2: str  # サ変可能, 助数詞可能, 一般 ...
    conj_type: str  # 五段-カ行, 助動詞-マス ... ('*' when it does not conjugate)
    conj_form: str  # 連用形-一般, 終止形-一般 ...
    lemma: str  # dictionary form, in the surface's spelling: 書き → 書く


@functools.lru_cache(maxsize=MORPHEME_CACHE_SIZE)
def morphemes_of(text: str) -> tuple[Morpheme, ...]:
    """SudachiPy split-mode-A morphemes of `text`, cached (guards run often)."""
    tokenizer = sudachi_tokenizer()
    result = []
    for chunk in byte_safe_chunks(text):
        for m in tokenizer.tokenize(chunk):
            pos = m.part_of_speech()
            result.append(
                Morpheme(m.surface(), pos[0], pos[1], pos[2], pos[4], pos[5], m.dictionary_form())
            )
    return tuple(result)
