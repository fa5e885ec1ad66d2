using System.Globalization;
using System.Text;
using Kuroku.Api.V1Alpha1;
using k8s.Models;

namespace Kuroku.Benchmarks.Fleet;

/// <summary>The four shapes of app in the fleet, in the order they are dealt out.</summary>
public enum AppKind
{
    /// <summary>examples/minimal.yaml: an image and a web process.</summary>
    Web,

    /// <summary>A web and a worker process.</summary>
    WebWorker,

    /// <summary>Web with two replicas, domains.hosts and static files (router ConfigMap, PDB, Ingress).</summary>
    HostsStatic,

    /// <summary>Web with config vars from Secrets: envFrom secretRef and one env valueFrom.secretKeyRef.</summary>
    SecretConfig,
}

/// <summary>One app of the fleet: where it lives, its kind, and the Secrets it reads.</summary>
public sealed record FleetApp(int Index, AppKind Kind, string Namespace, string Name)
{
    public string Key => $"{Namespace}/{Name}";
}

/// <summary>
/// The fleet of a run: N apps dealt evenly over the four kinds (app i is kind i mod 4), each kind's
/// apps packed into namespaces of at most <c>appsPerNamespace</c>. A namespace holds one kind only, so
/// that writes counted per namespace (the API server's request log has the namespace of every write,
/// not always the name) tell the writes of each kind apart. Pure: same arguments, same fleet.
/// </summary>
public sealed class AppMix
{
    public const string RunLabel = "bench.kuroku.dev/run";
    public const string KindLabel = "bench.kuroku.dev/kind";
    public const string ImageRepository = "registry.example.com/bench/";

    public AppMix(string runId, int apps, int appsPerNamespace, string namespacePrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentOutOfRangeException.ThrowIfLessThan(apps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(appsPerNamespace, 1);
        RunId = runId;
        var perKind = new int[4];
        var list = new List<FleetApp>(apps);
        for (var i = 0; i < apps; i++)
        {
            var kind = (AppKind)(i % 4);
            var slot = perKind[(int)kind]++;
            var ns = $"{namespacePrefix}-{Slug(kind)}-{(slot / appsPerNamespace).ToString("D3", CultureInfo.InvariantCulture)}";
            list.Add(new FleetApp(i, kind, ns, $"{Slug(kind)}-{i.ToString("D5", CultureInfo.InvariantCulture)}"));
        }

        Apps = list;
        Namespaces = [.. list.Select(a => a.Namespace).Distinct(StringComparer.Ordinal)];
    }

    public string RunId { get; }

    public IReadOnlyList<FleetApp> Apps { get; }

    public IReadOnlyList<string> Namespaces { get; }

    /// <summary>Short, DNS-safe name of a kind, used in app and namespace names.</summary>
    public static string Slug(AppKind kind) => kind switch
    {
        AppKind.Web => "web",
        AppKind.WebWorker => "worker",
        AppKind.HostsStatic => "static",
        AppKind.SecretConfig => "config",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>How a kind reads in the report.</summary>
    public static string Describe(AppKind kind) => kind switch
    {
        AppKind.Web => "web only (minimal)",
        AppKind.WebWorker => "web + worker",
        AppKind.HostsStatic => "hosts + static",
        AppKind.SecretConfig => "config from Secrets",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The kind whose apps live in a namespace of this mix, or null for a namespace of no kind.</summary>
    public static AppKind? KindOfNamespace(string? ns, string namespacePrefix)
    {
        if (ns is null || !ns.StartsWith(namespacePrefix + "-", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = ns[(namespacePrefix.Length + 1)..];
        foreach (var kind in Enum.GetValues<AppKind>())
        {
            if (rest.StartsWith(Slug(kind) + "-", StringComparison.Ordinal))
            {
                return kind;
            }
        }

        return null;
    }

    public static string Image(AppKind kind, int release) => $"{ImageRepository}{Slug(kind)}:1.0.{(release - 1).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The WebApp as a user would create it (release 1's image).</summary>
    public WebApp WebApp(FleetApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var spec = new WebAppSpec
        {
            Image = Image(app.Kind, 1),
            Processes = new Dictionary<string, ProcessSpec>(StringComparer.Ordinal)
            {
                [WebAppApi.WebProcess] = new() { Command = ["gunicorn", "app.wsgi", "--bind", "0.0.0.0:$(PORT)"] },
            },
        };
        switch (app.Kind)
        {
            case AppKind.WebWorker:
                spec.Processes["worker"] = new ProcessSpec { Command = ["celery", "-A", "app", "worker"] };
                break;
            case AppKind.HostsStatic:
                spec.Processes[WebAppApi.WebProcess].Replicas = 2;
                spec.Domains = new DomainsSpec { Hosts = [$"{app.Name}.{app.Namespace}.bench.example.com"] };
                spec.Static = new StaticSpec { Path = "/static", From = "/app/staticfiles" };
                break;
            case AppKind.SecretConfig:
                spec.Env =
                [
                    new V1EnvVar { Name = "DJANGO_SETTINGS_MODULE", Value = "app.settings" },
                    new V1EnvVar { Name = "DATABASE_URL", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = DatabaseSecret(app), Key = "url" } } },
                ];
                spec.EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = ConfigSecret(app) } }];
                break;
        }

        return new WebApp
        {
            Metadata = new V1ObjectMeta
            {
                Name = app.Name,
                NamespaceProperty = app.Namespace,
                Labels = new Dictionary<string, string>(StringComparer.Ordinal) { [RunLabel] = RunId, [KindLabel] = Slug(app.Kind) },
            },
            Spec = spec,
        };
    }

    /// <summary>The Secrets an app reads (none but for <see cref="AppKind.SecretConfig"/>).</summary>
    public static IReadOnlyList<V1Secret> Secrets(FleetApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Kind != AppKind.SecretConfig)
        {
            return [];
        }

        static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
        return
        [
            new V1Secret
            {
                ApiVersion = "v1",
                Kind = "Secret",
                Metadata = new V1ObjectMeta { Name = ConfigSecret(app), NamespaceProperty = app.Namespace },
                Data = new Dictionary<string, byte[]>(StringComparer.Ordinal)
                {
                    ["SECRET_KEY"] = B($"secret-{app.Name}-0123456789abcdef0123456789abcdef"),
                    ["SENTRY_DSN"] = B($"https://public@sentry.example.com/{app.Index.ToString(CultureInfo.InvariantCulture)}"),
                    ["REDIS_URL"] = B($"redis://redis.{app.Namespace}:6379/0"),
                },
            },
            new V1Secret
            {
                ApiVersion = "v1",
                Kind = "Secret",
                Metadata = new V1ObjectMeta { Name = DatabaseSecret(app), NamespaceProperty = app.Namespace },
                Data = new Dictionary<string, byte[]>(StringComparer.Ordinal)
                {
                    ["url"] = B($"postgres://{app.Name}:pw@postgres.{app.Namespace}:5432/{app.Name}"),
                },
            },
        ];
    }

    public static string ConfigSecret(FleetApp app) => $"{app?.Name}-env";

    public static string DatabaseSecret(FleetApp app) => $"{app?.Name}-db";
}
