from rest_framework.permissions import SAFE_METHODS, BasePermission


class RolePermission(BasePermission):
    """Reads for every signed-in user the queryset lets through; writes only for ``write_roles``.

    A viewset sets ``write_roles`` (default: city admin only) and may set ``read_roles``: groups from
    ``accounts/roles.py`` (core itself names no role).
    """

    message = "您的角色无权执行该操作。"

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        read_roles = getattr(view, "read_roles", None)
        if request.method in SAFE_METHODS:
            return read_roles is None or user.role in read_roles
        write_roles = getattr(view, "write_roles", None)
        if write_roles is None:
            return bool(user.is_city_admin)
        return user.role in write_roles
