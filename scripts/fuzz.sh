#!/usr/bin/env bash
# Fuzzes the protocol layer: the property tests of tests/Relay.Protocol.Tests/Fuzzing run on
# random seeds for the given time in all (default 600 s, shared equally among the properties),
# then stop by themselves. Each prints how many cases it ran; a failure prints the property, the
# case's seed and size, its input bytes, and the command that replays it.
# Usage: scripts/fuzz.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
  echo "usage: scripts/fuzz.sh [seconds]   (a positive whole number; default 600)" >&2
  exit 2
fi

RELAY_FUZZ_SECONDS=$seconds dotnet test tests/Relay.Protocol.Tests --configuration Release \
  --filter "FullyQualifiedName~Relay.Protocol.Tests.Fuzzing" --logger "console;verbosity=detailed"
