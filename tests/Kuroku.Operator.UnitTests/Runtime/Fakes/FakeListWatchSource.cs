using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Kuroku.Runtime.Informers;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.UnitTests.Runtime.Fakes;

/// <summary>
/// A list-watch source driven by the test: it serves whatever list is set, and each watch is a
/// session the test feeds and ends. Tests await <see cref="Lists"/> and <see cref="Watches"/> to
/// know the informer got there (no sleeps).
/// </summary>
public sealed class FakeListWatchSource<T> : IListWatchSource<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public ListResult<T> CurrentList { get; set; } = new([], "1");

    public Channel<ListResult<T>> Lists { get; } = Channel.CreateUnbounded<ListResult<T>>();

    public Channel<WatchSession> Watches { get; } = Channel.CreateUnbounded<WatchSession>();

    public Task<ListResult<T>> ListAsync(CancellationToken cancellationToken)
    {
        var list = CurrentList;
        Lists.Writer.TryWrite(list);
        return Task.FromResult(list);
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(string resourceVersion, TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var session = new WatchSession(resourceVersion);
        Watches.Writer.TryWrite(session);
        await foreach (var evt in session.Events.Reader.ReadAllAsync(cancellationToken))
        {
            yield return evt;
        }
    }

    public sealed class WatchSession(string resourceVersion)
    {
        public string ResourceVersion { get; } = resourceVersion;

        public Channel<WatchEvent<T>> Events { get; } = Channel.CreateUnbounded<WatchEvent<T>>();

        public void Send(WatchEventType type, T obj) => Events.Writer.TryWrite(new WatchEvent<T>(type, obj));

        public void End(Exception? error = null) => Events.Writer.TryComplete(error);
    }
}
