#!/usr/bin/env bash
# Writes the seed corpora under fuzz/corpus/<target>/ from the test data and the fixture PKI, with real openssl
# for every CMS structure. Small on purpose (afl-fuzz wants seeds of a few KB). Usage: bash fuzz/make-corpus.sh
# [--new-pki]   (--new-pki first regenerates fuzz/fixtures/pki with the harness's make-pki: test keys only).
set -euo pipefail
cd "$(dirname "$0")/.."
pki=fuzz/fixtures/pki
out=fuzz/corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "${1:-}" = "--new-pki" ]; then
  dotnet build fuzz/ExchangeEncryptionAgent.Fuzz -c Release -v q -nologo >/dev/null
  rm -rf "$pki"
  dotnet fuzz/ExchangeEncryptionAgent.Fuzz/bin/Release/net10.0/ExchangeEncryptionAgent.Fuzz.dll make-pki "$pki"
  # Only the keys the policy and this script use are kept.
  rm -f "$pki"/{ca,dave,ivy,recovery,fabrikam-gateway}.key
fi

# Inputs the fuzzer found (crash-*, hang-*) are regression tests: kept; every generated seed is written anew.
mkdir -p "$out"
find "$out" -type f ! -name 'crash-*' ! -name 'hang-*' -delete
mkdir -p "$out"/{rules,smime,policy,gateway}
crlf() { sed 's/$/\r/'; }

# --- plain messages (rules; also the inner content of the S/MIME seeds) -------------------------------------------
cat <<'MSG' | crlf > "$work/plain.eml"
From: Alice <alice@contoso.example>
To: Bob <bob@northwind.example>, grace@fabrikam.example
Cc: audit@contoso.example
Subject: Quarterly numbers [secure]
Date: Tue, 01 Dec 2026 10:00:00 +0000
Message-ID: <plain@contoso.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Confidential figures follow. Caf=C3=A9 =E2=82=AC
MSG

cat <<'MSG' | crlf > "$work/headers.eml"
From: ceo@contoso.example
Sender: assistant@contoso.example
To: bob@northwind.example
Subject: =?utf-8?B?U2VjcmV0IHBsYW5z?=
Importance: High
Sensitivity: Company-Confidential
X-Classification: secret project
X-Sign: yes
X-MS-Exchange-Organization-Classification: {0bcf6a10-3d44-4c9b-8a3e-5b1d0e2f7a99}
msip_labels: MSIP_Label_9e7b5d1c-6a3f-4c8e-9a51-0f3c2b7d4e11_Enabled=true; MSIP_Label_9e7b5d1c-6a3f-4c8e-9a51-0f3c2b7d4e11_Name=Confidential;
X-EEA-Signature: valid
MIME-Version: 1.0
Content-Type: text/html; charset=iso-8859-1

<p>Folded
 header test &amp; <b>secret</b></p>
MSG

cat <<'MSG' | crlf > "$work/attachments.eml"
From: alice@contoso.example
To: grace@fabrikam.example
Subject: files
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: multipart/alternative; boundary="b2"

--b2
Content-Type: text/plain

plain part
--b2
Content-Type: text/html

<p>html part</p>
--b2--
--b1
Content-Type: application/octet-stream; name="setup.exe"
Content-Disposition: attachment; filename="setup.exe"
Content-Transfer-Encoding: base64

TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAA
--b1
Content-Type: text/rtf; name="note.rtf"
Content-Disposition: attachment; filename="note.rtf"

{\rtf1\ansi secret {\b bold}\par}
--b1
Content-Type: message/rfc822

From: inner@fabrikam.example
Subject: forwarded

inner body
--b1--
MSG

