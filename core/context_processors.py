from core.access import Action, can


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "units": can(user, Action.UNIT_VIEW),
            "persons": can(user, Action.PERSON_VIEW),
            "audit": can(user, Action.AUDIT_VIEW),
            "admin": user.is_staff,
            # "Trang của tôi": the account is linked to a member record
            "me": bool(getattr(user, "person_id", None)),
        }
    }
