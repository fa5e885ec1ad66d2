using k8s.Models;

namespace Kuroku.Operator.Reconciliation.Desired;

/// <summary>
/// Security contexts that meet the Pod Security Standard "restricted". The app's image must run as a
/// numeric non-root USER (the kubelet refuses runAsNonRoot with a root or non-numeric user); the
/// operator does not pick a UID for it, because files in the image belong to the image's user.
/// </summary>
public static class PodSecurity
{
    public static V1PodSecurityContext Pod() => new()
    {
        RunAsNonRoot = true,
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    public static V1SecurityContext Container(bool readOnlyRootFilesystem, long? runAsUser) => new()
    {
        AllowPrivilegeEscalation = false,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
        ReadOnlyRootFilesystem = readOnlyRootFilesystem ? true : null,
        RunAsNonRoot = true,
        RunAsUser = runAsUser,
        RunAsGroup = runAsUser,
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };
}
