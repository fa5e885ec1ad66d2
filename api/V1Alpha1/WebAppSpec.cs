using System.Text.Json.Serialization;
using Kuroku.Api.Schema;
using k8s.Models;

namespace Kuroku.Api.V1Alpha1;

/// <summary>The desired state of a WebApp: the code of the release, its processes, config and routing.</summary>
[CelRule("!has(self.domains) || 'web' in self.processes",
    "a web process is required when domains or static are set", FieldPath = ".domains")]
[CelRule("!has(self.static) || 'web' in self.processes",
    "a web process is required when domains or static are set", FieldPath = ".static")]
[CelRule("!('web' in self.processes) || !has(self.processes.web.schedule)",
    "the web process receives HTTP and cannot have a schedule", FieldPath = ".processes")]
public sealed class WebAppSpec
{
    /// <summary>
    /// The container image holding the code of the release, for example
    /// registry.example.com/acme/shop:1.4.2. Changing it makes a new release.
    /// </summary>
    [JsonPropertyName("image")]
    [RequiredField]
    [Length(1, 512)]
    public string Image { get; set; } = "";

    /// <summary>Secrets used to pull the image from a private registry.</summary>
    [JsonPropertyName("imagePullSecrets")]
    public IList<V1LocalObjectReference>? ImagePullSecrets { get; set; }

    /// <summary>
    /// The port every process receives as $PORT. The web process must listen on it; the Service and
    /// the Ingress send HTTP there.
    /// </summary>
    [JsonPropertyName("port")]
    [DefaultValueJson("8080")]
    [Range(1, 65535)]
    public int Port { get; set; } = Defaults.Port;

    /// <summary>
    /// The Procfile: process name to how it runs. Each process becomes a Deployment named
    /// &lt;app&gt;-&lt;process&gt;. The process named "web" receives HTTP traffic.
    /// </summary>
    [JsonPropertyName("processes")]
    [RequiredField]
    [Items(1, 32)]
    // Process names are checked by the validator (webhook, reconciler, render), not by CEL: a regex over
    // map keys, whose length the schema cannot bound, exceeds the API server's CEL cost budget.
    public IDictionary<string, ProcessSpec> Processes { get; set; } = new Dictionary<string, ProcessSpec>();

    /// <summary>
    /// The release phase: a command run once per release, with the new image and config, before any
    /// process is updated (for example database migrations). A failure keeps the previous release live.
    /// </summary>
    [JsonPropertyName("release")]
    public ReleasePhaseSpec? Release { get; set; }

    /// <summary>Config vars, in the shape of a container's env. Changing them makes a new release.</summary>
    [JsonPropertyName("env")]
    [ListMapKeys("name")]
    public IList<V1EnvVar>? Env { get; set; }

    /// <summary>Config vars taken whole from Secrets or ConfigMaps. A change in their data makes a new release.</summary>
    [JsonPropertyName("envFrom")]
    public IList<V1EnvFromSource>? EnvFrom { get; set; }

    /// <summary>How the platform decides that a web process is up. Absent: a TCP check on $PORT.</summary>
    [JsonPropertyName("healthCheck")]
    public HealthCheckSpec? HealthCheck { get; set; }

    /// <summary>The hostnames that route to the web process, and their TLS.</summary>
    [JsonPropertyName("domains")]
    public DomainsSpec? Domains { get; set; }

    /// <summary>
    /// Static files served by nginx beside the web process, under the same hostname. The files are
    /// copied out of the release image, so static files and code change together.
    /// </summary>
    [JsonPropertyName("static")]
    public StaticSpec? Static { get; set; }

    /// <summary>
    /// Maintenance mode: true makes HTTP answer 503 with a maintenance page. Processes keep running
    /// and nothing restarts when it is turned on or off.
    /// </summary>
    [JsonPropertyName("maintenance")]
    [DefaultValueJson("false")]
    public bool Maintenance { get; set; }
}

/// <summary>One process of the Procfile.</summary>
[CelRule("!has(self.timeZone) || has(self.schedule)", "timeZone is only allowed with a schedule", FieldPath = ".timeZone")]
[CelRule("!has(self.schedule) || !has(self.autoscaling)", "a scheduled process cannot autoscale", FieldPath = ".autoscaling")]
[CelRule("!has(self.schedule) || !has(self.replicas) || self.replicas <= 1",
    "a scheduled process runs once per schedule: replicas must be 0 (suspended) or 1", FieldPath = ".replicas")]
