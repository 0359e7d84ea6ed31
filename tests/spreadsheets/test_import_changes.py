"""Re-importing an export: every change is written or refused, and shown old → new (issue 19)."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from indicators.models import Measurement
from indicators.recording.services import measurement_record
from indicators.rules.numbers import parse_number
from tests.spreadsheets.test_export_import import import_file

CATEGORY_VALUE = "Valeur de la catégorie"
TOTAL = "Valeur (total pour une ventilation)"
REASON = "Raison de la modification"


def edited_export(client, *edits):
    """The app's XLSX export with `edits` (data row index from 0, column header, value)."""
    workbook = load_workbook(io.BytesIO(client.get("/saisie/export.xlsx").getvalue()))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2))
    for index, column, value in edits:
        rows[index][header.index(column)].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def preview_of(client, content):
    return import_file(client, "valeurs.xlsx", content)


def confirm(client, preview):
    return client.post(
        "/saisie/import/", {"confirm": "1", "token": preview.context["preview"].token}
    )


def tools_2019(tools_indicator):
    return Measurement.objects.get(indicator=tools_indicator, period__name="2019-2020")


# Rows of the export of `recorded`: 0 and 1 are the two categories of 1.2 in 2019-2020,
# 2 is 1.2 « non mesuré » in 2020-2021, 3 the level of 1.3, 4 the narrative of 6.3.


@pytest.mark.parametrize(
    ("index", "column", "field"),
    [
        (1, "Récit", "narrative"),  # the second row of a count by category
        (1, "Commentaire", "comment"),
        (2, "Explication (non mesuré)", "explanation"),
        (4, "Récit", "narrative"),
    ],
)
def test_a_text_changed_on_any_row_asks_a_reason_then_is_written(
    staff_client, recorded, tools_indicator, index, column, field
):
    content = edited_export(staff_client, (index, column, "Texte corrigé dans le tableur"))

    preview = preview_of(staff_client, content).context["preview"]

    assert preview.unchanged == 3
    errors = [error for row in preview.rows for error in row.errors]
    assert errors == [
        "Raison de la modification : Une valeur a déjà été saisie : "
        "indiquez la raison de la modification."
    ]

    content = edited_export(
        staff_client,
        (index, column, "Texte corrigé dans le tableur"),
        (index, REASON, "Correction du récit"),
    )
    preview = preview_of(staff_client, content)
    assert preview.context["preview"].is_valid
    assert preview.context["preview"].written == 1
    confirm(staff_client, preview)
    changed = Measurement.objects.get(**{field: "Texte corrigé dans le tableur"})
    assert changed.history.latest().history_change_reason == "Correction du récit"


def test_two_rows_of_one_value_giving_two_texts_are_refused(staff_client, recorded):
    content = edited_export(staff_client, (0, "Commentaire", "un"), (1, "Commentaire", "deux"))

    preview = preview_of(staff_client, content).context["preview"]

    assert preview.rows[1].errors == [
        "Commentaire : la ligne 2 donne un autre texte pour la même valeur."
    ]


def test_a_category_changed_with_the_total_left_as_exported_is_refused(
    staff_client, recorded, tools_indicator
):
    content = edited_export(staff_client, (1, CATEGORY_VALUE, 12), (1, REASON, "Recomptage"))

    preview = preview_of(staff_client, content).context["preview"]

    assert (
        preview.rows[0].errors
        == preview.rows[1].errors
        == [
            "Valeur (total pour une ventilation) : 14 n’est pas la somme des catégories (15) ; "
            "inscrivez 15 ou laissez la cellule vide."
        ]
    )
    confirm(staff_client, preview_of(staff_client, content))
    assert tools_2019(tools_indicator).value == Decimal(14)


@pytest.mark.parametrize("total", [None, 15])
def test_a_category_changed_with_the_total_empty_or_the_new_sum_is_written(
    staff_client, recorded, tools_indicator, total
):
    content = edited_export(
        staff_client,
        (1, CATEGORY_VALUE, 12),
        (0, TOTAL, total),
        (1, TOTAL, total),
        (0, REASON, "Recomptage"),
    )

    preview = preview_of(staff_client, content)

    assert preview.context["preview"].is_valid, [r.errors for r in preview.context["preview"].rows]
    confirm(staff_client, preview)
    assert tools_2019(tools_indicator).value == Decimal(15)


