using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Client;

namespace Kuroku.Operator.UnitTests.Runtime.Client;

public sealed class ApiErrorTests
{
    [Theory]
    [InlineData(404, "NotFound", ApiErrorReason.NotFound)]
    [InlineData(409, "AlreadyExists", ApiErrorReason.AlreadyExists)]
    [InlineData(409, "Conflict", ApiErrorReason.Conflict)]
    [InlineData(409, null, ApiErrorReason.Conflict)]
    [InlineData(410, "Expired", ApiErrorReason.Gone)]
    [InlineData(410, null, ApiErrorReason.Gone)]
    [InlineData(422, "Invalid", ApiErrorReason.Invalid)]
    [InlineData(403, "Forbidden", ApiErrorReason.Forbidden)]
    [InlineData(429, "TooManyRequests", ApiErrorReason.TooManyRequests)]
    [InlineData(500, "InternalError", ApiErrorReason.ServerError)]
    [InlineData(418, null, ApiErrorReason.Unknown)]
    public void Status_codes_and_reasons_classify(int code, string? reason, ApiErrorReason expected)
    {
        ApiErrors.Classify(code, reason).Should().Be(expected);
    }

    [Fact]
    public void A_Status_body_gives_reason_and_message()
    {
        const string body = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"webapps.kuroku.dev \"shop\" already exists","reason":"AlreadyExists","code":409}""";

        var error = ApiErrors.FromResponse(409, body, "create", "WebApp shop/shop");

        error.IsAlreadyExists.Should().BeTrue();
        error.Message.Should().Be("create WebApp shop/shop: AlreadyExists (409): webapps.kuroku.dev \"shop\" already exists");
    }

    [Fact]
    public void A_body_that_is_not_a_Status_still_classifies_by_code()
    {
        var error = ApiErrors.FromResponse(404, "404 page not found", "get", "WebApp shop/shop");

        error.IsNotFound.Should().BeTrue();
        error.Message.Should().EndWith("404 page not found");
    }

    [Theory]
    [InlineData(typeof(Kuroku.Api.V1Alpha1.WebApp), "apis/kuroku.dev/v1alpha1/namespaces/shop/webapps", "kuroku.dev/v1alpha1")]
    [InlineData(typeof(k8s.Models.V1Deployment), "apis/apps/v1/namespaces/shop/deployments", "apps/v1")]
    [InlineData(typeof(k8s.Models.V1Service), "api/v1/namespaces/shop/services", "v1")]
    [InlineData(typeof(k8s.Models.V2HorizontalPodAutoscaler), "apis/autoscaling/v2/namespaces/shop/horizontalpodautoscalers", "autoscaling/v2")]
    public void Types_map_to_their_paths_through_the_entity_attribute(Type type, string path, string apiVersion)
    {
        var resource = ResourceType.Of(type);

        resource.CollectionPath("shop").Should().Be(path);
        resource.ApiVersion.Should().Be(apiVersion);
    }
}
