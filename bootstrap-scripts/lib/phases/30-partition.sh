# shellcheck shell=bash
# Phase: GPT (BIOS boot on x86_64, EFI system partition, root last so it can grow) and filesystems.
# Reads: ARCH (options); DISK DISK_STATE (find-disk)
# Sets: ESP_NODE ESP_UUID ROOT_NODE ROOT_UUID
# Calls from the distribution file: nothing

readonly ROOT_LABEL=root
readonly ESP_LABEL=EFI

phase_partition() {
  if [[ $DISK_STATE == leftover ]]; then
    phase_log "clearing the partition table of the earlier run"
    sgdisk --zap-all "$DISK" >&2
  fi
  local -a create
  mapfile -t create < <(sgdisk_create_args "$ARCH")
  sgdisk --clear "${create[@]}" "$DISK" >&2
  push_undo release_partition_nodes "$DISK"
  ESP_NODE=$(resolve_partition_node "$DISK" "$(partition_number_of_role "$ARCH" esp)")
  ROOT_NODE=$(resolve_partition_node "$DISK" "$(partition_number_of_role "$ARCH" root)")
  phase_log "EFI system partition $ESP_NODE, root $ROOT_NODE"
  wipefs --all --quiet "$ESP_NODE" "$ROOT_NODE"
  mkfs.vfat -F 32 -n "$ESP_LABEL" "$ESP_NODE" >&2
  mkfs.ext4 -F -q -L "$ROOT_LABEL" "$ROOT_NODE" >&2
  ESP_UUID=$(filesystem_uuid "$ESP_NODE")
  ROOT_UUID=$(filesystem_uuid "$ROOT_NODE")
  [[ -n $ESP_UUID && -n $ROOT_UUID ]] || die "could not read the UUIDs of the new filesystems"
  phase_log "filesystems: root UUID=$ROOT_UUID, EFI UUID=$ESP_UUID"
}
