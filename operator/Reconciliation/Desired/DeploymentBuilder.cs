using System.Globalization;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.Reconciliation.Desired;

/// <summary>The Deployment of one process: &lt;app&gt;-&lt;process&gt;.</summary>
public static class DeploymentBuilder
{
    /// <summary>kubectl logs/exec pick this container when none is named: the process, not the router.</summary>
    public const string DefaultContainerAnnotation = "kubectl.kubernetes.io/default-container";

    /// <summary>
    /// The pod-template annotation that carries spec.processes.*.restartedAt: a new value rolls the pods
    /// (kubectl rollout restart's mechanism, under Kuroku's own name), and is no part of the release.
    /// </summary>
    public const string RestartedAtAnnotation = "kuroku.dev/restarted-at";

    public const string PortVariable = "PORT";
    public const string WebConcurrencyVariable = "WEB_CONCURRENCY";

    /// <summary>The startup probe checks this often; its failure threshold spends the boot timeout.</summary>
    public const int StartupProbePeriodSeconds = 2;

    /// <summary>
    /// The Deployment of the process. Web pods get the router, probes on $PORT and a zero-downtime
    /// rollout; every pod gets PORT, the config vars, the size's resources and the release hash.
    /// replicas is left out (null) while the process autoscales, so the operator and the HPA never fight.
    /// </summary>
    public static V1Deployment Build(WebApp app, string process, ProcessSpec? spec, OperatorOptions options, string? releaseHash = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(options);
        spec ??= new ProcessSpec();
        var appName = ChildLabels.AppName(app);
        var isWeb = process == WebAppApi.WebProcess;
        var resources = Resources(spec);

        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [DefaultContainerAnnotation] = process,
            [ReleaseHash.Annotation] = releaseHash ?? ReleaseHash.Compute(app.Spec ?? new WebAppSpec()),
        };
        if (isWeb)
        {
            annotations[Router.ConfigHashAnnotation] = ContentHash.Of(Router.ConfigFor(app));
        }

        if (spec.RestartedAt is { } restartedAt)
        {
            annotations[RestartedAtAnnotation] = Timestamp(restartedAt);
        }

        var podSpec = new V1PodSpec
        {
            Containers = isWeb ? [AppContainer(app, process, spec, resources), Router.Container(app, options)] : [AppContainer(app, process, spec, resources)],
            EnableServiceLinks = false,
            AutomountServiceAccountToken = false,
            ImagePullSecrets = app.Spec?.ImagePullSecrets is { Count: > 0 } secrets ? Clone(secrets) : null,
            SecurityContext = PodSecurity.Pod(),
        };
        if (isWeb)
        {
            var staticCopy = Router.StaticCopyContainer(app, Clone(resources));
            podSpec.InitContainers = staticCopy is null ? null : [staticCopy];
            podSpec.Volumes = Router.Volumes(app).ToList();
        }

