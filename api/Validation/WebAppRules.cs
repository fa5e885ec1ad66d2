using Kuroku.Api.V1Alpha1;

namespace Kuroku.Api.Validation;

/// <summary>
/// Every rule <see cref="WebAppValidator"/> enforces: its error code and message. The messages are
/// the contract with render, the webhook and the reconciler; keep them stable.
/// </summary>
public static class WebAppRules
{
    private const string Sizes = DynoSizes.Eco + ", " + DynoSizes.Basic + ", " + DynoSizes.Standard1X + ", "
        + DynoSizes.Standard2X + ", " + DynoSizes.PerformanceM + ", " + DynoSizes.PerformanceL;

    private const string ObjectNameRule = "must be a lower-case DNS-1123 subdomain (a-z, 0-9, '-', '.'), at most 253 characters";
    private const string EnvNameRule = "must consist of letters, digits, '_', '-' and '.', must not start with a digit and must not be '.' or start with '..'";
    private const string PortablePathRule = "'/'-separated segments of letters, digits, '.', '_' and '-' (no whitespace or special characters)";

    // Shared by many fields.
    public static readonly FieldRule Required = new("Required", "is required");
    public static readonly FieldRule ObjectName = new("ObjectName", "object names " + ObjectNameRule);
    public static readonly FieldRule CommandItem = new("CommandItem", "command and args items must not be empty");

    // metadata
    public static readonly FieldRule AppName = new("AppName",
        "names must be lower-case DNS-1035 labels (a-z, 0-9, '-', starting with a letter, ending with a letter or digit)");
    public static readonly FieldRule AppNameLength = new("AppNameLength",
        $"names must be at most {WebAppValidator.MaxNameLength} characters, so that every child object's name fits in 63");

    // spec.image, spec.port
    public static readonly FieldRule Image = new("Image",
        "images must be references such as registry.example.com/team/app:1.0 or app@sha256:<hex> (lower-case repository, no spaces)");
    public static readonly FieldRule Port = new("Port", "port must be between 1 and 65535");

    // spec.processes
    public static readonly FieldRule ProcessesRequired = new("ProcessesRequired", "at least one process is required");
    public static readonly FieldRule ProcessCount = new("ProcessCount",
        $"at most {WebAppValidator.MaxProcesses} processes are allowed");
    public static readonly FieldRule ProcessName = new("ProcessName",
        "process names must be lower-case DNS labels (a-z, 0-9, '-')");
    public static readonly FieldRule ProcessNameLength = new("ProcessNameLength",
        "process names must be short enough that <app>-<process> is at most 63 characters");
    public static readonly FieldRule WebProcessRequired = new("WebProcessRequired",
        "a web process is required when domains or static are set");
    public static readonly FieldRule Replicas = new("Replicas", "replicas must not be negative");
    public static readonly FieldRule Size = new("Size", "size must be one of " + Sizes);

    // spec.processes.*.schedule, timeZone (scheduled processes)
    public static readonly FieldRule Schedule = new("Schedule",
        "schedules must be 5 cron fields (minute hour day-of-month month day-of-week) or @yearly, @monthly, @weekly, @daily, @hourly or @every <duration>");
    public static readonly FieldRule ScheduleTimeZonePrefix = new("ScheduleTimeZonePrefix",
        "schedules must not contain TZ= or CRON_TZ=; set timeZone instead");
    public static readonly FieldRule ScheduleOnWeb = new("ScheduleOnWeb", "the web process receives HTTP and cannot have a schedule");
    public static readonly FieldRule ScheduleWithAutoscaling = new("ScheduleWithAutoscaling", "a scheduled process cannot autoscale");
    public static readonly FieldRule ScheduledReplicas = new("ScheduledReplicas",
        "a scheduled process runs once per schedule: replicas must be 0 (suspended) or 1");
    public static readonly FieldRule ScheduledProcessNameLength = new("ScheduledProcessNameLength",
        $"scheduled process names must be short enough that <app>-<process> is at most {WebAppValidator.MaxCronJobNameLength} characters (its Jobs add 11)");
    public static readonly FieldRule TimeZone = new("TimeZone", "timeZone must be an IANA time zone name such as Europe/Paris or UTC");
    public static readonly FieldRule TimeZoneWithoutSchedule = new("TimeZoneWithoutSchedule", "timeZone is only allowed with a schedule");

    // spec.processes.*.resources
    public static readonly FieldRule ResourceName = new("ResourceName",
        "resource names must be cpu, memory, ephemeral-storage, hugepages-<size> or a domain-prefixed extended resource");
    public static readonly FieldRule ResourceQuantity = new("ResourceQuantity",
        "quantities must be set, not negative and at most 2^63-1");
    public static readonly FieldRule ResourceRequestAboveLimit = new("ResourceRequestAboveLimit",
        "requests must be less than or equal to limits");
    public static readonly FieldRule ResourceClaims = new("ResourceClaims",
        "resource claims are not supported (webapp pods declare no resource claims)");

    // spec.processes.*.autoscaling
    public static readonly FieldRule AutoscalingMinReplicas = new("AutoscalingMinReplicas", "minReplicas must be at least 1");
    public static readonly FieldRule AutoscalingMaxReplicas = new("AutoscalingMaxReplicas", "maxReplicas must be at least 1");
    public static readonly FieldRule AutoscalingMinAboveMax = new("AutoscalingMinAboveMax",
        "minReplicas must be less than or equal to maxReplicas");
    public static readonly FieldRule AutoscalingTargetCpu = new("AutoscalingTargetCpu",
        "targetCPUUtilizationPercentage must be between 1 and 1000");

