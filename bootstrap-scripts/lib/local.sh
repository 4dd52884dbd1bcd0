# shellcheck shell=bash
# Booting a disk image on this machine as EC2 would boot the AMI: QEMU with the disk as NVMe, the firmware of the
# boot mode, QEMU's user network with a fake IMDSv2 at 169.254.169.254 (local/imds-server.py) and SSH forwarded to
# a loopback port. Used by local-build.sh --boot and by the boot test (tests/helpers/boot.bash), so both boot the
# same way.

LOCAL_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../local" && pwd)
readonly LOCAL_DIR

# The OVMF code and variable-store templates, as pairs "code vars", where the distributions install them:
# Debian 12+ and Ubuntu 22.04+ (ovmf), older Debian/Ubuntu, Fedora (edk2-ovmf), Arch (edk2-ovmf).
readonly OVMF_PAIRS=(
  "/usr/share/OVMF/OVMF_CODE_4M.fd /usr/share/OVMF/OVMF_VARS_4M.fd"
  "/usr/share/OVMF/OVMF_CODE.fd /usr/share/OVMF/OVMF_VARS.fd"
  "/usr/share/edk2/ovmf/OVMF_CODE.fd /usr/share/edk2/ovmf/OVMF_VARS.fd"
  "/usr/share/edk2/x64/OVMF_CODE.4m.fd /usr/share/edk2/x64/OVMF_VARS.4m.fd"
)

# Prints "code vars" of the first OVMF installed; fails when there is none.
ovmf_files() {
  local pair code vars
  for pair in "${OVMF_PAIRS[@]}"; do
    read -r code vars <<<"$pair"
    if [[ -f $code && -f $vars ]]; then
      printf '%s %s\n' "$code" "$vars"
      return 0
    fi
  done
  return 1
}

# Starts the fake IMDSv2 on a free loopback port for one instance; sets IMDS_PID and IMDS_PORT. `state` is a
# directory of its own (the service keeps its tokens there).
start_fake_imds() {
  local state=$1 instance_id=$2 hostname=$3 public_key=$4 port_file=$1.port waited=0
  mkdir -p -- "$state"
  rm -f -- "$port_file"
  printf '%s\n' "$instance_id" >"$state/instance-id"
  printf '%s\n' "$hostname" >"$state/local-hostname"
  cat -- "$public_key" >"$state/openssh-key"
  python3 "$LOCAL_DIR/imds-server.py" "$state" "$port_file" </dev/null >/dev/null 2>&1 3>&- &
  IMDS_PID=$!
  until [[ -s $port_file ]]; do
    if ((waited++ >= 50)) || ! kill -0 "$IMDS_PID" 2>/dev/null; then
      echo "the fake IMDS did not start (python3 $LOCAL_DIR/imds-server.py)" >&2
      return 1
    fi
    sleep 0.1
  done
  IMDS_PORT=$(cat -- "$port_file")
  export IMDS_PID IMDS_PORT
}

# Fills the array named `out` with the QEMU arguments every local boot shares: the machine and firmware of
# `firmware` (bios: SeaBIOS on pc; uefi: OVMF on q35, its variable store copied into `dir`), the image as an NVMe
# disk (as on Nitro instances), no default devices, and the network: QEMU's user network on 169.254.0.0/16 with no
# way out (restrict=on), 169.254.169.254:80 forwarded through socat to the fake IMDS on `imds_port`, and the
# guest's port 22 on 127.0.0.1:`ssh_port`. The caller adds the accelerator, CPU, memory and the serial console.
qemu_boot_args() {
  local -n out=$1
  local image=$2 firmware=$3 dir=$4 ssh_port=$5 imds_port=$6 code vars
  out=(-nodefaults -display none -monitor none)
  if [[ $firmware == uefi ]]; then
    read -r code vars < <(ovmf_files) || { echo "OVMF is not installed" >&2; return 1; }
    cp -- "$vars" "$dir/vars.fd"
    out+=(-machine q35 -drive "if=pflash,format=raw,readonly=on,file=$code" -drive "if=pflash,format=raw,file=$dir/vars.fd")
  else
    out+=(-machine pc)
  fi
  out+=(-drive "if=none,id=volume,format=raw,file=$image" -device "nvme,drive=volume,serial=vol0b007e57b007e5700"
    -netdev "user,id=net0,net=169.254.0.0/16,restrict=on,hostfwd=tcp:127.0.0.1:$ssh_port-:22,guestfwd=tcp:169.254.169.254:80-cmd:socat - TCP:127.0.0.1:$imds_port"
    -device "virtio-net-pci,netdev=net0")
}
