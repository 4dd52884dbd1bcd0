#!/usr/bin/env bats
# The root-growing first-boot service on a real GPT: a volume larger than the image gets used in full.

load helpers/common

setup() {
  # shellcheck source=../firstboot/ami-growroot.sh
  source "$BOOTSTRAP_DIR/firstboot/ami-growroot.sh"
  IMAGE=$BATS_TEST_TMPDIR/volume.img
  truncate -s 128M "$IMAGE"
  sgdisk --clear --new=1:0:+1M --typecode=1:ef02 --new=2:0:+16M --typecode=2:ef00 --new=3:0:0 "$IMAGE" >/dev/null
  DISK=$(losetup --find --show "$IMAGE")
  ROOT_PART=$("$HELPERS_DIR/partition-resolver" resolve "$DISK" 3)
  mkfs.ext4 -q "$ROOT_PART"
  "$HELPERS_DIR/partition-resolver" release "$DISK"
}

teardown() {
  "$HELPERS_DIR/partition-resolver" release "$DISK"
  losetup --detach "$DISK"
}

last_usable_sector() {
  sgdisk --print "$1" | awk '/last usable sector is/ { print $NF }'
}

@test "rootPartitionGrowsToTheEndOfALargerVolume" {
  truncate -s 256M "$IMAGE"
  losetup --set-capacity "$DISK"
  run grow_partition "$DISK" 3
  [ "$status" -eq 0 ]
  [ "${lines[-1]}" = grown ]
  [ "$(sgdisk --info=3 "$DISK" | awk '/^Last sector:/ { print $3 }')" = "$(last_usable_sector "$DISK")" ]
  sgdisk --verify "$DISK" | grep -q 'No problems found'
}

@test "partitionThatFillsTheVolumeIsLeftUnchanged" {
  run grow_partition "$DISK" 3
  [ "$status" -eq 0 ]
  [ "${lines[-1]}" = unchanged ]
}

# Offline here (the test sandbox may lack CAP_SYS_RESOURCE for an online resize); the service resizes the
# mounted root, which resize2fs does the same way.
@test "filesystemGrowsToFillTheGrownPartition" {
  truncate -s 256M "$IMAGE"
  losetup --set-capacity "$DISK"
  grow_partition "$DISK" 3 >/dev/null
  ROOT_PART=$("$HELPERS_DIR/partition-resolver" resolve "$DISK" 3)
  e2fsck -f -p "$ROOT_PART" >/dev/null
  grow_filesystem "$ROOT_PART"
  local block_count block_size
  block_count=$(dumpe2fs -h "$ROOT_PART" 2>/dev/null | awk -F: '/^Block count/ { print $2 + 0 }')
  block_size=$(dumpe2fs -h "$ROOT_PART" 2>/dev/null | awk -F: '/^Block size/ { print $2 + 0 }')
  (((block_count * block_size) / 1048576 >= $(blockdev --getsize64 "$ROOT_PART") / 1048576))
}
