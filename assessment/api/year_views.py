"""API of the year rollover: the city admin starts a year from the previous one (assessment.years.start_year)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from assessment import years
from assessment.api.serializers import RubricSerializer


class StartYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(label="年度", min_value=2000, max_value=2100)
    source_year = serializers.IntegerField(label="复制自年度", min_value=2000, max_value=2100, required=False)
    note = serializers.CharField(label="说明", required=False, allow_blank=True, max_length=200)


class StartYearView(APIView):
    """开始新年度（市局管理员）：复制上一年度赋分表（新年度第1版）和各县目标任务，新年度各月即可填报。"""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=StartYearSerializer, responses={201: RubricSerializer})
    def post(self, request):
        data = StartYearSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rubric = years.start_year(
            data.validated_data["year"],
            user=request.user,
            source_year=data.validated_data.get("source_year"),
            note=data.validated_data.get("note", ""),
        )
        return Response(RubricSerializer(rubric).data, status=status.HTTP_201_CREATED)
