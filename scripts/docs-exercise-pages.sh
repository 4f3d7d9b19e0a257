#!/usr/bin/env bash
# Makes the site's exercise pages, in English and Korean, out of what the
# student reads in the tree: each exercise's README and HINTS, and its
# solution's README. Run by the docs build:
#
#   scripts/docs-exercise-pages.sh OUT_DIR
#
# writes OUT_DIR/en/exerciseN.md and OUT_DIR/ko/exerciseN.md. On a page: the
# task, the starter's code, the command that grades it, the hints folded
# away one by one, and the solution with its analysis folded behind a
# spoiler. In a solution's README, a line `<!-- include: FILE -->` becomes
# the program output FILE of scripts/docs-outputs.sh, and a line
# `<!-- figure: NAME CAPTION -->` the chart NAME.msc that docs/record-figures.py
# drew from a real run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -ne 1 ]; then
  echo "usage: $0 OUT_DIR" >&2
  exit 2
fi
OUT="$1"
mkdir -p "$OUT/en" "$OUT/ko"
cd "$ROOT"

# The part of each exercise, from stages.json (PARTS[N] for exercise N), and
# the pages around the exercises of a part: each exercise page comes right
# after its part's last page, and the next part (or the trace page, after the
# last part) comes right after its part's last exercise.
PARTS=("")
while read -r part; do PARTS+=("$part"); done < <(
  python3 -c 'import json, sys
for e in json.load(open(sys.argv[1], encoding="utf-8"))["exercises"]: print(e["part"])' stages.json)
if [ "${#PARTS[@]}" -le 1 ]; then
  echo "$0: no exercises found in stages.json" >&2
  exit 1
fi
last_page_of_part() {
  case "$1" in
    4) echo part4 ;;
    5) echo part5_stack ;;
    *) echo "$0: no pages known for part $1" >&2; exit 1 ;;
  esac
}
first_page_after_part() {
  case "$1" in
    4) echo part5 ;;
    5) echo trace ;;
    *) echo "$0: no pages known for part $1" >&2; exit 1 ;;
  esac
}

# What each page quotes from the code: the starter's snippets, then the
# solution's (markers //! [NAME] in main.cpp).
starter_snippets() {
  case "$1" in
    1) echo poetryMain ;;
    2) echo timeOut ;;
    3) echo timeout ;;
    4) echo connectionLost ;;
  esac
}
solution_snippets() {
  case "$1" in
    1) echo poetryMain ;;
    2) echo timeOut connectionLost ;;
    3) echo timeout ;;
    4) echo printStackHere clientConnectionLost ;;
  esac
}

# body FILE: a README without its title line and its language link, its
# headings one level down (the page's own sections are level 2), a link to
# the solution's README turned into a link to the page's solution section,
# and include markers turned into the program outputs.
body() {
  local n="$1" file="$2"
  sed -e '1d' \
      -e '/^\[English\](README\.md)$/d' \
      -e '/^\[한국어\](README\.ko\.md)$/d' \
      -e 's/^## /### /' \
      -e "s|(\.\./\.\./solutions/[^)]*/README\(\.ko\)\{0,1\}\.md)|(@ref exercise${n}_solution)|g" \
      -e 's|^<!-- include: \([^ ]*\) -->$|\\verbinclude \1|' \
      -e 's|^<!-- figure: \([^ ]*\) \(.*\) -->$|\\mscfile \1.msc "\2"|' \
      "$file"
}

# The folds: <details> written through \htmlonly[block]. Written as plain
# HTML in Markdown, Doxygen 1.9 closes a <details> at the end of each
# paragraph, so that every paragraph becomes a fold of its own.
open_fold() { printf '\\htmlonly[block]<details%s><summary>%s</summary>\\endhtmlonly\n' "$1" "$2"; }
close_fold() { printf '\\htmlonly[block]</details>\\endhtmlonly\n'; }

# hints N FILE: each "## Hint K" section folded in a <details> of its own.
hints() {
  awk '
    /^## / {
      if (open) print "\n\\htmlonly[block]</details>\\endhtmlonly\n"
      sub(/^## /, "")
      print "\\htmlonly[block]<details><summary>" $0 "</summary>\\endhtmlonly\n"
      open = 1
      next
    }
    { print }
    END { if (open) print "\n\\htmlonly[block]</details>\\endhtmlonly" }
  ' "$2"
}

