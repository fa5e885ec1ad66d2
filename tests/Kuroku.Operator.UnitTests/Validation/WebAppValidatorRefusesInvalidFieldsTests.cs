using Kuroku.Api.V1Alpha1;
using Kuroku.Api.Validation;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Validation;

/// <summary>
/// Every rule, broken alone in an otherwise valid WebApp (examples/webapp.yaml unless said otherwise),
/// gives exactly one failure: the "path: message" line users read and a stable error code.
/// </summary>
public sealed class WebAppValidatorRefusesInvalidFieldsTests
{
    private static readonly WebAppValidator Validator = new();

    public sealed record Case(string Name, Action<WebApp> Break, string Line, string Code, bool FromMinimal = false)
    {
        public override string ToString() => Name;
    }

    private const string ObjectName = "object names must be a lower-case DNS-1123 subdomain (a-z, 0-9, '-', '.'), at most 253 characters";
    private const string EnvNameRule = "must consist of letters, digits, '_', '-' and '.', must not start with a digit and must not be '.' or start with '..'";
    private const string PortablePath = "'/'-separated segments of letters, digits, '.', '_' and '-' (no whitespace or special characters)";

    public static TheoryData<Case> Cases() =>
    [
        // metadata
        new("missing name", app => app.Metadata.Name = null, "metadata.name: is required", "Required"),
        new("missing metadata", app => app.Metadata = null!, "metadata.name: is required", "Required"),
        new("upper-case name", app => app.Metadata.Name = "Shop",
            "metadata.name: names must be lower-case DNS-1035 labels (a-z, 0-9, '-', starting with a letter, ending with a letter or digit)", "AppName"),
        new("name starting with a digit", app => app.Metadata.Name = "1shop",
            "metadata.name: names must be lower-case DNS-1035 labels (a-z, 0-9, '-', starting with a letter, ending with a letter or digit)", "AppName"),
        new("name ending with '-'", app => app.Metadata.Name = "shop-",
            "metadata.name: names must be lower-case DNS-1035 labels (a-z, 0-9, '-', starting with a letter, ending with a letter or digit)", "AppName"),
        new("name of 41 characters", app => app.Metadata.Name = new string('a', 41),
            "metadata.name: names must be at most 40 characters, so that every child object's name fits in 63", "AppNameLength"),

        // spec, image, pull secrets, port
        new("missing spec", app => app.Spec = null!, "spec: is required", "Required"),
        new("missing image", app => app.Spec.Image = "", "spec.image: is required", "Required"),
        new("upper-case repository", app => app.Spec.Image = "registry.example.com/Acme/shop:1.4.2",
            "spec.image: images must be references such as registry.example.com/team/app:1.0 or app@sha256:<hex> (lower-case repository, no spaces)", "Image"),
        new("image with a space", app => app.Spec.Image = "shop :1.4.2",
            "spec.image: images must be references such as registry.example.com/team/app:1.0 or app@sha256:<hex> (lower-case repository, no spaces)", "Image"),
        new("short digest", app => app.Spec.Image = "shop@sha256:abc",
            "spec.image: images must be references such as registry.example.com/team/app:1.0 or app@sha256:<hex> (lower-case repository, no spaces)", "Image"),
        new("pull secret name", app => app.Spec.ImagePullSecrets![0].Name = "Regcred",
            "spec.imagePullSecrets[0].name: " + ObjectName, "ObjectName"),
        new("pull secret without name", app => app.Spec.ImagePullSecrets![0].Name = null,
            "spec.imagePullSecrets[0].name: " + ObjectName, "ObjectName"),
        new("port 0", app => app.Spec.Port = 0, "spec.port: port must be between 1 and 65535", "Port"),
        new("port 65536", app => app.Spec.Port = 65536, "spec.port: port must be between 1 and 65535", "Port"),

        // processes
        new("no process", app => app.Spec.Processes.Clear(), "spec.processes: at least one process is required", "ProcessesRequired", FromMinimal: true),
        new("null processes", app => app.Spec.Processes = null!, "spec.processes: at least one process is required", "ProcessesRequired", FromMinimal: true),
        new("33 processes", app => AddProcesses(app, 31), "spec.processes: at most 32 processes are allowed", "ProcessCount"),
        new("upper-case process name", app => app.Spec.Processes["Worker"] = new ProcessSpec(),
            "spec.processes.Worker: process names must be lower-case DNS labels (a-z, 0-9, '-')", "ProcessName"),
        new("process name with '_'", app => app.Spec.Processes["celery_beat"] = new ProcessSpec(),
            "spec.processes.celery_beat: process names must be lower-case DNS labels (a-z, 0-9, '-')", "ProcessName"),
        new("<app>-<process> of 64 characters", app => app.Spec.Processes[new string('p', 59)] = new ProcessSpec(),
            $"spec.processes.{new string('p', 59)}: process names must be short enough that <app>-<process> is at most 63 characters", "ProcessNameLength"),
        new("domains and static without web", app => RenameProcess(app, "web", "www"),
            "spec.processes.web: a web process is required when domains or static are set", "WebProcessRequired"),
        new("static alone without web", app => { RenameProcess(app, "web", "www"); app.Spec.Domains = null; },
            "spec.processes.web: a web process is required when domains or static are set", "WebProcessRequired"),
        new("negative replicas", app => app.Spec.Processes["worker"].Replicas = -1,
            "spec.processes.worker.replicas: replicas must not be negative", "Replicas"),
        new("unknown size", app => app.Spec.Processes["worker"].Size = "standard-3x",
            "spec.processes.worker.size: size must be one of eco, basic, standard-1x, standard-2x, performance-m, performance-l", "Size"),
        new("empty command item", app => app.Spec.Processes["web"].Command![1] = "",
            "spec.processes.web.command[1]: command and args items must not be empty", "CommandItem"),
        new("blank args item", app => app.Spec.Processes["worker"].Args = ["-l", "  "],
            "spec.processes.worker.args[1]: command and args items must not be empty", "CommandItem"),

        // resources
        new("request above limit", app => app.Spec.Processes["web"].Resources = Resources(requests: [("cpu", "2")], limits: [("cpu", "1500m")]),
            "spec.processes.web.resources.requests.cpu: requests must be less than or equal to limits", "ResourceRequestAboveLimit"),
        new("unknown resource name", app => app.Spec.Processes["web"].Resources = Resources(limits: [("gpu", "1")]),
            "spec.processes.web.resources.limits.gpu: resource names must be cpu, memory, ephemeral-storage, hugepages-<size> or a domain-prefixed extended resource", "ResourceName"),
        new("negative quantity", app => app.Spec.Processes["web"].Resources = Resources(requests: [("memory", "-1Gi")]),
            "spec.processes.web.resources.requests.memory: quantities must be set, not negative and at most 2^63-1", "ResourceQuantity"),
        new("null quantity", app => app.Spec.Processes["web"].Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = null! } },
            "spec.processes.web.resources.limits.memory: quantities must be set, not negative and at most 2^63-1", "ResourceQuantity"),
        new("resource claims", app => app.Spec.Processes["web"].Resources = new V1ResourceRequirements { Claims = [new Corev1ResourceClaim { Name = "gpu" }] },
            "spec.processes.web.resources.claims: resource claims are not supported (webapp pods declare no resource claims)", "ResourceClaims"),

        // autoscaling
        new("minReplicas 0", app => app.Spec.Processes["web"].Autoscaling!.MinReplicas = 0,
            "spec.processes.web.autoscaling.minReplicas: minReplicas must be at least 1", "AutoscalingMinReplicas"),
        new("minReplicas above maxReplicas", app => app.Spec.Processes["web"].Autoscaling!.MinReplicas = 11,
            "spec.processes.web.autoscaling.minReplicas: minReplicas must be less than or equal to maxReplicas", "AutoscalingMinAboveMax"),
        new("maxReplicas 0 (min not compared)", app => app.Spec.Processes["web"].Autoscaling!.MaxReplicas = 0,
            "spec.processes.web.autoscaling.maxReplicas: maxReplicas must be at least 1", "AutoscalingMaxReplicas"),
        new("target CPU 0", app => app.Spec.Processes["web"].Autoscaling!.TargetCPUUtilizationPercentage = 0,
            "spec.processes.web.autoscaling.targetCPUUtilizationPercentage: targetCPUUtilizationPercentage must be between 1 and 1000", "AutoscalingTargetCpu"),
        new("target CPU 1001", app => app.Spec.Processes["web"].Autoscaling!.TargetCPUUtilizationPercentage = 1001,
            "spec.processes.web.autoscaling.targetCPUUtilizationPercentage: targetCPUUtilizationPercentage must be between 1 and 1000", "AutoscalingTargetCpu"),

        // env
        new("env name starting with a digit", app => app.Spec.Env![0].Name = "1DJANGO", "spec.env[0].name: env names " + EnvNameRule, "EnvName"),
        new("env name with '='", app => app.Spec.Env![0].Name = "A=B", "spec.env[0].name: env names " + EnvNameRule, "EnvName"),
        new("env name '..x'", app => app.Spec.Env![0].Name = "..x", "spec.env[0].name: env names " + EnvNameRule, "EnvName"),
        new("env without name", app => app.Spec.Env![0].Name = null, "spec.env[0].name: is required", "Required"),
        new("duplicate env name", app => app.Spec.Env!.Add(new V1EnvVar { Name = "DATABASE_URL", Value = "postgres://" }),
            "spec.env[2].name: env names must be unique", "EnvNameDuplicate"),
        new("PORT in env", app => app.Spec.Env!.Add(new V1EnvVar { Name = "PORT", Value = "5000" }),
            "spec.env[2].name: PORT is set by the platform from spec.port", "EnvNameReserved"),
        new("value and valueFrom", app => app.Spec.Env![1].Value = "postgres://",
            "spec.env[1]: value and valueFrom must not both be set", "EnvValueAndValueFrom"),
        new("valueFrom without source", app => app.Spec.Env![1].ValueFrom = new V1EnvVarSource(),
            "spec.env[1].valueFrom: valueFrom must set exactly one of secretKeyRef, configMapKeyRef, fieldRef and resourceFieldRef", "EnvValueFromSource"),
        new("valueFrom with two sources", app => app.Spec.Env![1].ValueFrom.ConfigMapKeyRef = new V1ConfigMapKeySelector { Key = "url", Name = "shop-config" },
            "spec.env[1].valueFrom: valueFrom must set exactly one of secretKeyRef, configMapKeyRef, fieldRef and resourceFieldRef", "EnvValueFromSource"),
        new("fileKeyRef", app => app.Spec.Env![1].ValueFrom = new V1EnvVarSource { FileKeyRef = new V1FileKeySelector { Key = "url", Path = "env/db", VolumeName = "config" } },
            "spec.env[1].valueFrom.fileKeyRef: fileKeyRef is not supported (webapp pods have no user volumes)", "EnvFileKeyRef"),
        new("secretKeyRef name", app => app.Spec.Env![1].ValueFrom.SecretKeyRef.Name = "shop_db",
            "spec.env[1].valueFrom.secretKeyRef.name: " + ObjectName, "ObjectName"),
        new("secretKeyRef key", app => app.Spec.Env![1].ValueFrom.SecretKeyRef.Key = "database url",
            "spec.env[1].valueFrom.secretKeyRef.key: keys must consist of letters, digits, '-', '_' and '.', at most 253 characters, and must not be '.' or start with '..'", "ConfigKey"),
        new("configMapKeyRef key '..'", app => app.Spec.Env![1].ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Key = "..", Name = "shop-config" } },
            "spec.env[1].valueFrom.configMapKeyRef.key: keys must consist of letters, digits, '-', '_' and '.', at most 253 characters, and must not be '.' or start with '..'", "ConfigKey"),
        new("configMapKeyRef without name", app => app.Spec.Env![1].ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Key = "url" } },
            "spec.env[1].valueFrom.configMapKeyRef.name: " + ObjectName, "ObjectName"),
        new("unsupported fieldPath", app => app.Spec.Env![1].ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "spec.containers[0].image" } },
            "spec.env[1].valueFrom.fieldRef.fieldPath: fieldPath must be one of metadata.name, metadata.namespace, metadata.uid, metadata.labels['<key>'], metadata.annotations['<key>'], spec.nodeName, spec.serviceAccountName, status.hostIP, status.hostIPs, status.podIP, status.podIPs", "EnvFieldPath"),
        new("fieldRef apiVersion v2", app => app.Spec.Env![1].ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name", ApiVersion = "v2" } },
            "spec.env[1].valueFrom.fieldRef.apiVersion: apiVersion must be v1", "EnvFieldApiVersion"),
        new("unsupported resourceFieldRef", app => app.Spec.Env![1].ValueFrom = new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "limits.gpu" } },
            "spec.env[1].valueFrom.resourceFieldRef.resource: resource must be one of limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu, requests.memory, requests.ephemeral-storage", "EnvResource"),
        new("resourceFieldRef containerName", app => app.Spec.Env![1].ValueFrom = new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "limits.memory", ContainerName = "web" } },
            "spec.env[1].valueFrom.resourceFieldRef.containerName: containerName is not supported (the value always comes from the process's own container)", "EnvResourceContainerName"),
        new("cpu divisor 1Mi", app => app.Spec.Env![1].ValueFrom = new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "limits.cpu", Divisor = new ResourceQuantity("1Mi") } },
            "spec.env[1].valueFrom.resourceFieldRef.divisor: divisor must be 1m or 1 for cpu, and 1 or a power of 1000 or 1024 (1k, 1Mi, ...) for memory and ephemeral-storage", "EnvResourceDivisor"),
        new("memory divisor 3", app => app.Spec.Env![1].ValueFrom = new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "requests.memory", Divisor = new ResourceQuantity("3") } },
            "spec.env[1].valueFrom.resourceFieldRef.divisor: divisor must be 1m or 1 for cpu, and 1 or a power of 1000 or 1024 (1k, 1Mi, ...) for memory and ephemeral-storage", "EnvResourceDivisor"),

        // envFrom
        new("envFrom with both sources", app => app.Spec.EnvFrom![0].ConfigMapRef = new V1ConfigMapEnvSource { Name = "shop-config" },
            "spec.envFrom[0]: envFrom items must set exactly one of secretRef and configMapRef", "EnvFromSource"),
        new("envFrom with no source", app => app.Spec.EnvFrom![0] = new V1EnvFromSource { Prefix = "APP_" },
            "spec.envFrom[0]: envFrom items must set exactly one of secretRef and configMapRef", "EnvFromSource"),
        new("envFrom prefix", app => app.Spec.EnvFrom![0].Prefix = "1APP_", "spec.envFrom[0].prefix: prefixes " + EnvNameRule, "EnvFromPrefix"),
        new("envFrom secret name", app => app.Spec.EnvFrom![0].SecretRef.Name = "Shop-Secrets",
            "spec.envFrom[0].secretRef.name: " + ObjectName, "ObjectName"),
        new("envFrom configMap name", app => app.Spec.EnvFrom![0] = new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "shop config" } },
            "spec.envFrom[0].configMapRef.name: " + ObjectName, "ObjectName"),

        // healthCheck
        new("relative health check path", app => app.Spec.HealthCheck!.Path = "healthz",
            "spec.healthCheck.path: health check paths must start with '/'", "HealthCheckPath"),
        new("health check path with a space", app => app.Spec.HealthCheck!.Path = "/health z",
            "spec.healthCheck.path: health check paths must not contain whitespace or control characters", "HealthCheckPathCharacters"),
        new("boot timeout 0", app => app.Spec.HealthCheck!.BootTimeoutSeconds = 0,
            "spec.healthCheck.bootTimeoutSeconds: bootTimeoutSeconds must be at least 1", "BootTimeout"),

        // domains
        new("no hosts", app => app.Spec.Domains!.Hosts.Clear(), "spec.domains.hosts: at least one host is required", "HostsRequired"),
        new("65 hosts", app => app.Spec.Domains!.Hosts = [.. Enumerable.Range(0, 65).Select(i => $"h{i}.example.com")],
            "spec.domains.hosts: at most 64 hosts are allowed", "HostCount"),
        new("upper-case host", app => app.Spec.Domains!.Hosts[0] = "Shop.example.com",
            "spec.domains.hosts[0]: hosts must be lower-case DNS-1123 subdomains (a-z, 0-9, '-', '.'), optionally starting with '*.'", "Host"),
        new("host with trailing dot", app => app.Spec.Domains!.Hosts[0] = "shop.example.com.",
            "spec.domains.hosts[0]: hosts must be lower-case DNS-1123 subdomains (a-z, 0-9, '-', '.'), optionally starting with '*.'", "Host"),
        new("inner wildcard", app => app.Spec.Domains!.Hosts[0] = "shop.*.example.com",
            "spec.domains.hosts[0]: hosts must be lower-case DNS-1123 subdomains (a-z, 0-9, '-', '.'), optionally starting with '*.'", "Host"),
        new("host with port", app => app.Spec.Domains!.Hosts[0] = "shop.example.com:443",
            "spec.domains.hosts[0]: hosts must be lower-case DNS-1123 subdomains (a-z, 0-9, '-', '.'), optionally starting with '*.'", "Host"),
        new("IP address host", app => app.Spec.Domains!.Hosts[0] = "10.0.0.1",
            "spec.domains.hosts[0]: hosts must be DNS names, not IP addresses", "HostIPAddress"),
        new("duplicate host", app => app.Spec.Domains!.Hosts.Add("shop.example.com"),
            "spec.domains.hosts[1]: hosts must be unique", "HostDuplicate"),
        new("ingress class name", app => app.Spec.Domains!.IngressClassName = "Nginx",
            "spec.domains.ingressClassName: " + ObjectName, "ObjectName"),
        new("tls with both", app => app.Spec.Domains!.Tls!.SecretName = "shop-tls",
            "spec.domains.tls: exactly one of clusterIssuer and secretName must be set", "Tls"),
        new("tls with neither", app => app.Spec.Domains!.Tls = new TlsSpec(),
            "spec.domains.tls: exactly one of clusterIssuer and secretName must be set", "Tls"),
        new("cluster issuer name", app => app.Spec.Domains!.Tls!.ClusterIssuer = "LetsEncrypt",
            "spec.domains.tls.clusterIssuer: " + ObjectName, "ObjectName"),
        new("tls secret name", app => app.Spec.Domains!.Tls = new TlsSpec { SecretName = "" },
            "spec.domains.tls.secretName: " + ObjectName, "ObjectName"),

        // static
        new("missing static path", app => app.Spec.Static!.Path = "", "spec.static.path: is required", "Required"),
        new("relative static path", app => app.Spec.Static!.Path = "static", "spec.static.path: static paths must start with '/'", "StaticPathAbsolute"),
        new("static path '/'", app => app.Spec.Static!.Path = "/",
            "spec.static.path: static paths must not be '/' (every other path reaches the web process)", "StaticPathRoot"),
        new("static path with '..'", app => app.Spec.Static!.Path = "/static/../admin", "spec.static.path: static paths must not contain '..'", "StaticPathDotDot"),
        new("static path with a space", app => app.Spec.Static!.Path = "/static files", "spec.static.path: static paths must be " + PortablePath, "StaticPathCharacters"),
        new("static path with a regex character", app => app.Spec.Static!.Path = "/static(.*)", "spec.static.path: static paths must be " + PortablePath, "StaticPathCharacters"),
        new("static path with nginx variable", app => app.Spec.Static!.Path = "/$host", "spec.static.path: static paths must be " + PortablePath, "StaticPathCharacters"),
        new("static path with '//'", app => app.Spec.Static!.Path = "/static//css", "spec.static.path: static paths must be " + PortablePath, "StaticPathCharacters"),
        new("static path '/.'", app => app.Spec.Static!.Path = "/.", "spec.static.path: static paths must be " + PortablePath, "StaticPathCharacters"),
        new("missing static from", app => app.Spec.Static!.From = "", "spec.static.from: is required", "Required"),
        new("relative static from", app => app.Spec.Static!.From = "app/staticfiles",
            "spec.static.from: static sources must be absolute paths (start with '/')", "StaticFromAbsolute"),
        new("static from '/'", app => app.Spec.Static!.From = "/", "spec.static.from: static sources must not be '/' (the whole image)", "StaticFromRoot"),
        new("static from with '..'", app => app.Spec.Static!.From = "/app/../etc", "spec.static.from: static sources must not contain '..'", "StaticFromDotDot"),
        new("static from with a quote", app => app.Spec.Static!.From = "/app/static'; rm -rf /",
            "spec.static.from: static sources must be " + PortablePath, "StaticFromCharacters"),
        new("negative max age", app => app.Spec.Static!.MaxAgeSeconds = -1,
            "spec.static.maxAgeSeconds: maxAgeSeconds must not be negative", "StaticMaxAge"),

        // release
        new("empty release command", app => app.Spec.Release!.Command = [],
            "spec.release.command: the release command must not be empty", "ReleaseCommand"),
        new("empty release command item", app => app.Spec.Release!.Command[2] = "",
            "spec.release.command[2]: command and args items must not be empty", "CommandItem"),
        new("release timeout 0", app => app.Spec.Release!.TimeoutSeconds = 0,
            "spec.release.timeoutSeconds: timeoutSeconds must be at least 1", "ReleaseTimeout"),
        new("backoff limit 11", app => app.Spec.Release!.BackoffLimit = 11,
            "spec.release.backoffLimit: backoffLimit must be between 0 and 10", "ReleaseBackoffLimit"),
        new("backoff limit -1", app => app.Spec.Release!.BackoffLimit = -1,
            "spec.release.backoffLimit: backoffLimit must be between 0 and 10", "ReleaseBackoffLimit"),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gives_exactly_the_rule_broken(Case @case)
    {
        var app = @case.FromMinimal ? WebAppExamples.Minimal() : WebAppExamples.Full();
        @case.Break(app);

        var result = Validator.Validate(app);

        result.ToFieldErrors().Should().Equal(@case.Line);
        result.Errors.Single().ErrorCode.Should().Be(@case.Code);
    }

    [Fact]
    public void Every_code_in_the_table_is_a_published_rule_with_the_same_message()
    {
        var rules = typeof(WebAppRules).GetFields()
            .Select(field => (FieldRule)field.GetValue(null)!)
            .ToDictionary(rule => rule.Code);

        foreach (var @case in ((IEnumerable<object[]>)Cases()).Select(row => (Case)row[0]))
        {
            rules.Should().ContainKey(@case.Code);
            @case.Line.Should().EndWith(": " + rules[@case.Code].Message, because: @case.Name);
        }
    }

    private static void AddProcesses(WebApp app, int count)
    {
        for (var i = 0; i < count; i++)
        {
            app.Spec.Processes[$"p{i}"] = new ProcessSpec();
        }
    }

    private static void RenameProcess(WebApp app, string from, string to)
    {
        app.Spec.Processes[to] = app.Spec.Processes[from];
        app.Spec.Processes.Remove(from);
    }

    private static V1ResourceRequirements Resources((string Name, string Quantity)[]? requests = null, (string Name, string Quantity)[]? limits = null) =>
        new()
        {
            Requests = requests?.ToDictionary(r => r.Name, r => new ResourceQuantity(r.Quantity)),
            Limits = limits?.ToDictionary(l => l.Name, l => new ResourceQuantity(l.Quantity)),
        };
}
