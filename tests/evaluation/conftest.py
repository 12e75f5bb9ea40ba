from tests.evaluation.factories import experts, project, templates  # noqa: F401
