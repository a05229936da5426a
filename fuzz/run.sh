#!/usr/bin/env bash
# Fuzzes one target with AFL++ for a bounded time and fails if it found a crash or a hang.
#   bash fuzz/run.sh TARGET SECONDS [FINDINGS_DIR]
# TARGET: rules | smime | policy | gateway (docs/reliability.md "Fuzzing"). Needs afl-fuzz (Debian: afl++) and the
# SharpFuzz.CommandLine 2.3.0 tool: $SHARPFUZZ, else `sharpfuzz` on PATH, else it is installed into .tools/.
# The harness is built once and copied into fuzz/out/bin and instrumented there (ExchangeEncryptionAgent.dll, eea.dll, SmtpServer.dll);
# FUZZ_REBUILD=1 forces a new build; FUZZ_BIN=DIR uses an instrumented copy as it is (long runs). Findings go to FINDINGS_DIR (default fuzz/out/findings-TARGET, emptied first):
# crashes/ and hangs/ hold the inputs; replay one with
#   dotnet fuzz/out/bin/ExchangeEncryptionAgent.Fuzz.dll replay TARGET FILE
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/run.sh TARGET SECONDS [FINDINGS_DIR]}
seconds=${2:?usage: fuzz/run.sh TARGET SECONDS [FINDINGS_DIR]}
findings=${3:-fuzz/out/findings-$target}
case "$target" in rules|smime|policy|gateway) ;; *) echo "unknown target '$target'" >&2; exit 2 ;; esac
command -v afl-fuzz >/dev/null || { echo "afl-fuzz is not installed (apt-get install afl++)" >&2; exit 2; }

bin=${FUZZ_BIN:-fuzz/out/bin}
stamp=$bin/.instrumented
if [ -n "${FUZZ_BIN:-}" ] && [ -f "$stamp" ]; then
  : # a long run's own copy of an instrumented build: used as it is, so a rebuild cannot pull it away mid-run
elif [ "${FUZZ_REBUILD:-0}" = 1 ] || [ ! -f "$stamp" ] \
  || [ -n "$(find Agent Tool fuzz/ExchangeEncryptionAgent.Fuzz fuzz/fixtures -newer "$stamp" -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.xml' -o -name '*.crt' -o -name '*.key' -o -name '*.crl' \) -not -path '*/obj/*' -not -path '*/bin/*' | head -1)" ]; then
  sharpfuzz=${SHARPFUZZ:-}
  if [ -z "$sharpfuzz" ]; then
    if command -v sharpfuzz >/dev/null; then
      sharpfuzz=$(command -v sharpfuzz)
    else
      [ -x .tools/sharpfuzz ] || dotnet tool install --tool-path .tools SharpFuzz.CommandLine --version 2.3.0 >/dev/null
      sharpfuzz=$PWD/.tools/sharpfuzz
    fi
  fi
  rm -rf "$bin"
  # The build output, copied: publish leaves out SmtpServer (a private asset of eea and of the harness).
  dotnet build fuzz/ExchangeEncryptionAgent.Fuzz -c Release -nologo -v q
  mkdir -p "$(dirname "$bin")"
  cp -a fuzz/ExchangeEncryptionAgent.Fuzz/bin/Release/net10.0 "$bin"
  # Coverage from the engine, the gateway adapter and the SMTP server the gateway listens with (its command parser
  # is what the gateway target's bytes meet first); MimeKit, BouncyCastle and MailKit are not instrumented (speed).
  for dll in ExchangeEncryptionAgent.dll eea.dll SmtpServer.dll; do "$sharpfuzz" "$bin/$dll" >/dev/null; done
  touch "$stamp"
fi

rm -rf "$findings"
mkdir -p "$findings"
# Persistent mode in one .NET process: afl sees no native instrumentation in `dotnet` (SKIP_BIN_CHECK); the machine
# is shared (NO_AFFINITY, no CPU governor checks); -t: an input running longer than 10 s is a hang.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
export AFL_FORKSRV_INIT_TMOUT=120000
afl-fuzz -i "fuzz/corpus/$target" -o "$findings" -t 10000 -m none -V "$seconds" -- \
  dotnet "$bin/ExchangeEncryptionAgent.Fuzz.dll" "$target" > "$findings/afl.log" 2>&1 || {
  echo "afl-fuzz failed for $target:" >&2; tail -30 "$findings/afl.log" >&2; exit 1; }

stats=$findings/default/fuzzer_stats
value() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
crashes=$(find "$findings/default/crashes" -type f -name 'id:*' | wc -l)
hangs=$(find "$findings/default/hangs" -type f -name 'id:*' | wc -l)
echo "fuzz $target: $(value execs_done) execs in $(value run_time) s ($(value execs_per_sec) exec/s), corpus $(value corpus_count), edges $(value edges_found)/$(value total_edges), crashes $crashes, hangs $hangs"
if [ "$crashes" -gt 0 ] || [ "$hangs" -gt 0 ]; then
  echo "fuzz $target found $crashes crash(es) and $hangs hang(s); inputs in $findings/default/{crashes,hangs}" >&2
  exit 1
fi
