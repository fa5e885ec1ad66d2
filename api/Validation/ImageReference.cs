using System.Text.RegularExpressions;

namespace Kuroku.Api.Validation;

/// <summary>
/// The container image reference grammar of distribution/reference, as kubelet and containerd parse it:
/// <c>[host[:port]/]path[:tag][@digest]</c>.
/// </summary>
/// <remarks>
/// The first path component is a registry host only when it contains '.' or ':' or is "localhost"
/// (Docker's rule), so "Acme/shop" is refused instead of being read as a registry named "Acme".
/// Repository paths are lower-case; tags are [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}; digests are
/// sha256, sha384 or sha512 in lower-case hex of the right length (go-digest's rule).
/// </remarks>
public static partial class ImageReference
{
    /// <summary>The longest repository name (registry and path) distribution/reference accepts.</summary>
    public const int MaxNameLength = 255;

    /// <summary>True when <paramref name="value"/> is a well-formed image reference.</summary>
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var match = Reference().Match(value);
        if (!match.Success)
        {
            return false;
        }

        var name = match.Groups["name"].Value;
        if (name.Length > MaxNameLength)
        {
            return false;
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? null : name[..slash];
        var isHost = first is not null
            && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost");
        var path = isHost ? name[(slash + 1)..] : name;
        if ((isHost && !Host().IsMatch(first!)) || !RepositoryPath().IsMatch(path))
        {
            return false;
        }

        var digest = match.Groups["digest"];
        return !digest.Success || IsDigest(digest.Value);
    }

    private static bool IsDigest(string digest)
    {
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        var hex = digest[(colon + 1)..];
        var expectedLength = digest[..colon] switch
        {
            "sha256" => 64,
            "sha384" => 96,
            "sha512" => 128,
            _ => -1,
        };
        return hex.Length == expectedLength && LowerHex().IsMatch(hex);
    }

    // name, then an optional tag, then an optional digest. The name is split into host and path after.
    [GeneratedRegex(@"^(?<name>(?:\[[a-fA-F0-9:]+\]|[^:@/\[\]\s]+)(?::[0-9]+(?=/))?(?:/[^:@/\s]+)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>[a-z0-9]+:[^\s]+))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Reference();

    // host [":" port]: domain components (letters, digits, inner '-') joined by '.', or a bracketed IPv6 address.
    [GeneratedRegex(@"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Host();

    // path components of lower-case letters and digits, joined by '.', '_', "__" or runs of '-'.
    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPath();

    [GeneratedRegex(@"^[a-f0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex LowerHex();
}
