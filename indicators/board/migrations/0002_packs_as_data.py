"""Meeting packs become data (indicators/board/snapshot.py, version 2), read in each reader's
language; version 1 kept the report as French words.

Each version 1 pack is converted without loss:
- statuses and strategy states: their codes were stored beside their words;
- « Orientation 2 », « Résultat 5 »: the numbers in the labels;
- « depuis la rencontre du 15 mars 2025 » / « depuis la période 2021-2022 »: the meeting's date
  or the period's name;
- a row's phrases (« 20 collaborateurs », « cible 40 collaborateurs », « 50 % », « 5 outils en
  2019-2020 », « départ : … »): rebuilt from the values the pack stored, the period's own value
  as it was when the pack was frozen (the values' history) and the indicator's unit, kind and
  scale, and kept as data only if they then read, in French, exactly as the pack showed them.
What does not convert exactly stays as the pack showed it, in French, and is shown as before:
a row's phrases ("words"), a label ("label"), the comparison ("text"). The check renders
with the snapshot code of the day: should that code change, a row that no longer matches keeps
its words; nothing is ever lost.
The plan's lettered items, which version 1 left out, are added where the pack's sentence is
still the plan's.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db import migrations
from django.utils import translation

PHRASES = ("value_phrase", "target_phrase", "progress_text", "period_value_text", "baseline_text")
MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
).split()
FRENCH = "fr-ca"


def _number(label, word):
    match = re.fullmatch(rf"{word} (\d+)", label or "")
    return int(match.group(1)) if match else None


def _compared_with(text):
    """The v1 words « depuis … » as data (their text when they are not one of the two forms)."""
    meeting = re.fullmatch(r"depuis la rencontre du (\d{1,2})(?:er)? (\w+) (\d{4})", text)
    if meeting and meeting.group(2) in MONTHS:
        day, month, year = meeting.groups()
        date = datetime.date(int(year), MONTHS.index(month) + 1, int(day))
        return {"meeting": date.isoformat()}
    period = re.fullmatch(r"depuis la période (.+)", text)
    if period:
        return {"period": period.group(1)}
    return {"text": text} if text else None


def _percent(text):
    """« 87,5 % » → "87.5" (None when there is none or it does not read as a number)."""
    number = re.sub(r"[\s\u00a0\u202f%]", "", text or "").replace(",", ".")
    try:
        return str(Decimal(number)) if number else None
    except InvalidOperation:
        return None


class Facts:
    """What today's database says of the pack's indicators, periods' values and plan."""

    def __init__(self, apps, content):
        from indicators.rules.kinds import kind_of

        ids = {
            row["id"]
            for orientation in content["orientations"]
            for result in orientation["results"]
            for row in result["indicators"]
        }
        indicators = apps.get_model("indicators", "Indicator").objects.filter(pk__in=ids)
        self.indicators = {indicator.pk: indicator for indicator in indicators}
        self.levels = {}
        scale = apps.get_model("indicators", "ScaleLevel").objects.filter(indicator_id__in=ids)
        for level in scale.order_by("indicator_id", "value"):
            indicator = self.indicators[level.indicator_id]
            if kind_of(indicator.kind).has_levels:
                self.levels.setdefault(level.indicator_id, []).append(
                    [str(level.value), level.label]
                )
        self.apps = apps

    def period_value(self, indicator_id, period_id, frozen_at):
        """The period's own value when the pack was frozen (from the values' history)."""
        history = self.apps.get_model("indicators", "HistoricalMeasurement")
        record = (
            history.objects.filter(
                indicator_id=indicator_id, period_id=period_id, history_date__lte=frozen_at
            )
            .order_by("-history_date", "-history_id")
            .first()
        )
        if record is None or record.history_type == "-" or record.value is None:
            return None
        return str(record.value)

    def items(self, model, **lookup):
        """The lettered items of the result or strategy `lookup` finds (text included), or []."""
        owner = self.apps.get_model("plan", model).objects.filter(**lookup).first()
        if owner is None:
            return []
        return [{"letter": i.letter, "text": i.text} for i in owner.items.order_by("letter")]


def _row(old, facts, frozen_at):
    """A v1 row as v2 data; its French phrases kept under "words" unless rebuilt exactly."""
    from indicators.board import snapshot

    indicator = facts.indicators.get(old["id"])
    period = old["value_period"]
    row = {
        "id": old["id"],
        "wording": old["wording"],
        "status": old["status"],
        "story": old["story"],
        "kind": indicator.kind if indicator else None,
        "unit": indicator.unit if indicator else "",
        "levels": facts.levels.get(old["id"], []),
        "cumulative": indicator.is_cumulative if indicator else False,
        "direction": "decrease" if old["direction_arrow"] == "↓" else "increase",
        "value": old["value"],
        "target": old["target"],
        "percent": _percent(old["progress_text"]),
        "baseline": None,
        "period_value": None,
        "value_period": period,
        "periods_counted": old["periods_counted"],
    }
    if indicator is not None:
        row["baseline"] = None if indicator.baseline_value is None else str(indicator.baseline_value)
        if period is not None:
            row["period_value"] = facts.period_value(old["id"], period["id"], frozen_at)
    words = {phrase: old[phrase] for phrase in PHRASES}
    try:
        with translation.override(FRENCH):
            rebuilt = {phrase: snapshot.shown_row(row)[phrase] for phrase in PHRASES}
    except (KeyError, TypeError, ValueError, InvalidOperation):
        rebuilt = None
    if indicator is None or rebuilt != words:
        row["words"] = words
    return row


def _labelled(data, label, word):
    """`data` with the number read from `label`, or the label kept when it has none."""
    number = _number(label, word)
    return {**data, "number": number} if number is not None else {**data, "number": None, "label": label}


