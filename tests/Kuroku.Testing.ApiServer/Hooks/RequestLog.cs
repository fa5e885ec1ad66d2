using System.Collections.Concurrent;

namespace Kuroku.Testing.ApiServer.Hooks;

/// <summary>One request as the server saw it: verb as in audit logs (get, list, watch, create, update, patch, delete, deletecollection).</summary>
public sealed record RequestRecord(string Verb, string Resource, string? Namespace, string? Name, int StatusCode);

/// <summary>Every resource request the server answered, in order. Thread-safe.</summary>
public sealed class RequestLog
{
    private static readonly HashSet<string> WriteVerbs = new(StringComparer.Ordinal) { "create", "update", "patch", "delete", "deletecollection" };
    private readonly ConcurrentQueue<RequestRecord> _entries = new();

    public IReadOnlyList<RequestRecord> Entries => [.. _entries];

    /// <summary>Requests with this verb, and resource ("deployments", "webapps/status") when given.</summary>
    public int Count(string verb, string? resource = null) =>
        _entries.Count(e => e.Verb == verb && (resource is null || e.Resource == resource));

    /// <summary>Create, update, patch and delete requests, optionally for one resource.</summary>
    public int Writes(string? resource = null) =>
        _entries.Count(e => WriteVerbs.Contains(e.Verb) && (resource is null || e.Resource == resource));

    public void Clear() => _entries.Clear();

    internal void Add(RequestRecord record) => _entries.Enqueue(record);
}
