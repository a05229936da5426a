#!/usr/bin/env bash
# Outbound S/MIME, side by side on the same 10 KB, 1 MB, 25 MB and 100 MB messages: encryption against
# `openssl cms -encrypt -aes256 -stream`, clear and opaque signing against `openssl cms -sign -binary -md sha256`
# (detached; -nodetach -stream). Prints one Markdown table per operation (time ratio, peak memory) and the load
# average. Operations and sizes can be limited: ./smime-vs-openssl.sh sign-clear sign-opaque 1MB 25MB
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/ExchangeEncryptionAgent.Benchmarks/ExchangeEncryptionAgent.Benchmarks.csproj -v q -nologo >/dev/null
exec bench/ExchangeEncryptionAgent.Benchmarks/bin/Release/net10.0/ExchangeEncryptionAgent.Benchmarks smime-vs-openssl "$@"
