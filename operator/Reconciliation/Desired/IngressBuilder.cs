using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Configuration;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.Reconciliation.Desired;

/// <summary>The Ingress &lt;app&gt;: the app's hosts, and its default host under the operator's default domain.</summary>
public static class IngressBuilder
{
    /// <summary>The annotation cert-manager's ingress-shim reads to issue a certificate.</summary>
    public const string ClusterIssuerAnnotation = "cert-manager.io/cluster-issuer";

    /// <summary>
    /// The Ingress, or null when the app has no web process or no host at all (no spec.domains.hosts
    /// and no default domain).
    ///
    /// TLS covers spec.domains.hosts only. The default host (&lt;app&gt;-&lt;namespace&gt;.&lt;domain&gt;) is
    /// left to the Ingress controller's default certificate (typically a wildcard for the default
    /// domain), so a user's own certificate (tls.secretName) is never served for a name it lacks.
    /// </summary>
    public static V1Ingress? Build(WebApp app, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        if (!WebProcess.Exists(app))
        {
            return null;
        }

        var appName = ChildLabels.AppName(app);
        var domains = app.Spec?.Domains;
        var userHosts = (domains?.Hosts ?? []).Where(h => !string.IsNullOrEmpty(h)).Distinct(StringComparer.Ordinal).ToList();
        var hosts = new List<string>(userHosts);
        var defaultHost = DefaultHost(app, options);
        if (defaultHost is not null && !hosts.Contains(defaultHost, StringComparer.Ordinal))
        {
            hosts.Add(defaultHost);
        }

        if (hosts.Count == 0)
        {
            return null;
        }

        var metadata = ChildLabels.Metadata(app, ChildNames.Ingress(appName), WebAppApi.WebProcess);
        var tls = domains?.Tls;
        string? tlsSecret = null;
        if (!string.IsNullOrEmpty(tls?.ClusterIssuer))
        {
            metadata.Annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [ClusterIssuerAnnotation] = tls.ClusterIssuer };
            tlsSecret = ChildNames.IssuedTlsSecret(appName);
        }
        else if (!string.IsNullOrEmpty(tls?.SecretName))
        {
            tlsSecret = tls.SecretName;
        }

        return new V1Ingress
        {
            Metadata = metadata,
            Spec = new V1IngressSpec
            {
                IngressClassName = string.IsNullOrEmpty(domains?.IngressClassName) ? null : domains.IngressClassName,
                Rules = hosts.Select(host => Rule(host, appName)).ToList(),
                Tls = tlsSecret is not null && userHosts.Count > 0
                    ? [new V1IngressTLS { Hosts = userHosts, SecretName = tlsSecret }]
                    : null,
            },
        }.Initialize();
    }

    /// <summary>&lt;app&gt;-&lt;namespace&gt;.&lt;default domain&gt;, or null without a default domain.</summary>
    private const int MaxDnsLabelLength = 63;

    public static string? DefaultHost(WebApp app, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        var domain = options.DefaultDomain?.Trim().Trim('.');
        if (string.IsNullOrEmpty(domain))
        {
            return null;
        }

        var ns = app.Metadata?.NamespaceProperty;
        var label = (string.IsNullOrEmpty(ns) ? ChildLabels.AppName(app) : $"{ChildLabels.AppName(app)}-{ns}").ToLowerInvariant();
        if (label.Length > MaxDnsLabelLength)
        {
            // A DNS label holds 63 characters: keep the start readable, a hash of the whole keeps it unique.
            label = label[..(MaxDnsLabelLength - 9)].TrimEnd('-') + "-" + ContentHash.Of(label)[..8];
        }

        return $"{label}.{domain}".ToLowerInvariant();
    }

    private static V1IngressRule Rule(string host, string appName) => new()
    {
        Host = host,
        Http = new V1HTTPIngressRuleValue
        {
            Paths =
            [
                new V1HTTPIngressPath
                {
                    Path = "/",
                    PathType = "Prefix",
                    Backend = new V1IngressBackend
                    {
                        Service = new V1IngressServiceBackend
                        {
                            Name = ChildNames.Service(appName),
                            Port = new V1ServiceBackendPort { Name = Router.PortName },
                        },
                    },
                },
            ],
        },
    };
}
