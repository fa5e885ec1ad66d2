using System.Text.Json;
using Kuroku.Runtime.Abstractions;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kuroku.Runtime.Client;

/// <summary>Turns API server failures into <see cref="KubernetesApiException"/> (pure functions).</summary>
public static class ApiErrors
{
    /// <summary>The reason for a status code and the Status object's reason field (which wins where it is specific).</summary>
    public static ApiErrorReason Classify(int statusCode, string? statusReason)
    {
        switch (statusReason)
        {
            case "AlreadyExists":
                return ApiErrorReason.AlreadyExists;
            case "Conflict":
                return ApiErrorReason.Conflict;
            case "NotFound":
                return ApiErrorReason.NotFound;
            case "Gone" or "Expired":
                return ApiErrorReason.Gone;
            case "Invalid":
                return ApiErrorReason.Invalid;
            default:
                break;
        }

        return statusCode switch
        {
            400 => ApiErrorReason.BadRequest,
            401 => ApiErrorReason.Unauthorized,
            403 => ApiErrorReason.Forbidden,
            404 => ApiErrorReason.NotFound,
            409 => ApiErrorReason.Conflict,
            410 => ApiErrorReason.Gone,
            422 => ApiErrorReason.Invalid,
            429 => ApiErrorReason.TooManyRequests,
            504 => ApiErrorReason.Timeout,
            >= 500 and < 600 => ApiErrorReason.ServerError,
            _ => ApiErrorReason.Unknown,
        };
    }

    /// <summary>An exception from a status code and a response body (a Status object when the server sent one).</summary>
    public static KubernetesApiException FromResponse(int statusCode, string? body, string verb, string what, Exception? inner = null, string? reasonPhrase = null)
    {
        var status = TryParseStatus(body);
        return FromStatus(statusCode, status, verb, what, inner, body, reasonPhrase);
    }

    public static KubernetesApiException FromStatus(int statusCode, V1Status? status, string verb, string what, Exception? inner = null, string? body = null, string? reasonPhrase = null)
    {
        var code = status?.Code is { } c && c != 0 ? c : statusCode;
        var reason = Classify(code, status?.Reason);
        var detail = !string.IsNullOrEmpty(status?.Message) ? status.Message
            : Truncate(body) ?? $"the server answered {code}{(string.IsNullOrEmpty(reasonPhrase) ? "" : " " + reasonPhrase)}";
        return new KubernetesApiException(reason, code, $"{verb} {what}: {reason} ({code}): {detail}", detail, status?.Reason, inner);
    }

    /// <summary>Maps KubernetesClient's exception for a failed call.</summary>
    public static KubernetesApiException FromHttpOperation(HttpOperationException exception, string verb, string what)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return FromResponse((int)(exception.Response?.StatusCode ?? 0), exception.Response?.Content, verb, what, exception, exception.Response?.ReasonPhrase);
    }

    public static V1Status? TryParseStatus(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            var status = KubernetesJson.Deserialize<V1Status>(body);
            return status?.Kind == "Status" || status?.Code is not null ? status : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Truncate(string? body) =>
        string.IsNullOrWhiteSpace(body) ? null : body.Trim() is var trimmed && trimmed.Length <= 200 ? trimmed : trimmed[..200];
}
