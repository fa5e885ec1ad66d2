using Kuroku.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.Reconciliation.Desired;

/// <summary>
/// The batch/v1 CronJob &lt;app&gt;-&lt;process&gt; of a scheduled process (spec.processes.*.schedule), as
/// Heroku Scheduler runs a job: the live release's image, config vars and command, the process's size,
/// Pod Security "restricted", one run at a time, no retry, a short history.
/// </summary>
public static class CronJobBuilder
{
    /// <summary>Finished Jobs of a schedule the cluster keeps (the CronJob controller deletes older ones).</summary>
    public const int SuccessfulJobsHistoryLimit = 3;

    /// <summary>Failed Jobs the cluster keeps: the last one, with its pod's logs.</summary>
    public const int FailedJobsHistoryLimit = 1;

    /// <summary>
    /// The CronJob, or null when the process has no schedule. A run that is still going when the next
    /// one is due makes that one skip (concurrencyPolicy Forbid); a failed run is not retried
    /// (backoffLimit 0: the next schedule is the retry). replicas 0 suspends the schedule.
    /// </summary>
    public static V1CronJob? Build(WebApp app, string process, ProcessSpec? spec, string? releaseHash = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(process);
        if (spec?.Schedule is not { } schedule)
        {
            return null;
        }

        var labels = ChildLabels.For(app, process, versioned: true);
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [DeploymentBuilder.DefaultContainerAnnotation] = process,
            [ReleaseHash.Annotation] = releaseHash ?? ReleaseHash.Compute(app.Spec ?? new WebAppSpec()),
        };
        return new V1CronJob
        {
            Metadata = ChildLabels.Metadata(app, ChildNames.Process(ChildLabels.AppName(app), process), process, versioned: true),
            Spec = new V1CronJobSpec
            {
                Schedule = schedule,
                TimeZone = spec.TimeZone,
                ConcurrencyPolicy = "Forbid",
                Suspend = (spec.Replicas ?? Defaults.Replicas) == 0,
                SuccessfulJobsHistoryLimit = SuccessfulJobsHistoryLimit,
                FailedJobsHistoryLimit = FailedJobsHistoryLimit,
                JobTemplate = new V1JobTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string>(labels, StringComparer.Ordinal) },
                    Spec = new V1JobSpec
                    {
                        BackoffLimit = 0,
                        Template = new V1PodTemplateSpec
                        {
                            Metadata = new V1ObjectMeta
                            {
                                Labels = new Dictionary<string, string>(labels, StringComparer.Ordinal),
                                Annotations = annotations,
                            },
                            Spec = new V1PodSpec
                            {
                                RestartPolicy = "Never",
                                EnableServiceLinks = false,
                                AutomountServiceAccountToken = false,
                                ImagePullSecrets = app.Spec?.ImagePullSecrets is { Count: > 0 } secrets ? DeploymentBuilder.Clone(secrets) : null,
                                SecurityContext = PodSecurity.Pod(),
                                Containers = [DeploymentBuilder.AppContainer(app, process, spec, DeploymentBuilder.Resources(spec))],
                            },
                        },
                    },
                },
            },
        }.Initialize();
    }
}
