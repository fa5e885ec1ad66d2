using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.Reconciliation.Desired;

/// <summary>
/// The router: an nginx container in every web pod, in front of the app.
///
/// Why a container in the pod and not a shared proxy or the Ingress controller:
/// - static files come from the release image of the same pod (an init container copies them into an
///   emptyDir), so static files and code roll together, release by release, with no extra storage;
/// - the Service alone serves the whole app (`kubectl port-forward svc/app` shows static and dynamic),
///   whatever Ingress controller, or none, the cluster has;
/// - maintenance mode is data, not a pod change: nginx answers 503 while a flag key exists in the
///   router ConfigMap, mounted as a directory (never subPath, which kubelet does not refresh). Turning
///   it on or off rewrites that ConfigMap only: no pod template change, nothing restarts. The cost is
///   the kubelet's ConfigMap refresh: the change shows within about a minute (the kubelet sync period
///   plus its ConfigMap cache TTL), not instantly.
/// It is in every web pod, with or without static files, so that maintenance works for every app and
/// adding static files does not move the Service's port. The probes of the web process go straight to
/// the app's $PORT, not through the router, so maintenance never makes pods unready.
/// nginx.conf changes (static path, max-age, port) are rolled out by the hash annotation on the pod
/// template; the maintenance flag is not in that hash.
/// </summary>
public static class Router
{
    public const string ContainerName = "router";
    public const string StaticCopyContainerName = "static-copy";

    /// <summary>The name of the router's port, and of the Service's target port.</summary>
    public const string PortName = "http";

    /// <summary>The name of the app container's $PORT.</summary>
    public const string AppPortName = "app";

    /// <summary>The router's port, unless the app's $PORT is that port.</summary>
    public const int DefaultPort = 8081;

    /// <summary>The router's port when the app's $PORT is <see cref="DefaultPort"/>.</summary>
    public const int AlternatePort = 8082;

    public const string ConfigMountPath = "/etc/kuroku/router";
    public const string StaticMountPath = "/kuroku-static";
    public const string TempMountPath = "/tmp";

    public const string ConfigVolume = "router-config";
    public const string StaticVolume = "static";
    public const string TempVolume = "router-tmp";

    /// <summary>The pod-template annotation with the hash of nginx.conf: a routing change rolls the pods.</summary>
    public const string ConfigHashAnnotation = "kuroku.dev/router-config-hash";

    /// <summary>The UID and GID the router runs as (nginx-unprivileged's, and nobody's business but nginx's).</summary>
    public const long RunAsUser = 101;

    /// <summary>The router's port for an app: never the app's own $PORT, the same for the same input.</summary>
    public static int PortFor(int appPort) => appPort == DefaultPort ? AlternatePort : DefaultPort;

    /// <summary>What the router of this app does.</summary>
    public static RouterRouting RoutingFor(WebApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var spec = app.Spec ?? new WebAppSpec();
        return new RouterRouting(
            PortFor(spec.Port),
            spec.Port,
            HasStatic(app) ? spec.Static!.Path : null,
            spec.Static?.MaxAgeSeconds ?? Defaults.StaticMaxAgeSeconds);
    }

    /// <summary>The nginx.conf of this app's router, with the container paths.</summary>
    public static string ConfigFor(WebApp app) => NginxConfig.Render(new NginxConfigInput(RoutingFor(app), RouterPaths.Container));

    /// <summary>
    /// The ConfigMap &lt;app&gt;-router, or null when the app has no web process: nginx.conf, the maintenance
    /// page and, only while spec.maintenance is true, the maintenance flag key.
    /// </summary>
    public static V1ConfigMap? BuildConfigMap(WebApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!WebProcess.Exists(app))
        {
            return null;
        }

