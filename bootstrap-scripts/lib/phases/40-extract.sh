# shellcheck shell=bash
# Phase: mount the new root and unpack the stage3 with numeric owners and extended attributes.
# Reads: ROOT_MNT (check-helper); STAGE3_FILE (fetch-stage3); ESP_NODE ROOT_NODE (partition)
# Sets: nothing
# Calls from the distribution file: nothing

phase_extract() {
  mkdir -p -- "$ROOT_MNT"
  mount "$ROOT_NODE" "$ROOT_MNT"
  push_undo unmount_tree "$ROOT_MNT"
  phase_log "unpacking ${STAGE3_FILE##*/} ($(du --apparent-size --block-size=1M -- "$STAGE3_FILE" | cut -f1) MiB) into $ROOT_MNT"
  # --progress: a line per 100 MiB unpacked (tar's checkpoints count 10 KiB records of the uncompressed stream)
  local -a progress=()
  ! progress_requested || progress=(--checkpoint=10000 '--checkpoint-action=echo=    unpacked so far: %{r}T')
  tar --extract --file "$STAGE3_FILE" --directory "$ROOT_MNT" --numeric-owner --same-owner \
    --preserve-permissions --xattrs --xattrs-include='*' "${progress[@]}" || die "could not unpack ${STAGE3_FILE##*/}"
  rm -f -- "$STAGE3_FILE"
  mkdir -p -- "$ROOT_MNT/boot/efi"
  mount "$ESP_NODE" "$ROOT_MNT/boot/efi"
  push_undo unmount_tree "$ROOT_MNT/boot/efi"
}
