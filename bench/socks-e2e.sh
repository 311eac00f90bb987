#!/usr/bin/env bash
# End-to-end benchmark through the SOCKS5 port: the built awgproxy client and server (the example AWG
# profile of docs/examples, fresh keys, everything on 127.0.0.1) next to a direct TCP transfer, measured
# in the same run with the shared harness (../shared/bench/run.sh: sbench's bulk_down, bulk_up, connect,
# rtt and conc workloads).
#
#   bench/socks-e2e.sh [--quick] [--rounds N] [-- sbench-run-flags...]
#
#   --quick     small workloads (~20 s per round and peer), a smoke run
#   --rounds N  rounds (default 1); direct and awgproxy alternate within each round
#
# The full run used for the numbers in the report:   bench/socks-e2e.sh --rounds 3
# Prints one row per workload per run and the median (min-max) table: single-connection throughput
# (down/up MiB/s), CONNECT-to-first-byte p50/p99 ("setup": TCP connect + SOCKS5 greeting + user/pass +
# CONNECT + request + first response byte), 1-byte RTT, 100-connection aggregate, proxy CPU per GiB.
# Needs: the .NET SDK, golang-go (sbench). Every process runs under `timeout` and is stopped by its PID.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
ROUNDS=1 QUICK=()
while [ $# -gt 0 ]; do
  case $1 in
    --quick) QUICK=(--quick); shift ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "socks-e2e.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

WORK=$(mktemp -d /tmp/awgproxy-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "building awgproxy (Release)..." >&2
dotnet build "$ROOT/src/AwgProxy.Cli" -c Release -v q -nologo >/dev/null
AWGPROXY=(dotnet "$ROOT/src/AwgProxy.Cli/bin/Release/net10.0/awgproxy.dll")

free_port() { python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1]=="udp" else socket.SOCK_STREAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' "$1"; }
wait_for() { # file pattern
  for _ in $(seq 300); do grep -q "$2" "$1" && return 0; sleep 0.1; done
  echo "socks-e2e.sh: '$2' did not appear in $1:" >&2; cat "$1" >&2; exit 1
}

# Keys the way a user makes them, and the example configs with them (environment overrides).
umask 077
"${AWGPROXY[@]}" genkey >"$WORK/server.key"; "${AWGPROXY[@]}" pubkey <"$WORK/server.key" >"$WORK/server.pub"
"${AWGPROXY[@]}" genkey >"$WORK/client.key"; "${AWGPROXY[@]}" pubkey <"$WORK/client.key" >"$WORK/client.pub"
UDP=$(free_port udp) SOCKS=$(free_port tcp)
USER_=alice PASS_=correct-horse-battery-staple   # docs/examples/client.ini

# The target server of the harness is on 127.0.0.1: this server must allow loopback destinations.
env AWGPROXY_Server__PrivateKey="$(cat "$WORK/server.key")" AWGPROXY_Server__Listen="127.0.0.1:$UDP" \
    AWGPROXY_Clients__laptop__PublicKey="$(cat "$WORK/client.pub")" AWGPROXY_Egress__AllowNetworks=127.0.0.0/8 \
    AWGPROXY_Metrics__Listen=127.0.0.1:0 AWGPROXY_Log__Level=warning \
    timeout 7200 "${AWGPROXY[@]}" server -c "$ROOT/docs/examples/server.ini" >"$WORK/server.log" 2>&1 &
PIDS+=($!)
SRV_PID=$!
sleep 0.5
env AWGPROXY_Client__PrivateKey="$(cat "$WORK/client.key")" AWGPROXY_Client__ServerPublicKey="$(cat "$WORK/server.pub")" \
    AWGPROXY_Client__Server="127.0.0.1:$UDP" AWGPROXY_Socks5__Listen="127.0.0.1:$SOCKS" \
    AWGPROXY_Metrics__Listen=127.0.0.1:0 AWGPROXY_Log__Level=information \
    timeout 7200 "${AWGPROXY[@]}" client -c "$ROOT/docs/examples/client.ini" >"$WORK/client.log" 2>&1 &
PIDS+=($!)
CLI_PID=$!
wait_for "$WORK/client.log" "Tunnel connected to"
echo "awgproxy: server pid $SRV_PID (udp 127.0.0.1:$UDP), client pid $CLI_PID (socks5 127.0.0.1:$SOCKS)" >&2

TSV="$WORK/results.tsv"
for r in $(seq "$ROUNDS"); do
  "$SHARED/bench/run.sh" --socks direct --label direct --tsv "$TSV" "${QUICK[@]}" -- "$@"
  "$SHARED/bench/run.sh" --socks "127.0.0.1:$SOCKS" --user "$USER_" --pass "$PASS_" --pids "$CLI_PID $SRV_PID" \
      --label awgproxy --tsv "$TSV" "${QUICK[@]}" -- "$@"
done

echo
SB=${SBENCH_BIN:-${TMPDIR:-/tmp}/sbench-bin/sbench}
"$SB" summarize "$TSV"
cp "$TSV" "/tmp/awgproxy-socks-e2e-$(date -u +%Y%m%dT%H%M%SZ).tsv"