page() {
  local lang="$1" n="$2" dir="$3"
  local readme hints_file solution title
  local solution_dir
  solution_dir="solutions/$(basename "$dir")"
  if [ "$lang" = en ]; then
    readme="$dir/README.md"
    hints_file="$dir/HINTS.md"
    solution="$solution_dir/README.md"
  else
    readme="$dir/README.ko.md"
    hints_file="$dir/HINTS.ko.md"
    solution="$solution_dir/README.ko.md"; [ -f "$solution" ] || solution="$solution_dir/README.md"
  fi
  title=$(head -n 1 "$readme" | sed -e 's/^# //' -e 's/`//g')

  # In the course, each exercise comes right after the pages of its part.
  local part="${PARTS[n]}" prev next
  if [ "$n" -gt 1 ] && [ "${PARTS[n - 1]}" = "$part" ]; then
    prev="exercise$((n - 1))"
  else
    prev=$(last_page_of_part "$part")
  fi
  if [ -n "${PARTS[n + 1]:-}" ] && [ "${PARTS[n + 1]}" = "$part" ]; then
    next="exercise$((n + 1))"
  else
    next=$(first_page_after_part "$part")
  fi

  local t_prev t_next t_all t_starter t_check t_check_text t_hints t_solution t_show t_code t_whole t_source
  if [ "$lang" = en ]; then
    t_prev="Previous"; t_next="Next"; t_all="All exercises"
    t_starter="The starter"
    t_source="This page is made from \`$readme\`, \`$hints_file\` and \`$solution\`."
    t_check="Check your work"
    t_check_text="\`check\` builds your program and runs the exercise's tests against real servers. A failure says what ran, what was expected, what happened and where to look (@ref troubleshooting_check \"what a failing check means\")."
    t_hints="Hints"
    t_solution="Solution and analysis"
    t_show="Show the solution (try the exercise first)"
    t_code="The solution's code"
    t_whole="The whole solution, with line numbers"
  else
    t_prev="이전"; t_next="다음"; t_all="연습 문제 전체"
    t_starter="시작 코드"
    t_source="이 페이지는 \`$readme\`, \`$hints_file\`, \`$solution\`에서 만들어집니다."
    t_check="채점하기"
    t_check_text="\`check\`는 여러분의 프로그램을 빌드하고, 실제 서버를 띄워 연습 문제의 테스트를 실행합니다. 실패하면 무엇을 실행했고, 무엇을 기대했고, 실제로 무슨 일이 일어났고, 어디를 보면 되는지 알려 줍니다(@ref troubleshooting_check \"채점에 실패했을 때\")."
    t_hints="힌트"
    t_solution="풀이와 분석"
    t_show="풀이 보기 (먼저 직접 풀어 보세요)"
    t_code="풀이 코드"
    t_whole="풀이 전체 (줄 번호 포함)"
  fi

  local name
  {
    echo "# $title {#exercise$n}"
    echo
    echo "<p class=\"pagenav\">$t_prev: @ref $prev | $t_next: @ref $next | $t_all: @ref exercises</p>"
    echo
    body "$n" "$readme"
    echo
    echo "## $t_starter {#exercise${n}_starter}"
    echo
    for name in $(starter_snippets "$n"); do
      echo "\\snippet $dir/main.cpp $name"
      echo
    done
    echo "## $t_check {#exercise${n}_check}"
    echo
    echo '```sh'
    echo "./workbook check $n"
    echo '```'
    echo
    echo "$t_check_text"
    echo
    echo "## $t_hints {#exercise${n}_hints}"
    echo
    hints "$n" "$hints_file"
    echo
    echo "## $t_solution {#exercise${n}_solution}"
    echo
    open_fold ' class="spoiler"' "$t_show"
    echo
    body "$n" "$solution"
    echo
    echo "### $t_code"
    echo
    for name in $(solution_snippets "$n"); do
      echo "\\snippet $solution_dir/main.cpp $name"
      echo
    done
    open_fold "" "$t_whole"
    echo
    echo "\\includelineno listings/$solution_dir/main.cpp"
    echo
    close_fold
    echo
    close_fold
    echo
    echo "<p class=\"pagenav\">$t_prev: @ref $prev | $t_next: @ref $next | $t_all: @ref exercises</p>"
    echo
    echo "<small>$t_source</small>"
  } >"$OUT/$lang/exercise$n.md"
}

n=0
for dir in exercises/0[1-9]-*; do
  n=$((n + 1))
  page en "$n" "$dir"
  page ko "$n" "$dir"
done
echo "Exercise pages for the site written to $OUT"
