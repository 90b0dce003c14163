"""Correcting OCR's Thai confusions (text/ocr_fix.py) and reporting what OCR was unsure of.

The misreadings below are ones tesseract's Thai model makes (seen on the scans of the
samples and of the real KPI scan); the corrections were worked out by hand: what the printed
word is, and which rule gets there.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import regex

from conftest import expected_export, sample_stems

from kamrap.parsers.document import _low_confidence
from kamrap.parsers.layout import Cell, Grid, PageLayout
from kamrap.parsers.ocr import OcrPage, OcrWord, _Glyph, _inside, _mend_split_lines, doubtful, vocabulary_words
from kamrap.parsers.ocr_digits import looks_numeric
from kamrap.text.ocr_fix import (fix_number, fix_word, joined, lost_first_letter, nearest_words,
                                  restore_tone_marks, skeleton)
from kamrap.text.thai import similarity


def test_latin_letters_stuck_to_thai_are_misread_marks() -> None:
    assert fix_word("วิสัvยทัศน์") == "วิสัยทัศน์"  # a stray v where a mark floats
    assert fix_word("เดือนom") == "เดือน"
    assert fix_word("ICT") == "ICT"  # a Latin word of its own stays


def test_lost_tone_mark_put_back_by_the_dictionary() -> None:
    # หนวยงาน is no word; its skeleton (marks left out) is that of หน่วยงาน
    assert fix_word("หนวยงาน") == "หน่วยงาน"
    assert fix_word("ยุทธศาสตรท") == "ยุทธศาสตร์ท"  # the thanthakhat of ยุทธศาสตร์


def test_sara_am_in_two_pieces_is_one() -> None:
    assert fix_word("จํานวน") == "จำนวน"  # NIKHAHIT + SARA AA


def test_dictionary_words_as_read_are_left_alone() -> None:
    for word in ("ร้อยละ", "ความพึงพอใจ", "ศูนย์เทคโนโลยีการศึกษา", "การ", "จำนวน"):
        assert fix_word(word) == word


def test_look_alike_letters_share_a_skeleton() -> None:
    assert skeleton("ข") == skeleton("ช") and skeleton("ด") == skeleton("ต")
    assert skeleton("ถ") == skeleton("ภ") and skeleton("ั") == skeleton("ี")
    assert skeleton("ที่") == skeleton("ที")  # the tone mark is what gets lost


def test_a_header_cell_holds_a_header_word() -> None:
    """ขี้ and ชี้ are both words, so the dictionary cannot tell ตัวขี้วัด from ตัวชี้วัด; the
    vocabulary's header word can. Likewise a lost mark in a word the patterns look for."""
    vocabulary = vocabulary_words()
    assert fix_word("ตัวขี้วัด", vocabulary) == "ตัวชี้วัด"
    assert fix_word("ตัวชีวัดผลการปฏิบัติงานราชการ", vocabulary) == "ตัวชี้วัดผลการปฏิบัติงานราชการ"
    assert fix_word("เปาหมาย", vocabulary) == "เป้าหมาย"
    # a lost MAI HAN-AKAT, a lost tone mark and ม for น: น้ำหนัก, written with its SARA AM
    assert fix_word("นาหมก", vocabulary) == "น้ำหนัก"
    assert fix_word("วัตถุประสงค์ที", vocabulary) == "วัตถุประสงค์ที่"
    # the vocabulary keeps SARA AM as SARA AA; a word printed with SARA AM keeps it
    assert fix_word("ผลการตำเนินงาน", vocabulary) == "ผลการดำเนินงาน"
    assert fix_word("ผลการดำเนินงาน", vocabulary) == "ผลการดำเนินงาน"


def test_pieces_of_one_word_are_joined() -> None:
    assert joined("จำ", "นวม") == "จำนวน"  # จำ and นวม are words; จำนวน is the one word
    assert joined("หน่วย", "งาน") == "หน่วยงาน"
    assert joined("การ", "ดำเนินงาน") is None  # two words, as well read apart
    assert joined("ร้อยละ", "80") is None