    // spec.env
    public static readonly FieldRule EnvName = new("EnvName", "env names " + EnvNameRule);
    public static readonly FieldRule EnvNameDuplicate = new("EnvNameDuplicate", "env names must be unique");
    public static readonly FieldRule EnvNameReserved = new("EnvNameReserved", "PORT is set by the platform from spec.port");
    public static readonly FieldRule EnvValueAndValueFrom = new("EnvValueAndValueFrom",
        "value and valueFrom must not both be set");
    public static readonly FieldRule EnvValueFromSource = new("EnvValueFromSource",
        "valueFrom must set exactly one of secretKeyRef, configMapKeyRef, fieldRef and resourceFieldRef");
    public static readonly FieldRule EnvFileKeyRef = new("EnvFileKeyRef",
        "fileKeyRef is not supported (webapp pods have no user volumes)");
    public static readonly FieldRule ConfigKey = new("ConfigKey",
        "keys must consist of letters, digits, '-', '_' and '.', at most 253 characters, and must not be '.' or start with '..'");
    public static readonly FieldRule EnvFieldPath = new("EnvFieldPath",
        "fieldPath must be one of metadata.name, metadata.namespace, metadata.uid, metadata.labels['<key>'], "
        + "metadata.annotations['<key>'], spec.nodeName, spec.serviceAccountName, status.hostIP, status.hostIPs, "
        + "status.podIP, status.podIPs");
    public static readonly FieldRule EnvFieldApiVersion = new("EnvFieldApiVersion", "apiVersion must be v1");
    public static readonly FieldRule EnvResource = new("EnvResource",
        "resource must be one of limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu, requests.memory, requests.ephemeral-storage");
    public static readonly FieldRule EnvResourceContainerName = new("EnvResourceContainerName",
        "containerName is not supported (the value always comes from the process's own container)");
    public static readonly FieldRule EnvResourceDivisor = new("EnvResourceDivisor",
        "divisor must be 1m or 1 for cpu, and 1 or a power of 1000 or 1024 (1k, 1Mi, ...) for memory and ephemeral-storage");

    // spec.envFrom
    public static readonly FieldRule EnvFromSource = new("EnvFromSource",
        "envFrom items must set exactly one of secretRef and configMapRef");
    public static readonly FieldRule EnvFromPrefix = new("EnvFromPrefix", "prefixes " + EnvNameRule);

    // spec.healthCheck
    public static readonly FieldRule HealthCheckPath = new("HealthCheckPath", "health check paths must start with '/'");
    public static readonly FieldRule HealthCheckPathCharacters = new("HealthCheckPathCharacters",
        "health check paths must not contain whitespace or control characters");
    public static readonly FieldRule BootTimeout = new("BootTimeout", "bootTimeoutSeconds must be at least 1");

    // spec.domains
    public static readonly FieldRule HostsRequired = new("HostsRequired", "at least one host is required");
    public static readonly FieldRule HostCount = new("HostCount", $"at most {WebAppValidator.MaxHosts} hosts are allowed");
    public static readonly FieldRule Host = new("Host",
        "hosts must be lower-case DNS-1123 subdomains (a-z, 0-9, '-', '.'), optionally starting with '*.'");
    public static readonly FieldRule HostIPAddress = new("HostIPAddress", "hosts must be DNS names, not IP addresses");
    public static readonly FieldRule HostDuplicate = new("HostDuplicate", "hosts must be unique");
    public static readonly FieldRule Tls = new("Tls", "exactly one of clusterIssuer and secretName must be set");

    // spec.static
    public static readonly FieldRule StaticPathAbsolute = new("StaticPathAbsolute", "static paths must start with '/'");
    public static readonly FieldRule StaticPathRoot = new("StaticPathRoot",
        "static paths must not be '/' (every other path reaches the web process)");
    public static readonly FieldRule StaticPathDotDot = new("StaticPathDotDot", "static paths must not contain '..'");
    public static readonly FieldRule StaticPathCharacters = new("StaticPathCharacters", "static paths must be " + PortablePathRule);
    public static readonly FieldRule StaticFromAbsolute = new("StaticFromAbsolute", "static sources must be absolute paths (start with '/')");
    public static readonly FieldRule StaticFromRoot = new("StaticFromRoot", "static sources must not be '/' (the whole image)");
    public static readonly FieldRule StaticFromDotDot = new("StaticFromDotDot", "static sources must not contain '..'");
    public static readonly FieldRule StaticFromCharacters = new("StaticFromCharacters", "static sources must be " + PortablePathRule);
    public static readonly FieldRule StaticMaxAge = new("StaticMaxAge", "maxAgeSeconds must not be negative");

    // spec.release
    public static readonly FieldRule ReleaseCommand = new("ReleaseCommand", "the release command must not be empty");
    public static readonly FieldRule ReleaseTimeout = new("ReleaseTimeout", "timeoutSeconds must be at least 1");
    public static readonly FieldRule ReleaseBackoffLimit = new("ReleaseBackoffLimit", "backoffLimit must be between 0 and 10");
}
