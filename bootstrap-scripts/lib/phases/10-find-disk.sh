# shellcheck shell=bash
# Phase: the target disk, by EBS volume id (or, for a local image, the --device given); refuse it unless it is
# blank or carries this tool's own layout.
# Reads: ARCH DEVICE VOLUME_ID (options)
# Sets: DISK DISK_STATE
# Calls from the distribution file: nothing

phase_find_disk() {
  if [[ -n $DEVICE ]]; then
    [[ -b $DEVICE ]] || die "--device $DEVICE is not a block device"
    DISK=$DEVICE
    phase_log "target disk is $DISK (--device)"
  else
    DISK=$(find_disk_by_volume_id "$VOLUME_ID")
    phase_log "target disk is $DISK (EBS volume $VOLUME_ID)"
  fi
  local mounts
  mounts=$(mounts_of_disk "$DISK")
  [[ -z $mounts ]] || die "$DISK is in use, mounted at: $(paste -sd' ' - <<<"$mounts")"
  DISK_STATE=$(classify_disk "$DISK" "$ARCH")
  case $DISK_STATE in
    blank) phase_log "$DISK is blank" ;;
    leftover) phase_log "$DISK carries the layout of an earlier failed run of this tool; it will be redone" ;;
    *) die "$DISK is not empty ($DISK_STATE); refusing to overwrite it" ;;
  esac
}
