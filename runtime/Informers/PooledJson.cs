using System.Buffers;

namespace Kuroku.Runtime.Informers;

/// <summary>A response body read into an array rented from the shared pool; returned on dispose.</summary>
internal sealed class PooledJson : IDisposable
{
    private byte[]? array;
    private readonly int length;

    private PooledJson(byte[] array, int length)
    {
        this.array = array;
        this.length = length;
    }

    public ReadOnlyMemory<byte> Memory => array is { } a ? a.AsMemory(0, length) : throw new ObjectDisposedException(nameof(PooledJson));

    public static async Task<PooledJson> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var size = content.Headers.ContentLength is > 0 and < int.MaxValue / 2 ? (int)content.Headers.ContentLength.Value + 1 : 64 * 1024;
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        var read = 0;
        try
        {
            using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                if (read == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(checked(buffer.Length * 2));
                    buffer.AsSpan(0, read).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    return new PooledJson(buffer, read);
                }

                read += n;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref array, null) is { } a)
        {
            ArrayPool<byte>.Shared.Return(a);
        }
    }
}
