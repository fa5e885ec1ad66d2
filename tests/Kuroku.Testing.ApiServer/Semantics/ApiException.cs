using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer.Model;

namespace Kuroku.Testing.ApiServer.Semantics;

/// <summary>An error the API answers with a metav1 Status object.</summary>
public sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, JsonObject? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }
    public string Reason { get; }
    public JsonObject? Details { get; }

    /// <summary>The Status's metadata (ListMeta): a 410 to a continued LIST carries the token to go on inconsistently.</summary>
    public JsonObject? ListMetadata { get; init; }

    public JsonObject ToStatus() => Status(Code, Reason, Message, Details, ListMetadata);

    public static JsonObject Status(int code, string reason, string message, JsonObject? details = null, JsonObject? metadata = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = metadata?.DeepClone() ?? new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    public static JsonObject DetailsOf(ResourceType type, string? name)
    {
        var d = new JsonObject();
        if (name is not null)
        {
            d["name"] = name;
        }

        if (type.Group.Length > 0)
        {
            d["group"] = type.Group;
        }

        d["kind"] = type.Plural;
        return d;
    }

    public static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedName} \"{name}\" not found", DetailsOf(type, name));

    public static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedName} \"{name}\" already exists", DetailsOf(type, name));

    public static ApiException Conflict(ResourceType type, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.QualifiedName} \"{name}\": {why}", DetailsOf(type, name));

    public static ApiException Invalid(ResourceType type, string name, string field, string message) =>
        Invalid(type, name, [new FieldError(field, message)]);

    /// <summary>
    /// 422 Invalid as kube-apiserver words it: the qualified kind (Job.batch, Service, WebApp.kuroku.dev), the name,
    /// and each field error ("status.active: Invalid value: 1: ..."), bracketed when there are several.
    /// </summary>
    public static ApiException Invalid(ResourceType type, string name, IReadOnlyList<FieldError> errors)
    {
        var details = DetailsOf(type, name);
        details["causes"] = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject
        {
            ["reason"] = e.Reason,
            ["message"] = e.Message,
            ["field"] = e.Field,
        })]);
        var kind = type.Group.Length == 0 ? type.Kind : $"{type.Kind}.{type.Group}";
        var text = errors.Count == 1 ? errors[0].ToString() : $"[{string.Join(", ", errors)}]";
        return new(422, "Invalid", $"{kind} \"{name}\" is invalid: {text}", details);
    }

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got {contentType})");

    public static ApiException Gone(string message) => new(410, "Expired", message);

    public static ApiException NotAcceptable(string message) => new(406, "NotAcceptable", message);
}

/// <summary>One field error of a 422: the path and the message ("Invalid value: 1: must be ...", "Required value: ...").</summary>
public sealed record FieldError(string Field, string Message)
{
    /// <summary>field.Invalid: the bad value printed as Go prints it (numbers bare, strings quoted), or left out when null.</summary>
    public static FieldError Invalid(string field, string? value, string detail) =>
        new(field, value is null ? $"Invalid value: {detail}" : $"Invalid value: {value}: {detail}");

    public static FieldError Required(string field, string detail) => new(field, $"Required value: {detail}");

    public string Reason => Message.StartsWith("Required value", StringComparison.Ordinal) ? "FieldValueRequired"
        : Message.StartsWith("Unsupported value", StringComparison.Ordinal) ? "FieldValueNotSupported"
        : "FieldValueInvalid";

    public override string ToString() => $"{Field}: {Message}";
}
