using System.Text;
using Kuroku.Api.Validation;
using Kuroku.Operator.Webhooks;

namespace Kuroku.Operator.UnitTests.Webhooks;

/// <summary>The webhook endpoint on bodies that are no good review: a Status with 400 or 413, or a denial naming the field.</summary>
public sealed class AdmissionEndpointTests
{
    private static async Task<AdmissionEndpoint.Answer> AnswerAsync(string body)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(body));
        return await AdmissionEndpoint.AnswerAsync(stream, new AdmissionHandler(new WebAppValidator()), CancellationToken.None);
    }

    private static string Review(string request) =>
        $$"""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{{request}}}""";

    private const string Kind = "\"kind\":{\"group\":\"kuroku.dev\",\"version\":\"v1alpha1\",\"kind\":\"WebApp\"}";

    [Theory]
    [InlineData("", "the request body is not JSON")]
    [InlineData("{", "the request body is not JSON")]
    [InlineData("null", "expected an admission.k8s.io/v1 AdmissionReview, got a JSON null")]
    [InlineData("[1]", "expected an admission.k8s.io/v1 AdmissionReview, got a JSON array")]
    [InlineData("{\"kind\":\"AdmissionReview\"}", "apiVersion: Unsupported value: null")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\"}", "apiVersion: Unsupported value: \"admission.k8s.io/v1beta1\"")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"Pod\"}", "kind: Unsupported value: \"Pod\"")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":[]}", "request: Required value")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":7}}", "request.uid: Required value")]
    public async Task A_body_that_cannot_be_answered_is_a_bad_request_with_a_status(string body, string message)
    {
        var answer = await AnswerAsync(body);

        answer.StatusCode.Should().Be(400);
        answer.Body["kind"]!.GetValue<string>().Should().Be("Status");
        answer.Body["reason"]!.GetValue<string>().Should().Be("BadRequest");
        answer.Body["message"]!.GetValue<string>().Should().StartWith(message);
    }

    [Fact]
    public async Task A_body_past_the_limit_is_refused_with_413_before_it_is_parsed()
    {
        var answer = await AnswerAsync(Review("{\"uid\":\"u\",\"object\":\"" + new string('a', AdmissionEndpoint.MaxBodyBytes) + "\"}"));

        answer.StatusCode.Should().Be(413);
        answer.Body["reason"]!.GetValue<string>().Should().Be("RequestEntityTooLarge");
    }

    [Fact]
    public async Task Json_nested_past_the_limit_is_a_bad_request()
    {
        var answer = await AnswerAsync(Review("{\"uid\":\"u\",\"object\":" + new string('[', 1000) + new string(']', 1000) + "}"));

        answer.StatusCode.Should().Be(400);
    }

    [Theory]
    [InlineData("{\"uid\":\"u1\",\"operation\":\"CREATE\",\"object\":{}}", "request.kind: Unsupported value: null")]
    [InlineData("{\"uid\":\"u1\",\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"},\"operation\":\"CREATE\",\"object\":{}}", "request.kind: Unsupported value")]
    [InlineData("{\"uid\":\"u1\"," + Kind + ",\"operation\":\"PATCH\",\"object\":{}}", "request.operation: Unsupported value: \"PATCH\"")]
    [InlineData("{\"uid\":\"u1\"," + Kind + ",\"operation\":\"CREATE\"}", "request.object: Required value")]
    [InlineData("{\"uid\":\"u1\"," + Kind + ",\"operation\":\"UPDATE\",\"object\":\"x\"}", "request.object: Invalid value: \"string\": must be of type object")]
    public async Task A_request_the_webhook_cannot_review_is_denied_naming_the_field(string request, string message)
    {
        var answer = await AnswerAsync(Review(request));

        answer.StatusCode.Should().Be(200);
        var response = answer.Body["response"]!;
        response["uid"]!.GetValue<string>().Should().Be("u1");
        response["allowed"]!.GetValue<bool>().Should().BeFalse();
        response["status"]!["code"]!.GetValue<int>().Should().Be(400);
        response["status"]!["message"]!.GetValue<string>().Should().StartWith(message);
    }

    public static TheoryData<string, string[]> WrongTypes => new()
    {
        { """{"apiVersion":"kuroku.dev/v1alpha1","kind":"WebApp","metadata":true,"spec":{"image":"nginx","processes":{"web":{}}}}""", ["metadata"] },
        { """{"apiVersion":"kuroku.dev/v1alpha1","kind":"WebApp","metadata":{"name":"a"},"spec":{"image":7,"processes":{"web":{"replicas":"two"}}}}""", ["spec.image", "spec.processes.web.replicas"] },
        { """{"apiVersion":"kuroku.dev/v1alpha1","kind":"WebApp","metadata":{"name":"a"},"spec":{"image":"nginx","processes":{"web":{"replicas":1e21}}}}""", ["spec.processes.web.replicas"] },
        { """{"apiVersion":"kuroku.dev/v1alpha1","kind":"WebApp","metadata":{"name":"a"},"spec":{"image":"nginx","processes":[]}}""", ["spec.processes"] },
        { """{"apiVersion":"kuroku.dev/v1alpha1","kind":"WebApp","metadata":{"name":"a"},"spec":{"image":"nginx","processes":{"web":{}},"release":{"command":["x"],"timeoutSeconds":1e300}}}""", ["spec.release.timeoutSeconds"] },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public async Task An_object_whose_fields_have_the_wrong_json_types_is_denied_naming_each(string obj, string[] fields)
    {
        var answer = await AnswerAsync(Review("{\"uid\":\"u2\"," + Kind + ",\"operation\":\"CREATE\",\"object\":" + obj + "}"));

        answer.StatusCode.Should().Be(200);
        var status = answer.Body["response"]!["status"]!;
        answer.Body["response"]!["allowed"]!.GetValue<bool>().Should().BeFalse();
        status["code"]!.GetValue<int>().Should().Be(422);
        status["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()).Should().BeEquivalentTo(fields);
    }
}
