"""API of the 重点监管名单 (the bureau's staff): the rows of the web list, same filters, same export columns."""

from __future__ import annotations

from accounts import roles
from core.api.viewsets import ScopedReadOnlyViewSet
from credit import lists
from credit.api.list_serializers import WatchlistRowSerializer
from credit.list_exports import WATCHLIST_COLUMNS
from credit.list_filters import WatchlistFilter
from credit.models import CreditStanding


class WatchlistViewSet(ScopedReadOnlyViewSet):
    """重点监管名单：信用等级为C级、D级的单位（分数由低到高），附有效不良记录数和最近一条不良记录。

    筛选：grade（C 或 D）、county（在该县（市、区）登记或参建其项目的单位）、q（单位名称或统一社会信用代码）。
    """

    schema_name = "重点监管名单"
    queryset = CreditStanding.objects.all()
    serializer_class = WatchlistRowSerializer
    filterset_class = WatchlistFilter
    ordering_fields = ["score", "bad_in_force", "latest_bad_on", "enterprise__name"]
    read_roles = roles.MANAGERS
    export_filename = "重点监管名单"
    export_columns = WATCHLIST_COLUMNS

    def get_queryset(self):
        return lists.watchlist(self.request.user)
