"""The pilots API: lists and details in the user's scope, one POST action per step (each a service call)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.roles import ALL_ROLES
from core.api.viewsets import ScopedReadOnlyViewSet
from pilots import services
from pilots.api import serializers as s
from pilots.exports import PILOT_CHECK_COLUMNS, PILOT_COLUMNS, PILOT_REVIEW_COLUMNS
from pilots.filters import PilotCheckFilter, PilotFilter, PilotReviewFilter
from pilots.models import Pilot, PilotCheck, PilotReview
from projects.models import Project

TARGETS = tuple(s.TargetsSerializer().fields)


class PilotViewSet(ScopedReadOnlyViewSet):
    """绿色建造试点：市局看全部，县局看本县，建设单位看本单位申报的试点，专家看被指派评审的试点。"""

    queryset = Pilot.objects.order_by("-created_at", "-pk")
    serializer_class = s.PilotDetailSerializer
    list_serializer_class = s.PilotSerializer
    filterset_class = PilotFilter
    write_roles = ALL_ROLES  # each step's service checks who may take it
    select_related = ("project", "project__county", "builder", "acceptance")
    prefetch_related = ("plans", "events", "milestones")
    list_prefetch_related = ()
    export_columns = PILOT_COLUMNS
    export_filename = "绿色建造试点"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _done(self, request, pilot):
        pilot = self.get_queryset().get(pk=pilot.pk)
        return Response(s.PilotDetailSerializer(pilot, context={"request": request}).data)

    def _input(self, serializer_class, request):
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data

    @extend_schema(summary="申报（建设单位）", request=s.ApplySerializer, responses={201: s.PilotDetailSerializer})
    @action(detail=False, methods=["post"], url_path="apply")
    def apply(self, request):
        data = self._input(s.ApplySerializer, request)
        project = get_object_or_404(Project.objects.visible_to(request.user), pk=data["project"])
        pilot = services.apply(
            project,
            user=request.user,
            document=data["document"],
            targets={k: data.get(k) for k in TARGETS},
            pilot_type=data.get("pilot_type") or None,
        )
        response = self._done(request, pilot)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(summary="提交评审（建设单位）", request=None, responses=s.PilotDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._done(request, services.submit(self.get_object(), user=request.user))

    @extend_schema(
        summary="修改后重新申报（建设单位）", request=s.ResubmitSerializer, responses=s.PilotDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        data = self._input(s.ResubmitSerializer, request)
        pilot = services.resubmit(
            self.get_object(),
            user=request.user,
            document=data["document"],
            targets={k: data.get(k) for k in TARGETS},
            note=data["note"],
        )
        return self._done(request, pilot)

    @extend_schema(summary="指派评审专家（市局）", request=s.AssignSerializer, responses=s.PilotDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        pilot = self.get_object()
        services.assign_reviewers(pilot, user=request.user, experts=self._input(s.AssignSerializer, request)["experts"])
        return self._done(request, pilot)

    @extend_schema(
        summary="提交评审意见（被指派的专家）", request=s.OpinionSerializer, responses=s.PilotReviewSerializer
    )
    @action(detail=True, methods=["post"])
    def opinion(self, request, pk=None):
        pilot = self.get_object()
        data = self._input(s.OpinionSerializer, request)
        review = get_object_or_404(PilotReview, pilot=pilot, round=pilot.revision, expert_id=request.user.pk)
        review = services.record_opinion(review, user=request.user, passed=data["passed"], opinion=data["opinion"])
        return Response(s.PilotReviewSerializer(review).data)

    @extend_schema(
        summary="评审结论：通过或退回（市局）", request=s.DecideSerializer, responses=s.PilotDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = self._input(s.DecideSerializer, request)
        return self._done(
            request, services.decide(self.get_object(), user=request.user, approve=data["approve"], note=data["note"])
        )

    @extend_schema(
        summary="登记节点（建设单位或县局）", request=s.MilestoneSerializer, responses=s.PilotDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def milestone(self, request, pk=None):
        pilot = self.get_object()
        services.record_milestone(pilot, user=request.user, **self._input(s.MilestoneSerializer, request))
        return self._done(request, pilot)

    @extend_schema(summary="登记定期检查（县局或市局）", request=s.CheckSerializer, responses=s.PilotCheckSerializer)
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        pilot = self.get_object()
        data = self._input(s.CheckSerializer, request)
        check = services.record_check(
            pilot,
            user=request.user,
            checked_on=data["checked_on"],
            answers=dict(enumerate(data["answers"])),
            findings=data["findings"],
        )
        return Response(s.PilotCheckSerializer(check).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="登记专项评估验收（市局）", request=s.AcceptanceSerializer, responses=s.PilotDetailSerializer
    )
    @action(detail=True, methods=["post"])
    def acceptance(self, request, pk=None):
        pilot = self.get_object()
        services.record_acceptance(pilot, user=request.user, **self._input(s.AcceptanceSerializer, request))
        return self._done(request, pilot)


class PilotReviewViewSet(ScopedReadOnlyViewSet):
    """试点方案专家评审（专家只看自己的评审任务）。"""

    queryset = PilotReview.objects.order_by("pilot", "-round", "pk")
    serializer_class = s.PilotReviewSerializer
    filterset_class = PilotReviewFilter
    select_related = ("expert", "pilot__project")
    export_columns = PILOT_REVIEW_COLUMNS
    export_filename = "试点方案专家评审"


class PilotCheckViewSet(ScopedReadOnlyViewSet):
    """试点定期检查记录。"""

    queryset = PilotCheck.objects.order_by("-checked_on", "-pk")
    serializer_class = s.PilotCheckSerializer
    filterset_class = PilotCheckFilter
    select_related = ("pilot__project",)
    export_columns = PILOT_CHECK_COLUMNS
    export_filename = "试点定期检查"