        return new V1Deployment
        {
            Metadata = ChildLabels.Metadata(app, ChildNames.Process(appName, process), process, versioned: true),
            Spec = new V1DeploymentSpec
            {
                Replicas = spec.Autoscaling is null ? spec.Replicas ?? Defaults.Replicas : null,
                Selector = new V1LabelSelector { MatchLabels = ChildLabels.Selector(app, process) },
                Strategy = isWeb ? ZeroDowntime() : Rolling(),
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = ChildLabels.For(app, process, versioned: true),
                        Annotations = new Dictionary<string, string>(annotations, StringComparer.Ordinal),
                    },
                    Spec = podSpec,
                },
            },
        }.Initialize();
    }

    /// <summary>
    /// The container's env, in this order: PORT (the platform's; a PORT in spec.env is dropped), the
    /// size's WEB_CONCURRENCY unless spec.env sets it, then spec.env in the user's order (the order
    /// matters to $(VAR) references). envFrom stays in the container's envFrom; note that Kubernetes
    /// lets env win over envFrom, so a WEB_CONCURRENCY only in an envFrom source loses to the default.
    /// </summary>
    public static IList<V1EnvVar> Env(WebApp app, ProcessSpec? spec)
    {
        ArgumentNullException.ThrowIfNull(app);
        var userEnv = (app.Spec?.Env ?? []).Where(e => e is not null).ToList();
        var env = new List<V1EnvVar>
        {
            new() { Name = PortVariable, Value = (app.Spec?.Port ?? Defaults.Port).ToString(CultureInfo.InvariantCulture) },
        };
        if (!userEnv.Any(e => e.Name == WebConcurrencyVariable))
        {
            env.Add(new V1EnvVar { Name = WebConcurrencyVariable, Value = Size(spec).WebConcurrency.ToString(CultureInfo.InvariantCulture) });
        }

        env.AddRange(userEnv.Where(e => e.Name != PortVariable).Select(Clone));
        return env;
    }

    /// <summary>spec.resources when set (it replaces the preset whole), else the size preset's requests and limits.</summary>
    public static V1ResourceRequirements Resources(ProcessSpec? spec)
    {
        if (spec?.Resources is { } own && (own.Requests is { Count: > 0 } || own.Limits is { Count: > 0 } || own.Claims is { Count: > 0 }))
        {
            return Clone(own);
        }

        var size = Size(spec);
        return new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
            {
                ["cpu"] = new(size.CpuRequest),
                ["memory"] = new(size.Memory),
            },
            Limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
            {
                ["cpu"] = new(size.CpuLimit),
                ["memory"] = new(size.Memory),
            },
        };
    }

    /// <summary>The process's size preset; absent or unknown reads as the default size.</summary>
    public static DynoSize Size(ProcessSpec? spec) => DynoSizes.Find(spec?.Size) ?? DynoSizes.Find(Defaults.Size)!;

    internal static V1Container AppContainer(WebApp app, string process, ProcessSpec spec, V1ResourceRequirements resources)
    {
        var isWeb = process == WebAppApi.WebProcess;
        var port = app.Spec?.Port ?? Defaults.Port;
        var container = new V1Container
        {
            Name = process,
            Image = app.Spec?.Image,
            Command = spec.Command is { Count: > 0 } command ? [.. command] : null,
            Args = spec.Args is { Count: > 0 } args ? [.. args] : null,
            Env = Env(app, spec),
            EnvFrom = app.Spec?.EnvFrom is { Count: > 0 } envFrom ? Clone(envFrom) : null,
            Resources = resources,
            SecurityContext = PodSecurity.Container(readOnlyRootFilesystem: false, runAsUser: null),
        };
        if (isWeb)
        {
            container.Ports = [new V1ContainerPort { Name = Router.AppPortName, ContainerPort = port, Protocol = "TCP" }];
            var boot = Math.Max(1, app.Spec?.HealthCheck?.BootTimeoutSeconds ?? Defaults.BootTimeoutSeconds);
            var path = app.Spec?.HealthCheck?.Path;
            // Heroku's R10: the process has bootTimeoutSeconds to bind $PORT (and pass its check).
            container.StartupProbe = Probe(path, StartupProbePeriodSeconds, timeoutSeconds: 1,
                failureThreshold: (boot + StartupProbePeriodSeconds - 1) / StartupProbePeriodSeconds);
            container.ReadinessProbe = Probe(path, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3);
            container.LivenessProbe = Probe(path, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3);
        }

        return container;
    }

    /// <summary>HTTP GET of the health check path on the app's port when set, else a TCP connect to it.</summary>
    private static V1Probe Probe(string? path, int periodSeconds, int timeoutSeconds, int failureThreshold) => new()
    {
        HttpGet = string.IsNullOrEmpty(path) ? null : new V1HTTPGetAction { Path = path, Port = Router.AppPortName },
        TcpSocket = string.IsNullOrEmpty(path) ? new V1TCPSocketAction { Port = Router.AppPortName } : null,
        PeriodSeconds = periodSeconds,
        TimeoutSeconds = timeoutSeconds,
        FailureThreshold = failureThreshold,
    };

    /// <summary>
    /// Other processes roll as Kubernetes rolls by default (RollingUpdate, 25% surge, 25% unavailable),
    /// written out: a field Kuroku owns and leaves empty would be defaulted by the API server, differ from
    /// the desired state on every event and be written again each time.
    /// </summary>
    private static V1DeploymentStrategy Rolling() => new()
    {
        Type = "RollingUpdate",
        RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = "25%", MaxSurge = "25%" },
    };

    /// <summary>
    /// Preboot: new pods must be ready before old ones go. maxSurge 25% rounds up, so it is at least
    /// one pod whenever there is one.
    /// </summary>
    private static V1DeploymentStrategy ZeroDowntime() => new()
    {
        Type = "RollingUpdate",
        RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 0, MaxSurge = "25%" },
    };

    /// <summary>An instant as RFC 3339 in UTC, to the second (with a fraction only when it has one).</summary>
    internal static string Timestamp(DateTime at) =>
        DateTime.SpecifyKind(at, at.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : at.Kind).ToUniversalTime()
            .ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>A deep copy, so the output never shares mutable objects with the WebApp.</summary>
    internal static T Clone<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value));
}