cp "$work"/{plain,headers,attachments}.eml "$out/rules/"
cp Agent.Tests/TestData/messages/*.eml "$out/rules/"
# TNEF (winmail.dat) inside MIME, from the TNEF test data.
{ printf 'From: alice@contoso.example\r\nTo: bob@northwind.example\r\nSubject: tnef\r\nMIME-Version: 1.0\r\n'
  printf 'Content-Type: application/ms-tnef; name="winmail.dat"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
  base64 -w 76 Agent.Tests/TestData/tnef/body.tnef | crlf; } > "$out/rules/tnef.eml"

# --- S/MIME (smime; a few go to rules too: the classifier reads CMS types) ----------------------------------------
cms() { openssl cms "$@" 2>/dev/null; }
hdr() { printf 'From: bob@northwind.example\r\nTo: alice@contoso.example\r\nSubject: %s\r\n' "$1"; }
dec=$pki/contoso-decryption.crt
cms -encrypt -aes-256-cbc -in "$work/plain.eml" -recip "$dec" -out "$work/env-cbc.p7m"
cms -encrypt -aes-128-gcm -in "$work/plain.eml" -recip "$dec" -out "$work/env-gcm.p7m"
cms -encrypt -aes-256-cbc -in "$work/plain.eml" -recip "$pki/fabrikam-gateway.crt" -out "$work/env-not-for-us.p7m"
cms -sign -in "$work/plain.eml" -signer "$pki/bob.crt" -inkey "$pki/bob.key" -out "$work/signed-detached.eml"
cms -sign -nodetach -in "$work/plain.eml" -signer "$pki/bob.crt" -inkey "$pki/bob.key" -out "$work/signed-opaque.p7m"
cms -encrypt -aes-256-gcm -in "$work/signed-detached.eml" -recip "$dec" -out "$work/signed-then-enc.p7m"
cms -sign -nodetach -in "$work/env-cbc.p7m" -signer "$pki/bob.crt" -inkey "$pki/bob.key" -out "$work/enc-then-signed.p7m"
cms -encrypt -aes-128-cbc -in "$work/signed-then-enc.p7m" -recip "$dec" -out "$work/double-enc.p7m"
# The S/MIME outputs start with their own MIME header fields: the message's header block goes in front of them.
for f in env-cbc env-gcm env-not-for-us signed-opaque signed-then-enc enc-then-signed double-enc; do
  { hdr "$f"; cat "$work/$f.p7m"; } > "$out/smime/$f.eml"
done
{ hdr signed-detached; cat "$work/signed-detached.eml"; } > "$out/smime/signed-detached.eml"
# Truncated ASN.1: the enveloped body cut in half (base64 still well-formed line by line).
{ hdr truncated; head -c 1200 "$work/env-cbc.p7m"; printf '\r\n'; } > "$out/smime/truncated.eml"
# Header protection (RFC 9216): an embedded message/rfc822 as the encrypted content, outer From different.
{ printf 'Content-Type: message/rfc822; forwarded=no\r\n\r\n'; cat "$work/plain.eml"; } > "$work/hp-inner.eml"
cms -encrypt -aes-256-cbc -in "$work/hp-inner.eml" -recip "$dec" -out "$work/hp.p7m"
{ printf 'From: mallory@fabrikam.example\r\nTo: alice@contoso.example\r\nSubject: ...\r\n'; cat "$work/hp.p7m"; } > "$out/smime/header-protection.eml"
cp "$out/smime/env-cbc.eml" "$out/smime/signed-detached.eml" "$out/rules/"

# --- policies ------------------------------------------------------------------------------------------------------
cp fuzz/fixtures/policy.xml "$out/policy/fixture.xml"
cp Policies/default.xml "$out/policy/default.xml"
for f in Policies/examples/*.xml Agent.Tests/TestData/policies/*.xml; do cp "$f" "$out/policy/$(basename "$f")"; done
printf '<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY e "x">]><Policy xmlns="urn:exchange-encryption-agent:policy:v1">&e;</Policy>\n' > "$out/policy/dtd.xml"

# --- gateway SMTP sessions -----------------------------------------------------------------------------------------
session() { # $1 file, $2 mail from, $3.. recipients; message on stdin
  local file=$1 from=$2; shift 2
  { printf 'EHLO relay.example\r\nMAIL FROM:<%s>\r\n' "$from"
    for r in "$@"; do printf 'RCPT TO:<%s>\r\n' "$r"; done
    printf 'DATA\r\n'; cat; printf '.\r\nQUIT\r\n'; } > "$file"
}
session "$out/gateway/outbound.smtp" alice@contoso.example bob@northwind.example grace@fabrikam.example ed@contoso.example < "$work/plain.eml"
session "$out/gateway/headers.smtp" ceo@contoso.example bob@northwind.example < "$work/headers.eml"
session "$out/gateway/attachments.smtp" alice@contoso.example grace@fabrikam.example < "$work/attachments.eml"
{ printf '#internet\r\n'; session /dev/stdout bob@northwind.example alice@contoso.example < "$out/smime/env-cbc.eml"; } > "$out/gateway/inbound-encrypted.smtp"
{ printf '#internet\r\n'; session /dev/stdout "" alice@contoso.example < "$out/smime/signed-detached.eml"; } > "$out/gateway/inbound-signed-null-sender.smtp"
printf 'HELO x\r\nMAIL FROM:<a@b> SIZE=10\r\nRCPT TO:<x@y>\r\nRSET\r\nNOOP\r\nVRFY x\r\nBDAT 5 LAST\r\nhello\r\nDATA\r\n\r\n.\r\n' > "$out/gateway/commands.smtp"

find "$out" -type f | wc -l
du -sh "$out"
