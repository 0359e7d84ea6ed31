"""The fixture `plan_2018_2023` holds the whole adopted plan, word for word.

The expected texts are not copied here: they are parsed from the source document
`fixtures/source/plan-strategique-2018-2023.txt` (a PDF turned into text), so that the
fixture and the document can never silently drift apart.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from indicators.models import (
    Category,
    Dimension,
    Indicator,
    MeasureKind,
    ReportingPeriod,
    ScaleLevel,
)
from plan.models import (
    OrganisationalValue,
    Orientation,
    Result,
    ResultItem,
    StrategicPlan,
    Strategy,
    StrategyItem,
)

SOURCE = Path(settings.BASE_DIR) / "fixtures" / "source" / "plan-strategique-2018-2023.txt"
FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "plan_2018_2023.json"

# Reference data (not plan text): Québec's administrative regions in their official order.
QUEBEC_REGIONS = [
    "Bas-Saint-Laurent",
    "Saguenay–Lac-Saint-Jean",
    "Capitale-Nationale",
    "Mauricie",
    "Estrie",
    "Montréal",
    "Outaouais",
    "Abitibi-Témiscamingue",
    "Côte-Nord",
    "Nord-du-Québec",
    "Gaspésie–Îles-de-la-Madeleine",
    "Chaudière-Appalaches",
    "Laval",
    "Lanaudière",
    "Laurentides",
    "Montérégie",
    "Centre-du-Québec",
]
REGION_DIMENSION = "Région administrative du Québec"

LETTERED = re.compile(r"^([a-z])\)\s+(.*)$", re.DOTALL)
BULLET = re.compile(r"^[■–-]\s*")


# --------------------------------------------------------------------------------------
# Parsing the source document
# --------------------------------------------------------------------------------------


@dataclass
class Block:
    """A piece of a table cell: a paragraph, loose text, or a list of items."""

    kind: str  # "p", "text" or "ul"
    text: str = ""
    items: list[str] = field(default_factory=list)


class CellParser(HTMLParser):
    """Turns a cell's HTML into blocks, dropping the tags but keeping every character."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._current: Block | None = None
        self._in_li = False

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self._current = Block("p")
            self.blocks.append(self._current)
        elif tag == "ul":
            self._current = Block("ul")
            self.blocks.append(self._current)
        elif tag == "li":
            self._current.items.append("")
            self._in_li = True

    def handle_endtag(self, tag):
        if tag == "li":
            self._in_li = False
        elif tag in ("p", "ul"):
            self._current = None

    def handle_data(self, data):
        if self._current is None:
            if not data.strip():
                return
            self._current = Block("text")
            self.blocks.append(self._current)
        if self._current.kind == "ul":
            if self._in_li:
                self._current.items[-1] += data
        else:
            self._current.text += data


def cell_blocks(cell):
    parser = CellParser()
    parser.feed(cell)
    parser.close()
    for block in parser.blocks:
        block.text = block.text.strip()
        block.items = [item.strip() for item in block.items]
    return parser.blocks


def split_lettered(text):
    """ "Lead : a) First; b) Second." -> ("Lead :", [("a", "First;"), ("b", "Second.")])."""
    parts = re.split(r"\s+(?=[a-z]\)\s)", text)
    items = []
    for part in parts[1:]:
        letter, item = LETTERED.match(part).groups()
        items.append((letter, item))
    return parts[0], items


@dataclass
class ParsedResult:
    number: int
    orientation: int
    statement: str
    items: list = field(default_factory=list)
    indicators: list = field(default_factory=list)


@dataclass
class ParsedStrategy:
    orientation: int
    order: int
    text: str
    items: list = field(default_factory=list)
    results: list = field(default_factory=list)


@dataclass
class ParsedPlan:
    sections: dict
    values: list
    footnote: str
    orientations: dict
    results: dict
    strategies: list


def parse_sections(lines):
    """Markdown headings -> the non-empty lines below them, up to the next heading."""
    sections, heading = {}, None
    for line in lines:
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            sections[heading] = []
        elif heading is not None and line.strip():
            sections[heading].append(line.strip())
    return sections


def parse_values(sections):
    values = []
    for heading, category in (
        ("Les valeurs de savoir-être", "savoir_etre"),
        ("Les valeurs de savoir-faire", "savoir_faire"),
    ):
        header, *rows = sections[heading]
        assert header.startswith("Valeurs\t")
        for row in rows:
            name, definition = row.split("\t")
            values.append((category, name, definition))
    return values


