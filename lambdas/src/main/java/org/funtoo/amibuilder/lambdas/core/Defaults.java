package org.funtoo.amibuilder.lambdas.core;

/** The defaults of the execution input; lambdas/README.md explains each choice. */
final class Defaults {
    private Defaults() {
    }

    /**
     * The mirror base as bootstrap.sh's distros/*.sh expect it: they append the distribution's own tree
     * ({@code <release>/<arch dir>/<subarch>/} for Funtoo, {@code <amd64|arm64>/autobuilds/} for Gentoo).
     */
    static String stage3BaseUrl(String distribution) {
        return distribution.equals("funtoo") ? "https://build.funtoo.org" : "https://distfiles.gentoo.org/releases";
    }

    /** Funtoo's rolling release; for Gentoo "latest" means the autobuilds' latest-stage3 pointer. */
    static String stage3Release(String distribution) {
        return distribution.equals("funtoo") ? "next" : "latest";
    }

    static String stage3Subarch(String distribution, String architecture) {
        if (distribution.equals("funtoo")) {
            return architecture.equals("arm64") ? "arm64_generic" : "generic_64";
        }
        return gentooArch(architecture) + "-openrc";
    }

    /** uefi-preferred boots UEFI on Nitro and legacy BIOS on Xen, so the x86_64 image runs on every instance type. */
    static String bootMode(String architecture) {
        return architecture.equals("arm64") ? "uefi" : "uefi-preferred";
    }

    static String helperInstanceType(String architecture) {
        return architecture.equals("arm64") ? "t4g.small" : "t3.small";
    }

    static String smokeTestInstanceType(String architecture) {
        return architecture.equals("arm64") ? "t4g.micro" : "t3.micro";
    }

    static String ssmParameterName(String distribution, String architecture) {
        return InputRules.SSM_PARAMETER_PREFIX + distribution + "/" + architecture + "/latest";
    }

    static String description(String distribution, String release, String architecture) {
        String os = distribution.equals("funtoo") ? "Funtoo Linux" : "Gentoo Linux";
        return os + " " + release + " " + architecture + ", built by funtoo-ami-builder";
    }

    private static String gentooArch(String architecture) {
        return architecture.equals("arm64") ? "arm64" : "amd64";
    }
}
