using k8s;
using k8s.Models;

namespace Kuroku.Runtime.Informers;

/// <summary>A list: the objects and the resourceVersion to watch from.</summary>
public sealed record ListResult<T>(IReadOnlyList<T> Items, string ResourceVersion);

/// <summary>One line of a watch stream. <see cref="Status"/> is set for ERROR events.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T? Object, V1Status? Status = null);

/// <summary>
/// Lists and watches one resource type (client-go's <c>ListerWatcher</c>); the seam the reflector
/// uses, so tests can feed it events without HTTP.
/// </summary>
public interface IListWatchSource<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    Task<ListResult<T>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Watches from the resourceVersion with bookmarks; the server ends the stream after
    /// <paramref name="timeout"/>. Throws <see cref="Abstractions.KubernetesApiException"/> when the
    /// server refuses the watch (410 Gone among others).
    /// </summary>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync(string resourceVersion, TimeSpan timeout, CancellationToken cancellationToken);
}
