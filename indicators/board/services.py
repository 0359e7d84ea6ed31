"""Writes of the board app: meetings, and the packs frozen when a meeting is presented.

Every function is keyword-only, validates first (ValidationError keyed by form field) and
writes in one transaction. A closed plan is read-only for meetings too: no meeting of it is
recorded, changed or presented, and no pack of it removed (`closed_plan_problem`).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.board import meetings, snapshot, summary
from indicators.board.data import load_plan_data
from indicators.board.models import Meeting, MeetingPack, MeetingPackRemoval
from indicators.board.permissions import can_remove_pack
from indicators.board.signals import pack_frozen
from indicators.board.viewmodels import build_board
from plan.models import StrategicPlan


def closed_plan_problem(plan):
    """Why the meetings of `plan` cannot change (it is closed); None when they can."""
    if not plan.is_closed:
        return None
    return _(
        "The plan “%(plan)s” is closed: its meetings can no longer be changed. "
        "Ask an administrator to reopen it."
    ) % {"plan": plan.title}


def _check_plan_open(plan_id):
    """Refuse the write if the plan is closed, read on its locked row (closing it meanwhile
    waits for this transaction)."""
    problem = closed_plan_problem(StrategicPlan.objects.select_for_update().get(pk=plan_id))
    if problem:
        raise ValidationError(problem)


def _save(meeting, *, date, title, period, notes):
    meeting.date = date
    meeting.title = title
    meeting.period = period
    meeting.notes = notes or ""
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_create(*, plan, date, title, period, notes="", user):
    """Record a board meeting of `plan` that presents `period`."""
    _check_plan_open(plan.pk)
    return _save(Meeting(plan=plan), date=date, title=title, period=period, notes=notes)


@transaction.atomic
def meeting_update(*, meeting, date, title, period, notes="", user):
    """Change a meeting; once presented, its date and period are those of its pack."""
    _check_plan_open(meeting.plan_id)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if MeetingPack.objects.filter(meeting=meeting).exists() and (
        period.pk != meeting.period_id or date != meeting.date
    ):
        raise ValidationError(
            {
                "period": _(
                    "This meeting was presented: its date and period can no longer change "
                    "(a superuser can remove its pack first)."
                )
            }
        )
    return _save(meeting, date=date, title=title, period=period, notes=notes)


@transaction.atomic
def meeting_present(*, meeting, user):
    """Mark `meeting` « présentée »: freeze its pack, exactly as the report shows it now.

    The pack is data (snapshot.board_content), read in each reader's language. Sends
    `pack_frozen` once the transaction is committed. Raises ValidationError when the meeting
    already has a pack, or when its plan is closed.
    """
    _check_plan_open(meeting.plan_id)
    meeting = Meeting.objects.select_for_update().select_related("plan").get(pk=meeting.pk)
    if MeetingPack.objects.filter(meeting=meeting).exists():
        raise ValidationError(_("This meeting was already presented: its pack is frozen."))
    now = timezone.now()
    today = timezone.localdate(now)
    data = load_plan_data(meeting.plan)
    period = next(p for p in data.periods if p.pk == meeting.period_id)
    board = build_board(data, period, today)
    before, compared_with = meetings.baseline_for_summary(
        data, period, today, before_day=meeting.date, exclude_meeting=meeting.pk
    )
    content = snapshot.board_content(
        board,
        summary.build_summary(board, before=before, compared_with=compared_with),
        produced_at=now,
        meeting=meeting,
    )
    pack = MeetingPack(meeting=meeting, frozen_at=now, frozen_by=user, content=content)
    pack.full_clean()
    pack.save()
    transaction.on_commit(
        lambda: pack_frozen.send(sender=MeetingPack, pack=pack, path=pack.get_absolute_url())
    )
    return pack


@transaction.atomic
def meeting_pack_remove(*, meeting, user, reason):
    """Remove the pack of `meeting` (superusers only), recording who, when and why."""
    if not can_remove_pack(user):
        raise PermissionDenied
    _check_plan_open(meeting.plan_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for removing the pack.")})
    pack = MeetingPack.objects.select_for_update().filter(meeting_id=meeting.pk).first()
    if pack is None:
        raise ValidationError(_("This meeting has no pack."))
    removal = MeetingPackRemoval(
        meeting_id=meeting.pk,
        pack_frozen_at=pack.frozen_at,
        removed_at=timezone.now(),
        removed_by=user,
        reason=reason,
    )
    removal.full_clean()
    removal.save()
    pack.delete()
    return removal


def demo_plan_meetings_delete(sender, *, plan, **kwargs):
    """Receiver of `demo_plan_deleting` (indicators.lifecycle.demo): the demonstration plan's
    meetings, their packs and the record of removed packs are demonstration data too."""
    MeetingPackRemoval.objects.filter(meeting__plan=plan).delete()
    MeetingPack.objects.filter(meeting__plan=plan).delete()
    Meeting.objects.filter(plan=plan).delete()
