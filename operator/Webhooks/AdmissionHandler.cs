using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Crds;
using Kuroku.Operator.Serialization;

namespace Kuroku.Operator.Webhooks;

/// <summary>
/// The validating admission webhook's logic, apart from HTTP: an AdmissionReview (admission.k8s.io/v1)
/// in, the AdmissionReview response out. The same validator as render and the reconciler; every failed
/// rule comes back with its field path, as a Status with one cause per rule. A review that cannot be
/// answered (no uid to answer to) is refused by <see cref="Unanswerable"/>; anything else wrong with a
/// request (another kind, no object, fields of the wrong JSON type) is a denial naming the field.
/// (KubernetesClient ships no AdmissionReview model, so the review is read and written as JSON.)
/// </summary>
public sealed class AdmissionHandler(IValidator<WebApp> validator)
{
    public const string ReviewApiVersion = "admission.k8s.io/v1";
    public const string ReviewKind = "AdmissionReview";

    /// <summary>
    /// Why <paramref name="review"/> is no AdmissionReview this webhook can answer (the HTTP answer is then
    /// 400), or null. An answer needs the review's apiVersion, kind and the request's uid.
    /// </summary>
    public static string? Unanswerable(JsonNode? review)
    {
        if (review is not JsonObject obj)
        {
            return $"expected an {ReviewApiVersion} {ReviewKind}, got a JSON {TypeOf(review)}";
        }

        if (Text(obj["apiVersion"]) != ReviewApiVersion)
        {
            return $"apiVersion: Unsupported value: {Json(obj["apiVersion"])}: supported values: \"{ReviewApiVersion}\"";
        }

        if (Text(obj["kind"]) != ReviewKind)
        {
            return $"kind: Unsupported value: {Json(obj["kind"])}: supported values: \"{ReviewKind}\"";
        }

        if (obj["request"] is not JsonObject request)
        {
            return $"request: Required value: expected an {ReviewApiVersion} {ReviewKind} with a request";
        }

        return string.IsNullOrEmpty(Text(request["uid"]))
            ? "request.uid: Required value: the answer must carry the request's uid"
            : null;
    }

    /// <exception cref="ArgumentException">The review cannot be answered (<see cref="Unanswerable"/>).</exception>
    public async Task<JsonObject> ReviewAsync(JsonNode review, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(review);
        if (Unanswerable(review) is { } problem)
        {
            throw new ArgumentException(problem, nameof(review));
        }

        var request = review["request"]!.AsObject();
        var response = new JsonObject { ["uid"] = Text(request["uid"]), ["allowed"] = true };
        var result = new JsonObject
        {
            ["apiVersion"] = ReviewApiVersion,
            ["kind"] = ReviewKind,
            ["response"] = response,
        };

        var kind = request["kind"] as JsonObject;
        if (Text(kind?["group"]) != WebAppApi.Group || Text(kind?["version"]) != WebAppApi.Version || Text(kind?["kind"]) != WebAppApi.Kind)
        {
            Deny(response, 400, "BadRequest",
                $"request.kind: Unsupported value: {Json(request["kind"])}: this webhook reviews {WebAppApi.Group}/{WebAppApi.Version} {WebAppApi.Kind} only",
                [Cause("FieldValueNotSupported", "request.kind", "must be kuroku.dev/v1alpha1 WebApp")]);
            return result;
        }

        var operation = Text(request["operation"]);
        if (operation is "DELETE" or "CONNECT")
        {
            return result;
        }

        if (operation is not ("CREATE" or "UPDATE"))
        {
            Deny(response, 400, "BadRequest",
                $"request.operation: Unsupported value: {Json(request["operation"])}: supported values: \"CREATE\", \"UPDATE\", \"DELETE\", \"CONNECT\"",
                [Cause("FieldValueNotSupported", "request.operation", "must be CREATE, UPDATE, DELETE or CONNECT")]);
            return result;
        }

        if (request["object"] is not JsonObject obj)
        {
            var message = request["object"] is null
                ? "request.object: Required value: a WebApp to review"
                : $"request.object: Invalid value: \"{TypeOf(request["object"])}\": must be of type object";
            Deny(response, 400, "BadRequest", message, [Cause("FieldValueRequired", "request.object", message)]);
            return result;
        }

        var name = Text((obj["metadata"] as JsonObject)?["name"]) ?? Text(request["name"]) ?? "";
        var readErrors = new List<SchemaError>();
        var app = WebAppReader.ReadAdmitted(obj, readErrors);
        if (app is null)
        {
            Deny(response, 422, "Invalid",
                $"WebApp \"{name}\" is invalid: " + string.Join("; ", readErrors),
                [.. readErrors.Select(e => Cause("FieldValueInvalid", e.Path, e.Message))]);
            return result;
        }

        var validation = await validator.ValidateAsync(app, cancellationToken);
        if (!validation.IsValid)
        {
            var lines = validation.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}").ToList();
            Deny(response, 422, "Invalid",
                $"WebApp \"{name}\" is invalid: " + string.Join("; ", lines),
                [.. validation.Errors.Select(e => Cause("FieldValueInvalid", e.PropertyName, e.ErrorMessage))]);
        }

        return result;
    }

    private static JsonObject Cause(string type, string field, string message) =>
        new JsonObject { ["type"] = type, ["field"] = field, ["message"] = message };

    private static void Deny(JsonObject response, int code, string reason, string message, List<JsonObject> causes)
    {
        response["allowed"] = false;
        response["status"] = new JsonObject
        {
            ["status"] = "Failure",
            ["code"] = code,
            ["reason"] = reason,
            ["message"] = message,
            ["details"] = new JsonObject { ["causes"] = new JsonArray([.. causes.Cast<JsonNode>()]) },
        };
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static string Json(JsonNode? node) => node?.ToJsonString() ?? "null";

    private static string TypeOf(JsonNode? node) => node is null ? "null" : node.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        _ => "boolean",
    };
}
