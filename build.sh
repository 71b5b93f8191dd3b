#!/usr/bin/env bash
# NeoCloud's one entry point for building and testing.
#   ./build.sh test    install what the tests need (PostgreSQL, promtool), start a throwaway PostgreSQL, run every test project,
#                      print the totals as one line ("N passed, N failed, N skipped"); non-zero exit on any failure
#   ./build.sh build   compile everything (Release)
#   ./build.sh up      run NeoCloud on its embedded default (same as: dotnet run --project src/NeoCloud.Server -- up)
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
config=${CONFIGURATION:-Release}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

need_dotnet() {
  command -v dotnet >/dev/null || { echo "build.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 2; }
}

cmd_build() {
  need_dotnet
  dotnet build NeoCloud.slnx -c "$config" -nologo -v quiet
}

cmd_test() {
  need_dotnet
  local results="$root/artifacts/test-results" pgdir
  rm -rf "$results"; mkdir -p "$results"

  # A throwaway PostgreSQL for the store compliance suites: its own data dir, a free port, stopped on exit.
  pgdir=$(mktemp -d /tmp/neocloud-pg.XXXXXX)
  trap 'scripts/pg-test.sh stop "'"$pgdir"'" >/dev/null 2>&1 || true; rm -rf "'"$pgdir"'"' EXIT
  NEOCLOUD_TEST_PG=$(scripts/pg-test.sh start "$pgdir")
  export NEOCLOUD_TEST_PG
  echo "build.sh: PostgreSQL for tests at ${NEOCLOUD_TEST_PG%%;Username*}"

  # The real promtool checks and unit-tests the SLO rules NeoCloud exports (installed from the distribution if missing).
  NEOCLOUD_PROMTOOL=$(scripts/promtool.sh)
  export NEOCLOUD_PROMTOOL
  echo "build.sh: promtool for tests at $NEOCLOUD_PROMTOOL"

  dotnet build NeoCloud.slnx -c "$config" -nologo -v quiet
  local rc=0 proj name
  # One project at a time, each with its own TRX file, so no two result files can collide.
  for proj in tests/*/*.csproj; do
    name=$(basename "$proj" .csproj)
    dotnet test "$proj" -c "$config" --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --results-directory "$results" || rc=$?
  done

  # Totals over every test project's TRX file: the one line CI reads.
  local passed=0 failed=0 skipped=0 files=0 f p x s
  for f in "$results"/*.trx; do
    [ -e "$f" ] || continue
    files=$((files + 1))
    p=$(grep -o '<Counters [^>]*' "$f" | grep -o ' passed="[0-9]*"' | grep -o '[0-9]\+' || echo 0)
    x=$(grep -o '<Counters [^>]*' "$f" | grep -o ' failed="[0-9]*"' | grep -o '[0-9]\+' || echo 0)
    s=$(grep -o '<Counters [^>]*' "$f" | grep -o ' notExecuted="[0-9]*"' | grep -o '[0-9]\+' || echo 0)
    passed=$((passed + p)); failed=$((failed + x)); skipped=$((skipped + s))
  done
  if [ "$files" -eq 0 ]; then
    echo "build.sh: no test results were written" >&2
    failed=$((failed + 1))
  fi
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
    # dotnet test failed without a failed test (a crashed test host, say): count it, never report green.
    echo "build.sh: dotnet test exited $rc" >&2
    failed=1
  fi
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
}

cmd_up() {
  need_dotnet
  exec dotnet run --project src/NeoCloud.Server -c "$config" -- up "$@"
}

case "${1:-}" in
  test) shift; cmd_test "$@" ;;
  build) shift; cmd_build "$@" ;;
  up) shift; cmd_up "$@" ;;
  *) echo "usage: ./build.sh test | build | up [args]" >&2; exit 2 ;;
esac
