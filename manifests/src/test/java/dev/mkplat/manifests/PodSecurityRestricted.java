package dev.mkplat.manifests;

import io.fabric8.kubernetes.api.model.AppArmorProfile;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.WindowsSecurityContextOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Pod Security Standards' "restricted" profile (which includes "baseline"), control by control,
 * as the apiserver's PodSecurity admission evaluates a pod at version "latest" (v1.32 here). It
 * returns every violation, each naming the control and the field, instead of stopping at the first.
 * The real proof is admission on an apiserver; this catches the mistake before a cluster does.
 */
final class PodSecurityRestricted {
    /** Volume types "restricted" allows. */
    static final Set<String> ALLOWED_VOLUME_TYPES = Set.of(
            "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");
    /** The only capability "restricted" lets a container add. */
    static final Set<String> ADDABLE_CAPABILITIES = Set.of("NET_BIND_SERVICE");
    /** Sysctls "baseline" considers safe. */
    static final Set<String> SAFE_SYSCTLS = Set.of(
            "kernel.shm_rmid_forced",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start",
            "net.ipv4.tcp_syncookies",
            "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports",
            "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes");

    static final Set<String> SELINUX_TYPES =
            Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t");

    private PodSecurityRestricted() {}

    /** A container of any kind, as the controls see it. */
    private record Container(String where, SecurityContext securityContext, List<ContainerPort> ports) {}

