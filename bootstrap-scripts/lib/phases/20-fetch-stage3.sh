# shellcheck shell=bash
# Phase: download the stage3 and prove it is the published one, before anything touches the disk, so a bad
# download leaves the disk blank.
# Reads: ARCH DISTRIBUTION PINNED_SHA256 RELEASE STAGE3_BASE_URL STAGE3_URL SUBARCH VERIFY_SIGNATURE WORKDIR (options)
# Sets: STAGE3_FILE STAGE3_SHA256 STAGE3_SIGNER STAGE3_URL
# Calls from the distribution file: distro_default_base_url distro_default_release distro_default_subarch
#   distro_stage3_url distro_verify

readonly STAGE3_MAX_SECONDS=3600
readonly STAGE3_MAX_BYTES=$((4 * 1024 * 1024 * 1024))

phase_fetch_stage3() {
  local download=$WORKDIR/download keyring='' name
  remove_path "$download"
  mkdir -p -- "$download"
  push_undo remove_path "$download"
  if [[ $VERIFY_SIGNATURE == yes ]]; then
    keyring=$download/gnupg
    prepare_keyring "$DISTRIBUTION" "$keyring"
  else
    warn "GPG verification is off (--verify-signature no): only the sha256 is checked"
  fi
  if [[ -z $STAGE3_URL ]]; then
    STAGE3_URL=$(distro_stage3_url "${STAGE3_BASE_URL:-$(distro_default_base_url)}" \
      "${RELEASE:-$(distro_default_release)}" "$ARCH" "${SUBARCH:-$(distro_default_subarch "$ARCH")}" \
      "$download" "$keyring")
  fi
  name=${STAGE3_URL##*/}
  name=${name%%[?#]*}
  [[ $name =~ ^[A-Za-z0-9][A-Za-z0-9._+-]*$ ]] || die "cannot tell the tarball name from $STAGE3_URL"
  STAGE3_FILE=$download/$name
  phase_log "stage3 $STAGE3_URL"
  local progress=''
  ! progress_requested || progress=progress
  fetch "$STAGE3_URL" "$STAGE3_FILE" "$STAGE3_MAX_SECONDS" "$STAGE3_MAX_BYTES" "$progress"
  STAGE3_SIGNER=$(distro_verify "$STAGE3_FILE" "$STAGE3_URL" "$keyring" "$PINNED_SHA256")
  STAGE3_SIGNER=${STAGE3_SIGNER:-unverified}
  STAGE3_SHA256=$(sha256_of "$STAGE3_FILE")
  phase_log "verified: sha256 $STAGE3_SHA256, signer $STAGE3_SIGNER"
}
