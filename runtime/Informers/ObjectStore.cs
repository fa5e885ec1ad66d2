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
/// is held deflate-compressed against its store's <see cref="CompressionDictionary"/> (another object of
/// the same kind): at fleet scale the cache's bytes are most of the operator's heap, an object is read far
/// less often than it is held, and the objects of one kind differ in little more than names, uids and
/// images. On the scale benchmark's Deployments, deflate alone took 3.8 KB to 1.25-1.35 KB; against a
/// dictionary, level 1 takes them to about 0.2 KB, in half of deflate 6's time.
/// </summary>
public sealed class CacheEntry
{
    /// <summary>Objects up to this many bytes of JSON are held as they are (compressing them gains little).</summary>
    public const int CompressAbove = 128;

    private static readonly ZLibCompressionOptions Level = new() { CompressionLevel = 6 };

    private readonly byte[] stored;
    private readonly int length;
    private readonly bool compressed;

    // Set when the stored bytes continue the dictionary's deflate stream.
    private readonly CompressionDictionary? dictionary;

    // A resourceVersion is opaque, but etcd's are decimal numbers: those are held as one, the rest as text.
    private readonly long version;
    private readonly string? versionText;

    internal CacheEntry(string key, string? resourceVersion, byte[] json, object?[] indexed, CompressionDictionary? dictionary = null)
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
        stored = json;
        if (json.Length > CompressAbove)
        {
            if (dictionary?.Compress(json) is { } small)
            {
                stored = small;
                this.dictionary = dictionary;
            }
            else
            {
                stored = Compress(json);
            }
        }

