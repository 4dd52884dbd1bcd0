# shellcheck shell=bash
# Command line of bootstrap.sh: named options only. An empty value means "not given", because the SSM document
# passes every parameter, and its default is "". The options that are SSM document parameters are checked against
# the patterns of lib/parameters.sh, generated from the one declaration of the bootstrap parameters, so bootstrap.sh,
# the SSM document and the input validator apply the same rule.

# shellcheck source=parameters.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/parameters.sh"

usage() {
  cat <<'EOF'
Usage: bootstrap.sh --volume-id VOL [options]
       bootstrap.sh --device /dev/loopN [options]     (a disk image on this machine: local-build.sh)

Turns an empty EBS volume attached to this helper instance (or the block device given with --device) into a
bootable Funtoo or Gentoo disk.
Runs as root. Exit status 0 only when the disk is complete, checked and unmounted; the last line is then
  AMI-BUILD-RESULT stage3_url=<url> stage3_sha256=<hex> kernel=<version> phases=<phase>:<seconds>,...
On failure the exit status is non-zero and the last line is the reason.

Options (an empty value is the same as leaving the option out):
  --volume-id VOL          EBS volume id of the target disk (vol-0123... or vol0123...), found through its
                           NVMe serial (/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol...). Required,
                           unless --device is given.
  --device DEV             The target disk as a block device path instead of an EBS volume id, for a disk
                           image on a loop device (local-build.sh attaches one). Not an SSM parameter: an AMI
                           build always names its volume.
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
  --verify-only            Resolve, download and verify the stage3, then stop: no disk is looked for or touched,
                           no tools are installed, and --arch need not match this machine (--volume-id may be
                           left out). For checking a mirror, a release or a pinned digest from any Linux machine
                           as root, and for the end-to-end tests. The last line is then
                             STAGE3-VERIFIED stage3_url=<url> stage3_sha256=<hex> signer=<fingerprint|unverified>
  --progress               Show progress on the long steps: the stage3 download (size, rate, time left) and its
                           unpacking. For a person watching a terminal (local-build.sh passes it); an AMI
                           build's log leaves it out.
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
  VERIFY_ONLY=no DEVICE='' PROGRESS=no
  local name value
  while (($# > 0)); do
    case $1 in
      --help | -h)
        usage
        exit 0
        ;;
      --verify-only)
        VERIFY_ONLY=yes
        shift
        continue
        ;;
      --progress)
        PROGRESS=yes
        shift
        continue
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
      --device) DEVICE=$value ;;
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

# --progress: the long steps (the stage3 download, its unpacking) report as they go.
progress_requested() {
  [[ $PROGRESS == yes ]]
}

apply_defaults() {
  DISTRIBUTION=${DISTRIBUTION:-$DEFAULT_DISTRIBUTION}
  ARCH=${ARCH:-$(helper_arch)}
  # the end-to-end tests' way to ask for --verify-only without a different command line (README.md)
  if [[ ${BOOTSTRAP_TEST_VERIFY_ONLY:-} == yes ]]; then
    VERIFY_ONLY=yes
  fi
  # --verify-only without --workdir downloads into a fresh temporary directory: nothing to lock or to resume
  if [[ $VERIFY_ONLY == no ]]; then
    WORKDIR=${WORKDIR:-$DEFAULT_WORKDIR}
  fi
  TARGET_HOSTNAME=${TARGET_HOSTNAME:-$DISTRIBUTION}
  TARGET_HOSTNAME=${TARGET_HOSTNAME,,}
  PINNED_SHA256=${PINNED_SHA256,,}
  case ${VERIFY_SIGNATURE,,} in
    '' | yes | true) VERIFY_SIGNATURE=yes ;;
    no | false) VERIFY_SIGNATURE=no ;;
  esac
  if [[ -z $BOOT_MODE ]]; then
    if [[ $ARCH == arm64 ]]; then BOOT_MODE=uefi; else BOOT_MODE=uefi-preferred; fi
  fi
}

