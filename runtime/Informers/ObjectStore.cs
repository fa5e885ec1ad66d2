using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json.Nodes;
using k8s;
using Kuroku.Runtime.Abstractions;

namespace Kuroku.Runtime.Informers;

/// <summary>Computes the values under which an object is found in one index (client-go's <c>IndexFunc</c>).</summary>
public delegate IEnumerable<string> IndexFunc(JsonObject obj);

/// <summary>Reads an object's JSON, handed out as a span for the duration of the call.</summary>
public delegate TResult JsonReader<out TResult>(ReadOnlySpan<byte> json);

/// <summary>
/// One cached object: its key, its resourceVersion, its (transformed) JSON and its index values. The JSON
/// of all but small objects is held deflate-compressed (a Deployment's 4 KB in about a third of that):
/// at fleet scale the cache's bytes are most of the operator's heap, and an object is read far less often
/// than it is held. Deflate at level 6 (zlib-ng) matches Brotli at quality 4 in size on these objects at
/// half its CPU (measured on the scale benchmark's Deployments: 1.32-1.42 KB in 60-67 us against Brotli's
/// 1.33-1.42 KB in 125-158 us; every object of every watch event passes here).
/// </summary>
public sealed class CacheEntry
{
    /// <summary>Objects up to this many bytes of JSON are held as they are (compressing them gains little).</summary>
    public const int CompressAbove = 512;

    private static readonly ZLibCompressionOptions Level = new() { CompressionLevel = 6 };

    private readonly byte[] stored;
    private readonly int length;
    private readonly bool compressed;

    // A resourceVersion is opaque, but etcd's are decimal numbers: those are held as one, the rest as text.
    private readonly long version;
    private readonly string? versionText;

    internal CacheEntry(string key, string? resourceVersion, byte[] json, KeyValuePair<string, string[]>[] indexed)
    {
        Key = key;
        if (IsCanonicalNumber(resourceVersion, out var number))
        {
            version = number;
        }
        else
        {
            version = -1;
            versionText = resourceVersion;
        }

        Indexed = indexed;
        length = json.Length;
        stored = json.Length > CompressAbove ? Compress(json) : json;
        compressed = !ReferenceEquals(stored, json);
    }

    /// <summary><c>namespace/name</c>, or <c>name</c> for a cluster-scoped object.</summary>
    public string Key { get; }

    public string? ResourceVersion => version >= 0 ? version.ToString(CultureInfo.InvariantCulture) : versionText;

    /// <summary>The object as the cache keeps it, UTF-8 JSON (a fresh copy for a compressed entry).</summary>
    public ReadOnlyMemory<byte> Json => Read(json => json.ToArray());

    /// <summary>The bytes this entry holds for its JSON.</summary>
    public int StoredBytes => stored.Length;

    internal KeyValuePair<string, string[]>[] Indexed { get; }

    internal bool SameVersion(CacheEntry other) => version == other.version && versionText == other.versionText;

    public T Read<T>() => Read(CacheJson.Deserialize<T>);

