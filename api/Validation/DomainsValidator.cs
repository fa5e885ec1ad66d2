using FluentValidation;
using Kuroku.Api.V1Alpha1;

namespace Kuroku.Api.Validation;

/// <summary>spec.domains: the Ingress's hosts, class and TLS.</summary>
internal sealed class DomainsValidator : AbstractValidator<DomainsSpec>
{
    public DomainsValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleFor(domains => domains.Hosts)
            .At("hosts")
            .NotEmpty().Is(WebAppRules.HostsRequired)
            .Must(hosts => hosts.Count <= WebAppValidator.MaxHosts).Is(WebAppRules.HostCount);

        // The Ingress API refuses IP addresses as hosts, and wildcards other than a leading "*.".
        RuleForEach(domains => domains.Hosts)
            .At("hosts")
            .EveryItem()
            .Must(host => !KubernetesNames.IsIPv4Address(host)).Is(WebAppRules.HostIPAddress)
            .Must(host => KubernetesNames.IsIPv4Address(host) || KubernetesNames.IsWildcardDns1123Subdomain(host)).Is(WebAppRules.Host);

        RuleFor(domains => domains.Hosts)
            .At("hosts")
            .Custom(ReportDuplicateHosts);

        RuleFor(domains => domains.IngressClassName)
            .At("ingressClassName")
            .Must(name => name is null || KubernetesNames.IsDns1123Subdomain(name)).Is(WebAppRules.ObjectName);

        RuleFor(domains => domains.Tls!)
            .At("tls")
            .SetValidator(new TlsValidator());
    }

    // Reported at the second and later occurrences.
    private static void ReportDuplicateHosts(IList<string>? hosts, ValidationContext<DomainsSpec> context)
    {
        if (hosts is null)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < hosts.Count; i++)
        {
            if (hosts[i] is { } host && !seen.Add(host))
            {
                context.AddFailure($"{context.PropertyPath}[{i}]", WebAppRules.HostDuplicate);
            }
        }
    }
}

/// <summary>spec.domains.tls: a cert-manager ClusterIssuer or an existing Secret, exactly one.</summary>
internal sealed class TlsValidator : AbstractValidator<TlsSpec>
{
    public TlsValidator()
    {
        RuleFor(tls => tls)
            .At(string.Empty)
            .Must(tls => (tls.ClusterIssuer is null) != (tls.SecretName is null)).Is(WebAppRules.Tls);

        RuleFor(tls => tls.ClusterIssuer)
            .At("clusterIssuer")
            .Must(name => name is null || KubernetesNames.IsDns1123Subdomain(name)).Is(WebAppRules.ObjectName);

        RuleFor(tls => tls.SecretName)
            .At("secretName")
            .Must(name => name is null || KubernetesNames.IsDns1123Subdomain(name)).Is(WebAppRules.ObjectName);
    }
}
