using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Kuroku.Api.Validation;
using Kuroku.Operator.Webhooks;

namespace Kuroku.Operator.UnitTests.Properties;

/// <summary>
/// The webhook's endpoint on any body: 200 with an AdmissionReview answering the request's uid, or a
/// 400/413 Status; never an exception. A denial of a WebApp names its fields.
/// </summary>
public sealed class AdmissionProperties
{
    private static readonly AdmissionHandler Handler = new(new WebAppValidator());

    private static JsonObject Review(JsonNode? app, string operation = "CREATE") => new()
    {
        ["apiVersion"] = "admission.k8s.io/v1",
        ["kind"] = "AdmissionReview",
        ["request"] = new JsonObject
        {
            ["uid"] = "0b3e4b6a-1",
            ["kind"] = new JsonObject { ["group"] = "kuroku.dev", ["version"] = "v1alpha1", ["kind"] = "WebApp" },
            ["operation"] = operation,
            ["object"] = app,
        },
    };

    // A review whose object, or the review itself, has one node swapped for arbitrary JSON.
    private static readonly Gen<JsonObject> MutatedReviews =
        from app in Generators.WebApp
        from operation in Gen.OneOf("CREATE", "UPDATE", "DELETE", "CONNECT", "PATCH", "")
        from pick in Gen.Int[0, 10_000]
        from value in Generators.Json
        select Mutate(Review(app, operation), pick, value);

    private static JsonObject Mutate(JsonObject review, int pick, JsonNode? value)
    {
        var all = new List<(JsonNode Parent, object Key)>();
        void Walk(JsonNode node)
        {
            if (node is JsonObject obj)
            {
                foreach (var (key, child) in obj.ToList())
                {
                    all.Add((obj, key));
                    if (child is not null)
                    {
                        Walk(child);
                    }
                }
            }
            else if (node is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    all.Add((array, i));
                    if (array[i] is { } child)
                    {
                        Walk(child);
                    }
                }
            }
        }

        Walk(review);
        var (parent, key) = all[pick % all.Count];
        if (parent is JsonObject o)
        {
            o[(string)key] = value;
        }
        else
        {
            parent.AsArray()[(int)key] = value;
        }

        return review;
    }

    private static async Task<AdmissionEndpoint.Answer> AnswerAsync(byte[] body)
    {
        using var stream = new MemoryStream(body);
        return await AdmissionEndpoint.AnswerAsync(stream, Handler, CancellationToken.None);
    }

    private static void AssertAnswer(JsonNode? sent, AdmissionEndpoint.Answer answer)
    {
        answer.StatusCode.Should().BeOneOf(200, 400, 413);
        if (answer.StatusCode != 200)
        {
            answer.Body["kind"]!.GetValue<string>().Should().Be("Status");
            answer.Body["message"]!.GetValue<string>().Should().NotBeEmpty();
            return;
        }

        var response = answer.Body["response"]!;
        response["uid"]!.GetValue<string>().Should().Be(sent!["request"]!["uid"]!.GetValue<string>());
        if (!response["allowed"]!.GetValue<bool>())
        {
            var status = response["status"]!;
            status["message"]!.GetValue<string>().Should().NotBeEmpty();
            status["details"]!["causes"]!.AsArray().Should().NotBeEmpty()
                .And.OnlyContain(c => c!["field"]!.GetValue<string>().Length > 0);
        }
    }

    [Fact]
    public void Any_mutated_review_is_answered_or_refused_with_a_status() =>
        MutatedReviews.SampleAsync(async review =>
        {
            var answer = await AnswerAsync(Encoding.UTF8.GetBytes(review.ToJsonString()));
            AssertAnswer(review, answer);
            if (answer.StatusCode == 200 && answer.Body["response"]!["status"]?["code"]?.GetValue<int>() == 422)
            {
                answer.Body["response"]!["status"]!["details"]!["causes"]!.AsArray()
                    .Should().OnlyContain(c => c!["field"]!.GetValue<string>().StartsWith("metadata", StringComparison.Ordinal)
                        || c["field"]!.GetValue<string>().StartsWith("spec", StringComparison.Ordinal)
                        || c["field"]!.GetValue<string>().StartsWith("apiVersion", StringComparison.Ordinal)
                        || c["field"]!.GetValue<string>().StartsWith("kind", StringComparison.Ordinal)
                        || c["field"]!.GetValue<string>().StartsWith("status", StringComparison.Ordinal)
                        || c["field"]!.GetValue<string>() == "<root>");
            }
        }, iter: Runs.Of(150), print: r => r.ToJsonString()).GetAwaiter().GetResult();

    [Fact]
    public void Any_json_or_bytes_get_a_status_never_an_exception() =>
        Gen.Frequency(
            (2, Generators.Json.Select(j => Encoding.UTF8.GetBytes(j?.ToJsonString() ?? "null"))),
            (1, Gen.Byte.Array[0, 64]),
            (1, Generators.YamlishText.Select(Encoding.UTF8.GetBytes))).SampleAsync(async body =>
        {
            var answer = await AnswerAsync(body);
            AssertAnswer(null, answer);
            answer.StatusCode.Should().NotBe(200, "none of these is a review");
        }, iter: Runs.Of(300)).GetAwaiter().GetResult();
}
