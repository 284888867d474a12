"""Reference codes of the union hierarchy (seeded by a data migration, editable by an administrator)."""

# (code, name, short_name, rank, is_grassroots, holds_members, historic)
UNIT_TYPES = [
    ("TLD", "Tổng Liên đoàn Lao động Việt Nam", "Tổng LĐLĐVN", 0, False, False, False),
    ("LDLD_TINH", "Liên đoàn Lao động tỉnh, thành phố", "LĐLĐ tỉnh/TP", 10, False, False, False),
    ("CD_NGANH", "Công đoàn ngành", "CĐ ngành", 20, False, False, False),
    ("CD_VIEN_CHUC", "Công đoàn Viên chức tỉnh, thành phố", "CĐ Viên chức", 20, False, False, False),
    ("LDLD_HUYEN", "Liên đoàn Lao động quận, huyện", "LĐLĐ quận/huyện", 30, False, False, True),
    ("CD_CTTCS", "Công đoàn cấp trên trực tiếp cơ sở", "CĐ cấp trên cơ sở", 30, False, False, False),
    ("CDCS", "Công đoàn cơ sở", "CĐCS", 40, True, True, False),
    ("CD_BO_PHAN", "Công đoàn bộ phận", "CĐ bộ phận", 50, False, True, False),
    ("TO_CD", "Tổ công đoàn", "Tổ CĐ", 60, False, True, False),
]

# the day a type stopped being created (units of it keep their history)
TYPE_ENDS = {"LDLD_HUYEN": (2025, 7, 1)}

# (code, name)
SECTORS = [
    ("HCSN", "Hành chính sự nghiệp"),
    ("GIAO_DUC", "Giáo dục"),
    ("Y_TE", "Y tế"),
    ("XA_PHUONG", "Xã, phường, thị trấn"),
    ("DNNN", "Doanh nghiệp nhà nước"),
    ("FDI", "Doanh nghiệp có vốn đầu tư nước ngoài"),
    ("NGOAI_NN", "Doanh nghiệp ngoài nhà nước"),
    ("KHAC", "Khác"),
]
