using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Kuroku.Api.Validation;

/// <summary>
/// The time zones a CronJob's spec.timeZone accepts: names of the IANA time zone database, as
/// kube-apiserver checks them (each '/'-separated part of at most 14 letters, digits, '.', '_', '-', '+',
/// not starting with '-', not "." or ".."; not "Local"; a zone the database knows). The names are
/// embedded (TimeZoneNames.txt), so the answer does not depend on the machine: the operator's image
/// carries no time zone database, and kube-apiserver uses its own.
/// </summary>
public static partial class TimeZones
{
    private static readonly Lazy<FrozenSet<string>> Names = new(Load);

    /// <summary>Whether a CronJob accepts this time zone.</summary>
    public static bool IsValid(string? name) =>
        name is { Length: > 0 }
        && !name.Equals("Local", StringComparison.OrdinalIgnoreCase)
        && name.Split('/').All(part => part is not ("." or "..") && !part.StartsWith('-') && Part().IsMatch(part))
        && Names.Value.Contains(name);

    /// <summary>Every known name, in ordinal order.</summary>
    public static IReadOnlyList<string> All => [.. Names.Value.Order(StringComparer.Ordinal)];

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(TimeZones).Assembly.GetManifestResourceStream("Kuroku.Api.Validation.TimeZoneNames.txt")
            ?? throw new InvalidOperationException("the embedded list of time zone names is missing");
        using var reader = new StreamReader(stream);
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                names.Add(line.Trim());
            }
        }

        return names.ToFrozenSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^[A-Za-z.\-_0-9+]{1,14}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}
