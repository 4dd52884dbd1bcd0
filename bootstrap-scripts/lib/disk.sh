# shellcheck shell=bash
# The target disk: finding it by EBS volume id, the partition layout, and reaching partition device nodes.
#
# Test seams (environment variables, used by tests/disk.bats only; bootstrap.sh warns when one is set):
#   BOOTSTRAP_TEST_BY_ID_DIR             directory searched instead of /dev/disk/by-id
#   BOOTSTRAP_TEST_PARTITION_RESOLVER    executable called as `resolve DISK N` (prints the node of partition N)
#                                        and `release DISK` (undoes what resolve created), instead of waiting
#                                        for the kernel's ${disk}pN / ${disk}N nodes

readonly BY_ID_DIR=${BOOTSTRAP_TEST_BY_ID_DIR:-/dev/disk/by-id}
readonly PARTITION_RESOLVER=${BOOTSTRAP_TEST_PARTITION_RESOLVER:-}
readonly DISK_WAIT_SECONDS=60
readonly PARTITION_WAIT_SECONDS=30

readonly ESP_SIZE=256M

# NVMe serial of an EBS volume: the volume id without its dash (vol-0abc -> vol0abc); both spellings accepted.
ebs_serial() {
  local hex=${1#vol}
  printf 'vol%s\n' "${hex#-}"
}

by_id_link_name() {
  printf 'nvme-Amazon_Elastic_Block_Store_%s\n' "$(ebs_serial "$1")"
}

# Waits for the udev by-id link of the volume (it appears shortly after the attachment) and prints the device.
find_disk_by_volume_id() {
  local volume_id=$1 wait_seconds=${2:-$DISK_WAIT_SECONDS} link waited=0
  link=$BY_ID_DIR/$(by_id_link_name "$volume_id")
  until [[ -e $link ]]; do
    ((waited < wait_seconds)) || die "no disk with EBS volume id $volume_id (looked for $link for ${wait_seconds}s)"
    sleep 1
    waited=$((waited + 1))
  done
  local device
  device=$(readlink -f -- "$link")
  [[ -b $device ]] || die "$link points to $device, which is not a block device"
  printf '%s\n' "$device"
}

# Kernel naming: a disk whose name ends in a digit gets a "p" before the partition number
# (/dev/nvme1n1p2, /dev/loop0p2), any other gets the number appended (/dev/xvdf2, /dev/sda2).
partition_node_name() {
  local disk=$1 number=$2
  if [[ $disk =~ [0-9]$ ]]; then
    printf '%sp%s\n' "$disk" "$number"
  else
    printf '%s%s\n' "$disk" "$number"
  fi
}

# The GPT layout, one partition per line: number, type code, size (0 = the rest), GPT name, role.
# Root comes last so first boot can grow it into the rest of the volume.
partition_plan() {
  local arch=$1
  local number=1
  if [[ $arch == x86_64 ]]; then
    printf '%s\n' "$number ef02 1M ami-bios-boot bios"
    number=$((number + 1))
  fi
  printf '%s\n' "$number ef00 $ESP_SIZE ami-esp esp"
  number=$((number + 1))
  printf '%s\n' "$number 8300 0 ami-root root"
}

partition_number_of_role() {
  local arch=$1 role=$2 number type size name plan_role
  while read -r number type size name plan_role; do
    if [[ $plan_role == "$role" ]]; then
      printf '%s\n' "$number"
      return 0
    fi
  done < <(partition_plan "$arch")
  return 1
}

# sgdisk arguments that create the plan on an empty table.
sgdisk_create_args() {
  local arch=$1 number type size name role
  while read -r number type size name role; do
    if [[ $size == 0 ]]; then
      printf '%s\n' "--new=$number:0:0"
    else
      printf '%s\n' "--new=$number:0:+$size"
    fi
    printf '%s\n' "--typecode=$number:$type" "--change-name=$number:$name"
  done < <(partition_plan "$arch")
}

# GPT partition names on the disk, one per line, in partition order (empty when there is no table).
gpt_partition_names() {
  local disk=$1
  sgdisk --print "$disk" 2>/dev/null | awk '
    started && $1 ~ /^[0-9]+$/ { print $7 }
    /^Number +Start/ { started = 1 }'
}

# What is on the disk: "blank", "leftover" (exactly the layout of this tool, left by a failed run: safe to
# redo, because the volume was attached for this build) or "foreign: <signatures>" (anything else: refused).
classify_disk() {
  local disk=$1 arch=$2 signatures
  signatures=$(wipefs --no-act --noheadings --output TYPE "$disk" | LC_ALL=C sort -u | paste -sd, -)
  if [[ -z $signatures ]]; then
    echo blank
    return 0
  fi
  local expected found
  expected=$(partition_plan "$arch" | awk '{ print $4 }')
  found=$(gpt_partition_names "$disk")
  if [[ $signatures == "PMBR,gpt" && $found == "$expected" ]]; then
    echo leftover
  else
    echo "foreign: signatures $signatures${found:+, partitions $(paste -sd, - <<<"$found")}"
  fi
}

# Mount points of the disk and of its partitions the kernel knows about.
mounts_of_disk() {
  lsblk --noheadings --raw --paths --output MOUNTPOINT "$1" | sed '/^$/d'
}

# Prints the device node of partition `number` once it exists. In production the kernel creates it after
# sgdisk re-reads the table and udev names it; both can lag behind, which is the race in the Gentoo builder's
# "Could not stat" bug, so this settles udev, asks the kernel again and waits a bounded time.
resolve_partition_node() {
  local disk=$1 number=$2 wait_seconds=${3:-$PARTITION_WAIT_SECONDS}
  if [[ -n $PARTITION_RESOLVER ]]; then
    "$PARTITION_RESOLVER" resolve "$disk" "$number"
    return
  fi
  local node waited=0
  node=$(partition_node_name "$disk" "$number")
  until [[ -b $node ]]; do
    ((waited < wait_seconds)) || die "partition node $node did not appear within ${wait_seconds}s"
    if command -v udevadm >/dev/null; then
      udevadm settle --timeout=10 || true
    fi
    if [[ ! -b $node ]]; then
      partx --update --nr "$number" "$disk" 2>/dev/null || partx --add --nr "$number" "$disk" 2>/dev/null || true
      sleep 1
      waited=$((waited + 1))
    fi
  done
  printf '%s\n' "$node"
}

# Undoes resolve_partition_node; the kernel's own nodes need nothing.
release_partition_nodes() {
  local disk=$1
  if [[ -n $PARTITION_RESOLVER ]]; then
    "$PARTITION_RESOLVER" release "$disk"
  fi
}

filesystem_uuid() {
  blkid --probe --match-tag UUID --output value "$1"
}