def is_header_row(cells):
    first = cells[0].strip()
    return (
        first.startswith("PLAN STRATÉGIQUE")
        or first == "ORIENTATIONS"
        or first.startswith("CE QUE NOUS VOULONS")
    )


def parse_table(lines):
    start = next(i for i, line in enumerate(lines) if line.startswith("PLAN STRATÉGIQUE"))
    orientations, results, strategies = {}, {}, []
    orientation = None
    results_beside = []  # the results that the current rows' strategies sit beside
    for line in lines[start:]:
        if "\t" not in line:
            continue  # page headings, footnote, blank lines
        cells = (line.split("\t") + ["", "", "", ""])[:4]
        if is_header_row(cells):
            continue
        orientation_cell, result_cell, indicator_cell, strategy_cell = cells
        row_strategy_blocks = []

        # Orientation cell; the shifted last line puts a strategy here.
        for block in cell_blocks(orientation_cell):
            match = re.match(r"^ORIENTATION (\d+)\s+(.+)$", block.text, re.DOTALL)
            if match:
                orientation = int(match.group(1))
                orientations[orientation] = match.group(2)
                results_beside = []
            else:
                row_strategy_blocks.append(block)

        # Result cell: "n. statement", or the end of a statement cut by a page break.
        row_results = []
        for block in cell_blocks(result_cell):
            match = re.match(r"^(\d+)\.\s+(.+)$", block.text, re.DOTALL)
            if match:
                number = int(match.group(1))
                statement, items = split_lettered(match.group(2))
                results[number] = ParsedResult(number, orientation, statement, items)
                row_results.append(number)
            else:
                last = results[max(results)]
                last.statement = f"{last.statement} {block.text}"
        if row_results:
            results_beside = row_results

        # Indicator cell: one list per result of the row, in order.
        lists = [block for block in cell_blocks(indicator_cell) if block.kind == "ul"]
        if lists:
            assert len(lists) == len(row_results), line
            for number, block in zip(row_results, lists, strict=True):
                results[number].indicators = [BULLET.sub("", item) for item in block.items]

        # Strategy cell: paragraphs or loose text are strategies, lists are their sub-items.
        for block in row_strategy_blocks + cell_blocks(strategy_cell):
            if block.kind == "ul":
                strategies[-1].items = [LETTERED.match(item).groups() for item in block.items]
            elif block.text[:1].islower():
                strategies[-1].text = f"{strategies[-1].text} {block.text}"  # cut by a page
            else:
                order = 1 + sum(1 for s in strategies if s.orientation == orientation)
                strategies.append(
                    ParsedStrategy(orientation, order, block.text, results=list(results_beside))
                )
    return orientations, results, strategies


def parse_document():
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    sections = parse_sections(lines)
    footnote_line = next(line for line in lines if line.startswith("<sup>1</sup>"))
    footnote = re.sub(r"^<sup>1</sup>\s*", "", footnote_line).strip()
    orientations, results, strategies = parse_table(lines)
    return ParsedPlan(sections, parse_values(sections), footnote, orientations, results, strategies)


@pytest.fixture(scope="module")
def document():
    return parse_document()


def load_fixture():
    call_command("loaddata", "plan_2018_2023", verbosity=0)


@pytest.fixture
def loaded(plan_2018_2023):
    """The plan as `loaddata plan_2018_2023` left it in the freshly migrated test database.

    It is the only plan of the database: nothing else is loaded for the session.
    """
    return StrategicPlan.objects.get()


def bullet_lines(lines):
    return [re.sub(r"^- ", "", line) for line in lines]


# --------------------------------------------------------------------------------------
# The parser itself reads the document as the plan describes it
# --------------------------------------------------------------------------------------


def test_document_parser_finds_the_plan_structure(document):
    assert sorted(document.orientations) == [1, 2, 3, 4, 5]
    assert sorted(document.results) == [1, 2, 3, 4, 5, 6, 7]
    assert sum(len(r.indicators) for r in document.results.values()) == 19
    assert document.results[3].statement.endswith("de l'écosystème de soutien.")
    orientation_3 = [s for s in document.strategies if s.orientation == 3]
    assert orientation_3[-1].text.startswith("Diffusion des résultats")
    assert document.strategies[-1].orientation == 5
    assert document.strategies[-1].text.startswith("Développement d'outils de gestion")


