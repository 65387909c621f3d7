"""Writes one small survival data set as a clean CSV and as the messy variants clinicians send.

Run from the repository root (needs openpyxl, odfpy and xlwt from PyPI):
    python3 -m venv /tmp/fx && /tmp/fx/bin/pip install openpyxl odfpy xlwt
    /tmp/fx/bin/python tests/data/input/make_fixtures.py
One workbook alone: ONLY=cover_sheet ONLY_FILE=cover_sheet.xlsx /tmp/fx/bin/python tests/data/input/make_fixtures.py
Every variant holds the same 30 patients; tests/data_input.rs checks that each one prepares
to the same times, events, groups and ages as clean.csv. The data are synthetic (seeded).
"""

import datetime as dt
import os
import random
import re
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20240501)

PATIENTS = []
for i in range(30):
    start = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 3 * 365))
    days = rng.randrange(5, 1500)
    PATIENTS.append({
        "id": f"P{i + 1:03d}",
        "start": start,
        "end": start + dt.timedelta(days=days),
        "time": days,
        "status": rng.random() < 0.6,
        "arm": rng.choice(["A", "B"]),
        "age": round(rng.uniform(35, 85), 1),
        "sex": rng.choice(["F", "M"]),
    })
# Day-first dates are recognised only when some day exceeds 12; make sure one does.
PATIENTS[0]["start"] = dt.date(2016, 3, 25)
PATIENTS[0]["end"] = PATIENTS[0]["start"] + dt.timedelta(days=PATIENTS[0]["time"])

HEADER = ["id", "time", "status", "arm", "age", "sex"]


def rows(status=lambda p: "1" if p["status"] else "0", age=lambda p: repr(p["age"])):
    for p in PATIENTS:
        yield [p["id"], str(p["time"]), status(p), p["arm"], age(p), p["sex"]]


def write(name, lines, sep=",", newline="\n", encoding="utf-8", bom=False):
    text = newline.join(sep.join(cells) for cells in lines) + newline
    data = text.encode(encoding)
    if bom:
        data = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe"}[encoding] + data
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def excel_serial(d):
    return (d - dt.date(1899, 12, 30)).days


write("clean.csv", [HEADER, *rows()])
write("semicolon_decimal_comma.csv",
      [HEADER, *rows(age=lambda p: repr(p["age"]).replace(".", ","))], sep=";", newline="\r\n")
write("bom_crlf.csv", [HEADER, *rows()], newline="\r\n", bom=True)
# Excel's "Unicode text": UTF-16 little-endian with BOM, tab-separated, CRLF.
write("utf16_tab.txt", [HEADER, *rows()], sep="\t", newline="\r\n", encoding="utf-16-le", bom=True)
write("text_events.csv", [HEADER, *rows(status=lambda p: "Dead" if p["status"] else "alive")])
write("pipe_windows1252.csv",
      [["id", "time", "status", "arm", "age", "sex", "note"],
       *[r + ["café"] for r in rows()]], sep="|", encoding="cp1252")

# Quoted cells holding the delimiter, quotes and line breaks, plus blank trailing lines.
quoted = [HEADER + ["comment"]]
for i, r in enumerate(rows()):
    comment = ['"ok"', '"said ""fine"", left"', '"two\nlines, here"'][i % 3]
    quoted.append([f'"{r[0]}"', *r[1:], comment])
write("quoted_multiline.csv", quoted + [[""], [""]])

# Missing tokens: the 30 patients, plus five rows that must be excluded, each for its reason.
missing = [HEADER, *rows()]
missing += [
    ["X01", "NA", "1", "A", "50.0", "F"],
    ["X02", "12", "", "B", "50.0", "M"],
    ["X03", "40", "#N/A", "A", "50.0", "F"],
    ["X04", "33", "1", "unknown", "50.0", "F"],
    ["X05", ".", "0", "B", "50.0", "M"],
]
write("missing_tokens.csv", missing)

# Dates instead of times: day-first start and end dates.
date_header = ["id", "start", "end", "status", "arm", "age", "sex"]
def dated(fmt):
    for p, r in zip(PATIENTS, rows()):
        yield [r[0], fmt(p["start"]), fmt(p["end"]), *r[2:]]
write("dates_dmy.csv", [date_header, *dated(lambda d: d.strftime("%d/%m/%Y"))])
write("dates_excel_serial.csv", [date_header, *dated(lambda d: str(excel_serial(d)))])


