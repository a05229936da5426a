#!/usr/bin/env bash
# Small-message throughput (issue 12): COUNT 10 KB messages (default 2,000), one at a time, through the simulated
# transport and the real agent with a one-rule policy (sign with the organisation key, encrypt to the partner's
# gateway certificate, the demo PKI with its CRL), beside `openssl speed -seconds 3 rsa2048` and
# `openssl speed -seconds 3 -evp aes-256-cbc` run in the same invocation. Prints a Markdown row: our messages per
# second, the limit 1 / (t_sign + t_public + 10 KB / AES rate) and the ratio limit/ours (goal: at most 2).
# Usage: bench/small-throughput.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-2000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build -c Release Tool/eea.csproj -v q -nologo >/dev/null
dotnet build -c Release bench/ExchangeEncryptionAgent.Benchmarks/ExchangeEncryptionAgent.Benchmarks.csproj -v q -nologo >/dev/null
# The demo PKI (CA, CRL, Contoso's signing key, Fabrikam's gateway certificate); its samples are not used.
Tool/bin/Release/net10.0/eea demo --out "$work/demo" >/dev/null
cat >"$work/demo/small-throughput.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<Policy xmlns="urn:exchange-encryption-agent:policy:v1">
  <Settings>
    <OrganizationDomains>
      <Domain>contoso.example</Domain>
    </OrganizationDomains>
  </Settings>
  <Certificates>
    <TrustAnchors>
      <File Path="pki/ca.crt" />
    </TrustAnchors>
    <Revocation Check="true" OnlineFetch="false" WhenStatusUnknown="TreatAsUnusable">
      <File Path="pki/ca.crl" />
    </Revocation>
    <PartnerCertificates>
      <File Path="pki/fabrikam-gateway.crt" Domains="fabrikam.example" />
    </PartnerCertificates>
    <OrganizationKeys>
      <Key Name="contoso-signing" Usage="Signing" CertificateFile="pki/contoso-signing.crt" KeyFile="pki/contoso-signing.key" />
    </OrganizationKeys>
  </Certificates>
  <Rules>
    <Rule Name="Fabrikam gateway: sign and encrypt" Priority="1" StopRuleProcessing="true">
      <Conditions>
        <FromScope>InOrganization</FromScope>
        <RecipientDomainIs>
          <Value>fabrikam.example</Value>
        </RecipientDomainIs>
      </Conditions>
      <Actions>
        <SignSmime Signer="Organization" OrganizationKey="contoso-signing" Format="Clear" />
        <EncryptSmime Certificate="Gateway" />
      </Actions>
    </Rule>
  </Rules>
</Policy>
XML
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
bench/ExchangeEncryptionAgent.Benchmarks/bin/Release/net10.0/ExchangeEncryptionAgent.Benchmarks small-throughput "$work/demo/small-throughput.xml" "$count"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