    /// <summary>Hands the object's JSON to <paramref name="reader"/> (decompressed into a pooled buffer).</summary>
    public TResult Read<TResult>(JsonReader<TResult> reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (!compressed)
        {
            return reader(stored);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length + 1);
        try
        {
            using (var inflate = new DeflateStream(new MemoryStream(stored, writable: false), CompressionMode.Decompress))
            {
                // One byte more than expected is asked for: an entry that inflates to more is as wrong as a short one.
                var written = inflate.ReadAtLeast(buffer.AsSpan(0, length + 1), length + 1, throwOnEndOfStream: false);
                if (written != length)
                {
                    throw new InvalidOperationException($"The cached entry {Key} does not decompress to its {length} bytes");
                }
            }

            return reader(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Digits only, no leading zero, within a long: the text is exactly the number's invariant string.
    private static bool IsCanonicalNumber(string? text, out long number)
    {
        number = 0;
        return text is { Length: > 0 and < 19 }
            && (text.Length == 1 || text[0] != '0')
            && !text.AsSpan().ContainsAnyExceptInRange('0', '9')
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    private static byte[] Compress(byte[] json)
    {
        // Output larger than the input is of no use: the fixed-size stream refuses it and the JSON is kept as is.
        var buffer = ArrayPool<byte>.Shared.Rent(json.Length);
        try
        {
            var output = new MemoryStream(buffer, 0, json.Length, writable: true);
            using (var deflate = new DeflateStream(output, Level, leaveOpen: true))
            {
                deflate.Write(json);
            }

            return output.Position < json.Length ? buffer.AsSpan(0, (int)output.Position).ToArray() : json;
        }
        catch (NotSupportedException)
        {
            return json;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>A change the store applied, for the informer to hand to its event handlers.</summary>
public readonly record struct StoreChange(WatchEventType Type, CacheEntry? Old, CacheEntry? New);

/// <summary>
/// The thread-safe cache of one resource (client-go's <c>ThreadSafeStore</c> with indexers): entries by
/// key, and indexes from values to keys. Two indexes always exist: <see cref="NamespaceIndex"/> and
/// <see cref="OwnerIndex"/> (the uid of every owner reference); more come from the informer's indexers.
/// </summary>
public sealed class ObjectStore
{
    public const string NamespaceIndex = "namespace";
    public const string OwnerIndex = "owner";

    private readonly Lock gate = new();
    private readonly Dictionary<string, CacheEntry> items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, Bucket>> indexes = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, IndexFunc> indexers;
    private readonly IndexValuePool valuePool;

    /// <param name="indexers">Indexes beyond namespace and owner.</param>
    /// <param name="values">Where index values are shared with other stores; default: this store's own pool.</param>
    public ObjectStore(IReadOnlyDictionary<string, IndexFunc>? indexers = null, IndexValuePool? values = null)
    {
        valuePool = values ?? new IndexValuePool();
        var all = new Dictionary<string, IndexFunc>(StringComparer.Ordinal)
        {
            [NamespaceIndex] = obj => obj["metadata"]?["namespace"] is JsonValue ns && ns.GetValue<string>() is { Length: > 0 } value ? [value] : [],
            [OwnerIndex] = obj => (obj["metadata"]?["ownerReferences"] as JsonArray ?? [])
                .Select(r => r?["uid"] is JsonValue uid ? uid.GetValue<string>() : null)
                .OfType<string>(),
        };
        foreach (var (name, index) in indexers ?? new Dictionary<string, IndexFunc>())
        {
            all[name] = index;
        }

        this.indexers = all;
        foreach (var name in all.Keys)
        {
            indexes[name] = new Dictionary<string, Bucket>(StringComparer.Ordinal);
        }
    }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return items.Count;
            }
        }
    }

    /// <summary>Makes the entry for an object (already transformed): its key, resourceVersion, bytes and index values.</summary>
    public CacheEntry Entry(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var metadata = obj["metadata"] as JsonObject;
        var ns = metadata?["namespace"] is JsonValue n ? n.GetValue<string>() : null;
        var name = metadata?["name"] is JsonValue m ? m.GetValue<string>() : "";
        var rv = metadata?["resourceVersion"] is JsonValue r ? r.GetValue<string>() : null;
        var indexed = indexers.Select(i => new KeyValuePair<string, string[]>(i.Key, [.. i.Value(obj).Distinct(StringComparer.Ordinal)])).Where(i => i.Value.Length > 0).ToArray();
        return new CacheEntry(new ObjectKey(string.IsNullOrEmpty(ns) ? null : ns, name).ToString(), rv, CacheJson.ToBytes(obj), indexed);
    }

    public CacheEntry? Get(string key)
    {
        lock (gate)
        {
            return items.GetValueOrDefault(key);
        }
    }

    /// <summary>Every entry, or those of one namespace, in key order.</summary>
    public IReadOnlyList<CacheEntry> List(string? @namespace = null)
    {
        if (@namespace is not null)
        {
            return ByIndex(NamespaceIndex, @namespace);
        }

        lock (gate)
        {
            return Sorted(items.Values);
        }
    }

    /// <summary>The entries an index files under a value, in key order.</summary>
    public IReadOnlyList<CacheEntry> ByIndex(string index, string value)
    {
        lock (gate)
        {
            if (!indexes.TryGetValue(index, out var byValue))
            {
                throw new InvalidOperationException($"no index named \"{index}\"; indexes: {string.Join(", ", indexes.Keys.Order(StringComparer.Ordinal))}");
            }

            return byValue.TryGetValue(value, out var bucket) ? Sorted(bucket.Keys.Select(k => items[k])) : [];
        }
    }

    /// <summary>Adds or replaces an entry; returns what changed (Added or Modified).</summary>
    public StoreChange Upsert(CacheEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (gate)
        {
            var old = items.GetValueOrDefault(entry.Key);
            if (old is not null)
            {
                Unindex(old);
            }

            items[entry.Key] = entry;
            Index(entry);
            return new StoreChange(old is null ? WatchEventType.Added : WatchEventType.Modified, old, entry);
        }
    }

    /// <summary>Removes the entry of a key; returns the last state the store knew, or null if it had none.</summary>
    public CacheEntry? Delete(string key)
    {
        lock (gate)
        {
            if (!items.Remove(key, out var old))
            {
                return null;
            }

            Unindex(old);
            return old;
        }
    }

    /// <summary>
    /// Replaces the whole content with a fresh list (after a relist) and returns the differences in key
    /// order: Added for new keys, Modified where the resourceVersion changed, Deleted for keys gone.
    /// </summary>
    public IReadOnlyList<StoreChange> Replace(IEnumerable<CacheEntry> fresh)
    {
        ArgumentNullException.ThrowIfNull(fresh);
        var next = new SortedDictionary<string, CacheEntry>(StringComparer.Ordinal);
        foreach (var entry in fresh)
        {
            next[entry.Key] = entry;
        }

        var changes = new List<StoreChange>();
        lock (gate)
        {
            foreach (var key in items.Keys.Where(k => !next.ContainsKey(k)).Order(StringComparer.Ordinal).ToList())
            {
                var old = items[key];
                items.Remove(key);
                Unindex(old);
                changes.Add(new StoreChange(WatchEventType.Deleted, old, null));
            }

            foreach (var (key, entry) in next)
            {
                if (items.Remove(key, out var old))
                {
                    Unindex(old);
                }

                items[key] = entry;
                Index(entry);
                if (old is null)
                {
                    changes.Add(new StoreChange(WatchEventType.Added, null, entry));
                }
                else if (!old.SameVersion(entry))
                {
                    changes.Add(new StoreChange(WatchEventType.Modified, old, entry));
                }
            }
        }

        return changes;
    }

    private static List<CacheEntry> Sorted(IEnumerable<CacheEntry> entries) =>
        [.. entries.OrderBy(e => e.Key, StringComparer.Ordinal)];

    // An entry's index values are replaced by the instances the index already holds: ten thousand
    // objects in a hundred namespaces keep a hundred namespace strings, not ten thousand; and a value new to
    // this index takes the instance the other stores of its pool hold.
    private void Index(CacheEntry entry)
    {
        foreach (var (index, values) in entry.Indexed)
        {
            var byValue = indexes[index];
            for (var i = 0; i < values.Length; i++)
            {
                if (byValue.TryGetValue(values[i], out var bucket))
                {
                    values[i] = bucket.Value;
                }
                else
                {
                    bucket = new Bucket(valuePool.Acquire(values[i]));
                    values[i] = bucket.Value;
                    byValue[bucket.Value] = bucket;
                }

                bucket.Add(entry.Key);
            }
        }
    }

    private void Unindex(CacheEntry entry)
    {
        foreach (var (index, values) in entry.Indexed)
        {
            var byValue = indexes[index];
            foreach (var value in values)
            {
                if (byValue.TryGetValue(value, out var bucket) && bucket.Remove(entry.Key) && bucket.IsEmpty)
                {
                    byValue.Remove(value);
                    valuePool.Release(bucket.Value);
                }
            }
        }
    }

    /// <summary>The keys filed under one index value; most values (an owner's uid) file one key, held without a set.</summary>
    private sealed class Bucket(string value)
    {
        private string? one;
        private HashSet<string>? many;

        public string Value { get; } = value;

        public bool IsEmpty => one is null && many is null;

        public IEnumerable<string> Keys => many ?? (one is null ? [] : [one]);

        public void Add(string key)
        {
            if (many is not null)
            {
                many.Add(key);
            }
            else if (one is null || one == key)
            {
                one = key;
            }
            else
            {
                many = new HashSet<string>(StringComparer.Ordinal) { one, key };
                one = null;
            }
        }

        public bool Remove(string key)
        {
            if (many is not null)
            {
                if (!many.Remove(key))
                {
                    return false;
                }

                if (many.Count == 0)
                {
                    many = null;
                }

                return true;
            }

            if (one == key)
            {
                one = null;
                return true;
            }

            return false;
        }
    }
}