def xlsx(name):
    import openpyxl
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Data"
    ws = wb.create_sheet("Notes")
    ws.append(["written by make_fixtures.py"])
    cover.append(["id", "start", "end", "time", "status", "arm", "age", "sex"])
    for i, p in enumerate(PATIENTS, start=2):
        cover.append([p["id"], p["start"], p["end"], f"=C{i}-B{i}",
                      1 if p["status"] else 0, p["arm"], p["age"], p["sex"]])
        cover.cell(row=i, column=2).number_format = "dd/mm/yyyy"
        cover.cell(row=i, column=3).number_format = "yyyy-mm-dd"
    path = os.path.join(HERE, name)
    wb.save(path)
    # openpyxl writes formulas without their cached results, which Excel keeps; add them, as a
    # file saved by Excel would hold, so the reader is tested on cached values.
    times = {i: p["time"] for i, p in enumerate(PATIENTS, start=2)}
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = parts[sheet].decode()
    xml = re.sub(r'<c r="D(\d+)"([^>]*)><f>([^<]*)</f><v\s*/?>(</v>)?</c>',
                 lambda m: f'<c r="D{m[1]}"{m[2]}><f>{m[3]}</f><v>{times[int(m[1])]}</v></c>',
                 xml)
    assert xml.count("<f>") == len(PATIENTS) == xml.count("</f><v>"), "cached values not added"
    parts[sheet] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)


def ods(name):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableRow, TableCell
    from odf.text import P
    doc = OpenDocumentSpreadsheet()
    table = Table(name="Data")
    def row(cells):
        tr = TableRow()
        for kind, value in cells:
            if kind == "float":
                c = TableCell(valuetype="float", value=value)
            elif kind == "date":
                c = TableCell(valuetype="date", datevalue=value.isoformat())
            else:
                c = TableCell(valuetype="string")
            c.addElement(P(text=str(value)))
            tr.addElement(c)
        table.addElement(tr)
    row([("string", h) for h in date_header])
    for p in PATIENTS:
        row([("string", p["id"]), ("date", p["start"]), ("date", p["end"]),
             ("float", 1 if p["status"] else 0), ("string", p["arm"]),
             ("float", p["age"]), ("string", p["sex"])])
    doc.spreadsheet.addElement(table)
    doc.save(os.path.join(HERE, name))


def xls(name):
    import xlwt
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Data")
    date_style = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    for c, h in enumerate(date_header):
        ws.write(0, c, h)
    for r, p in enumerate(PATIENTS, start=1):
        ws.write(r, 0, p["id"])
        ws.write(r, 1, p["start"], date_style)
        ws.write(r, 2, p["end"], date_style)
        ws.write(r, 3, 1 if p["status"] else 0)
        ws.write(r, 4, p["arm"])
        ws.write(r, 5, p["age"])
        ws.write(r, 6, p["sex"])
    wb.save(os.path.join(HERE, name))


def cover_sheet(name):
    """A workbook as a data manager sends it: a cover page in front of the data and a codebook
    behind; patients 5 and 12 have no follow-up time (spreadsheet rows 6 and 13 of "Data")."""
    import openpyxl
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Cover"
    cover.append(["Study XYZ-01: follow-up export"])
    cover.append([])
    cover.append(["Prepared for the statistical analysis; see the Data sheet"])
    data = wb.create_sheet("Data")
    data.append(HEADER)
    for i, r in enumerate(rows(), start=1):
        data.append([r[0], None if i in (5, 12) else int(r[1]), int(r[2]), r[3], float(r[4]), r[5]])
    book = wb.create_sheet("Codebook")
    book.append(["variable", "meaning"])
    for variable, meaning in [("time", "days from randomisation to death or last follow-up"),
                              ("status", "1 = died, 0 = alive at last follow-up"),
                              ("arm", "treatment arm")]:
        book.append([variable, meaning])
    wb.save(os.path.join(HERE, name))


if __name__ == "__main__" and os.environ.get("ONLY"):
    globals()[os.environ["ONLY"]](os.environ["ONLY_FILE"])
elif __name__ == "__main__":
    xlsx("workbook.xlsx")
    ods("workbook.ods")
    xls("workbook.xls")
    cover_sheet("cover_sheet.xlsx")
