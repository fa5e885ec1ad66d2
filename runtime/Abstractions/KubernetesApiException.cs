namespace Kuroku.Runtime.Abstractions;

/// <summary>Why the API server refused a request, from its status code and Status reason.</summary>
public enum ApiErrorReason
{
    Unknown,
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    /// <summary>409 on update: the object changed since it was read.</summary>
    Conflict,
    /// <summary>409 on create: an object by that name exists.</summary>
    AlreadyExists,
    /// <summary>410: the resourceVersion is too old (watch and list).</summary>
    Gone,
    /// <summary>422: the object failed validation.</summary>
    Invalid,
    TooManyRequests,
    ServerError,
    Timeout,
}

/// <summary>
/// An error answer from the API server: the one exception type for API failures in the runtime, the
/// reconciler and the kubectl plugin. <see cref="Exception.Message"/> says what was asked and what the
/// server said; <see cref="ServerMessage"/> is the server's own words (a Status message, or the body).
/// </summary>
public sealed class KubernetesApiException : Exception
{
    /// <summary>kube-apiserver's message when a JSON patch fails to apply (apimachinery's NewGenericServerResponse for 422).</summary>
    public const string JsonPatchNotApplied = "the server rejected our request due to an error in our request";

    public KubernetesApiException(ApiErrorReason reason, int statusCode, string message, string? serverMessage = null, string? statusReason = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        StatusCode = statusCode;
        ServerMessage = serverMessage ?? message;
        StatusReason = statusReason ?? "";
    }

    public KubernetesApiException()
        : this(ApiErrorReason.Unknown, 0, "The API server refused the request.")
    {
    }

    public KubernetesApiException(string message)
        : this(ApiErrorReason.Unknown, 0, message)
    {
    }

    public KubernetesApiException(string message, Exception innerException)
        : this(ApiErrorReason.Unknown, 0, message, innerException: innerException)
    {
    }

    public ApiErrorReason Reason { get; }

    /// <summary>The HTTP status code; 0 when no answer arrived.</summary>
    public int StatusCode { get; }

    /// <summary>What the server said, without the request's description.</summary>
    public string ServerMessage { get; }

    /// <summary>The Status object's reason as the server wrote it (Conflict, Invalid, Forbidden...); empty when it sent none.</summary>
    public string StatusReason { get; }

    public bool IsNotFound => Reason == ApiErrorReason.NotFound;

    public bool IsConflict => Reason == ApiErrorReason.Conflict;

    public bool IsAlreadyExists => Reason == ApiErrorReason.AlreadyExists;

    public bool IsGone => Reason == ApiErrorReason.Gone;

    public bool IsInvalid => Reason == ApiErrorReason.Invalid;

    /// <summary>
    /// A 404 for the whole resource type rather than one object: the server does not serve it (for a custom
    /// resource, its CRD is not installed). kube-apiserver's words for that are fixed.
    /// </summary>
    public bool IsResourceNotServed =>
        StatusCode == 404 && ServerMessage.Contains("the server could not find the requested resource", StringComparison.Ordinal);

    /// <summary>
    /// A JSON patch whose <c>test</c> operation failed: the 422 the API server answers when a patch does not
    /// apply to the current object. For a patch that tests metadata.resourceVersion this is a conflict in all
    /// but name. kube-apiserver words it generically (reason Invalid, no causes; see patch.go, applyJSPatch);
    /// a schema or webhook refusal is also 422 but names the object ("... is invalid: ...").
    /// </summary>
    public bool IsFailedPatchTest =>
        StatusCode == 422
        && (ServerMessage.StartsWith(JsonPatchNotApplied, StringComparison.Ordinal)
            || ServerMessage.Contains("testing value /metadata/resourceVersion failed", StringComparison.Ordinal));
}
