using System.Buffers;

namespace Kuroku.Runtime.Informers;

/// <summary>
/// A response body read into a chain of pooled segments of <see cref="SegmentSize"/> bytes, read as one
/// <see cref="ReadOnlySequence{T}"/>; the segments go back to the pool on dispose. Small segments keep a
/// list page of megabytes off the large object heap: in one array, each page (and the shared pool's copies of
/// every size it grew through) landed there, and a restart over 10,000 apps left 38 MB of such arrays alive
/// in the pool, and later dead, while every app was reconciled once.
/// </summary>
internal sealed class SegmentedJson : IDisposable
{
    /// <summary>Below the large object heap's 85,000 bytes.</summary>
    public const int SegmentSize = 64 * 1024;

    private Segment? first;
    private Segment? last;

    private SegmentedJson()
    {
    }

    public ReadOnlySequence<byte> Sequence => first is null
        ? ReadOnlySequence<byte>.Empty
        : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);

    public static async Task<SegmentedJson> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var body = new SegmentedJson();
        try
        {
            using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var array = ArrayPool<byte>.Shared.Rent(SegmentSize);
                var filled = 0;
                try
                {
                    int n;
                    while (filled < array.Length && (n = await stream.ReadAsync(array.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        filled += n;
                    }
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(array);
                    throw;
                }

                if (filled == 0)
                {
                    ArrayPool<byte>.Shared.Return(array);
                    return body;
                }

                body.Append(array, filled);
                if (filled < array.Length)
                {
                    return body;
                }
            }
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private void Append(byte[] array, int length)
    {
        var segment = new Segment(array, length, last is null ? 0 : last.RunningIndex + last.Memory.Length);
        if (last is null)
        {
            first = segment;
        }
        else
        {
            last.SetNext(segment);
        }

        last = segment;
    }

    public void Dispose()
    {
        var segment = Interlocked.Exchange(ref first, null);
        last = null;
        while (segment is not null)
        {
            ArrayPool<byte>.Shared.Return(segment.Array);
            segment = (Segment?)segment.Next;
        }
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] array, int length, long runningIndex)
        {
            Array = array;
            Memory = array.AsMemory(0, length);
            RunningIndex = runningIndex;
        }

        public byte[] Array { get; }

        public void SetNext(Segment next) => Next = next;
    }
}
