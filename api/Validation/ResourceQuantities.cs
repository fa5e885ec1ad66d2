using k8s.Models;

namespace Kuroku.Api.Validation;

/// <summary>Resource names and quantities as the API server accepts them in a container's resources.</summary>
internal static class ResourceQuantities
{
    private static readonly decimal MaxAllowed = ResourceQuantity.MaxAllowed;

    /// <summary>cpu, memory, ephemeral-storage, hugepages-&lt;size&gt; or a domain-prefixed extended resource.</summary>
    public static bool IsResourceName(string name) =>
        name is "cpu" or "memory" or "ephemeral-storage"
        || (name.StartsWith("hugepages-", StringComparison.Ordinal) && IsQuantity(name["hugepages-".Length..]))
        || (KubernetesNames.IsPrefixedQualifiedName(name) && !name.StartsWith("kubernetes.io/", StringComparison.Ordinal));

    /// <summary>The value of a quantity, or null when it is absent, negative or beyond 2^63-1.</summary>
    public static decimal? ToDecimal(ResourceQuantity? quantity)
    {
        if (quantity is null)
        {
            return null;
        }

        try
        {
            var value = quantity.ToDecimal();
            return value is >= 0 && value <= MaxAllowed ? value : null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static bool IsQuantity(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        try
        {
            return ToDecimal(new ResourceQuantity(text)) is > 0;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or OverflowException)
        {
            return false;
        }
    }
}
