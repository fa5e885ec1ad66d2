using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;
using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Reconciliation.Apply;
using Kuroku.Operator.Reconciliation.Releases;
using Kuroku.Runtime.Abstractions;

namespace Kuroku.Operator.Reconciliation;

/// <summary>
/// What the last reconcile of each WebApp read and wrote, so that the reconciles its own writes cause
/// cost nothing (kube-controller-manager's "expectations", plus a fingerprint of the inputs):
/// <list type="bullet">
/// <item>while the cache has not yet seen one of those writes (it still shows the object as it was before
/// the write), a reconcile would act on stale state: it waits for the watch event instead;</item>
/// <item>once the cache shows exactly what the last reconcile read with its own writes applied, nothing
/// changed that it did not already act on: there is nothing to do.</item>
/// </list>
/// Anything else (a spec edit, a Deployment's new status, a Secret's new data, a child deleted by hand, a
/// namesake) changes a resourceVersion and makes a full reconcile. A remembered reconcile is trusted for
/// at most <see cref="Lifetime"/>, so every WebApp is still reconciled in full once per resync period.
/// </summary>
public sealed class ReconcileMemo(IObjectReader cache, TimeSpan lifetime)
{
    /// <summary>How long a reconcile waits for the watch events of its own writes before it runs anyway.</summary>
    public static readonly TimeSpan ExpectationTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public TimeSpan Lifetime { get; } = lifetime;

    /// <summary>How many WebApps have a remembered reconcile.</summary>
    public int Count => entries.Count;

    /// <summary>
    /// Whether the reconcile of <paramref name="app"/> can be skipped now: <see cref="Skip.No"/>, or
    /// <see cref="Skip.Waiting"/> (the cache lags behind the last reconcile's writes; look again after
    /// <paramref name="retry"/> at the latest) or <see cref="Skip.Unchanged"/>.
    /// </summary>
    public Skip Check(WebApp app, DateTime now, out TimeSpan retry)
    {
        ArgumentNullException.ThrowIfNull(app);
        retry = TimeSpan.Zero;
        var key = ObjectKey.Of(app).ToString();
        if (!entries.TryGetValue(key, out var entry) || now >= entry.WrittenAt + Lifetime)
        {
            return Skip.No;
        }

        // A write counts as seen once the cache has shown it: a child deleted by hand after that is a change,
        // not a write still on its way.
        var waitUntil = entry.WrittenAt + ExpectationTimeout;
        if (now < waitUntil && entry.Pending.Length > 0)
        {
            var pending = Array.FindAll(entry.Pending, w => w.Pending(cache));
            if (pending.Length != entry.Pending.Length)
            {
                entries.TryUpdate(key, entry with { Pending = pending }, entry);
            }

            if (pending.Length > 0)
            {
                retry = waitUntil - now;
                return Skip.Waiting;
            }
        }

        return Fingerprint(Inputs(app)) == entry.Expected ? Skip.Unchanged : Skip.No;
    }

    /// <summary>The versions of everything a reconcile of <paramref name="app"/> reads, before it runs.</summary>
    public SortedDictionary<string, string?> Inputs(WebApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var inputs = new SortedDictionary<string, string?>(StringComparer.Ordinal)
        {
            [Component(WebAppApi.Kind, ObjectKey.Of(app).ToString())] = app.Metadata.ResourceVersion,
        };
        foreach (var kind in OwnedKinds.All)
        {
            foreach (var owned in kind.Versions(cache, app.Metadata.Uid))
            {
                inputs[Component(kind.Kind, owned.Key)] = owned.ResourceVersion;
            }
        }

        var ns = app.Metadata.NamespaceProperty;
        foreach (var (kind, name) in ConfigReferences.Collect(app).Select(r => (r.Kind, r.Name)).Distinct())
        {
            var version = kind == "Secret" ? cache.GetMetadata<V1Secret>(ns, name)?.ResourceVersion : cache.GetMetadata<V1ConfigMap>(ns, name)?.ResourceVersion;
            inputs["referenced " + Component(kind, $"{ns}/{name}")] = version ?? "absent";
        }

        return inputs;
    }

    /// <summary>
    /// Remembers a reconcile that finished without a requeue: what it read, and its writes (which the
    /// cache will show once their watch events arrive).
    /// </summary>
    public void Remember(WebApp app, SortedDictionary<string, string?> inputs, IReadOnlyList<JournaledWrite> writes, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(writes);
        var expected = new SortedDictionary<string, string?>(inputs, StringComparer.Ordinal);
        foreach (var write in writes)
        {
            var component = Component(write.Kind, write.Key);
            if (write.After is null)
            {
                expected.Remove(component);
            }
            else
            {
                expected[component] = write.After;
            }
        }

        // Writes the cache already shows are not waited for: only those still on their way are kept.
        entries[ObjectKey.Of(app).ToString()] = new Entry(Fingerprint(expected), [.. writes.Where(w => w.Pending(cache))], now);
    }

