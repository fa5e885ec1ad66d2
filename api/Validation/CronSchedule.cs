using System.Globalization;

namespace Kuroku.Api.Validation;

/// <summary>
/// Cron schedules as a Kubernetes CronJob reads them (the robfig/cron v3 standard parser that
/// kube-apiserver validates with and the CronJob controller schedules with): five fields, minute hour
/// day-of-month month day-of-week, separated by whitespace; each field a comma-separated list of
/// <c>*</c> or <c>?</c>, a number or name, a range <c>a-b</c>, each optionally with a step <c>/n</c>
/// (<c>a/n</c> means from a to the field's maximum); or one of the descriptors @yearly (@annually),
/// @monthly, @weekly, @daily (@midnight), @hourly and @every &lt;duration&gt;. Pure.
/// </summary>
public static class CronSchedule
{
    /// <summary>One field: its name in messages, its bounds, and the names it accepts.</summary>
    private sealed record Field(string Name, int Minimum, int Maximum, IReadOnlyDictionary<string, int>? Names = null);

    private static readonly IReadOnlyDictionary<string, int> Months = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["jan"] = 1, ["feb"] = 2, ["mar"] = 3, ["apr"] = 4, ["may"] = 5, ["jun"] = 6,
        ["jul"] = 7, ["aug"] = 8, ["sep"] = 9, ["oct"] = 10, ["nov"] = 11, ["dec"] = 12,
    };

    private static readonly IReadOnlyDictionary<string, int> Days = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["sun"] = 0, ["mon"] = 1, ["tue"] = 2, ["wed"] = 3, ["thu"] = 4, ["fri"] = 5, ["sat"] = 6,
    };

    private static readonly Field[] Fields =
    [
        new("minute", 0, 59),
        new("hour", 0, 23),
        new("day-of-month", 1, 31),
        new("month", 1, 12, Months),
        new("day-of-week", 0, 6, Days),
    ];

    private static readonly HashSet<string> Descriptors = new(StringComparer.Ordinal)
    {
        "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly",
    };

    /// <summary>Why the schedule is not one a CronJob accepts, or null when it is.</summary>
    public static string? Problem(string? schedule)
    {
        if (string.IsNullOrWhiteSpace(schedule))
        {
            return "the schedule is empty";
        }

        if (schedule.Contains("TZ", StringComparison.Ordinal))
        {
            // kube-apiserver refuses TZ= and CRON_TZ= prefixes (and any "TZ") in spec.schedule.
            return "TZ= and CRON_TZ= are not allowed; set timeZone instead";
        }

        var trimmed = schedule.Trim();
        if (trimmed.StartsWith('@'))
        {
            return Descriptor(trimmed);
        }

        var fields = trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != Fields.Length)
        {
            return string.Create(CultureInfo.InvariantCulture, $"expected exactly 5 fields, found {fields.Length}: \"{trimmed}\"");
        }

        for (var i = 0; i < fields.Length; i++)
        {
            if (FieldProblem(fields[i], Fields[i]) is { } problem)
            {
                return $"{Fields[i].Name} field \"{fields[i]}\": {problem}";
            }
        }

        return null;
    }

    /// <summary>Whether a CronJob accepts the schedule.</summary>
    public static bool IsValid(string? schedule) => Problem(schedule) is null;

    private static string? Descriptor(string descriptor)
    {
        if (Descriptors.Contains(descriptor))
        {
            return null;
        }

        const string every = "@every ";
        if (descriptor.StartsWith(every, StringComparison.Ordinal))
        {
            var duration = descriptor[every.Length..].Trim();
            return GoDuration.IsValid(duration) ? null : $"\"{duration}\" is not a duration such as 90s, 15m or 1h30m";
        }

        return $"unknown descriptor \"{descriptor}\" (use @yearly, @monthly, @weekly, @daily, @hourly or @every <duration>)";
    }

    private static string? FieldProblem(string field, Field bounds)
    {
        foreach (var range in field.Split(','))
        {
            if (RangeProblem(range, bounds) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? RangeProblem(string range, Field bounds)
    {
        var slash = range.Split('/');
        if (slash.Length > 2)
        {
            return "too many slashes";
        }

        var hyphen = slash[0].Split('-');
        if (hyphen.Length > 2)
        {
            return "too many hyphens";
        }

        int start, end;
        if (slash[0] is "*" or "?")
        {
            (start, end) = (bounds.Minimum, bounds.Maximum);
        }
        else
        {
            if (Value(hyphen[0], bounds, out start) is { } first)
            {
                return first;
            }

            end = start;
            if (hyphen.Length == 2 && Value(hyphen[1], bounds, out end) is { } second)
            {
                return second;
            }
        }

        if (slash.Length == 2)
        {
            if (!int.TryParse(slash[1], NumberStyles.None, CultureInfo.InvariantCulture, out var step))
            {
                return $"the step \"{slash[1]}\" is not a number";
            }

            if (step <= 0)
            {
                return "the step must be a positive number";
            }

            if (hyphen.Length == 1 && slash[0] is not ("*" or "?"))
            {
                // "N/step" means N to the maximum, every step.
                end = bounds.Maximum;
            }
        }

        if (start < bounds.Minimum)
        {
            return I($"{start} is below the minimum {bounds.Minimum}");
        }

        if (end > bounds.Maximum)
        {
            return I($"{end} is above the maximum {bounds.Maximum}");
        }

        return start > end ? I($"the range starts at {start}, after its end {end}") : null;
    }

    private static string? Value(string text, Field bounds, out int value)
    {
        if (bounds.Names is not null && bounds.Names.TryGetValue(text, out value))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            return null;
        }

        return bounds.Names is null
            ? $"\"{text}\" is not a number"
            : $"\"{text}\" is not a number or a name ({string.Join(", ", bounds.Names.Keys.Select(n => n.ToUpperInvariant()))})";
    }

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Go's time.ParseDuration syntax (what @every takes): signed decimals with units ns, us, µs, ms, s, m, h.</summary>
internal static class GoDuration
{
    private static readonly string[] Units = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"];

    public static bool IsValid(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        var i = text[0] is '+' or '-' ? 1 : 0;
        if (text[i..] == "0")
        {
            return true;
        }

        if (i == text.Length)
        {
            return false;
        }

        while (i < text.Length)
        {
            var digits = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            var whole = i - digits;
            var fraction = 0;
            if (i < text.Length && text[i] == '.')
            {
                i++;
                var start = i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                fraction = i - start;
            }

            if (whole == 0 && fraction == 0)
            {
                return false;
            }

            // "ms" is tried before "m" and "s".
            var unit = Units.FirstOrDefault(u => text.AsSpan(i).StartsWith(u, StringComparison.Ordinal));
            if (unit is null)
            {
                return false;
            }

            i += unit.Length;
        }

        return true;
    }
}
