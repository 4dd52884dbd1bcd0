#!/usr/bin/env bash
# Builds a bootable Funtoo or Gentoo disk image file on this machine, without AWS, and optionally boots it in QEMU
# as EC2 would boot the AMI. The image is written by bootstrap.sh itself, with the same phases, options and result
# line as an AMI build, onto a loop device over a sparse file. Run as root; see --help and README.md.
set -Eeuo pipefail

BOOTSTRAP_HOME=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
readonly BOOTSTRAP_HOME
export BOOTSTRAP_HOME
# shellcheck source=lib/local.sh
source "$BOOTSTRAP_HOME/lib/local.sh"

readonly DEFAULT_SIZE=10G
readonly MIN_SIZE_BYTES=$((1024 * 1024 * 1024))
# Room the work directory needs for the stage3 download (today's are 250-500 MiB) and its checksum files.
readonly STAGE3_ALLOWANCE_BYTES=$((1024 * 1024 * 1024))
readonly DEFAULT_SSH_PORT=2222
readonly DEFAULT_BOOT_HOSTNAME=ip-169-254-0-15.local

usage() {
  cat <<'EOF'
Usage: local-build.sh [--output FILE] [--size SIZE] [--boot] [bootstrap.sh options]
       local-build.sh --boot-only FILE [boot options]

Writes a bootable Funtoo or Gentoo disk image file with bootstrap.sh (the same phases, options and result line as
an AMI build) through a loop device, and leaves nothing mounted or attached, also when interrupted. Run as root.
The last line of a successful build is bootstrap.sh's
  AMI-BUILD-RESULT stage3_url=<url> stage3_sha256=<hex> kernel=<version> phases=<phase>:<seconds>,...

Image:
  --output FILE        The image file to write. Default: ./<distribution>-<arch>.img
  --size SIZE          Its size (sparse: only what is written takes space), e.g. 10G. Default: 10G, the AMI
                       default; at least 1G (a real Gentoo or Funtoo needs about 6G).
  --overwrite          Replace FILE if it exists (otherwise an existing FILE is refused).

bootstrap.sh options, passed on unchanged (bootstrap.sh --help explains each):
  --distribution, --stage3-url, --stage3-base-url, --release, --subarch, --stage3-sha256, --verify-signature,
  --hostname, --boot-mode, --extra-packages, --arch (must be this machine's), --workdir (default
  /var/tmp/funtoo-ami-builder: the stage3 is downloaded there).

Boot (x86_64), in QEMU with KVM when /dev/kvm is usable, else emulated (TCG, a few minutes to a login prompt):
  --boot               After the build, boot the image: serial console in this terminal (Ctrl-A X quits QEMU),
                       a fake IMDSv2 serving your SSH key and a host name, SSH on 127.0.0.1:PORT. The boot
                       writes to a temporary overlay (QEMU -snapshot): the image file stays as built.
  --boot-only FILE     Boot an image written earlier, without building.
  --ssh-key FILE       Public key root may log in with. Default: the first ~/.ssh/id_*.pub of the user who
                       ran sudo (or of root).
  --ssh-port PORT      Loopback port forwarded to the guest's SSH. Default: 2222.
  --boot-hostname NAME Host name the fake IMDS gives the instance. Default: ip-169-254-0-15.local.
  --firmware uefi|bios OVMF (q35) or SeaBIOS (pc). Default: uefi, or bios for --boot-mode legacy-bios.
  --accel kvm|tcg      QEMU's accelerator. Default: kvm when /dev/kvm is usable, else tcg (emulation).
  --help               Show this text.
EOF
}

log() { printf '%s\n' "$*" >&2; }
say() { log "==> local-build: $*"; }
# The reason is the last line of a failure, as in bootstrap.sh.
fail() {
  log "local-build failed: $*"
  exit 1
}

# The status a shell gives a command ended by a signal: 128 + its number (130 for INT, 143 for TERM).
signal_status() {
  echo $((128 + $(kill -l "$1")))
}
fail_usage() {
  log "local-build failed: $*"
  log "Run with --help for the list of options."
  exit 2
}

