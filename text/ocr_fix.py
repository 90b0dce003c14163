"""Correcting what OCR commonly gets wrong in Thai print, by the dictionary and by what a
cell must hold. Pure text: the OCR path (``kamrap.parsers.ocr``) calls these on its words.

- **Look-alike letters.** ข/ช, ด/ต, ถ/ภ, บ/ป, ผ/ฝ, พ/ฟ, ฎ/ฏ, ซ/ช, ั/ี/ิ, ่/้ differ by a stroke.
  A word that dictionary words do not cover is tried with each such swap (one, then two), and
  a lost tone mark put back; the reading that reads best as dictionary words wins, and only if
  it reads better than the word as read (the dictionary is pythainlp's, as for the text-layer
  quality score). A word the dictionary covers as read is left alone: ขี้ and ชี้ are both
  words, and nothing in the word tells them apart.
- **Marks read as Latin letters.** Tesseract's ``tha+eng`` reads a stray upper mark as ``a``,
  ``o``, ``w``: a run of one or two Latin letters stuck to a Thai letter is dropped.
- **Numbers.** A cell that holds a number (mostly digits) has its look-alike letters read as
  the digits they resemble (``O`` → 0, ``l`` → 1, ``S`` → 5).

    >>> fix_word("หนวยงาน")
    'หน่วยงาน'
    >>> fix_word("วิสัvยทัศน์")
    'วิสัยทัศน์'
    >>> fix_number("1O0%")
    '100%'
"""

from __future__ import annotations

import functools
import math

import regex

from kamrap.text.thai import _words, dictionary_coverage, dictionary_score, repair_thai

__all__ = ["LOOKALIKES", "NUMERAL_LOOKALIKES", "colon_apart", "fix_number", "fix_thai", "fix_word", "joined",
           "label_letter", "lost_first_letter", "nearest_words", "opens_with_read", "restore_tone_marks",
           "skeleton", "split_given_name"]

#: Letters OCR takes for one another: they differ by a small stroke, a tail or a loop.
LOOKALIKES: dict[str, str] = {
    "ข": "ช", "ช": "ขซ", "ซ": "ช", "ด": "ต", "ต": "ด", "ถ": "ภ", "ภ": "ถ", "บ": "ป", "ป": "บ",
    "ผ": "ฝ", "ฝ": "ผ", "พ": "ฟ", "ฟ": "พ", "ฎ": "ฏ", "ฏ": "ฎ", "ม": "น", "น": "ม", "ร": "ธ",
    "ธ": "ร", "ว": "ร", "ล": "ส", "ส": "ล", "ท": "ห", "ห": "ท", "ค": "ด",
    "\u0e31": "\u0e35\u0e34",  # MAI HAN-AKAT / SARA II / SARA I
    "\u0e35": "\u0e31\u0e34\u0e37", "\u0e34": "\u0e35\u0e31", "\u0e37": "\u0e35",
    "\u0e48": "\u0e49", "\u0e49": "\u0e48\u0e4a", "\u0e4a": "\u0e49",  # MAI EK / MAI THO / MAI TRI
}
#: Signs OCR reads for the Thai digit of their shape, where a number must stand: MAIYAMOK (ๆ)
#: is ๗ without the loop on its top.
NUMERAL_LOOKALIKES = str.maketrans({"\u0e46": "\u0e57"})
#: Marks OCR loses (small, over or under a letter: tone marks, upper and lower vowels):
#: left out of the skeleton.
_LOSABLE = "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d"
_SKELETON = str.maketrans({**{a: min(a + b) for a, b in LOOKALIKES.items() if a not in _LOSABLE},
                           **{m: None for m in _LOSABLE}, "\u0e33": "\u0e32"})

_THAI = regex.compile(r"[\u0e01-\u0e4e]")
_LATIN_IN_THAI = regex.compile(r"(?<=[\u0e01-\u0e4e])[A-Za-z]{1,2}(?![A-Za-z])"
                               r"|(?<![A-Za-z])[A-Za-z]{1,2}(?=[\u0e01-\u0e4e])")
_THAI_RUN = regex.compile(r"[\u0e01-\u0e4e]+")


