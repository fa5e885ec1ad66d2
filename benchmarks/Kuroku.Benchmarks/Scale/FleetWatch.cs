using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace Kuroku.Benchmarks.Scale;

/// <summary>
/// Follows the run's WebApps with one list and one watch (as `kubectl get -w` would), and notes when
/// each app first reaches the release a phase waits for: status.observedGeneration equal to
/// metadata.generation and status.release equal to that release. A watch costs the API server one
/// event per status write; polling 10,000 apps with LISTs would cost it far more.
/// </summary>
public sealed class FleetWatch : IAsyncDisposable
{
    private readonly RawApi api;
    private readonly string selector;
    private readonly ConcurrentDictionary<string, AppState> states = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeSpan> convergedAt = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stop = new();
    private readonly Lock gate = new();
    private Task? running;
    private int targetRelease;
    private Stopwatch clock = Stopwatch.StartNew();

    public FleetWatch(RawApi api, string labelSelector)
    {
        this.api = api;
        selector = labelSelector;
    }

    /// <summary>What the watch saw of one app.</summary>
    public sealed record AppState(long Generation, long? ObservedGeneration, int? Release);

    /// <summary>Apps that reached the phase's release, with the time each did (on the phase's clock).</summary>
    public IReadOnlyDictionary<string, TimeSpan> ConvergedAt => convergedAt;

    public int Seen => states.Count;

    public int Restarts { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var rv = await RelistAsync(cancellationToken);
        running = Task.Run(() => FollowAsync(rv, stop.Token), CancellationToken.None);
    }

    /// <summary>From now on, count apps that reach <paramref name="release"/>, timed on <paramref name="phaseClock"/>.</summary>
    public void BeginPhase(int release, Stopwatch phaseClock)
    {
        lock (gate)
        {
            targetRelease = release;
            clock = phaseClock;
            convergedAt.Clear();
            foreach (var (key, state) in states)
            {
                Note(key, state);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (running is not null)
        {
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
            }
        }

        stop.Dispose();
    }

    private async Task FollowAsync(string rv, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var (type, obj) in api.WatchAsync(ResourceKind.WebApps, selector, rv, cancellationToken))
                {
                    switch (type)
                    {
                        case "ERROR":
                            var code = obj["code"]?.GetValue<int>() ?? 0;
                            rv = code == 410 ? await RelistAsync(cancellationToken) : rv;
                            break;
                        case "BOOKMARK":
                            rv = obj["metadata"]?["resourceVersion"]?.GetValue<string>() ?? rv;
                            break;
                        case "DELETED":
                            states.TryRemove(Key(obj), out _);
                            rv = obj["metadata"]?["resourceVersion"]?.GetValue<string>() ?? rv;
                            break;
                        default:
                            Update(obj);
                            rv = obj["metadata"]?["resourceVersion"]?.GetValue<string>() ?? rv;
                            break;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.Gone)
            {
                rv = await RelistAsync(cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or System.Text.Json.JsonException)
            {
                await Task.Delay(200, cancellationToken);
            }

            Restarts++;
        }
    }

    private async Task<string> RelistAsync(CancellationToken cancellationToken)
    {
        var (items, rv) = await api.ListAsync(ResourceKind.WebApps, selector, cancellationToken);
        foreach (var item in items)
        {
            Update(item);
        }

        return rv;
    }

    private void Update(JsonObject obj)
    {
        var key = Key(obj);
        var state = new AppState(
            obj["metadata"]?["generation"]?.GetValue<long>() ?? 0,
            obj["status"]?["observedGeneration"]?.GetValue<long>(),
            obj["status"]?["release"]?.GetValue<int>());
        states[key] = state;
        lock (gate)
        {
            Note(key, state);
        }
    }

    private void Note(string key, AppState state)
    {
        if (targetRelease > 0 && state.Release == targetRelease && state.ObservedGeneration == state.Generation)
        {
            convergedAt.TryAdd(key, clock.Elapsed);
        }
    }

    private static string Key(JsonObject obj) =>
        $"{obj["metadata"]?["namespace"]?.GetValue<string>()}/{obj["metadata"]?["name"]?.GetValue<string>()}";
}
