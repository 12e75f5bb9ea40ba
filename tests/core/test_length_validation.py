"""core.validators: one wording for a too-long value, the limit read from the model field (never restated)."""

import pytest
from django.core.exceptions import ValidationError

from complaints.models import Complaint
from core.validators import check_length, check_lengths, length_errors, too_long_message


def test_the_message_is_disclosures_wording():
    assert too_long_message("工程地点", 200) == "工程地点不能超过200个字符。"


def test_length_errors_read_the_model_fields_limit_and_label_under_the_callers_key():
    values = {"complainant_name": "王" * 51, "complainant_phone": "1" * 30, "source_ref": None}
    assert length_errors(Complaint, values, keys={"complainant_name": "name"}) == {
        "name": "投诉人姓名不能超过50个字符。"
    }


def test_check_lengths_and_check_length_raise_only_past_the_limit():
    check_lengths(Complaint, {"complainant_phone": "1" * 30})
    with pytest.raises(ValidationError) as caught:
        check_lengths(Complaint, {"complainant_phone": "1" * 31})
    assert caught.value.message_dict == {"complainant_phone": ["联系电话不能超过30个字符。"]}
    check_length("说" * 10, 10, "说明", key="note")
    with pytest.raises(ValidationError) as caught:
        check_length("说" * 11, 10, "说明", key="note")
    assert caught.value.message_dict == {"note": ["说明不能超过10个字符。"]}