public sealed class ProcessSpec
{
    /// <summary>
    /// The command to run (the container's command). $(PORT) and other config vars are expanded.
    /// Absent: the image's entrypoint.
    /// </summary>
    [JsonPropertyName("command")]
    public IList<string>? Command { get; set; }

    /// <summary>Arguments to the command (the container's args). Absent: the image's cmd.</summary>
    [JsonPropertyName("args")]
    public IList<string>? Args { get; set; }

    /// <summary>
    /// How many copies run. 0 scales the process down. Ignored while autoscaling is set. For a scheduled
    /// process: 1 runs it on its schedule, 0 suspends the schedule.
    /// </summary>
    [JsonPropertyName("replicas")]
    [DefaultValueJson("1")]
    [Minimum(0)]
    public int? Replicas { get; set; }

    /// <summary>
    /// A size preset named after Heroku's dyno types. It sets CPU and memory requests and limits and the
    /// default WEB_CONCURRENCY. One of eco, basic, standard-1x, standard-2x, performance-m, performance-l.
    /// </summary>
    [JsonPropertyName("size")]
    [DefaultValueJson("\"" + DynoSizes.Standard1X + "\"")]
    [EnumValues(DynoSizes.Eco, DynoSizes.Basic, DynoSizes.Standard1X, DynoSizes.Standard2X, DynoSizes.PerformanceM, DynoSizes.PerformanceL)]
    public string? Size { get; set; }

    /// <summary>Explicit requests and limits; they override the size preset.</summary>
    [JsonPropertyName("resources")]
    public V1ResourceRequirements? Resources { get; set; }

    /// <summary>
    /// Horizontal autoscaling on CPU. When set, a HorizontalPodAutoscaler owns the replica count and
    /// replicas is not written to the Deployment.
    /// </summary>
    [JsonPropertyName("autoscaling")]
    public AutoscalingSpec? Autoscaling { get; set; }

    /// <summary>
    /// Makes this a scheduled process, as Heroku Scheduler runs one: a cron schedule (minute hour
    /// day-of-month month day-of-week, for example "*/10 * * * *", or @hourly, @daily...). A CronJob
    /// &lt;app&gt;-&lt;process&gt; then starts it with the live release's image and config vars, one run at a
    /// time; it is not scaled, gets no Service and no autoscaler. Not part of a release: changing it
    /// makes none.
    /// </summary>
    [JsonPropertyName("schedule")]
    [Length(1, 100)]
    [CelRule("!self.contains('TZ')", "schedules must not contain TZ= or CRON_TZ=; set timeZone instead")]
    [CelRule(@"self.matches('^\\s*(@[a-z]+( .+)?|\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+)\\s*$')",
        "schedules must be 5 cron fields (minute hour day-of-month month day-of-week) or @yearly, @monthly, @weekly, @daily, @hourly or @every <duration>")]
    public string? Schedule { get; set; }

    /// <summary>
    /// The IANA time zone the schedule is read in, for example Europe/Paris. Absent: the time zone of the
    /// cluster's controller manager (usually UTC).
    /// </summary>
    [JsonPropertyName("timeZone")]
    [Length(1, 64)]
    [CelRule("self != 'Local' && self.matches('^[A-Za-z0-9._+-]+(/[A-Za-z0-9._+-]+)*$')",
        "timeZone must be an IANA time zone name such as Europe/Paris or UTC")]
    public string? TimeZone { get; set; }

    /// <summary>
    /// A restart request, as `heroku ps:restart` makes one: changing it rolls the process's pods (as any
    /// rollout, with zero downtime for web) without a new release. kubectl kuroku restart sets it to now.
    /// </summary>
    [JsonPropertyName("restartedAt")]
    public DateTime? RestartedAt { get; set; }
}

/// <summary>CPU-based horizontal autoscaling of one process.</summary>
[CelRule("!has(self.minReplicas) || self.minReplicas <= self.maxReplicas",
    "minReplicas must be less than or equal to maxReplicas", FieldPath = ".minReplicas")]
public sealed class AutoscalingSpec
{
    /// <summary>The fewest replicas the autoscaler keeps (at least 1).</summary>
    [JsonPropertyName("minReplicas")]
    [DefaultValueJson("1")]
    [Minimum(1)]
    public int? MinReplicas { get; set; }

