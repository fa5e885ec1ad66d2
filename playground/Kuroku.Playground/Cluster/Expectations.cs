namespace Kuroku.Playground.Cluster;

/// <summary>
/// client-go's ControllerExpectations, by name: the pods a controller just created or deleted, which its cache
/// may not show yet. Until the cache shows them (or a timeout passes), the controller does not count pods
/// again, so a reconcile that runs before the watch caught up does not create or delete twice.
/// </summary>
public sealed class Expectations(TimeProvider time, TimeSpan? timeout = null)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Pending> pending = new(StringComparer.Ordinal);
    private readonly TimeSpan timeout = timeout ?? TimeSpan.FromSeconds(30);

    private sealed class Pending(DateTimeOffset since)
    {
        public HashSet<string> Created { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Deleted { get; } = new(StringComparer.Ordinal);
        public DateTimeOffset Since { get; set; } = since;
    }

    public void Created(string owner, string name) => Expect(owner, p => p.Created.Add(name));

    public void Deleted(string owner, string name) => Expect(owner, p => p.Deleted.Add(name));

    /// <summary>
    /// Whether the cache (<paramref name="cached"/>: the names it shows now) has caught up with every write for
    /// <paramref name="owner"/>; when it has, or when the writes are older than the timeout, they are forgotten.
    /// </summary>
    public bool Satisfied(string owner, IReadOnlySet<string> cached)
    {
        ArgumentNullException.ThrowIfNull(cached);
        lock (gate)
        {
            if (!pending.TryGetValue(owner, out var p))
            {
                return true;
            }

            p.Created.RemoveWhere(cached.Contains);
            p.Deleted.RemoveWhere(n => !cached.Contains(n));
            if ((p.Created.Count == 0 && p.Deleted.Count == 0) || time.GetUtcNow() - p.Since > timeout)
            {
                pending.Remove(owner);
                return true;
            }

            return false;
        }
    }

    public void Forget(string owner)
    {
        lock (gate)
        {
            pending.Remove(owner);
        }
    }

    private void Expect(string owner, Action<Pending> change)
    {
        lock (gate)
        {
            if (!pending.TryGetValue(owner, out var p))
            {
                p = new Pending(time.GetUtcNow());
                pending[owner] = p;
            }

            p.Since = time.GetUtcNow();
            change(p);
        }
    }
}
