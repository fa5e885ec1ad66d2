using System.Globalization;
using System.Text.RegularExpressions;

namespace Kuroku.Operator.Configuration;

/// <summary>
/// Turns `run` flags and KUROKU_* environment variables into <see cref="OperatorOptions"/>; flags win
/// over the environment. Pure: the environment comes in as a dictionary. Every bad value is reported
/// with the flag and the variable that carry it, all at once.
/// </summary>
public static partial class OptionsParser
{
    public const string Usage = """
        usage: kuroku run [options]

          --kubeconfig PATH              kubeconfig to use (default: in-cluster, then $KUBECONFIG, ~/.kube/config)
          --context NAME                 kubeconfig context (default: the current one)
          --namespace NS                 watch only this namespace      (KUROKU_WATCH_NAMESPACE; default: all)
          --workers N                    concurrent reconciles, 1-64    (KUROKU_WORKERS; default 2)
          --default-domain DOMAIN        every app also gets <app>-<ns>.DOMAIN   (KUROKU_DEFAULT_DOMAIN)
          --nginx-image IMAGE            the router image               (KUROKU_NGINX_IMAGE)
          --leader-election true|false   run controllers only as leader (KUROKU_LEADER_ELECTION;
                                         default: true in a cluster, false with a kubeconfig)
          --leader-election-namespace NS where the Lease lives          (KUROKU_LEADER_ELECTION_NAMESPACE;
                                         default: $POD_NAMESPACE, else kuroku-system)
          --http-port PORT               /metrics, /healthz, /readyz    (KUROKU_HTTP_PORT; default 8080)
          --webhook-port PORT            admission webhooks over HTTPS  (KUROKU_WEBHOOK_PORT; default 9443)
          --webhook-cert-dir DIR         tls.crt and tls.key            (KUROKU_WEBHOOK_CERT_DIR)
          --webhooks true|false          serve the admission webhooks   (KUROKU_WEBHOOKS; default true)
          --webhook-cert-manager true|false  cert-manager mounts the cert (KUROKU_WEBHOOK_CERT_MANAGER)
          --webhook-service-name NAME    the webhook's Service          (KUROKU_WEBHOOK_SERVICE_NAME)
          --webhook-secret-name NAME     Secret for a generated cert    (KUROKU_WEBHOOK_SECRET_NAME)
          --webhook-configuration-name NAME  caBundle kept current here (KUROKU_WEBHOOK_CONFIGURATION_NAME)
        """;

    private static readonly Dictionary<string, string> FlagToEnv = new(StringComparer.Ordinal)
    {
        ["--namespace"] = "KUROKU_WATCH_NAMESPACE",
        ["--workers"] = "KUROKU_WORKERS",
        ["--default-domain"] = "KUROKU_DEFAULT_DOMAIN",
        ["--nginx-image"] = "KUROKU_NGINX_IMAGE",
        ["--leader-election"] = "KUROKU_LEADER_ELECTION",
        ["--leader-election-namespace"] = "KUROKU_LEADER_ELECTION_NAMESPACE",
        ["--http-port"] = "KUROKU_HTTP_PORT",
        ["--webhook-port"] = "KUROKU_WEBHOOK_PORT",
        ["--webhook-cert-dir"] = "KUROKU_WEBHOOK_CERT_DIR",
        ["--webhooks"] = "KUROKU_WEBHOOKS",
        ["--webhook-cert-manager"] = "KUROKU_WEBHOOK_CERT_MANAGER",
        ["--webhook-service-name"] = "KUROKU_WEBHOOK_SERVICE_NAME",
        ["--webhook-secret-name"] = "KUROKU_WEBHOOK_SECRET_NAME",
        ["--webhook-configuration-name"] = "KUROKU_WEBHOOK_CONFIGURATION_NAME",
        ["--kubeconfig"] = "",
        ["--context"] = "",
    };