def _rollup(rollup):
    return [[status, count] for status, _label, count in rollup]


def _orientation(old, convert, facts):
    results = [
        _labelled(
            {
                "id": result["id"],
                "statement": result["statement"],
                "items": facts.items("Result", pk=result["id"], statement=result["statement"]),
                "rollup": _rollup(result["rollup"]),
                "served": result["served"],
                "indicators": [convert(row) for row in result["indicators"]],
            },
            result["label"],
            "Résultat",
        )
        for result in old["results"]
    ]
    strategies = []
    for strategy in old["strategies"]:
        order = strategy["number"].rpartition(".")[2]
        items = []
        if order.isdigit():
            items = facts.items(
                "Strategy", orientation_id=old["id"], order=int(order), text=strategy["text"]
            )
        strategies.append(
            {key: strategy[key] for key in ("number", "text", "state", "period", "note")}
            | {"items": items}
        )
    return _labelled(
        {
            "id": old["id"],
            "title": old["title"],
            "rollup": _rollup(old["rollup"]),
            "results": results,
            "strategies": strategies,
        },
        old["label"],
        "Orientation",
    )


def _summary(old, convert, titles):
    return {
        "rollup": _rollup(old["rollup"]),
        "orientations": [
            _labelled(
                {
                    "title": titles.get(item["label"], ""),
                    "counts": _rollup(item["counts"]),
                    "total": item["total"],
                },
                item["label"],
                "Orientation",
            )
            for item in old["orientations"]
        ],
        "attention": [convert(row) for row in old["attention"]],
        "attention_total": old["attention_total"],
        "reached": [convert(row) for row in old["reached"]],
        "reached_total": old["reached_total"],
        "changes": [
            {key: change[key] for key in ("id", "wording", "before_status", "status", "improved")}
            for change in old["changes"]
        ],
        "changes_total": old["changes_total"],
        "compared_with": _compared_with(old["compared_with"]),
    }


def version_2(content, apps, frozen_at):
    """The v2 data of a v1 pack's `content` (see the module's docstring)."""
    facts = Facts(apps, content)
    rows = {}

    def convert(old):
        if old["id"] not in rows:
            rows[old["id"]] = _row(old, facts, frozen_at)
        return rows[old["id"]]

    titles = {o["label"]: o["title"] for o in content["orientations"]}
    return {
        "version": 2,
        "plan": content["plan"],
        "period": content["period"],
        "produced_at": content["produced_at"],
        "meeting": content["meeting"],
        "orientations": [_orientation(o, convert, facts) for o in content["orientations"]],
        "summary": _summary(content["summary"], convert, titles),
        "unserved": [_number(label, "Résultat") or label for label in content["unserved"]],
    }


def forwards(apps, schema_editor):
    MeetingPack = apps.get_model("board", "MeetingPack")
    for pack in MeetingPack.objects.order_by("pk"):
        if pack.content.get("version", 1) == 1:
            pack.content = version_2(pack.content, apps, pack.frozen_at)
            pack.save(update_fields=["content"])


def _words_row(row):
    """A v2 row as v1 stored it: its words in French beside its values."""
    from indicators.board import snapshot

    shown = snapshot.shown_row(row)
    return {
        **{key: str(value) for key, value in shown.items() if key not in ("id", "value_period")},
        "id": row["id"],
        "story_is_long": shown["story_is_long"],
        "value_period": row["value_period"],
        "value": row["value"],
        "target": row["target"],
        "periods_counted": row["periods_counted"],
    }


def version_1(content):
    """The French words of a v2 pack, as version 1 stored them (to migrate backwards)."""
    from indicators.board import snapshot

    shown = snapshot.for_display(content)

    def rollup(triples):
        return [[status, str(label), count] for status, label, count in triples]

    orientations = [
        {
            "id": o["id"],
            "label": o["label"],
            "title": o["title"],
            "rollup": rollup(o["rollup"]),
            "results": [
                {
                    "id": r["id"],
                    "label": r["label"],
                    "statement": r["statement"],
                    "rollup": rollup(r["rollup"]),
                    "served": r["served"],
                    "indicators": [_words_row(row) for row in stored["indicators"]],
                }
                for r, stored in zip(o["results"], original["results"], strict=True)
            ],
            "strategies": [
                {**s, "state_label": str(s["state_label"])} for s in o["strategies"]
            ],
        }
        for o, original in zip(shown["orientations"], content["orientations"], strict=True)
    ]
    summary, stored = shown["summary"], content["summary"]
    return {
        "version": 1,
        "plan": content["plan"],
        "period": content["period"],
        "produced_at": content["produced_at"],
        "meeting": content["meeting"],
        "summary": {
            "rollup": rollup(summary["rollup"]),
            "orientations": [
                {"label": str(o.label), "counts": rollup(o.counts), "total": o.total}
                for o in summary["orientations"]
            ],
            "attention": [_words_row(row) for row in stored["attention"]],
            "attention_total": stored["attention_total"],
            "reached": [_words_row(row) for row in stored["reached"]],
            "reached_total": stored["reached_total"],
            "changes": [
                {**c, "before_label": str(c["before_label"]), "status_label": str(c["status_label"])}
                for c in summary["changes"]
            ],
            "changes_total": stored["changes_total"],
            "compared_with": summary["compared_with"],
        },
        "orientations": orientations,
        "unserved": shown["unserved"],
    }


def backwards(apps, schema_editor):
    MeetingPack = apps.get_model("board", "MeetingPack")
    with translation.override(FRENCH):
        for pack in MeetingPack.objects.order_by("pk"):
            if pack.content.get("version") == 2:
                pack.content = version_1(pack.content)
                pack.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("board", "0001_meetings"),
        ("indicators", "0008_plausibility"),
        ("plan", "0003_plan_data_version"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
