"""Evidence files: which types are accepted, checked on their content (first bytes)."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from indicators.rules import uploads


def _zip_names(uploaded):
    """Members and `mimetype` of an archive; ValidationError when it would inflate too much."""
    try:
        with uploads.open_zip(uploaded, limits=uploads.EVIDENCE_LIMITS) as archive:
            names = set(archive.namelist())
            mimetype = (
                uploads.read_member(archive, "mimetype", limit=255).decode("ascii", "replace")
                if "mimetype" in names
                else ""
            )
            return names, mimetype.strip()
    except uploads.ArchiveUnreadable:
        return set(), ""


def _is_ooxml(part):
    def check(uploaded, head):
        if not head.startswith(b"PK\x03\x04"):
            return False
        names, _mimetype = _zip_names(uploaded)
        return "[Content_Types].xml" in names and any(n.startswith(part) for n in names)

    return check


def _is_opendocument(mimetype):
    def check(uploaded, head):
        return head.startswith(b"PK\x03\x04") and _zip_names(uploaded)[1] == mimetype

    return check


def _is_text(uploaded, head):
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is fine.
        if error.start < len(head) - 4:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True


# Extension → (content type stored and served, check of the file's first bytes).
EVIDENCE_TYPES = {
    ".pdf": ("application/pdf", lambda uploaded, head: head.startswith(b"%PDF-")),
    ".png": ("image/png", lambda uploaded, head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ".jpg": ("image/jpeg", lambda uploaded, head: head.startswith(b"\xff\xd8\xff")),
    ".jpeg": ("image/jpeg", lambda uploaded, head: head.startswith(b"\xff\xd8\xff")),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _is_ooxml("xl/"),
    ),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _is_ooxml("word/"),
    ),
    ".odt": (
        "application/vnd.oasis.opendocument.text",
        _is_opendocument("application/vnd.oasis.opendocument.text"),
    ),
    ".ods": (
        "application/vnd.oasis.opendocument.spreadsheet",
        _is_opendocument("application/vnd.oasis.opendocument.spreadsheet"),
    ),
    ".csv": ("text/csv", _is_text),
    ".txt": ("text/plain", _is_text),
}


def evidence_check_file(uploaded: UploadedFile) -> str:
    """Return the content type of an acceptable evidence file, or raise ValidationError.

    The type is checked on the file's content (its first bytes), not only on its name.
    """
    name = uploaded.name or ""
    if uploaded.size is not None and uploaded.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file “%(name)s” is too large (%(size)s); the limit is %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES),
            },
            code="too_large",
        )
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    forbidden = ValidationError(
        _(
            "The file “%(name)s” is not of an accepted type. Accepted: PDF, PNG or JPEG "
            "images, XLSX, DOCX, ODT, ODS, CSV or TXT."
        )
        % {"name": name},
        code="forbidden_type",
    )
    if suffix not in EVIDENCE_TYPES:
        raise forbidden
    content_type, check = EVIDENCE_TYPES[suffix]
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    matches = check(uploaded, head)
    uploaded.seek(0)
    if not matches:
        raise ValidationError(
            _("The content of “%(name)s” does not match its type (%(type)s).")
            % {"name": name, "type": suffix[1:].upper()},
            code="content_mismatch",
        )
    return content_type


@dataclass(frozen=True)
class CheckedFile:
    """An evidence file whose type was checked, with the content type to store and serve."""

    file: UploadedFile
    content_type: str


def evidence_checked(uploaded: UploadedFile | CheckedFile) -> CheckedFile:
    """The file with its checked content type; a file already checked is not read again."""
    if isinstance(uploaded, CheckedFile):
        return uploaded
    return CheckedFile(file=uploaded, content_type=evidence_check_file(uploaded))
