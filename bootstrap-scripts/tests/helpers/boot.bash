# shellcheck shell=bash
# The boot test's pieces (boot.bats, tests/boot/README.md): stage3 stand-ins on a loopback mirror, bootstrap.sh
# writing a disk image through a loop device posing as an EBS volume (on a kernel without vfat, with helpers/no-vfat
# first on PATH, as boot.bats sets it), QEMU booting the image as an NVMe disk with a
# fake IMDSv2, and the checks on the serial log and on the disk after a clean shutdown. The QEMU machine and the
# fake IMDS are local-build.sh's (lib/local.sh), so the boot test boots images the way a user's --boot does.

# shellcheck source=../../lib/local.sh
source "$BOOTSTRAP_DIR/lib/local.sh"

BOOT_HOSTNAME=ip-10-9-8-7.ec2.internal
BOOT_INSTANCE_ID=i-0b007e57b007e5700
BOOT_DISK_SIZE=4G
# Serial-log lines that mean the boot is over and failed: no need to wait for the deadline.
BOOT_FAILURE_PATTERN='Kernel panic|Could not boot|emergency shell|Entering emergency mode|Gave up waiting|grub rescue>|ALERT!|first-boot failed'

# Writes a disk image with bootstrap.sh: a sparse file on a loop device with the by-id link of an EBS volume, the
# ESP mounted through fusefat (no vfat driver here), everything else as on the helper. Output goes to `log`.
write_image() {
  local image=$1 volume_id=$2 log=$3 loop status=0
  shift 3
  rm -f "$image"
  truncate -s "$BOOT_DISK_SIZE" "$image"
  loop=$(losetup --find --show "$image")
  mkdir -p "$BY_ID"
  ln -sfn "$loop" "$BY_ID/nvme-Amazon_Elastic_Block_Store_${volume_id/-/}"
  BOOTSTRAP_TEST_BY_ID_DIR=$BY_ID BOOTSTRAP_TEST_PINNED_KEYS=$PINNED \
    "$BOOTSTRAP_DIR/bootstrap.sh" --volume-id "$volume_id" --workdir "$WORK/$volume_id" "$@" >"$log" 2>&1 || status=$?
  partx --delete "$loop" 2>/dev/null || true
  losetup --detach "$loop"
  rm -f "$BY_ID/nvme-Amazon_Elastic_Block_Store_${volume_id/-/}"
  return "$status"
}

# Mounts partition `number` of an image file (read-only unless `rw`); prints the mount point. umount_image undoes it.
mount_image() {
  local image=$1 number=$2 mode=${3:-ro} loop dir
  loop=$(losetup --find --show "$image")
  partx --add "$loop"
  dir=$(mktemp -d "${BATS_FILE_TMPDIR:-/tmp}/mnt.XXXXXX")
  mount -o "$mode" "${loop}p$number" "$dir"
  printf '%s\n' "$dir"
}

umount_image() {
  local dir=$1 loop
  loop=$(findmnt --noheadings --output SOURCE "$dir")
  loop=${loop%p[0-9]*}
  umount "$dir"
  rmdir "$dir"
  partx --delete "$loop" 2>/dev/null || true
  losetup --detach "$loop"
}

# The fake IMDSv2 of local-build.sh --boot (lib/local.sh), for one boot.
start_imds() {
  start_fake_imds "$1" "$BOOT_INSTANCE_ID" "$BOOT_HOSTNAME" "$2"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Boots `image` under SeaBIOS (bios) or OVMF (uefi) until a login prompt on ttyS0 after the first-boot marker, a
# failure on the serial console, or `deadline` seconds; then logs in over SSH with the IMDS key and powers off.
# Results in `dir`: serial.log, ssh.log (what the session printed), ssh.err, status (booted | failed: <why>), seconds.
boot_image() {
  local image=$1 firmware=$2 dir=$3 deadline=$4 key=$5 ssh_port start qemu_pid elapsed=0
  mkdir -p "$dir"
  : >"$dir/serial.log"
  ssh_port=$(free_port)
  local -a boot_args
  qemu_boot_args boot_args "$image" "$firmware" "$dir" "$ssh_port" "$IMDS_PORT"
  start=$SECONDS
  # The machine, firmware, disk and network of local-build.sh --boot (lib/local.sh); here TCG, one plain vCPU and
  # the serial console in a file. A plain CPU model means far fewer modules for udev to load at boot, which is most
  # of the time a boot takes under TCG.
  qemu-system-x86_64 -accel tcg -cpu qemu64 -smp 1 -m 1024 -serial "file:$dir/serial.log" "${boot_args[@]}" \
    </dev/null >"$dir/qemu.log" 2>&1 &
  qemu_pid=$!
  echo "$qemu_pid" >"$dir/qemu.pid"
  local status=''
  while [[ -z $status ]]; do
    sleep 2
    elapsed=$((SECONDS - start))
    if grep -q "first-boot ok" "$dir/serial.log" && grep -aq "login:" "$dir/serial.log"; then
      status=booted
    elif grep -aEq "$BOOT_FAILURE_PATTERN" "$dir/serial.log"; then
      status="failed: $(grep -aEo "$BOOT_FAILURE_PATTERN" "$dir/serial.log" | head -n 1) on the serial console"
    elif ! kill -0 "$qemu_pid" 2>/dev/null; then
      status="failed: QEMU exited ($(tail -n 3 "$dir/qemu.log" | paste -sd' ' -))"
    elif ((elapsed > deadline)); then
      status="failed: no login prompt after the first-boot marker within ${deadline}s"
    fi
  done
  echo "$elapsed" >"$dir/seconds"
  if [[ $status == booted ]]; then
    if ! ssh -i "$key" -p "$ssh_port" -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o ConnectTimeout=60 \
      -o UserKnownHostsFile="$dir/known_hosts" root@127.0.0.1 'cat /etc/hostname; poweroff' >"$dir/ssh.log" 2>"$dir/ssh.err"; then
      status="failed: could not log in over SSH with the IMDS key ($(tail -n 1 "$dir/ssh.err"))"
    fi
  fi
  # A clean shutdown ends QEMU (ACPI power off); anything else is stopped.
  local waited=0
  while kill -0 "$qemu_pid" 2>/dev/null && ((waited++ < 90)); do sleep 1; done
  if kill -0 "$qemu_pid" 2>/dev/null; then
    kill "$qemu_pid" 2>/dev/null || true
    [[ $status != booted ]] || status="failed: no clean power off within 90s of 'poweroff'"
  fi
  wait "$qemu_pid" 2>/dev/null || true
  rm -f "$dir/qemu.pid"
  echo "$status" >"$dir/status"
}

serial_tail() {
  echo "--- last lines of $1/serial.log ---" >&2
  tail -n 40 "$1/serial.log" | tr -d '\r' >&2
}

# The files in an initramfs (zstd, xz, gzip or uncompressed cpio).
initramfs_listing() {
  local file=$1 tool
  local -a command
  for tool in "zstd -dc" "xz -dc" "gzip -dc" cat; do
    read -r -a command <<<"$tool"
    if "${command[@]}" <"$file" 2>/dev/null | cpio -t --quiet 2>/dev/null | grep -q .; then
      "${command[@]}" <"$file" | cpio -t --quiet 2>/dev/null
      return 0
    fi
  done
  echo "initramfs_listing: cannot read $file" >&2
  return 1
}
