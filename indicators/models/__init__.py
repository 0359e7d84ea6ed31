"""The indicators app's models, by concern; every name is re-exported here.

definitions (what an indicator is), periods (periods and targets), records (what was
recorded), notifications (e-mail preferences and messages), exports (files prepared by the
task worker). The choices the kinds need live in indicators.rules.choices.
`from indicators.models import X` keeps working for every model, and the migrations keep
finding `evidence_upload_to` and `default_reminder_days_before` here.
May import: indicators.rules and plan.
"""

from indicators.models.definitions import Category, Dimension, Frequency, Indicator, ScaleLevel
from indicators.models.exports import (
    PreparedExport,
    PreparedExportKind,
    PreparedExportStatus,
    prepared_export_upload_to,
)
from indicators.models.notifications import (
    REMINDER_DAYS_BEFORE_MAX,
    EmailKind,
    EmailStatus,
    OutgoingEmail,
    Profile,
    ProfileLanguage,
    default_reminder_days_before,
)
from indicators.models.periods import ReportingPeriod, Target
from indicators.models.records import (
    STRATEGY_STATE_LABELS,
    Evidence,
    Measurement,
    MeasurementBreakdown,
    StrategyProgress,
    StrategyState,
    evidence_upload_to,
    strategy_state_label,
)
from indicators.rules.choices import Direction, MeasureKind, MeasurementStatus

__all__ = [
    "REMINDER_DAYS_BEFORE_MAX",
    "STRATEGY_STATE_LABELS",
    "Category",
    "Dimension",
    "Direction",
    "EmailKind",
    "EmailStatus",
    "Evidence",
    "Frequency",
    "Indicator",
    "MeasureKind",
    "Measurement",
    "MeasurementBreakdown",
    "MeasurementStatus",
    "OutgoingEmail",
    "PreparedExport",
    "PreparedExportKind",
    "PreparedExportStatus",
    "Profile",
    "ProfileLanguage",
    "ReportingPeriod",
    "ScaleLevel",
    "StrategyProgress",
    "StrategyState",
    "Target",
    "default_reminder_days_before",
    "evidence_upload_to",
    "prepared_export_upload_to",
    "strategy_state_label",
]
