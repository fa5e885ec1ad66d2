using System.Net;
using FluentValidation;
using Kuroku.Api.V1Alpha1;
using Kuroku.Api.Validation;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Reconciliation;
using Kuroku.Operator.Reconciliation.Apply;
using Kuroku.Operator.Reconciliation.Releases;
using Kuroku.Operator.Telemetry;
using Kuroku.Operator.Webhooks;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;
using Kuroku.Runtime.Controller;
using Kuroku.Runtime.Hosting;
using Kuroku.Runtime.Informers;
using Kuroku.Runtime.LeaderElection;
using Kuroku.Runtime.Queue;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.Hosting;

/// <summary>
/// The `run` process: the controller (under leader election), and on every replica the health and
/// metrics endpoints over HTTP and the admission webhook over HTTPS. Wiring only; no logic lives here.
/// </summary>
public static class OperatorHost
{
    public const string WebhookPath = "/validate-kuroku-dev-v1alpha1-webapp";

    public static WebApplication Build(OperatorOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Any, options.HttpPort);
            if (options.Webhooks)
            {
                kestrel.Listen(IPAddress.Any, options.WebhookPort, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificateSelector = (_, _) => listen.ApplicationServices.GetRequiredService<WebhookCertificate>().Current,
                }));
            }
        });

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        var metrics = new RuntimeMetrics();
        services.AddSingleton<IApiMetrics>(metrics);
        services.AddSingleton<IWorkQueueMetrics>(metrics);
        services.AddSingleton<IControllerMetrics>(metrics);
        services.AddSingleton<IInformerMetrics>(metrics);
        services.AddControllerRuntime(
            _ => new Kubernetes(ClientConfiguration(options)),
            new LeaderElectionOptions { Enabled = options.LeaderElection, Namespace = options.LeaderElectionNamespace, Identity = options.Identity },
            options.KubeApiQps > 0 ? new RequestThrottle(options.KubeApiQps, options.KubeApiBurst) : null);
        services.AddController<WebApp>(
            new ControllerManagerOptions
            {
                Name = "webapp",
                Namespace = options.Namespace,
                ResyncPeriod = options.ResyncPeriod,
                Controller = new ControllerOptions { Workers = options.Workers },
            },
            Watches(),
            sp => WebAppReconciler.Create(
                sp.GetRequiredService<IObjectReader>(), sp.GetRequiredService<IObjectWriter>(), sp.GetRequiredService<IEventRecorder>(),
                options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));

        services.AddSingleton<IValidator<WebApp>, WebAppValidator>();
        services.AddSingleton<WebhookCertificate>();
        services.AddSingleton<AdmissionHandler>();
        if (options.Webhooks)
        {
            services.AddHostedService<WebhookCertificateBootstrap>();
        }

        var otlp = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        services.AddOpenTelemetry()
            .WithMetrics(m =>
            {
                m.AddMeter(KurokuTelemetry.Name).AddPrometheusExporter();
                if (otlp)
                {
                    m.AddOtlpExporter();
                }
            })
            .WithTracing(t =>
            {
                t.AddSource(KurokuTelemetry.Name);
                if (otlp)
                {
                    t.AddOtlpExporter();
                }
            });

        configure?.Invoke(builder);
        var app = builder.Build();
        var leader = app.Services.GetRequiredService<ILeaderStatus>();
        var observed = KurokuTelemetry.Observe(() => metrics.Depth, () => leader.IsLeader);
        app.Lifetime.ApplicationStopped.Register(observed.Dispose);

        // Each endpoint answers on its own port only: webhooks over HTTPS, the rest over plain HTTP.
        app.Use((context, next) =>
        {
            var webhook = context.Request.Path.StartsWithSegments(WebhookPath, StringComparison.Ordinal);
            var port = context.Connection.LocalPort;
            if (webhook ? port != options.WebhookPort : port != options.HttpPort)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", (IServiceProvider sp) => Readiness(sp, options));
        if (options.Webhooks)
        {
            app.MapPost(WebhookPath, AdmissionEndpoint.HandleAsync);
        }

        return app;
    }

    /// <summary>
    /// Ready when this replica does its part: the webhook has its certificate, and the controller's
    /// caches have synced (a replica that is not the leader runs no controller and is ready without it).
    /// </summary>
    private static IResult Readiness(IServiceProvider sp, OperatorOptions options)
    {
        var problems = new List<string>();
        if (options.Webhooks && sp.GetRequiredService<WebhookCertificate>().Current is null)
        {
            problems.Add("webhook certificate not loaded");
        }

        var leading = !options.LeaderElection || sp.GetRequiredService<ILeaderStatus>().IsLeader;
        if (leading && !sp.GetRequiredService<ControllerManager<WebApp>>().IsRunning)
        {
            problems.Add("controller caches not synced");
        }

        return problems.Count == 0
            ? Results.Text("ok")
            : Results.Text(string.Join("; ", problems), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>The index of WebApps by the Secrets and ConfigMaps their config vars read: "namespace/Kind/name".</summary>
    public const string ConfigReferenceIndex = "config-reference";

    /// <summary>
    /// What the WebApp controller watches: WebApps (indexed by the config they read); every kind they own,
    /// Kuroku's objects only (by label) and trimmed to what the reconciler reads (a change enqueues the
    /// owner); and the metadata alone of Secrets and ConfigMaps (a change of a referenced one enqueues every
    /// WebApp that reads it, so a new release follows a change of its data). No Secret's data is cached.
    /// </summary>
    public static IReadOnlyList<WatchRegistration> Watches()
    {
        static IEnumerable<ObjectKey> Referencing(IObjectReader cache, string kind, V1ObjectMeta meta) =>
            cache.ListByIndex<WebApp>(ConfigReferenceIndex, $"{meta.NamespaceProperty}/{kind}/{meta.Name}").Select(ObjectKey.Of);

        return
        [
            Runtime.Controller.Watches.For<WebApp>() with
            {
                Indexers = new Dictionary<string, IndexFunc>
                {
                    [ConfigReferenceIndex] = json => CacheJson.Deserialize<WebApp>(json) is { Spec: not null } app
                        ? ConfigReferences.Collect(app).Select(r => $"{app.Metadata.NamespaceProperty}/{r.Kind}/{r.Name}")
                        : [],
                },
            },
            .. OwnedKinds.All.Select(k => k.Watch()),
            Runtime.Controller.Watches.Map<V1ConfigMap>((map, cache) => Referencing(cache, "ConfigMap", map)) with { MetadataOnly = true },
            Runtime.Controller.Watches.Map<V1Secret>((secret, cache) => Referencing(cache, "Secret", secret)) with { MetadataOnly = true },
        ];
    }

    private static KubernetesClientConfiguration ClientConfiguration(OperatorOptions options) =>
        KubeconfigLoader.Load(options.Kubeconfig, options.Context);
}
