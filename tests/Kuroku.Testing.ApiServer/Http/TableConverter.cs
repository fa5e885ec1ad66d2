using System.Globalization;
using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer.Model;
using Kuroku.Testing.ApiServer.Semantics;

namespace Kuroku.Testing.ApiServer.Http;

/// <summary>Server-side printing: meta.k8s.io/v1 Table from printer columns (Name, the type's columns, Age).</summary>
public static class TableConverter
{
    public static IReadOnlyList<PrinterColumn> Columns(ResourceType type)
    {
        var columns = new List<PrinterColumn> { new("Name", "string", ".metadata.name", "name", 0, "Name must be unique within a namespace.") };
        columns.AddRange(type.Columns);
        if (!type.IsCustom || type.Columns.Count == 0)
        {
            columns.Add(new("Age", "date", ".metadata.creationTimestamp", null, 0, "CreationTimestamp is a timestamp representing the server time when this object was created."));
        }

        return columns;
    }

    public static JsonObject ToTable(ResourceType type, IEnumerable<JsonObject> objects, string includeObject, DateTimeOffset now, string resourceVersion, bool withColumns = true)
    {
        var columns = Columns(type);
        var table = new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
        };
        if (withColumns)
        {
            table["columnDefinitions"] = new JsonArray([.. columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type == "date" ? "string" : c.Type,
                ["format"] = c.Format is "name" ? "name" : "",
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            })]);
        }

        table["rows"] = new JsonArray([.. objects.Select(o => (JsonNode)Row(columns, o, includeObject, now))]);
        return table;
    }

    private static JsonObject Row(IReadOnlyList<PrinterColumn> columns, JsonObject obj, string includeObject, DateTimeOffset now)
    {
        var row = new JsonObject { ["cells"] = new JsonArray([.. columns.Select(c => Cell(c, obj, now))]) };
        switch (includeObject)
        {
            case "None":
                break;
            case "Object":
                row["object"] = obj.DeepClone();
                break;
            default:
                row["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = obj["metadata"]?.DeepClone(),
                };
                break;
        }

        return row;
    }

    private static JsonNode? Cell(PrinterColumn column, JsonObject obj, DateTimeOffset now)
    {
        if (column.Format == "ready")
        {
            var ready = JsonPathExpression.ToText(obj["status"]?["readyReplicas"]);
            var wanted = JsonPathExpression.ToText(obj["spec"]?["replicas"]);
            return $"{(ready.Length == 0 ? "0" : ready)}/{(wanted.Length == 0 ? "1" : wanted)}";
        }

        IReadOnlyList<JsonNode?> values;
        try
        {
            values = JsonPathExpression.Evaluate(obj, column.JsonPath);
        }
        catch (FormatException)
        {
            return null;
        }

        if (column.Format == "count")
        {
            return values.Count > 0 && values[0] is JsonObject o ? o.Count : 0;
        }

        if (column.Format == "optional")
        {
            // kube's printers say <none> for an unset value (a CronJob's last schedule): "" when absent, "True"/"False" for booleans.
            return values.Count == 0 || values[0] is null ? "<none>"
                : column.Type == "date" ? (DateTimeOffset.TryParse(JsonPathExpression.ToText(values[0]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when) ? HumanDuration(now - when) : "<none>")
                : values[0] is JsonValue b && b.TryGetValue<bool>(out var flag) ? (flag ? "True" : "False")
                : JsonPathExpression.Format(values);
        }

        if (values.Count == 0)
        {
            return null;
        }

        if (column.Type == "date")
        {
            return DateTimeOffset.TryParse(JsonPathExpression.ToText(values[0]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? HumanDuration(now - at)
                : null;
        }

        return values.Count == 1 && column.Type is "integer" or "number" or "boolean" ? values[0]?.DeepClone() : JsonPathExpression.Format(values);
    }

    /// <summary>The age format of k8s.io/apimachinery/pkg/util/duration.HumanDuration.</summary>
    public static string HumanDuration(TimeSpan d)
    {
        if (d < TimeSpan.FromSeconds(-1))
        {
            return "<invalid>";
        }

        if (d < TimeSpan.Zero)
        {
            return "0s";
        }

        var seconds = (long)d.TotalSeconds;
        if (seconds < 120)
        {
            return $"{seconds}s";
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }

        if (minutes < 180)
        {
            return $"{minutes}m";
        }

        var hours = minutes / 60;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }

        if (hours < 48)
        {
            return $"{hours}h";
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }

        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }

        var years = hours / 24 / 365;
        return years < 8 ? $"{years}y{hours / 24 % 365}d" : $"{years}y";
    }
}
