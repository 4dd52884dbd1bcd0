#!/usr/bin/env bats
# local-build.sh, as root: a whole image written from disk.bats's fixture stage3 (seconds), and each error a user
# meets first, each reaching its real condition: not root (setpriv to nobody), no loop device (a mount namespace
# whose /dev has none), too little space (a small tmpfs), a stage3 that fails verification (a mirror whose tarball
# differs from its published checksum), QEMU and OVMF missing (a PATH without QEMU; a mount namespace hiding
# OVMF), and interruptions. That an image it writes boots, with --boot, is in boot.bats (it shares the Gentoo
# stand-in image there rather than building another).

load helpers/common
load helpers/fixture

bats_require_minimum_version 1.5.0

setup_file() {
  export WWW=$BATS_FILE_TMPDIR/www PINNED=$BATS_FILE_TMPDIR/pinned-keys.txt
  if ! grep -qw vfat /proc/filesystems && ! modprobe vfat 2>/dev/null; then
    export PATH=$HELPERS_DIR/no-vfat:$PATH
  fi
  local release_home=$BATS_FILE_TMPDIR/release-key fingerprint
  fingerprint=$(make_gpg_key "$release_home" release)
  build_stage3_tree "$BATS_FILE_TMPDIR/tree" gentoo
  pack_stage3 "$BATS_FILE_TMPDIR/tree" "$BATS_FILE_TMPDIR/gentoo.tar.xz"
  publish_gentoo "$WWW/good" "$BATS_FILE_TMPDIR/gentoo.tar.xz" "$release_home"
  # A mirror whose tarball is not the one its checksum and signature were made for.
  publish_gentoo "$WWW/corrupt" "$BATS_FILE_TMPDIR/gentoo.tar.xz" "$release_home"
  local tarball
  tarball=$(find "$WWW/corrupt" -name 'stage3-*.tar.xz')
  printf 'x' | dd of="$tarball" bs=1 seek=1000 conv=notrunc status=none
  mkdir -p "$WWW/keys"
  GNUPGHOME=$release_home gpg --batch --armor --export "$fingerprint" >"$WWW/keys/release.asc"
  stop_gpg_agents "$release_home"
  start_http_server "$WWW"
  printf '%s %s http://127.0.0.1:%s/keys/release.asc\n' gentoo "$fingerprint" "$HTTP_PORT" >"$PINNED"
  ssh-keygen -q -t ed25519 -N '' -C local-build-test -f "$BATS_FILE_TMPDIR/id_ed25519"
}

teardown_file() {
  stop_http_server
}

# Runs local-build.sh for a Gentoo image from `mirror` (good or corrupt) into the test's directory.
local_build() {
  local mirror=$1
  shift
  BOOTSTRAP_TEST_PINNED_KEYS=$PINNED "$BOOTSTRAP_DIR/local-build.sh" --distribution gentoo \
    --stage3-base-url "http://127.0.0.1:$HTTP_PORT/$mirror/gentoo/releases" --workdir "$BATS_TEST_TMPDIR/work" "$@"
}

# Nothing of a run may be left: no loop device on the image, no mount under the work directory.
assert_nothing_left() {
  local image=$1
  if [[ -e $image ]]; then
    [ -z "$(loops_on "$image")" ] || { echo "loop devices left on $image: $(loops_on "$image")"; return 1; }
  fi
  [ -z "$(mounts_under "$BATS_TEST_TMPDIR")" ] || { echo "left mounted: $(mounts_under "$BATS_TEST_TMPDIR")"; return 1; }
}

