using System.Net.WebSockets;

namespace Kuroku.Kubectl.Kube;

/// <summary>The channels of Kubernetes' streaming protocol (channel.k8s.io and its v4/v5 versions).</summary>
public static class Channels
{
    public const byte Stdin = 0;
    public const byte Stdout = 1;
    public const byte Stderr = 2;

    /// <summary>The server's last word: a metav1.Status (v4 and later), Success or why the session failed.</summary>
    public const byte Error = 3;

    /// <summary>Terminal size changes, as JSON {"Width":W,"Height":H}.</summary>
    public const byte Resize = 4;

    /// <summary>v5: a message [255, N] closes channel N (stdin's EOF).</summary>
    public const byte Close = 255;

    /// <summary>The protocols the plugin speaks, preferred first.</summary>
    public const string V5 = "v5.channel.k8s.io";

    public const string V4 = "v4.channel.k8s.io";
}

/// <summary>One message of the streaming protocol: the channel it came on and its bytes.</summary>
public sealed record ChannelFrame(byte Channel, ReadOnlyMemory<byte> Data);

/// <summary>
/// A connection to a container's streams through the API server: frames in (stdout, stderr, status), frames
/// out (stdin, resize), and stdin's end (v5 only).
/// </summary>
public interface IChannelConnection : IAsyncDisposable
{
    /// <summary>Whether the protocol can signal stdin's end (v5); without it the remote stdin stays open.</summary>
    bool CanCloseStdin { get; }

    Task SendAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Tells the server that nothing more comes on <paramref name="channel"/> (v5's close message).</summary>
    Task CloseChannelAsync(byte channel, CancellationToken cancellationToken);

    /// <summary>The next frame from the server; null when the connection is over.</summary>
    Task<ChannelFrame?> ReceiveAsync(CancellationToken cancellationToken);
}

/// <summary>The streaming protocol over a WebSocket: each binary message is one frame, its first byte the channel.</summary>
public sealed class WebSocketChannelConnection(WebSocket socket) : IChannelConnection
{
    private readonly SemaphoreSlim _sending = new(1);
    private readonly byte[] _buffer = new byte[64 * 1024];

    public bool CanCloseStdin => socket.SubProtocol == Channels.V5;

    public async Task SendAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var frame = new byte[data.Length + 1];
        frame[0] = channel;
        data.CopyTo(frame.AsMemory(1));
        await _sending.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    public Task CloseChannelAsync(byte channel, CancellationToken cancellationToken) =>
        CanCloseStdin ? SendAsync(Channels.Close, new[] { channel }, cancellationToken) : Task.CompletedTask;

    public async Task<ChannelFrame?> ReceiveAsync(CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(_buffer, cancellationToken);
            }
            catch (WebSocketException)
            {
                // The server went away without a close handshake: the session is over.
                return null;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(_buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            if (message.Length == 0)
            {
                message.SetLength(0);
                continue;
            }

            var bytes = message.ToArray();
            return new ChannelFrame(bytes[0], bytes.AsMemory(1));
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }

        socket.Dispose();
        _sending.Dispose();
    }
}
