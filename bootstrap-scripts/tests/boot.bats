#!/usr/bin/env bats
# The image boots. bootstrap.sh, unchanged, writes a disk from each stage3 stand-in (tests/boot/standin.sh: real
# Debian kernel, GRUB, OpenRC, dhcpcd, openssh and chrony, shaped like Funtoo's and Gentoo's stage3s), served over
# loopback HTTP like the real mirrors and verified with a key made here; the disk is grown by 1 GiB and booted in
# QEMU as an NVMe disk under SeaBIOS and OVMF, with a fake IMDSv2 (tests/boot/README.md). Two negative controls, a
# grub.cfg naming a device path and an image without an initramfs, must fail the same checks.
#
# Run alone: bats bootstrap-scripts/tests/boot.bats (as root; about 11 minutes on 2 cores with an empty cache, each
# boot 97-113 s to a login prompt; see tests/boot/README.md).

load helpers/common
load helpers/fixture
load helpers/boot

bats_require_minimum_version 1.5.0

EGO_DIR=$(cd -- "$REPO_DIR/.." && pwd)/shared/third-party/ego
BOOT_NAMES=(funtoo-bios funtoo-uefi gentoo-bios gentoo-uefi control-device-path control-no-initramfs gentoo-local)

# Writes both images, makes the controls, and starts every boot in the background, two at a time (one per core);
# each test waits for the boots it checks.
setup_file() {
  export WWW=$BATS_FILE_TMPDIR/www BY_ID=$BATS_FILE_TMPDIR/by-id WORK=$BATS_FILE_TMPDIR/work
  export PINNED=$BATS_FILE_TMPDIR/pinned-keys.txt BOOTS=$BATS_FILE_TMPDIR/boots KEY=$BATS_FILE_TMPDIR/id_ed25519
  mkdir -p "$BOOTS"
  local tool
  for tool in qemu-system-x86_64 mmdebstrap socat mcopy ssh python3; do
    command -v "$tool" >/dev/null || { echo "boot test: $tool is missing (see the README's test command)" >&2; return 1; }
  done
  [[ -f /usr/share/OVMF/OVMF_CODE_4M.fd ]] || { echo "boot test: OVMF is missing (Debian package ovmf)" >&2; return 1; }
  if ! grep -qw vfat /proc/filesystems && ! modprobe vfat 2>/dev/null; then
    export PATH=$HELPERS_DIR/no-vfat:$PATH
  fi

  local release_home=$BATS_FILE_TMPDIR/release-key fingerprint
  fingerprint=$(make_gpg_key "$release_home" release)
  "$BATS_TEST_DIRNAME/boot/standin.sh" gentoo "$BATS_FILE_TMPDIR/gentoo.tar.xz" >&3 2>&1
  publish_gentoo "$WWW" "$BATS_FILE_TMPDIR/gentoo.tar.xz" "$release_home"
  if [[ -f $EGO_DIR/ego ]]; then
    EGO_DIR=$EGO_DIR "$BATS_TEST_DIRNAME/boot/standin.sh" funtoo "$BATS_FILE_TMPDIR/funtoo.tar.xz" >&3 2>&1
    publish_funtoo "$WWW" next "$BATS_FILE_TMPDIR/funtoo.tar.xz" "$release_home"
  fi
  mkdir -p "$WWW/keys"
  GNUPGHOME=$release_home gpg --batch --armor --export "$fingerprint" >"$WWW/keys/release.asc"
  stop_gpg_agents "$release_home"
  start_http_server "$WWW"
  printf '%s %s http://127.0.0.1:%s/keys/release.asc\n' funtoo "$fingerprint" "$HTTP_PORT" gentoo "$fingerprint" \
    "$HTTP_PORT" >"$PINNED"
  ssh-keygen -q -t ed25519 -N '' -C boot-test -f "$KEY"

  # The Gentoo image is written by local-build.sh (which runs bootstrap.sh on a loop device it attaches), so the
  # same build is both the boot test's Gentoo image and the proof that a local build boots.
  BOOTSTRAP_TEST_PINNED_KEYS=$PINNED "$BOOTSTRAP_DIR/local-build.sh" --output "$BATS_FILE_TMPDIR/gentoo.img" \
    --size "$BOOT_DISK_SIZE" --workdir "$WORK/gentoo" --distribution gentoo \
    --stage3-base-url "http://127.0.0.1:$HTTP_PORT/gentoo/releases" >"$BATS_FILE_TMPDIR/gentoo.log" 2>&1 || true
  if [[ -f $BATS_FILE_TMPDIR/funtoo.tar.xz ]]; then
    write_image "$BATS_FILE_TMPDIR/funtoo.img" vol-0f000000000000001 "$BATS_FILE_TMPDIR/funtoo.log" \
      --distribution funtoo --stage3-base-url "http://127.0.0.1:$HTTP_PORT/funtoo" || true
  fi
  make_controls "$BATS_FILE_TMPDIR/gentoo.img"
  start_boots
}

