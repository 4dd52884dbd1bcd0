#!/usr/bin/env bash
# First boot on EC2: a new machine-id, the SSH public key and the hostname from the instance metadata service
# (IMDSv2, so a session token first), once per instance id, then one marker line on the serial console, which the
# smoke test waits for. An instance started again from a snapshot of this one has a new id and runs it again.
#
# Environment, for tests only (the OpenRC service sets none of it):
#   IMDS_ENDPOINT                 metadata service, default http://169.254.169.254
#   FIRSTBOOT_ROOT                system to configure, default /; the running hostname changes only for /
#   FIRSTBOOT_CONSOLE             where the marker goes, default /dev/console (ttyS0, the last console=)
#   IMDS_ATTEMPTS, IMDS_RETRY_DELAY   retries of each request, default 10 attempts 3 seconds apart
set -euo pipefail

readonly ENDPOINT=${IMDS_ENDPOINT:-http://169.254.169.254}
readonly ROOT=${FIRSTBOOT_ROOT:-/}
readonly CONSOLE=${FIRSTBOOT_CONSOLE:-/dev/console}
readonly ATTEMPTS=${IMDS_ATTEMPTS:-10}
readonly RETRY_DELAY=${IMDS_RETRY_DELAY:-3}
readonly TOKEN_TTL_SECONDS=300
readonly STATE_FILE=$ROOT/var/lib/funtoo-ami-builder/first-boot-instance-id
readonly NOT_FOUND=44
TOKEN=''
BODY=''

log() {
  printf 'ami-firstboot: %s\n' "$*" >&2
}

marker() {
  printf 'funtoo-ami-builder: %s\n' "$*" >"$CONSOLE"
}

fail() {
  log "$*"
  marker "first-boot failed: $*" || true
  exit 1
}

# One metadata request, retried on transient failures; the answer goes to BODY. A 404 is an answer (status 44),
# a 401 means the token expired, so a new one is fetched before the next attempt. No command substitution
# around it, so that a renewed TOKEN outlives the call.
imds() {
  local method=$1 path=$2 attempt=1 code body
  body=$(mktemp)
  while true; do
    local -a header
    if [[ $method == PUT ]]; then
      header=(-H "X-aws-ec2-metadata-token-ttl-seconds: $TOKEN_TTL_SECONDS")
    else
      header=(-H "X-aws-ec2-metadata-token: $TOKEN")
    fi
    code=$(curl --silent --output "$body" --write-out '%{http_code}' --connect-timeout 2 --max-time 10 \
      --request "$method" "${header[@]}" "$ENDPOINT$path") || code=000
    case $code in
      200)
        BODY=$(<"$body")
        rm -f -- "$body"
        return 0
        ;;
      404)
        rm -f -- "$body"
        return "$NOT_FOUND"
        ;;
    esac
    if ((attempt >= ATTEMPTS)); then
      rm -f -- "$body"
      log "$method $path: HTTP $code after $attempt attempts"
      return 1
    fi
    if [[ $code == 401 && $method == GET ]] && imds PUT /latest/api/token; then
      TOKEN=$BODY
    fi
    attempt=$((attempt + 1))
    sleep "$RETRY_DELAY"
  done
}

install_ssh_key() {
  local key=$1 dir=$ROOT/root/.ssh
  [[ $key =~ ^(ssh-|ecdsa-|sk-) ]] || fail "the metadata service returned something that is not an SSH public key"
  install -d -m 0700 -- "$dir"
  (umask 077 && printf '%s\n' "$key" >"$dir/authorized_keys")
  log "installed the SSH key of the instance for root"
}

# A machine-id of its own for every instance: the image carries none (scrubbed before capture), and an instance
# launched from a snapshot of another must not keep that one's.
new_machine_id() {
  local uuid
  uuid=$(cat /proc/sys/kernel/random/uuid)
  mkdir -p -- "$ROOT/etc"
  printf '%s\n' "${uuid//-/}" >"$ROOT/etc/machine-id"
  log "new machine-id"
}

set_hostname() {
  local name=$1
  [[ $name =~ ^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$ ]] || fail "metadata hostname '$name' is not a hostname"
  mkdir -p -- "$ROOT/etc/conf.d"
  printf '%s\n' "$name" >"$ROOT/etc/hostname"
  printf 'hostname="%s"\n' "$name" >"$ROOT/etc/conf.d/hostname"
  if [[ $ROOT == / ]]; then
    printf '%s' "$name" >/proc/sys/kernel/hostname
  fi
  log "hostname is $name"
}

main() {
  imds PUT /latest/api/token || fail "no IMDSv2 session token from $ENDPOINT"
  TOKEN=$BODY
  local instance_id status=0
  imds GET /latest/meta-data/instance-id || fail "no instance id from the metadata service"
  instance_id=$BODY
  [[ $instance_id =~ ^i-[0-9a-f]+$ ]] || fail "metadata instance id '$instance_id' is not an instance id"
  if [[ -f $STATE_FILE && $(<"$STATE_FILE") == "$instance_id" ]]; then
    log "already done for $instance_id"
    return 0
  fi
  new_machine_id
  imds GET /latest/meta-data/public-keys/0/openssh-key || status=$?
  case $status in
    0) install_ssh_key "$BODY" ;;
    "$NOT_FOUND") log "the instance was launched without a key pair; no SSH key installed" ;;
    *) fail "could not read the SSH key from the metadata service" ;;
  esac
  imds GET /latest/meta-data/local-hostname || fail "no hostname from the metadata service"
  set_hostname "$BODY"
  mkdir -p -- "${STATE_FILE%/*}"
  printf '%s\n' "$instance_id" >"$STATE_FILE"
  marker "first-boot ok instance=$instance_id"
}

main "$@"