def test_a_number_cell_holds_digits() -> None:
    assert fix_number("1O0%") == "100%"
    assert fix_number("4,50O") == "4,500"  # three of its four letters and digits are digits
    assert fix_number("ร้อยละ 80") == "ร้อยละ 80"  # mostly letters: not a number cell
    assert fix_number("Ol") == "Ol"  # no digit at all
    assert fix_number("๕. ๐๐๐ ๐") == "๕.๐๐๐๐"  # one number OCR saw gaps in
    assert fix_number("๒ ๕๖๔") == "๒๕๖๔"
    assert fix_number("๘๐ ๘๕") == "๘๐ ๘๕"  # two whole numbers stay two
    # agreement_bankruptcy2_2564 p.4 prints the criteria "๕๕ %" and "๕๐%" side by side (read
    # off the page); at 300 dpi the gap before the sign is 0.53 of a letter's height in the
    # first, 0.12 in the second: a space OCR saw is a space printed
    assert fix_number("๕๕ %") == "๕๕ %" and fix_number("๕๐%") == "๕๐%"
    assert fix_number("๕ ๕ %") == "๕๕ %"  # the digits still one number


def test_what_is_read_again_as_a_number() -> None:
    assert looks_numeric("๒๕") and looks_numeric("80%") and looks_numeric("|!๒๕")
    assert looks_numeric("eo") and looks_numeric("ว") and looks_numeric(":")  # what OCR makes of ๗๐, 3, -
    assert not looks_numeric("ร้อยละ") and not looks_numeric("KPIs")


def test_doubtful_cells() -> None:
    assert doubtful("เกณฑ์การให้คะ¢") and doubtful("ม al vy") and doubtful("วัyตถุ")
    assert not doubtful("ร้อยละความพึงพอใจของผู้รับบริการ") and not doubtful("๘๐%")


def test_low_confidence_names_page_and_cell() -> None:
    """Two unsure words in the cell of row 2, column 3 of the page's only table make one
    finding naming that cell; a sure word makes none; an unsure word outside the table is
    named by its line."""
    cells = [[Cell((0, 0, 100, 20), ["a"]), Cell((100, 0, 200, 20), ["b"]), Cell((200, 0, 300, 20), ["c"])],
             [Cell((0, 20, 100, 40), ["d"]), Cell((100, 20, 200, 40), ["e"]), Cell((200, 20, 300, 40), ["f"])]]
    grid = Grid(page=4, bbox=(0, 0, 300, 40), rows=cells)
    words = [OcrWord("๘๕", (210, 22, 230, 38), 41.0), OcrWord("%", (232, 22, 240, 38), 30.0),
             OcrWord("ร้อยละ", (10, 22, 60, 38), 95.0), OcrWord("ดูแล", (10, 500, 60, 516), 20.0)]
    page = PageLayout(number=4, width=600, height=800, chars=[], lines=[], tables=[grid],
                      ocr=OcrPage(width=600, height=800, chars=[], words=words))
    found = _low_confidence(page)
    assert [w.kind for w in found] == ["low_confidence", "low_confidence"]
    assert all(w.page == 4 for w in found)
    assert "table 1, row 2, column 3" in found[0].message and "'๘๕' (41)" in found[0].message
    assert "'%' (30)" in found[0].message and "ร้อยละ" not in found[0].message
    assert "line at 508 pt" in found[1].message


def test_a_line_that_lost_its_first_letter_gets_the_vocabulary_word_back() -> None:
    """Tesseract drops a line's first letter with the stacked marks over it: ตัวชี้วัดที่ comes
    back as วัชวัดที (read off the details_moi scan); a word of ordinary text that happens to
    end like a vocabulary word is left alone (ละเอียด is not รายละเอียด)."""
    vocabulary = vocabulary_words()
    assert lost_first_letter("วัชวัดที", vocabulary) == "ตัวชี้วัดที่"
    assert lost_first_letter("วัชวัดที่๕๑", vocabulary) == "ตัวชี้วัดที่๕๑"
    assert lost_first_letter("ละเอียด", vocabulary) == "ละเอียด"
    assert lost_first_letter("ร้อยละ", vocabulary) == "ร้อยละ"