# --- options ----------------------------------------------------------------------------------------------------

parse_options() {
  OUTPUT='' SIZE='' OVERWRITE=no BOOT=no BOOT_ONLY='' SSH_KEY='' SSH_PORT='' BOOT_HOSTNAME='' FIRMWARE='' ACCEL=''
  DISTRIBUTION='' ARCH='' BOOT_MODE='' WORKDIR=''
  BOOTSTRAP_ARGS=()
  local name value
  while (($# > 0)); do
    case $1 in
      --help | -h)
        usage
        exit 0
        ;;
      --boot)
        BOOT=yes
        shift
        continue
        ;;
      --overwrite)
        OVERWRITE=yes
        shift
        continue
        ;;
      --*=*)
        name=${1%%=*}
        value=${1#*=}
        shift
        ;;
      --*)
        name=$1
        (($# >= 2)) || fail_usage "option $name needs a value"
        value=$2
        shift 2
        ;;
      *) fail_usage "unexpected argument '$1': local-build.sh takes named options only" ;;
    esac
    case $name in
      --output) OUTPUT=$value ;;
      --size) SIZE=$value ;;
      --boot-only) BOOT_ONLY=$value BOOT=yes ;;
      --ssh-key) SSH_KEY=$value ;;
      --ssh-port) SSH_PORT=$value ;;
      --boot-hostname) BOOT_HOSTNAME=$value ;;
      --firmware) FIRMWARE=$value ;;
      --accel) ACCEL=$value ;;
      --distribution | --arch | --boot-mode | --workdir | --stage3-url | --stage3-base-url | --release | --subarch | \
        --stage3-sha256 | --verify-signature | --hostname | --extra-packages)
        [[ $name != --boot-mode ]] || BOOT_MODE=$value
        BOOTSTRAP_ARGS+=("$name" "$value")
        ;;
      --volume-id | --device | --verify-only | --progress)
        fail_usage "$name is not for a local build: local-build.sh gives bootstrap.sh the loop device itself"
        ;;
      *) fail_usage "unknown option $name" ;;
    esac
  done
  if [[ -n $BOOT_ONLY ]]; then
    [[ -z $OUTPUT && ${#BOOTSTRAP_ARGS[@]} -eq 0 && -z $SIZE ]] ||
      fail_usage "--boot-only boots an existing image: it takes no build options (--output, --size, bootstrap.sh's)"
    [[ -f $BOOT_ONLY ]] || fail_usage "--boot-only $BOOT_ONLY: no such image file"
  fi
  SIZE=${SIZE:-$DEFAULT_SIZE}
  SSH_PORT=${SSH_PORT:-$DEFAULT_SSH_PORT}
  if [[ ! $SSH_PORT =~ ^[0-9]{1,5}$ ]] || ((SSH_PORT < 1 || SSH_PORT > 65535)); then
    fail_usage "--ssh-port '$SSH_PORT' is not a port number"
  fi
  BOOT_HOSTNAME=${BOOT_HOSTNAME:-$DEFAULT_BOOT_HOSTNAME}
  [[ $BOOT_HOSTNAME =~ ^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$ ]] ||
    fail_usage "--boot-hostname '$BOOT_HOSTNAME' is not a host name"
  if [[ -z $FIRMWARE ]]; then
    if [[ $BOOT_MODE == legacy-bios ]]; then FIRMWARE=bios; else FIRMWARE=uefi; fi
  fi
  [[ $FIRMWARE == uefi || $FIRMWARE == bios ]] || fail_usage "--firmware '$FIRMWARE' is not uefi or bios"
  [[ -z $ACCEL || $ACCEL == kvm || $ACCEL == tcg ]] || fail_usage "--accel '$ACCEL' is not kvm or tcg"
  [[ $FIRMWARE == uefi || $BOOT_MODE != uefi ]] || fail_usage "--firmware bios cannot boot an image built with --boot-mode uefi"
}

# --- checks a user meets first -------------------------------------------------------------------------------------

require_root() {
  ((EUID == 0)) || fail "run as root (e.g. sudo $0 ...): writing a disk image needs a loop device, mounts and chroot"
}

# Bytes of a size such as 10G or 512M (binary units).
size_bytes() {
  numfmt --from=iec -- "${1%B}" 2>/dev/null
}

# The existing directory a path is or would be created in.
existing_dir_of() {
  local path=$1
  until [[ -d $path ]]; do path=$(dirname -- "$path"); done
  printf '%s\n' "$path"
}

free_bytes() {
  df --output=avail -B1 -- "$1" | tail -n 1 | tr -d ' '
}

human() {
  numfmt --to=iec-i --suffix=B -- "$1"
}

# The image may grow to its full size, and the stage3 is downloaded into the work directory first; both are
# checked before anything is downloaded or written, on one filesystem or two.
check_space() {
  local image_dir work_dir image_fs work_fs image_free work_free
  image_dir=$(existing_dir_of "$(dirname -- "$OUTPUT")")
  work_dir=$(existing_dir_of "$WORKDIR")
  image_fs=$(stat -f -c %i -- "$image_dir")-$(stat -c %d -- "$image_dir")
  work_fs=$(stat -f -c %i -- "$work_dir")-$(stat -c %d -- "$work_dir")
  image_free=$(free_bytes "$image_dir")
  work_free=$(free_bytes "$work_dir")
  if [[ $image_fs == "$work_fs" ]]; then
    ((image_free >= SIZE_BYTES + STAGE3_ALLOWANCE_BYTES)) ||
      fail "not enough disk space in $image_dir: $(human "$image_free") free, the image ($(human "$SIZE_BYTES")) and the stage3 download ($(human "$STAGE3_ALLOWANCE_BYTES")) need $(human $((SIZE_BYTES + STAGE3_ALLOWANCE_BYTES))); free some space, choose a smaller --size or another --output / --workdir"
  else
    ((image_free >= SIZE_BYTES)) ||
      fail "not enough disk space in $image_dir for the image: $(human "$image_free") free, --size is $(human "$SIZE_BYTES"); free some space, choose a smaller --size or another --output"
    ((work_free >= STAGE3_ALLOWANCE_BYTES)) ||
      fail "not enough disk space in $work_dir for the stage3 download: $(human "$work_free") free, $(human "$STAGE3_ALLOWANCE_BYTES") needed; free some space or choose another --workdir"
  fi
}

# bootstrap.sh's own option rules (lib/options.sh), applied before anything is created, and its architecture rule:
# it builds for the machine it runs on. Its defaults (distribution, architecture, work directory) are taken from
# the same parse, not repeated here; the image's default name follows from them.
check_bootstrap_options() {
  local output settings
  if ! output=$(bash -s -- --device /dev/loop0 "${BOOTSTRAP_ARGS[@]}" 2>&1 <<'EOF'
set -eu
exec 3>&1 2>&1 >/dev/null
source "$BOOTSTRAP_HOME/lib/common.sh"
source "$BOOTSTRAP_HOME/lib/options.sh"
parse_options "$@"
[[ $ARCH == "$(helper_arch)" ]] ||
  die_usage "--arch $ARCH is not this machine's ($(helper_arch)): bootstrap.sh builds for the machine it runs on"
printf 'settings\n%s\n%s\n%s\n' "$DISTRIBUTION" "$ARCH" "$WORKDIR" >&3
EOF
  ); then
    output=$(head -n 1 <<<"$output")
    fail_usage "${output#ERROR: }"
  fi
  mapfile -t settings <<<"$(tail -n 4 <<<"$output")"
  [[ ${settings[0]:-} == settings ]] || fail "could not read bootstrap.sh's settings: $output"
  DISTRIBUTION=${settings[1]} ARCH=${settings[2]} WORKDIR=${settings[3]}
  OUTPUT=${OUTPUT:-$PWD/$DISTRIBUTION-$ARCH.img}
  [[ $OUTPUT == /* ]] || OUTPUT=$PWD/$OUTPUT
}

check_loop_devices() {
  losetup --find >/dev/null 2>&1 ||
    fail "no free loop device: load the loop module (modprobe loop); in a container, give it /dev/loop-control and /dev/loop* (e.g. docker run --privileged)"
}

check_image_target() {
  SIZE_BYTES=$(size_bytes "$SIZE") || fail_usage "--size '$SIZE' is not a size such as 10G or 8192M"
  ((SIZE_BYTES >= MIN_SIZE_BYTES)) || fail_usage "--size $SIZE is too small: at least 1G (a real stage3 needs about 6G)"
  if [[ -e $OUTPUT || -L $OUTPUT ]]; then
    [[ -f $OUTPUT && ! -L $OUTPUT ]] || fail "--output $OUTPUT exists and is not a regular file; refusing to touch it"
    [[ $OVERWRITE == yes ]] || fail "--output $OUTPUT exists; give --overwrite to replace it, or another --output"
  fi
  [[ -d $(dirname -- "$OUTPUT") ]] || fail "--output $OUTPUT: the directory $(dirname -- "$OUTPUT") does not exist"
}

# What --boot needs, checked before a build that may take an hour.
check_boot_tools() {
  [[ $(uname -m) == x86_64 ]] ||
    fail "--boot runs x86_64 images only (an arm64 image needs a Graviton-like machine: its console is ttyS0, which QEMU's arm64 machines lack)"
  [[ -z $ARCH || $ARCH == x86_64 ]] || fail "--boot runs x86_64 images only"
  local tool package fedora
  # tool:Debian package:Fedora package (ssh-keygen reads the key the fake metadata service hands out)
  for tool in qemu-system-x86_64:qemu-system-x86:qemu-system-x86-core socat:socat:socat python3:python3:python3 \
    ssh-keygen:openssh-client:openssh-clients; do
    IFS=: read -r tool package fedora <<<"$tool"
    command -v "$tool" >/dev/null ||
      fail "--boot needs $tool: install it (Debian/Ubuntu: apt-get install $package; Fedora: dnf install $fedora)"
  done
  if [[ $FIRMWARE == uefi ]] && ! ovmf_files >/dev/null; then
    fail "--boot with UEFI needs OVMF, the UEFI firmware for QEMU: install it (Debian/Ubuntu: apt-get install ovmf; Fedora: dnf install edk2-ovmf), or boot with --firmware bios"
  fi
  SSH_PUBLIC_KEY=$(find_ssh_key) || fail "no SSH public key for root's login: give --ssh-key FILE, or make one with ssh-keygen -t ed25519"
  port_is_free "$SSH_PORT" || fail "--ssh-port $SSH_PORT is in use on 127.0.0.1: choose another with --ssh-port"
}

# The invoking user's key: under sudo, that user's home, not root's.
find_ssh_key() {
  if [[ -n $SSH_KEY ]]; then
    if [[ ! -f $SSH_KEY ]] || ! ssh-keygen -l -f "$SSH_KEY" >/dev/null 2>&1; then
      log "--ssh-key $SSH_KEY is not a readable SSH public key"
      return 1
    fi
    printf '%s\n' "$SSH_KEY"
    return 0
  fi
  local home=$HOME key
  if [[ -n ${SUDO_USER:-} ]]; then
    home=$(getent passwd "$SUDO_USER" | cut -d: -f6)
  fi
  for key in "$home"/.ssh/id_*.pub; do
    if [[ -f $key ]]; then
      printf '%s\n' "$key"
      return 0
    fi
  done
  log "no ~/.ssh/id_*.pub in $home"
  return 1
}

port_is_free() {
  python3 -c 'import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)' "$1"
}

# --- cleanup ---------------------------------------------------------------------------------------------------

LOOP='' CHILD='' TEE_PID='' IMDS_PID='' REMOVE_OUTPUT=no RUN_DIR='' FINAL_LINE=''

# Everything this script attached, started or created, released on every exit path.
cleanup() {
  local status=$?
  trap - ERR INT TERM HUP
  set +e
  if [[ -n $CHILD ]] && kill -0 "$CHILD" 2>/dev/null; then
    kill -TERM -- "-$CHILD" 2>/dev/null
    wait "$CHILD" 2>/dev/null
  fi
  if [[ -n $IMDS_PID ]]; then kill "$IMDS_PID" 2>/dev/null; wait "$IMDS_PID" 2>/dev/null; fi
  if [[ -n $TEE_PID ]]; then wait "$TEE_PID" 2>/dev/null; fi
  if [[ -n $LOOP ]]; then
    partx --delete "$LOOP" 2>/dev/null
    losetup --detach "$LOOP" && say "detached $LOOP"
  fi
  if [[ $REMOVE_OUTPUT == yes ]]; then
    rm -f -- "$OUTPUT" && say "removed the unfinished image $OUTPUT"
  fi
  [[ -z $RUN_DIR ]] || rm -rf -- "$RUN_DIR"
  [[ -z $FINAL_LINE ]] || log "$FINAL_LINE"
  exit "$status"
}

# A signal ends the build: bootstrap.sh's process group is sent SIGTERM, bootstrap.sh undoes its mounts; then the
# loop device is detached and the unfinished image removed.
on_signal() {
  log "local-build: interrupted by SIG$1; stopping the build and cleaning up"
  # Before bootstrap.sh runs (or after it ended), there is nothing to wait for: the EXIT trap cleans up.
  if [[ -z $CHILD ]]; then
    FINAL_LINE="local-build failed: interrupted by SIG$1"
    exit "$(signal_status "$1")"
  fi
  kill -TERM -- "-$CHILD" 2>/dev/null || true
  INTERRUPTED=$1
}
INTERRUPTED=''

# Leftovers of a run killed with SIGKILL: loop devices still on the file.
detach_leftover_loops() {
  local loop
  for loop in $(losetup --noheadings --output NAME --associated "$OUTPUT" 2>/dev/null); do
    say "detaching $loop, left on $OUTPUT by an earlier run"
    partx --delete "$loop" 2>/dev/null || true
    losetup --detach "$loop"
  done
}

# --- build -----------------------------------------------------------------------------------------------------

build_image() {
  say "writing $OUTPUT ($(human "$SIZE_BYTES"), sparse) with bootstrap.sh"
  [[ $OVERWRITE == no ]] || detach_leftover_loops
  rm -f -- "$OUTPUT"
  REMOVE_OUTPUT=yes
  truncate -s "$SIZE_BYTES" -- "$OUTPUT"
  LOOP=$(losetup --find --show --partscan -- "$OUTPUT") || fail "could not attach $OUTPUT to a loop device"
  say "attached $OUTPUT to $LOOP"
  local result=$RUN_DIR/result errors=$RUN_DIR/stderr status=0
  # bootstrap.sh's stderr is shown as it comes and kept for the last line, through a tee that ignores signals, so
  # that the clean-up's messages still reach the screen when the whole process group is signalled.
  mkfifo -- "$RUN_DIR/stderr.fifo"
  (trap '' INT TERM HUP; exec tee -- "$errors" <"$RUN_DIR/stderr.fifo" >&2) &
  TEE_PID=$!
  # In a process group of its own (job control on for this one start), so that a signal reaches bootstrap.sh and
  # whatever it runs in the chroot at once, and the terminal's Ctrl-C reaches this script only.
  set -m
  "$BOOTSTRAP_HOME/bootstrap.sh" --device "$LOOP" --progress "${BOOTSTRAP_ARGS[@]}" </dev/null >"$result" \
    2>"$RUN_DIR/stderr.fifo" &
  CHILD=$!
  set +m
  until wait "$CHILD"; status=$?; ! kill -0 "$CHILD" 2>/dev/null; do :; done
  CHILD=''
  wait "$TEE_PID" 2>/dev/null || true
  TEE_PID=''
  partx --delete "$LOOP" 2>/dev/null || true
  losetup --detach "$LOOP"
  say "detached $LOOP"
  LOOP=''
  if [[ -n $INTERRUPTED ]] || ((status != 0)); then
    rm -f -- "$OUTPUT"
    REMOVE_OUTPUT=no
    say "removed the unfinished image $OUTPUT"
  fi
  if [[ -n $INTERRUPTED ]]; then
    log "local-build failed: interrupted by SIG$INTERRUPTED: nothing is left mounted or attached, and the unfinished image is removed"
    exit "$(signal_status "$INTERRUPTED")"
  fi
  if ((status != 0)); then
    fail "bootstrap.sh failed (status $status): $(tail -n 1 "$errors" | sed 's/^bootstrap failed in phase //;s/^/phase /')"
  fi
  REMOVE_OUTPUT=no
  if [[ -n ${SUDO_UID:-} && -n ${SUDO_GID:-} ]]; then
    chown "$SUDO_UID:$SUDO_GID" -- "$OUTPUT"
  fi
  say "image $OUTPUT: $(human "$SIZE_BYTES"), $(du --block-size=1M -- "$OUTPUT" | cut -f1) MiB on disk"
  cat -- "$result"
}

# --- boot ------------------------------------------------------------------------------------------------------

random_instance_id() {
  printf 'i-0%s\n' "$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
}

boot_image() {
  local image=$1 instance_id accel=tcg boot_dir=$RUN_DIR/boot
  local -a args
  instance_id=$(random_instance_id)
  mkdir -p -- "$boot_dir"
  start_fake_imds "$boot_dir/imds" "$instance_id" "$BOOT_HOSTNAME" "$SSH_PUBLIC_KEY" || fail "the fake IMDS did not start"
  qemu_boot_args args "$image" "$FIRMWARE" "$boot_dir" "$SSH_PORT" "$IMDS_PORT"
  local -a cpu=(-cpu qemu64)
  accel=${ACCEL:-tcg}
  if [[ -z $ACCEL && -r /dev/kvm && -w /dev/kvm ]]; then accel=kvm; fi
  # Under TCG a plain CPU model: far fewer modules for udev to load at boot, most of an emulated boot's time.
  [[ $accel != kvm ]] || cpu=(-cpu host)
  say "booting $image ($FIRMWARE firmware) as instance $instance_id, host name $BOOT_HOSTNAME, SSH key $SSH_PUBLIC_KEY"
  if [[ $accel == kvm ]]; then
    say "accelerator: KVM (if QEMU cannot use it, run again with --accel tcg)"
  else
    say "accelerator: TCG, emulated (no usable /dev/kvm, or --accel tcg): a few minutes to a login prompt"
  fi
  say "the serial console follows; log in with: ssh -p $SSH_PORT root@127.0.0.1   (Ctrl-A X quits QEMU; the image file is not changed)"
  # -snapshot: the guest's writes go to a temporary overlay, so every boot is a first boot of the image as built,
  # like a new instance of the AMI.
  # In the foreground: the console is this terminal's (raw: Ctrl-C goes to the guest), and QEMU ends with it.
  local status=0
  qemu-system-x86_64 -accel "$accel" "${cpu[@]}" -smp 2 -m 2048 -snapshot -serial mon:stdio "${args[@]}" ||
    status=$?
  ((status == 0)) || fail "QEMU exited with status $status"
  say "the guest powered off"
}

main() {
  parse_options "$@"
  require_root
  trap cleanup EXIT
  trap 'on_signal INT' INT
  trap 'on_signal TERM' TERM
  trap 'on_signal HUP' HUP
  [[ -n $BOOT_ONLY ]] || check_bootstrap_options
  if [[ $BOOT == yes ]]; then
    check_boot_tools
  fi
  RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/local-build.XXXXXX")
  if [[ -z $BOOT_ONLY ]]; then
    check_image_target
    check_loop_devices
    check_space
    build_image
  fi
  if [[ $BOOT == yes ]]; then
    boot_image "${BOOT_ONLY:-$OUTPUT}"
  fi
}

main "$@"
