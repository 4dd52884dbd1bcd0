# shellcheck shell=bash
# Phase: unmount everything, check both filesystems, release the partitions. bootstrap.sh then prints the result
# line (print_result_line), once every phase's duration is known.
# Reads: ROOT_MNT (check-helper); ESP_NODE ROOT_NODE (partition)
# Sets: nothing
# Calls from the distribution file: nothing

phase_finish() {
  unmount_tree "$ROOT_MNT" strict ||
    die "$ROOT_MNT is busy (a process on the helper still uses it): a filesystem in use is neither checked nor captured"
  ! mountpoint -q "$ROOT_MNT" || die "$ROOT_MNT is still mounted"
  local status=0
  e2fsck -f -p "$ROOT_NODE" >&2 || status=$?
  ((status <= 1)) || die "e2fsck found errors it could not fix on $ROOT_NODE (status $status)"
  fsck.vfat -n "$ESP_NODE" >&2 || die "fsck.vfat found errors on $ESP_NODE"
  sync
  undo_all
}
