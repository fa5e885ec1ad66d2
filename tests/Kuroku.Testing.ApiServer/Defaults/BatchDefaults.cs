using System.Text.Json.Nodes;
using static Kuroku.Testing.ApiServer.Defaults.Fields;

namespace Kuroku.Testing.ApiServer.Defaults;

/// <summary>kube-apiserver's defaults for batch/v1 (pkg/apis/batch/v1/defaults.go), one function per kind.</summary>
public static class BatchDefaults
{
    /// <summary>
    /// SetDefaults_Job: completions and parallelism 1 when both are unset (parallelism 1 when only it is),
    /// backoffLimit 6 (MaxInt32 with backoffLimitPerIndex), the Job's labels from its template's when it
    /// has none, completionMode NonIndexed, suspend false, podReplacementPolicy TerminatingOrFailed (Failed
    /// with a podFailurePolicy; the gate is GA), manualSelector false, onPodConditions status True.
    /// </summary>
    public static void Job(JsonObject job)
    {
        var spec = Struct(job, "spec");
        JobSpec(spec);
        var templateLabels = spec["template"]?["metadata"]?["labels"] as JsonObject;
        var metadata = Struct(job, "metadata");
        if (templateLabels is not null && metadata["labels"] is not JsonObject { Count: > 0 })
        {
            // Go assigns the same map: the selector labels the registry adds to the template show here too.
            metadata["labels"] = templateLabels.DeepClone();
        }
    }

    /// <summary>SetDefaults_CronJob: concurrencyPolicy Allow, suspend false, history limits 3 and 1; the job template's pod spec.</summary>
    public static void CronJob(JsonObject cronJob)
    {
        var spec = Struct(cronJob, "spec");
        DefaultString(spec, "concurrencyPolicy", "Allow");
        DefaultPointer(spec, "suspend", () => false);
        DefaultPointer(spec, "successfulJobsHistoryLimit", () => 3);
        DefaultPointer(spec, "failedJobsHistoryLimit", () => 1);
        if (Child(Child(spec, "jobTemplate") ?? [], "spec") is { } jobSpec)
        {
            PodFailurePolicy(jobSpec);
            PodSpecDefaults.Template(Child(jobSpec, "template"));
        }
    }

    private static void JobSpec(JsonObject spec)
    {
        if (spec["completions"] is null && spec["parallelism"] is null)
        {
            spec["completions"] = 1;
            spec["parallelism"] = 1;
        }

        DefaultPointer(spec, "parallelism", () => 1);
        DefaultPointer(spec, "backoffLimit", () => spec["backoffLimitPerIndex"] is null ? 6 : int.MaxValue);
        DefaultPointer(spec, "completionMode", () => "NonIndexed");
        DefaultPointer(spec, "suspend", () => false);
        DefaultPointer(spec, "podReplacementPolicy", () => spec["podFailurePolicy"] is null ? "TerminatingOrFailed" : "Failed");
        DefaultPointer(spec, "manualSelector", () => false);
        PodFailurePolicy(spec);
        PodSpecDefaults.Template(Child(spec, "template"));
    }

    private static void PodFailurePolicy(JsonObject jobSpec)
    {
        foreach (var rule in Items(Child(jobSpec, "podFailurePolicy"), "rules"))
        {
            foreach (var pattern in Items(rule, "onPodConditions"))
            {
                DefaultString(pattern, "status", "True");
            }
        }
    }
}
