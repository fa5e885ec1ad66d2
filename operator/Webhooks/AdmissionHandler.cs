using System.Text.Json.Nodes;
using FluentValidation;
using Kuroku.Api.V1Alpha1;
using k8s;

namespace Kuroku.Operator.Webhooks;

/// <summary>
/// The validating admission webhook's logic, apart from HTTP: an AdmissionReview (admission.k8s.io/v1)
/// in, the AdmissionReview response out. The same validator as render and the reconciler; every failed
/// rule comes back with its field path, as a Status with one cause per rule.
/// (KubernetesClient ships no AdmissionReview model, so the review is read and written as JSON.)
/// </summary>
public sealed class AdmissionHandler(IValidator<WebApp> validator)
{
    public async Task<JsonObject> ReviewAsync(JsonNode review, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(review);
        var request = review["request"] as JsonObject
            ?? throw new ArgumentException("the AdmissionReview has no request", nameof(review));
        var uid = request["uid"]?.GetValue<string>() ?? "";
        var response = new JsonObject { ["uid"] = uid, ["allowed"] = true };
        var result = new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["response"] = response,
        };

        var operation = request["operation"]?.GetValue<string>();
        if (operation is "DELETE" or "CONNECT" || request["object"] is not JsonObject obj)
        {
            return result;
        }

        WebApp app;
        try
        {
            app = KubernetesJson.Deserialize<WebApp>(obj.ToJsonString());
        }
        catch (System.Text.Json.JsonException e)
        {
            Deny(response, 400, "BadRequest", $"the WebApp could not be read: {e.Message}", []);
            return result;
        }

        var validation = await validator.ValidateAsync(app, cancellationToken);
        if (!validation.IsValid)
        {
            var lines = validation.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}").ToList();
            var causes = validation.Errors.Select(e => (JsonNode)new JsonObject
            {
                ["type"] = "FieldValueInvalid",
                ["field"] = e.PropertyName,
                ["message"] = e.ErrorMessage,
            }).ToList();
            Deny(response, 422, "Invalid",
                $"WebApp \"{app.Metadata.Name}\" is invalid: " + string.Join("; ", lines), causes);
        }

        return result;
    }

    private static void Deny(JsonObject response, int code, string reason, string message, List<JsonNode> causes)
    {
        response["allowed"] = false;
        response["status"] = new JsonObject
        {
            ["status"] = "Failure",
            ["code"] = code,
            ["reason"] = reason,
            ["message"] = message,
            ["details"] = new JsonObject { ["causes"] = new JsonArray([.. causes]) },
        };
    }
}
