from django import forms

from accounts.models import Enterprise
from core.validators import credit_code_error


class EnterpriseForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = ["name", "credit_code", "kinds", "region", "legal_representative", "contact_phone", "address"]
        widgets = {"kinds": forms.CheckboxSelectMultiple}

    def clean_credit_code(self):
        value = (self.cleaned_data.get("credit_code") or "").strip().upper()
        error = credit_code_error(value)
        if error:
            raise forms.ValidationError(error)
        return value
