#!/usr/bin/env bash
# QUIC bulk throughput on loopback: our client <-> our server (tools/AwgProxy.Interop) next to
# quicgo-peer client <-> quicgo-peer server (../shared/interop) and ngtcp2's gtlsclient <-> gtlsserver,
# in the same run, interleaved. One connection, one stream, GET of --bytes (default 1 GiB). In the timed
# runs every client only counts the bytes (ours with -hash=false, as quicgo-peer and gtlsclient do); one
# untimed run of ours first checks the SHA-256 of what its client received against the pattern.
#
#   bench/quic-throughput.sh [--bytes N] [--rounds R] [--only "ours quicgo ngtcp2"]
#
# Prints one row per run (MiB/s and CPU seconds per GiB = client + server user+sys) and the
# medians, and ours/quic-go and ours/ngtcp2 ratios computed from this run only (this machine is
# noisy). MiB/s: ours and quicgo report transfer time after the handshake; ngtcp2 is timed from
# client start to exit (it prints no rate), which favours the others slightly.
# Needs: the .NET SDK, golang-go and golang-github-lucas-clemente-quic-go-dev (for quicgo-peer),
# ngtcp2-server and ngtcp2-client, GNU time (/usr/bin/time). Everything listens on 127.0.0.1;
# every process runs under `timeout`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
BYTES=$((1024 * 1024 * 1024)) ROUNDS=3 ONLY=
while [ $# -gt 0 ]; do
  case $1 in
    --bytes) BYTES=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "quic-throughput.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
CERT=$SHARED/interop/certs/cert.pem KEY=$SHARED/interop/certs/key.pem
WORK=$(mktemp -d /tmp/quic-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

echo "building..." >&2
dotnet build "$ROOT/tools/AwgProxy.Interop" -c Release -v q -nologo >/dev/null
OURS="dotnet $ROOT/tools/AwgProxy.Interop/bin/Release/net10.0/AwgProxy.Interop.dll"
QG=$WORK/quicgo-peer
sh "$SHARED/interop/quicgo-peer/build.sh" "$QG" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cpu_of() { tail -1 "$1" | awk '{print $1 + $2}'; }   # GNU time -f "%U %S" (last line: a signal note may precede it)

expected_sha=$(python3 -c '
import hashlib, sys
n = int(sys.argv[1]); period = bytes((i % 65536) % 251 for i in range(65536)); h = hashlib.sha256()
while n > 0:
    k = min(n, len(period)); h.update(period[:k]); n -= k
print(h.hexdigest())' "$BYTES")

run_one() { # stack -> prints "stack MiB/s cpu_s_per_GiB"
  local stack=$1 port srv cli
  port=$(free_port)
  case $stack in
    ours)   srv="$OURS server -listen 127.0.0.1:$port -cert $CERT -key $KEY -max-conns 1 -lifetime 10m"
            cli="$OURS client -addr 127.0.0.1:$port -mode get -bytes $BYTES -timeout 10m -hash=${HASH:-false}" ;;
    quicgo) srv="env GOMAXPROCS=1 $QG server -listen 127.0.0.1:$port -cert $CERT -key $KEY -max-conns 1 -lifetime 10m"
            cli="env GOMAXPROCS=1 $QG client -addr 127.0.0.1:$port -mode get -bytes $BYTES -timeout 10m" ;;
    ngtcp2) srv="gtlsserver -q 127.0.0.1 $port $KEY $CERT -d $WORK --max-dyn-length=$BYTES"
            cli="gtlsclient -q --no-quic-dump --no-http-dump --exit-on-all-streams-close 127.0.0.1 $port https://localhost:$port/$BYTES" ;;
  esac
  /usr/bin/time -f "%U %S" -o "$WORK/srv.time" timeout 700 $srv >"$WORK/srv.log" 2>&1 &
  local srv_pid=$!
  sleep 1.5
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$WORK/cli.time" timeout 650 $cli >"$WORK/cli.log" 2>&1 || true
  t1=$(date +%s.%N)
  if [ "$stack" = ngtcp2 ]; then
    # gtlsserver never exits by itself: stop the server process this run started (the child of timeout).
    local child; child=$(pgrep -P "$(pgrep -P "$srv_pid")" || true)
    [ -n "$child" ] && kill "$child" 2>/dev/null || true
  fi
  wait "$srv_pid" || true
  local result mib cpu
  case $stack in
    ours)
      result=$(grep '^RESULT' "$WORK/cli.log" | tail -1)
      want="sha256=-"; [ "${HASH:-false}" = true ] && want="sha256=$expected_sha"
      if ! grep -q "bytes=$BYTES $want " <<<"$result"; then echo "ours FAILED ($want): ${result:-no RESULT line}" >&2; tail -5 "$WORK/cli.log" "$WORK/srv.log" >&2; return 1; fi
      mib=$(sed -n 's/.*MiB_per_s=\([0-9.]*\).*/\1/p' <<<"$result") ;;
    quicgo)
      result=$(grep '^RESULT' "$WORK/cli.log" | tail -1)
      if ! grep -q "bytes=$BYTES " <<<"$result"; then echo "quicgo FAILED: ${result:-no RESULT line}" >&2; tail -5 "$WORK/cli.log" "$WORK/srv.log" >&2; return 1; fi
      mib=$(sed -n 's/.*MiB_per_s=\([0-9.]*\).*/\1/p' <<<"$result") ;;
    ngtcp2)
      if [ -s "$WORK/cli.log" ] && grep -qi "error\|fail" "$WORK/cli.log"; then echo "ngtcp2 FAILED:" >&2; tail -5 "$WORK/cli.log" >&2; return 1; fi
      mib=$(awk -v b="$BYTES" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.1f", b / 1048576 / (t1 - t0) }') ;;
  esac
  if [ -z "$mib" ]; then echo "$stack FAILED: no rate" >&2; return 1; fi
  cpu=$(awk -v c="$(cpu_of "$WORK/cli.time")" -v s="$(cpu_of "$WORK/srv.time")" -v b="$BYTES" 'BEGIN { printf "%.2f", (c + s) / (b / 1073741824) }')
  echo "$stack $mib $cpu"
}

