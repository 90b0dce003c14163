"""normalize.thai: pure-text repair of Thai extracted from PDFs."""

from __future__ import annotations

import random

import pytest

from kamrap.text.thai import THAI_PUA_MAP, collapse_ws, map_pua, repair_thai

# --- SARA AM -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("สาํนัก", "สำนัก"),  # SARA AA + NIKHAHIT (x-sorted)
        ("ตํ่า", "ต่ำ"),  # NIKHAHIT + tone + SARA AA (glyph order)
        ("นํ้า", "น้ำ"),
        ("ต่ํา", "ต่ำ"),  # tone first, then the two halves
        ("ตา่ํ", "ต่ำ"),  # x-sorted with the tone between
        ("กําหนด", "กำหนด"),
        ("สําเร็จ", "สำเร็จ"),
        ("ตําบลศาลายา อําเภอพุทธมณฑล", "ตำบลศาลายา อำเภอพุทธมณฑล"),
    ],
)
def test_sara_am_recomposed(broken: str, fixed: str) -> None:
    assert repair_thai(broken) == fixed


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("กำา", "กำ"),  # NIKHAHIT glyph mapped to U+0E33, SARA AA glyph mapped to U+0E32
        ("สำาเร็จ", "สำเร็จ"),
        ("นำ้า", "น้ำ"),  # … with the tone drawn between them
        ("จำำปี", "จำปี"),  # InDesign: cluster text on the first glyph, repeated by the next
    ],
)
def test_sara_am_leftovers_dropped(broken: str, fixed: str) -> None:
    assert repair_thai(broken) == fixed


# --- PUA ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pua", "fixed"),
    [
        ("ก\uf70aอน", "ก่อน"),  # U+F70A MAI EK shifted down (no upper vowel)
        ("ป\uf705า", "ป่า"),  # U+F705 MAI EK shifted down-left (ascender consonant)
        ("ป\uf714า", "ป้า"),  # U+F714 MAI THO shifted left
        ("ป\uf701ด", "ปิด"),  # U+F701 SARA I shifted left
        ("ฝ\uf710\uf713ง", "ฝั่ง"),  # U+F710 MAI HAN-AKAT + U+F713 MAI EK, both shifted left
        ("กตั\uf70fญู", "กตัญญู"),  # U+F70F YO YING without descender
        ("\uf700าน", "ฐาน"),  # U+F700 THO THAN without descender
        ("ก\uf718", "กุ"),  # U+F718 SARA U shifted down
        ("ฤ\uf71a", "ฤฺ"),  # U+F71A PHINTHU shifted down
        ("ป\uf88dา", "ป้า"),  # Mac PUA U+F88D MAI THO shifted left
    ],
)
def test_pua_mapped(pua: str, fixed: str) -> None:
    assert repair_thai(pua) == fixed


def test_pua_table_covers_the_windows_range() -> None:
    assert set(range(0xF700, 0xF71B)) <= set(THAI_PUA_MAP)
    assert all("\u0e01" <= v <= "\u0e4e" for v in THAI_PUA_MAP.values())
    assert map_pua("abc ไทย") == "abc ไทย"
    assert map_pua("\uf70b") == "\u0e49"


# --- spaces, order, doubles --------------------------------------------------------------


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("ก ่อน", "ก่อน"),
        ("ส ำคัญ", "สำคัญ"),
        ("ที ่ดิน", "ที่ดิน"),
        ("สิ  ่ง", "สิ่ง"),
        ("ก่ิ", "กิ่"),  # tone before vowel → vowel, tone
        ("ท่ี", "ที่"),
        ("พันธ์ุ", "พันธุ์"),
        ("วิิสััยทััศน์์", "วิสัยทัศน์"),  # InDesign doubles
        ("สิ่่ง", "สิ่ง"),
    ],
)
def test_spaces_order_and_doubles(broken: str, fixed: str) -> None:
    assert repair_thai(broken) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ไม้เอก ( ่ )",  # a mark quoted after a non-Thai character keeps its space
        "ร้อยละ ๘๐% ที่นี่",
        "เงินอุดหนุน 1,250,000.00 บาท (KPI 1.1)",
        "สำเร็จ ได้ที่ น้ำหนัก ตัวชี้วัด ผู้รับบริการ กำหนด",
        "กรุงเทพมหานคร\nต่ำกว่า",
        "(cid:201)",
    ],
)
def test_correct_text_unchanged(text: str) -> None:
    assert repair_thai(text) == text


