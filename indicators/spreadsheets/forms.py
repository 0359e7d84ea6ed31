"""The values import's upload form: a CSV or XLSX file within the upload size limit."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("The columns of the export; one row per value or per category value."),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        name = (uploaded.name or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise ValidationError(_("Choose a CSV or XLSX file."))
        if uploaded.size > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s.")
                % {
                    "size": filesizeformat(uploaded.size),
                    "limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
                }
            )
        return uploaded
