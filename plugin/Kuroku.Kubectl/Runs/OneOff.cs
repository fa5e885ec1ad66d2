using System.Globalization;
using Kuroku.Api.Releases;
using Kuroku.Api.V1Alpha1;
using k8s;
using k8s.Models;

namespace Kuroku.Kubectl.Runs;

/// <summary>What a one-off process runs: the app, its live release, the command, the size, and its number (run.N).</summary>
/// <param name="App">The WebApp (its name, namespace, uid, port, pull secrets).</param>
/// <param name="Release">The live release's number.</param>
/// <param name="Snapshot">The live release: image, config vars.</param>
/// <param name="Command">The command line, as an argv (not through a shell).</param>
/// <param name="Size">The size preset.</param>
/// <param name="Number">N of run.N: the pod (or Job) is &lt;app&gt;-run-N.</param>
public sealed record OneOffRun(WebApp App, int Release, ReleaseSnapshot Snapshot, IReadOnlyList<string> Command, DynoSize Size, int Number);

/// <summary>
/// One-off processes, as `heroku run` starts them: a pod (attached) or a Job (detached) running a command with
/// the live release's image and config vars, the app's Pod Security settings ("restricted", as every pod of the
/// app) and a size. They are labelled like the app's pods, plus kuroku.dev/run: N, so `ps` and `logs` name them
/// run.N; managed-by is kubectl-kuroku, so the operator neither caches nor prunes them; the WebApp owns them
/// (not as their controller), so they go when the app goes. Pure.
/// </summary>
public static class OneOff
{
    /// <summary>The label that numbers one-off processes.</summary>
    public const string RunLabel = "kuroku.dev/run";

    /// <summary>The release a one-off process runs.</summary>
    public const string ReleaseAnnotation = "kuroku.dev/release";

    /// <summary>app.kubernetes.io/managed-by of one-off processes: the plugin made them, not the operator.</summary>
    public const string Manager = "kubectl-kuroku";

    public const string Component = "run";

    /// <summary>The container's name.</summary>
    public const string Container = "run";

    /// <summary>Heroku ends one-off dynos after 24 hours; so does the pod's (or Job's) active deadline.</summary>
    public const long MaxRunSeconds = 24 * 60 * 60;

    /// <summary>A detached run's finished Job (and its pod, with the logs) stays this long.</summary>
    public const int TtlSecondsAfterFinished = 3600;

    /// <summary>The label selector of the app's one-off processes.</summary>
    public static string Selector(string app) => $"app.kubernetes.io/part-of={app},{RunLabel}";

    /// <summary>The name of run.N's pod or Job: &lt;app&gt;-run-N.</summary>
    public static string Name(string app, int number) => string.Create(CultureInfo.InvariantCulture, $"{app}-run-{number}");

    /// <summary>The next free number: one more than the highest any run of the app (pod or Job) carries.</summary>
    public static int NextNumber(IEnumerable<V1ObjectMeta> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return runs.Select(m => m.Labels?.TryGetValue(RunLabel, out var n) == true && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
            .DefaultIfEmpty(0).Max() + 1;
    }

    /// <summary>The size of a run: the one asked for, else the web process's, else the default. Unknown names are refused.</summary>
    public static DynoSize SizeFor(WebApp app, string? asked)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (asked is not null)
        {
            return DynoSizes.Find(asked)
                ?? throw new CommandException($"unknown size \"{asked}\" (--size); sizes: {string.Join(", ", DynoSizes.All.Select(s => s.Name))}");
        }

        var web = app.Spec.Processes.TryGetValue(WebAppApi.WebProcess, out var w) ? w : null;
        return DynoSizes.Find(web?.Size) ?? DynoSizes.Find(Defaults.Size)!;
    }

