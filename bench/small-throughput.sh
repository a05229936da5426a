#!/usr/bin/env bash
# Small-message throughput (issue 12): COUNT 10 KB messages (default 2,000), one at a time, through the real agent with
# a one-rule policy (sign with the organisation key, encrypt to the partner's gateway certificate, the demo PKI with its
# CRL), beside `openssl speed -seconds 3 rsa2048` and `openssl speed -seconds 3 -evp aes-256-cbc` run in the same
# invocation. VARIANT (default both): "direct" drives the runtime's MessagePlanner and CopyBuilder as the Exchange
# adapter does per message (what the agent costs), "simulator" goes through the transport simulator and the agent
# factory (the agent plus the simulator's test scaffolding). Each variant warms up until the JIT compiles nothing new,
# and a sample of its copies is decrypted and verified with openssl cms. Prints a Markdown row per variant: messages per
# second, CPU ms per message, the limit 1 / (t_sign + t_public + 10 KB / AES rate) and the ratio limit/ours (goal: at
# most 2).
# Usage: bench/small-throughput.sh [COUNT] [direct|simulator|both]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-2000}
variant=${2:-both}
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
bench/ExchangeEncryptionAgent.Benchmarks/bin/Release/net10.0/ExchangeEncryptionAgent.Benchmarks small-throughput "$work/demo/small-throughput.xml" "$count" "$variant"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
