using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer.Model;

namespace Kuroku.Testing.ApiServer.Storage;

/// <summary>
/// The cluster's garbage collector, in miniature: shortly after a deletion it deletes objects whose
/// owners are all gone (Background propagation, cascading) and drops references to owners that are gone
/// while others remain.
/// </summary>
public sealed class GarbageCollector : IAsyncDisposable
{
    private readonly ApiOperations _ops;
    private readonly ResourceRegistry _registry;
    private readonly TimeSpan _delay;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public GarbageCollector(ApiOperations ops, ResourceRegistry registry, TimeSpan delay)
    {
        _ops = ops;
        _registry = registry;
        _delay = delay;
        _ops.ObjectRemoved += () => _signal.Release();
        _loop = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(token);
                await Task.Delay(_delay, token);
                while (_signal.CurrentCount > 0)
                {
                    await _signal.WaitAsync(token);
                }

                lock (_ops.Store.Gate)
                {
                    Collect();
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over the store. Deletions it makes signal the next pass, which is how it cascades.</summary>
    public void Collect()
    {
        var store = _ops.Store;
        var all = store.All();
        var live = all.Select(o => o.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var obj in all)
        {
            if (obj.OwnerUids.Count == 0 || obj.OwnerUids.All(live.Contains))
            {
                continue;
            }

            var type = _registry.VersionsOf(obj.StorageKey).FirstOrDefault();
            if (type is null || store.Get(obj.StorageKey, obj.Namespace, obj.Name) is not { } current || current.Revision != obj.Revision)
            {
                continue;
            }

            if (obj.OwnerUids.All(uid => !live.Contains(uid)))
            {
                if (!obj.Terminating)
                {
                    _ops.Delete(type, obj.Namespace, obj.Name, null, "Background", dryRun: false);
                }
            }
            else
            {
                var updated = obj.ToNode();
                var refs = (JsonArray)updated["metadata"]!["ownerReferences"]!;
                foreach (var r in refs.Where(r => !live.Contains(r?["uid"]?.GetValue<string>() ?? "")).ToList())
                {
                    refs.Remove(r);
                }

                store.Put(obj.StorageKey, updated, obj);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _signal.Dispose();
    }
}