    /// <summary>The pod of an attached run: stdin open once (the session's), a TTY when the user has one; never restarted.</summary>
    public static V1Pod Pod(OneOffRun run, bool tty)
    {
        ArgumentNullException.ThrowIfNull(run);
        var spec = PodSpec(run);
        spec.ActiveDeadlineSeconds = MaxRunSeconds;
        var container = spec.Containers[0];
        container.Stdin = true;
        container.StdinOnce = true;
        container.Tty = tty;
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = Metadata(run),
            Spec = spec,
        };
    }

    /// <summary>The Job of a detached run (`heroku run:detached`): no retry, the same deadline, removed an hour after it ends.</summary>
    public static V1Job Job(OneOffRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var metadata = Metadata(run);
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = metadata,
            Spec = new V1JobSpec
            {
                BackoffLimit = 0,
                ActiveDeadlineSeconds = MaxRunSeconds,
                TtlSecondsAfterFinished = TtlSecondsAfterFinished,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = new Dictionary<string, string>(metadata.Labels, StringComparer.Ordinal),
                        Annotations = new Dictionary<string, string>(metadata.Annotations, StringComparer.Ordinal),
                    },
                    Spec = PodSpec(run),
                },
            },
        };
    }

    /// <summary>The labels of run.N: the app's recommended labels with component run, and the number.</summary>
    public static IDictionary<string, string> Labels(string app, int number) => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/component"] = Component,
        ["app.kubernetes.io/instance"] = app,
        ["app.kubernetes.io/managed-by"] = Manager,
        ["app.kubernetes.io/name"] = app,
        ["app.kubernetes.io/part-of"] = app,
        [RunLabel] = number.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The container's env, as the operator gives every process: PORT, the size's WEB_CONCURRENCY unless the
    /// release sets it, then the release's config vars in their order (a PORT among them is the platform's).
    /// </summary>
    public static IList<V1EnvVar> Env(WebApp app, ReleaseSnapshot release, DynoSize size)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(size);
        var own = (release.Env ?? []).Where(e => e is not null).ToList();
        var env = new List<V1EnvVar> { new() { Name = "PORT", Value = app.Spec.Port.ToString(CultureInfo.InvariantCulture) } };
        if (!own.Any(e => e.Name == "WEB_CONCURRENCY"))
        {
            env.Add(new V1EnvVar { Name = "WEB_CONCURRENCY", Value = size.WebConcurrency.ToString(CultureInfo.InvariantCulture) });
        }

        env.AddRange(own.Where(e => e.Name != "PORT").Select(Clone));
        return env;
    }

    private static V1ObjectMeta Metadata(OneOffRun run)
    {
        var app = run.App.Metadata.Name;
        return new V1ObjectMeta
        {
            Name = Name(app, run.Number),
            NamespaceProperty = run.App.Metadata.NamespaceProperty,
            Labels = Labels(app, run.Number),
            Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["kubectl.kubernetes.io/default-container"] = Container,
                [ReleaseAnnotation] = run.Release.ToString(CultureInfo.InvariantCulture),
            },
            // Owned, not controlled: the app's deletion takes its runs along; no controller adopts or prunes them.
            OwnerReferences =
            [
                new V1OwnerReference
                {
                    ApiVersion = WebAppApi.ApiVersion,
                    Kind = WebAppApi.Kind,
                    Name = app,
                    Uid = run.App.Metadata.Uid,
                    Controller = false,
                    BlockOwnerDeletion = false,
                },
            ],
        };
    }

    private static V1PodSpec PodSpec(OneOffRun run)
    {
        var size = run.Size;
        return new V1PodSpec
        {
            RestartPolicy = "Never",
            EnableServiceLinks = false,
            AutomountServiceAccountToken = false,
            ImagePullSecrets = run.App.Spec.ImagePullSecrets is { Count: > 0 } secrets ? [.. secrets.Select(Clone)] : null,
            SecurityContext = new V1PodSecurityContext
            {
                RunAsNonRoot = true,
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            Containers =
            [
                new V1Container
                {
                    Name = Container,
                    Image = run.Snapshot.Image,
                    Command = [.. run.Command],
                    Env = Env(run.App, run.Snapshot, size),
                    EnvFrom = run.Snapshot.EnvFrom is { Count: > 0 } envFrom ? [.. envFrom.Select(Clone)] : null,
                    Resources = new V1ResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new(size.CpuRequest), ["memory"] = new(size.Memory) },
                        Limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new(size.CpuLimit), ["memory"] = new(size.Memory) },
                    },
                    SecurityContext = new V1SecurityContext
                    {
                        AllowPrivilegeEscalation = false,
                        Capabilities = new V1Capabilities { Drop = ["ALL"] },
                        RunAsNonRoot = true,
                        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                    },
                },
            ],
        };
    }

    private static T Clone<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
}
