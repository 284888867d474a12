from initiatives.similarity import WARN_THRESHOLD, rank_initiatives, rank_similar, terms

ORIGINALS = [
    (
        1,
        "Ứng dụng phần mềm quản lý hồ sơ một cửa điện tử tại UBND huyện",
        "Ứng dụng phần mềm quản lý hồ sơ một cửa điện tử tại UBND huyện. Xây dựng phần mềm tiếp nhận, theo "
        "dõi và trả kết quả hồ sơ thủ tục hành chính cho người dân qua bộ phận một cửa.",
    ),
    (
        2,
        "Cải tiến quy trình cắt vải giảm hao hụt nguyên liệu",
        "Cải tiến quy trình cắt vải giảm hao hụt nguyên liệu. Sắp xếp lại sơ đồ giác mẫu trên bàn cắt.",
    ),
    (
        3,
        "Nâng cao chất lượng dạy học môn Toán lớp 9 bằng phương pháp học nhóm",
        "Nâng cao chất lượng dạy học môn Toán lớp 9 bằng phương pháp học nhóm. Chia nhóm theo năng lực.",
    ),
    (
        4,
        "Số hóa sổ khám bệnh và hồ sơ bệnh án tại Trung tâm Y tế",
        "Số hóa sổ khám bệnh và hồ sơ bệnh án tại Trung tâm Y tế. Bệnh nhân tra cứu kết quả xét nghiệm.",
    ),
]


def test_terms_fold_accents_and_make_bigrams():
    t = terms("Quản lý Hồ sơ")
    assert t["quan"] == 1 and t["ho so"] == 1 and t["quan ly"] == 1
    assert "va" not in terms("hồ sơ và sổ sách")  # function words dropped


def test_reworded_without_diacritics_and_reordered_finds_the_original_first():
    ranked = rank_initiatives(
        title="Quan ly ho so mot cua dien tu bang phan mem o UBND huyen",
        description="Phan mem tiep nhan, tra ket qua va theo doi ho so thu tuc hanh chinh qua bo phan mot cua "
        "cho nguoi dan",
        candidates=ORIGINALS,
    )
    assert ranked[0][0] == 1
    assert ranked[0][1] >= WARN_THRESHOLD
    assert all(score < WARN_THRESHOLD for pk, score in ranked[1:])


def test_unrelated_initiative_scores_below_the_warning_threshold():
    ranked = rank_initiatives(
        title="Lắp cảm biến tắt đèn tự động để tiết kiệm điện trong trường học",
        description="Giảm tiền điện hằng tháng của nhà trường nhờ cảm biến chuyển động ở hành lang.",
        candidates=ORIGINALS,
    )
    assert all(score < WARN_THRESHOLD for _, score in ranked)


def test_short_title_alone_still_finds_a_long_record():
    ranked = rank_initiatives(
        title="Phần mềm một cửa điện tử quản lý hồ sơ", description="", candidates=ORIGINALS
    )
    assert ranked[0][0] == 1 and ranked[0][1] >= WARN_THRESHOLD


def test_identical_text_scores_one_and_empty_inputs_score_nothing():
    assert rank_similar("Số hóa sổ khám bệnh", [(9, "so hoa so kham benh")])[0] == (9, 1.0)
    assert rank_similar("", [(1, "abc")]) == []
    assert rank_similar("abc", []) == []
