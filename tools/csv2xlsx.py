#!/usr/bin/env python3
"""csv2xlsx.py: write an XLSForm folder (survey.csv, choices.csv,
settings.csv) as one .xlsx workbook, with the Python standard library only.

Made for the test fixture tests/fixtures/forms-xlsx/satisfaccion.xlsx (the
standard form as a workbook, which `buzon forms check` must read with the
same questions as the CSV folder); also handy for a planner who wants to
try a workbook. Texts go to the shared strings table, cells that are plain
integers are written as numbers, and the sheets are stored in the zip in a
different order from the workbook's (settings first) so the reader has to
follow xl/_rels/workbook.xml.rels.

    tools/csv2xlsx.py forms/satisfaccion out.xlsx
"""
import csv, os, re, sys, zipfile
from xml.sax.saxutils import escape

def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s

def main(folder, out):
    strings, index = [], {}
    sheets = []
    for name in ("survey", "choices", "settings"):
        path = os.path.join(folder, name + ".csv")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8-sig", newline="") as f:
            sample = f.readline()
            f.seek(0)
            rows = list(csv.reader(f, delimiter=";" if sample.count(";") > sample.count(",") else ","))
        xml = []
        for r, row in enumerate(rows, 1):
            cells = []
            for c, v in enumerate(row):
                if v == "":
                    continue          # skipped cells, as Excel writes them
                ref = "%s%d" % (col_name(c), r)
                if re.fullmatch(r"-?[0-9]{1,15}", v):
                    cells.append('<c r="%s"><v>%s</v></c>' % (ref, v))
                else:
                    if v not in index:
                        index[v] = len(strings)
                        strings.append(v)
                    cells.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, index[v]))
            if cells:
                xml.append('<row r="%d">%s</row>' % (r, "".join(cells)))
        sheets.append((name, "".join(xml)))
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   + "".join('<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % (len(sheets) - i)
                             for i in range(len(sheets)))
                   + '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        # Sheet i of the workbook is stored as part sheet(n-i): names and parts differ in order.
        n = len(sheets)
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><workbook %s %s><sheets>%s</sheets></workbook>'
                   % (ns, rns, "".join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (s[0], i + 1, i + 1) for i, s in enumerate(sheets))))
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">%s'
                   '<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
                   % ("".join('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>'
                              % (i + 1, n - i) for i in range(n)), n + 1))
        for i, (name, data) in reversed(list(enumerate(sheets))):
            z.writestr("xl/worksheets/sheet%d.xml" % (n - i),
                       '<?xml version="1.0" encoding="UTF-8"?><worksheet %s><sheetData>%s</sheetData></worksheet>' % (ns, data))
        z.writestr("xl/sharedStrings.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><sst %s count="%d" uniqueCount="%d">%s</sst>'
                   % (ns, len(strings), len(strings),
                      "".join('<si><t xml:space="preserve">%s</t></si>' % escape(s).replace("\r", "_x000D_") for s in strings)))

if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: tools/csv2xlsx.py FORM_FOLDER OUT.xlsx")
    main(sys.argv[1], sys.argv[2])
