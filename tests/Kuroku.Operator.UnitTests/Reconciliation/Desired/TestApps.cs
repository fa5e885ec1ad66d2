using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Reconciliation.Desired;

/// <summary>WebApps for the builder tests: a minimal one (nothing defaulted) and the full example.</summary>
internal static class TestApps
{
    public static OperatorOptions Options { get; } = new() { NginxImage = "nginx-test:1" };

    public static WebApp Minimal() => new()
    {
        Metadata = new V1ObjectMeta { Name = "hello", NamespaceProperty = "default", Uid = "uid-hello" },
        Spec = new WebAppSpec
        {
            Image = "ghcr.io/acme/hello:1.0.0",
            Processes = new Dictionary<string, ProcessSpec>
            {
                ["web"] = new() { Command = ["gunicorn", "hello.wsgi", "--bind", "0.0.0.0:$(PORT)"] },
            },
        },
    };

    public static WebApp Full() => new()
    {
        Metadata = new V1ObjectMeta { Name = "shop", NamespaceProperty = "shop", Uid = "uid-shop", Generation = 3 },
        Spec = new WebAppSpec
        {
            Image = "registry.example.com/acme/shop:1.4.2",
            ImagePullSecrets = [new V1LocalObjectReference { Name = "regcred" }],
            Port = 8080,
            Processes = new Dictionary<string, ProcessSpec>
            {
                ["worker"] = new() { Command = ["celery", "-A", "shop", "worker"], Replicas = 1, Size = DynoSizes.Standard2X },
                ["web"] = new()
                {
                    Command = ["gunicorn", "shop.wsgi", "--bind", "0.0.0.0:$(PORT)"],
                    Replicas = 2,
                    Size = DynoSizes.Standard1X,
                    Autoscaling = new AutoscalingSpec { MinReplicas = 2, MaxReplicas = 10, TargetCPUUtilizationPercentage = 70 },
                },
            },
            Release = new ReleasePhaseSpec { Command = ["python", "manage.py", "migrate"] },
            Env =
            [
                new V1EnvVar { Name = "DJANGO_SETTINGS_MODULE", Value = "shop.settings" },
                new V1EnvVar
                {
                    Name = "DATABASE_URL",
                    ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "shop-db", Key = "url" } },
                },
            ],
            EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "shop-secrets" } }],
            HealthCheck = new HealthCheckSpec { Path = "/healthz", BootTimeoutSeconds = 60 },
            Domains = new DomainsSpec
            {
                Hosts = ["shop.example.com"],
                IngressClassName = "nginx",
                Tls = new TlsSpec { ClusterIssuer = "letsencrypt-prod" },
            },
            Static = new StaticSpec { Path = "/static", From = "/app/staticfiles", MaxAgeSeconds = 3600 },
        },
    };

    public static WebApp With(this WebApp app, Action<WebAppSpec> change)
    {
        change(app.Spec);
        return app;
    }

    public static ProcessSpec Web(this WebApp app) => app.Spec.Processes["web"];
}