# The declared URL pattern is https only; the test rigs' loopback servers speak plain http, which is accepted
# for 127.0.0.1 alone (nothing outside this machine is reached without TLS).
declared_url() {
  local option=$1 url=$2
  # (checked as the same URL on https://localhost: the declared host names no IP address)
  [[ $url == http://127.0.0.1[:/]* ]] && url=https://localhost${url#http://127.0.0.1}
  declared_value "$option" "$url"
}

# The rule beside the atom pattern, as the input validator applies it: an operator needs a version, and a
# trailing * only follows the = operator.
atom_problem() {
  local atom=$1 operator package
  operator=${atom%%[!<>=~]*}
  package=${atom#"$operator"}
  package=${package%%:*}
  if [[ -n $operator && ! $package =~ /.*-[0-9][^/]*$ ]]; then
    echo "has a version operator but no version (e.g. >=dev-lang/perl-5.38)"
  elif [[ $package == *'*' && $operator != = ]]; then
    echo "may end in * only after the = operator"
  fi
}

# Nothing that reaches a command line can carry shell syntax: every value a parameter of the SSM document can set
# follows that parameter's declared pattern.
validate_options() {
  if [[ -n $DEVICE ]]; then
    [[ -z $VOLUME_ID ]] || die_usage "--volume-id and --device name the target disk twice: give one of them"
    [[ $DEVICE =~ ^/dev/[A-Za-z0-9][A-Za-z0-9/_.-]*$ && $DEVICE != */../* ]] ||
      die_usage "--device '$DEVICE' is not a device path under /dev (e.g. /dev/loop0)"
  elif [[ $VERIFY_ONLY == no || -n $VOLUME_ID ]]; then
    [[ -n $VOLUME_ID ]] || die_usage "--volume-id is required"
    declared_value --volume-id "$VOLUME_ID" || die_usage "--volume-id '$VOLUME_ID' is not an EBS volume id"
  fi
  if ! declared_value --distribution "$DISTRIBUTION" || [[ ! -f $BOOTSTRAP_HOME/distros/$DISTRIBUTION.sh ]]; then
    die_usage "--distribution '$DISTRIBUTION' is not supported (have: $(supported_distributions))"
  fi
  declared_value --arch "$ARCH" || die_usage "--arch '$ARCH' is not supported (x86_64 or arm64)"
  declared_url --stage3-url "$STAGE3_URL" || die_usage "'$STAGE3_URL' is not an https URL (--stage3-url)"
  declared_url --stage3-base-url "$STAGE3_BASE_URL" ||
    die_usage "'$STAGE3_BASE_URL' is not an https URL (--stage3-base-url)"
  declared_value --release "$RELEASE" || die_usage "--release '$RELEASE' is not a release name"
  declared_value --subarch "$SUBARCH" || die_usage "--subarch '$SUBARCH' is not a subarch name"
  declared_value --stage3-sha256 "$PINNED_SHA256" || die_usage "--stage3-sha256 must be 64 hex digits"
  [[ $VERIFY_SIGNATURE == yes || $VERIFY_SIGNATURE == no ]] || die_usage "--verify-signature must be yes or no"
  if ! declared_value --hostname "$TARGET_HOSTNAME" || ((${#TARGET_HOSTNAME} > 253)); then
    die_usage "--hostname '$TARGET_HOSTNAME' is not a valid hostname"
  fi
  declared_value --boot-mode "$BOOT_MODE" ||
    die_usage "--boot-mode '$BOOT_MODE' is not one of legacy-bios, uefi, uefi-preferred"
  [[ $ARCH == x86_64 || $BOOT_MODE == uefi ]] || die_usage "--boot-mode $BOOT_MODE is not available on $ARCH (uefi only)"
  # split on single spaces only, so that a newline or a tab cannot hide atoms from the check (or the install)
  local atom problem
  EXTRA_ATOMS=()
  if [[ -n $EXTRA_PACKAGES ]]; then
    mapfile -t -d ' ' EXTRA_ATOMS < <(printf '%s' "$EXTRA_PACKAGES")
  fi
  for atom in "${EXTRA_ATOMS[@]}"; do
    [[ -n $atom ]] || die_usage "--extra-packages: atoms must be separated by single spaces"
    declared_value --extra-packages "$atom" ||
      die_usage "--extra-packages: '${atom//$'\n'/\\n}' is not a package atom"
    problem=$(atom_problem "$atom")
    [[ -z $problem ]] || die_usage "--extra-packages: '$atom' $problem"
  done
  declared_value --extra-packages "$EXTRA_PACKAGES" ||
    die_usage "--extra-packages: '$EXTRA_PACKAGES' is not a list of package atoms separated by single spaces"
  [[ -z $WORKDIR && $VERIFY_ONLY == yes ]] || [[ $WORKDIR =~ ^/[A-Za-z0-9._/+-]*$ && $WORKDIR != / ]] || die_usage "--workdir '$WORKDIR' must be an absolute path"
}

supported_distributions() {
  local file names=()
  for file in "$BOOTSTRAP_HOME"/distros/*.sh; do
    file=${file##*/}
    names+=("${file%.sh}")
  done
  printf '%s\n' "${names[*]}"
}
