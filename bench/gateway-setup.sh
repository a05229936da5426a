# Sourced by bench/gateway-throughput.sh and bench/gateway-memory.sh (not run on its own): builds eea, starts a
# private Postfix instance (loopback ports, its own queue) with two entry listeners, one whose after-queue filter
# only relays and one with `eea gateway` as the filter (demo policy), smtp-sink as the destination, and defines
#   run PORT COUNT BYTES  -> sends COUNT messages with smtp-source, waits until all reached the sink, prints msg/s
#   rss, ticks            -> the gateway's resident memory (MiB) and CPU time (clock ticks) so far
#   postfix_ticks         -> CPU time (clock ticks) of this Postfix instance so far: its master, the children alive
#                            now, and the children it has reaped (cutime/cstime of the master)
#   filter_latency PORT   -> mean ms of Postfix's handover to the filter on PORT (maillog delays=a/b/c/d: c + d,
#                            connection set-up + transmission until the filter's 250), over the deliveries since
#                            `mark_log` was called
# Needs: $sessions (smtp-source sessions) and $concurrency (the filter transport's process limit, the same for both
# entries: the relay-only filter gets the same concurrency as the gateway; default $sessions).
# Everything lives under a temporary directory removed on exit; Postfix is stopped, the gateway and sink killed.
[ "$(id -u)" -eq 0 ] || { echo "run as root (a private Postfix instance needs it)" >&2; exit 2; }
work=$(mktemp -d /tmp/eea-gw-bench.XXXXXX); chmod 0755 "$work"
pids=()
cleanup() {
  postfix -c "$work/postfix/conf" stop >/dev/null 2>&1 || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
# EEA_DLL=path/to/eea.dll runs an eea already built (a build takes minutes on a loaded machine) instead of building.
if [ -z "${EEA_DLL:-}" ]; then dotnet build -c Release Tool/eea.csproj -v q -nologo >/dev/null; fi
eea=${EEA_DLL:-$PWD/Tool/bin/Release/net10.0/eea.dll}
dotnet "$eea" demo --out "$work/demo" >/dev/null

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
entry_relay=$(port); entry_eea=$(port); reinject=$(port); gateway=$(port); sink=$(port)

mkdir -p "$work/postfix/conf" "$work/postfix/queue" "$work/postfix/data" "$work/sink"
chmod 0755 "$work/postfix" "$work/postfix/conf" "$work/postfix/queue"; chown postfix "$work/postfix/data" "$work/sink"
cat > "$work/postfix/conf/main.cf" <<CF
compatibility_level = 3.6
config_directory = $work/postfix/conf
queue_directory = $work/postfix/queue
data_directory = $work/postfix/data
mail_owner = postfix
setgid_group = postdrop
myhostname = bench.eea.test
mydestination =
relay_domains =
local_transport = error:local delivery is disabled
alias_maps =
alias_database =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
relayhost = [127.0.0.1]:$sink
maillog_file = $work/postfix/maillog
maillog_file_prefixes = $work
smtpd_peername_lookup = no
default_process_limit = 100
CF
base=$(sed -n '/^pickup/,$p' <<'MASTER'
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
MASTER
)
reinjected="-o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters"
cat > "$work/postfix/conf/master.cf" <<CF
127.0.0.1:$entry_relay inet n - n - - smtpd -o content_filter=filter:[127.0.0.1]:$reinject
127.0.0.1:$entry_eea inet n - n - - smtpd -o content_filter=filter:[127.0.0.1]:$gateway
filter unix - - n - ${concurrency:=$sessions} smtp -o smtp_send_xforward_command=no -o disable_mime_output_conversion=yes
127.0.0.1:$reinject inet n - n - - smtpd -o content_filter= $reinjected
$base
CF
postfix -c "$work/postfix/conf" start >/dev/null 2>&1
smtp-sink -u postfix -c "127.0.0.1:$sink" 200 >/dev/null 2>&1 & pids+=($!)
dotnet "$eea" gateway --policy "$work/demo/policy.xml" --listen "127.0.0.1:$gateway" --reinject "127.0.0.1:$reinject" \
  --spool "$work/spool" --hostname bench.eea.test > "$work/gateway.log" 2>&1 & gw=$!; pids+=($gw)
for _ in $(seq 100); do grep -q GatewayStarted "$work/gateway.log" && break; sleep 0.2; done
grep -q GatewayStarted "$work/gateway.log" || { cat "$work/gateway.log"; exit 1; }

sent() { grep -c "relay=127.0.0.1\[127.0.0.1\]:$sink,.*status=sent" "$work/postfix/maillog" 2>/dev/null || true; }

run() { # $1 = entry port, $2 = count, $3 = size in bytes -> prints messages/s
  local before target start end
  before=$(sent); target=$(( before + $2 ))
  start=$(date +%s.%N)
  smtp-source -s "$sessions" -m "$2" -l "$3" -f alice@contoso.example -t bob@northwind.example -S "bench" "127.0.0.1:$1"
  for _ in $(seq 6000); do [ "$(sent)" -ge "$target" ] && break; sleep "${poll:-0.1}"; done
  [ "$(sent)" -ge "$target" ] || { echo "timeout: $(sent)/$target delivered" >&2; tail -20 "$work/postfix/maillog" >&2; exit 1; }
  end=$(date +%s.%N)
  python3 -c "print(f'{$2/($end-$start):.1f}')"
}
rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$gw/status"; }
ticks() { awk '{print $14+$15}' "/proc/$gw/stat"; }   # the gateway's user+system CPU, in clock ticks
tck=$(getconf CLK_TCK)

postfix_ticks() {
  local master; master=$(tr -d ' ' < "$work/postfix/queue/pid/master.pid")
  { awk '{print $14+$15+$16+$17}' "/proc/$master/stat"
    for c in $(cat "/proc/$master/task/$master/children" 2>/dev/null); do awk '{print $14+$15}' "/proc/$c/stat" 2>/dev/null || true; done
  } | awk '{s+=$1} END {print s+0}'
}
mark_log() { log_mark=$(wc -l < "$work/postfix/maillog"); }
filter_latency() { # $1 = the filter's port
  tail -n +"$(( log_mark + 1 ))" "$work/postfix/maillog" | { grep "relay=127.0.0.1\[127.0.0.1\]:$1," || true; } \
    | sed -n 's/.* delays=[^/]*\/[^/]*\/\([^/]*\)\/\([0-9.]*\),.*/\1 \2/p' \
    | awk '{s+=$1+$2; n++} END {if (n) printf "%.0f", s*1000/n; else print "-"}'
}
