using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kuroku.Runtime.Informers;

/// <summary>
/// One page of a list: its items, the list's resourceVersion, and the token of the next page (null on the
/// last). Disposing it releases what its items are read from (pooled segments): read them first.
/// </summary>
public sealed record ListPage(IReadOnlyList<JsonObject> Items, string ResourceVersion, string? Continue) : IDisposable
{
    /// <summary>What the items are read from, released on <see cref="Dispose"/>.</summary>
    public IDisposable? Resources { get; init; }

    public void Dispose() => Resources?.Dispose();
}

/// <summary>One line of a watch stream. <see cref="Status"/> is set for ERROR events.</summary>
public sealed record WatchEvent(WatchEventType Type, JsonObject? Object, V1Status? Status = null);

/// <summary>
/// Lists and watches one resource (client-go's <c>ListerWatcher</c>), as JSON: the informer transforms
/// each object before it keeps it, so no full model object is ever built. The seam tests feed by hand.
/// </summary>
public interface IListWatchSource
{
    /// <summary>Lists one page; <paramref name="continueToken"/> null asks for the first.</summary>
    /// <exception cref="Abstractions.KubernetesApiException">
    /// The server refused; a Gone (410 Expired) for a continue token means: list again from the start.
    /// </exception>
    Task<ListPage> ListAsync(string? continueToken, CancellationToken cancellationToken);

    /// <summary>
    /// Watches from the resourceVersion with bookmarks; the server ends the stream after
    /// <paramref name="timeout"/>. Throws <see cref="Abstractions.KubernetesApiException"/> when the
    /// server refuses the watch (410 Gone among others).
    /// </summary>
    IAsyncEnumerable<WatchEvent> WatchAsync(string resourceVersion, TimeSpan timeout, CancellationToken cancellationToken);
}
