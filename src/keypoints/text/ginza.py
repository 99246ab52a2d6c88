"""The one GiNZA loader: `ja_ginza`, loaded once per process, at its first use."""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def ginza_nlp() -> Any:
    """The GiNZA pipeline (`ja_ginza`), loaded once per process.

    Its layers multiply matrices through numpy's BLAS (OpenBLAS, which picks its
    kernels for the CPU at run time) rather than thinc's default, the BLIS bundled
    with cython-blis: BLIS falls back to its generic kernels on CPUs it does not
    know (AMD Zen 4, for one), where ja_ginza's tok2vec runs twice as slow. The
    parses are the same (tests/test_analyze.py); benchmarks/throughput.py
    prints the speed of both.
    """
    import spacy
    from thinc.api import use_ops

    with use_ops("numpy", use_blis=False):
        return spacy.load("ja_ginza")
