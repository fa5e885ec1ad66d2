using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kuroku.Kubectl.Kube;

namespace Kuroku.Kubectl.Runs;

/// <summary>What the server's status channel said at the end of an attach: an exit code, a failure, or plain success.</summary>
/// <param name="ExitCode">The process's exit code when the status carries one (NonZeroExitCode, as exec reports it), 0 for Success.</param>
/// <param name="Failure">Why the session failed, when it did for another reason than the process's exit code.</param>
/// <param name="Success">The status said Success (an attach's: the kubelet says so whatever the exit code; the pod tells the code).</param>
public sealed record RemoteStatus(int? ExitCode, string? Failure, bool Success)
{
    /// <summary>The status channel's JSON (metav1.Status), read as kubectl reads it.</summary>
    public static RemoteStatus Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new RemoteStatus(null, null, false);
        }

        JsonNode? status;
        try
        {
            status = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return new RemoteStatus(null, $"the server's status is not JSON: {json}", false);
        }

        if (status?["status"]?.GetValue<string>() == "Success")
        {
            return new RemoteStatus(0, null, true);
        }

        if (status?["reason"]?.GetValue<string>() == "NonZeroExitCode"
            && (status["details"]?["causes"] as JsonArray ?? []).FirstOrDefault(c => c?["reason"]?.GetValue<string>() == "ExitCode") is { } cause
            && int.TryParse(cause["message"]?.GetValue<string>(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code))
        {
            return new RemoteStatus(code, null, false);
        }

        return new RemoteStatus(null, status?["message"]?.GetValue<string>() ?? json, false);
    }
}

/// <summary>
/// The local end of an attach session: the terminal's stdin out on channel 0 (and its end, with v5), channels 1
/// and 2 into stdout and stderr, the terminal's size on channel 4 while it has a TTY, and the status channel (3)
/// collected for the end.
/// </summary>
public static class AttachedSession
{
    /// <summary>Runs the session until the server ends it; returns what its status channel said.</summary>
    public static async Task<RemoteStatus> RunAsync(IChannelConnection connection, Terminal terminal, TextWriter stdout, TextWriter stderr, bool tty, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void Resize()
        {
            if (terminal.Size is { } size)
            {
                var json = new JsonObject { ["Width"] = size.Width, ["Height"] = size.Height }.ToJsonString();
                _ = connection.SendAsync(Channels.Resize, Encoding.UTF8.GetBytes(json), session.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        if (tty)
        {
            Resize();
            terminal.Resized += Resize;
        }

        // stdin is read in the background: a terminal's read cannot be cancelled, and the session ends when the
        // server says so, not when stdin does.
        var input = PumpStdinAsync(connection, terminal.Stdin, session.Token);
        var outText = Encoding.UTF8.GetDecoder();
        var errText = Encoding.UTF8.GetDecoder();
        var status = new StringBuilder();
        try
        {
            while (await connection.ReceiveAsync(cancellationToken) is { } frame)
            {
                switch (frame.Channel)
                {
                    case Channels.Stdout:
                        await WriteAsync(stdout, outText, frame.Data);
                        break;
                    case Channels.Stderr:
                        await WriteAsync(stderr, errText, frame.Data);
                        break;
                    case Channels.Error:
                        status.Append(Encoding.UTF8.GetString(frame.Data.Span));
                        break;
                }
            }
        }
        finally
        {
            if (tty)
            {
                terminal.Resized -= Resize;
            }

            await session.CancelAsync();
            await stdout.FlushAsync(CancellationToken.None);
            await stderr.FlushAsync(CancellationToken.None);
        }

        if (input.IsFaulted)
        {
            // The process may have ended before reading all of stdin: the send failed, nothing more to say.
            _ = input.Exception;
        }

        return RemoteStatus.Parse(status.ToString());
    }

    private static async Task PumpStdinAsync(IChannelConnection connection, Stream stdin, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var read = await stdin.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    await connection.CloseChannelAsync(Channels.Stdin, cancellationToken);
                    return;
                }

                await connection.SendAsync(Channels.Stdin, buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or System.Net.WebSockets.WebSocketException)
        {
        }
    }

    private static async Task WriteAsync(TextWriter writer, Decoder decoder, ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        var chars = new char[decoder.GetCharCount(data.Span, flush: false)];
        var count = decoder.GetChars(data.Span, chars, flush: false);
        await writer.WriteAsync(chars.AsMemory(0, count));
        await writer.FlushAsync();
    }
}
