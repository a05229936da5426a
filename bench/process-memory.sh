#!/usr/bin/env bash
# Whole-process peak memory and wall time of `eea process` (the agent's real pipeline through the simulated
# transport: parse, evaluate, sign, encrypt, write) on 1 MB, 25 MB and 100 MB messages, with the demo policy.
# Goal (issue 4): memory does not grow with message size; a 100 MB message in under 400 MB for the whole process.
# Usage: bench/process-memory.sh [SIZE_MB...]      Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1 25 100)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dotnet build -c Release Tool/eea.csproj -v q -nologo >/dev/null
eea="Tool/bin/Release/net10.0/eea"
"$eea" demo --out "$work/demo" >/dev/null

make_message() { # $1 = size in MB, $2 = file
  {
    printf 'From: alice@contoso.example\r\nTo: dave@fabrikam.example, bob@northwind.example\r\nSubject: Large report\r\n'
    printf 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee attachment.\r\n'
    printf -- '--b\r\nContent-Type: application/octet-stream; name="data.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
    head -c $(( $1 * 1024 * 1024 * 3 / 4 )) /dev/urandom | base64 -w 76 | sed 's/$/\r/'
    printf -- '--b--\r\n'
  } > "$2"
}

echo "| message | recipients (treatment) | wall s | peak RSS MiB |"
echo "|---|---|---|---|"
for mb in "${sizes[@]}"; do
  make_message "$mb" "$work/in-$mb.eml"
  actual=$(( $(stat -c %s "$work/in-$mb.eml") / 1024 / 1024 ))
  for rcpt in "dave@fabrikam.example:signed+encrypted (gateway)" "bob@northwind.example:encrypted (personal)"; do
    address=${rcpt%%:*}; what=${rcpt#*:}
    /usr/bin/time -f "%e %M" -o "$work/time" "$eea" process --policy "$work/demo/policy.xml" --mail-from alice@contoso.example \
      --rcpt "$address" --out "$work/out-$mb-$address" "$work/in-$mb.eml" >/dev/null
    read -r seconds kib < "$work/time"
    echo "| ${actual} MB | $address ($what) | $seconds | $(( kib / 1024 )) |"
  done
done
