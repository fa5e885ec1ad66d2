using System.Text;
using System.Text.Json.Nodes;

namespace Kuroku.Testing.ApiServer.Pods;

/// <summary>
/// What an attached container's process does, scripted by a test: read <see cref="AttachedContainer.Stdin"/>,
/// write to <see cref="AttachedContainer.Stdout"/> and <see cref="AttachedContainer.Stderr"/>, return the exit code.
/// </summary>
public delegate Task<int> ContainerProcess(AttachedContainer container, CancellationToken cancellationToken);

/// <summary>
/// The stand-in for a container's process behind <c>pods/NAME/attach</c>. No container runs in this server:
/// when a client attaches (over WebSocket, the v4/v5 channel protocol kubectl and KubernetesClient speak),
/// the server runs the <see cref="ContainerProcess"/> a test registered with <see cref="OnAttach"/>, given the
/// pod and its container's command. What it writes goes to the client (stdout and stderr, one stream with a
/// TTY) and to <see cref="PodLogs"/>; when it returns, the container has exited, as a kubelet would tell it:
/// the pod's status shows the container terminated with that exit code (phase Succeeded or Failed when the
/// pod does not restart), and the error channel says Success, as the kubelet's attach does whatever the
/// exit code (clients read the exit code from the pod, as kubectl run does).
/// </summary>
public sealed class ContainerStandIn
{
    private volatile ContainerProcess? _process;

    internal ContainerStandIn()
    {
    }

    /// <summary>What attached containers do from now on (null: nothing is registered, attach fails with a Status saying so).</summary>
    public void OnAttach(ContainerProcess? process) => _process = process;

    internal ContainerProcess? Process => _process;
}

/// <summary>A container a client attached to, as its stand-in process sees it.</summary>
public sealed class AttachedContainer
{
    internal AttachedContainer(JsonObject pod, string container, IReadOnlyList<string> command, bool tty, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        Pod = pod;
        Container = container;
        Command = command;
        Tty = tty;
        Stdin = stdin;
        Stdout = stdout;
        Stderr = stderr;
    }

    /// <summary>The pod as stored when the client attached.</summary>
    public JsonObject Pod { get; }

    public string Namespace => Pod["metadata"]?["namespace"]?.GetValue<string>() ?? "";

    public string PodName => Pod["metadata"]?["name"]?.GetValue<string>() ?? "";

    /// <summary>The container's name.</summary>
    public string Container { get; }

    /// <summary>The container's command followed by its args, as the pod spec has them (empty: the image's).</summary>
    public IReadOnlyList<string> Command { get; }

    /// <summary>Whether the client asked for a terminal (then stderr is written to stdout, as with a real TTY).</summary>
    public bool Tty { get; }

    /// <summary>What the client sends on stdin, UTF-8; ends when it closes stdin (v5) or the connection, or did not ask for stdin.</summary>
    public TextReader Stdin { get; }

    /// <summary>To the client's stdout (and the pod's log).</summary>
    public TextWriter Stdout { get; }

    /// <summary>To the client's stderr (stdout with a TTY), and the pod's log.</summary>
    public TextWriter Stderr { get; }
}

/// <summary>A writer that hands each write to a sink at once (a WebSocket frame and a log line), UTF-8.</summary>
internal sealed class ForwardingWriter(Func<string, Task> sink) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            sink(value).GetAwaiter().GetResult();
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override Task WriteAsync(char value) => WriteAsync(value.ToString());

    public override Task WriteAsync(char[] buffer, int index, int count) => WriteAsync(new string(buffer, index, count));

    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
        WriteAsync(buffer.ToString());

    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
        WriteAsync(buffer.ToString() + "\n");

    public override Task WriteAsync(string? value) => string.IsNullOrEmpty(value) ? Task.CompletedTask : sink(value);

    public override Task WriteLineAsync(string? value) => WriteAsync((value ?? "") + "\n");

    public override void WriteLine(string? value) => Write((value ?? "") + "\n");

    public override Task FlushAsync() => Task.CompletedTask;
}
