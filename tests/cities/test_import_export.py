"""Bulk import and export for curators: every row validated, a file with any bad row (or the
wrong columns, encoding or size) rejected whole with a clear message and nothing written;
exports in the importer's columns that respect contact privacy."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cities.choices import ContactVisibility
from cities.models import Challenge, City, ImportJob, ImportStatus, Initiative, Official, Theme

from .factories import MembershipFactory, OfficialFactory

OFFICIAL_HEADER = "city,name,role,title,email,phone,contact_visibility\n"


@pytest.fixture(autouse=True)
def _postgres_only(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL to a PostgreSQL database)")


def upload(client, content, *, name="officials.csv", kind="officials", org="dst"):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return client.post(
        reverse("curation:import", kwargs={"org_slug": org}),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def curator(client, curator_dst, dst):
    client.force_login(curator_dst)
    return curator_dst


# --- accepted ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_imports_officials_from_a_utf8_csv(client, curator, kafue):
    response = upload(
        client,
        OFFICIAL_HEADER
        + "kafue,Head of International Relations (sample),international_relations,"
        + ",ir@kafue.example,,public\n"
        + "kafue,Mayor (sample),Mayor,Maire,,,\n",
    )

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert (job.status, job.created_count) == (ImportStatus.SUCCEEDED, 2)
    assert set(kafue.officials.values_list("role", flat=True)) == {
        "international_relations",
        "mayor",
    }
    assert Official.history.filter(city_id=kafue.pk).count() == 2  # recorded like any edit


@pytest.mark.django_db
def test_it_imports_challenges_and_updates_existing_ones_from_xlsx(client, curator, kafue):
    flooding = Theme.objects.get(slug="flooding")
    Challenge.objects.create(city=kafue, theme=flooding, seeks_help=True)
    content = xlsx(
        [
            ["city", "theme", "priority", "seeks_help", "offers_expertise", "description"],
            ["kafue", "flooding", "high", "yes", "yes", "Rising river"],
            ["kafue", "drought", "low", "no", "yes", None],
        ]
    )

    upload(client, content, name="challenges.xlsx", kind="challenges")

    job = ImportJob.objects.get()
    assert (job.status, job.created_count, job.updated_count) == (ImportStatus.SUCCEEDED, 1, 1)
    assert Challenge.objects.get(city=kafue, theme=flooding).offers_expertise


@pytest.mark.django_db
def test_it_round_trips_an_exported_file(client, curator, kafue):
    Initiative.objects.create(city=kafue, title="River gauges", sdgs=[11, 13], budget="1500.50")
    exported = client.get(
        reverse("curation:export", kwargs={"org_slug": "dst", "kind": "initiatives", "fmt": "csv"})
    )
    edited = exported.content.decode("utf-8-sig").replace("River gauges,", "River gauges,Edited")

    upload(client, edited, name="initiatives.csv", kind="initiatives")

    assert ImportJob.objects.get().status == ImportStatus.SUCCEEDED
    initiative = Initiative.objects.get()
    assert initiative.description == "Edited"
    assert initiative.sdgs == [11, 13]


# --- rejected, nothing written -----------------------------------------------------------------


@pytest.mark.django_db
def test_it_rejects_the_whole_file_when_one_row_is_invalid(client, curator, kafue):
    response = upload(
        client,
        OFFICIAL_HEADER
        + "kafue,Mayor (sample),mayor,,mayor@kafue.example,,public\n"
        + "kafue,,pope,,not-an-address,,everyone\n",
        # the second row: no name, unknown role, bad e-mail, unknown visibility
    )

    job = ImportJob.objects.get()
    page = client.get(response.url).content.decode()
    assert job.status == ImportStatus.FAILED
    assert not Official.objects.exists()  # the valid first row was not written either
    assert "Row 2 (line 3): role:" in page
    assert "Row 2 (line 3): email:" in page
    assert "nothing was imported" in page


@pytest.mark.django_db
def test_it_rejects_rows_for_cities_that_are_not_members(client, curator, kafue, recife):
    upload(client, OFFICIAL_HEADER + "recife,Mayor (sample),mayor,,,,\n")

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "“recife” is not a member city of" in job.errors[0]
    assert not Official.objects.exists()


@pytest.mark.django_db
def test_it_rejects_a_file_with_the_wrong_columns(client, curator, kafue):
    response = upload(client, "town,person\nkafue,Mayor\n")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Missing columns: city, name, role." in html
    assert "Unknown columns: town, person." in html
    assert not ImportJob.objects.exists() and not Official.objects.exists()


@pytest.mark.django_db
def test_it_rejects_a_csv_that_is_not_utf8(client, curator, kafue):
    content = (OFFICIAL_HEADER + "kafue,Maître (sample),mayor,,,,\n").encode("latin-1")

    response = upload(client, content)

    assert "The file is not UTF-8 encoded" in response.content.decode()
    assert not Official.objects.exists()


@pytest.mark.django_db
def test_it_rejects_50_mb_of_garbage_without_reading_it(client, curator, kafue):
    garbage = bytes(range(256)) * (50 * 1024 * 1024 // 256)

    response = upload(client, garbage, name="officials.csv")

    assert response.status_code == 413
    assert "larger than 10 MB" in response.content.decode()
    assert not ImportJob.objects.exists() and not Official.objects.exists()


@pytest.mark.django_db
def test_it_rejects_a_file_over_the_limit_that_slipped_past_the_request_check(
    curator_dst, dst, kafue, settings
):
    from cities.curation.importing import ImportRejected, read_upload

    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ImportRejected) as rejected:
        read_upload(SimpleUploadedFile("o.csv", b"x" * 101), kind="officials")

    assert "the limit is" in rejected.value.messages[0]


@pytest.mark.django_db
def test_it_rejects_a_broken_xlsx_file(client, curator, kafue):
    response = upload(client, b"PK\x03\x04 not really a zip", name="officials.xlsx")

    assert "not a readable .xlsx workbook" in response.content.decode()
    assert not Official.objects.exists()


@pytest.mark.django_db
def test_it_rejects_another_file_type(client, curator, kafue):
    response = upload(client, b"%PDF-1.7", name="officials.pdf")

    assert "Upload a .csv (UTF-8) or .xlsx file." in response.content.decode()


@pytest.mark.django_db
def test_it_rejects_a_duplicated_row(client, curator, kafue):
    upload(
        client,
        "city,theme,seeks_help\nkafue,flooding,yes\nkafue,flooding,yes\n",
        name="c.csv",
        kind="challenges",
    )

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "appears more than once" in job.errors[0]
    assert not Challenge.objects.exists()


@pytest.mark.django_db
def test_it_does_not_let_a_curator_import_for_another_organisation(client, curator, kafue):
    from .factories import OrganisationFactory

    OrganisationFactory(slug="net")

    response = upload(client, OFFICIAL_HEADER + "kafue,Mayor (sample),mayor,,,,\n", org="net")

    assert response.status_code == 403
    assert not Official.objects.exists()


@pytest.mark.django_db
@pytest.mark.postgres
def test_it_writes_nothing_when_the_database_refuses_the_last_row(curator_dst, dst, kafue):
    """All or nothing down to the database: a row that slips past validation and violates a
    constraint rolls back every row before it (PostgreSQL checks constraints per statement)."""
    from django.db import IntegrityError

    from cities.curation.importing import Plan, write_plans

    valid = Official(city=kafue, name="Mayor (sample)", role="mayor")
    refused = Challenge(city=kafue, theme=Theme.objects.get(slug="flooding"))  # seeks nothing

    with pytest.raises(IntegrityError):
        write_plans([Plan(instance=valid, city=kafue), Plan(instance=refused, city=kafue)])

    assert not Official.objects.exists()
    assert not Challenge.objects.exists()


# --- large files run in Celery ------------------------------------------------------------------


def many_rows(count: int, dst) -> str:
    cities = []
    for n in range(count // 10):
        city = City.objects.create(name=f"Member {n}", slug=f"member-{n}", country="DE")
        MembershipFactory(organisation=dst, city=city)
        cities.append(city.slug)
    lines = [
        f"{cities[n % len(cities)]},Officer {n} (sample),other,,,,members" for n in range(count)
    ]
    return OFFICIAL_HEADER + "\n".join(lines) + "\n"


@pytest.mark.django_db
def test_it_runs_a_large_import_in_the_background_with_progress(
    client, curator, dst, django_capture_on_commit_callbacks
):
    content = many_rows(600, dst)

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, content)

    job = ImportJob.objects.get()
    assert job.total_rows == 600
    assert (job.status, job.created_count, job.progress_percent) == (
        ImportStatus.SUCCEEDED,
        600,
        100,
    )
    assert job.rows == []  # the uploaded data is not kept once imported
    page = client.get(response.url).content.decode()
    assert "600 of 600 rows checked" in page
    assert "Imported: 600 created" in page


@pytest.mark.django_db
def test_it_shows_a_progress_page_that_refreshes_while_the_job_runs(client, curator, dst):
    job = ImportJob.objects.create(
        organisation=dst, kind="officials", filename="big.csv", total_rows=1000, processed_rows=300
    )
    url = reverse("curation:import_job", kwargs={"org_slug": "dst", "pk": job.pk})

    page = client.get(url).content.decode()
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    as_json = client.get(url, {"format": "json"}).json()

    assert '<meta http-equiv="refresh"' in page  # works without JavaScript
    assert 'hx-trigger="every 2s"' in page
    assert "<html" not in partial and 'value="30"' in partial
    assert as_json == {"status": "pending", "progress": 30, "processed": 300, "total": 1000}


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_imports_a_large_file_on_a_real_worker(client, celery_worker):
    from tests.conftest import wait_for

    from .factories import CuratorFactory, OrganisationFactory, UserFactory

    dst = OrganisationFactory(slug="dst")
    client.force_login(CuratorFactory(user=UserFactory(), organisation=dst).user)
    content = many_rows(700, dst)

    upload(client, content)

    job = wait_for(
        lambda: ImportJob.objects.filter(status__in=["succeeded", "failed"]).first(), timeout=120
    )
    assert (job.status, job.created_count) == (ImportStatus.SUCCEEDED, 700)


# --- export -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_exports_officials_as_xlsx_with_the_import_columns(client, curator, kafue):
    OfficialFactory(city=kafue, name="Mayor (sample)", email="mayor@kafue.example")

    response = client.get(
        reverse("curation:export", kwargs={"org_slug": "dst", "kind": "officials", "fmt": "xlsx"})
    )

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == (
        "city",
        "id",
        "name",
        "role",
        "title",
        "email",
        "phone",
        "contact_visibility",
    )
    assert rows[1][2] == "Mayor (sample)"
    assert 'filename="dst-officials.xlsx"' in response["Content-Disposition"]


@pytest.mark.django_db
def test_it_exports_contact_details_only_where_the_predicate_allows(
    client, curator, kafue, monkeypatch
):
    OfficialFactory(
        city=kafue, email="public@kafue.example", contact_visibility=ContactVisibility.PUBLIC
    )
    OfficialFactory(
        city=kafue, email="hidden@kafue.example", contact_visibility=ContactVisibility.HIDDEN
    )
    asked = []

    def only_public(user, official):
        asked.append(official.pk)
        return official.contact_visibility == ContactVisibility.PUBLIC

    monkeypatch.setattr("cities.curation.exporting.can_see_contact", only_public)

    response = client.get(
        reverse("curation:export", kwargs={"org_slug": "dst", "kind": "officials", "fmt": "csv"})
    )

    text = response.content.decode("utf-8-sig")
    assert "public@kafue.example" in text
    assert "hidden@kafue.example" not in text
    assert len(asked) == 2


@pytest.mark.django_db
def test_it_exports_only_member_cities(client, curator, kafue, recife):
    OfficialFactory(city=recife, name="Not ours (sample)")

    response = client.get(
        reverse("curation:export", kwargs={"org_slug": "dst", "kind": "cities", "fmt": "csv"})
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["kafue"]


@pytest.mark.django_db
def test_it_neutralises_formulas_in_exported_cells(client, curator, kafue):
    OfficialFactory(city=kafue, name='=HYPERLINK("http://evil.example")')

    response = client.get(
        reverse("curation:export", kwargs={"org_slug": "dst", "kind": "officials", "fmt": "csv"})
    )

    assert "'=HYPERLINK" in response.content.decode("utf-8-sig")


@pytest.mark.django_db
def test_it_runs_an_import_job_only_once(curator_dst, dst, kafue):
    from cities.curation.importing import import_job_run

    job = ImportJob.objects.create(
        organisation=dst,
        kind="officials",
        filename="o.csv",
        total_rows=1,
        rows=[{"city": "kafue", "name": "Mayor (sample)", "role": "mayor"}],
    )

    first = import_job_run(job_id=job.pk)
    second = import_job_run(job_id=job.pk)

    assert (first, second) == (ImportStatus.SUCCEEDED, None)
    assert Official.objects.count() == 1


@pytest.mark.django_db
def test_it_stops_reading_a_workbook_with_too_many_rows(client, curator, kafue, monkeypatch):
    monkeypatch.setattr("cities.curation.importing.MAX_ROWS", 5)
    rows = [["city", "name", "role"]] + [["kafue", f"Officer {n}", "other"] for n in range(200)]

    response = upload(client, xlsx(rows), name="officials.xlsx")

    assert "At most 5 rows per file; blank lines count too." in response.content.decode()
    assert not Official.objects.exists()
