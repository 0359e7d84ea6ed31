from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from indicators.models import (
    Evidence,
    MeasureKind,
    Measurement,
    MeasurementBreakdown,
    ReportingPeriod,
)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hash test passwords quickly: these tests log people in many times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def recorded_data(plan_2018_2023, staff_user, board_user, admin_user, media):
    """Two measurements (one with a breakdown), a correction with history, an evidence file."""
    period = ReportingPeriod.objects.filter(plan=plan_2018_2023).order_by("start_date").first()
    by_category = (
        plan_2018_2023.orientations.first()
        .results.first()
        .indicators.model.objects.filter(kind=MeasureKind.COUNT_BY_CATEGORY)
        .first()
    )
    now = timezone.now()
    measurement = Measurement.objects.create(
        indicator=by_category,
        period=period,
        value=Decimal("7"),
        comment="Première saisie <b>en gras</b>",
        recorded_by=staff_user,
        recorded_at=now,
        updated_by=staff_user,
        updated_at=now,
    )
    categories = list(by_category.dimension.categories.all()[:2])
    MeasurementBreakdown.objects.create(
        measurement=measurement, category=categories[0], value=Decimal("4")
    )
    MeasurementBreakdown.objects.create(
        measurement=measurement, category=categories[1], value=Decimal("3")
    )
    # A correction: a second version in the history.
    measurement.value = Decimal("9")
    measurement.comment = "Corrigé après vérification"
    measurement.version += 1
    measurement.updated_by = admin_user
    measurement.updated_at = timezone.now()
    measurement.save()
    breakdown = measurement.breakdowns.get(category=categories[1])
    breakdown.value = Decimal("5")
    breakdown.save()
    evidence = Evidence(
        measurement=measurement,
        original_name="rapport annuel.pdf",
        content_type="application/pdf",
        uploaded_by=staff_user,
        uploaded_at=now,
    )
    evidence.file.save("rapport annuel.pdf", ContentFile(b"%PDF-1.4\nrapport\n"), save=False)
    evidence.size = evidence.file.size
    evidence.save()
    return measurement
