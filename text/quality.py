"""How much of a page's extracted text reads as Thai: a score for each page's text layer.

Pure text: nothing here knows about PDFs. A page whose text layer is broken (glyphs without
Unicode, marks on the wrong consonant, a font with a made-up encoding) yields Thai that no
dictionary knows, and leftovers of the extraction itself: pdfminer's ``(cid:N)`` for a glyph
without a mapping, U+FFFD, private-use code points. The score is the share of the Thai
characters that dictionary words of three or more characters cover (maximal matching over
pythainlp's word list), reduced by ten times the share of those leftovers and of sequences
correct Thai never has (a mark on no consonant, ำา):

    score = covered / thai × max(0, 1 − 10 × junk / (thai + junk))

Correctly extracted office text scores 0.9–1.0 (names of places and people the dictionary
lacks keep it below 1): the samples and the repaired real budget pages all do. pdfplumber's
own ``extract_text()`` scores 0.05–0.55 on the real pages and 0.4–0.85 on the LibreOffice
samples, whose faults are fewer. A page with too little Thai to judge (and no leftovers)
scores 1.0.

    >>> text_quality("ตัวชี้วัด น้ำหนัก ร้อยละ").score
    1.0
    >>> text_quality("ตวัชี(cid:201)วดั นํ(cid:202)าหนกั").score < LOW_QUALITY
    True
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from kamrap.text.thai import dictionary_coverage

__all__ = ["JUNK_WEIGHT", "LOW_QUALITY", "MIN_THAI_CHARS", "TextQuality", "text_quality"]

#: Below this score a page's text is not to be trusted (see the module docstring for the scale).
LOW_QUALITY = 0.8
#: A leftover costs as much as this many Thai characters outside the dictionary: one glyph
#: without text breaks the word it is in, and says that the text layer is damaged.
JUNK_WEIGHT = 10
#: A page with fewer Thai characters is not judged (score 1.0): too little to tell.
MIN_THAI_CHARS = 40

#: Only words of three or more characters count: two-letter words (มา, ตา, กิ …) cover the
#: fragments of broken text nearly as well as whole text.
_MIN_WORD = 3

_THAI_RUN = regex.compile(r"[\u0e01-\u0e4e]+")
_UNMAPPED = regex.compile(r"\(cid:\d+\)")
_PRIVATE_USE = regex.compile(r"[\ue000-\uf8ff]")
# Never correct Thai: a combining mark on something other than a consonant or another mark
# (at the start of a line, after a space, after a vowel letter or a digit), and SARA AM or
# NIKHAHIT before SARA AA (ำา: SARA AM drawn in two pieces and not put back together).
_MISPLACED = regex.compile(r"(?:^|(?<=[^\u0e01-\u0e2e\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]))"
                           r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]|[\u0e33\u0e4d][\u0e48-\u0e4b]?\u0e32",
                           regex.MULTILINE)


@dataclass(frozen=True)
class TextQuality:
    """The evidence behind a page's text-quality score."""

    score: float
    thai_chars: int  # Thai letters and marks (U+0E01–U+0E4E), digits and punctuation not counted
    covered: int  # of those, covered by dictionary words
    unmapped: int  # "(cid:N)" left by glyphs without Unicode
    replacement: int  # U+FFFD
    private_use: int  # code points U+E000–U+F8FF
    misplaced: int  # marks on no consonant, ำา: sequences correct Thai never has

    @property
    def junk(self) -> int:
        return self.unmapped + self.replacement + self.private_use + self.misplaced

    def describe(self) -> str:
        """One line for a warning: the score and what lowered it.

        >>> text_quality("ตวัชี(cid:201)วดั นํ(cid:202)าหนกั").describe()
        'score 0.00: 20% of the Thai in dictionary words, 2 unmapped glyphs (cid:N)'
        """
        parts = [f"score {self.score:.2f}: {self.covered / max(1, self.thai_chars):.0%} of the Thai in dictionary words"]
        for count, what in ((self.unmapped, "unmapped glyphs (cid:N)"), (self.replacement, "U+FFFD"),
                            (self.private_use, "private-use code points"),
                            (self.misplaced, "misplaced marks")):
            if count:
                parts.append(f"{count} {what}")
        return ", ".join(parts)


def text_quality(text: str) -> TextQuality:
    """Score ``text`` (one page's) from 0 (unreadable) to 1 (every Thai character in a
    dictionary word, no leftovers); see the module docstring."""
    unmapped = len(_UNMAPPED.findall(text))
    replacement = text.count("\ufffd")
    private_use = len(_PRIVATE_USE.findall(text))
    misplaced = len(_MISPLACED.findall(text))
    runs = _THAI_RUN.findall(_UNMAPPED.sub(" ", text))
    thai = sum(map(len, runs))
    covered = sum(dictionary_coverage(run, _MIN_WORD) for run in runs)
    junk = unmapped + replacement + private_use + misplaced
    if thai < MIN_THAI_CHARS and not junk:
        score = 1.0
    else:
        score = covered / max(1, thai) * max(0.0, 1 - JUNK_WEIGHT * junk / max(1, thai + junk))
    return TextQuality(round(score, 4), thai, covered, unmapped, replacement, private_use, misplaced)