def _alike(read: str, printed: str) -> bool:
    """Whether OCR may have read the letter ``printed`` as ``read``: the same letter, or
    look-alikes either way round (ค for ด as well as ด for ค); SARA AM as SARA AA."""
    read, printed = read.replace("\u0e33", "\u0e32"), printed.replace("\u0e33", "\u0e32")
    return read == printed or printed in LOOKALIKES.get(read, "") or read in LOOKALIKES.get(printed, "")


def opens_with_read(text: str, word: str) -> int | None:
    """How much of the start of ``text`` is ``word`` as OCR may read it — small marks lost or
    read in (tone marks, upper and lower vowels), letters read as their look-alikes — or None.
    For a word a line's place says it opens with (a bulleted group heading), not for free text:
    ด้าน and ค้าน are both words.

    >>> opens_with_read("ค้านการพัฒนาองค์กร", "ด้าน"), opens_with_read("มตภายนอก", "มิติ")
    (4, 2)
    >>> opens_with_read("ผ่านเกณฑ์", "ด้าน"), opens_with_read("มิติภายใน", "มิติ")
    (None, 4)
    """
    letters = [ch for ch in word if ch not in _LOSABLE]
    at = 0
    for letter in letters:
        while at < len(text) and text[at] in _LOSABLE:
            at += 1
        if at >= len(text) or not _alike(text[at], letter):
            return None
        at += 1
    while at < len(text) and text[at] in _LOSABLE:  # the marks over the word's last letter
        at += 1
    return at


def _coverage(text: str) -> int:
    return dictionary_coverage(text, 2)


def skeleton(text: str) -> str:
    """What of ``text`` OCR reliably reads: tone marks and other small marks left out, SARA AM
    as SARA AA, each group of look-alike letters as one letter."""
    return text.translate(_SKELETON)


@functools.lru_cache(maxsize=8)
def _index(extra: tuple[str, ...]) -> tuple[dict[str, tuple[str, ...]], int]:
    """Dictionary words (pythainlp's, and ``extra``) by skeleton."""
    words, _ = _words()
    by: dict[str, list[str]] = {}
    for word in sorted(words | set(extra)):
        by.setdefault(skeleton(word), []).append(word)
    return {k: tuple(v) for k, v in by.items()}, max(map(len, by))


@functools.lru_cache(maxsize=50000)
def fix_word(word: str, extra: tuple[str, ...] = ()) -> str:
    """``word`` (one OCR word, no spaces), repaired (SARA AM in two pieces put together, marks
    in order), with Latin letters inside Thai dropped and each run of Thai letters corrected
    by the dictionary (see :func:`fix_thai`); ``extra``: more words to know (a vocabulary)."""
    word = _LATIN_IN_THAI.sub("", repair_thai(word))
    return _THAI_RUN.sub(
        lambda m: restore_tone_marks(_vocabulary(fix_thai(_sara_am(m.group()), extra), extra)), word)


#: Tone marks (MAI EK, MAI THO, MAI TRI, MAI CHATTAWA): small strokes over a letter that OCR
#: loses ("ขันตอน" for ขั้นตอน, "เรือง" for เรื่อง).
_TONES = "\u0e48\u0e49\u0e4a\u0e4b"
_NO_TONES = str.maketrans("", "", _TONES)
#: How much more likely (log odds, by the Thai National Corpus's word counts) the one word
#: with a tone mark put back must be than the two words read in its place: ten times.
_TONE_ODDS = math.log(10)
#: How much more likely a word with one tone mark more must be than a single word read in
#: its place: fifty-five times (log odds 4). ที่ is 67 times as common as ที, เรื่อง 166 times
#: as เรือง, ได้ 400 times as ได; ค่า only 5 times as คา (คาสายสวน: a catheter left in),
#: ร่าง 13 times as ราง, ไก่ 10 times as ไก: where both are common, the word read stays.
_SINGLE_TONE_ODDS = 4.0


