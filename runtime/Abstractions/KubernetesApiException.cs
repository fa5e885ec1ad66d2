using System.Net;

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

/// <summary>An error answer from the API server.</summary>
public sealed class KubernetesApiException : Exception
{
    public KubernetesApiException(ApiErrorReason reason, HttpStatusCode statusCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        StatusCode = statusCode;
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
        : this(ApiErrorReason.Unknown, 0, message, innerException)
    {
    }

    public ApiErrorReason Reason { get; }

    public HttpStatusCode StatusCode { get; }

    public bool IsNotFound => Reason == ApiErrorReason.NotFound;

    public bool IsConflict => Reason == ApiErrorReason.Conflict;

    public bool IsAlreadyExists => Reason == ApiErrorReason.AlreadyExists;

    public bool IsGone => Reason == ApiErrorReason.Gone;

    public bool IsInvalid => Reason == ApiErrorReason.Invalid;
}
