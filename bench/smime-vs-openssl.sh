#!/usr/bin/env bash
# Outbound S/MIME encryption, side by side with `openssl cms -encrypt -aes256 -stream` on the same 10 KB, 1 MB,
# 25 MB and 100 MB messages. Prints a Markdown table (time ratio, peak memory). Sizes can be limited: ./smime-vs-openssl.sh 1MB 25MB
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/ExchangeEncryptionAgent.Benchmarks/ExchangeEncryptionAgent.Benchmarks.csproj -v q -nologo >/dev/null
exec bench/ExchangeEncryptionAgent.Benchmarks/bin/Release/net10.0/ExchangeEncryptionAgent.Benchmarks smime-vs-openssl "$@"