    /// <summary>The most replicas the autoscaler may run.</summary>
    [JsonPropertyName("maxReplicas")]
    [RequiredField]
    [Minimum(1)]
    public int MaxReplicas { get; set; }

    /// <summary>The average CPU utilization, in percent of the requests, that the autoscaler aims for.</summary>
    [JsonPropertyName("targetCPUUtilizationPercentage")]
    [DefaultValueJson("80")]
    [Range(1, 1000)]
    public int? TargetCPUUtilizationPercentage { get; set; }
}

/// <summary>The release phase: one command run per release before the release goes live.</summary>
public sealed class ReleasePhaseSpec
{
    /// <summary>The command to run, with the release's image and config vars.</summary>
    [JsonPropertyName("command")]
    [RequiredField]
    [Items(1)]
    public IList<string> Command { get; set; } = [];

    /// <summary>How long the release phase may run before it counts as failed.</summary>
    [JsonPropertyName("timeoutSeconds")]
    [DefaultValueJson("3600")]
    [Minimum(1)]
    public long? TimeoutSeconds { get; set; }

    /// <summary>How many times a failed release command is retried before the release fails.</summary>
    [JsonPropertyName("backoffLimit")]
    [DefaultValueJson("0")]
    [Range(0, 10)]
    public int? BackoffLimit { get; set; }
}

/// <summary>How the platform decides that a web process is up.</summary>
public sealed class HealthCheckSpec
{
    /// <summary>An HTTP path answered with 2xx or 3xx when the process is healthy. Absent: a TCP check on $PORT.</summary>
    [JsonPropertyName("path")]
    [Pattern("^/")]
    public string? Path { get; set; }

    /// <summary>How long a new process has to bind $PORT and pass its check (Heroku's R10 boot timeout).</summary>
    [JsonPropertyName("bootTimeoutSeconds")]
    [DefaultValueJson("60")]
    [Minimum(1)]
    public int? BootTimeoutSeconds { get; set; }
}

/// <summary>The hostnames that route to the web process.</summary>
public sealed class DomainsSpec
{
    /// <summary>DNS names served by one Ingress, for example shop.example.com (lower case; a leading *. for a wildcard).</summary>
    [JsonPropertyName("hosts")]
    [RequiredField]
    [Items(1, 64)]
    [ListSet]
    [Length(1, 253)]
    [Pattern(@"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    public IList<string> Hosts { get; set; } = [];

    /// <summary>The IngressClass that serves the hosts. Absent: the cluster's default class.</summary>
    [JsonPropertyName("ingressClassName")]
    public string? IngressClassName { get; set; }

    /// <summary>TLS for the hosts: a cert-manager ClusterIssuer or an existing Secret, exactly one.</summary>
    [JsonPropertyName("tls")]
    public TlsSpec? Tls { get; set; }
}

/// <summary>Where the TLS certificate for the hosts comes from.</summary>
[CelRule("has(self.clusterIssuer) != has(self.secretName)",
    "exactly one of clusterIssuer and secretName must be set")]
public sealed class TlsSpec
{
    /// <summary>A cert-manager ClusterIssuer that issues the certificate into the Secret &lt;app&gt;-tls.</summary>
    [JsonPropertyName("clusterIssuer")]
    [Length(1, 253)]
    public string? ClusterIssuer { get; set; }

    /// <summary>An existing Secret of type kubernetes.io/tls that holds the certificate.</summary>
    [JsonPropertyName("secretName")]
    [Length(1, 253)]
    public string? SecretName { get; set; }
}

/// <summary>Static files served by nginx from a volume filled out of the release image.</summary>
public sealed class StaticSpec
{
    /// <summary>The URL prefix served from the static files, for example /static. Not "/".</summary>
    [JsonPropertyName("path")]
    [RequiredField]
    [Pattern("^/.+")]
    public string Path { get; set; } = "";

    /// <summary>The absolute directory in the release image whose contents are served, for example /app/staticfiles.</summary>
    [JsonPropertyName("from")]
    [RequiredField]
    [Pattern("^/")]
    public string From { get; set; } = "";

    /// <summary>How long browsers and proxies may cache static files (Cache-Control max-age).</summary>
    [JsonPropertyName("maxAgeSeconds")]
    [DefaultValueJson("3600")]
    [Minimum(0)]
    public int? MaxAgeSeconds { get; set; }
}
