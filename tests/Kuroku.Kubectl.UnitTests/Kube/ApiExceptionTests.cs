using System.Net;
using k8s.Autorest;
using Kuroku.Runtime.Client;

namespace Kuroku.Kubectl.UnitTests.Kube;

public sealed class ApiExceptionTests
{
    [Theory]
    [InlineData(409, "Operation cannot be fulfilled on webapps.kuroku.dev \"shop\": the object has been modified", true)]
    [InlineData(422, "the server rejected our request due to an error in our request", true)]
    [InlineData(422, "testing value /metadata/resourceVersion failed: test failed", true)]
    [InlineData(422, "WebApp.kuroku.dev \"shop\" is invalid: spec.env[0].name: Invalid value", false)]
    [InlineData(404, "webapps.kuroku.dev \"shop\" not found", false)]
    public void Conflicts_are_409_or_a_failed_resource_version_test(int code, string message, bool conflict)
    {
        var e = ApiErrors.FromResponse(code, message, "patch", "WebApp shop/shop");
        (e.IsConflict || e.IsFailedPatchTest).Should().Be(conflict);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"webapps.kuroku.dev \"shop\" is forbidden: User \"dev\" cannot patch","reason":"Forbidden","code":403}""", "Forbidden", "webapps.kuroku.dev \"shop\" is forbidden: User \"dev\" cannot patch")]
    [InlineData(HttpStatusCode.BadGateway, "upstream down\n", "", "upstream down")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "", "", "the server answered 503 Service Unavailable")]
    public void Takes_the_servers_message_from_its_Status(HttpStatusCode status, string body, string reason, string message)
    {
        var response = new HttpResponseMessage(status) { ReasonPhrase = status == HttpStatusCode.ServiceUnavailable ? "Service Unavailable" : null };
        var e = new HttpOperationException("Operation returned an invalid status code")
        {
            Response = new HttpResponseMessageWrapper(response, body),
        };

        var api = ApiErrors.FromHttpOperation(e, "patch", "WebApp shop/shop");

        api.StatusCode.Should().Be((int)status);
        api.StatusReason.Should().Be(reason);
        api.ServerMessage.Should().Be(message);
    }
}