@functools.lru_cache(maxsize=1)
def _word_log_frequencies() -> tuple[dict[str, float], dict[str, tuple[str, ...]]]:
    """Each word of the Thai National Corpus (pythainlp's ``tnc``) with the log of its share
    of the corpus; and the words by their letters without tone marks."""
    from pythainlp.corpus import tnc

    counts = {w: c for w, c in tnc.word_freqs() if c > 0}
    total = sum(counts.values())
    by_letters: dict[str, list[str]] = {}
    for word in counts:
        if any(t in word for t in _TONES):
            by_letters.setdefault(word.translate(_NO_TONES), []).append(word)
    return ({w: math.log(c / total) for w, c in counts.items()},
            {k: tuple(v) for k, v in by_letters.items()})


def restore_tone_marks(run: str) -> str:
    """``run`` (Thai letters as OCR read them) with tone marks OCR lost put back where the loss
    split one word into two: two dictionary words side by side (pythainlp's segmentation) are
    replaced by the dictionary word with the same letters and one tone mark more when that
    word is far more common in Thai print (`_TONE_ODDS`, by the Thai National Corpus) than
    the two words together. A single word is replaced so only when the word with the mark is
    overwhelmingly more common (`_SINGLE_TONE_ODDS`: ที for ที่, เรือง for เรื่อง); where
    both are common words (ราง and ร่าง, ผา and ผ้า) the corpus cannot tell which one a line
    meant, and the word read stays.

    >>> restore_tone_marks("ขันตอนการให้บริการ"), restore_tone_marks("มันคงปลอดภัย")
    ('ขั้นตอนการให้บริการ', 'มั่นคงปลอดภัย')
    >>> restore_tone_marks("นำนวัตกรรมมาใช้"), restore_tone_marks("การคาสายสวน")
    ('นำนวัตกรรมมาใช้', 'การคาสายสวน')
    >>> restore_tone_marks("ทั้งหมดทีหน่วยงาน"), restore_tone_marks("จำนวนเรืองร้องเรียน")
    ('ทั้งหมดที่หน่วยงาน', 'จำนวนเรื่องร้องเรียน')
    """
    if len(run) < 2:
        return run
    from pythainlp.tokenize import word_tokenize

    log_p, by_letters = _word_log_frequencies()
    words, _ = _words()
    tokens = word_tokenize(run, engine="newmm")
    out: list[str] = []
    i = 0
    while i < len(tokens):
        pair = tokens[i:i + 2]
        # two words read where one is printed (ขัน|ตอน for ขั้นตอน); words of the dictionary
        # only, not the pieces the segmenter cuts a name it does not know into
        if len(pair) == 2 and all(p in log_p and p in words for p in pair):
            printed = "".join(pair)
            tones = sum(printed.count(t) for t in _TONES)
            better = [w for w in by_letters.get(printed.translate(_NO_TONES), ())
                      if w in words and sum(w.count(t) for t in _TONES) == tones + 1 and _keeps_marks(printed, w)
                      and log_p[w] - log_p[pair[0]] - log_p[pair[1]] >= _TONE_ODDS]
            if better:
                out.append(max(better, key=log_p.__getitem__))
                i += 2
                continue
        out.append(_one_more_tone(tokens[i], log_p, by_letters, words))
        i += 1
    return "".join(out)


def _one_more_tone(token: str, log_p: dict[str, float], by_letters: dict[str, tuple[str, ...]],
                   words: frozenset[str]) -> str:
    """A single dictionary word read with a tone mark lost, written with it when the word with
    the mark is overwhelmingly more common (`_SINGLE_TONE_ODDS`); else the word as read."""
    if token not in log_p or token not in words:
        return token
    tones = sum(token.count(t) for t in _TONES)
    better = [w for w in by_letters.get(token.translate(_NO_TONES), ())
              if w in words and sum(w.count(t) for t in _TONES) == tones + 1 and _keeps_marks(token, w)
              and log_p[w] - log_p[token] >= _SINGLE_TONE_ODDS]
    return max(better, key=log_p.__getitem__) if better else token


@functools.lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    """Thai given names (pythainlp's lists of female and male names), of three letters or more."""
    from pythainlp.corpus import thai_female_names, thai_male_names

    return frozenset(n for n in thai_female_names() | thai_male_names() if len(n) >= 3)


#: Letters a surname has at least, after a given name run into it.
_MIN_SURNAME = 3


