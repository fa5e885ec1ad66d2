using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Kuroku.Testing.ApiServer.Registry;

/// <summary>
/// How a built-in object's timestamps come back: metav1.Time fields (creationTimestamp, a condition's
/// lastTransitionTime, a Job's startTime...) are stored to the second, RFC 3339 in UTC; metav1.MicroTime
/// fields (an Event's eventTime, a Lease's renewTime and acquireTime) to the microsecond. A client that
/// writes DateTime.UtcNow reads back a different string, as it would from kube-apiserver.
/// Custom resources keep their strings as written.
/// </summary>
public static class WireTimes
{
    private static readonly FrozenSet<string> MicroTimes = new[] { "eventTime", "renewTime", "acquireTime", "lastObservedTime" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Times = new[]
    {
        "creationTimestamp", "deletionTimestamp", "lastTransitionTime", "lastProbeTime", "lastUpdateTime", "lastHeartbeatTime",
        "startTime", "completionTime", "firstTimestamp", "lastTimestamp", "lastScheduleTime", "lastSuccessfulTime",
        "startedAt", "finishedAt", "time",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Normalizes the time fields where built-in kinds have them: the object's own fields (an Event's), metadata's
    /// and its managedFields', the spec's own (a Lease's), an Event's series, and anywhere under status
    /// (conditions, container states). The rest of the spec (pod templates: large, no times) is not walked.
    /// </summary>
    public static void Normalize(JsonObject obj)
    {
        Fields(obj);
        if (obj["metadata"] is JsonObject metadata)
        {
            Fields(metadata);
            foreach (var entry in (metadata["managedFields"] as JsonArray ?? []).OfType<JsonObject>())
            {
                Fields(entry);
            }
        }

        foreach (var key in new[] { "spec", "series" })
        {
            if (obj[key] is JsonObject child)
            {
                Fields(child);
            }
        }

        Deep(obj["status"]);
    }

    private static void Deep(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                Fields(o);
                foreach (var (_, value) in o)
                {
                    if (value is JsonObject or JsonArray)
                    {
                        Deep(value);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Deep(item);
                }

                break;
        }
    }

    /// <summary>The object's own time fields (not its children's).</summary>
    private static void Fields(JsonObject o)
    {
        List<(string Key, string Value)>? changes = null;
        foreach (var (key, value) in o)
        {
            if (value is JsonValue && (Times.Contains(key) || MicroTimes.Contains(key)) && Defaults.Fields.String(value) is { Length: > 0 } text
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                var normal = MicroTimes.Contains(key) ? Micro(at) : Second(at);
                if (normal != text)
                {
                    (changes ??= []).Add((key, normal));
                }
            }
        }

        foreach (var (key, value) in changes ?? [])
        {
            o[key] = value;
        }
    }

    public static string Second(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Micro(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