        compressed = !ReferenceEquals(stored, json);
    }

    /// <summary><c>namespace/name</c>, or <c>name</c> for a cluster-scoped object.</summary>
    public string Key { get; private set; }

    public string? ResourceVersion => version >= 0 ? version.ToString(CultureInfo.InvariantCulture) : versionText;

    /// <summary>The object as the cache keeps it, UTF-8 JSON (a fresh copy for a compressed entry).</summary>
    public ReadOnlyMemory<byte> Json => Read(json => json.ToArray());

    /// <summary>The bytes this entry holds for its JSON.</summary>
    public int StoredBytes => stored.Length;

    /// <summary>
    /// About what the entry costs the heap: its JSON's bytes, the entry and its arrays (object headers and
    /// fields; the key and index values are shared and not counted). What a replaced or deleted entry leaves
    /// behind as garbage, for <see cref="ObjectStore.ReleasedBytes"/>.
    /// </summary>
    public long Footprint => 24 + stored.Length + 72 + 24 + (8L * Indexed.Length);

    /// <summary>
    /// The entry's values in each of its store's indexes, by the index's position: null for none, the value
    /// itself for one (the usual case: one namespace, one owner), a string array for several. No array per
    /// index and no index name per entry: at fleet scale that was about 120 bytes an object.
    /// </summary>
    internal object?[] Indexed { get; }

    /// <summary>
    /// Takes the key instance of the entry this one replaces (equal text), before the store publishes it: the
    /// store's dictionary keeps the first instance it was given, so without this every update left two copies
    /// of each key, one in the dictionary and one in the entry and its index buckets.
    /// </summary>
    internal void ShareKey(CacheEntry replaced)
    {
        if (!ReferenceEquals(Key, replaced.Key) && string.Equals(Key, replaced.Key, StringComparison.Ordinal))
        {
            Key = replaced.Key;
        }
    }

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

        if (dictionary is not null)
        {
            return dictionary.Read(stored, length, Key, reader);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length + 1);
        try
        {
            Inflate(stored, stored.Length, buffer.AsSpan(0, length + 1), length, Key);
            return reader(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Inflates the first <paramref name="count"/> bytes of <paramref name="deflated"/> into <paramref name="output"/>
    /// and checks it gave exactly <paramref name="expected"/> bytes: the output is one byte longer, as an entry that
    /// inflates to more is as wrong as a short one.
    /// </summary>
    internal static void Inflate(byte[] deflated, int count, Span<byte> output, int expected, string key)
    {
        using var inflate = new DeflateStream(new MemoryStream(deflated, 0, count, writable: false), CompressionMode.Decompress);
        if (inflate.ReadAtLeast(output, output.Length, throwOnEndOfStream: false) != expected)
        {
            throw new InvalidOperationException($"The cached entry {key} does not decompress to its {expected} bytes");
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

/// <summary>
/// A preset dictionary for deflate, made of one object's JSON, which the entries of its store are
/// compressed against: most of an object then refers back to the same kind's common text. .NET's deflate
/// takes no preset dictionary, so the same effect is had from the stream itself: an entry is deflated as
/// this sample followed by its own JSON, with a sync flush between the two. Everything up to the flush
/// depends only on the sample, so it is the same bytes every time (the prefix, kept once) and
/// only what follows it is stored; reading inflates the prefix and the stored bytes as one stream and
/// skips the sample. An entry whose prefix would come out different is compressed without the dictionary.
/// </summary>
public sealed class CompressionDictionary
{
    /// <summary>A sample larger than this is not taken: every entry's compression deflates the sample again.</summary>
    public const int MaxSampleBytes = 16 * 1024;

    // Level 1 finds the long matches against the sample as well as higher levels do and costs a third of level 6.
    private static readonly ZLibCompressionOptions Level = new() { CompressionLevel = 1 };

    private readonly byte[] sample;

    // The sample deflated and sync-flushed: how every entry's deflate stream begins.
    private readonly byte[] prefix;

    private CompressionDictionary(byte[] sample)
    {
        this.sample = sample;
        var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, Level, leaveOpen: true))
        {
            deflate.Write(sample);
            deflate.Flush();
            prefix = output.ToArray();
        }
    }

    /// <summary>A dictionary made of a copy of <paramref name="json"/>, or null if it is too small or too large to serve as one.</summary>
    public static CompressionDictionary? From(ReadOnlySpan<byte> json) =>
        json.Length > CacheEntry.CompressAbove && json.Length <= MaxSampleBytes ? new CompressionDictionary(json.ToArray()) : null;

    /// <summary>The bytes that follow the prefix for <paramref name="json"/>, or null when they would not be smaller than it.</summary>
    internal byte[]? Compress(byte[] json)
    {
        // Room for the prefix and the JSON as it is: a longer output is of no use, and the fixed-size stream refuses it.
        var capacity = prefix.Length + json.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(capacity);
        try
        {
            var output = new MemoryStream(buffer, 0, capacity, writable: true);
            using (var deflate = new DeflateStream(output, Level, leaveOpen: true))
            {
                deflate.Write(sample);
                deflate.Flush();
                if (output.Position != prefix.Length || !buffer.AsSpan(0, prefix.Length).SequenceEqual(prefix))
                {
                    return null;
                }

                deflate.Write(json);
            }

            var rest = (int)output.Position - prefix.Length;
            return rest < json.Length ? buffer.AsSpan(prefix.Length, rest).ToArray() : null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal TResult Read<TResult>(byte[] stored, int length, string key, JsonReader<TResult> reader)
    {
        var count = prefix.Length + stored.Length;
        var input = ArrayPool<byte>.Shared.Rent(count);
        var output = ArrayPool<byte>.Shared.Rent(sample.Length + length + 1);
        try
        {
            prefix.CopyTo(input, 0);
            stored.CopyTo(input, prefix.Length);
            CacheEntry.Inflate(input, count, output.AsSpan(0, sample.Length + length + 1), sample.Length + length, key);
            return reader(output.AsSpan(sample.Length, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(output);
            ArrayPool<byte>.Shared.Return(input);
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
    // By position: an entry's index values are kept in this order (CacheEntry.Indexed).
    private readonly string[] indexNames;
    private readonly IndexFunc[] indexers;
    private readonly Dictionary<string, Bucket>[] indexes;
    private readonly IndexValuePool valuePool;

    // The first object of this store that can serve as one; set once, read by every Entry after it.
    private CompressionDictionary? dictionary;

    // Footprints of the entries held, and of every entry replaced or deleted since the store was made.
    private long heldBytes;
    private long releasedBytes;

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

        indexNames = [.. all.Keys];
        this.indexers = [.. all.Values];
        indexes = [.. indexNames.Select(_ => new Dictionary<string, Bucket>(StringComparer.Ordinal))];
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

    /// <summary>About what the held entries cost the heap (the sum of their <see cref="CacheEntry.Footprint"/>).</summary>
    public long HeldBytes => Interlocked.Read(ref heldBytes);

    /// <summary>
    /// The footprints of every entry replaced or deleted since the store was made: garbage the store has left
    /// for the GC, most of it in the oldest generation (an object changes minutes after it was cached). Only
    /// grows; a reader takes differences.
    /// </summary>
    public long ReleasedBytes => Interlocked.Read(ref releasedBytes);

    /// <summary>Makes the entry for an object (already transformed): its key, resourceVersion, bytes and index values.</summary>
    public CacheEntry Entry(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var metadata = obj["metadata"] as JsonObject;
        var ns = metadata?["namespace"] is JsonValue n ? n.GetValue<string>() : null;
        var name = metadata?["name"] is JsonValue m ? m.GetValue<string>() : "";
        var rv = metadata?["resourceVersion"] is JsonValue r ? r.GetValue<string>() : null;
        var indexed = new object?[indexers.Length];
        for (var i = 0; i < indexers.Length; i++)
        {
            string[] values = [.. indexers[i](obj).Distinct(StringComparer.Ordinal)];
            indexed[i] = values.Length switch
            {
                0 => null,
                1 => values[0],
                _ => values,
            };
        }

        var json = CacheJson.ToBytes(obj);
        return new CacheEntry(new ObjectKey(string.IsNullOrEmpty(ns) ? null : ns, name).ToString(), rv, json, indexed, DictionaryFor(json));
    }

    /// <summary>The dictionary the entries of this store are compressed against: made from the first object that can serve.</summary>
    private CompressionDictionary? DictionaryFor(byte[] json)
    {
        if (Volatile.Read(ref dictionary) is { } made)
        {
            return made;
        }

        return CompressionDictionary.From(json) is { } fresh ? Interlocked.CompareExchange(ref dictionary, fresh, null) ?? fresh : null;
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
            var byValue = indexes[IndexOf(index)];

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
                entry.ShareKey(old);
                Released(old);
            }

            items[entry.Key] = entry;
            Index(entry);
            Held(entry);
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
            Released(old);
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
                Released(old);
                changes.Add(new StoreChange(WatchEventType.Deleted, old, null));
            }

            foreach (var (key, entry) in next)
            {
                if (items.Remove(key, out var old))
                {
                    Unindex(old);
                    entry.ShareKey(old);
                    Released(old);
                }

                items[entry.Key] = entry;
                Index(entry);
                Held(entry);
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

    // Under the gate; the counters are read without it.
    private void Held(CacheEntry entry) => Interlocked.Add(ref heldBytes, entry.Footprint);

    private void Released(CacheEntry entry)
    {
        Interlocked.Add(ref heldBytes, -entry.Footprint);
        Interlocked.Add(ref releasedBytes, entry.Footprint);
    }

    private static List<CacheEntry> Sorted(IEnumerable<CacheEntry> entries) =>
        [.. entries.OrderBy(e => e.Key, StringComparer.Ordinal)];

    // An entry's index values are replaced by the instances the index already holds: ten thousand
    // objects in a hundred namespaces keep a hundred namespace strings, not ten thousand; and a value new to
    // this index takes the instance the other stores of its pool hold.
    private void Index(CacheEntry entry)
    {
        var indexed = entry.Indexed;
        for (var i = 0; i < indexed.Length; i++)
        {
            switch (indexed[i])
            {
                case string value:
                    indexed[i] = File(indexes[i], value, entry.Key);
                    break;
                case string[] values:
                    for (var v = 0; v < values.Length; v++)
                    {
                        values[v] = File(indexes[i], values[v], entry.Key);
                    }

                    break;
            }
        }
    }

    // Files the key under the value and returns the instance of the value the index holds.
    private string File(Dictionary<string, Bucket> byValue, string value, string key)
    {
        if (!byValue.TryGetValue(value, out var bucket))
        {
            bucket = new Bucket(valuePool.Acquire(value));
            byValue[bucket.Value] = bucket;
        }

        bucket.Add(key);
        return bucket.Value;
    }

    private void Unindex(CacheEntry entry)
    {
        var indexed = entry.Indexed;
        for (var i = 0; i < indexed.Length; i++)
        {
            switch (indexed[i])
            {
                case string value:
                    Unfile(indexes[i], value, entry.Key);
                    break;
                case string[] values:
                    foreach (var value in values)
                    {
                        Unfile(indexes[i], value, entry.Key);
                    }

                    break;
            }
        }
    }

    private void Unfile(Dictionary<string, Bucket> byValue, string value, string key)
    {
        if (byValue.TryGetValue(value, out var bucket) && bucket.Remove(key) && bucket.IsEmpty)
        {
            byValue.Remove(value);
            valuePool.Release(bucket.Value);
        }
    }

    private int IndexOf(string index)
    {
        var position = Array.IndexOf(indexNames, index);
        return position >= 0
            ? position
            : throw new InvalidOperationException($"no index named \"{index}\"; indexes: {string.Join(", ", indexNames.Order(StringComparer.Ordinal))}");
    }

    /// <summary>The values an entry of this store is filed under in one index.</summary>
    internal IReadOnlyList<string> IndexValues(CacheEntry entry, string index) => entry.Indexed[IndexOf(index)] switch
    {
        string value => [value],
        string[] values => values,
        _ => [],
    };

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
