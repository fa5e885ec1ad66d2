using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kuroku.Operator.Webhooks;

/// <summary>
/// The webhook's HTTP endpoint: the body read with a size limit, parsed as JSON, answered by
/// <see cref="AdmissionHandler"/>. Every body gets 200 with an AdmissionReview, or a 4xx with a
/// Kubernetes Status saying why: 413 past <see cref="MaxBodyBytes"/>, 400 for what is not JSON or not a
/// review that can be answered. Never a 500 for what a client sent.
/// </summary>
public static class AdmissionEndpoint
{
    /// <summary>
    /// The largest body read: 7 MiB. The API server takes request bodies up to 3 MiB, and an UPDATE's
    /// review holds the object and the old object (each at most that) plus the request's metadata.
    /// </summary>
    public const int MaxBodyBytes = 7 * 1024 * 1024;

    /// <summary>
    /// The deepest JSON read. The review wraps the object two levels down, and the operator reads
    /// WebApps 64 levels deep at most (System.Text.Json's default); what is deeper is refused here.
    /// </summary>
    public const int MaxDepth = 128;

    /// <summary>A status code and a JSON body.</summary>
    public sealed record Answer(int StatusCode, JsonObject Body);

    /// <summary>The ASP.NET Core handler: <c>app.MapPost(path, AdmissionEndpoint.HandleAsync)</c>.</summary>
    public static async Task<IResult> HandleAsync(HttpRequest request, AdmissionHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Answer answer;
        try
        {
            answer = await AnswerAsync(request.Body, handler, cancellationToken);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own limits (body size, a broken chunked encoding) while the body was read.
            answer = Refuse(e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "RequestEntityTooLarge" : "BadRequest", e.Message);
        }

        return Results.Text(answer.Body.ToJsonString(), "application/json", statusCode: answer.StatusCode);
    }

    /// <summary>The answer to one request body: pure but for reading the stream.</summary>
    public static async Task<Answer> AnswerAsync(Stream body, AdmissionHandler handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(handler);
        var bytes = await ReadLimitedAsync(body, cancellationToken);
        if (bytes is null)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, "RequestEntityTooLarge",
                $"the request body is larger than {MaxBodyBytes} bytes");
        }

        JsonNode? review;
        try
        {
            review = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            return Refuse(StatusCodes.Status400BadRequest, "BadRequest", $"the request body is not JSON: {e.Message}");
        }

        if (AdmissionHandler.Unanswerable(review) is { } problem)
        {
            return Refuse(StatusCodes.Status400BadRequest, "BadRequest", problem);
        }

        return new Answer(StatusCodes.Status200OK, await handler.ReviewAsync(review!, cancellationToken));
    }

    // The body, or null when it is longer than the limit.
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static Answer Refuse(int code, string reason, string message) => new(code, new JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    });
}
