"""Django's password validators with Chinese messages.

Django 5.2 changed the too-short message's msgid (``%(min_length)d`` → ``%d``) and its zh_Hans catalogue still
carries the old one, so that message stayed English; the project's own wording avoids depending on catalogues.
"""

from __future__ import annotations

from django.contrib.auth import password_validation as base


class MinimumLengthValidator(base.MinimumLengthValidator):
    def get_error_message(self):
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"


class UserAttributeSimilarityValidator(base.UserAttributeSimilarityValidator):
    def __init__(self, user_attributes=("username", "name", "first_name", "last_name", "email"), max_similarity=0.7):
        super().__init__(user_attributes, max_similarity)

    def get_error_message(self):
        return "密码与%(verbose_name)s过于相似。"

    def get_help_text(self):
        return "密码不能与您的用户名、姓名等个人信息过于相似。"


class CommonPasswordValidator(base.CommonPasswordValidator):
    def get_error_message(self):
        return "密码过于常见，请换一个。"

    def get_help_text(self):
        return "密码不能是常见密码。"


class NumericPasswordValidator(base.NumericPasswordValidator):
    def get_error_message(self):
        return "密码不能全部是数字。"

    def get_help_text(self):
        return "密码不能全部是数字。"
