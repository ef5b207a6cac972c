#!/usr/bin/env bash
# Runs the Eclipse Paho interoperability suites (MQTT 3.1.1: client_test.py, MQTT 5: client_test5.py)
# and prints the score: against a hako it starts with test/conformance/paho.hako.yaml, or against one
# already running on 127.0.0.1:PORT (start it with --config test/conformance/paho.hako.yaml: the suite
# expects test/nosubscribe to be refused and a Server Keep Alive of 60 s).
#
#   scripts/paho.sh PAHO_INTEROPERABILITY_DIR [PORT]
#
# The suite is public code under its own licence: fetch eclipse/paho.mqtt.testing yourself and pass its
# interoperability/ folder; it is never committed here.
set -u
suite=${1:?usage: scripts/paho.sh PATH/TO/paho.mqtt.testing/interoperability [PORT]}
port=${2:-}
here=$(cd "$(dirname "$0")/.." && pwd)
data=$(mktemp -d)
hako_pid=
trap '[ -n "$hako_pid" ] && { kill $hako_pid 2>/dev/null; wait $hako_pid 2>/dev/null; }; rm -rf "$data"' EXIT
if [ -z "$port" ]; then
  node "$here/bin/hako.js" start --config "$here/test/conformance/paho.hako.yaml" --data-dir "$data" \
    --mqtt-port 0 --mqtts-port 0 --http-port 0 --log-level warn >"$data/hako.log" 2>&1 &
  hako_pid=$!
  for _ in $(seq 100); do [ -s "$data/ports.json" ] && break; sleep 0.1; done
  port=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['mqtt'])" "$data/ports.json") || { cat "$data/hako.log"; exit 1; }
fi
cd "$suite"

# MQTT 3.1.1: the whole file in one run, on our port.
v3_out=$(timeout 300 python3 -c "import sys,runpy,unittest; m=unittest.main; unittest.main=lambda *a,**k: m(*a, argv=['client_test.py'], **k); sys.argv=['client_test.py','-p','$port']; runpy.run_path('client_test.py', run_name='__main__')" 2>&1)
v3_total=$(grep -oE '^Ran [0-9]+' <<<"$v3_out" | grep -oE '[0-9]+' || echo 0)
v3_failed=$(grep -oE '(failures|errors)=[0-9]+' <<<"$v3_out" | grep -oE '[0-9]+' | paste -sd+ | bc 2>/dev/null || echo 0)
v3_passed=$(( v3_total - ${v3_failed:-0} ))
echo "MQTT 3.1.1 (client_test.py): $v3_passed/$v3_total"
[ "$v3_passed" = "$v3_total" ] || echo "$v3_out" | grep -E '^(FAIL|ERROR):'

# MQTT 5: one test at a time under a timeout (a broker without flow control makes one loop forever).
tests=$(grep -oE 'def (test_[a-z0-9_]+)' client_test5.py | cut -d' ' -f2)
v5_total=0; v5_passed=0; failed=()
for t in $tests; do
  v5_total=$((v5_total + 1))
  if timeout 60 python3 client_test5.py -p "$port" "Test.$t" >"$data/$t.log" 2>&1; then v5_passed=$((v5_passed + 1)); else failed+=("$t"); fi
done
echo "MQTT 5.0 (client_test5.py): $v5_passed/$v5_total"
for t in "${failed[@]}"; do echo "  failed: $t"; tail -5 "$data/$t.log" | sed 's/^/    /'; done
[ "$v3_passed" = "$v3_total" ] && [ "$v5_passed" = "$v5_total" ]