def test_a_header_word_one_letter_off_is_the_header_word() -> None:
    """A header cell misread by one letter (read off the variant_digits 200 dpi scan:
    เกภัณฑ์ for เกณฑ์) is the header word; a header word read right, or another word, stays."""
    vocabulary = vocabulary_words()
    assert nearest_words("เกภัณฑ์การให้คะแนน", vocabulary) == "เกณฑ์การให้คะแนน"
    assert nearest_words("เกณฑ์การให้คะแนน", vocabulary) == "เกณฑ์การให้คะแนน"
    assert nearest_words("หมายเหตุ", vocabulary) == "หมายเหตุ"


def test_similarity_ignores_spaces_and_counts_letters() -> None:
    assert similarity("กองบริหาร การคลัง", "กองบริหารการคลัง") == 1.0
    # one letter of 16 lost: 30 of 31 letters kept in the two strings
    assert abs(similarity("กองบริหารการคลัง", "กองบริหารการคลง") - 30 / 31) < 1e-9
    assert similarity("กองบริหารการคลัง", "กองบริหารทรัพยากรบุคคล") < 0.85


def test_sara_am_read_as_a_tone_mark_and_sara_aa() -> None:
    """SARA AM's NIKHAHIT is read as MAI THO ("จ้านวน", read off the real scanned action plan);
    words that print MAI THO before SARA AA stay as they are."""
    assert fix_word("จ้านวน") == "จำนวน"
    assert fix_word("ผู้อ้านวยการ") == "ผู้อำนวยการ"
    for word in ("ถ้า", "ค้าขาย", "บ้าน", "เจ้าหน้าที่", "ล่าช้า", "ค่าเป้าหมาย"):
        assert fix_word(word) == word


def test_code_with_a_thai_digit_read_as_two_latin_letters_is_read_again() -> None:
    # action plan scan p.6 (rendered at 150 dpi and read by eye): "๒๔." came back as "log."
    # and "๒๖." as "lod."; three Thai letters with a point are an abbreviation, not a code
    assert looks_numeric("log.") and looks_numeric("lod.")
    assert not looks_numeric("กพร.") and not looks_numeric("Mindset")


def test_marks_read_a_second_time_inside_their_line_are_dropped() -> None:
    # action plan scan p.3, pixel boxes as tesseract gave them at 300 dpi: the marks of the
    # group row (ชี้, ที่, จำ) came back once more as a thin line "จฉัมด|aaa" inside the row's
    # own line, which holds them already
    row = (179, 689, 1289, 757)
    band = (268, 694, 1195, 725)
    glyphs = [_Glyph(t, (268 + 40 * n, 694, 300 + 40 * n, 725), band, 60.0) for n, t in enumerate("จฉัมด")]
    glyphs += [_Glyph(t, (179 + 40 * n, 689, 215 + 40 * n, 757), row, 90.0) for n, t in enumerate("ตัวชี้วัด")]
    kept = _mend_split_lines(glyphs, np.full((1200, 1700), 255, np.uint8))
    assert "".join(g.text for g in kept) == "ตัวชี้วัด"
    # where the line has a gap over the band's stretch, the band is the part it lost: one line
    # (agreement_bankruptcy2_2564 scan p.2: ".๑ร้อยละ" inside "๑ใจของ", for ๑.๑ร้อยละ…ใจของ)
    host = (180, 787, 2829, 864)
    lost = (214, 792, 633, 843)
    glyphs = [_Glyph(t, (214 + 50 * n, 792, 250 + 50 * n, 843), lost, 80.0) for n, t in enumerate(".๑ร้อย")]
    glyphs += [_Glyph("๑", (180, 787, 209, 864), host, 90.0)]
    glyphs += [_Glyph(t, (633 + 30 * n, 787, 660 + 30 * n, 864), host, 90.0) for n, t in enumerate("ใจของ")]
    kept = _mend_split_lines(glyphs, np.full((1200, 3000), 255, np.uint8))
    assert "".join(g.text for g in kept) == "๑.๑ร้อยใจของ" and {g.line for g in kept} == {host}
    # a line of the next cell beside it, or the next line down, is a line of its own
    assert not _inside((1300, 700, 1500, 740), row)
    assert not _inside((179, 760, 900, 800), row)


