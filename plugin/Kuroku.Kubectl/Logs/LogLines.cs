using System.Globalization;

namespace Kuroku.Kubectl.Logs;

/// <summary>One line of a container's log: when it was written, by which source (web.1, run.3...), what it says.</summary>
public sealed record LogLine(DateTimeOffset At, string Source, string Text);

/// <summary>
/// Log lines as the API server sends them with timestamps=true ("2026-05-01T12:00:00.123456789Z text"), and as
/// the plugin prints them, Heroku's way: "2026-05-01T12:00:00.123456+00:00 app[web.1]: text". Pure.
/// </summary>
public static class LogLines
{
    /// <summary>Splits a stamped line into its time and text; a line without a time gets <see cref="DateTimeOffset.MinValue"/>.</summary>
    public static (DateTimeOffset At, string Text) Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var stamp = space < 0 ? line : line[..space];
        if (stamp.Length >= 20 && char.IsAsciiDigit(stamp[0])
            && DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return (at, space < 0 ? "" : line[(space + 1)..]);
        }

        return (DateTimeOffset.MinValue, line);
    }

    /// <summary>The text of a stamped line, without its time.</summary>
    public static string WithoutTimestamp(string line) => Parse(line).Text;

    /// <summary>Heroku's form: "2026-05-01T12:00:00.123456+00:00 app[web.1]: text".</summary>
    public static string Format(LogLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return $"{line.At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture)} app[{line.Source}]: {line.Text}";
    }

    /// <summary>
    /// The lines of several sources in one stream, oldest first (lines written at the same moment keep their
    /// sources' order and their own), then the last <paramref name="tail"/> of them (null: all).
    /// </summary>
    public static IReadOnlyList<LogLine> Merge(IEnumerable<IReadOnlyList<LogLine>> sources, long? tail)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var merged = sources.SelectMany(lines => lines).OrderBy(l => l.At).ToList();
        return tail is { } n && n < merged.Count ? merged[(int)(merged.Count - n)..] : merged;
    }
}