def split_given_name(word: str, titles: tuple[str, ...]) -> str:
    """``word`` (one OCR word) with the space between a person's given name and surname put
    back when OCR read the two as one word after a personal title (``titles``): the longest
    known given name (`_given_names`) the word goes on with after its title, if at least
    `_MIN_SURNAME` Thai letters follow it. Names the lists do not know stay as read.

    >>> split_given_name("นายสุธีสุทาวัน", ("นาย", "นางสาว"))
    'นายสุธี สุทาวัน'
    >>> split_given_name("นางสาวจิรนนท์ภูสุข", ("นาย", "นางสาว")), split_given_name("นายสุธี", ("นาย",))
    ('นางสาวจิรนนท์ ภูสุข', 'นายสุธี')
    """
    title = max((t for t in titles if word.startswith(t)), key=len, default=None)
    if title is None:
        return word
    rest = word[len(title):]
    names = _given_names()
    for end in range(len(rest) - _MIN_SURNAME, 2, -1):
        if rest[:end] in names and _THAI.match(rest[end]) and not _COMBINING_START.match(rest[end]):
            return f"{title}{rest[:end]} {rest[end:]}"
    return word


#: A mark or vowel that cannot open a syllable: a surname does not start with one.
_COMBINING_START = regex.compile(r"[\u0e30-\u0e3a\u0e45\u0e47-\u0e4e]")


def _keeps_marks(printed: str, word: str) -> bool:
    """Whether ``word`` is ``printed`` with tone marks added only (the marks it has kept)."""
    i = 0
    for ch in word:
        if i < len(printed) and ch == printed[i]:
            i += 1
        elif ch not in _TONES:
            return False
    return i == len(printed)


def _sara_am(run: str) -> str:
    """``run`` with a tone mark and SARA AA read where SARA AM is printed (its NIKHAHIT taken
    for MAI THO or MAI EK: "จ้านวน" for จำนวน) put back, each where the dictionary then
    covers the whole run and reads it no worse (ถ้า and ค้าขาย stay: ถำ is no word, คำ|ขาย
    reads worse than ค้า|ขาย).

    >>> _sara_am("จ้านวน"), _sara_am("ถ้า"), _sara_am("ค้าขาย")
    ('จำนวน', 'ถ้า', 'ค้าขาย')
    """
    for mark in ("\u0e49\u0e32", "\u0e48\u0e32"):
        at = run.find(mark)
        while at >= 0:
            candidate = run[:at] + "\u0e33" + run[at + 2:]
            if dictionary_coverage(candidate, 2) == len(candidate) and (
                    dictionary_score(candidate) >= dictionary_score(run)):
                run = candidate
            at = run.find(mark, at + 1)
    return run


#: Vocabulary words shorter than this (in skeleton letters) are not looked for inside runs.
_MIN_VOCABULARY = 5