def test_a_tone_mark_lost_between_two_words_is_put_back() -> None:
    # ict scan: "ขันตอน" (ขัน|ตอน) for ขั้นตอน, "มันคง" for มั่นคง (page images read by eye)
    assert fix_word("ขันตอนในการให้บริการ") == "ขั้นตอนในการให้บริการ"
    assert restore_tone_marks("มันคง") == "มั่นคง"


def test_correct_text_keeps_its_tone_marks_as_printed() -> None:
    """Every Thai run of the samples' hand-checked expected exports is printed right: putting
    back lost tone marks changes none of them (ราง, ผา, คา stay words of their own)."""
    runs: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            runs.update(regex.findall(r"[\u0e01-\u0e4e]+", value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for stem in sample_stems():
        walk(expected_export(stem))
    assert len(runs) > 300
    assert [run for run in runs if restore_tone_marks(run) != run] == []


def test_a_repeated_unit_heading_with_stray_marks_run_into_it_is_the_same_unit() -> None:
    # score summary scan at 200 dpi, p.8 (read by eye): the header repeated over the last row of
    # กองบริหารทรัพยากรบุคคล came back with the marks of the header row below run into it
    from kamrap.parsers.score_summary import _same_unit

    assert _same_unit("กองบริหารทรัพยากรบุคคล", "กองบริหารทรัพยากรบุคคลฆนณัม ' ชู", read_from_image=True)
    assert _same_unit("กองบริหารทรัพยากรบุคคล", "กองบริหารทรัพยากรบุคคด", read_from_image=True)  # a letter off
    assert not _same_unit("กองบริหารทรัพยากรบุคคล", "กองติดตามและเฉลี่ยทรัพย์สินในคดีล้มละลาย", read_from_image=True)
    assert not _same_unit("กองบริหารทรัพยากรบุคคล", "กองบริหารการคลัง", read_from_image=True)
    # a text layer prints names as they are: only the same name is the same unit
    assert not _same_unit("กองบริหารทรัพยากรบุคคล", "กองบริหารทรัพยากรบุคคลฆนณัม ' ชู", read_from_image=False)


def test_digits_run_onto_the_label_before_them_are_counted() -> None:
    from kamrap.parsers.ocr import _trailing_digits

    def word(text: str) -> list[_Glyph]:
        return [_Glyph(ch, (10 * n, 0, 10 * n + 9, 20), (0, 0, 200, 20), 90.0) for n, ch in enumerate(text)]

    assert _trailing_digits(word("ที่๒๒")) == 2  # "ตัวชี้วัดที่๒๒": ๒.๒, its point lost
    assert _trailing_digits(word("๒๒")) == 0  # a number alone is looks_numeric's
    assert _trailing_digits(word("KPI12")) == 0  # a Latin word: not a Thai label
    assert _trailing_digits(word("ร้อยละ")) == 0


def test_a_given_name_run_into_the_surname_gets_its_space_back() -> None:
    # action plan scan p.6 (read by eye): "นายสุธี สุทาวัน" came back as one word
    from kamrap.parsers.vocabulary import PERSONAL_TITLES
    from kamrap.text.ocr_fix import split_given_name

    assert split_given_name("นายสุธีสุทาวัน", PERSONAL_TITLES) == "นายสุธี สุทาวัน"
    assert split_given_name("น.ส.ศุภลักษณ์เปรมขำ", PERSONAL_TITLES) == "น.ส.ศุภลักษณ์ เปรมขำ"
    assert split_given_name("นายสุธี", PERSONAL_TITLES) == "นายสุธี"  # no surname in the word
    assert split_given_name("สุธีสุทาวัน", PERSONAL_TITLES) == "สุธีสุทาวัน"  # no title: no name known
    assert split_given_name("นายสุธีสุท", PERSONAL_TITLES) == "นายสุธี สุท"  # three letters: a surname
    assert split_given_name("นายสุธีสุ", PERSONAL_TITLES) == "นายสุธีสุ"  # two are too few


def test_a_group_label_read_as_a_bracket_and_a_colon_run_into_its_name() -> None:
    # action plan scan (300 dpi), the group rows "C : ตัวชี้วัดตามหน้าที่/งานประจำ" (read off
    # the rendered page): tesseract reads the C as "(" and, where the gaps are narrow, runs
    # the colon into the bracket or into the name: "(:ตัวชี้วัด…", "( :ตัวชี้วัด…"
    from kamrap.parsers.ocr import _chars_and_words
    from kamrap.text.ocr_fix import colon_apart, label_letter

    assert label_letter("(", ":") == "C" and label_letter("(", "๑") == "(" and label_letter("ก", ":") == "ก"
    assert colon_apart("(:ตัวชี้วัด") == ["(", ":", "ตัวชี้วัด"]
    assert colon_apart("๑๐:๓๐") == ["๑๐:๓๐"] and colon_apart("หมายเหตุ:") == ["หมายเหตุ:"]
    line = (100, 700, 1400, 760)

    def glyphs(text: str, x: int, step: int) -> list[_Glyph]:
        return [_Glyph(t, (x + step * n, 705, x + step * n + step - 4, 750), line, 90.0) for n, t in enumerate(text)]

    # one narrow gap after the bracket, none after the colon: one word "(:ตัวชี้วัด"
    run_together, _ = _chars_and_words(glyphs("(:", 100, 14) + glyphs("ตัวชี้วัด", 128, 14), 300)
    assert [c.text for c in run_together if c.text != " "] == ["C", ":", "ตัวชี้วัด"]
    # the bracket apart, the colon run into the name: "( :ตัวชี้วัด"
    apart, _ = _chars_and_words(glyphs("(", 100, 14) + glyphs(":ตัวชี้วัด", 160, 14), 300)
    assert [c.text for c in apart if c.text != " "] == ["C", ":", "ตัวชี้วัด"]
    # a bracket that opens a parenthesis stays one: "(PMQA"
    kept, _ = _chars_and_words(glyphs("(PMQA", 100, 14), 300)
    assert [c.text for c in kept if c.text != " "] == ["(PMQA"]


def test_a_bullet_read_as_the_digit_one_before_a_group_heading() -> None:
    # agreement_ict_2564 scanned at 200 dpi, p.1 (read off the rendered page): "● วัตถุประสงค์
    # ที่ ๒ …" read "๑วัตถุประสงค์ที่๒…", the bullet's disc too small to be told by its shape,
    # so the objective ran into the perspective above it
    from kamrap.parsers.ocr import _bullet_read_as_digit

    line = (100, 700, 1400, 760)

    def glyphs(text: str, x: int) -> list[_Glyph]:
        return [_Glyph(t, (x + 14 * n, 705, x + 14 * n + 10, 750), line, 90.0) for n, t in enumerate(text)]

    assert _bullet_read_as_digit(glyphs("๑", 100) + glyphs("วัตถุประสงค์ที่๒", 116))
    assert _bullet_read_as_digit(glyphs("๑", 100) + glyphs("ด้านคุณภาพการให้บริการ", 116))
    # a heading numbered with a word space after its number, or with a point, is not bulleted
    assert not _bullet_read_as_digit(glyphs("๑", 100) + glyphs("ด้านคุณภาพ", 160))
    assert not _bullet_read_as_digit(glyphs("๑.", 100) + glyphs("ด้านคุณภาพ", 130))
    # nor is a number run into a word that opens no heading ("๑เดือน")
    assert not _bullet_read_as_digit(glyphs("๑", 100) + glyphs("เดือน", 116))


FIXTURES_OCR = Path(__file__).resolve().parent / "fixtures" / "ocr"  # crops of scanned pages


def test_two_readers_agree_on_a_digit_the_shapes_alone_cannot_tell() -> None:
    # action plan scanned at 200 dpi, p.4, the code of the 14th row as the page image holds it
    # (read by eye: "๑๔."): blur makes its ๑ match ๑ and ๓ about as well, and tesseract read
    # "๑๕..". Where tesseract's digit is one of the two close matches, it is taken; where it
    # is neither, or tesseract read another number of digits, the shapes stay undecided
    import cv2

    from kamrap.parsers.ocr_digits import read_digits

    crop = cv2.imread(str(FIXTURES_OCR / "code_14_200dpi.png"), cv2.IMREAD_GRAYSCALE)
    box = (20, 5, 151, 59)
    assert read_digits(crop, box) is None
    assert read_digits(crop, box, read_as="๑๕..") == "๑๔."  # ๑ settled; ๔ by its shape
    assert read_digits(crop, box, read_as="๒๕.") is None  # ๒ is neither close match
    assert read_digits(crop, box, read_as="๑") is None  # one digit for two shapes: no hint


def test_a_code_whose_point_is_read_as_a_comma_is_read_again() -> None:
    # same scan, p.4 and p.6: "๙." came back as "a,", "๒๔." as "low,", "๒๗." as "lool,"
    import cv2

    from kamrap.parsers.ocr_digits import read_digits

    assert looks_numeric("a,") and looks_numeric("low,") and looks_numeric("lool,")
    assert not looks_numeric("และ,") and not looks_numeric("Solution,")
    crop = cv2.imread(str(FIXTURES_OCR / "code_9_200dpi.png"), cv2.IMREAD_GRAYSCALE)
    assert read_digits(crop, (20, 5, 67, 66), read_as="a,") == "๙."


def test_a_round_heading_that_lost_its_mark_is_the_round_heading() -> None:
    # action plan scanned at 300 dpi, p.6, the header cell "๑๒ เดือน" (read off the page) came
    # back "๑๒ เดอน": เด and อน are dictionary words, so the dictionary keeps it; the whole
    # run has the skeleton of the vocabulary's month word, and a header holds header words
    assert "เดือน" in vocabulary_words()
    assert nearest_words("๑๒ เดอน", vocabulary_words()) == "๑๒ เดือน"
    assert nearest_words("๖ เดือน", vocabulary_words()) == "๖ เดือน"
    assert nearest_words("เดอนทาง", vocabulary_words()) == "เดอนทาง"  # only a whole run


def test_a_group_letter_read_as_a_bracket_and_a_zero() -> None:
    # action plan scanned at 200 dpi, p.3: the C of "C : ตัวชี้วัด…" (one letter's width,
    # 7 pt) came back as "(0"
    from kamrap.text.ocr_fix import label_letter

    assert label_letter("(0", ":") == "C" and label_letter("(o", ":") == "C"
    assert label_letter("(0", "ตัวชี้วัด") == "(0" and label_letter("(0)", ":") == "(0)"


def test_a_tone_mark_lost_from_a_single_common_word_is_put_back() -> None:
    # agreement_bankruptcy2_2564 scans, details pages (read off the page): ที่ read ที, เรื่อง
    # read เรือง, ซึ่ง read ซึง, each a word of its own between two others; the word with the
    # mark is over fifty times as common in Thai print. คา and ค่า are both common: it stays
    assert fix_word("ข้อมูลทีเกิด") == "ข้อมูลที่เกิด"
    assert fix_word("จำนวนเรืองร้องเรียน") == "จำนวนเรื่องร้องเรียน"
    assert fix_word("ซึงอาจ") == "ซึ่งอาจ"
    assert fix_word("การคาสายสวน") == "การคาสายสวน" and fix_word("ทีม") == "ทีม"


def test_words_read_right_are_not_traded_for_rarer_words_of_the_same_skeleton() -> None:
    # agreement_ict_2564 scanned at 300 dpi, p.11: tesseract read "ผลการดำเนินงานตามแผนฯ"
    # letter for letter as printed (the page, read by eye), and the dictionary turned it into
    # "…ตามีแผนฯ" (ตา | มีแผน for ตาม | แผน: the same skeletons, a mark left out of them)
    assert fix_word("ผลการดำเนินงานตามแผนฯ") == "ผลการดำเนินงานตามแผนฯ"
    assert fix_word("ตัวชีวัด", vocabulary_words()) == "ตัวชี้วัด"  # a lost mark still put back


def test_a_number_a_narrow_word_space_from_a_thai_word_stands_apart() -> None:
    # agreement_bankruptcy2_2564 scanned at 300 dpi, details pages: "ผู้อำนวยการกองบังคับคดี
    # ล้มละลาย ๒" (read off the page) came back "…ล้มละลาย๒": the gap before ๒ is about 0.4 of
    # the letters' height, under the 0.5 of a word space between two Thai letters, where a
    # digit set against a letter ("๖เดือน") leaves only its side bearing, a fifth or less
    from kamrap.parsers.ocr import _chars_and_words

    line = (100, 700, 1400, 760)

    def glyphs(text: str, x: int) -> list[_Glyph]:
        return [_Glyph(t, (x + 30 * n, 705, x + 30 * n + 26, 745), line, 95.0) for n, t in enumerate(text)]

    apart, _ = _chars_and_words(glyphs("ละลาย", 100) + glyphs("๒", 100 + 30 * 5 - 4 + 16), 300)
    assert [c.text for c in apart if c.text != " "] == ["ละลาย", "๒"]
    tight, _ = _chars_and_words(glyphs("๖", 100) + glyphs("เดือน", 100 + 26 + 6), 300)
    assert [c.text for c in tight if c.text != " "] == ["๖เดือน"]
    letters, _ = _chars_and_words(glyphs("ละลาย", 100) + glyphs("ตาม", 100 + 30 * 5 - 4 + 16), 300)
    assert [c.text for c in letters if c.text != " "] == ["ละลายตาม"]  # Thai to Thai: not a space
    # a Latin word and a Thai one meet the same way ("QR code ให้ผู้รับบริการ", agreement_ict_2564)
    latin, _ = _chars_and_words(glyphs("code", 100) + glyphs("ให้", 100 + 30 * 4 - 4 + 16), 300)
    assert [c.text for c in latin if c.text != " "] == ["code", "ให้"]


def test_a_bulleted_group_heading_read_with_a_look_alike_letter_opens_its_level() -> None:
    """The lines of group cells on the 200 dpi scans of agreement_ict_2564 and
    agreement_bankruptcy2_2564 (read off the rendered pages): ด้าน read as ค้าน (a
    dictionary word: to object), มิติ as มต (both SARA I lost). A bullet opens a list item,
    so such a line is a heading of its own; without a bullet it stays a wrapped line."""
    from kamrap.parsers.grouping import group_lines_to_grouping
    from kamrap.parsers.records import Grouping

    got = group_lines_to_grouping(Grouping(), ["● มิติภายใน (น้ำหนัก ๕๐)", "● ค้านประสิทธิภาพของการปฏิบัติราชการ"], False)
    assert (got.dimension, got.perspective) == ("มิติภายใน (น้ำหนัก ๕๐)", "ด้านประสิทธิภาพของการปฏิบัติราชการ")
    got = group_lines_to_grouping(Grouping(), ["● มตภายนอก (น้ำหนัก ๕๐)", "ด้านประสิทธิผลของการปฏิบัติราชการ"], False)
    assert (got.dimension, got.perspective) == ("มิติภายนอก (น้ำหนัก ๕๐)", "ด้านประสิทธิผลของการปฏิบัติราชการ")
    # a wrapped objective that goes on with ต้าน (resist), one look-alike from ด้าน, is no heading
    got = group_lines_to_grouping(Grouping("มิติภายใน", "ด้านการพัฒนาองค์กร"),
                                  ["● วัตถุประสงค์ที่ ๓ ส่งเสริมการ", "ต้านทุจริต"], False)
    assert (got.perspective, got.objective) == ("ด้านการพัฒนาองค์กร", "วัตถุประสงค์ที่ ๓ ส่งเสริมการต้านทุจริต")