    /// <summary>The options, or every error found.</summary>
    public static (OperatorOptions? Options, IReadOnlyList<string> Errors) Parse(
        IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var errors = new List<string>();
        var values = new Dictionary<string, (string Value, string Source)>(StringComparer.Ordinal);
        foreach (var (flag, env) in FlagToEnv)
        {
            if (env.Length > 0 && environment.TryGetValue(env, out var v) && !string.IsNullOrEmpty(v))
            {
                values[flag] = (v, env);
            }
        }

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var flag = eq > 0 ? arg[..eq] : arg;
            if (!FlagToEnv.ContainsKey(flag))
            {
                errors.Add($"{arg}: unknown option");
                continue;
            }

            if (eq > 0)
            {
                values[flag] = (arg[(eq + 1)..], flag);
            }
            else if (i + 1 < args.Count)
            {
                values[flag] = (args[++i], flag);
            }
            else
            {
                errors.Add($"{flag}: a value is required");
            }
        }

        string? Str(string flag) => values.TryGetValue(flag, out var v) ? v.Value : null;

        int Int(string flag, int fallback, int min, int max)
        {
            if (!values.TryGetValue(flag, out var v))
            {
                return fallback;
            }

            if (int.TryParse(v.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
            {
                return n;
            }

            errors.Add($"{v.Source}: \"{v.Value}\" must be a whole number from {min} to {max}");
            return fallback;
        }

        bool Bool(string flag, bool fallback)
        {
            if (!values.TryGetValue(flag, out var v))
            {
                return fallback;
            }

            if (bool.TryParse(v.Value, out var b))
            {
                return b;
            }

            errors.Add($"{v.Source}: \"{v.Value}\" must be true or false");
            return fallback;
        }

        string? Checked(string flag, Regex rule, string what)
        {
            if (!values.TryGetValue(flag, out var v))
            {
                return null;
            }

            if (!rule.IsMatch(v.Value))
            {
                errors.Add($"{v.Source}: \"{v.Value}\" must be {what}");
            }

            return v.Value;
        }

        var inCluster = environment.TryGetValue("KUBERNETES_SERVICE_HOST", out var host) && !string.IsNullOrEmpty(host);
        environment.TryGetValue("POD_NAMESPACE", out var podNamespace);
        environment.TryGetValue("POD_NAME", out var podName);
        var defaults = new OperatorOptions();
        var options = new OperatorOptions
        {
            Kubeconfig = Str("--kubeconfig"),
            Context = Str("--context"),
            Namespace = Checked("--namespace", DnsLabel(), "a namespace name (a DNS label)"),
            Workers = Int("--workers", defaults.Workers, 1, 64),
            DefaultDomain = Checked("--default-domain", DnsSubdomain(), "a DNS domain such as apps.example.com"),
            NginxImage = Checked("--nginx-image", ImageReference(), "an image reference such as nginxinc/nginx-unprivileged:1.27")
                ?? defaults.NginxImage,
            LeaderElection = Bool("--leader-election", inCluster && Str("--kubeconfig") is null),
            LeaderElectionNamespace = Checked("--leader-election-namespace", DnsLabel(), "a namespace name (a DNS label)")
                ?? (string.IsNullOrEmpty(podNamespace) ? defaults.LeaderElectionNamespace : podNamespace),
            HttpPort = Int("--http-port", defaults.HttpPort, 1, 65535),
            WebhookPort = Int("--webhook-port", defaults.WebhookPort, 1, 65535),
            WebhookCertDir = Str("--webhook-cert-dir") ?? defaults.WebhookCertDir,
            Webhooks = Bool("--webhooks", defaults.Webhooks),
            WebhookCertManager = Bool("--webhook-cert-manager", false),
            WebhookServiceName = Checked("--webhook-service-name", DnsLabel(), "a Service name (a DNS label)"),
            WebhookSecretName = Checked("--webhook-secret-name", DnsSubdomain(), "a Secret name"),
            WebhookConfigurationName = Checked("--webhook-configuration-name", DnsSubdomain(), "an object name"),
            Identity = string.IsNullOrEmpty(podName) ? defaults.Identity : podName,
        };
        if (options.HttpPort == options.WebhookPort)
        {
            errors.Add($"--http-port and --webhook-port must differ (both {options.HttpPort})");
        }

        return errors.Count == 0 ? (options, errors) : (null, errors);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex(@"^[a-z0-9]+([._/:@-][a-zA-Z0-9_.-]+)*$")]
    private static partial Regex ImageReference();
}
