using Kuroku.Api.V1Alpha1;
using Kuroku.Api.Validation;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Validation;

/// <summary>The examples and the edges of every range pass, whether or not schema defaults were applied.</summary>
public sealed class WebAppValidatorAcceptsValidAppsTests
{
    private static readonly WebAppValidator Validator = new();

    public sealed record Case(string Name, Action<WebApp> Change, bool FromMinimal = false)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases() =>
    [
        new("replicas 0", app => app.Spec.Processes["worker"].Replicas = 0),
        new("port 1", app => app.Spec.Port = 1),
        new("port 65535", app => app.Spec.Port = 65535),
        new("name of 40 characters", app => app.Metadata.Name = "a" + new string('0', 39)),
        new("<app>-<process> of exactly 63 characters", app => app.Spec.Processes[new string('p', 58)] = new ProcessSpec()),
        new("process named with digits and '-'", app => app.Spec.Processes["2nd-worker"] = new ProcessSpec()),
        new("null process spec (all defaults)", app => app.Spec.Processes["clock"] = null!),
        new("no web without domains or static", app => app.Spec.Processes = new Dictionary<string, ProcessSpec> { ["worker"] = new() }, FromMinimal: true),
        new("web scaled to 0 with domains", app => app.Spec.Processes["web"].Replicas = 0),
        new("every size", app =>
        {
            foreach (var size in DynoSizes.All)
            {
                app.Spec.Processes[size.Name] = new ProcessSpec { Size = size.Name };
            }
        }),
        new("autoscaling min = max", app => app.Spec.Processes["web"].Autoscaling = new AutoscalingSpec { MinReplicas = 3, MaxReplicas = 3 }),
        new("autoscaling with only maxReplicas", app => app.Spec.Processes["web"].Autoscaling = new AutoscalingSpec { MaxReplicas = 1 }),
        new("target CPU 1 and 1000", app =>
        {
            app.Spec.Processes["web"].Autoscaling!.TargetCPUUtilizationPercentage = 1;
            app.Spec.Processes["worker"].Autoscaling = new AutoscalingSpec { MaxReplicas = 2, TargetCPUUtilizationPercentage = 1000 };
        }),
        new("requests equal to limits, extended resources and hugepages", app => app.Spec.Processes["web"].Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("1Gi"), ["example.com/gpu"] = new("1") },
            Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("0.5"), ["memory"] = new("1024Mi"), ["hugepages-2Mi"] = new("100Mi"), ["example.com/gpu"] = new("1") },
        }),
        new("requests without limits", app => app.Spec.Processes["web"].Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4"), ["ephemeral-storage"] = new("0") },
        }),
        new("wildcard host", app => app.Spec.Domains!.Hosts = ["*.example.com", "example.com"]),
        new("single-label host", app => app.Spec.Domains!.Hosts = ["localhost"]),
        new("host of digits that is not an IP address", app => app.Spec.Domains!.Hosts = ["123.example.com"]),
        new("domains without tls or class", app => app.Spec.Domains = new DomainsSpec { Hosts = ["shop.example.com"] }),
        new("tls from a secret", app => app.Spec.Domains!.Tls = new TlsSpec { SecretName = "shop-tls" }),
        new("env names with '.', '-' and lower case", app => app.Spec.Env!.Add(new V1EnvVar { Name = "my.env-name_1", Value = "" })),
        new("env name starting with '_' or '.'", app => app.Spec.Env!.Add(new V1EnvVar { Name = "_X" })),
        new("WEB_CONCURRENCY overrides the preset", app => app.Spec.Env!.Add(new V1EnvVar { Name = "WEB_CONCURRENCY", Value = "8" })),
        new("lower-case port is another name", app => app.Spec.Env!.Add(new V1EnvVar { Name = "port", Value = "1" })),
        new("empty value beside valueFrom", app => app.Spec.Env![1].Value = ""),
        new("fieldRef to a label", app => app.Spec.Env!.Add(new V1EnvVar
        {
            Name = "APP_LABEL",
            ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.labels['app.kubernetes.io/name']", ApiVersion = "v1" } },
        })),
        new("resourceFieldRef with memory divisor 1Mi and cpu divisor 1m", app =>
        {
            app.Spec.Env!.Add(new V1EnvVar
            {
                Name = "MEMORY_MB",
                ValueFrom = new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "limits.memory", Divisor = new ResourceQuantity("1Mi") } },
            });
            app.Spec.Env!.Add(new V1EnvVar
            {
                Name = "CPU_MILLIS",
                ValueFrom = new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "requests.cpu", Divisor = new ResourceQuantity("1m") } },
            });
        }),
        new("envFrom a ConfigMap with a prefix", app => app.Spec.EnvFrom!.Add(new V1EnvFromSource
        {
            Prefix = "APP_",
            ConfigMapRef = new V1ConfigMapEnvSource { Name = "shop-config" },
        })),
        new("health check path with a query", app => app.Spec.HealthCheck!.Path = "/healthz?full=1"),
        new("health check without path (TCP)", app => app.Spec.HealthCheck = new HealthCheckSpec()),
        new("static path with a trailing '/'", app => app.Spec.Static!.Path = "/static/"),
        new("nested static path and source", app => app.Spec.Static = new StaticSpec { Path = "/assets/v1.2", From = "/srv/app/public_html/", MaxAgeSeconds = 0 }),
        new("release backoff limits 0 and 10", app => app.Spec.Release!.BackoffLimit = 10),
        new("release with defaults", app => app.Spec.Release = new ReleasePhaseSpec { Command = ["./migrate"] }),
        new("maintenance on", app => app.Spec.Maintenance = true),
    ];

    [Fact]
    public void The_minimal_example_passes() =>
        Validator.Validate(WebAppExamples.Minimal()).ToFieldErrors().Should().BeEmpty();

    [Fact]
    public void The_full_example_passes() =>
        Validator.Validate(WebAppExamples.Full()).ToFieldErrors().Should().BeEmpty();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Edge_cases_pass(Case @case)
    {
        var app = @case.FromMinimal ? WebAppExamples.Minimal() : WebAppExamples.Full();
        @case.Change(app);

        Validator.Validate(app).ToFieldErrors().Should().BeEmpty();
    }

    [Fact]
    public void A_spec_without_the_schema_defaults_passes_like_one_with_them()
    {
        var app = KubernetesYaml.Deserialize<WebApp>("""
            apiVersion: kuroku.dev/v1alpha1
            kind: WebApp
            metadata: {name: shop}
            spec:
              image: shop:1
              processes:
                web: {autoscaling: {maxReplicas: 1}}
                worker:
              release: {command: [migrate]}
              healthCheck: {}
              domains: {hosts: [shop.example.com]}
              static: {path: /static, from: /app/static}
            """);

        app.Spec.Processes["web"].Replicas.Should().BeNull("the point is that defaults were not applied");
        Validator.Validate(app).ToFieldErrors().Should().BeEmpty();
    }
}