stacks="ours quicgo ngtcp2"; [ -n "$ONLY" ] && stacks=$ONLY
: >"$WORK/rows"
case " $stacks " in *" ours "*)
  # Untimed: the same transfer with our client hashing what it received; a wrong byte fails the benchmark.
  HASH=true run_one ours >/dev/null && echo "ours: SHA-256 of the $BYTES bytes checked (untimed run)" || exit 1 ;;
esac
for r in $(seq "$ROUNDS"); do
  for s in $stacks; do
    row=$(run_one "$s") && { echo "round=$r $row"; echo "$row" >>"$WORK/rows"; }
  done
done

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) { print "nan"; exit } if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
echo
printf '%-8s %10s %14s\n' stack MiB/s CPU_s/GiB
for s in $stacks; do
  m=$(awk -v s="$s" '$1 == s { print $2 }' "$WORK/rows" | median)
  c=$(awk -v s="$s" '$1 == s { print $3 }' "$WORK/rows" | median)
  printf '%-8s %10s %14s\n' "$s" "$m" "$c"
  eval "med_${s}_mib=$m med_${s}_cpu=$c"
done
ratio() { # label ours_mib other_mib ours_cpu other_cpu
  awk -v l="$1" -v om="$2" -v qm="$3" -v oc="$4" -v qc="$5" -v b="$BYTES" \
    'BEGIN { if (qm == "nan" || om == "nan") exit; printf "ours/%s: throughput x%.2f, CPU per GiB x%.2f (bytes=%s)\n", l, om / qm, oc / qc, b }'
}
echo
case " $stacks " in *" ours "*)
  case " $stacks " in *" quicgo "*) ratio quic-go "$med_ours_mib" "$med_quicgo_mib" "$med_ours_cpu" "$med_quicgo_cpu" ;; esac
  case " $stacks " in *" ngtcp2 "*) ratio ngtcp2 "$med_ours_mib" "$med_ngtcp2_mib" "$med_ours_cpu" "$med_ngtcp2_cpu" ;; esac ;;
esac
