using System.Globalization;
using Kuroku.Api.Releases;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Reconciliation.Desired;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.Reconciliation.Releases;

/// <summary>
/// The release phase: a Job &lt;app&gt;-release-v&lt;N&gt; that runs spec.release.command with the new
/// release's image and config vars, before any process is updated.
/// </summary>
public static class ReleaseJob
{
    public const string Component = "release";
    public const string VersionLabel = "kuroku.dev/release";

    /// <summary>A finished Job is removed by the cluster after this long (its result is in the release's record).</summary>
    public const int TtlSecondsAfterFinished = 3600;

    public static string Name(WebApp app, int version)
    {
        ArgumentNullException.ThrowIfNull(app);
        return string.Create(CultureInfo.InvariantCulture, $"{app.Metadata.Name}-release-v{version}");
    }

    /// <summary>The Job for release <paramref name="version"/>; null when the app has no release command.</summary>
    public static V1Job? Build(WebApp app, int version, ReleaseSnapshot release)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(release);
        if (app.Spec.Release is not { Command.Count: > 0 } phase)
        {
            return null;
        }

        var view = ReleaseView.For(app, release);
        var metadata = ChildLabels.Metadata(app, Name(app, version), Component);
        metadata.Labels[VersionLabel] = version.ToString(CultureInfo.InvariantCulture);
        var podLabels = new Dictionary<string, string>(metadata.Labels, StringComparer.Ordinal);
        return new V1Job
        {
            Metadata = metadata,
            Spec = new V1JobSpec
            {
                // No retries beyond what the spec allows; the timeout bounds the whole phase.
                BackoffLimit = phase.BackoffLimit ?? Defaults.ReleaseBackoffLimit,
                ActiveDeadlineSeconds = phase.TimeoutSeconds ?? Defaults.ReleaseTimeoutSeconds,
                TtlSecondsAfterFinished = TtlSecondsAfterFinished,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = podLabels },
                    Spec = new V1PodSpec
                    {
                        RestartPolicy = "Never",
                        EnableServiceLinks = false,
                        AutomountServiceAccountToken = false,
                        ImagePullSecrets = view.Spec.ImagePullSecrets is { Count: > 0 } s ? [.. s] : null,
                        SecurityContext = PodSecurity.Pod(),
                        Containers =
                        [
                            new V1Container
                            {
                                Name = Component,
                                Image = view.Spec.Image,
                                Command = [.. phase.Command],
                                Env = DeploymentBuilder.Env(view, null),
                                EnvFrom = view.Spec.EnvFrom is { Count: > 0 } envFrom ? [.. envFrom] : null,
                                Resources = DeploymentBuilder.Resources(null),
                                SecurityContext = PodSecurity.Container(readOnlyRootFilesystem: false, runAsUser: null),
                            },
                        ],
                    },
                },
            },
        }.Initialize();
    }
}