# Only what is still running has a pid file; images a failed check left mounted are released.
teardown_file() {
  local pid dir
  for pid in "$BOOTS"/*.worker "$BOOTS"/*/qemu.pid; do
    if [[ -f $pid ]]; then kill "$(cat "$pid")" 2>/dev/null || true; fi
  done
  # local-build.sh runs QEMU in the foreground: its QEMU is stopped first.
  if [[ -f $BOOTS/gentoo-local/local-build.pid ]]; then
    pkill -TERM -P "$(cat "$BOOTS/gentoo-local/local-build.pid")" 2>/dev/null || true
  fi
  for dir in "$BATS_FILE_TMPDIR"/mnt.*; do
    if mountpoint -q "$dir"; then umount_image "$dir"; fi
  done
  for pid in "$BOOTS"/*.imds.pid; do
    if [[ -f $pid ]]; then kill "$(cat "$pid")" 2>/dev/null || true; fi
  done
  stop_http_server
}

# The controls start from the good Gentoo image: one gets the helper's device path as root, the other loses its
# initramfs (rd.retry only makes the first fail sooner; both would never boot).
make_controls() {
  local good=$1 dir uuid
  [[ -f $good ]] && grep -q '^AMI-BUILD-RESULT' "$BATS_FILE_TMPDIR/gentoo.log" || return 0
  cp --sparse=always "$good" "$BATS_FILE_TMPDIR/control-device-path.img"
  dir=$(mount_image "$BATS_FILE_TMPDIR/control-device-path.img" 3 rw)
  uuid=$(findmnt --noheadings --output UUID "$dir")
  sed -i "s|root=UUID=$uuid|root=/dev/nvme1n1p3 rd.retry=20|" "$dir/boot/grub/grub.cfg"
  umount_image "$dir"
  cp --sparse=always "$good" "$BATS_FILE_TMPDIR/control-no-initramfs.img"
  dir=$(mount_image "$BATS_FILE_TMPDIR/control-no-initramfs.img" 3 rw)
  rm -f "$dir"/boot/initramfs-*
  sed -i '/^[[:space:]]*initrd[[:space:]]/d' "$dir/boot/grub/grub.cfg"
  umount_image "$dir"
}

image_of() {
  case $1 in
    control-*) echo "$BATS_FILE_TMPDIR/$1.img" ;;
    *) echo "$BATS_FILE_TMPDIR/${1%-*}.img" ;;
  esac
}

# One boot: a grown copy of the image (so each boot starts from the disk bootstrap.sh wrote) and a metadata service
# of its own, as every EC2 instance has, then boot_image.
boot_one() {
  local name=$1 image deadline=900 firmware=${1##*-}
  image=$(image_of "$name")
  if [[ ! -f $image ]]; then
    mkdir -p "$BOOTS/$name"
    echo "failed: no image was written (see ${image%.img}.log)" >"$BOOTS/$name/status"
    return 0
  fi
  case $name in
    control-device-path) firmware=bios deadline=300 ;;
    control-no-initramfs) firmware=uefi deadline=300 ;;
  esac
  cp --sparse=always "$image" "$BOOTS/$name.img"
  truncate -s +1G "$BOOTS/$name.img"
  start_imds "$BOOTS/$name.imds" "$KEY.pub"
  echo "$IMDS_PID" >"$BOOTS/$name.imds.pid"
  boot_image "$BOOTS/$name.img" "$firmware" "$BOOTS/$name" "$deadline" "$KEY"
  kill "$IMDS_PID" 2>/dev/null || true
  rm -f "$BOOTS/$name.imds.pid"
}

# `local-build.sh --boot-only` on the Gentoo image, as a user boots it: the serial console on its stdout, the fake
# IMDS, SSH on a loopback port; logged into with the key it served, powered off; the image file must not change.
boot_local() {
  local dir=$BOOTS/gentoo-local image=$BATS_FILE_TMPDIR/gentoo.img ssh_port pid start status='' elapsed=0
  mkdir -p "$dir"
  if [[ ! -f $image ]]; then
    echo "failed: no image was written (see $BATS_FILE_TMPDIR/gentoo.log)" >"$dir/status"
    return 0
  fi
  sha256sum <"$image" >"$dir/sha256.before"
  ssh_port=$(free_port)
  start=$SECONDS
  "$BOOTSTRAP_DIR/local-build.sh" --boot-only "$image" --ssh-key "$KEY.pub" --ssh-port "$ssh_port" \
    --boot-hostname "$BOOT_HOSTNAME" --accel tcg </dev/null >"$dir/serial.log" 2>&1 &
  pid=$!
  echo "$pid" >"$dir/local-build.pid"
  while [[ -z $status ]]; do
    sleep 2
    elapsed=$((SECONDS - start))
    if grep -aq "first-boot ok" "$dir/serial.log" && grep -aq "login:" "$dir/serial.log"; then
      status=booted
    elif grep -aEq "$BOOT_FAILURE_PATTERN" "$dir/serial.log"; then
      status="failed: $(grep -aEo "$BOOT_FAILURE_PATTERN" "$dir/serial.log" | head -n 1) on the serial console"
    elif ! kill -0 "$pid" 2>/dev/null; then
      status="failed: local-build.sh exited ($(tail -n 1 "$dir/serial.log"))"
    elif ((elapsed > 900)); then
      status="failed: no login prompt after the first-boot marker within 900s"
    fi
  done
  echo "$elapsed" >"$dir/seconds"
  if [[ $status == booted ]] && ! ssh -i "$KEY" -p "$ssh_port" -o BatchMode=yes -o StrictHostKeyChecking=accept-new \
    -o ConnectTimeout=60 -o UserKnownHostsFile="$dir/known_hosts" root@127.0.0.1 'cat /etc/hostname; poweroff' \
    >"$dir/ssh.log" 2>"$dir/ssh.err"; then
    status="failed: could not log in over SSH with the IMDS key ($(tail -n 1 "$dir/ssh.err"))"
  fi
  local waited=0 exit_status=0
  while kill -0 "$pid" 2>/dev/null && ((waited++ < 90)); do sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then
    pkill -TERM -P "$pid" 2>/dev/null || true
    [[ $status != booted ]] || status="failed: local-build.sh did not end within 90s of 'poweroff'"
  fi
  wait "$pid" || exit_status=$?
  rm -f "$dir/local-build.pid"
  if [[ $status == booted ]] && ((exit_status != 0)); then
    status="failed: local-build.sh exited with status $exit_status after the power-off"
  fi
  sha256sum <"$image" >"$dir/sha256.after"
  echo "$status" >"$dir/status"
}

start_boots() {
  local worker
  for worker in 0 1; do
    (
      local index=0 name
      for name in "${BOOT_NAMES[@]}"; do
        if ((index++ % 2 == worker)); then
          if [[ $name == gentoo-local ]]; then boot_local; else boot_one "$name"; fi
        fi
      done
      rm -f "$BOOTS/$worker.worker"
    ) </dev/null >"$BOOTS/worker-$worker.log" 2>&1 3>&- &
    echo $! >"$BOOTS/$worker.worker"
  done
}

wait_for_boot() {
  local name=$1 waited=0
  until [[ -f $BOOTS/$name/status ]]; do
    ((waited++ < 1800)) || { echo "$name: no result after 30 minutes" >&2; return 1; }
    sleep 1
  done
}

# Everything a booted image must show, from the serial log and from its disk after the clean shutdown.
assert_booted() {
  local name=$1 distribution=$2 dir=$BOOTS/$1 status root stage3=$BATS_FILE_TMPDIR/$2.tar.xz
  wait_for_boot "$name"
  status=$(cat "$dir/status")
  if [[ $status != booted ]]; then
    echo "$name: $status" >&2
    serial_tail "$dir"
    return 1
  fi
  local serial=$dir/serial.log failed=''
  grep -aq "GNU GRUB" "$serial" || failed+=" no GRUB menu on the serial console;"
  grep -aq "funtoo-ami-builder: first-boot ok instance=$BOOT_INSTANCE_ID" "$serial" || failed+=" no first-boot marker;"
  [[ $(grep -an "first-boot ok" "$serial" | head -n 1 | cut -d: -f1) -lt $(grep -an "login:" "$serial" | tail -n 1 | cut -d: -f1) ]] ||
    failed+=" no login prompt on ttyS0 after the marker;"
  [[ $(head -n 1 "$dir/ssh.log") == "$BOOT_HOSTNAME" ]] || failed+=" the SSH session saw another host name;"
  root=$(mount_image "$BOOTS/$name.img" 3)
  cmp -s "$KEY.pub" "$root/root/.ssh/authorized_keys" || failed+=" root's authorized_keys is not the IMDS key;"
  [[ $(cat "$root/etc/hostname") == "$BOOT_HOSTNAME" ]] || failed+=" /etc/hostname is not the IMDS host name;"
  [[ -n $(compgen -G "$root/var/lib/dhcpcd/*.lease") ]] || failed+=" no DHCP lease;"
  local machine_id host_key
  machine_id=$(cat "$root/etc/machine-id" 2>/dev/null) || true
  [[ $machine_id =~ ^[0-9a-f]{32}$ && $machine_id != "$(tar -xOf "$stage3" ./etc/machine-id)" ]] ||
    failed+=" machine-id '$machine_id' was not made at first boot;"
  host_key=$(cut -d' ' -f1,2 "$root/etc/ssh/ssh_host_ed25519_key.pub" 2>/dev/null) || true
  [[ -n $host_key && $host_key != "$(tar -xOf "$stage3" ./etc/ssh/ssh_host_ed25519_key.pub | cut -d' ' -f1,2)" ]] ||
    failed+=" the SSH host key is missing or came from the build;"
  grep -qF "$host_key" "$dir/known_hosts" || failed+=" SSH did not see the image's own host key;"
  umount_image "$root"
  local disk_sectors last_sector fs_bytes part_bytes
  disk_sectors=$(($(stat -c %s "$BOOTS/$name.img") / 512))
  last_sector=$(sgdisk --info=3 "$BOOTS/$name.img" | awk '/^Last sector:/ { print $3 }')
  ((last_sector == disk_sectors - 34)) || failed+=" the root partition ends at sector $last_sector of $disk_sectors;"
  part_bytes=$(((last_sector - $(sgdisk --info=3 "$BOOTS/$name.img" | awk '/^First sector:/ { print $3 }') + 1) * 512))
  fs_bytes=$(image_fs_bytes "$BOOTS/$name.img" 3)
  ((part_bytes - fs_bytes < 4 * 1024 * 1024)) || failed+=" the root filesystem ($fs_bytes bytes) does not fill its partition ($part_bytes);"
  if [[ -n $failed ]]; then
    echo "$name:$failed" >&2
    serial_tail "$dir"
    return 1
  fi
  echo "$name booted to a login prompt in $(cat "$dir/seconds")s" >&3
}

image_fs_bytes() {
  local loop count size
  loop=$(losetup --find --show --read-only "$1")
  partx --add "$loop"
  read -r count size < <(dumpe2fs -h "${loop}p$2" 2>/dev/null |
    awk -F: '/^Block count:/ { c = $2 } /^Block size:/ { s = $2 } END { print c + 0, s + 0 }')
  partx --delete "$loop"
  losetup --detach "$loop"
  echo $((count * size))
}

require_funtoo() {
  if [[ ! -f $EGO_DIR/ego ]]; then
    echo "the Funtoo boot did not run: Funtoo's ego is not at $EGO_DIR (../shared/third-party/ego beside the repository)" >&2
    return 1
  fi
}

@test "fakeImdsRefusesAGetWithoutATokenAsImdsV2Does" {
  start_imds "$BATS_TEST_TMPDIR/imds" "$KEY.pub"
  run curl --silent --output /dev/null --write-out '%{http_code}' "http://127.0.0.1:$IMDS_PORT/latest/meta-data/instance-id"
  [ "$output" = 401 ]
  local token
  token=$(curl --silent -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "http://127.0.0.1:$IMDS_PORT/latest/api/token")
  run curl --silent -H "X-aws-ec2-metadata-token: $token" "http://127.0.0.1:$IMDS_PORT/latest/meta-data/instance-id"
  [ "$output" = "$BOOT_INSTANCE_ID" ]
  kill "$IMDS_PID"
}

# What bootstrap.sh wrote, before any boot: the defects the boot would show late are visible here early.
@test "funtooImageIsWrittenKeepingTheStage3KernelAndRebuildingGrubForEfi" {
  require_funtoo
  run cat "$BATS_FILE_TMPDIR/funtoo.log"
  [[ ${lines[-1]} =~ ^AMI-BUILD-RESULT\ .*\ phases=$(phase_timeline_pattern)$ ]] || { printf '%s\n' "${lines[@]: -20}"; false; }
  run ! grep -q "Emerging .*sys-kernel/debian-sources" "$BATS_FILE_TMPDIR/funtoo.log"
  grep -q "the stage3's GRUB lacks x86_64-efi" "$BATS_FILE_TMPDIR/funtoo.log"
  grep -q 'Emerging \[ebuild\] sys-boot/grub-.* USE="grub_platforms_efi-64 grub_platforms_pc"' "$BATS_FILE_TMPDIR/funtoo.log"
}

@test "gentooImageIsWrittenFromBinaryPackagesOnly" {
  run cat "$BATS_FILE_TMPDIR/gentoo.log"
  [[ ${lines[-1]} =~ ^AMI-BUILD-RESULT\ .*\ phases=$(phase_timeline_pattern)$ ]] || { printf '%s\n' "${lines[@]: -20}"; false; }
  grep -q 'Emerging \[binary\] sys-kernel/gentoo-kernel-bin' "$BATS_FILE_TMPDIR/gentoo.log"
  run ! grep -q 'Emerging \[ebuild\]' "$BATS_FILE_TMPDIR/gentoo.log"
}

@test "writtenImagesCarryNoHostKeysMachineIdOrKeysOfTheBuild" {
  local distribution root
  for distribution in gentoo funtoo; do
    [[ $distribution == gentoo ]] || require_funtoo
    root=$(mount_image "$BATS_FILE_TMPDIR/$distribution.img" 3)
    local left
    left=$(cd "$root" && ls -d etc/ssh/ssh_host_* etc/machine-id root/.ssh/authorized_keys 2>/dev/null || true)
    umount_image "$root"
    [ -z "$left" ] || { echo "$distribution image carries: $left"; return 1; }
  done
}

@test "everyInitramfsCanReachRootOnNvmeAndXen" {
  local distribution root listing
  for distribution in gentoo funtoo; do
    [[ $distribution == gentoo ]] || require_funtoo
    root=$(mount_image "$BATS_FILE_TMPDIR/$distribution.img" 3)
    listing=$(initramfs_listing "$root"/boot/initramfs-*)
    umount_image "$root"
    grep -q '/nvme\.ko' <<<"$listing" || { echo "$distribution: no nvme in the initramfs"; return 1; }
    grep -q '/xen-blkfront\.ko' <<<"$listing" || { echo "$distribution: no xen-blkfront in the initramfs"; return 1; }
  done
  # The Funtoo stand-in's own initramfs lacks it, as the real stage3's does: the rebuild is what adds it.
  tar -xOf "$BATS_FILE_TMPDIR/funtoo.tar.xz" --wildcards './boot/initramfs-debian-sources-*' >"$BATS_TEST_TMPDIR/stage3.img"
  run ! grep -q '/xen-blkfront\.ko' <<<"$(initramfs_listing "$BATS_TEST_TMPDIR/stage3.img")"
}

@test "funtooBootsUnderSeaBios" {
  require_funtoo
  assert_booted funtoo-bios funtoo
}

@test "funtooBootsUnderOvmf" {
  require_funtoo
  assert_booted funtoo-uefi funtoo
}

@test "gentooBootsUnderSeaBios" {
  assert_booted gentoo-bios gentoo
}

@test "gentooBootsUnderOvmf" {
  assert_booted gentoo-uefi gentoo
}

@test "controlWithTheHelpersDevicePathInGrubCfgFailsTheBootChecks" {
  run assert_booted control-device-path gentoo
  [ "$status" -ne 0 ]
  grep -aq "root=/dev/nvme1n1p3" "$BOOTS/control-device-path/serial.log"
  [[ $(cat "$BOOTS/control-device-path/status") == failed:* ]]
}

@test "controlWithoutAnInitramfsFailsTheBootChecks" {
  run assert_booted control-no-initramfs gentoo
  [ "$status" -ne 0 ]
  [[ $(cat "$BOOTS/control-no-initramfs/status") == "failed: Kernel panic on the serial console" ]]
}

@test "gentooImageWrittenByLocalBuildBootsWithItsBootOnlyOption" {
  wait_for_boot gentoo-local
  local dir=$BOOTS/gentoo-local instance
  [[ $(cat "$dir/status") == booted ]] || { cat "$dir/status"; serial_tail "$dir"; return 1; }
  # the instance id it announced is the one first boot acted on, then a login prompt on the console
  instance=$(grep -ao 'as instance i-0[0-9a-f]\{16\}' "$dir/serial.log" | head -n 1 | cut -d' ' -f3)
  [ -n "$instance" ]
  grep -aq "funtoo-ami-builder: first-boot ok instance=$instance" "$dir/serial.log"
  grep -aq "GNU GRUB" "$dir/serial.log"
  [[ $(head -n 1 "$dir/ssh.log") == "$BOOT_HOSTNAME" ]]
  grep -aq "accelerator: TCG" "$dir/serial.log"
  # -snapshot: the boot wrote to an overlay, the image is still the one built
  cmp "$dir/sha256.before" "$dir/sha256.after"
  echo "gentoo-local booted to a login prompt in $(cat "$dir/seconds")s" >&3
}
