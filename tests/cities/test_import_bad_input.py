"""Uploads built to exhaust the import: a workbook that unpacks to hundreds of megabytes, a
CSV header of 100,001 cells, megabytes of blank lines. Each is refused with a message, fast
and without reading the whole thing, and nothing is written."""

import io
import zipfile

import pytest

from cities.models import ImportJob, Official

from .test_import_export import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client, curator_dst, dst):
    client.force_login(curator_dst)
    return curator_dst


SPREADSHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def workbook_with_shared_strings(rows: list[list[str]], *, padding_bytes: int = 0) -> bytes:
    """An .xlsx whose cells all point into xl/sharedStrings.xml, as Excel saves them (openpyxl
    writes inline strings). ``padding_bytes`` of unused one-letter strings follow the real
    ones: they compress about 1000:1, so a 40 MB string table is a 50 KB upload."""
    strings = [value for row in rows for value in row]
    sheet_rows = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{chr(65 + c)}{r}" t="s"><v>{strings.index(value)}</v></c>'
            for c, value in enumerate(row)
        )
        sheet_rows.append(f'<row r="{r}">{cells}</row>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CONTENT_TYPE}.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{CONTENT_TYPE}.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            f'ContentType="{CONTENT_TYPE}.sharedStrings+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{DOCUMENT_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{SPREADSHEET}" xmlns:r="{DOCUMENT_RELS}"><sheets>'
            '<sheet name="Officials" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{DOCUMENT_RELS}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{DOCUMENT_RELS}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{SPREADSHEET}"><sheetData>{"".join(sheet_rows)}'
            "</sheetData></worksheet>",
        )
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as table:
            table.write(f'<sst xmlns="{SPREADSHEET}">'.encode())
            table.write("".join(f"<si><t>{s}</t></si>" for s in strings).encode())
            unused = b"<si><t>a</t></si>" * 65_536
            for _ in range(padding_bytes // len(unused)):
                table.write(unused)
            table.write(b"</sst>")
    return out.getvalue()


OFFICIALS = [["city", "name", "role"], ["kafue", "Mayor of Kafue (sample)", "mayor"]]


def test_it_reads_a_workbook_with_a_shared_string_table(client, curator, kafue):
    response = upload(client, workbook_with_shared_strings(OFFICIALS), name="officials.xlsx")

    assert response.status_code == 302
    assert Official.objects.get().name == "Mayor of Kafue (sample)"


def test_it_refuses_a_workbook_that_unpacks_to_more_than_it_reads(
    client, curator, kafue, monkeypatch
):
    bomb = workbook_with_shared_strings(OFFICIALS, padding_bytes=40 * 1_048_576)
    assert len(bomb) < 200_000  # small on disk, 40 MB of strings unpacked
    unpacked = sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(bomb)).infolist())

    def never(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    response = upload(client, bomb, name="officials.xlsx")

    page = response.content.decode()
    assert response.status_code == 200
    assert f"The workbook unpacks to {unpacked / 1_048_576:.1f} MB; at most 32 MB are read." in page
    assert not ImportJob.objects.exists() and not Official.objects.exists()


def test_it_refuses_a_csv_header_with_more_columns_than_it_reads(client, curator, kafue):
    header = ",".join(f"column{n}" for n in range(100_001))

    response = upload(client, f"{header}\nkafue\n")

    page = response.content.decode()
    assert "The header has 100001 columns; at most 40 are read." in page
    assert not ImportJob.objects.exists()


def test_it_refuses_a_csv_line_with_more_cells_than_it_reads(client, curator, kafue):
    response = upload(client, "city,name,role\nkafue,Mayor,mayor\n" + "," * 500_000 + "\n")

    page = response.content.decode()
    assert "Line 3 has 500001 cells; at most 40 are read." in page
    assert not ImportJob.objects.exists() and not Official.objects.exists()


def test_it_names_each_repeated_column_once(client, curator, kafue):
    response = upload(client, "city,name,role,name,role,name\nkafue,A,mayor,B,mayor,C\n")

    assert "Repeated columns: name, role." in response.content.decode()
    assert not Official.objects.exists()


def test_it_counts_blank_lines_toward_the_row_limit(client, curator, kafue):
    # 5 MB of blank lines under one real row: more lines than a file may have.
    content = "city,name,role\nkafue,Mayor,mayor\n" + "\n" * 5_000_000

    response = upload(client, content)

    assert "At most 20000 rows per file; blank lines count too." in response.content.decode()
    assert not ImportJob.objects.exists() and not Official.objects.exists()


def test_it_counts_blank_rows_of_a_workbook_toward_the_row_limit(
    client, curator, kafue, monkeypatch
):
    from .test_import_export import xlsx

    monkeypatch.setattr("cities.curation.importing.MAX_ROWS", 5)
    rows = [["city", "name", "role"], ["kafue", "Mayor", "mayor"]] + [[None, None, None]] * 6

    response = upload(client, xlsx(rows), name="officials.xlsx")

    assert "At most 5 rows per file; blank lines count too." in response.content.decode()
    assert not Official.objects.exists()


def test_it_still_skips_a_few_blank_lines_between_rows(client, curator, kafue):
    response = upload(client, "city,name,role\n\nkafue,Mayor,mayor\n,,\n\n")

    assert response.status_code == 302
    assert Official.objects.get().name == "Mayor"
