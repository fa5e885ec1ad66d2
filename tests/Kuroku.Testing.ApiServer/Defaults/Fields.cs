using System.Text.Json;
using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer.Semantics;

namespace Kuroku.Testing.ApiServer.Defaults;

/// <summary>
/// Go's notion of "unset" on JSON: a string field is unset when absent, null or "" (Go cannot tell them
/// apart), a pointer when absent or null, a plain number when absent, null or 0. The defaulting functions
/// test fields exactly as the Go code they mirror does.
/// </summary>
internal static class Fields
{
    public static bool IsEmptyString(JsonNode? node) =>
        node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0);

    public static bool IsZero(JsonNode? node) => node is null || JsonPathExpression.ToLong(node) == 0;

    public static string? String(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>if obj.Key == "" { obj.Key = value }</summary>
    public static void DefaultString(JsonObject obj, string key, string value)
    {
        if (IsEmptyString(obj[key]))
        {
            obj[key] = value;
        }
    }

    /// <summary>if obj.Key == nil { obj.Key = value }</summary>
    public static void DefaultPointer(JsonObject obj, string key, Func<JsonNode> value)
    {
        if (obj[key] is null)
        {
            obj[key] = value();
        }
    }

    /// <summary>if obj.Key == 0 { obj.Key = value }</summary>
    public static void DefaultZero(JsonObject obj, string key, long value)
    {
        if (IsZero(obj[key]))
        {
            obj[key] = value;
        }
    }

    /// <summary>The child object at key, or null when absent (no defaulting of nil structs behind pointers).</summary>
    public static JsonObject? Child(JsonObject obj, string key) => obj[key] as JsonObject;

    /// <summary>The child object at key, created when absent: Go's non-pointer structs always exist.</summary>
    public static JsonObject Struct(JsonObject obj, string key)
    {
        if (obj[key] is not JsonObject child)
        {
            child = [];
            obj[key] = child;
        }

        return child;
    }

    /// <summary>The object items of an array field (none when absent).</summary>
    public static IEnumerable<JsonObject> Items(JsonObject? obj, string key) =>
        obj?[key] is JsonArray a ? a.OfType<JsonObject>() : [];
}
