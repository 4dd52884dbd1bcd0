# shellcheck shell=bash
# Phase: nothing of the build or of the helper goes into the image: host keys, machine-id, keys, history, logs,
# resolv.conf, caches, build-time settings. Then /etc/ami-build-info says what the image is made of.
# Reads: ARCH DISTRIBUTION (options); SSM_buildId (environment); ROOT_MNT (check-helper); STAGE3_SHA256 STAGE3_SIGNER
#   STAGE3_URL (fetch-stage3); KERNEL_VERSION (configure)
# Sets: nothing
# Calls from the distribution file: distro_scrub_paths

empty_directory() {
  if [[ -d $1 ]]; then
    find "$1" -xdev -mindepth 1 -delete
  fi
}

phase_scrub() {
  local root=$ROOT_MNT path
  rm -f -- "$root"/etc/ssh/ssh_host_* "$root/etc/machine-id" "$root/var/lib/dbus/machine-id" "$root/etc/resolv.conf"
  local -a homes=()
  for path in "$root/root" "$root"/home/*/; do
    if [[ -d $path ]]; then homes+=("$path"); fi
  done
  if ((${#homes[@]} > 0)); then
    find "${homes[@]}" -xdev -maxdepth 2 -type f \
      \( -path '*/.ssh/authorized_keys' -o -name '.*history' -o -name .lesshst -o -name .viminfo \) -delete
  fi
  if [[ -d $root/var/log ]]; then
    find "$root/var/log" -xdev -type f \( -name '*.gz' -o -name '*.xz' -o -name '*.[0-9]' -o -name '*.old' \) -delete
    find "$root/var/log" -xdev -type f -exec truncate --size 0 {} +
  fi
  while read -r path; do
    empty_directory "$root/$path"
  done < <(distro_scrub_paths; printf '%s\n' tmp var/tmp)
  rewrite_file "$root/etc/portage/make.conf" strip_build_settings
  render_build_info "$DISTRIBUTION" "$ARCH" "$STAGE3_URL" "$STAGE3_SHA256" "$STAGE3_SIGNER" "$KERNEL_VERSION" \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${SSM_buildId:-}" >"$root/etc/ami-build-info"
}
