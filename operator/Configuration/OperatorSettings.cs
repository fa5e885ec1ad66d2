using System.Text.RegularExpressions;

namespace Kuroku.Operator.Configuration;

/// <summary>
/// Every setting of the operator, each declared once with its flag, variable, default and rule. `run` reads
/// <see cref="Run"/> from flags and the environment; `render` reads <see cref="Render"/> from flags only,
/// with the same rules.
/// </summary>
public static partial class OperatorSettings
{
    private static readonly OperatorOptions Defaults = new();

    public static OperatorSetting Kubeconfig { get; } = OperatorSetting.Text(
        "--kubeconfig", null, "PATH", "the kubeconfig file to use",
        "in-cluster, else $KUBECONFIG, else ~/.kube/config", "a path",
        (o, v) => o with { Kubeconfig = v });

    public static OperatorSetting Context { get; } = OperatorSetting.Text(
        "--context", null, "NAME", "the kubeconfig context to use", "the current context", "a context name",
        (o, v) => o with { Context = v });

    public static OperatorSetting Namespace { get; } = OperatorSetting.Matching(
        "--namespace", "KUROKU_WATCH_NAMESPACE", "NS", "watch WebApps in this namespace only", "all namespaces",
        DnsLabel(), "a namespace name (a DNS label)", (o, v) => o with { Namespace = v });

    public static OperatorSetting Workers { get; } = OperatorSetting.WholeNumber(
        "--workers", "KUROKU_WORKERS", "N", "how many WebApps are reconciled at once", Defaults.Workers, 1, 64,
        (o, v) => o with { Workers = v });

    public static OperatorSetting DefaultDomain { get; } = OperatorSetting.Matching(
        "--default-domain", "KUROKU_DEFAULT_DOMAIN", "DOMAIN", "every app also answers at <app>-<namespace>.DOMAIN", null,
        DnsSubdomain(), "a DNS domain such as apps.example.com", (o, v) => o with { DefaultDomain = v });

    public static OperatorSetting NginxImage { get; } = OperatorSetting.Matching(
        "--nginx-image", "KUROKU_NGINX_IMAGE", "IMAGE", "the nginx image that serves static content (must run as non-root)",
        OperatorOptions.DefaultNginxImage, ImageReference(), "an image reference such as nginxinc/nginx-unprivileged:1.27",
        (o, v) => o with { NginxImage = v });

    public static OperatorSetting LeaderElection { get; } = OperatorSetting.Boolean(
        "--leader-election", "KUROKU_LEADER_ELECTION", "run the controllers only while holding the leader Lease",
        "true in a cluster without --kubeconfig, else false", (o, v) => o with { LeaderElection = v });

    public static OperatorSetting LeaderElectionNamespace { get; } = OperatorSetting.Matching(
        "--leader-election-namespace", "KUROKU_LEADER_ELECTION_NAMESPACE", "NS", "where the leader Lease lives",
        $"$POD_NAMESPACE, else {Defaults.LeaderElectionNamespace}", DnsLabel(), "a namespace name (a DNS label)",
        (o, v) => o with { LeaderElectionNamespace = v });

    public static OperatorSetting HttpPort { get; } = OperatorSetting.WholeNumber(
        "--http-port", "KUROKU_HTTP_PORT", "PORT", "the HTTP port of /metrics, /healthz and /readyz", Defaults.HttpPort, 1, 65535,
        (o, v) => o with { HttpPort = v });

    public static OperatorSetting WebhookPort { get; } = OperatorSetting.WholeNumber(
        "--webhook-port", "KUROKU_WEBHOOK_PORT", "PORT", "the HTTPS port of the admission webhooks", Defaults.WebhookPort, 1, 65535,
        (o, v) => o with { WebhookPort = v });

    public static OperatorSetting WebhookCertDir { get; } = OperatorSetting.Text(
        "--webhook-cert-dir", "KUROKU_WEBHOOK_CERT_DIR", "DIR", "where the webhook's tls.crt and tls.key are (mounted or generated)",
        Defaults.WebhookCertDir, "a path", (o, v) => o with { WebhookCertDir = v });

