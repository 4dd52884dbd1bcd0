# shellcheck shell=bash
# Command line of bootstrap.sh: named options only. An empty value means "not given", because the SSM document
# passes every parameter, and its default is "".

usage() {
  cat <<'EOF'
Usage: bootstrap.sh --volume-id VOL [options]

Turns an empty EBS volume attached to this helper instance into a bootable Funtoo or Gentoo disk.
Runs as root. Exit status 0 only when the disk is complete, checked and unmounted; the last line is then
  AMI-BUILD-RESULT stage3_url=<url> stage3_sha256=<hex> kernel=<version> phases=<phase>:<seconds>,...
On failure the exit status is non-zero and the last line is the reason.

Options (an empty value is the same as leaving the option out):
  --volume-id VOL          EBS volume id of the target disk (vol-0123... or vol0123...), found through its
                           NVMe serial (/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol...). Required.
  --distribution NAME      Distribution to install: funtoo or gentoo (a file in distros/). Default: funtoo.
  --arch ARCH              Target architecture, x86_64 or arm64; must match this helper. Default: this helper's.
  --stage3-url URL         Exact stage3 tarball URL (http or https). Overrides the three options below.
  --stage3-base-url URL    Mirror to derive the stage3 URL from. Default: the distribution's release server.
  --release NAME           Funtoo release (default: next) or Gentoo autobuild timestamp such as
                           20240428T163427Z (default: the latest, from the signed latest-stage3-*.txt).
  --subarch NAME           Funtoo subarch (default: generic_64 / arm64_generic) or Gentoo stage flavour
                           (default: amd64-openrc / arm64-openrc).
  --stage3-sha256 HEX      Expected sha256 of the tarball, checked in addition to the published checksum.
  --verify-signature yes|no
                           Verify the GPG signature against the fingerprints pinned in keys/pinned-keys.txt.
                           Default: yes. "no" still checks the sha256. (true/false are accepted too.)
  --hostname NAME          Hostname baked into the image until first boot sets the instance's own.
                           Default: the distribution name.
  --boot-mode MODE         legacy-bios, uefi or uefi-preferred (GRUB for both). Default: uefi-preferred on
                           x86_64, uefi on arm64 (arm64 has no BIOS mode).
  --extra-packages ATOMS   Space separated package atoms to install in addition to the base set.
  --workdir DIR            Absolute path for downloads and mount points. Default: /var/tmp/funtoo-ami-builder.
  --help                   Show this text and exit.

Options may be written as "--name value" or "--name=value".
EOF
}

readonly DEFAULT_DISTRIBUTION=funtoo
readonly DEFAULT_WORKDIR=/var/tmp/funtoo-ami-builder

# Maps `uname -m` to the names AWS uses for image architectures.
helper_arch() {
  local machine
  machine=$(uname -m)
  case $machine in
    x86_64) echo x86_64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) echo "$machine" ;;
  esac
}

parse_options() {
  VOLUME_ID='' DISTRIBUTION='' ARCH='' STAGE3_URL='' STAGE3_BASE_URL='' RELEASE='' SUBARCH=''
  PINNED_SHA256='' VERIFY_SIGNATURE='' TARGET_HOSTNAME='' BOOT_MODE='' EXTRA_PACKAGES='' WORKDIR=''
  local name value
  while (($# > 0)); do
    case $1 in
      --help | -h)
        usage
        exit 0
        ;;
      --*=*)
        name=${1%%=*}
        value=${1#*=}
        shift
        ;;
      --*)
        name=$1
        (($# >= 2)) || die_usage "option $name needs a value"
        value=$2
        shift 2
        ;;
      *) die_usage "unexpected argument '$1': bootstrap.sh takes named options only" ;;
    esac
    case $name in
      --volume-id) VOLUME_ID=$value ;;
      --distribution) DISTRIBUTION=$value ;;
      --arch) ARCH=$value ;;
      --stage3-url) STAGE3_URL=$value ;;
      --stage3-base-url) STAGE3_BASE_URL=$value ;;
      --release) RELEASE=$value ;;
      --subarch) SUBARCH=$value ;;
      --stage3-sha256) PINNED_SHA256=$value ;;
      --verify-signature) VERIFY_SIGNATURE=$value ;;
      --hostname) TARGET_HOSTNAME=$value ;;
      --boot-mode) BOOT_MODE=$value ;;
      --extra-packages) EXTRA_PACKAGES=$value ;;
      --workdir) WORKDIR=$value ;;
      *) die_usage "unknown option $name" ;;
    esac
  done
  apply_defaults
  validate_options
}

