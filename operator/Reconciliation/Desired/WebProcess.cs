using Kuroku.Api.V1Alpha1;

namespace Kuroku.Operator.Reconciliation.Desired;

/// <summary>Facts about the processes of a WebApp, with absent fields read as their defaults.</summary>
public static class WebProcess
{
    /// <summary>Whether the app has a web process (and so a router, a Service, maybe an Ingress).</summary>
    public static bool Exists(WebApp app) => Find(app) is not null;

    /// <summary>The web process's spec, or null when there is none.</summary>
    public static ProcessSpec? Find(WebApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var processes = app.Spec?.Processes;
        return processes is not null && processes.TryGetValue(WebAppApi.WebProcess, out var web) ? web ?? new ProcessSpec() : null;
    }

    /// <summary>The processes by name, in ordinal order, with null specs read as all-defaults.</summary>
    public static IReadOnlyList<KeyValuePair<string, ProcessSpec>> Ordered(WebApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return (app.Spec?.Processes ?? new Dictionary<string, ProcessSpec>())
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, p.Value ?? new ProcessSpec()))
            .ToList();
    }

    /// <summary>Whether the process runs on a schedule (a CronJob) rather than all the time (a Deployment).</summary>
    public static bool IsScheduled(ProcessSpec? spec) => spec?.Schedule is not null;

    /// <summary>The processes that run all the time (Deployments), by name in ordinal order.</summary>
    public static IReadOnlyList<KeyValuePair<string, ProcessSpec>> LongRunning(WebApp app) =>
        Ordered(app).Where(p => !IsScheduled(p.Value)).ToList();

    /// <summary>The processes that run on a schedule (CronJobs), by name in ordinal order.</summary>
    public static IReadOnlyList<KeyValuePair<string, ProcessSpec>> Scheduled(WebApp app) =>
        Ordered(app).Where(p => IsScheduled(p.Value)).ToList();
}
