# shellcheck shell=bash
# What a phase file reads and sets among the globals of bootstrap.sh, found in its code, to check the file's
# header ("# Reads: ..." / "# Sets: ..."). Globals are the names that start with a capital letter; a name is set
# where a statement assigns it (NAME=..., also several on one line, or exec {NAME}>...) and read where it is
# expanded ($NAME, ${NAME...}). Comments are ignored; the shell's own variables are not globals of ours.

readonly SHELL_OWN_VARIABLES=' SECONDS PATH HOME IFS TMPDIR PWD EUID UID RANDOM LINENO BASH_SOURCE FUNCNAME PIPESTATUS BASH_REMATCH OPTARG OPTIND LC_ALL '

# The file without comment lines.
code_of() {
  grep -v '^[[:space:]]*#' "$1" || true
}

# Names given a value in the file: by statements that start with an assignment (every NAME= on such a line) and
# by {NAME}> redirections. Constants (readonly) are listed by constants_of instead.
assigned_names() {
  code_of "$1" | grep -E '^[[:space:]]*(export[[:space:]]+|declare[[:space:]]+-g[[:space:]]+)?[A-Z][A-Za-z0-9_]*=' |
    grep -oE '(^|[[:space:]])[A-Z][A-Za-z0-9_]*=' | tr -d ' \t='
  code_of "$1" | grep -oE '\{[A-Z][A-Za-z0-9_]*\}[<>]' | tr -d '{}<>'
}

constants_of() {
  code_of "$1" | grep -oE '^readonly[[:space:]]+[A-Z][A-Za-z0-9_]*' | awk '{ print $2 }'
}

expanded_names() {
  code_of "$1" | grep -oE '\$\{?#?[A-Z][A-Za-z0-9_]*' | sed -E 's/^\$\{?#?//'
}

# $1 without the names of $2.. (one word list each), sorted, unique, and without the shell's own variables.
names_without() {
  local list=$1 name
  shift
  for name in $list; do
    [[ $SHELL_OWN_VARIABLES == *" $name "* ]] && continue
    [[ " $* " == *" $name "* ]] && continue
    printf '%s\n' "$name"
  done | LC_ALL=C sort -u | paste -sd' ' -
}

phase_sets() {
  names_without "$(assigned_names "$1")" "$(constants_of "$1" | paste -sd' ' -)"
}

phase_reads() {
  names_without "$(expanded_names "$1")" "$(constants_of "$1" | paste -sd' ' -)"
}

# The text of a header field ("# Reads: ..."), with its continuation lines ("#   ...") joined.
header_text() {
  awk -v key="# $2:" '
    found && /^#   / { sub(/^#   /, ""); text = text " " $0; next }
    found { exit }
    index($0, key) == 1 { found = 1; text = substr($0, length(key) + 1) }
    END { if (!found) exit 1; sub(/^ +/, "", text); print text }' "$1"
}

# The distribution interface functions the file calls.
distro_calls() {
  code_of "$1" | grep -oE '\bdistro_[a-z0-9_]+' | LC_ALL=C sort -u | paste -sd' ' -
}
