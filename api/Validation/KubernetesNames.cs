using System.Text.RegularExpressions;

namespace Kuroku.Api.Validation;

/// <summary>
/// The name and key formats the Kubernetes API server enforces (k8s.io/apimachinery
/// pkg/util/validation), as pure functions. Null is never valid.
/// </summary>
public static partial class KubernetesNames
{
    /// <summary>The longest DNS label (RFC 1123): names of Services, labels values, containers.</summary>
    public const int MaxLabelLength = 63;

    /// <summary>The longest DNS subdomain (RFC 1123): names of most objects.</summary>
    public const int MaxSubdomainLength = 253;

    /// <summary>An RFC 1123 label: a-z, 0-9 and '-', starting and ending with a letter or digit, at most 63 characters.</summary>
    public static bool IsDns1123Label(string? value) =>
        value is { Length: > 0 and <= MaxLabelLength } && Dns1123Label().IsMatch(value);

    /// <summary>An RFC 1035 label: like an RFC 1123 label, but starting with a letter (Service names).</summary>
    public static bool IsDns1035Label(string? value) =>
        value is { Length: > 0 and <= MaxLabelLength } && Dns1035Label().IsMatch(value);

    /// <summary>An RFC 1123 subdomain: dot-separated RFC 1123 labels, at most 253 characters (Secret, ConfigMap, IngressClass names).</summary>
    public static bool IsDns1123Subdomain(string? value) =>
        value is { Length: > 0 and <= MaxSubdomainLength } && Dns1123Subdomain().IsMatch(value);

    /// <summary>An RFC 1123 subdomain, or one prefixed with "*." (the wildcard hosts an Ingress accepts).</summary>
    public static bool IsWildcardDns1123Subdomain(string? value) =>
        value is not null && value.StartsWith("*.", StringComparison.Ordinal)
            ? IsDns1123Subdomain(value[2..])
            : IsDns1123Subdomain(value);

    /// <summary>
    /// An environment variable name as the API server validates it (IsEnvVarName):
    /// [-._a-zA-Z][-._a-zA-Z0-9]*, and not ".", nor starting with "..".
    /// </summary>
    public static bool IsEnvVarName(string? value) =>
        value is { Length: > 0 } && EnvVarName().IsMatch(value) && !HasChDirPrefix(value);

    /// <summary>A key of a Secret or ConfigMap (IsConfigMapKey): [-._a-zA-Z0-9]+, at most 253 characters, not "." nor "..".</summary>
    public static bool IsConfigMapKey(string? value) =>
        value is { Length: > 0 and <= MaxSubdomainLength } && ConfigMapKey().IsMatch(value) && !HasChDirPrefix(value);

    /// <summary>
    /// A qualified name with a DNS subdomain prefix, for example example.com/gpu (extended resource names).
    /// </summary>
    public static bool IsPrefixedQualifiedName(string? value)
    {
        if (value is null)
        {
            return false;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return false;
        }

        var name = value[(slash + 1)..];
        return IsDns1123Subdomain(value[..slash])
            && name.Length is > 0 and <= MaxLabelLength
            && QualifiedNamePart().IsMatch(name);
    }

    /// <summary>A dotted-quad IPv4 address (an Ingress refuses these as hosts).</summary>
    public static bool IsIPv4Address(string? value) =>
        value is not null && IPv4().IsMatch(value);

    private static bool HasChDirPrefix(string value) =>
        value == "." || value.StartsWith("..", StringComparison.Ordinal);

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Label();

    [GeneratedRegex(@"^[a-z]([-a-z0-9]*[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1035Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex(@"^[-._a-zA-Z][-._a-zA-Z0-9]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex EnvVarName();

    [GeneratedRegex(@"^[-._a-zA-Z0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigMapKey();

    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedNamePart();

    [GeneratedRegex(@"^[0-9]{1,3}(\.[0-9]{1,3}){3}\z", RegexOptions.CultureInvariant)]
    private static partial Regex IPv4();
}
