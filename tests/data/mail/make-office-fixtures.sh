#!/bin/sh
# Builds the two office fixtures from source text with zip(1), so the
# .docx and .odt inside them are real, tiny documents nobody has to trust:
#   office-docx-only.eml  a letter sent only as a .docx (no body text)
#   office-odt.eml        a short body with an .odt attachment
# usage: sh make-office-fixtures.sh   (run in tests/data/mail; needs zip)
set -eu
here=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/docx/_rels" "$work/docx/word"
cat >"$work/docx/[Content_Types].xml" <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
XML
cat >"$work/docx/_rels/.rels" <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>
XML
cat >"$work/docx/word/document.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>Dear Sir or Madam,</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">I wish to complain about the </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>prosecutor</w:t></w:r><w:r><w:t xml:space="preserve"> in my case: the café charged £5.</w:t></w:r><w:del><w:r><w:delText>WITHDRAWN WORDS</w:delText></w:r></w:del></w:p>
<w:p/>
<w:p><w:r><w:t>Reference:</w:t><w:tab/><w:t>12AB3456789</w:t></w:r></w:p>
<w:p><w:r><w:t>Yours faithfully,</w:t><w:br/><w:t>Jane Doe</w:t></w:r></w:p>
</w:body></w:document>
XML

mkdir -p "$work/odt/META-INF"
printf 'application/vnd.oasis.opendocument.text' >"$work/odt/mimetype"
cat >"$work/odt/META-INF/manifest.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>
XML
cat >"$work/odt/content.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text>
<text:h text:outline-level="1">Signed authority</text:h>
<text:p>I, Jane Doe, give permission for my<text:s text:c="2"/>brother to act for me.</text:p>
<text:p><text:span>Signed:</text:span><text:tab/>J. Doe</text:p>
</office:text></office:body></office:document-content>
XML

find "$work" -exec touch -d '2026-03-01 12:00:00' {} +
(cd "$work/docx" && zip -q -X -r ../letter.docx '[Content_Types].xml' _rels word)
(cd "$work/odt" && zip -q -X -0 ../authority.odt mimetype &&
    zip -q -X -r ../authority.odt META-INF content.xml)

{
	cat <<'HDR'
From: Jane Doe <jane.doe@example.org>
To: london.complaints@cps.example.gov.uk
Subject: Complaint letter attached
Message-ID: <office-docx@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="office"

--office
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;
 name="complaint letter.docx"
Content-Disposition: attachment; filename="complaint letter.docx"
Content-Transfer-Encoding: base64

HDR
	base64 "$work/letter.docx"
	printf '\n--office--\n'
} >"$here/office-docx-only.eml"

{
	cat <<'HDR'
From: Sam Doe <sam.doe@example.org>
To: london.complaints@cps.example.gov.uk
Subject: Complaint for my sister
Message-ID: <office-odt@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="office"

--office
Content-Type: text/plain; charset=utf-8

My sister's signed authority is attached.

--office
Content-Type: application/octet-stream; name="authority.odt"
Content-Disposition: attachment; filename="authority.odt"
Content-Transfer-Encoding: base64

HDR
	base64 "$work/authority.odt"
	printf '\n--office--\n'
} >"$here/office-odt.eml"