@functools.lru_cache(maxsize=8)
def _skeletons(extra: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(skeleton, word) of the vocabulary words long enough to look for, longest first."""
    pairs = {(skeleton(w), _with_sara_am(w)) for w in extra if len(skeleton(w)) >= _MIN_VOCABULARY}
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[1])))


@functools.lru_cache(maxsize=8)
def _whole_skeletons(extra: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The vocabulary words ``extra`` by skeleton (a skeleton two words share maps to both,
    the first in sorted order first)."""
    by: dict[str, list[str]] = {}
    for word in sorted(set(extra)):
        if len(skeleton(word)) >= 2:
            by.setdefault(skeleton(word), []).append(_with_sara_am(word))
    return {k: tuple(v) for k, v in by.items()}


def _with_sara_am(word: str) -> str:
    """A vocabulary word (kept with SARA AM as SARA AA) written as the dictionary reads it
    best: each SARA AA tried as SARA AM ("น้าหนัก" is น้ำหนัก, one word)."""
    best = word
    for i, ch in enumerate(word):
        if ch == "\u0e32":
            candidate = best[:i] + "\u0e33" + best[i + 1:]
            if dictionary_score(candidate) > dictionary_score(best):
                best = candidate
    return best


#: A vocabulary word is looked for without its first letter only when this many skeleton
#: letters are left to match (fewer would match ordinary words).
_MIN_HEADLESS = 5


def lost_first_letter(word: str, extra: tuple[str, ...]) -> str:
    """``word``, the first word of a line, with a vocabulary word it opens with written whole
    when OCR lost that word's first letter: tesseract drops a line's first letter when it lays
    the line out (``วัชวัดที`` for ตัวชี้วัดที่, the first letter and the stacked marks gone).
    Only words of ``_MIN_HEADLESS`` + 1 skeleton letters or more are looked for this way.

    >>> lost_first_letter("วัชวัดที่", ("ตัวชี้วัดที่",))
    'ตัวชี้วัดที่'
    >>> lost_first_letter("ละเอียด", ("รายละเอียด",))
    'ละเอียด'
    """
    skel = skeleton(word)
    starts = [i for i, ch in enumerate(word) if skeleton(ch)]
    for word_skeleton, whole in _skeletons(extra):
        headless = word_skeleton[1:]
        if len(headless) < _MIN_HEADLESS or not skel.startswith(headless) or skel.startswith(word_skeleton):
            continue
        end = starts[len(headless)] if len(headless) < len(starts) else len(word)
        return whole + word[end:]
    return word


def nearest_words(text: str, extra: tuple[str, ...]) -> str:
    """``text`` (a table header cell, where header words are what is printed) with each
    stretch one letter away from a vocabulary word's skeleton (a letter read in, left out or
    read as another: "เกภัณฑ์" for เกณฑ์) written as that word. Only words of
    ``_MIN_HEADLESS`` skeleton letters or more; exact readings are :func:`fix_word`'s.

    >>> nearest_words("เกภัณฑ์การให้คะแนน", ("เกณฑ์การให้คะแนน",))
    'เกณฑ์การให้คะแนน'
    >>> nearest_words("หมายเหตุ", ("เกณฑ์การให้คะแนน",))
    'หมายเหตุ'

    A whole run whose skeleton is a vocabulary word's, however short, is that word: in a
    header, "๑๒ เดอน" (SARA UEE lost) is ๑๒ เดือน, though เด and อน are dictionary words.

    >>> nearest_words("๑๒ เดอน", ("เดือน",)), nearest_words("เดอนก", ("เดือน",))
    ('๑๒ เดือน', 'เดอนก')
    """
    from rapidfuzz.distance import Levenshtein

    whole_words = _whole_skeletons(extra)

    def mend(match: regex.Match[str]) -> str:
        run = match.group()
        skel = skeleton(run)
        if skel in whole_words and run not in whole_words[skel]:
            return whole_words[skel][0]
        starts = [i for i, ch in enumerate(run) if skeleton(ch)] + [len(run)]
        for word_skeleton, whole in _skeletons(extra):
            n = len(word_skeleton)
            if n < _MIN_HEADLESS or word_skeleton in skel:
                continue
            for size in (n, n - 1, n + 1):
                for at in range(0, len(skel) - size + 1):
                    if Levenshtein.distance(skel[at:at + size], word_skeleton, score_cutoff=1) <= 1:
                        return run[:starts[at]] + whole + run[starts[at + size]:]
        return run

    return _THAI_RUN.sub(mend, text)


def _vocabulary(run: str, extra: tuple[str, ...]) -> str:
    """``run`` with each stretch whose skeleton is a vocabulary word's written as that word:
    a header cell holds a header word (ตัวชีวัด, a lost tone mark, is ตัวชี้วัด)."""
    if not extra:
        return run
    skel = skeleton(run)
    loose = run.replace("\u0e33", "\u0e32")  # vocabulary words are kept with SARA AM as SARA AA
    for word_skeleton, word in _skeletons(extra):
        at = skel.find(word_skeleton)
        if at < 0 or word in loose:
            continue
        starts = [i for i, ch in enumerate(run) if skeleton(ch)]  # skeleton position → run index
        begin = starts[at]
        end_index = at + len(word_skeleton)
        end = starts[end_index] if end_index < len(starts) else len(run)
        # put back the SARA AM the run prints where the word has SARA AA
        letters = list(word)
        word_starts = [i for i, ch in enumerate(word) if skeleton(ch)]
        for k in range(at, end_index):
            if run[starts[k]] == "\u0e33" and letters[word_starts[k - at]] == "\u0e32":
                letters[word_starts[k - at]] = "\u0e33"
        return run[:begin] + "".join(letters) + run[end:]
    return run


def fix_thai(run: str, extra: tuple[str, ...] = (), force: bool = False) -> str:
    """A run of Thai letters as the dictionary reads it: cut into the dictionary words whose
    skeletons (:func:`skeleton`) cover it best (maximal matching, as the quality score does),
    each piece written as that dictionary word — the piece as read when it is one, else the
    word nearest to it. Pieces no word covers stay as read; a run that is dictionary words
    as read stays as it is."""
    if len(run) < 2 or (not force and dictionary_coverage(run, 2) >= len(run)):
        return run
    index, longest = _index(extra)
    # the skeleton of the run, and for each of its characters where it starts in the run
    starts: list[int] = []
    skel = ""
    for i, ch in enumerate(run):
        s = skeleton(ch)
        if s:
            skel += s
            starts.append(i)
    n = len(skel)
    if n < 2:
        return run
    starts.append(len(run))
    # (covered, -words, likelihood) up to each position: of two cuts that cover as much in as
    # many words, the one whose words are the likelier reading (`_piece`): ตาม|แผน as
    # printed, not ตา|มีแผน (the same skeletons; the dictionary has มีแผน, one letter more)
    best: list[tuple[int, int, float]] = [(0, 0, 0.0)] * (n + 1)
    back: list[int] = [-1] * (n + 1)
    chosen: list[str] = [""] * (n + 1)
    for i in range(1, n + 1):
        best[i], back[i] = best[i - 1], -1
        for j in range(max(0, i - longest), i - 1):
            if skel[j:i] in index:
                word, likelihood = _piece(run[starts[j]:starts[i]], index[skel[j:i]])
                score = (best[j][0] + i - j, best[j][1] - 1, best[j][2] + likelihood)
                if score > best[i]:
                    best[i], back[i], chosen[i] = score, j, word
    pieces: list[str] = []
    i = n
    while i > 0:
        j = back[i]
        if j < 0:
            pieces.append(run[starts[i - 1]:starts[i]])
            i -= 1
            continue
        pieces.append(chosen[i])
        i = j
    fixed = "".join(reversed(pieces))
    if force:
        return fixed if dictionary_score(fixed) > dictionary_score(run) else run
    return fixed if dictionary_coverage(fixed, 2) > dictionary_coverage(run, 2) else run


#: The log-likelihood of a word the corpus does not count (below its rarest), and what one
#: letter changed from what OCR read costs: a hundredth.
_UNSEEN_WORD = -16.0
_EDIT_COST = math.log(100)


def _piece(printed: str, words: tuple[str, ...]) -> tuple[str, float]:
    """The word a piece of OCR'd text is, among the dictionary words of its skeleton (the
    piece as read when it is one, else the nearest by letters changed), and how likely: the
    word's log share of the Thai National Corpus, less `_EDIT_COST` for each letter changed
    from what was read."""
    log_p, _ = _word_log_frequencies()
    word = printed if printed in words else min(words, key=lambda w: _distance(w, printed))
    return word, log_p.get(word, _UNSEEN_WORD) - _EDIT_COST * _distance(word, printed)


def _distance(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions): rapidfuzz's Levenshtein."""
    from rapidfuzz.distance import Levenshtein

    return int(Levenshtein.distance(a, b))


def joined(left: str, right: str) -> str | None:
    """Two OCR words separated by a narrow gap as one word, when they are one: joined (and
    corrected, :func:`fix_word`), the dictionary covers them fully and reads them better than
    apart (as much covered, in fewer words: จำ | นวม are two words, จำนวน one); else None."""
    if not (_THAI.match(left[-1:]) and _THAI.match(right[:1])):
        return None
    whole = fix_word(left + right)
    if _THAI_RUN.fullmatch(whole):  # two pieces of one word may each be a word (จำ, นวม)
        whole = fix_thai(whole, force=True)
    if _coverage(whole) < len(whole):
        return None
    if dictionary_score(whole) > dictionary_score(fix_word(left)) + dictionary_score(fix_word(right)):
        return whole
    return None


#: Punctuation OCR reads for the letter of its shape: the round bracket for C (C : … labels a
#: group of indicators), the bar for I.
_LETTER_LOOKALIKES = {"(": "C", "[": "C", "|": "I"}
#: Glyphs OCR reads for the right half of a C read apart from its left (a bracket).
_ROUND_GLYPHS = "0oO๐"


def label_letter(word: str, following: str) -> str:
    """``word`` read as a one-letter label when it is one: a lone bracket or bar before a colon
    ("( :" for "C :") is no text a page prints (an opening bracket that nothing closes, a
    colon after it), and the letter of its shape is.

    The bracket with a round glyph after it ("(0", "(o") is the same C read as two glyphs
    (its two halves): a zero opened by a bracket that nothing closes is no label either.

    >>> label_letter("(", ":"), label_letter("(", "ตัวชี้วัด"), label_letter("(ก", ":")
    ('C', '(', '(ก')
    >>> label_letter("(0", ":"), label_letter("(0", "ตัว"), label_letter("(0)", ":")
    ('C', '(0', '(0)')
    """
    if not following.startswith(":"):
        return word
    if word in _LETTER_LOOKALIKES:
        return _LETTER_LOOKALIKES[word]
    if len(word) == 2 and word[0] in "([" and word[1] in _ROUND_GLYPHS:
        return "C"
    return word


def colon_apart(word: str) -> list[str]:
    """``word`` split at a colon that opens it (after a lone bracket or bar that stands for a
    label's letter, see :func:`label_letter`): a colon ends what goes before it and never
    starts a word, so ":ตัวชี้วัด" and "(:ตัวชี้วัด" are words run together by narrow gaps.

    >>> colon_apart(":ตัวชี้วัด"), colon_apart("(:ตัวชี้วัด"), colon_apart(":"), colon_apart("๑:๒")
    ([':', 'ตัวชี้วัด'], ['(', ':', 'ตัวชี้วัด'], [':'], ['๑:๒'])
    """
    head = word[:1] if word[:1] in _LETTER_LOOKALIKES and word[1:2] == ":" else ""
    rest = word[len(head):]
    if rest[:1] != ":" or (not head and len(rest) == 1):
        return [word]
    after = rest[1:]
    if after[:1].isspace() or after[:1] == ":":
        return [word]
    return [part for part in (head, ":", after) if part]


_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1",
                                   "i": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "g": "9",
                                   "q": "9"})
