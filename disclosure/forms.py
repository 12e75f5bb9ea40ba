from django import forms


class PublishForm(forms.Form):
    location = forms.CharField(
        label="工程地点", max_length=200, required=False, help_text="如：泽州县南村镇南村村东，公示页和标志牌上显示"
    )
    reason = forms.CharField(label="撤销原因", required=False, help_text="撤销公示时必填，在公示页上向公众显示")
    action = forms.ChoiceField(choices=(("publish", "公示"), ("withdraw", "撤销公示")), widget=forms.HiddenInput)
