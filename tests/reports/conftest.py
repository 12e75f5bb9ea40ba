import pytest


class FakeGenerator:
    """Stands in for a real generator in the archive/task tests (which test claiming, not content)."""

    report_type = "monthly_bulletin"
    calls = 0
    fail_with: list = []

    def __init__(self, **params):
        self.params = params

    @classmethod
    def validate_params(cls, params):
        from reports.generators.monthly import validate_year_month

        return validate_year_month(params, need_month=True)

    @classmethod
    def params_key(cls, params):
        return f"{params['year']}-{params['month']:02d}"

    @classmethod
    def title_for(cls, params):
        return f"测试通报{params['year']}-{params['month']}"

    def generate(self, progress=lambda pct: None):
        from reports.generators.base import GeneratedReport

        type(self).calls += 1
        progress(50)
        if type(self).fail_with:
            raise type(self).fail_with.pop(0)
        return GeneratedReport(
            title="测试通报",
            filename=f"bulletin-{type(self).calls}",
            pdf=b"%PDF-1.4 fake " + bytes([type(self).calls]),
            xlsx=b"PK fake",
            summary=f"第{type(self).calls}次生成",
            has_published_data=True,
        )


@pytest.fixture
def fake_generator(monkeypatch):
    FakeGenerator.calls = 0
    FakeGenerator.fail_with = []
    monkeypatch.setattr("reports.services.get_generator", lambda report_type: FakeGenerator)
    return FakeGenerator
