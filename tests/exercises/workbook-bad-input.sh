#!/usr/bin/env bash
# The exercise loop's commands answer bad input with one line on stderr and
# exit status 2, before they build or change anything.
# Run as: workbook-bad-input.sh WORKBOOK_ROOT
set -euo pipefail
cd "$1"
failures=0

# expect_usage_error ARG...: ./workbook ARG... exits 2 with one line on stderr.
expect_usage_error() {
  local err status=0
  err=$(./workbook "$@" 2>&1 >/dev/null </dev/null) || status=$?
  if [ "$status" -ne 2 ] || [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ]; then
    echo "./workbook $*: exit status $status, stderr:"
    printf '%s\n' "$err" | sed 's/^/    /'
    failures=$((failures + 1))
  fi
}

not_a_workbook=$(mktemp -d)
trap 'rm -rf "$not_a_workbook"' EXIT

expect_usage_error check 7
expect_usage_error check 0
expect_usage_error check
expect_usage_error check 1 2
expect_usage_error hint abc
expect_usage_error hint 1 --fr
expect_usage_error watch 9
expect_usage_error reset five
expect_usage_error reset 1 --now
expect_usage_error solution 5
expect_usage_error grade
expect_usage_error grade "$not_a_workbook"
expect_usage_error grade --out
[ "$failures" -eq 0 ] && echo "every bad input: one line, exit status 2"
exit "$failures"
