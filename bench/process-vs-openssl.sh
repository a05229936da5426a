#!/usr/bin/env bash
# End to end, side by side in one run (issue 12): `eea process` (the agent's whole pipeline through the simulated
# transport: parse, evaluate, certificate checks, sign, encrypt, spool, write) against the openssl commands doing the
# same cryptographic work on the same file: `openssl cms -sign` for a signed copy, and `openssl cms -sign` followed by
# `openssl cms -encrypt -stream` for a signed+encrypted one (one recipient certificate, no recovery certificate).
# The process start (runtime start, JIT, policy and certificate load, which EdgeTransport pays once per service start,
# not per message) is measured in the same run on a 1 KB message with the same treatment and subtracted.
# Goal: eea minus start <= 1.5x openssl at 100 MB. Times are medians of RUNS rounds (default 3; each round runs the small
# message, the large one and openssl once, in that order), in seconds.
# Usage: bench/process-vs-openssl.sh [SIZE_MB...]    (default 1 25 100)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1 25 100)
runs=${RUNS:-3}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
[ -n "${NO_BUILD:-}" ] || dotnet build -c Release Tool/eea.csproj -v q -nologo >/dev/null
eea="$PWD/Tool/bin/Release/net10.0/eea"
"$eea" demo --out "$work/demo" >/dev/null
pki="$work/demo/pki"

cat > "$work/demo/bench-policy.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<Policy xmlns="urn:exchange-encryption-agent:policy:v1">
  <Settings>
    <OrganizationDomains><Domain>contoso.example</Domain></OrganizationDomains>
  </Settings>
  <Certificates>
    <TrustAnchors><File Path="pki/ca.crt" /></TrustAnchors>
    <Revocation Check="true" OnlineFetch="false" WhenStatusUnknown="TreatAsUnusable"><File Path="pki/ca.crl" /></Revocation>
    <PartnerCertificates><File Path="pki/fabrikam-gateway.crt" Domains="fabrikam.example" /></PartnerCertificates>
    <OrganizationKeys>
      <Key Name="contoso-signing" Usage="Signing" CertificateFile="pki/contoso-signing.crt" KeyFile="pki/contoso-signing.key" />
    </OrganizationKeys>
  </Certificates>
  <Rules>
    <Rule Name="Sign and encrypt" Priority="1" StopRuleProcessing="true">
      <Conditions><RecipientDomainIs><Value>fabrikam.example</Value></RecipientDomainIs></Conditions>
      <Actions>
        <SignSmime Signer="Organization" Format="Clear"><Fallback><RejectMessage /></Fallback></SignSmime>
        <EncryptSmime Certificate="Gateway"><Fallback><RejectMessage /></Fallback></EncryptSmime>
      </Actions>
    </Rule>
    <Rule Name="Sign only" Priority="2">
      <Conditions><RecipientDomainIs><Value>tailspin.example</Value></RecipientDomainIs></Conditions>
      <Actions>
        <SignSmime Signer="Organization" Format="Clear"><Fallback><RejectMessage /></Fallback></SignSmime>
      </Actions>
    </Rule>
  </Rules>
</Policy>
XML

make_message() { # $1 = size in KB, $2 = file: a text part and a base64 attachment (7-bit, as most large mail)
  {
    printf 'From: alice@contoso.example\r\nTo: someone\r\nSubject: Large report\r\n'
    printf 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee attachment.\r\n'
    printf -- '--b\r\nContent-Type: application/octet-stream; name="data.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
    head -c $(( $1 * 1024 * 3 / 4 )) /dev/urandom | base64 -w 76 | sed 's/$/\r/'
    printf -- '--b--\r\n'
  } > "$2"
}

seconds() { # runs "$@" once, prints "wall cpu" seconds (cpu = user + system of the children, far less sensitive to a shared machine's load)
  local TIMEFORMAT='%R %U %S'
  { time "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; kill $$; }; } 2> "$work/time"
  awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$work/time"
}

median() { # $1 = file of "wall cpu" lines: the median of each column
  echo "$(cut -d' ' -f1 "$1" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')" \
    "$(cut -d' ' -f2 "$1" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
}

eea_process() { # $1 = recipient, $2 = message
  rm -rf "$work/out"
  "$eea" process --policy "$work/demo/bench-policy.xml" --mail-from alice@contoso.example --rcpt "$1" --out "$work/out" "$2"
  grep -q '"protection": "signed' "$work/out/plan.json"
}

openssl_sign() { openssl cms -sign -binary -md sha256 -signer "$pki/contoso-signing.crt" -inkey "$pki/contoso-signing.key" -in "$1" -out "$work/signed.eml"; }
openssl_sign_encrypt() { openssl_sign "$1" && openssl cms -encrypt -aes256 -stream -binary -in "$work/signed.eml" -out "$work/encrypted.eml" "$pki/fabrikam-gateway.crt"; }

make_message 1 "$work/small.eml"
echo "openssl: $(openssl version); $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg); runs per figure: $runs"
echo
echo "Each cell: wall s / CPU s (user + system). Ratio: (eea minus start) / openssl."
echo
echo "| message | treatment | eea process | start (1 KB) | eea minus start | openssl | ratio wall | ratio CPU | load average |"
echo "|---|---|---|---|---|---|---|---|---|"
for mb in "${sizes[@]}"; do
  make_message $(( mb * 1024 )) "$work/in.eml"
  actual=$(awk -v b="$(stat -c %s "$work/in.eml")" 'BEGIN { printf "%.0f", b / 1048576 }')
  for treatment in signed signed+encrypted; do
    if [ "$treatment" = signed ]; then rcpt=frank@tailspin.example; ossl=openssl_sign; else rcpt=dave@fabrikam.example; ossl=openssl_sign_encrypt; fi
    # Interleaved, one of each per round: the machine's speed drifts over a run (a shared VM), and three figures taken
    # minutes apart measured the drift as much as the programs.
    : > "$work/start"; : > "$work/ours"; : > "$work/theirs"
    for (( r = 0; r < runs; r++ )); do
      seconds eea_process "$rcpt" "$work/small.eml" >> "$work/start"
      seconds eea_process "$rcpt" "$work/in.eml" >> "$work/ours"
      seconds "$ossl" "$work/in.eml" >> "$work/theirs"
    done
    read -r start_wall start_cpu <<< "$(median "$work/start")"
    read -r ours_wall ours_cpu <<< "$(median "$work/ours")"
    read -r theirs_wall theirs_cpu <<< "$(median "$work/theirs")"
    awk -v m="$actual MB" -v t="$treatment" -v ow="$ours_wall" -v oc="$ours_cpu" -v sw="$start_wall" -v sc="$start_cpu" \
        -v tw="$theirs_wall" -v tc="$theirs_cpu" -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
      printf "| %s | %s | %.2f / %.2f | %.2f / %.2f | %.2f / %.2f | %.2f / %.2f | %.2f | %.2f | %s |\n",
        m, t, ow, oc, sw, sc, ow - sw, oc - sc, tw, tc, (ow - sw) / tw, (oc - sc) / (tc > 0 ? tc : 0.01), load }'
  done
done