# --------------------------------------------------------------------------------------
# The table: orientations, results, indicators, strategies
# --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_fixture_holds_exactly_the_orientations_of_the_document(loaded, document):
    in_db = {(o.number, o.title) for o in Orientation.objects.filter(plan=loaded)}
    assert in_db == set(document.orientations.items())
    assert Orientation.objects.count() == 5


@pytest.mark.django_db
def test_fixture_holds_exactly_the_results_of_the_document(loaded, document):
    in_db = {
        (r.number, r.orientation.number, r.statement)
        for r in Result.objects.select_related("orientation")
    }
    expected = {(r.number, r.orientation, r.statement) for r in document.results.values()}
    assert in_db == expected
    assert Result.objects.count() == 7


@pytest.mark.django_db
def test_fixture_splits_the_lettered_sub_items_of_results(loaded, document):
    in_db = {
        (i.result.number, i.letter, i.text) for i in ResultItem.objects.select_related("result")
    }
    expected = {
        (r.number, letter, text) for r in document.results.values() for letter, text in r.items
    }
    assert expected  # result 1 has a) and b)
    assert in_db == expected


@pytest.mark.django_db
def test_fixture_holds_exactly_the_example_indicators_of_each_result(loaded, document):
    in_db = {
        (i.result.number, i.order, i.wording) for i in Indicator.objects.select_related("result")
    }
    expected = {
        (r.number, order, wording)
        for r in document.results.values()
        for order, wording in enumerate(r.indicators, start=1)
    }
    assert in_db == expected
    assert Indicator.objects.count() == 19


@pytest.mark.django_db
def test_fixture_holds_exactly_the_strategies_of_the_document(loaded, document):
    in_db = {
        (s.orientation.number, s.order, s.text)
        for s in Strategy.objects.select_related("orientation")
    }
    expected = {(s.orientation, s.order, s.text) for s in document.strategies}
    assert in_db == expected
    assert Strategy.objects.count() == len(document.strategies)


@pytest.mark.django_db
def test_fixture_splits_the_lettered_sub_items_of_strategies(loaded, document):
    in_db = {
        (i.strategy.orientation.number, i.strategy.order, i.letter, i.text)
        for i in StrategyItem.objects.select_related("strategy__orientation")
    }
    expected = {
        (s.orientation, s.order, letter, text)
        for s in document.strategies
        for letter, text in s.items
    }
    assert expected
    assert in_db == expected


@pytest.mark.django_db
def test_fixture_links_each_strategy_to_the_results_beside_it_in_the_table(loaded, document):
    in_db = {
        (s.orientation.number, s.order): sorted(r.number for r in s.results.all())
        for s in Strategy.objects.select_related("orientation").prefetch_related("results")
    }
    expected = {(s.orientation, s.order): sorted(s.results) for s in document.strategies}
    assert in_db == expected


# --------------------------------------------------------------------------------------
# The text before the table
# --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_plan_identity_matches_the_document(loaded, document):
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    title_index = lines.index(f"# {loaded.title}")
    assert lines[title_index + 2] == loaded.subtitle
    assert (loaded.start_year, loaded.end_year) == (2018, 2023)
    assert loaded.is_current
    assert loaded.organisation == "TIESS"
    assert f"{loaded.document_author}  " in lines
    assert loaded.document_date in lines


@pytest.mark.django_db
def test_mission_intentions_approach_and_vision_match_the_document(loaded, document):
    sections = document.sections
    assert [loaded.mission] == sections["Mission du TIESS"]
    intro, *intentions = sections["Intentions"]
    assert loaded.intentions_intro == intro
    assert loaded.intention_list() == bullet_lines(intentions)
    assert [loaded.approach] == sections["Approche"]
    assert [loaded.vision] == sections["Vision"]
    assert loaded.strength_list() == bullet_lines(sections["Nos forces distinctives"])


@pytest.mark.django_db
def test_the_four_values_and_their_definitions_match_the_document(loaded, document):
    in_db = [
        (v.category, v.name, v.definition)
        for v in OrganisationalValue.objects.filter(plan=loaded).order_by("order")
    ]
    assert in_db == document.values
    assert [v.order for v in OrganisationalValue.objects.order_by("order")] == [1, 2, 3, 4]


