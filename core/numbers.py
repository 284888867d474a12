"""Vietnamese numbers — the one formatter (screens, documents, exports and the engine's explanations):
thousands grouped with ".", decimals after ",", rounded half up in exact arithmetic. Pure Python: the
eligibility engine, which imports no Django, uses it too."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def fmt_int(value: int) -> str:
    """90000000 -> '90.000.000'."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", ".")


def fmt_number(value: Fraction | Decimal | int | float, *, places: int = 2, pad: bool = False) -> str:
    """Vietnamese decimal: 81.25 -> '81,25'; 20 -> '20'; 1234.5 -> '1.234,5' (rounded half up)."""
    if isinstance(value, int):
        return fmt_int(value)
    exact = value if isinstance(value, Fraction) else Fraction(str(value))
    num, den = abs(exact.numerator), exact.denominator
    scale = 10**places
    scaled = (2 * num * scale + den) // (2 * den)  # round half up, in integers
    whole, frac = divmod(scaled, scale)
    sign = "-" if exact < 0 and scaled else ""
    text = sign + fmt_int(whole)
    frac_digits = f"{frac:0{places}d}" if places else ""
    if not pad:
        frac_digits = frac_digits.rstrip("0")
    return f"{text},{frac_digits}" if frac_digits else text


def fmt_money(value: Fraction | Decimal | int | float) -> str:
    """An amount in đồng, whole: 45000000 -> '45.000.000 đ'."""
    return f"{fmt_number(value, places=0)} đ"


def fmt_percent(share: Fraction | float) -> str:
    """Fraction(13, 16) -> '81,25 %'."""
    exact = Fraction(str(share)) if isinstance(share, float) else Fraction(share)
    return f"{fmt_number(exact * 100)} %"
