using System.Text;
using Kuroku.Api.V1Alpha1;
using k8s.Models;

namespace Kuroku.Operator.Reconciliation.Desired;

/// <summary>The recommended app.kubernetes.io labels every child carries, and the stable subset selectors use.</summary>
public static class ChildLabels
{
    public const string Name = "app.kubernetes.io/name";
    public const string Instance = "app.kubernetes.io/instance";
    public const string Component = "app.kubernetes.io/component";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string Version = "app.kubernetes.io/version";

    /// <summary>The value of app.kubernetes.io/managed-by.</summary>
    public const string Manager = "kuroku";

    /// <summary>The component of the router ConfigMap (processes use their own name).</summary>
    public const string RouterComponent = "router";

    private const int MaxLabelValueLength = 63;

    /// <summary>
    /// Every label of a child: the stable ones, plus app.kubernetes.io/version (the image tag) when
    /// <paramref name="versioned"/> and the image has a tag. Only workloads (Deployments and their pods)
    /// carry the version: a new image then rewrites the Deployments alone, not every child.
    /// Keys are inserted in ordinal order, so serialization is byte-stable.
    /// </summary>
    public static IDictionary<string, string> For(WebApp app, string component, bool versioned = false)
    {
        ArgumentNullException.ThrowIfNull(app);
        var labels = new SortedDictionary<string, string>(Selector(app, component), StringComparer.Ordinal)
        {
            [ManagedBy] = Manager,
            [PartOf] = AppName(app),
        };
        var version = versioned ? VersionOf(app.Spec?.Image) : null;
        if (version is not null)
        {
            labels[Version] = version;
        }

        return new Dictionary<string, string>(labels, StringComparer.Ordinal);
    }

    /// <summary>
    /// The labels that select a component's pods. They never change over the life of the app (no
    /// version), because a Deployment's selector is immutable.
    /// </summary>
    public static IDictionary<string, string> Selector(WebApp app, string component)
    {
        ArgumentNullException.ThrowIfNull(app);
        var name = AppName(app);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Component] = component,
            [Instance] = name,
            [Name] = name,
        };
    }

    /// <summary>
    /// The image's tag made a valid label value (at most 63 characters of [A-Za-z0-9._-], starting and
    /// ending with an alphanumeric), or null when the image has no tag (only a digest, or none).
    /// </summary>
    public static string? VersionOf(string? image)
    {
        if (string.IsNullOrEmpty(image))
        {
            return null;
        }

        var withoutDigest = image.Split('@')[0];
        var colon = withoutDigest.LastIndexOf(':');
        if (colon < 0 || colon < withoutDigest.LastIndexOf('/'))
        {
            return null; // "host:5000/repo" has a port, not a tag.
        }

        var tag = withoutDigest[(colon + 1)..];
        var sanitized = new StringBuilder(tag.Length);
        foreach (var c in tag)
        {
            sanitized.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-');
        }

        var value = sanitized.ToString();
        if (value.Length > MaxLabelValueLength)
        {
            value = value[..MaxLabelValueLength];
        }

        value = value.Trim('.', '_', '-');
        return value.Length == 0 ? null : value;
    }

    internal static string AppName(WebApp app) => app.Metadata?.Name ?? "";

    internal static V1ObjectMeta Metadata(WebApp app, string name, string component, bool versioned = false) => new()
    {
        Name = name,
        NamespaceProperty = app.Metadata?.NamespaceProperty,
        Labels = For(app, component, versioned),
        OwnerReferences = [Ownership.ControllerReference(app)],
    };
}
