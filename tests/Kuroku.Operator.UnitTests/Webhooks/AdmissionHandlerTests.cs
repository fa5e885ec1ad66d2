using System.Text.Json.Nodes;
using Kuroku.Api.Validation;
using Kuroku.Operator.UnitTests.TestSupport;
using Kuroku.Operator.Webhooks;

namespace Kuroku.Operator.UnitTests.Webhooks;

public sealed class AdmissionHandlerTests
{
    private static JsonNode Review(string operation, Action<JsonObject>? edit = null)
    {
        var app = JsonNode.Parse(k8s.KubernetesJson.Serialize(Repo.Example("webapp.yaml")))!.AsObject();
        edit?.Invoke(app);
        return new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["request"] = new JsonObject
            {
                ["uid"] = "req-1",
                ["kind"] = new JsonObject { ["group"] = "kuroku.dev", ["version"] = "v1alpha1", ["kind"] = "WebApp" },
                ["operation"] = operation,
                ["object"] = app,
            },
        };
    }

    private static Task<JsonObject> ReviewAsync(JsonNode review) =>
        new AdmissionHandler(new WebAppValidator()).ReviewAsync(review, CancellationToken.None);

    [Fact]
    public async Task A_valid_webapp_is_allowed_and_the_uid_is_echoed()
    {
        var result = await ReviewAsync(Review("CREATE"));

        result["response"]!["uid"]!.GetValue<string>().Should().Be("req-1");
        result["response"]!["allowed"]!.GetValue<bool>().Should().BeTrue();
        result["kind"]!.GetValue<string>().Should().Be("AdmissionReview");
    }

    [Fact]
    public async Task An_invalid_webapp_is_denied_with_every_rule_and_its_field_path()
    {
        var result = await ReviewAsync(Review("UPDATE", app =>
        {
            app["spec"]!["image"] = "";
            app["spec"]!["port"] = 70000;
        }));

        var response = result["response"]!;
        response["allowed"]!.GetValue<bool>().Should().BeFalse();
        response["status"]!["code"]!.GetValue<int>().Should().Be(422);
        response["status"]!["reason"]!.GetValue<string>().Should().Be("Invalid");
        var fields = response["status"]!["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>());
        fields.Should().Contain(["spec.image", "spec.port"]);
        response["status"]!["message"]!.GetValue<string>().Should().StartWith("WebApp \"shop\" is invalid: ").And.Contain("spec.port: ");
    }

    [Fact]
    public async Task Delete_is_always_allowed() =>
        (await ReviewAsync(Review("DELETE", app => app["spec"]!["image"] = "")))["response"]!["allowed"]!
            .GetValue<bool>().Should().BeTrue();
}
