#!/usr/bin/env python3
"""The site's exercise pages, in English and Korean, made from what the
student reads in the tree: each exercise's README and HINTS, and its
solution's README. Run by the docs build.

On a page: the task, the starter's code, the command that grades it, the
hints folded away one by one, and the solution with its analysis folded
behind a spoiler. In a solution's README, a line `<!-- include: FILE -->`
becomes the program output FILE that docs/record-outputs.py wrote, and a
line `<!-- figure: NAME CAPTION -->` the chart NAME.msc that
docs/record-figures.py drew from a real run.

Usage: docs/exercise-pages.py OUT_DIR      (writes OUT_DIR/en, OUT_DIR/ko)
Exit status: 0 done, 1 stages.json names a part no page is known for,
2 bad arguments.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from frontend.project import EXERCISES  # noqa: E402 (after the path is set)

# The course around the exercises of a part: they come right after the
# part's last page, and the next part (or the trace page, after the last
# part) comes right after its last exercise.
LAST_PAGE_OF_PART = {4: "part4", 5: "part5_stack"}
FIRST_PAGE_AFTER_PART = {4: "part5", 5: "trace"}
# What each page quotes from the code (markers //! [NAME] in main.cpp).
STARTER_SNIPPETS = {1: ["poetryMain"], 2: ["timeOut"], 3: ["timeout"], 4: ["connectionLost"]}
SOLUTION_SNIPPETS = {1: ["poetryMain"], 2: ["timeOut", "connectionLost"], 3: ["timeout"],
                     4: ["printStackHere", "clientConnectionLost"]}

WORDS = {
    "en": {"prev": "Previous", "next": "Next", "all": "All exercises", "starter": "The starter",
           "source": "This page is made from `{readme}`, `{hints}` and `{solution}`.",
           "check": "Check your work",
           "check_text": "`check` builds your program and runs the exercise's tests against real servers. "
                         "A failure says what ran, what was expected, what happened and where to look "
                         "(@ref troubleshooting_check \"what a failing check means\").",
           "hints": "Hints", "solution": "Solution and analysis",
           "show": "Show the solution (try the exercise first)", "code": "The solution's code",
           "whole": "The whole solution, with line numbers"},
    "ko": {"prev": "이전", "next": "다음", "all": "연습 문제 전체", "starter": "시작 코드",
           "source": "이 페이지는 `{readme}`, `{hints}`, `{solution}`에서 만들어집니다.",
           "check": "채점하기",
           "check_text": "`check`는 여러분의 프로그램을 빌드하고, 실제 서버를 띄워 연습 문제의 테스트를 "
                         "실행합니다. 실패하면 무엇을 실행했고, 무엇을 기대했고, 실제로 무슨 일이 일어났고, "
                         "어디를 보면 되는지 알려 줍니다(@ref troubleshooting_check \"채점에 실패했을 때\").",
           "hints": "힌트", "solution": "풀이와 분석", "show": "풀이 보기 (먼저 직접 풀어 보세요)",
           "code": "풀이 코드", "whole": "풀이 전체 (줄 번호 포함)"},
}


def body(n, path):
    """A README without its title line and its language link, its headings one
    level down (the page's own sections are level 2), a link to the
    solution's README turned into a link to the page's solution section, and
    the include and figure markers turned into Doxygen's commands."""
    lines = []
    for line in (ROOT / path).read_text(encoding="utf-8").splitlines()[1:]:
        if line in ("[English](README.md)", "[한국어](README.ko.md)"):
            continue
        line = re.sub(r"^## ", "### ", line)
        line = re.sub(r"\(\.\./\.\./solutions/[^)]*/README(\.ko)?\.md\)", f"(@ref exercise{n}_solution)", line)
        line = re.sub(r"^<!-- include: (\S*) -->$", r"\\verbinclude \1", line)
        line = re.sub(r"^<!-- figure: (\S*) (.*) -->$", r'\\mscfile \1.msc "\2"', line)
        lines.append(line)
    return lines


# The folds: <details> written through \htmlonly[block]. Written as plain
# HTML in Markdown, Doxygen 1.9 closes a <details> at the end of each
# paragraph, so that every paragraph becomes a fold of its own.
def open_fold(attributes, summary):
    return f"\\htmlonly[block]<details{attributes}><summary>{summary}</summary>\\endhtmlonly"


CLOSE_FOLD = "\\htmlonly[block]</details>\\endhtmlonly"


def hints(path):
    """The HINTS file with each "## Hint K" section folded on its own."""
    lines, folded = [], False
    for line in (ROOT / path).read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            if folded:
                lines += ["", CLOSE_FOLD, ""]
            lines += [open_fold("", line[3:]), ""]
            folded = True
        else:
            lines.append(line)
    return lines + (["", CLOSE_FOLD] if folded else [])


def neighbours(n):
    """The pages before and after exercise N in the course."""
    part = EXERCISES[n - 1].part
    before = EXERCISES[n - 2].part if n > 1 else None
    after = EXERCISES[n].part if n < len(EXERCISES) else None
    previous = f"exercise{n - 1}" if before == part else LAST_PAGE_OF_PART[part]
    following = f"exercise{n + 1}" if after == part else FIRST_PAGE_AFTER_PART[part]
    return previous, following


def page(lang, n, folder):
    """The lines of exercise N's page in LANG, from the exercise FOLDER."""
    solution_dir = f"solutions/{Path(folder).name}"
    suffix = "" if lang == "en" else ".ko"
    readme, hints_file = f"{folder}/README{suffix}.md", f"{folder}/HINTS{suffix}.md"
    solution = f"{solution_dir}/README{suffix}.md"
    if not (ROOT / solution).is_file():
        solution = f"{solution_dir}/README.md"
    words = WORDS[lang]
    title = (ROOT / readme).read_text(encoding="utf-8").splitlines()[0].removeprefix("# ").replace("`", "")
    previous, following = neighbours(n)
    nav = (f'<p class="pagenav">{words["prev"]}: @ref {previous} | {words["next"]}: @ref {following} | '
           f'{words["all"]}: @ref exercises</p>')
    lines = [f"# {title} {{#exercise{n}}}", "", nav, "", *body(n, readme), "",
             f"## {words['starter']} {{#exercise{n}_starter}}", ""]
    for name in STARTER_SNIPPETS[n]:
        lines += [f"\\snippet {folder}/main.cpp {name}", ""]
    lines += [f"## {words['check']} {{#exercise{n}_check}}", "", "```sh", f"./workbook check {n}", "```", "",
              words["check_text"], "", f"## {words['hints']} {{#exercise{n}_hints}}", "", *hints(hints_file), "",
              f"## {words['solution']} {{#exercise{n}_solution}}", "", open_fold(' class="spoiler"', words["show"]),
              "", *body(n, solution), "", f"### {words['code']}", ""]
    for name in SOLUTION_SNIPPETS[n]:
        lines += [f"\\snippet {solution_dir}/main.cpp {name}", ""]
    lines += [open_fold("", words["whole"]), "", f"\\includelineno listings/{solution_dir}/main.cpp", "",
              CLOSE_FOLD, "", CLOSE_FOLD, "", nav, "",
              "<small>" + words["source"].format(readme=readme, hints=hints_file, solution=solution) + "</small>"]
    return lines


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(f"usage: {argv[0]} OUT_DIR\n")
        return 2
    out = Path(argv[1])
    unknown = sorted({e.part for e in EXERCISES} - set(LAST_PAGE_OF_PART))
    if not EXERCISES or unknown:
        sys.stderr.write(f"exercise-pages: no pages known for part {unknown[0] if unknown else '(none)'}\n")
        return 1
    for lang in WORDS:
        (out / lang).mkdir(parents=True, exist_ok=True)
        for n, exercise in enumerate(EXERCISES, start=1):
            text = "\n".join(page(lang, n, f"exercises/{exercise.folder}")) + "\n"
            (out / lang / f"exercise{n}.md").write_text(text, encoding="utf-8")
    print(f"Exercise pages for the site written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
