namespace Kuroku.Runtime.Client;

/// <summary>Observes every request the runtime makes to the API server (a hook for a Meter).</summary>
public interface IApiMetrics
{
    /// <param name="verb">get, list, watch, create, update, patch, delete.</param>
    /// <param name="resource">For example <c>deployments.apps</c> or <c>webapps.kuroku.dev</c>; with <c>/status</c> for the subresource.</param>
    /// <param name="statusCode">The HTTP status; 0 when no answer arrived.</param>
    /// <param name="duration">From sending the request to the end of the response headers and body.</param>
    void RequestCompleted(string verb, string resource, int statusCode, TimeSpan duration);
}

public sealed class NoopApiMetrics : IApiMetrics
{
    public static readonly NoopApiMetrics Instance = new();

    public void RequestCompleted(string verb, string resource, int statusCode, TimeSpan duration)
    {
    }
}
