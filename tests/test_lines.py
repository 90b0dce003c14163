from kamrap.text.lines import join_wrapped


def test_thai_wrap_is_not_a_space():
    assert join_wrapped(["ร้อยละความพึงพอใจของผู้รับ", "บริการ"]) == "ร้อยละความพึงพอใจของผู้รับบริการ"


def test_kept_trailing_space_is_kept():
    assert join_wrapped(["ประสิทธิภาพ ", "ประสิทธิภาพ"]) == "ประสิทธิภาพ ประสิทธิภาพ"


def test_latin_and_number_wraps_are_spaces():
    assert join_wrapped(["ตามแผนการบริหารจัดการองค์ความรู้", "KM"]) == "ตามแผนการบริหารจัดการองค์ความรู้ KM"
    assert join_wrapped(["Service Level", "Agreement"]) == "Service Level Agreement"


def test_blank_lines_skipped():
    assert join_wrapped(["", "ก", "  "]) == "ก"


def test_letter_digit_wrap_is_a_space():
    # UAX #14 allows no break between a letter and a digit: the wrap was at a space.
    assert join_wrapped(["ตามนโยบาย ๕ เร่ง", "๔ เพิ่ม"]) == "ตามนโยบาย ๕ เร่ง ๔ เพิ่ม"
    assert join_wrapped(["มากกว่า", "๙๙%"]) == "มากกว่า ๙๙%"
    assert join_wrapped(["๑๒", "เดือน"]) == "๑๒ เดือน"