def test_the_preview_shows_each_change_old_to_new_on_its_row(staff_client, recorded):
    content = edited_export(
        staff_client,
        (1, CATEGORY_VALUE, 12),
        (0, TOTAL, 15),
        (1, TOTAL, 15),
        (0, REASON, "Recomptage"),
        (4, "Récit", "Un nouveau récit"),
        (4, REASON, "Mise à jour"),
    )

    response = preview_of(staff_client, content)

    rows = response.context["preview"].rows
    shown = [[f"{c.column} : {c.old} → {c.new}" for c in row.changes] for row in rows]
    assert shown == [
        ["Valeur (total pour une ventilation) : 14\xa0outils → 15\xa0outils"],
        ["Formation ou atelier : 11 → 12"],
        [],
        [],
        [
            "Récit : Le rôle du TIESS est reconnu;\nplusieurs « réseaux » le cite… "
            "→ Un nouveau récit"
        ],
    ]
    page = response.content.decode()
    assert "Modifications (avant → après)" in page
    assert "<div>Formation ou atelier : 11 → 12</div>" in page


def test_a_new_value_is_shown_from_nothing(staff_client, percentage_indicator):
    content = (
        "Code de l’indicateur;Période;Statut;Valeur (total pour une ventilation)\r\n"
        f"{percentage_indicator.code};2019-2020;saisi;12,5 %\r\n"
    ).encode()

    rows = import_file(staff_client, "valeurs.csv", content).context["preview"].rows

    assert [(c.column, c.old, c.new) for c in rows[0].changes] == [
        ("Statut", "—", "saisi"),
        ("Valeur (total pour une ventilation)", "—", "12,5\xa0%"),
    ]


# --- « 12,5 % » for a percentage -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100 %", Decimal(100)),
        ("0,0 %", Decimal(0)),
        ("12,5%", Decimal("12.5")),
        ("12,5\xa0%", Decimal("12.5")),
        ("12,5\u202f%", Decimal("12.5")),
        ("12,5", Decimal("12.5")),
    ],
)
def test_a_percentage_cell_may_end_with_a_percent_sign(text, expected):
    assert parse_number(text, percent=True) == expected


@pytest.mark.parametrize("text", ["12,5 %%", "%", " % ", "% 12", "12 % 5"])
def test_a_percent_sign_alone_doubled_or_inside_is_not_a_number(text):
    with pytest.raises(ValidationError) as raised:
        parse_number(text, percent=True)
    assert raised.value.code == "invalid"


def test_a_percent_sign_is_not_a_number_for_other_kinds():
    with pytest.raises(ValidationError):
        parse_number("12 %")


@pytest.mark.parametrize(
    ("cell", "expected"), [("12,5 %", Decimal("12.5")), ("100 %", 100), ("0,0 %", 0)]
)
def test_an_imported_percentage_reads_the_french_percent(
    staff_client, staff_user, percentage_indicator, cell, expected
):
    content = (
        "Code de l’indicateur;Période;Statut;Valeur (total pour une ventilation)\r\n"
        f"{percentage_indicator.code};2019-2020;saisi;{cell}\r\n"
    ).encode()

    preview = import_file(staff_client, "valeurs.csv", content)

    assert preview.context["preview"].is_valid, preview.context["preview"].rows[0].errors
    confirm(staff_client, preview)
    saved = Measurement.objects.get(indicator=percentage_indicator)
    assert saved.value == Decimal(expected)


@pytest.mark.parametrize("cell", ["12,5 %%", "%"])
def test_an_imported_percentage_refuses_a_bad_percent(staff_client, percentage_indicator, cell):
    content = (
        "Code de l’indicateur;Période;Statut;Valeur (total pour une ventilation)\r\n"
        f"{percentage_indicator.code};2019-2020;saisi;{cell}\r\n"
    ).encode()

    preview = import_file(staff_client, "valeurs.csv", content).context["preview"]

    assert preview.rows[0].errors == [
        f"Valeur (total pour une ventilation) : « {cell} » n’est pas un nombre."
    ]


def test_a_percent_sign_is_refused_for_a_count(staff_client, count_indicator):
    content = (
        "Code de l’indicateur;Période;Statut;Valeur (total pour une ventilation)\r\n"
        f"{count_indicator.code};2019-2020;saisi;12 %\r\n"
    ).encode()

    preview = import_file(staff_client, "valeurs.csv", content).context["preview"]

    assert not preview.is_valid


def test_an_exported_percentage_round_trips(staff_client, staff_user, percentage_indicator):
    period = percentage_indicator.plan.periods.get(name="2019-2020")
    measurement_record(
        indicator=percentage_indicator, period=period, user=staff_user, value=12.5, version=0
    )
    content = staff_client.get("/saisie/export.xlsx").getvalue()

    preview = preview_of(staff_client, content).context["preview"]

    assert (preview.is_valid, preview.unchanged, preview.written) == (True, 1, 0)