    public static OperatorSetting Webhooks { get; } = OperatorSetting.Boolean(
        "--webhooks", "KUROKU_WEBHOOKS", "serve the admission webhooks", "true", (o, v) => o with { Webhooks = v });

    public static OperatorSetting WebhookCertManager { get; } = OperatorSetting.Boolean(
        "--webhook-cert-manager", "KUROKU_WEBHOOK_CERT_MANAGER",
        "cert-manager issues the webhook certificate (else the operator does)", "false",
        (o, v) => o with { WebhookCertManager = v });

    public static OperatorSetting WebhookServiceName { get; } = OperatorSetting.Matching(
        "--webhook-service-name", "KUROKU_WEBHOOK_SERVICE_NAME", "NAME", "the webhook's Service (the generated certificate's DNS names)",
        null, DnsLabel(), "a Service name (a DNS label)", (o, v) => o with { WebhookServiceName = v });

    public static OperatorSetting WebhookSecretName { get; } = OperatorSetting.Matching(
        "--webhook-secret-name", "KUROKU_WEBHOOK_SECRET_NAME", "NAME", "the Secret that holds the generated certificate",
        null, DnsSubdomain(), "a Secret name", (o, v) => o with { WebhookSecretName = v });

    public static OperatorSetting WebhookConfigurationName { get; } = OperatorSetting.Matching(
        "--webhook-configuration-name", "KUROKU_WEBHOOK_CONFIGURATION_NAME", "NAME",
        "the ValidatingWebhookConfiguration whose caBundle is kept current", null, DnsSubdomain(), "an object name",
        (o, v) => o with { WebhookConfigurationName = v });

    public static OperatorSetting KubeApiQps { get; } = OperatorSetting.Rate(
        "--kube-api-qps", "KUROKU_KUBE_API_QPS", "QPS", "requests per second to the API server, sustained; 0: no client-side limit",
        Defaults.KubeApiQps, (o, v) => o with { KubeApiQps = v });

    public static OperatorSetting KubeApiBurst { get; } = OperatorSetting.WholeNumber(
        "--kube-api-burst", "KUROKU_KUBE_API_BURST", "N", "with a qps: requests to the API server in a burst; at least the qps",
        Defaults.KubeApiBurst, 1, int.MaxValue, (o, v) => o with { KubeApiBurst = v });

    /// <summary>What `run` reads, in the order help lists them.</summary>
    public static IReadOnlyList<OperatorSetting> Run { get; } =
    [
        Kubeconfig, Context, Namespace, Workers, DefaultDomain, NginxImage, LeaderElection, LeaderElectionNamespace,
        HttpPort, WebhookPort, WebhookCertDir, Webhooks, WebhookCertManager, WebhookServiceName, WebhookSecretName,
        WebhookConfigurationName, KubeApiQps, KubeApiBurst,
    ];

    /// <summary>What `render` reads: the settings the desired-state builders use.</summary>
    public static IReadOnlyList<OperatorSetting> Render { get; } = [DefaultDomain, NginxImage];

    /// <summary>
    /// The rules that tie two settings together, over options whose settings are each valid. <paramref name="name"/>
    /// says how to call a setting in the message (the flag or variable that set it, else its flag).
    /// </summary>
    public static IEnumerable<string> Conflicts(OperatorOptions options, Func<OperatorSetting, string> name)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(name);
        if (options.HttpPort == options.WebhookPort)
        {
            yield return $"{name(HttpPort)} and {name(WebhookPort)} must differ (both {options.HttpPort})";
        }

        if (options.KubeApiQps > 0 && options.KubeApiBurst < options.KubeApiQps)
        {
            yield return FormattableString.Invariant(
                $"{name(KubeApiBurst)} must be at least {name(KubeApiQps)} (burst {options.KubeApiBurst}, qps {options.KubeApiQps})");
        }
    }

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\z")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex(@"^[a-z0-9]+([._/:@-][a-zA-Z0-9_.-]+)*\z")]
    private static partial Regex ImageReference();
}
