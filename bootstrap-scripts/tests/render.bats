#!/usr/bin/env bats
# The configuration files the image gets: generated from arguments and the stage3's own files.

load helpers/common

ROOT_UUID=0b7c5f4e-4f0e-4a86-9a63-3f1b2e7c9d10
ESP_UUID=1A2B-3C4D

setup() {
  load_bootstrap_libs
}

@test "fstabMountsRootAndEspByUuid" {
  run render_fstab "$ROOT_UUID" "$ESP_UUID"
  [ "$status" -eq 0 ]
  local entries
  entries=$(grep -v '^#' <<<"$output" | awk '{ print $1, $2, $3, $6 }')
  [ "$entries" = "UUID=$ROOT_UUID / ext4 1
UUID=$ESP_UUID /boot/efi vfat 2" ]
  [[ $(grep /boot/efi <<<"$output") == *umask=0077* ]]
}

@test "chronyUsesAmazonTimeSync" {
  run render_chrony_conf
  [ "$(grep '^server' <<<"$output")" = "server 169.254.169.123 prefer iburst minpoll 4 maxpoll 4" ]
  [ "$(grep -c '^\(server\|pool\)' <<<"$output")" -eq 1 ]
}

@test "inittabGetsExactlyOneSerialGettyOnTtyS0" {
  run render_inittab <<'EOF'
c1:12345:respawn:/sbin/agetty 38400 tty1 linux
c2:2345:respawn:/sbin/agetty 38400 tty2 linux
# SERIAL CONSOLES
#s0:12345:respawn:/sbin/agetty -L 9600 ttyS0 vt100
#s1:12345:respawn:/sbin/agetty -L 9600 ttyS1 vt100
x1:12345:respawn:/sbin/agetty -L 38400 ttyS0 vt102
EOF
  [ "$status" -eq 0 ]
  [ "$(grep -c ttyS0 <<<"$output")" -eq 1 ]
  grep -qx 's0:12345:respawn:/sbin/agetty -L 115200 ttyS0 vt100' <<<"$output"
  grep -qx 'c1:12345:respawn:/sbin/agetty 38400 tty1 linux' <<<"$output"
  grep -qx '#s1:12345:respawn:/sbin/agetty -L 9600 ttyS1 vt100' <<<"$output"
}

@test "arm64InittabLosesTheTtyAma0GettyGravitonDoesNotHave" {
  # sysvinit's ebuild adds this line on arm64; init would respawn it forever on an instance with only ttyS0.
  run render_inittab <<'EOF'
c1:12345:respawn:/sbin/agetty 38400 tty1 linux
f0:12345:respawn:/sbin/agetty 9600 ttyAMA0 vt100
#s0:12345:respawn:/sbin/agetty -L 9600 ttyS0 vt100
EOF
  [ "$status" -eq 0 ]
  [ "$(grep -c ttyAMA0 <<<"$output")" -eq 0 ]
  grep -qx 's0:12345:respawn:/sbin/agetty -L 115200 ttyS0 vt100' <<<"$output"
  grep -qx 'c1:12345:respawn:/sbin/agetty 38400 tty1 linux' <<<"$output"
}

@test "sshdAllowsRootByKeyOnlyAndDropsConflictingSettings" {
  run render_sshd_config <<'EOF'
#PermitRootLogin prohibit-password
PermitRootLogin yes
PasswordAuthentication yes
Subsystem	sftp	/usr/lib64/misc/sftp-server
EOF
  [ "$status" -eq 0 ]
  [ "$(grep -ci '^permitrootlogin' <<<"$output")" -eq 1 ]
  grep -qx 'PermitRootLogin prohibit-password' <<<"$output"
  [ "$(grep -i '^passwordauthentication' <<<"$output")" = "PasswordAuthentication no" ]
  grep -qx 'KbdInteractiveAuthentication no' <<<"$output"
  grep -q '^Subsystem' <<<"$output"
  grep -qx '#PermitRootLogin prohibit-password' <<<"$output"
}

@test "kernelCommandLineHasVgaThenSerialConsoleAndAnUnlimitedNvmeTimeout" {
  run kernel_cmdline
  [[ $output == *"console=tty0 console=ttyS0,115200n8"* ]]
  [[ $output == *"nvme_core.io_timeout=4294967295"* ]]
  [[ $output == *"net.ifnames=0"* ]]
}

@test "grubDefaultsUseSerialAndVgaAndTheKernelCommandLine" {
  run render_grub_defaults
  grep -qx "GRUB_CMDLINE_LINUX=\"$(kernel_cmdline)\"" <<<"$output"
  grep -qx 'GRUB_TERMINAL="console serial"' <<<"$output"
  grep -qx 'GRUB_DISABLE_LINUX_UUID=false' <<<"$output"
}

@test "funtooBootConfBootsTheNewestKernelWithRootByUuid" {
  load_distro funtoo
  run funtoo_boot_conf "$ROOT_UUID"
  grep -q '^	generate grub$' <<<"$output"
  grep -q '^	kernel kernel\[-v\]$' <<<"$output"
  grep -q '^	initrd initramfs\[-v\]$' <<<"$output"
  grep -qx "	params root=UUID=$ROOT_UUID $(kernel_cmdline)" <<<"$output"
}

@test "buildSettingsBlockIsRemovedLeavingTheRestOfMakeConfAsItWas" {
  local original
  original=$(printf '%s\n' 'COMMON_FLAGS="-O2 -pipe"' 'USE="-X"')
  run strip_build_settings <<<"$original
$(render_build_settings 8)
GRUB_PLATFORMS=\"pc efi-64\""
  [ "$output" = "$original
GRUB_PLATFORMS=\"pc efi-64\"" ]
}

@test "buildInfoRecordsWhatTheImageIsMadeOf" {
  run render_build_info funtoo x86_64 https://example.org/stage3.tar.xz "$(printf 'a%.0s' {1..64})" ABCD 6.6.13 \
    2024-05-01T10:00:00Z build-1
  grep -qx 'STAGE3_URL=https://example.org/stage3.tar.xz' <<<"$output"
  grep -qx 'STAGE3_SIGNER=ABCD' <<<"$output"
  grep -qx 'KERNEL=6.6.13' <<<"$output"
  grep -qx 'BUILD_ID=build-1' <<<"$output"
}

@test "grubTargetsFollowArchitectureAndBootMode" {
  load_phase 80-bootloader
  [ "$(grub_targets x86_64 legacy-bios)" = i386-pc ]
  [ "$(grub_targets x86_64 uefi)" = x86_64-efi ]
  [ "$(grub_targets x86_64 uefi-preferred | paste -sd' ' -)" = "i386-pc x86_64-efi" ]
  [ "$(grub_targets arm64 uefi)" = arm64-efi ]
}

@test "grubPlatformsIncludeBiosOnlyOnX86" {
  load_phase 60-configure
  [ "$(grub_platforms x86_64)" = "pc efi-64" ]
  [ "$(grub_platforms arm64)" = "efi-64" ]
}
