using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer.Defaults;

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
    private static readonly FrozenSet<string> MicroTimes = new[] { "eventTime", "renewTime", "acquireTime" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Maps of user data: their keys are not fields.</summary>
    private static readonly FrozenSet<string> Opaque = new[] { "data", "binaryData", "stringData", "labels", "annotations" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Times = new[]
    {
        "creationTimestamp", "deletionTimestamp", "lastTransitionTime", "lastProbeTime", "lastUpdateTime", "lastHeartbeatTime",
        "startTime", "completionTime", "firstTimestamp", "lastTimestamp", "lastScheduleTime", "lastSuccessfulTime",
        "startedAt", "finishedAt", "time",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static void Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (value is JsonValue && Fields.String(value) is { Length: > 0 } text
                        && (Times.Contains(key) || MicroTimes.Contains(key))
                        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                    {
                        o[key] = MicroTimes.Contains(key) ? Micro(at) : Second(at);
                    }
                    else if (!Opaque.Contains(key))
                    {
                        Normalize(value);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Normalize(item);
                }

                break;
        }
    }

    public static string Second(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Micro(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
