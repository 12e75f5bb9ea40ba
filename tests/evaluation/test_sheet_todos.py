"""Each panel expert has a to-do of scoring, due on the evaluation's due date, until their sheet is submitted;
an expert taken off the panel and a closed evaluation leave none."""

import pytest

from evaluation import services
from notifications.models import Todo
from tests.evaluation.factories import DUE, full_scores, open_evaluation, submit

pytestmark = pytest.mark.django_db


def _open_users(evaluation):
    return set(
        Todo.objects.filter(
            kind=Todo.Kind.SCORE_SHEET, subject_id=str(evaluation.pk), done_at__isnull=True
        ).values_list("user__username", flat=True)
    )


def test_each_panel_expert_has_a_to_do_until_the_sheet_is_submitted(project, county_user, experts):
    evaluation = open_evaluation(project, county_user, experts[:3])
    assert _open_users(evaluation) == {"expert_t1", "expert_t2", "expert_t3"}
    todo = Todo.objects.get(user=experts[0])
    assert todo.url == f"/evaluation/{evaluation.pk}/my-sheet/" and todo.deadline.date() == DUE
    sheet = services.sheet_for(evaluation, experts[0])
    services.save_sheet(sheet, experts[0], scores={})  # a draft is not the action
    assert "expert_t1" in _open_users(evaluation)
    submit(evaluation, experts[0], full_scores(evaluation))
    assert _open_users(evaluation) == {"expert_t2", "expert_t3"}


def test_a_removed_expert_and_a_closed_evaluation_leave_no_to_do(project, county_user, experts):
    evaluation = open_evaluation(project, county_user, experts[:4])
    services.remove_expert(evaluation, experts[3], user=county_user)
    assert "expert_t4" not in _open_users(evaluation)
    services.assign_expert(evaluation, experts[4], user=county_user)
    assert "expert_t5" in _open_users(evaluation)
    for expert in experts[:3]:
        submit(evaluation, expert, full_scores(evaluation))
    services.close_evaluation(evaluation, user=county_user)
    assert _open_users(evaluation) == set()
