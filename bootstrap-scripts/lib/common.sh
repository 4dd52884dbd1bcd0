# shellcheck shell=bash
# Logging, failure reporting, the undo stack and small helpers shared by every phase.
#
# Log lines go to stderr so that functions can return values on stdout; the SSM document merges both streams.

# The first reason recorded wins: it is the innermost cause, the one the operator needs on the last line.
# It lives in a file because `die` may run in a subshell (command substitution) whose variables are lost.
REASON_FILE=${REASON_FILE:-}

log() {
  printf '%s\n' "$*" >&2
}

phase_log() {
  log "==> ${CURRENT_PHASE:-bootstrap}: $*"
}

warn() {
  log "WARNING: $*"
}

record_failure() {
  if [[ -n $REASON_FILE && ! -s $REASON_FILE ]]; then
    printf '%s\n' "$*" >"$REASON_FILE"
  fi
}

die() {
  record_failure "$*"
  log "ERROR: $*"
  exit 1
}

die_usage() {
  record_failure "$*"
  log "ERROR: $*"
  log "Run with --help for the list of options."
  exit 2
}

# --- undo stack -----------------------------------------------------------------------------------------------
# Every external side effect (mount, bind, loop device, temporary directory) pushes the command that undoes it.
# Entries are a function name and its arguments joined by the unit separator, so no entry is ever eval'd.
UNDO_STACK=()
readonly UNDO_SEPARATOR=$'\x1f'

push_undo() {
  local IFS=$UNDO_SEPARATOR
  UNDO_STACK+=("$*")
}

# Runs the undo entries newest first; a failing entry is reported and the rest still run.
undo_all() {
  local entry
  local -a command
  while ((${#UNDO_STACK[@]} > 0)); do
    entry=${UNDO_STACK[-1]}
    unset 'UNDO_STACK[-1]'
    IFS=$UNDO_SEPARATOR read -r -a command <<<"$entry"
    if ! "${command[@]}"; then
      warn "undo step failed: ${command[*]}"
    fi
  done
}

# Unmounts a mount point and everything below it; falls back to a lazy unmount only so the helper stays usable.
# With "strict" it never detaches lazily and fails instead: a lazily detached filesystem may still be written to,
# so it must not be checked or captured.
unmount_tree() {
  local target=$1 mode=${2:-} attempt
  for attempt in 1 2 3; do
    if ! mountpoint -q "$target"; then
      return 0
    fi
    if umount -R "$target" 2>/dev/null; then
      log "    unmounted $target"
      return 0
    fi
    sleep "$attempt"
  done
  if [[ $mode == strict ]]; then
    warn "$target is still busy after 3 attempts"
    return 1
  fi
  warn "$target is busy; detaching it lazily"
  umount -R -l "$target"
}

remove_path() {
  rm -rf -- "$1"
}

# --- helpers --------------------------------------------------------------------------------------------------

readonly FETCH_RETRIES=5
readonly FETCH_CONNECT_TIMEOUT=20

# Downloads url to dest with retries and a size/time bound (by default that of a small file: a checksum listing,
# a signature, a key); a partial file never takes the final name. Production URLs are https (the input validator and
# the SSM document's patterns insist); plain http is accepted for the test rig's loopback server only, and a redirect
# is followed to https only, never downgraded. With `progress`, curl's meter (size, rate, time left) goes to stderr.
fetch() {
  local url=$1 dest=$2 max_seconds=${3:-300} max_bytes=${4:-16777216} progress=${5:-}
  local -a quiet=(--silent)
  log "    fetching $url"
  [[ $progress != progress ]] || quiet=()
  if ! curl --fail --location "${quiet[@]}" --show-error --proto '=https,http' --proto-redir '=https' \
    --retry "$FETCH_RETRIES" --retry-delay 3 --retry-connrefused \
    --connect-timeout "$FETCH_CONNECT_TIMEOUT" --max-time "$max_seconds" --max-filesize "$max_bytes" \
    --output "$dest.part" "$url"; then
    rm -f -- "$dest.part"
    die "download failed: $url"
  fi
  mv -- "$dest.part" "$dest"
}

# Runs a command inside the target root with a clean environment, so nothing from the helper leaks in; a
# failure names the command.
in_chroot() {
  local root=$1
  shift
  chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@" ||
    die "'$*' failed in the chroot (status $?)"
}

# Installs packages in the target unless they are present already.
emerge_in_chroot() {
  local root=$1
  shift
  log "    emerge $*"
  in_chroot "$root" emerge --noreplace --quiet-build=y --color=n "$@"
}

# Rewrites a file in place through a filter reading stdin, keeping its owner and mode.
rewrite_file() {
  local file=$1
  shift
  "$@" <"$file" >"$file.new"
  cat -- "$file.new" >"$file"
  rm -f -- "$file.new"
}

sha256_of() {
  local output
  output=$(sha256sum -- "$1")
  printf '%s\n' "${output%% *}"
}
