using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Kuroku.Runtime.Abstractions;
using Kuroku.Runtime.Informers;

namespace Kuroku.Operator.UnitTests.Runtime.Fakes;

/// <summary>What a fake list returns: the objects and the list's resourceVersion.</summary>
public sealed record FakeList(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Items, string ResourceVersion);

/// <summary>
/// A list-watch source driven by the test: it serves whatever list is set (in pages of
/// <see cref="PageSize"/> when set), and each watch is a session the test feeds and ends. Tests await
/// <see cref="Lists"/> (one entry per page asked for) and <see cref="Watches"/> to know the informer got
/// there (no sleeps).
/// </summary>
public sealed class FakeListWatchSource : IListWatchSource
{
    public FakeList CurrentList { get; set; } = new([], "1");

    /// <summary>Objects per page; 0 serves the whole list at once.</summary>
    public int PageSize { get; set; }

    /// <summary>When set, the next request for a page after the first answers 410 Expired, once.</summary>
    public bool ExpireNextContinue { get; set; }

    /// <summary>The continue token of every page asked for (null for a first page).</summary>
    public Channel<string?> Lists { get; } = Channel.CreateUnbounded<string?>();

    public Channel<WatchSession> Watches { get; } = Channel.CreateUnbounded<WatchSession>();

    public static JsonObject Json(IKubernetesObject<V1ObjectMeta> obj) => JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();

    /// <summary>When set, each page is served only once the task it returns (given the continue token) completes.</summary>
    public Func<string?, Task>? Hold { get; set; }

    public async Task<ListPage> ListAsync(string? continueToken, CancellationToken cancellationToken)
    {
        Lists.Writer.TryWrite(continueToken);
        if (Hold is { } hold)
        {
            await hold(continueToken).WaitAsync(cancellationToken);
        }

        if (continueToken is not null && ExpireNextContinue)
        {
            ExpireNextContinue = false;
            throw new KubernetesApiException(ApiErrorReason.Gone, 410, "The provided continue parameter is too old");
        }

        var list = CurrentList;
        var start = continueToken is null ? 0 : int.Parse(continueToken, CultureInfo.InvariantCulture);
        var count = PageSize == 0 ? list.Items.Count : PageSize;
        var page = list.Items.Skip(start).Take(count).Select(Json).ToList();
        var next = start + count < list.Items.Count ? (start + count).ToString(CultureInfo.InvariantCulture) : null;
        return new ListPage(page, list.ResourceVersion, next);
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(string resourceVersion, TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
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

        public Channel<WatchEvent> Events { get; } = Channel.CreateUnbounded<WatchEvent>();

        public void Send(WatchEventType type, IKubernetesObject<V1ObjectMeta> obj) => Events.Writer.TryWrite(new WatchEvent(type, Json(obj)));

        public void End(Exception? error = null) => Events.Writer.TryComplete(error);
    }
}
