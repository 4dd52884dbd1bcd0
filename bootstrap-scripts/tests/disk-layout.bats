#!/usr/bin/env bats
# The target disk: finding it by EBS volume id, partition node names, the GPT plan, and what may be overwritten.

load helpers/common

setup() {
  export BOOTSTRAP_TEST_BY_ID_DIR=$BATS_TEST_TMPDIR/by-id
  mkdir -p "$BOOTSTRAP_TEST_BY_ID_DIR"
  load_bootstrap_libs
  IMAGE=$BATS_TEST_TMPDIR/disk.img
  truncate -s 512M "$IMAGE"
}

@test "partitionNodesOfDisksEndingInADigitTakeAPInfix" {
  [ "$(partition_node_name /dev/nvme1n1 2)" = /dev/nvme1n1p2 ]
  [ "$(partition_node_name /dev/loop7 3)" = /dev/loop7p3 ]
  [ "$(partition_node_name /dev/mmcblk0 1)" = /dev/mmcblk0p1 ]
  [ "$(partition_node_name /dev/xvdf 1)" = /dev/xvdf1 ]
  [ "$(partition_node_name /dev/sda 3)" = /dev/sda3 ]
}

@test "ebsSerialDropsTheDashOfTheVolumeIdEitherWay" {
  [ "$(ebs_serial vol-0123456789abcdef0)" = vol0123456789abcdef0 ]
  [ "$(ebs_serial vol0123456789abcdef0)" = vol0123456789abcdef0 ]
  [ "$(by_id_link_name vol-0abc12345678)" = nvme-Amazon_Elastic_Block_Store_vol0abc12345678 ]
}

@test "diskIsFoundThroughTheNvmeByIdLinkOfTheVolume" {
  mknod "$BATS_TEST_TMPDIR/nvme1n1" b 7 250
  ln -s "$BATS_TEST_TMPDIR/nvme1n1" "$BOOTSTRAP_TEST_BY_ID_DIR/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0"
  ln -s /dev/null "$BOOTSTRAP_TEST_BY_ID_DIR/nvme-Amazon_Elastic_Block_Store_vol0fedcba987654321"
  run find_disk_by_volume_id vol-0123456789abcdef0 0
  [ "$status" -eq 0 ]
  [ "$output" = "$BATS_TEST_TMPDIR/nvme1n1" ]
}

@test "unknownVolumeFailsNamingTheLinkItLookedFor" {
  run find_disk_by_volume_id vol-0123456789abcdef0 1
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "ERROR: no disk with EBS volume id vol-0123456789abcdef0 (looked for $BOOTSTRAP_TEST_BY_ID_DIR/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0 for 1s)" ]
}

@test "volumeLinkToSomethingOtherThanABlockDeviceIsRefused" {
  ln -s /dev/null "$BOOTSTRAP_TEST_BY_ID_DIR/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0"
  run find_disk_by_volume_id vol-0123456789abcdef0 0
  [ "$status" -eq 1 ]
  [[ ${lines[-1]} == *"points to /dev/null, which is not a block device" ]]
}

@test "partitionNodeThatNeverAppearsFailsAfterTheBoundedWait" {
  run resolve_partition_node "$BATS_TEST_TMPDIR/nvme9n1" 2 1
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "ERROR: partition node $BATS_TEST_TMPDIR/nvme9n1p2 did not appear within 1s" ]
}

@test "partitionNodeThatExistsIsReturnedAtOnce" {
  mknod "$BATS_TEST_TMPDIR/nvme1n1p3" b 7 251
  run resolve_partition_node "$BATS_TEST_TMPDIR/nvme1n1" 3 0
  [ "$status" -eq 0 ]
  [ "$output" = "$BATS_TEST_TMPDIR/nvme1n1p3" ]
}

@test "x86PlanHasBiosBootThenEspThenRootLast" {
  run partition_plan x86_64
  [ "$output" = "1 ef02 1M ami-bios-boot bios
2 ef00 256M ami-esp esp
3 8300 0 ami-root root" ]
}

@test "arm64PlanHasNoBiosBootPartition" {
  run partition_plan arm64
  [ "$output" = "1 ef00 256M ami-esp esp
2 8300 0 ami-root root" ]
  [ "$(partition_number_of_role arm64 root)" = 2 ]
}

@test "planCreatesTheLayoutOnAnImageWithRootFillingTheRest" {
  local -a create
  mapfile -t create < <(sgdisk_create_args x86_64)
  sgdisk --clear "${create[@]}" "$IMAGE" >/dev/null
  [ "$(gpt_partition_names "$IMAGE" | paste -sd' ' -)" = "ami-bios-boot ami-esp ami-root" ]
  sgdisk --info=1 "$IMAGE" | grep -q 'BIOS boot partition'
  sgdisk --info=2 "$IMAGE" | grep -q 'EFI system partition'
  local last_usable root_last
  last_usable=$(sgdisk --print "$IMAGE" | awk '/last usable sector is/ { print $NF }')
  root_last=$(sgdisk --info=3 "$IMAGE" | awk '/^Last sector:/ { print $3 }')
  [ "$root_last" = "$last_usable" ]
}

@test "blankDiskIsBlank" {
  [ "$(classify_disk "$IMAGE" x86_64)" = blank ]
}

@test "diskWithThisToolsLayoutIsALeftoverToRedo" {
  local -a create
  mapfile -t create < <(sgdisk_create_args arm64)
  sgdisk --clear "${create[@]}" "$IMAGE" >/dev/null
  [ "$(classify_disk "$IMAGE" arm64)" = leftover ]
  [[ $(classify_disk "$IMAGE" x86_64) == foreign:* ]]
}

@test "diskWithOtherPartitionsIsForeign" {
  sgdisk --clear --new=1:0:+64M --change-name=1:data "$IMAGE" >/dev/null
  [ "$(classify_disk "$IMAGE" x86_64)" = "foreign: signatures PMBR,gpt, partitions data" ]
}

@test "diskWithAFilesystemAndNoTableIsForeign" {
  mkfs.ext4 -q -F "$IMAGE"
  [ "$(classify_disk "$IMAGE" x86_64)" = "foreign: signatures ext4" ]
}
