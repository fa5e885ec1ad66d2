using Kuroku.Testing.ApiServer.Hooks;

namespace Kuroku.Benchmarks.Scale;

/// <summary>
/// Write requests counted by verb and resource ("create deployments", "update webapps/status").
/// Resources are named as the API server's request log names them: plural, then /subresource.
/// </summary>
public sealed class WriteTally
{
    public static readonly IReadOnlySet<string> WriteVerbs = new HashSet<string>(StringComparer.Ordinal) { "create", "update", "patch", "delete", "deletecollection" };

    /// <summary>What the benchmark itself writes; everything else written while the operator runs is the operator's.</summary>
    public static readonly IReadOnlySet<string> ClientResources = new HashSet<string>(StringComparer.Ordinal) { "namespaces", "secrets", "webapps", "customresourcedefinitions" };

    private readonly SortedDictionary<string, long> counts = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> rejected = new(StringComparer.Ordinal);

    /// <summary>Every write sent, answered or not.</summary>
    public IReadOnlyDictionary<string, long> ByVerbAndResource => counts;

    /// <summary>The writes the server refused (any code but 2xx: 409 AlreadyExists or Conflict, mostly), included in <see cref="ByVerbAndResource"/>.</summary>
    public IReadOnlyDictionary<string, long> RejectedByVerbAndResource => rejected;

    public long Total => counts.Values.Sum();

    public long Rejected => rejected.Values.Sum();

    public long this[string verbAndResource] => counts.TryGetValue(verbAndResource, out var n) ? n : 0;

    public void Add(string verb, string resource, long count = 1, int code = 200)
    {
        var key = $"{verb} {resource}";
        counts[key] = this[key] + count;
        if (code is < 200 or > 299)
        {
            rejected[key] = rejected.GetValueOrDefault(key) + count;
        }
    }

    /// <summary>The operator's writes from its own /metrics (kuroku_api_requests_total by verb and resource, any code).</summary>
    public static WriteTally FromMetrics(IEnumerable<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var tally = new WriteTally();
        foreach (var s in samples.Where(s => s.Name.StartsWith("kuroku_api_requests", StringComparison.Ordinal) && s.Name.EndsWith("_total", StringComparison.Ordinal)))
        {
            if (s.Label("verb") is { } verb && WriteVerbs.Contains(verb) && s.Label("resource") is { } resource && s.Value > 0)
            {
                var code = int.TryParse(s.Label("code"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var c) ? c : 0;
                tally.Add(verb, NormalizeResource(resource), (long)s.Value, code);
            }
        }

        return tally;
    }

    /// <summary>Writes in the API server's request log that <paramref name="include"/> accepts.</summary>
    public static WriteTally FromLog(IEnumerable<RequestRecord> records, Func<RequestRecord, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var tally = new WriteTally();
        foreach (var r in records)
        {
            if (WriteVerbs.Contains(r.Verb) && (include is null || include(r)))
            {
                tally.Add(r.Verb, r.Resource, 1, r.StatusCode);
            }
        }

        return tally;
    }

    /// <summary>True for a write the operator makes (until the log names the client: by what the benchmark never writes).</summary>
    public static bool IsOperatorWrite(RequestRecord record) =>
        record is not null && WriteVerbs.Contains(record.Verb) && !ClientResources.Contains(record.Resource);

    /// <summary>"deployments.apps" → "deployments"; "webapps.kuroku.dev/status" → "webapps/status"; "events" stays.</summary>
    public static string NormalizeResource(string resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var slash = resource.IndexOf('/', StringComparison.Ordinal);
        var (main, sub) = slash < 0 ? (resource, "") : (resource[..slash], resource[slash..]);
        var dot = main.IndexOf('.', StringComparison.Ordinal);
        return (dot < 0 ? main : main[..dot]) + sub;
    }

    /// <summary>This tally less an earlier one (counters only grow; a key that shrank reads 0).</summary>
    public WriteTally Minus(WriteTally earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var diff = new WriteTally();
        foreach (var (key, n) in counts)
        {
            var d = n - earlier[key];
            if (d > 0)
            {
                diff.counts[key] = d;
            }
        }

        foreach (var (key, n) in rejected)
        {
            var d = n - earlier.rejected.GetValueOrDefault(key);
            if (d > 0)
            {
                diff.rejected[key] = d;
            }
        }

        return diff;
    }
}