@pytest.mark.django_db
def test_preamble_and_indicator_footnote_match_the_document(loaded, document):
    # The preamble is the one paragraph between its heading and the table.
    preamble, table_title, *_ = document.sections["Préambule"]
    assert table_title.startswith("PLAN STRATÉGIQUE")
    assert loaded.preamble == preamble
    assert loaded.indicators_footnote == document.footnote
    assert not loaded.indicators_footnote.startswith("1")


# --------------------------------------------------------------------------------------
# Loading, proposals and reference data
# --------------------------------------------------------------------------------------

FIXTURE_MODELS = [
    StrategicPlan,
    OrganisationalValue,
    Orientation,
    Result,
    ResultItem,
    Strategy,
    Strategy.results.through,
    StrategyItem,
    Dimension,
    Category,
    ReportingPeriod,
    Indicator,
    ScaleLevel,
]


def counts():
    return {model.__name__: model.objects.count() for model in FIXTURE_MODELS}


@pytest.mark.django_db
def test_loading_the_fixture_twice_changes_nothing(loaded):
    before = counts()
    load_fixture()
    assert counts() == before
    assert StrategicPlan.objects.filter(is_current=True).count() == 1


def test_fixture_file_keeps_accents_unescaped():
    content = FIXTURE.read_text(encoding="utf-8")
    assert "stratégique" in content
    assert "\\u00e9" not in content


@pytest.mark.django_db
def test_every_indicator_kind_is_a_proposal_drawn_from_its_wording(loaded):
    for indicator in Indicator.objects.all():
        assert indicator.kind_is_proposal, indicator
        assert indicator.definition == ""
        assert indicator.direction == "increase"
        assert indicator.frequency == "annual"
        if indicator.wording.startswith(("Nombre et types", "Nombre et profil")):
            assert indicator.kind == MeasureKind.COUNT_BY_CATEGORY, indicator
        elif indicator.wording.startswith(("Niveau de ", "Niveau d'")):
            assert indicator.kind == MeasureKind.LEVEL, indicator
        else:
            assert indicator.kind == MeasureKind.QUALITATIVE, indicator


@pytest.mark.django_db
def test_each_level_indicator_has_a_five_level_rubric_in_french(loaded):
    level_indicators = Indicator.objects.filter(kind=MeasureKind.LEVEL)
    assert level_indicators.exists()
    for indicator in level_indicators:
        levels = list(indicator.levels.order_by("value"))
        assert [level.value for level in levels] == [1, 2, 3, 4, 5], indicator
        for level in levels:
            assert level.label.strip(), level
            assert level.description.strip().endswith("."), level
    assert not ScaleLevel.objects.exclude(indicator__kind=MeasureKind.LEVEL).exists()


@pytest.mark.django_db
def test_every_count_by_category_indicator_has_a_dimension_with_categories(loaded):
    breakdowns = Indicator.objects.filter(kind=MeasureKind.COUNT_BY_CATEGORY)
    assert breakdowns.exists()
    for indicator in breakdowns:
        assert indicator.dimension is not None, indicator
        assert indicator.dimension.categories.count() >= 3, indicator
    assert not Indicator.objects.exclude(kind=MeasureKind.COUNT_BY_CATEGORY).filter(
        dimension__isnull=False
    )


@pytest.mark.django_db
def test_thematic_dimensions_have_three_to_eight_categories_ending_with_autre(loaded):
    for dimension in Dimension.objects.exclude(name=REGION_DIMENSION):
        names = list(dimension.categories.order_by("order").values_list("name", flat=True))
        assert 3 <= len(names) <= 8, dimension
        assert names[-1] == "Autre", dimension


@pytest.mark.django_db
def test_the_seventeen_quebec_regions_are_present_in_official_order(loaded):
    regions = Dimension.objects.get(name=REGION_DIMENSION)
    names = list(regions.categories.order_by("order").values_list("name", flat=True))
    assert names == QUEBEC_REGIONS


@pytest.mark.django_db
def test_reporting_periods_are_the_five_unlocked_fiscal_years_of_the_plan(loaded):
    periods = [
        (p.name, p.start_date.isoformat(), p.end_date.isoformat(), p.is_locked)
        for p in ReportingPeriod.objects.filter(plan=loaded).order_by("start_date")
    ]
    assert periods == [
        (f"{year}-{year + 1}", f"{year}-04-01", f"{year + 1}-03-31", False)
        for year in range(2018, 2023)
    ]
