"""Board meetings: the list, a meeting, presenting it (freezing its pack), the pack page.

Everyone logged in with the board's or staff's role reads meetings and packs; staff with
`board.prepare_meeting` (and administrators) record and present meetings, presenting only once
they tick the confirmation; only a superuser removes a pack, with a reason. The meetings of a
closed plan are read-only: their write pages answer 403 with the reason (services.py refuses
the writes themselves).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from indicators.board import meetings, printing, services, snapshot
from indicators.board.forms import MeetingForm, PackRemovalForm, PresentForm
from indicators.board.models import Meeting, MeetingPack
from indicators.board.permissions import can_remove_pack
from indicators.models import Measurement
from indicators.rules.typography import date_text
from plan.decorators import current_plan_required


@require_safe
@login_required
@permission_required("board.view_meeting", raise_exception=True)
@current_plan_required
def meeting_list(request, plan):
    """The current plan's board meetings, the latest first."""
    return render(
        request,
        "board/meeting_list.html",
        {
            "plan": plan,
            "meetings": meetings.meetings_of(plan),
            "closed_problem": services.closed_plan_problem(plan),
        },
    )


def _refused_if_closed(request, plan, back):
    """The 403 page of a write to a closed plan's meetings (None when the plan is open)."""
    problem = services.closed_plan_problem(plan)
    if problem is None:
        return None
    return render(
        request, "board/meeting_closed.html", {"problem": problem, "back": back}, status=403
    )


@login_required
@permission_required("board.prepare_meeting", raise_exception=True)
@current_plan_required
def meeting_new(request, plan):
    """Record a meeting of the board for the current plan."""
    refused = _refused_if_closed(request, plan, reverse("board:meeting_list"))
    if refused:
        return refused
    form = MeetingForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        meeting = _write(form, services.meeting_create, plan=plan, user=request.user)
        if meeting is not None:
            messages.success(request, _("The meeting was recorded."))
            return redirect(meeting)
    return render(request, "board/meeting_form.html", {"form": form, "plan": plan})


def _write(form, service, **fields):
    """Call a meeting service with the form's data; its errors go back on the form."""
    try:
        return service(
            date=form.cleaned_data["date"],
            title=form.cleaned_data["title"],
            period=form.cleaned_data["period"],
            notes=form.cleaned_data["notes"],
            **fields,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None


@require_safe
@login_required
@permission_required("board.view_meeting", raise_exception=True)
def meeting_detail(request, pk):
    """A meeting: its period, notes, its pack (or the confirmed button that freezes it)."""
    meeting = get_object_or_404(Meeting.objects.select_related("plan", "period"), pk=pk)
    return _detail(request, meeting, PresentForm(unvalidated=_unvalidated(meeting)))


def _unvalidated(meeting):
    """How many values the pack would show « non validée » (up to the meeting's period)."""
    return (
        Measurement.objects.of_plan(meeting.plan)
        .unvalidated()
        .filter(period__start_date__lte=meeting.period.start_date)
        .count()
    )


def _detail(request, meeting, present_form):
    return render(
        request,
        "board/meeting_detail.html",
        {
            "meeting": meeting,
            "pack": MeetingPack.objects.filter(meeting=meeting).first(),
            "removals": meeting.pack_removals.select_related("removed_by"),
            "present_form": present_form,
            "closed_problem": services.closed_plan_problem(meeting.plan),
        },
    )


@login_required
@permission_required("board.prepare_meeting", raise_exception=True)
def meeting_edit(request, pk):
    """Change a meeting's title or notes (its date and period are fixed once presented)."""
    meeting = get_object_or_404(Meeting.objects.select_related("plan"), pk=pk)
    refused = _refused_if_closed(request, meeting.plan, meeting.get_absolute_url())
    if refused:
        return refused
    form = MeetingForm(request.POST or None, instance=meeting, plan=meeting.plan)
    if (
        request.method == "POST"
        and form.is_valid()
        and _write(form, services.meeting_update, meeting=meeting, user=request.user)
    ):
        messages.success(request, _("The meeting was changed."))
        return redirect(meeting)
    return render(
        request, "board/meeting_form.html", {"form": form, "plan": meeting.plan, "meeting": meeting}
    )


@require_POST
@login_required
@permission_required("board.prepare_meeting", raise_exception=True)
def meeting_present(request, pk):
    """Mark a meeting « présentée » once confirmed: its pack is frozen as the report shows it."""
    meeting = get_object_or_404(Meeting.objects.select_related("plan", "period"), pk=pk)
    refused = _refused_if_closed(request, meeting.plan, meeting.get_absolute_url())
    if refused:
        return refused
    form = PresentForm(request.POST, unvalidated=_unvalidated(meeting))
    if not form.is_valid():
        return _detail(request, meeting, form)
    try:
        pack = services.meeting_present(meeting=meeting, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(meeting)
    messages.success(request, _("The meeting was marked as presented: its pack is frozen."))
    return redirect(pack)


def _pack(pk):
    return get_object_or_404(
        MeetingPack.objects.select_related("meeting__plan", "frozen_by"), meeting_id=pk
    )


@require_safe
@login_required
@permission_required("board.view_meetingpack", raise_exception=True)
def meetingpack_detail(request, pk):
    """The pack as it was presented, and the corrections made to its values since."""
    pack = _pack(pk)
    corrections = meetings.pack_corrections(pack)
    return render(
        request,
        "board/report.html",
        {
            "pack": pack,
            "meeting": pack.meeting,
            "content": snapshot.for_display(pack.content),
            "corrections": corrections,
            "corrected_ids": {c.indicator_id for c in corrections},
            "can_remove_pack": can_remove_pack(request.user),
        },
    )


@login_required
def meetingpack_remove(request, pk):
    """Remove a pack (superusers only), with the reason kept."""
    if not can_remove_pack(request.user):
        raise PermissionDenied
    pack = _pack(pk)
    refused = _refused_if_closed(request, pack.meeting.plan, pack.get_absolute_url())
    if refused:
        return refused
    form = PackRemovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_pack_remove(
                meeting=pack.meeting, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason", error.messages)
        else:
            messages.success(request, _("The pack was removed; the reason is kept."))
            return redirect(pack.meeting)
    return render(request, "board/meetingpack_remove.html", {"pack": pack, "form": form})


@require_safe
@login_required
@permission_required("board.view_meetingpack", raise_exception=True)
def meetingpack_print_css(request, pk):
    pack = _pack(pk)
    content = pack.content
    period = content["period"]["name"] if content.get("period") else ""
    return printing.print_stylesheet(
        left=" · ".join(filter(None, [content["plan"]["title"], period, pack.meeting.title])),
        right=_("Frozen on %(date)s") % {"date": date_text(timezone.localtime(pack.frozen_at))},
    )
