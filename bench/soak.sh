#!/usr/bin/env bash
# The long soak (issue 12): N messages (default 100,000) of mixed size (1 KB..1 MB, mostly small) and treatment
# (encrypt, sign, both, reject, forced-TLS route, pass, inbound decrypt) through the simulated transport and the real
# agent, while the policy and a certificate are rewritten every 100 ms (valid and invalid versions in turn).
# It is the CI soak test (Agent.Tests/Reliability/SoakTests.cs) with more messages; its assertions are the same:
# every message with its defined outcome, no temporary file left, no exception into the host, managed heap and open
# file descriptors flat after warm-up (last sample against the first one after warm-up), resident memory by its peaks
# (the last quarter's highest sample within the margin of the second quarter's; docs/reliability.md "Soak").
# Usage: bench/soak.sh [MESSAGES] [REPORT_FILE] [MINUTES]
# The figures (and a CSV series) go to REPORT_FILE; MINUTES (optional) ends the run early, as a completed run, on a
# machine too loaded for MESSAGES in the time there is. Progress lines go to REPORT_FILE.progress as it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${1:-100000}
report=$(realpath -m "${2:-soak-report.txt}")
minutes=${3:-}
rm -f "$report" "$report.progress"
dotnet build Agent.Tests -c Release -v q -nologo >/dev/null
start=$(date +%s)
EEA_SOAK_MESSAGES=$messages EEA_SOAK_MINUTES=$minutes EEA_SOAK_REPORT=$report \
  dotnet test Agent.Tests -c Release --no-build --filter "FullyQualifiedName~Reliability.SoakTests" --logger "console;verbosity=minimal"
echo "wall (including test host start): $(( $(date +%s) - start )) s"
cat "$report"
