"""Demo data built from the organisations and sizes quoted in the seed news articles.

Organisations are real union bodies (public names); every person is synthetic. The build is
idempotent: units, users and role assignments are found by code or username, and members are created
only for a unit that has none yet, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from core import metrics
from core.audit import audit_record
from members.choices import Gender, UnionRole, WorkMode
from members.models import Membership, Person
from organizations.models import OrgUnit, OrgUnitType, Sector
from organizations.reference import ensure_reference_data

from .names import FAMILY, GIVEN_FEMALE, GIVEN_MALE, MIDDLE_FEMALE, MIDDLE_MALE
from .parts import DemoContext, discover_parts
from .restructuring import restructure

DEMO_PASSWORD = "thidua@2026"  # documented in README; demo accounts only
DEMO_YEAR = 2024  # the year of the apps' demo content
# the 2025 restructuring runs before the parts of this order and above (the counters: reports/demo.py)
RESTRUCTURE_ORDER = 85


@dataclass
class U:
    code: str
    name: str
    type: str
    short: str = ""
    sector: str | None = None
    area: str = ""
    members: int = 0
    groups: list[str] = field(default_factory=list)
    children: list[U] = field(default_factory=list)


UBND_MY_DUC_GROUPS = [
    "Văn phòng HĐND và UBND",
    "Phòng Nội vụ",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Tư pháp",
    "Phòng Kinh tế",
    "Phòng Quản lý đô thị",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Lao động - Thương binh và Xã hội",
    "Phòng Văn hóa và Thông tin",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Y tế",
    "Thanh tra huyện",
    "Ban Quản lý dự án đầu tư xây dựng",
    "Trung tâm Văn hóa - Thông tin và Thể thao",
    "Trung tâm Phát triển quỹ đất",
    "Ban Quản lý khu du lịch Hương Sơn",
    "Đội Kiểm tra trật tự đô thị",
    "Ban Tiếp công dân",
]

VIEN_CHUC_UNITS = [
    "Sở Tài chính",
    "Sở Kế hoạch và Đầu tư",
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Công Thương",
    "Sở Xây dựng",
    "Sở Giao thông vận tải",
    "Sở Tài nguyên và Môi trường",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Khoa học và Công nghệ",
    "Sở Thông tin và Truyền thông",
    "Sở Văn hóa và Thể thao",
    "Sở Du lịch",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Quy hoạch - Kiến trúc",
    "Thanh tra thành phố",
    "Văn phòng UBND thành phố",
    "Văn phòng Đoàn ĐBQH và HĐND thành phố",
    "Ban Dân tộc thành phố",
    "Ban Quản lý các khu công nghiệp và chế xuất",
    "Ban Quản lý dự án đầu tư xây dựng công trình dân dụng",
    "Ban Quản lý dự án đầu tư xây dựng công trình giao thông",
    "Ban Quản lý dự án đầu tư xây dựng công trình cấp nước, thoát nước và môi trường",
    "Ban Quản lý dự án đầu tư xây dựng công trình văn hóa - xã hội",
    "Ban Quản lý dự án đầu tư xây dựng công trình nông nghiệp và phát triển nông thôn",
    "Trung tâm Phục vụ hành chính công",
    "Trung tâm Xúc tiến đầu tư, thương mại, du lịch",
    "Đài Phát thanh và Truyền hình Hà Nội",
    "Báo Hà Nội mới",
    "Báo Kinh tế và Đô thị",
    "Thư viện Hà Nội",
    "Bảo tàng Hà Nội",
    "Trung tâm Bảo tồn di sản Thăng Long - Hà Nội",
    "Nhà hát Kịch Hà Nội",
    "Nhà hát Chèo Hà Nội",
    "Nhà hát Cải lương Hà Nội",
    "Trung tâm Huấn luyện và Thi đấu thể dục thể thao",
    "Trung tâm Phát triển quỹ đất",
    "Trung tâm Công nghệ thông tin và Truyền thông",
    "Trung tâm Quan trắc tài nguyên và môi trường",
    "Chi cục Thủy lợi",
    "Chi cục Kiểm lâm",
    "Chi cục Thú y",
    "Chi cục Trồng trọt và Bảo vệ thực vật",
    "Chi cục Phát triển nông thôn",
    "Chi cục Quản lý chất lượng nông lâm sản và thủy sản",
    "Chi cục Tiêu chuẩn Đo lường Chất lượng",
    "Chi cục Văn thư - Lưu trữ",
    "Ban Thi đua - Khen thưởng thành phố",
    "Ban Tôn giáo thành phố",
    "Viện Nghiên cứu phát triển kinh tế - xã hội",
    "Trường Cao đẳng Y tế Hà Đông",
    "Trường Cao đẳng Thương mại và Du lịch",
    "Trường Cao đẳng nghề Công nghệ cao",
    "Trường Cao đẳng Cộng đồng Hà Tây",
    "Trường Trung cấp Kinh tế - Kỹ thuật Bắc Thăng Long",
    "Quỹ Đầu tư phát triển thành phố",
    "Quỹ Bảo lãnh tín dụng cho doanh nghiệp nhỏ và vừa",
    "Trung tâm Dịch vụ việc làm Hà Nội",
    "Làng Trẻ em SOS Hà Nội",
    "Trung tâm Nuôi dưỡng và Điều dưỡng người có công",
    "Trung tâm Bảo trợ xã hội III",
    "Cơ sở cai nghiện ma túy số 1",
]
VIEN_CHUC_TOTAL = 8889


def _vien_chuc_children(rng: random.Random) -> list[U]:
    names = VIEN_CHUC_UNITS[:63]
    weights = [rng.uniform(0.4, 2.5) for _ in names]
    sizes = [max(25, int(w / sum(weights) * VIEN_CHUC_TOTAL)) for w in weights]
    sizes[0] += VIEN_CHUC_TOTAL - sum(sizes)
    return [
        U(f"HN-CDVC-{i + 1:02d}", f"Công đoàn {name}", "CDCS", sector="HCSN", area="Hà Nội", members=size)
        for i, (name, size) in enumerate(zip(names, sizes, strict=True))
    ]


def demo_tree(rng: random.Random) -> U:
    my_duc = U(
        "HN-MD",
        "Liên đoàn Lao động huyện Mỹ Đức",
        "LDLD_HUYEN",
        "LĐLĐ huyện Mỹ Đức",
        area="Huyện Mỹ Đức, Hà Nội",
        children=[
            U(
                "HN-MD-UBND",
                "Công đoàn Ủy ban nhân dân huyện Mỹ Đức",
                "CDCS",
                "Công đoàn UBND huyện Mỹ Đức",
                sector="HCSN",
                area="Huyện Mỹ Đức, Hà Nội",
                members=245,
                groups=UBND_MY_DUC_GROUPS,
            ),
            U("HN-MD-TTYT", "Công đoàn Trung tâm Y tế huyện Mỹ Đức", "CDCS", sector="Y_TE", members=118),
            U("HN-MD-THPTA", "Công đoàn Trường THPT Mỹ Đức A", "CDCS", sector="GIAO_DUC", members=64),
            U("HN-MD-THCSDN", "Công đoàn Trường THCS Đại Nghĩa", "CDCS", sector="GIAO_DUC", members=41),
            U("HN-MD-XHS", "Công đoàn xã Hương Sơn", "CDCS", sector="XA_PHUONG", members=26),
            U("HN-MD-XPLT", "Công đoàn xã Phù Lưu Tế", "CDCS", sector="XA_PHUONG", members=19),
            U(
                "HN-MD-MAY",
                "Công đoàn Công ty TNHH May mặc Hương Sơn",
                "CDCS",
                sector="NGOAI_NN",
                members=152,
            ),
        ],
    )
    hai_ba_trung = U(
        "HN-HBT",
        "Liên đoàn Lao động quận Hai Bà Trưng",
        "LDLD_HUYEN",
        "LĐLĐ quận Hai Bà Trưng",
        area="Quận Hai Bà Trưng, Hà Nội",
        children=[
            U(
                "HN-HBT-MK",
                "Công đoàn cơ quan Ủy ban nhân dân phường Minh Khai",
                "CDCS",
                "Công đoàn phường Minh Khai",
                sector="XA_PHUONG",
                area="Phường Minh Khai",
                members=27,
            ),
            U(
                "HN-HBT-BK",
                "Công đoàn cơ quan Ủy ban nhân dân phường Bách Khoa",
                "CDCS",
                "Công đoàn phường Bách Khoa",
                sector="XA_PHUONG",
                members=31,
            ),
        ],
    )
    ha_noi = U(
        "HN",
        "Liên đoàn Lao động thành phố Hà Nội",
        "LDLD_TINH",
        "LĐLĐ thành phố Hà Nội",
        area="Hà Nội",
        children=[
            my_duc,
            U(
                "HN-CDVC",
                "Công đoàn Viên chức thành phố Hà Nội",
                "CD_VIEN_CHUC",
                "Công đoàn Viên chức thành phố",
                area="Hà Nội",
                children=_vien_chuc_children(rng),
            ),
            hai_ba_trung,
        ],
    )
    ninh_binh = U(
        "NB",
        "Liên đoàn Lao động tỉnh Ninh Bình",
        "LDLD_TINH",
        "LĐLĐ tỉnh Ninh Bình",
        area="Ninh Bình",
        children=[
            U(
                "NB-YK",
                "Liên đoàn Lao động huyện Yên Khánh",
                "LDLD_HUYEN",
                "LĐLĐ huyện Yên Khánh",
                area="Huyện Yên Khánh, Ninh Bình",
                children=[
                    U(
                        "NB-YK-UBND",
                        "Công đoàn cơ quan Ủy ban nhân dân huyện Yên Khánh",
                        "CDCS",
                        "Công đoàn UBND huyện Yên Khánh",
                        sector="HCSN",
                        members=96,
                    ),
                    U(
                        "NB-YK-THPTA",
                        "Công đoàn Trường THPT Yên Khánh A",
                        "CDCS",
                        sector="GIAO_DUC",
                        members=58,
                    ),
                    U(
                        "NB-YK-KCN",
                        "Công đoàn Công ty Cổ phần Dệt may Khánh Phú",
                        "CDCS",
                        sector="NGOAI_NN",
                        members=184,
                    ),
                ],
            ),
        ],
    )
    return U(
        "VN",
        "Tổng Liên đoàn Lao động Việt Nam",
        "TLD",
        "Tổng LĐLĐ Việt Nam",
        area="Toàn quốc",
        children=[ha_noi, ninh_binh],
    )


def provinces_2025() -> list[U]:
    """The two provincial federations consolidated with LĐLĐ tỉnh Ninh Bình on 01/07/2025 (Nghị quyết
    202/2025/QH15), each with a few grassroots unions (public bodies; their members are synthetic). Built
    with their own random generator (`DemoBuilder.build`), so the rest of the demo is drawn as before."""
    return [
        U(
            "HNA",
            "Liên đoàn Lao động tỉnh Hà Nam",
            "LDLD_TINH",
            "LĐLĐ tỉnh Hà Nam",
            area="Hà Nam",
            children=[
                U("HNA-BVDK", "Công đoàn Bệnh viện Đa khoa tỉnh Hà Nam", "CDCS", sector="Y_TE", members=48),
                U(
                    "HNA-THPTBH",
                    "Công đoàn Trường THPT chuyên Biên Hòa",
                    "CDCS",
                    sector="GIAO_DUC",
                    members=32,
                ),
                U(
                    "HNA-STC",
                    "Công đoàn cơ quan Sở Tài chính tỉnh Hà Nam",
                    "CDCS",
                    "Công đoàn Sở Tài chính Hà Nam",
                    sector="HCSN",
                    members=21,
                ),
            ],
        ),
        U(
            "ND",
            "Liên đoàn Lao động tỉnh Nam Định",
            "LDLD_TINH",
            "LĐLĐ tỉnh Nam Định",
            area="Nam Định",
            children=[
                U(
                    "ND-DETMAY",
                    "Công đoàn Tổng công ty Cổ phần Dệt may Nam Định",
                    "CDCS",
                    "Công đoàn Dệt may Nam Định",
                    sector="DNNN",
                    members=56,
                ),
                U(
                    "ND-THPTLHP",
                    "Công đoàn Trường THPT chuyên Lê Hồng Phong",
                    "CDCS",
                    sector="GIAO_DUC",
                    members=40,
                ),
                U("ND-BVDK", "Công đoàn Bệnh viện Đa khoa tỉnh Nam Định", "CDCS", sector="Y_TE", members=37),
            ],
        ),
    ]


DEMO_USERS = [
    # username, full name, role, unit code, include_subtree
    ("admin", "Quản trị hệ thống", Role.ADMIN, "VN", True),
    ("canbo.hanoi", "Trịnh Thu Hằng", Role.OFFICER, "HN", True),
    ("lanhdao.hanoi", "Nguyễn Đức Toàn", Role.LEADER, "HN", True),
    ("canbo.myduc", "Đinh Thị Ngọc Lan", Role.OFFICER, "HN-MD", True),
    ("lanhdao.myduc", "Khuất Văn Thành", Role.LEADER, "HN-MD", True),
    # Công đoàn UBND huyện Mỹ Đức (a CĐCS): its own officer and leader, for the unit and its union groups
    ("canbo.ubndmyduc", "Bùi Thị Thanh Hương", Role.OFFICER, "HN-MD-UBND", True),
    ("lanhdao.ubndmyduc", "Đỗ Mạnh Cường", Role.LEADER, "HN-MD-UBND", True),
    ("hoidong.hanoi", "Lương Minh Tuấn", Role.COUNCIL, "HN", True),
    ("canbo.ninhbinh", "Tạ Thị Bích Huệ", Role.OFFICER, "NB", True),
    ("lanhdao.ninhbinh", "Vũ Văn Khải", Role.LEADER, "NB", True),
    ("doanvien.myduc", None, Role.MEMBER, "HN-MD-UBND", False),
]


class DemoBuilder:
    def __init__(self, *, seed: int = 2024, stdout=None, restructure: bool | None = None):
        self.rng = random.Random(seed)
        # the 2025 restructuring (demo/restructuring.py); settings.DEMO_RESTRUCTURE_2025 (default True)
        # lets a test suite keep the tree of before 01/07/2025 while its tests still act in Mỹ Đức
        self.restructure = (
            getattr(settings, "DEMO_RESTRUCTURE_2025", True) if restructure is None else restructure
        )
        self.stdout = stdout
        ensure_reference_data()
        self.types = {t.code: t for t in OrgUnitType.objects.all()}
        self.sectors = {s.code: s for s in Sector.objects.all()}
        self.citizen_ids: set[str] = set(
            Person.objects.exclude(citizen_id__isnull=True).values_list("citizen_id", flat=True)
        )
        self.created_units = 0
        self.created_members = 0
        self.card_seq = Membership.objects.count()

    def log(self, message: str) -> None:
        if self.stdout:
            self.stdout.write(message)

    @transaction.atomic
    def build(self) -> dict[str, int]:
        # no background refresh per write: the counters part (reports/demo.py) rebuilds every year last
        with metrics.suspended():
            tree = demo_tree(self.rng)
            root = self._ensure(tree, parent=None, province="001")
            main_rng, self.rng = self.rng, random.Random("thidua-demo-2025")
            for spec in provinces_2025():
                self._ensure(spec, root, province="")
                root.refresh_from_db()
            self.rng = main_rng
            self._users()
            extra = self._domain_content()
        return {"units": self.created_units, "members": self.created_members, **extra}

    def _domain_content(self) -> dict[str, int]:
        """The apps' own demo parts (movements, clusters, initiatives, awards, dossiers, counters; each
        idempotent), discovered by `demo.parts.discover_parts` and run in their declared order."""
        context = DemoContext(rng=self.rng, year=DEMO_YEAR, password=DEMO_PASSWORD)
        result: dict[str, int] = {}
        restructured = False
        for part in discover_parts():
            if not restructured and part.order >= RESTRUCTURE_ORDER:
                if self.restructure:
                    result["restructured"] = self._restructure()
                restructured = True
            for key, count in part.build(context).items():
                result[key] = result.get(key, 0) + count
        return result

    def _restructure(self) -> int:
        """The 2025 restructuring (`demo.restructuring`), through the services, as the system
        administrator: after the history the parts before it entered, before the counters are rebuilt."""
        return restructure(acting_user=User.objects.get(username="admin"))

    def _ensure(self, spec: U, parent: OrgUnit | None, province: str) -> OrgUnit:
        province = {"NB": "037", "HN": "001", "HNA": "035", "ND": "036"}.get(spec.code, province)
        unit = OrgUnit.objects.filter(code=spec.code).first()
        if unit is None:
            fields = {
                "code": spec.code,
                "name": spec.name,
                "short_name": spec.short,
                "unit_type": self.types[spec.type],
                "sector": self.sectors.get(spec.sector) if spec.sector else None,
                "area": spec.area,
                "valid_from": dt.date(2000, 1, 1),
            }
            unit = (
                OrgUnit.objects.add_child(parent, create_kwargs=fields)
                if parent
                else OrgUnit.objects.add_root(create_kwargs=fields)
            )
            parent = OrgUnit.objects.get(pk=parent.pk) if parent else None
            self.created_units += 1
        groups = [self._ensure_group(unit, i, name) for i, name in enumerate(spec.groups)]
        if spec.members and not Membership.objects.filter(unit__path__startswith=unit.path).exists():
            self._members(unit, spec.members, groups, province)
        for child in spec.children:
            self._ensure(child, unit, province)
            unit.refresh_from_db()
        return unit

    def _ensure_group(self, cdcs: OrgUnit, index: int, name: str) -> OrgUnit:
        code = f"{cdcs.code}-T{index + 1:02d}"
        group = OrgUnit.objects.filter(code=code).first()
        if group is None:
            cdcs.refresh_from_db()
            group = OrgUnit.objects.add_child(
                cdcs,
                create_kwargs={
                    "code": code,
                    "name": f"Tổ công đoàn {name}",
                    "unit_type": self.types["TO_CD"],
                    "sector": cdcs.sector,
                    "valid_from": dt.date(2000, 1, 1),
                },
            )
            self.created_units += 1
        return group

    def _citizen_id(self, province: str, gender: str, birth: dt.date) -> str:
        century = 0 if birth.year < 2000 else 2
        digit = century + (1 if gender == Gender.FEMALE else 0)
        while True:
            cid = f"{province}{digit}{birth.year % 100:02d}{self.rng.randrange(10**6):06d}"
            if cid not in self.citizen_ids:
                self.citizen_ids.add(cid)
                return cid

    def _person(self, province: str, female_share: float) -> Person:
        rng = self.rng
        gender = Gender.FEMALE if rng.random() < female_share else Gender.MALE
        family = rng.choices([f for f, _ in FAMILY], weights=[w for _, w in FAMILY])[0]
        middle = rng.choice(MIDDLE_FEMALE if gender == Gender.FEMALE else MIDDLE_MALE)
        given = rng.choice(GIVEN_FEMALE if gender == Gender.FEMALE else GIVEN_MALE)
        birth = dt.date(rng.randint(1966, 2002), rng.randint(1, 12), rng.randint(1, 28))
        person = Person(
            family_name=family,
            middle_name=middle,
            given_name=given,
            gender=gender,
            birth_date=birth,
            citizen_id=self._citizen_id(province, gender, birth),
            phone=f"09{rng.randrange(10**8):08d}",
            # joined before the demo's evaluation years, so every member counts in the 2024 figures
            union_joined_on=dt.date(
                min(max(birth.year + 20, 1990) + rng.randint(0, 8), 2022), rng.randint(1, 12), 1
            ),
        )
        person.refresh_derived()
        return person

    def _members(self, unit: OrgUnit, count: int, groups: list[OrgUnit], province: str) -> None:
        female_share = (
            0.62 if unit.sector_id and unit.sector.code in {"GIAO_DUC", "Y_TE", "NGOAI_NN"} else 0.5
        )
        persons = Person.objects.bulk_create([self._person(province, female_share) for _ in range(count)])
        seats = groups or [unit]
        memberships = []
        for i, person in enumerate(persons):
            seat = unit if i < 3 and groups else seats[i % len(seats)]
            role = (
                [UnionRole.CHU_TICH, UnionRole.PHO_CHU_TICH, UnionRole.UV_BCH][i]
                if i < 3
                else UnionRole.DOAN_VIEN
            )
            if groups and 3 <= i < 3 + len(groups):
                role = UnionRole.TO_TRUONG
            self.card_seq += 1
            memberships.append(
                Membership(
                    person=person,
                    unit=seat,
                    union_role=role,
                    work_mode=WorkMode.PART_TIME if role != UnionRole.DOAN_VIEN else WorkMode.NONE,
                    card_number=f"{province}{self.card_seq:08d}",
                    started_on=person.union_joined_on,
                    job_title="Chuyên viên" if self.rng.random() < 0.7 else "Nhân viên",
                )
            )
        Membership.objects.bulk_create(memberships)
        self.created_members += count
        audit_record(
            actor=None,
            action="demo.load",
            obj=unit,
            unit=unit,
            summary=f"Nạp dữ liệu mẫu: {count} đoàn viên cho “{unit.name}”",
        )

    def _users(self) -> None:
        units = {u.code: u for u in OrgUnit.objects.filter(code__in={d[3] for d in DEMO_USERS})}
        for username, full_name, role, code, subtree in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                person = None
                if role == Role.MEMBER:
                    person = (
                        Person.objects.filter(
                            memberships__unit__path__startswith=units[code].path,
                            memberships__union_role=UnionRole.DOAN_VIEN,
                        )
                        .order_by("id")
                        .first()
                    )
                user = User(
                    username=username,
                    full_name=full_name or (person.full_name if person else username),
                    person=person,
                    is_staff=role == Role.ADMIN,
                    is_superuser=role == Role.ADMIN,
                )
                user.set_password(DEMO_PASSWORD)
                user.save()
            RoleAssignment.objects.get_or_create(
                user=user,
                role=role,
                unit=units[code],
                defaults={"include_subtree": subtree, "valid_from": dt.date(2024, 1, 1)},
            )