        var data = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [NginxConfig.ConfigFile] = ConfigFor(app),
            [NginxConfig.MaintenancePageFile] = MaintenancePage,
        };
        if (app.Spec?.Maintenance == true)
        {
            data[NginxConfig.MaintenanceFlagFile] = "on\n";
        }

        return new V1ConfigMap
        {
            Metadata = ChildLabels.Metadata(app, ChildNames.RouterConfigMap(ChildLabels.AppName(app)), ChildLabels.RouterComponent),
            Data = new Dictionary<string, string>(data, StringComparer.Ordinal),
        }.Initialize();
    }

    /// <summary>The router container of a web pod.</summary>
    internal static V1Container Container(WebApp app, OperatorOptions options) => new()
    {
        Name = ContainerName,
        Image = options.NginxImage,
        Command = ["nginx", "-e", "stderr", "-c", $"{ConfigMountPath}/{NginxConfig.ConfigFile}"],
        Ports = [new V1ContainerPort { Name = PortName, ContainerPort = PortFor(app.Spec?.Port ?? Defaults.Port), Protocol = "TCP" }],
        ReadinessProbe = new V1Probe
        {
            TcpSocket = new V1TCPSocketAction { Port = PortName },
            PeriodSeconds = 5,
            FailureThreshold = 3,
        },
        Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
            {
                ["cpu"] = new("50m"),
                ["memory"] = new("32Mi"),
            },
            Limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
            {
                ["cpu"] = new("500m"),
                ["memory"] = new("128Mi"),
            },
        },
        SecurityContext = PodSecurity.Container(readOnlyRootFilesystem: true, runAsUser: RunAsUser),
        VolumeMounts =
        [
            new V1VolumeMount { Name = ConfigVolume, MountPath = ConfigMountPath, ReadOnlyProperty = true },
            .. HasStatic(app)
                ? new[] { new V1VolumeMount { Name = StaticVolume, MountPath = StaticMountPath, ReadOnlyProperty = true } }
                : [],
            new V1VolumeMount { Name = TempVolume, MountPath = TempMountPath },
        ],
    };

    /// <summary>
    /// The init container that copies spec.static.from out of the release image into the static
    /// volume. It runs cp directly (no shell), so the image needs cp but not sh.
    /// </summary>
    internal static V1Container? StaticCopyContainer(WebApp app, V1ResourceRequirements resources)
    {
        var from = app.Spec?.Static?.From;
        if (!HasStatic(app) || string.IsNullOrEmpty(from))
        {
            return null;
        }

        return new V1Container
        {
            Name = StaticCopyContainerName,
            Image = app.Spec!.Image,
            Command = ["cp", "-R", from.TrimEnd('/') + "/.", StaticMountPath + "/"],
            // The pod's effective request is the larger of the init container's and the sum of the
            // others', so the app's own resources cost nothing extra.
            Resources = resources,
            SecurityContext = PodSecurity.Container(readOnlyRootFilesystem: false, runAsUser: null),
            VolumeMounts = [new V1VolumeMount { Name = StaticVolume, MountPath = StaticMountPath }],
        };
    }

    /// <summary>The router's volumes: its ConfigMap as a directory (so kubelet refreshes it), static files, temp.</summary>
    internal static IEnumerable<V1Volume> Volumes(WebApp app)
    {
        yield return new V1Volume
        {
            Name = ConfigVolume,
            ConfigMap = new V1ConfigMapVolumeSource { Name = ChildNames.RouterConfigMap(ChildLabels.AppName(app)) },
        };
        if (HasStatic(app))
        {
            yield return new V1Volume { Name = StaticVolume, EmptyDir = new V1EmptyDirVolumeSource() };
        }

        yield return new V1Volume { Name = TempVolume, EmptyDir = new V1EmptyDirVolumeSource() };
    }

    internal static bool HasStatic(WebApp app) =>
        NginxConfig.StaticPrefix(app.Spec?.Static?.Path) is not null && !string.IsNullOrEmpty(app.Spec?.Static?.From);

    /// <summary>The page shown while the app is in maintenance.</summary>
    public const string MaintenancePage = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Offline for maintenance</title>
        <style>body{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#333}</style>
        </head>
        <body>
        <h1>Offline for maintenance</h1>
        <p>This application is undergoing maintenance right now. Please check back in a moment.</p>
        </body>
        </html>

        """;
}