    /// <summary>Forgets a WebApp (gone, failed, or waiting for time rather than for events).</summary>
    public void Forget(ObjectKey app) => entries.TryRemove(app.ToString(), out _);

    private static string Component(string kind, string key) => kind + " " + key;

    // SHA-256 of the components, cut to 128 bits: a fleet's worth of fingerprints is held, and only their equality matters.
    private static UInt128 Fingerprint(SortedDictionary<string, string?> components)
    {
        var text = new StringBuilder();
        foreach (var (component, version) in components)
        {
            text.Append(component).Append('=').Append(version).Append('\n');
        }

        return BinaryPrimitives.ReadUInt128LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public enum Skip
    {
        No,
        Waiting,
        Unchanged,
    }

    private sealed record Entry(UInt128 Expected, JournaledWrite[] Pending, DateTime WrittenAt);
}

/// <summary>
/// One write a reconcile made: the object's kind and key, the version the cache showed before the write
/// (null: absent) and the version the server answered (null: deleted).
/// </summary>
public sealed record JournaledWrite(string Kind, string Key, string? Before, string? After, Func<IObjectReader, string?> Version)
{
    /// <summary>True while the cache still shows the object as it was before the write.</summary>
    public bool Pending(IObjectReader cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var now = Version(cache);
        return now != After && now == Before;
    }
}

/// <summary>
/// The write port of the reconciler, recording every successful write of the reconcile running in the
/// current async flow (<see cref="Begin"/>), for <see cref="ReconcileMemo"/>. Reads pass through.
/// </summary>
public sealed class JournalingWriter(IObjectWriter inner, IObjectReader cache) : IObjectWriter
{
    private static readonly AsyncLocal<List<JournaledWrite>?> Current = new();

    /// <summary>Starts the journal of one reconcile (in this async flow and the tasks it starts).</summary>
    public static List<JournaledWrite> Begin()
    {
        var journal = new List<JournaledWrite>();
        Current.Value = journal;
        return journal;
    }

    /// <summary>
    /// Ends a journal: its writes, and an empty journal left behind, since an execution context captured
    /// during the reconcile (a pooled connection's reader, a timer) may keep the list alive for long.
    /// </summary>
    public static List<JournaledWrite> End(List<JournaledWrite> journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        Current.Value = null;
        lock (journal)
        {
            List<JournaledWrite> writes = [.. journal];
            journal.Clear();
            journal.TrimExcess();
            return writes;
        }
    }

    public Task<T?> GetAsync<T>(string? @namespace, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        inner.GetAsync<T>(@namespace, name, cancellationToken);

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Record(obj.Metadata.NamespaceProperty, obj.Metadata.Name, () => inner.CreateAsync(obj, cancellationToken));

    public Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Record(obj.Metadata.NamespaceProperty, obj.Metadata.Name, () => inner.ReplaceAsync(obj, cancellationToken));

    public Task<T> PatchAsync<T>(string? @namespace, string name, object mergePatch, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Record(@namespace, name, () => inner.PatchAsync<T>(@namespace, name, mergePatch, cancellationToken));

    public Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Record(obj.Metadata.NamespaceProperty, obj.Metadata.Name, () => inner.ReplaceStatusAsync(obj, cancellationToken));

    public async Task<bool> DeleteAsync<T>(string? @namespace, string name, string? uid, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var before = cache.VersionOf<T>(@namespace, name);
        var deleted = await inner.DeleteAsync<T>(@namespace, name, uid, cancellationToken);
        Add<T>(@namespace, name, before, null);
        return deleted;
    }

    private async Task<T> Record<T>(string? @namespace, string name, Func<Task<T>> write)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var before = cache.VersionOf<T>(@namespace, name);
        var written = await write();
        Add<T>(@namespace, name, before, written.Metadata?.ResourceVersion);
        return written;
    }

    private static void Add<T>(string? @namespace, string name, string? before, string? after)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (Current.Value is not { } journal)
        {
            return;
        }

        var key = new ObjectKey(string.IsNullOrEmpty(@namespace) ? null : @namespace, name);
        var kind = typeof(T) == typeof(WebApp) ? WebAppApi.Kind : OwnedKinds.All.FirstOrDefault(k => k.Type == typeof(T))?.Kind ?? typeof(T).Name;
        lock (journal)
        {
            journal.Add(new JournaledWrite(kind, key.ToString(), before, after, reader => reader.VersionOf<T>(key.Namespace, key.Name)));
        }
    }
}
