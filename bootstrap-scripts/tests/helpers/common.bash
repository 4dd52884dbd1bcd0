# shellcheck shell=bash
# Shared by the bats files: paths, loading the bootstrap libraries, and a loopback HTTP server (busybox httpd).

BOOTSTRAP_DIR=$(cd -- "$BATS_TEST_DIRNAME/.." && pwd)
REPO_DIR=$(cd -- "$BOOTSTRAP_DIR/.." && pwd)
HELPERS_DIR=$BATS_TEST_DIRNAME/helpers
BOOTSTRAP_HOME=$BOOTSTRAP_DIR
export BOOTSTRAP_DIR REPO_DIR HELPERS_DIR BOOTSTRAP_HOME

# The function libraries of bootstrap.sh, for unit tests of their pure parts.
load_bootstrap_libs() {
  local lib
  for lib in common options disk verify render; do
    # shellcheck source=/dev/null
    source "$BOOTSTRAP_DIR/lib/$lib.sh"
  done
}

load_phase() {
  # shellcheck source=/dev/null
  source "$BOOTSTRAP_DIR/lib/phases/$1.sh"
}

load_distro() {
  # shellcheck source=/dev/null
  source "$BOOTSTRAP_DIR/distros/$1.sh"
}

# Serves a directory on a free loopback port with busybox httpd (which also runs CGIs under /cgi-bin).
# Sets HTTP_PORT and HTTP_PID; extra arguments are NAME=VALUE pairs for the server's (and its CGIs') environment.
start_http_server() {
  local dir=$1 attempt port pid
  shift
  for attempt in $(seq 1 20); do
    port=$((20000 + RANDOM % 40000))
    env "$@" busybox httpd -f -p "127.0.0.1:$port" -h "$dir" </dev/null >/dev/null 2>&1 3>&- &
    pid=$!
    sleep 0.2
    if kill -0 "$pid" 2>/dev/null && curl --silent --output /dev/null "http://127.0.0.1:$port/"; then
      HTTP_PORT=$port
      HTTP_PID=$pid
      export HTTP_PORT HTTP_PID
      return 0
    fi
    kill "$pid" 2>/dev/null || true
  done
  echo "could not start busybox httpd (tried $attempt ports)" >&2
  return 1
}

stop_http_server() {
  if [[ -n ${HTTP_PID:-} ]]; then
    kill "$HTTP_PID" 2>/dev/null || true
    wait "$HTTP_PID" 2>/dev/null || true
  fi
}

# A signing key in its own GNUPGHOME, made at test time; prints its fingerprint. Key generation starts a
# gpg-agent for that home: stop_gpg_agents ends it.
make_gpg_key() {
  local home=$1 name=$2
  install -d -m 0700 "$home"
  GNUPGHOME=$home gpg --batch --quiet --passphrase '' --quick-generate-key "$name <$name@example.invalid>" \
    ed25519 sign never 2>/dev/null
  GNUPGHOME=$home gpg --batch --with-colons --list-keys | awk -F: '$1 == "fpr" { print $10; exit }'
}

stop_gpg_agents() {
  local home
  for home in "$@"; do
    GNUPGHOME=$home gpgconf --kill gpg-agent 2>/dev/null || true
  done
}

# The regular expression of the result line's phases=... field: every phase file's name, in order, with seconds.
phase_timeline_pattern() {
  local file name pattern=''
  for file in "$BOOTSTRAP_DIR"/lib/phases/[0-9][0-9]-*.sh; do
    name=${file##*/}
    name=${name#[0-9][0-9]-}
    pattern+="${pattern:+,}${name%.sh}:[0-9]+"
  done
  printf '%s\n' "$pattern"
}