apply_defaults() {
  DISTRIBUTION=${DISTRIBUTION:-$DEFAULT_DISTRIBUTION}
  ARCH=${ARCH:-$(helper_arch)}
  WORKDIR=${WORKDIR:-$DEFAULT_WORKDIR}
  TARGET_HOSTNAME=${TARGET_HOSTNAME:-$DISTRIBUTION}
  PINNED_SHA256=${PINNED_SHA256,,}
  case ${VERIFY_SIGNATURE,,} in
    '' | yes | true) VERIFY_SIGNATURE=yes ;;
    no | false) VERIFY_SIGNATURE=no ;;
  esac
  if [[ -z $BOOT_MODE ]]; then
    if [[ $ARCH == arm64 ]]; then BOOT_MODE=uefi; else BOOT_MODE=uefi-preferred; fi
  fi
}

# Mirrors the allowedPattern of the SSM document: nothing that reaches a command line can carry shell syntax.
validate_options() {
  [[ -n $VOLUME_ID ]] || die_usage "--volume-id is required"
  [[ $VOLUME_ID =~ ^vol-?[0-9a-f]{8,17}$ ]] || die_usage "--volume-id '$VOLUME_ID' is not an EBS volume id"
  [[ $DISTRIBUTION =~ ^[a-z][a-z0-9]*$ && -f $BOOTSTRAP_HOME/distros/$DISTRIBUTION.sh ]] ||
    die_usage "--distribution '$DISTRIBUTION' is not supported (have: $(supported_distributions))"
  [[ $ARCH == x86_64 || $ARCH == arm64 ]] || die_usage "--arch '$ARCH' is not supported (x86_64 or arm64)"
  local url
  for url in "$STAGE3_URL" "$STAGE3_BASE_URL"; do
    [[ -z $url || $url =~ ^https?://[A-Za-z0-9._~:/?#@%+=\&,-]+$ ]] ||
      die_usage "'$url' is not an http(s) URL"
  done
  [[ -z $RELEASE || $RELEASE =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die_usage "--release '$RELEASE' is not a release name"
  [[ -z $SUBARCH || $SUBARCH =~ ^[A-Za-z0-9][A-Za-z0-9._+-]*$ ]] || die_usage "--subarch '$SUBARCH' is not a subarch name"
  [[ -z $PINNED_SHA256 || $PINNED_SHA256 =~ ^[0-9a-f]{64}$ ]] || die_usage "--stage3-sha256 must be 64 hex digits"
  [[ $VERIFY_SIGNATURE == yes || $VERIFY_SIGNATURE == no ]] || die_usage "--verify-signature must be yes or no"
  [[ $TARGET_HOSTNAME =~ ^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$ && ${#TARGET_HOSTNAME} -le 253 ]] ||
    die_usage "--hostname '$TARGET_HOSTNAME' is not a valid hostname"
  case $BOOT_MODE in
    legacy-bios | uefi | uefi-preferred) ;;
    *) die_usage "--boot-mode '$BOOT_MODE' is not one of legacy-bios, uefi, uefi-preferred" ;;
  esac
  [[ $ARCH == x86_64 || $BOOT_MODE == uefi ]] || die_usage "--boot-mode $BOOT_MODE is not available on $ARCH (uefi only)"
  local atom
  read -r -a EXTRA_ATOMS <<<"$EXTRA_PACKAGES"
  for atom in "${EXTRA_ATOMS[@]}"; do
    [[ $atom =~ ^[\<\>=~]*[A-Za-z0-9][A-Za-z0-9_.+/:@*=~-]*$ ]] || die_usage "--extra-packages: '$atom' is not a package atom"
  done
  [[ $WORKDIR =~ ^/[A-Za-z0-9._/+-]*$ && $WORKDIR != / ]] || die_usage "--workdir '$WORKDIR' must be an absolute path"
}

supported_distributions() {
  local file names=()
  for file in "$BOOTSTRAP_HOME"/distros/*.sh; do
    file=${file##*/}
    names+=("${file%.sh}")
  done
  printf '%s\n' "${names[*]}"
}