_DIGIT = regex.compile(r"[0-9๐-๙]")
#: A number as a cell prints it: digits with at most one decimal point, thousands commas, %.
_ONE_NUMBER = regex.compile(r"^[0-9๐-๙]{1,3}(?:,?[0-9๐-๙]{3})*(?:\.[0-9๐-๙]+)?%?$")


def fix_number(text: str) -> str:
    """A cell's text read as a number when it holds one: when most of its letters and digits
    are digits, Latin look-alikes of digits become digits (``1O0%`` → ``100%``). Other text
    is returned as it is."""
    stripped = regex.sub(r"[\s,.%:/()\-+<>=]", "", text)
    if not stripped:
        return text
    digits = len(_DIGIT.findall(stripped))
    if digits == 0 or digits < 0.6 * len(stripped):
        return text
    text = text.translate(_DIGIT_LOOKALIKES)
    # one number read in pieces ("๕. ๐๐๐ ๐"): the gaps OCR saw between its digits go; a
    # percent sign a word space apart stays apart ("๖๕ %" is printed so: the gap between
    # digits and sign measures as a space, half a letter's height, where "๖๕%" has a fifth)
    percent = text.rstrip().endswith(" %")
    pieces = (text.rstrip()[:-1] if percent else text).split()
    if len(pieces) < 2 or not any(len(p) == 1 or p.endswith(".") or p.startswith(".") for p in pieces):
        return text  # two whole numbers ("๘๐ ๘๕") stay two
    joined = "".join(pieces)
    if not _ONE_NUMBER.match(joined):
        return text
    return joined + " %" if percent else joined
