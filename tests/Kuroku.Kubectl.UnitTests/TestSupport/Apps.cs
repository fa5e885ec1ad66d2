using Kuroku.Api.V1Alpha1;
using k8s.Models;

namespace Kuroku.Kubectl.UnitTests.TestSupport;

/// <summary>WebApps for the tests: the design's "shop", web autoscaled, worker scaled by hand.</summary>
internal static class Apps
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static WebApp Shop(string resourceVersion = "41") => new()
    {
        Metadata = new V1ObjectMeta { Name = "shop", NamespaceProperty = "shop", ResourceVersion = resourceVersion },
        Spec = new WebAppSpec
        {
            Image = "registry.example.com/acme/shop:1.4.2",
            Processes = new Dictionary<string, ProcessSpec>
            {
                ["worker"] = new() { Command = ["celery", "-A", "shop", "worker"], Replicas = 1, Size = "standard-2x" },
                ["web"] = new()
                {
                    Command = ["gunicorn", "shop.wsgi", "--bind", "0.0.0.0:$(PORT)"],
                    Replicas = 2,
                    Autoscaling = new AutoscalingSpec { MinReplicas = 2, MaxReplicas = 10, TargetCPUUtilizationPercentage = 70 },
                },
            },
            Env =
            [
                new V1EnvVar { Name = "DJANGO_SETTINGS_MODULE", Value = "shop.settings" },
                new V1EnvVar { Name = "DATABASE_URL", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "shop-db", Key = "url" } } },
                new V1EnvVar { Name = "DEBUG", Value = "0" },
            ],
            EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "shop-secrets" } }],
        },
        Status = new WebAppStatus
        {
            Release = 7,
            Processes = new Dictionary<string, ProcessStatus>
            {
                ["web"] = new() { Replicas = 4, ReadyReplicas = 3, UpdatedReplicas = 4 },
                ["worker"] = new() { Replicas = 1, ReadyReplicas = 1, UpdatedReplicas = 0 },
            },
            Releases =
            [
                new ReleaseRecord { Version = 7, Image = "registry.example.com/acme/shop:1.4.2", Reason = "image changed", Phase = "Succeeded", CreatedAt = Now.UtcDateTime.AddMinutes(-5) },
                new ReleaseRecord { Version = 8, Image = "registry.example.com/acme/shop:1.5.0", Reason = "image changed", Phase = "Failed", Message = "release command exited with 1", CreatedAt = Now.UtcDateTime.AddSeconds(-30) },
                new ReleaseRecord { Version = 6, Image = "registry.example.com/acme/shop:1.4.1", Reason = "config changed", Phase = "Succeeded", CreatedAt = Now.UtcDateTime.AddDays(-3).AddHours(-2) },
            ],
        },
    };
}
