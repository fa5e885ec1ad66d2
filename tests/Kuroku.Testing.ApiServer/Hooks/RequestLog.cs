using System.Collections.Concurrent;

namespace Kuroku.Testing.ApiServer.Hooks;

/// <summary>
/// One request as the server saw it, with the fields of an audit event: the verb (get, list, watch, create,
/// update, patch, delete, deletecollection), the resource ("deployments"; "webapps/status" for a
/// subresource, as fault patterns name it), the API group, namespace, name, subresource, the status code
/// answered and the client's User-Agent, so a benchmark can tell the operator's writes from its own.
/// </summary>
public sealed record RequestRecord(string Verb, string Resource, string? Namespace, string? Name, int StatusCode)
{
    private static readonly HashSet<string> WriteVerbs = new(StringComparer.Ordinal) { "create", "update", "patch", "delete", "deletecollection" };

    /// <summary>The API group ("" for the core group).</summary>
    public string Group { get; init; } = "";

    /// <summary>"status", "scale", or null.</summary>
    public string? Subresource { get; init; }

    /// <summary>The User-Agent header ("" when absent).</summary>
    public string UserAgent { get; init; } = "";

    public bool IsWrite => WriteVerbs.Contains(Verb);
}

/// <summary>Every resource request the server answered, in order. Thread-safe.</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<RequestRecord> _entries = new();

    public IReadOnlyList<RequestRecord> Entries => [.. _entries];

    /// <summary>Requests with this verb, and resource ("deployments", "webapps/status") when given.</summary>
    public int Count(string verb, string? resource = null) =>
        _entries.Count(e => e.Verb == verb && (resource is null || e.Resource == resource));

    /// <summary>Create, update, patch and delete requests, optionally for one resource.</summary>
    public int Writes(string? resource = null) =>
        _entries.Count(e => e.IsWrite && (resource is null || e.Resource == resource));

    /// <summary>Write requests whose User-Agent contains <paramref name="userAgent"/> (ordinal): one client's writes.</summary>
    public int WritesBy(string userAgent) =>
        _entries.Count(e => e.IsWrite && e.UserAgent.Contains(userAgent, StringComparison.Ordinal));

    public void Clear() => _entries.Clear();

    internal void Add(RequestRecord record) => _entries.Enqueue(record);
}