    /** Every violation of "restricted" in a pod template. */
    static List<String> violations(ObjectMeta podMetadata, PodSpec pod) {
        List<String> found = new ArrayList<>();
        PodSecurityContext podContext =
                pod.getSecurityContext() != null ? pod.getSecurityContext() : new PodSecurityContext();
        List<Container> containers = containers(pod);

        // baseline: host namespaces
        check(found, !isTrue(pod.getHostNetwork()), "host namespaces: spec.hostNetwork must be unset or false");
        check(found, !isTrue(pod.getHostPID()), "host namespaces: spec.hostPID must be unset or false");
        check(found, !isTrue(pod.getHostIPC()), "host namespaces: spec.hostIPC must be unset or false");
        // baseline: HostProcess
        check(
                found,
                !hostProcess(podContext.getWindowsOptions()),
                "HostProcess: spec.securityContext.windowsOptions.hostProcess must be unset or false");
        // baseline: hostPath volumes; restricted: volume types
        for (Volume volume : pod.getVolumes()) {
            String type = volumeType(volume);
            check(found, !"hostPath".equals(type), "hostPath volumes: volume " + volume.getName() + " is hostPath");
            check(
                    found,
                    ALLOWED_VOLUME_TYPES.contains(type),
                    "volume types: volume " + volume.getName() + " is " + type + ", not one of "
                            + ALLOWED_VOLUME_TYPES);
        }
        // baseline: sysctls
        if (podContext.getSysctls() != null) {
            for (Sysctl sysctl : podContext.getSysctls()) {
                check(
                        found,
                        SAFE_SYSCTLS.contains(sysctl.getName()),
                        "sysctls: " + sysctl.getName() + " is not a safe sysctl");
            }
        }
        // baseline: AppArmor (annotations and fields), SELinux at pod level
        Map<String, String> annotations =
                podMetadata != null && podMetadata.getAnnotations() != null ? podMetadata.getAnnotations() : Map.of();
        annotations.forEach((key, value) -> {
            if (key.startsWith("container.apparmor.security.beta.kubernetes.io/")) {
                check(
                        found,
                        value.equals("runtime/default") || value.startsWith("localhost/"),
                        "AppArmor: annotation " + key + " is " + value);
            }
        });
        check(
                found,
                appArmorAllowed(podContext.getAppArmorProfile()),
                "AppArmor: spec.securityContext.appArmorProfile must be RuntimeDefault or Localhost");
        check(
                found,
                seLinuxAllowed(podContext.getSeLinuxOptions()),
                "SELinux: spec.securityContext.seLinuxOptions is not allowed");
        // restricted: runAsUser is never 0 at pod level
        check(
                found,
                !Objects.equals(podContext.getRunAsUser(), 0L),
                "running as non-root user: spec.securityContext.runAsUser is 0");
        // restricted: seccomp, pod level or each container; never Unconfined
        check(
                found,
                seccompAllowedOrUnset(podContext.getSeccompProfile()),
                "seccomp: spec.securityContext.seccompProfile must be RuntimeDefault or Localhost");

        for (Container container : containers) {
            SecurityContext sc =
                    container.securityContext() != null ? container.securityContext() : new SecurityContext();
            String at = container.where() + ".securityContext";
            // baseline
            check(found, !isTrue(sc.getPrivileged()), "privileged: " + at + ".privileged must be unset or false");
            check(
                    found,
                    !hostProcess(sc.getWindowsOptions()),
                    "HostProcess: " + at + ".windowsOptions.hostProcess must be unset or false");
            check(
                    found,
                    sc.getProcMount() == null || sc.getProcMount().equals("Default"),
                    "/proc mount: " + at + ".procMount must be unset or Default");
            check(
                    found,
                    appArmorAllowed(sc.getAppArmorProfile()),
                    "AppArmor: " + at + ".appArmorProfile must be RuntimeDefault or Localhost");
            check(found, seLinuxAllowed(sc.getSeLinuxOptions()), "SELinux: " + at + ".seLinuxOptions is not allowed");
            for (ContainerPort port : container.ports()) {
                check(
                        found,
                        port.getHostPort() == null || port.getHostPort() == 0,
                        "host ports: " + container.where() + " port " + port.getContainerPort() + " has hostPort "
                                + port.getHostPort());
            }
            // restricted
            check(
                    found,
                    Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation()),
                    "privilege escalation: " + at + ".allowPrivilegeEscalation must be false");
            boolean nonRoot = Boolean.TRUE.equals(sc.getRunAsNonRoot())
                    || (sc.getRunAsNonRoot() == null && Boolean.TRUE.equals(podContext.getRunAsNonRoot()));
            check(found, nonRoot, "running as non-root: " + at + ".runAsNonRoot (or the pod's) must be true");
            check(found, !Objects.equals(sc.getRunAsUser(), 0L), "running as non-root user: " + at + ".runAsUser is 0");
            SeccompProfile seccomp =
                    sc.getSeccompProfile() != null ? sc.getSeccompProfile() : podContext.getSeccompProfile();
            check(
                    found,
                    seccomp != null && seccompAllowedOrUnset(seccomp),
                    "seccomp: " + at + ".seccompProfile (or the pod's) must be RuntimeDefault or Localhost");
            Capabilities capabilities = sc.getCapabilities();
            List<String> dropped =
                    capabilities != null && capabilities.getDrop() != null ? capabilities.getDrop() : List.of();
            List<String> added =
                    capabilities != null && capabilities.getAdd() != null ? capabilities.getAdd() : List.of();
            check(found, dropped.contains("ALL"), "capabilities: " + at + ".capabilities.drop must contain ALL");
            for (String capability : added) {
                check(
                        found,
                        ADDABLE_CAPABILITIES.contains(capability),
                        "capabilities: " + at + ".capabilities.add has " + capability);
            }
        }
        return found;
    }

    private static List<Container> containers(PodSpec pod) {
        return Stream.of(
                        pod.getInitContainers().stream()
                                .map(c -> new Container(
                                        "initContainers[" + c.getName() + "]", c.getSecurityContext(), c.getPorts())),
                        pod.getContainers().stream()
                                .map(c -> new Container(
                                        "containers[" + c.getName() + "]", c.getSecurityContext(), c.getPorts())),
                        pod.getEphemeralContainers().stream()
                                .map(c -> new Container(
                                        "ephemeralContainers[" + c.getName() + "]",
                                        c.getSecurityContext(),
                                        c.getPorts())))
                .flatMap(s -> s)
                .toList();
    }

    /** The volume's source field, e.g. "emptyDir". */
    static String volumeType(Volume volume) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("awsElasticBlockStore", volume.getAwsElasticBlockStore());
        fields.put("azureDisk", volume.getAzureDisk());
        fields.put("azureFile", volume.getAzureFile());
        fields.put("cephfs", volume.getCephfs());
        fields.put("cinder", volume.getCinder());
        fields.put("configMap", volume.getConfigMap());
        fields.put("csi", volume.getCsi());
        fields.put("downwardAPI", volume.getDownwardAPI());
        fields.put("emptyDir", volume.getEmptyDir());
        fields.put("ephemeral", volume.getEphemeral());
        fields.put("fc", volume.getFc());
        fields.put("flexVolume", volume.getFlexVolume());
        fields.put("flocker", volume.getFlocker());
        fields.put("gcePersistentDisk", volume.getGcePersistentDisk());
        fields.put("gitRepo", volume.getGitRepo());
        fields.put("glusterfs", volume.getGlusterfs());
        fields.put("hostPath", volume.getHostPath());
        fields.put("image", volume.getImage());
        fields.put("iscsi", volume.getIscsi());
        fields.put("nfs", volume.getNfs());
        fields.put("persistentVolumeClaim", volume.getPersistentVolumeClaim());
        fields.put("photonPersistentDisk", volume.getPhotonPersistentDisk());
        fields.put("portworxVolume", volume.getPortworxVolume());
        fields.put("projected", volume.getProjected());
        fields.put("quobyte", volume.getQuobyte());
        fields.put("rbd", volume.getRbd());
        fields.put("scaleIO", volume.getScaleIO());
        fields.put("secret", volume.getSecret());
        fields.put("storageos", volume.getStorageos());
        fields.put("vsphereVolume", volume.getVsphereVolume());
        List<String> set = fields.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(Map.Entry::getKey)
                .toList();
        if (set.size() != 1) {
            return "unknown" + set;
        }
        return set.get(0);
    }

    private static boolean seccompAllowedOrUnset(SeccompProfile profile) {
        return profile == null || "RuntimeDefault".equals(profile.getType()) || "Localhost".equals(profile.getType());
    }

    private static boolean appArmorAllowed(AppArmorProfile profile) {
        return profile == null || "RuntimeDefault".equals(profile.getType()) || "Localhost".equals(profile.getType());
    }

    private static boolean seLinuxAllowed(SELinuxOptions options) {
        return options == null
                || (SELINUX_TYPES.contains(Objects.requireNonNullElse(options.getType(), ""))
                        && isBlank(options.getUser())
                        && isBlank(options.getRole()));
    }

    private static boolean hostProcess(WindowsSecurityContextOptions options) {
        return options != null && isTrue(options.getHostProcess());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isEmpty();
    }

    private static boolean isTrue(Boolean value) {
        return Boolean.TRUE.equals(value);
    }

    private static void check(List<String> found, boolean ok, String violation) {
        if (!ok) {
            found.add(violation);
        }
    }
}
