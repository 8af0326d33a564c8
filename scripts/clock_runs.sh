#!/usr/bin/env bash
# The suite without browser and stack tests, twice at once under Debian's faketime: with
# the real clock five years ahead, and starting a minute before midnight (UTC, the tests'
# time zone). Tests own their clock (tests/moments.py), so a test that reads the day it
# runs on fails here rather than on some later day in everyone's CI.
# Usage: scripts/clock_runs.sh PYTEST [pytest arguments...]
set -u
pytest=$1
shift
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

TZ=UTC faketime '+1826 days' "$pytest" "$@" >"$logs/ahead" 2>&1 &
ahead=$!
TZ=UTC faketime "$(date -u +%F) 23:59:00" "$pytest" "$@" >"$logs/midnight" 2>&1 &
midnight=$!
wait $ahead; ahead_status=$?
wait $midnight; midnight_status=$?

for run in ahead midnight; do
  status_var=${run}_status
  echo "== clock $run: $(grep -m1 -o 'randomly-seed=[0-9]*' "$logs/$run")"
  if [ "${!status_var}" -eq 0 ]; then tail -n 1 "$logs/$run"; else tail -n 120 "$logs/$run"; fi
done
[ $ahead_status -eq 0 ] && [ $midnight_status -eq 0 ]