@test "writesAGentooImageWithTheResultLineOfAnAmiBuildAndLeavesNothingAttached" {
  local image=$BATS_TEST_TMPDIR/gentoo.img
  local stderr=$BATS_TEST_TMPDIR/stderr stdout=$BATS_TEST_TMPDIR/stdout
  local_build good --output "$image" --size 1G >"$stdout" 2>"$stderr" || { tail -n 30 "$stderr"; false; }
  # stdout is bootstrap.sh's result line alone, and it is the last line
  mapfile -t lines <"$stdout"
  [ "${#lines[@]}" -eq 1 ]
  [[ ${lines[0]} =~ ^AMI-BUILD-RESULT\ stage3_url=http://127.0.0.1:[0-9]+/good/gentoo/releases/amd64/autobuilds/.*\ kernel=$FIXTURE_KERNEL\ phases=$(phase_timeline_pattern)$ ]]
  # progress: curl's meter for the stage3, each phase with its duration
  grep -q '% Total' "$stderr"
  grep -q '==> extract: done in [0-9]*s' "$stderr"
  grep -q "==> find-disk: target disk is /dev/loop[0-9]* (--device)" "$stderr"
  assert_nothing_left "$image"
  [ "$(stat -c %s "$image")" -eq $((1024 * 1024 * 1024)) ]
  run sgdisk --print "$image"
  [ "$(awk '/^ +[0-9]+ / { print $7 }' <<<"$output" | paste -sd, -)" = ami-bios-boot,ami-esp,ami-root ]
}

@test "refusesAnExistingOutputUnlessOverwriteIsGiven" {
  local image=$BATS_TEST_TMPDIR/existing.img
  echo keep >"$image"
  run local_build good --output "$image" --size 1G
  [ "$status" -eq 1 ]
  [[ ${lines[-1]} == "local-build failed: --output $image exists; give --overwrite to replace it, or another --output" ]]
  [ "$(cat "$image")" = keep ]
}

@test "refusesToRunAsAnUnprivilegedUser" {
  run setpriv --reuid=nobody --regid=nogroup --clear-groups "$BOOTSTRAP_DIR/local-build.sh" --output /tmp/never.img
  [ "$status" -eq 1 ]
  [[ ${lines[-1]} == "local-build failed: run as root (e.g. sudo "*"/local-build.sh ...): writing a disk image needs a loop device, mounts and chroot" ]]
  [ ! -e /tmp/never.img ]
}

# A /dev without loop-control or loop devices, as in a container started without them.
@test "saysSoWhenThereIsNoLoopDevice" {
  local image=$BATS_TEST_TMPDIR/noloop.img
  touch "$BATS_TEST_TMPDIR/null"
  cat >"$BATS_TEST_TMPDIR/no-loop-dev" <<'EOF'
mount --bind /dev/null "$1/null"
mount -t tmpfs tmpfs /dev && touch /dev/null && mount --bind "$1/null" /dev/null
! compgen -G '/dev/loop*' >/dev/null || exit 99
shift
exec "$@"
EOF
  run unshare --mount --propagation private bash -e "$BATS_TEST_TMPDIR/no-loop-dev" "$BATS_TEST_TMPDIR" \
    env BOOTSTRAP_TEST_PINNED_KEYS="$PINNED" "$BOOTSTRAP_DIR/local-build.sh" --distribution gentoo --output "$image" --size 1G \
    --workdir "$BATS_TEST_TMPDIR/work"
  [ "$status" -eq 1 ]
  [[ ${lines[-1]} == "local-build failed: no free loop device: load the loop module (modprobe loop)"* ]]
  [ ! -e "$image" ]
}

@test "saysSoWhenTheImageAndTheStage3DoNotFit" {
  local small=$BATS_TEST_TMPDIR/small
  mkdir -p "$small"
  mount -t tmpfs -o size=64m tmpfs "$small"
  run local_build good --output "$small/gentoo.img" --size 1G --workdir "$small/work"
  umount "$small"
  [ "$status" -eq 1 ]
  [[ ${lines[-1]} =~ ^local-build\ failed:\ not\ enough\ disk\ space\ in\ $small:\ 6[0-9.]*MiB\ free,\ the\ image\ \(1.0GiB\)\ and\ the\ stage3\ download\ \(1.0GiB\)\ need\ 2.0GiB ]]
  # the stage3's room on its own filesystem
  mount -t tmpfs -o size=64m tmpfs "$small"
  run local_build good --output "$BATS_TEST_TMPDIR/gentoo.img" --size 1G --workdir "$small/work"
  umount "$small"
  [ "$status" -eq 1 ]
  [[ ${lines[-1]} =~ ^local-build\ failed:\ not\ enough\ disk\ space\ in\ $small\ for\ the\ stage3\ download ]]
  [ ! -e "$BATS_TEST_TMPDIR/gentoo.img" ]
}

@test "aStage3ThatFailsVerificationLeavesNoImage" {
  local image=$BATS_TEST_TMPDIR/corrupt.img
  run local_build corrupt --output "$image" --size 1G
  [ "$status" -eq 1 ]
  [[ ${lines[-1]} =~ ^local-build\ failed:\ bootstrap.sh\ failed\ \(status\ 1\):\ phase\ fetch-stage3:\ sha256\ mismatch\ for\ stage3-amd64-openrc-.*\.tar\.xz:\ published\ [0-9a-f]{64},\ downloaded\ [0-9a-f]{64}$ ]]
  grep -q "removed the unfinished image $image" <<<"$output"
  [ ! -e "$image" ]
  assert_nothing_left "$image"
}

# A directory of links to every command on the usual PATH but those whose names start with $1.
path_without() {
  local bin=$BATS_TEST_TMPDIR/bin dir tool
  mkdir -p "$bin"
  for dir in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
    for tool in "$dir"/*; do
      [[ ${tool##*/} == "$1"* || -e $bin/${tool##*/} ]] || ln -s "$tool" "$bin/${tool##*/}"
    done
  done
  echo "$bin"
}

@test "bootWithoutQemuSaysWhichPackageToInstallBeforeBuilding" {
  run env PATH="$(path_without qemu-system-)" "$BOOTSTRAP_DIR/local-build.sh" --output "$BATS_TEST_TMPDIR/never.img" \
    --boot --ssh-key "$BATS_FILE_TMPDIR/id_ed25519.pub"
  [ "$status" -eq 1 ]
  [[ ${lines[-1]} == "local-build failed: --boot needs qemu-system-x86_64: install it (Debian/Ubuntu: apt-get install qemu-system-x86;"* ]]
  [ ! -e "$BATS_TEST_TMPDIR/never.img" ]
}

@test "bootWithoutSshKeygenSaysWhichPackageToInstall" {
  run env PATH="$(path_without ssh-keygen)" "$BOOTSTRAP_DIR/local-build.sh" --output "$BATS_TEST_TMPDIR/never.img" \
    --boot --ssh-key "$BATS_FILE_TMPDIR/id_ed25519.pub"
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "local-build failed: --boot needs ssh-keygen: install it (Debian/Ubuntu: apt-get install openssh-client; Fedora: dnf install openssh-clients)" ]
  [ ! -e "$BATS_TEST_TMPDIR/never.img" ]
}

@test "bootWithoutOvmfSaysWhichPackageToInstall" {
  run unshare --mount --propagation private bash -c 'mount -t tmpfs tmpfs /usr/share/OVMF && exec "$@"' _ \
    "$BOOTSTRAP_DIR/local-build.sh" --boot-only "$BATS_FILE_TMPDIR/id_ed25519" --ssh-key "$BATS_FILE_TMPDIR/id_ed25519.pub"
  [ "$status" -eq 1 ]
  [[ ${lines[-1]} == "local-build failed: --boot with UEFI needs OVMF, the UEFI firmware for QEMU: install it (Debian/Ubuntu: apt-get install ovmf;"* ]]
}

# Starts a build that hangs in the chroot, waits until it is there, sends `signal` to `target` (group: the whole
# process group, as the terminal's Ctrl-C does; pid: local-build.sh alone, as `kill PID` does).
interrupt_build() {
  local signal=$1 target=$2 image=$BATS_TEST_TMPDIR/interrupted.img pidfile=$BATS_TEST_TMPDIR/pid waited=0
  # A background job of a script starts with SIGINT ignored, which bash cannot trap; a command started from a
  # terminal has it at its default, which python3 restores here before it execs local-build.sh.
  BOOTSTRAP_TEST_PINNED_KEYS=$PINNED "$HELPERS_DIR/in-new-session" "$pidfile" python3 -c \
    'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
    "$BOOTSTRAP_DIR/local-build.sh" \
    --distribution gentoo --stage3-base-url "http://127.0.0.1:$HTTP_PORT/good/gentoo/releases" \
    --workdir "$BATS_TEST_TMPDIR/work" --output "$image" --size 1G --extra-packages app-misc/fixture-takes-long \
    >"$BATS_TEST_TMPDIR/out" 2>&1 &
  local job=$!
  until grep -qs fixture-takes-long "$BATS_TEST_TMPDIR/work/root/var/lib/fixture/calls.log"; do
    ((waited++ < 300)) || { echo "the build never reached the slow package" >&2; cat "$BATS_TEST_TMPDIR/out"; return 1; }
    sleep 0.2
  done
  local started=$SECONDS
  if [[ $target == group ]]; then kill -"$signal" -- "-$(cat "$pidfile")"; else kill -"$signal" "$(cat "$pidfile")"; fi
  STATUS=0
  wait "$job" || STATUS=$?
  ELAPSED=$((SECONDS - started))
  [ "$STATUS" -eq $((128 + $(kill -l "$signal"))) ] || { echo "status $STATUS after SIG$signal"; return 1; }
  ((ELAPSED < 30)) || { echo "the build took ${ELAPSED}s to stop"; return 1; }
  [[ $(tail -n 1 "$BATS_TEST_TMPDIR/out") == "local-build failed: interrupted by SIG$signal: nothing is left mounted or attached, and the unfinished image is removed" ]] ||
    { tail -n 20 "$BATS_TEST_TMPDIR/out"; return 1; }
  [ ! -e "$image" ]
  assert_nothing_left "$image"
  [ -z "$(losetup --list --noheadings --output BACK-FILE | grep -F "$image" || true)" ]
}

@test "ctrlCOnTheTerminalStopsTheBuildAndLeavesNothing" {
  interrupt_build INT group
}

@test "sigtermToLocalBuildAloneStopsTheBuildInTheChrootAndLeavesNothing" {
  interrupt_build TERM pid
}

@test "optionsThatNameATargetDiskAreRefused" {
  run "$BOOTSTRAP_DIR/local-build.sh" --volume-id vol-0123456789abcdef0
  [ "$status" -eq 2 ]
  [[ ${lines[-2]} == "local-build failed: --volume-id is not for a local build: local-build.sh gives bootstrap.sh the loop device itself" ]]
  run "$BOOTSTRAP_DIR/local-build.sh" --size 512M --output "$BATS_TEST_TMPDIR/x.img"
  [ "$status" -eq 2 ]
  [[ ${lines[-2]} == "local-build failed: --size 512M is too small: at least 1G (a real stage3 needs about 6G)" ]]
}

@test "bootstrapOptionsAreCheckedByBootstrapsRulesBeforeAnythingIsCreated" {
  local image=$BATS_TEST_TMPDIR/never.img
  run local_build good --output "$image" --size 1G --extra-packages "app-misc/ok bad;atom"
  [ "$status" -eq 2 ]
  [[ ${lines[-2]} == "local-build failed: --extra-packages: 'bad;atom' is not a package atom" ]]
  run local_build good --output "$image" --size 1G --arch arm64
  [ "$status" -eq 2 ]
  [[ ${lines[-2]} == "local-build failed: --arch arm64 is not this machine's (x86_64): bootstrap.sh builds for the machine it runs on" ]]
  [ ! -e "$image" ]
  [ ! -e "$BATS_TEST_TMPDIR/work" ]
}