def test_dictionary_words_unchanged() -> None:
    from pythainlp.corpus import thai_words

    words = sorted(thai_words())
    sample = random.Random(2564).sample(words, 5000)
    changed = {w: repair_thai(w) for w in sample if repair_thai(w) != w}
    assert changed == {}


def test_idempotent_on_random_thai() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    alphabet = st.sampled_from(
        [chr(c) for c in range(0x0E01, 0x0E5C) if c not in (0x0E3B, 0x0E3C, 0x0E3D, 0x0E3E)]
        + [" ", "\u00a0", "\uf70a", "\uf713", "\uf70f", "\uf71a", "a", "1"]
    )

    @settings(max_examples=500, deadline=None, database=None)
    @given(st.text(alphabet=alphabet, max_size=30))
    def check(text: str) -> None:
        once = repair_thai(text)
        assert repair_thai(once) == once
        assert not any(0xF700 <= ord(c) <= 0xF71A for c in once)

    check()


# --- collapse_ws -------------------------------------------------------------------------


def test_collapse_ws() -> None:
    assert collapse_ws("  ร้อยละ \n\t ความพึงพอใจ\u00a0 ของ  ") == "ร้อยละ ความพึงพอใจ ของ"
    assert collapse_ws("e\u0301") == "\u00e9"  # NFC
    assert collapse_ws("") == ""
    assert collapse_ws("\n \n") == ""


# --- the dictionary ----------------------------------------------------------------------


def test_dictionary_coverage() -> None:
    from kamrap.text.thai import dictionary_coverage

    assert dictionary_coverage("ต่ำกว่า") == 7  # ต่ำ กว่า
    assert dictionary_coverage("ต้ำกว่า") == 4  # กว่า only
    assert dictionary_coverage("") == 0
    assert dictionary_coverage("abc") == 0
    # two-letter words cover fragments of broken text (ปฏบิ ตั กิ าร: ตั, กิ); min_len=3 skips them
    assert dictionary_coverage("ปฏบิตักิาร", min_len=3) < dictionary_coverage("ปฏบิตักิาร")


def test_dictionary_score_prefers_fewer_longer_words() -> None:
    from kamrap.text.thai import dictionary_score

    # ประจำปี (one word) against ประ จ๋า ปี (three): the same characters covered
    assert dictionary_score("ประจำปีงบ") > dictionary_score("ประจ๋าปีงบ")
    assert dictionary_score("เครื่องมือ") > dictionary_score("เครื้องมือ")
    assert dictionary_score("") == 0


# --- the samples' own text ---------------------------------------------------------------


def _strings(obj: object):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, list):
        for item in obj:
            yield from _strings(item)
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from _strings(value)


def test_samples_source_text_unchanged() -> None:
    """Every text of the samples' sources (transcribed from the seeds: correct Thai as
    printed) comes out of the repair unchanged."""
    import json

    from conftest import SAMPLES

    texts = [s for src in sorted((SAMPLES / "src").glob("*.json"))
             for s in _strings(json.loads(src.read_text(encoding="utf-8")))]
    assert len(texts) > 1000
    assert {s: repair_thai(s) for s in texts if repair_thai(s) != s} == {}


def test_mark_order_agrees_with_pythainlp() -> None:
    """Canonical mark order: pythainlp's normalize is the reference. Every order of the marks
    of a dictionary word's mark run comes out of both the same."""
    import itertools

    import regex
    from pythainlp.util import normalize

    run = regex.compile(r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]{2,}")
    from pythainlp.corpus import thai_words

    words = sorted(w for w in thai_words() if run.search(w))
    disagree = {}
    for word in random.Random(2565).sample(words, 1500):
        m = run.search(word)
        for marks in set(itertools.permutations(m.group())):
            broken = word[: m.start()] + "".join(marks) + word[m.end():]
            if repair_thai(broken) != normalize(broken):
                disagree[broken] = (repair_thai(broken), normalize(broken))
    assert disagree == {}
