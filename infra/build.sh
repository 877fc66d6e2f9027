#!/usr/bin/env bash
# Compiles a Bicep file to an ARM template with the Bicep CLI from NuGet, and fails on ANY diagnostic.
#
# `bicep build` exits 0 when it prints warnings (linter rules, unknown API versions, unused parameters), so
# this script treats every line the compiler prints as a failure: a clean build prints nothing.
#
# Usage: infra/build.sh [input.bicep [output.json]]
#   input   default: infra/main.bicep
#   output  default: .tools/infra/<input name>.json (under the repository root; .tools/ is git-ignored)
#
# The CLI comes from the NuGet package Azure.Bicep.CommandLine.linux-x64 (a self-contained binary), fetched
# once into .tools/bicep-pkg with `dotnet package download`; after that the build needs no network.
# `--no-restore` keeps it so: a registry module (br:...) fails to compile instead of being downloaded.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bicep_version="${BICEP_VERSION:-0.49.2}"
package_dir="$repo_root/.tools/bicep-pkg"

input="${1:-$repo_root/infra/main.bicep}"
if [[ ! -f "$input" ]]; then
  echo "build.sh: input file not found: $input" >&2
  exit 2
fi
output="${2:-$repo_root/.tools/infra/$(basename "${input%.bicep}").json}"

find_bicep() {
  if [[ -d "$package_dir" ]]; then
    find "$package_dir" -type f -name bicep -path "*/$bicep_version/tools/*" | head -n 1
  fi
}

bicep="$(find_bicep)"
if [[ -z "$bicep" ]]; then
  echo "build.sh: fetching Azure.Bicep.CommandLine.linux-x64 $bicep_version from NuGet" >&2
  dotnet package download "Azure.Bicep.CommandLine.linux-x64@$bicep_version" -o "$package_dir" >&2
  bicep="$(find_bicep)"
  if [[ -z "$bicep" ]]; then
    echo "build.sh: no bicep binary found under $package_dir after the download" >&2
    exit 2
  fi
fi
chmod +x "$bicep"

mkdir -p "$(dirname "$output")"
rm -f "$output"

set +e
diagnostics="$("$bicep" build "$input" --outfile "$output" --no-restore 2>&1)"
status=$?
set -e

if [[ -n "$diagnostics" ]]; then
  printf '%s\n' "$diagnostics" >&2
fi
if [[ $status -ne 0 ]]; then
  echo "build.sh: bicep build failed with exit code $status" >&2
  rm -f "$output"
  exit "$status"
fi
if [[ -n "$diagnostics" ]]; then
  count="$(printf '%s\n' "$diagnostics" | grep -c . || true)"
  echo "build.sh: bicep build printed $count diagnostic line(s); a clean build prints none" >&2
  rm -f "$output"
  exit 1
fi
echo "build.sh: $input -> $output"
