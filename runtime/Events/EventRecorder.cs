using System.Threading.Channels;
using Kuroku.Runtime.Abstractions;
using k8s;
using k8s.Models;

namespace Kuroku.Runtime.Events;

/// <summary>
/// Writes core/v1 Events in the background. <see cref="Record"/> never blocks: when the buffer is
/// full the event is dropped (and logged), as client-go's broadcaster does. Repeats within the
/// aggregation window bump the count of the existing Event by a merge patch.
/// </summary>
public sealed class EventRecorder : BackgroundService, IEventRecorder
{
    public const string Component = "kuroku-operator";

    /// <summary>Events waiting to be written; past this many, new ones are dropped (and logged), as client-go's broadcaster does.</summary>
    public const int BufferSize = 1000;

    /// <summary>
    /// Events written at once: one slow write does not hold up the rest. Each event goes to the writer its
    /// key hashes to, so the repeats of one event (create, then count bumps) stay in order.
    /// </summary>
    public const int Writers = 4;

    // Wait mode, used only through TryWrite: a full buffer makes TryWrite return false (DropWrite mode
    // would return true and drop the event silently).
    private readonly Channel<(EventKey Key, ObjectReference Regarding)>[] pending =
        [.. Enumerable.Range(0, Writers).Select(_ => Channel.CreateBounded<(EventKey, ObjectReference)>(
            new BoundedChannelOptions(BufferSize / Writers) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true }))];

    private readonly IObjectWriter writer;
    private readonly EventAggregator aggregator;
    private readonly TimeProvider time;
    private readonly ILogger<EventRecorder> logger;
    private readonly string instance;

    public EventRecorder(IObjectWriter writer, TimeProvider time, ILogger<EventRecorder> logger, TimeSpan? window = null, string? instance = null)
    {
        this.writer = writer ?? throw new ArgumentNullException(nameof(writer));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        aggregator = new EventAggregator(time, window ?? TimeSpan.FromMinutes(10));
        this.instance = instance ?? Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName;
    }

    public void Record(IKubernetesObject<V1ObjectMeta> regarding, EventType type, string reason, string message)
    {
        ArgumentNullException.ThrowIfNull(regarding);
        var meta = regarding.Metadata ?? new V1ObjectMeta();
        var key = new EventKey(meta.NamespaceProperty, meta.Uid ?? "", meta.Name ?? "", type, reason, message);
        var reference = new ObjectReference(regarding.ApiVersion, regarding.Kind, meta.Name, meta.NamespaceProperty, meta.ResourceVersion, meta.Uid);
        if (!pending[(key.GetHashCode() & int.MaxValue) % Writers].Writer.TryWrite((key, reference)))
        {
            logger.LogWarning("Event buffer full; dropped {Type} event {Reason} about {Kind} {Name}", type, reason, regarding.Kind, meta.Name);
        }
    }

    /// <summary>Writes one event now (used by the background loop; public for tests).</summary>
    public async Task WriteAsync(EventKey key, ObjectReference regarding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(regarding);
        var decision = aggregator.Observe(key);
        var now = time.GetUtcNow().UtcDateTime;
        if (!decision.Create)
        {
            try
            {
                await writer.PatchAsync<Corev1Event>(key.Namespace, decision.Name, new { count = decision.Count, lastTimestamp = now }, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                aggregator.Forget(key);
                decision = aggregator.Observe(key);
            }
        }

        await writer.CreateAsync(
            new Corev1Event
            {
                ApiVersion = "v1",
                Kind = "Event",
                Metadata = new V1ObjectMeta { Name = decision.Name, NamespaceProperty = key.Namespace ?? "default" },
                InvolvedObject = new V1ObjectReference
                {
                    ApiVersion = regarding.ApiVersion,
                    Kind = regarding.Kind,
                    Name = regarding.Name,
                    NamespaceProperty = regarding.Namespace,
                    ResourceVersion = regarding.ResourceVersion,
                    Uid = regarding.Uid,
                },
                Type = key.Type.ToString(),
                Reason = key.Reason,
                Message = key.Message,
                Count = decision.Count,
                FirstTimestamp = now,
                LastTimestamp = now,
                Source = new V1EventSource { Component = Component },
                ReportingComponent = Component,
                ReportingInstance = instance,
            },
            cancellationToken).ConfigureAwait(false);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(pending.Select(channel => WriteLoopAsync(channel.Reader, stoppingToken)));

    private async Task WriteLoopAsync(ChannelReader<(EventKey Key, ObjectReference Regarding)> events, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (key, regarding) in events.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await WriteAsync(key, regarding, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Could not write event {Reason} about {Kind} {Name}", key.Reason, regarding.Kind, regarding.Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

/// <summary>What an event is about, captured when it is recorded.</summary>
public sealed record ObjectReference(string? ApiVersion, string? Kind, string? Name, string? Namespace, string? ResourceVersion, string? Uid);
