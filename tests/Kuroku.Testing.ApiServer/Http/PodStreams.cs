using System.Globalization;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer.Model;
using Kuroku.Testing.ApiServer.Pods;
using Kuroku.Testing.ApiServer.Semantics;
using Kuroku.Testing.ApiServer.Storage;

namespace Kuroku.Testing.ApiServer.Http;

/// <summary>
/// The pod subresources that stream, as kube-apiserver (and the kubelet behind it) serves them:
/// <c>log</c> (plain text from <see cref="PodLogs"/>, followed while the container runs) and <c>attach</c>
/// (a WebSocket with the v5 or v4 channel protocol to the <see cref="ContainerStandIn"/>'s process).
/// </summary>
internal sealed class PodStreams(ApiOperations ops, ResourceRegistry registry, PodLogs logs, ContainerStandIn containers, TimeProvider time, CancellationToken stopping)
{
    /// <summary>The channel protocols attach speaks, preferred first (kube-apiserver's streaming protocols without the base64 ones).</summary>
    public static readonly IReadOnlyList<string> Protocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

    private const byte StdinChannel = 0;
    private const byte StdoutChannel = 1;
    private const byte StderrChannel = 2;
    private const byte ErrorChannel = 3;
    private const byte CloseSignal = 255;

    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(200);

    private ObjectStore Store => ops.Store;

    private ResourceType Pods => registry.Find("", "v1", "pods")!;

    // ---- log ----

    /// <summary>GET pods/NAME/log: the container's lines, with the options kube-apiserver takes.</summary>
    public async Task<int> LogAsync(HttpContext ctx, string ns, string name)
    {
        var q = ctx.Request.Query;
        var follow = Flag(q, "follow");
        var timestamps = Flag(q, "timestamps");
        var tail = Number(q, "tailLines");
        var limit = Number(q, "limitBytes");
        var sinceSeconds = Number(q, "sinceSeconds");
        DateTimeOffset? sinceTime = null;
        if (q["sinceTime"].FirstOrDefault() is { Length: > 0 } sinceText)
        {
            sinceTime = DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw ApiException.BadRequest($"sinceTime: invalid value \"{sinceText}\": not an RFC 3339 time");
        }

        var errors = new List<string>();
        if (tail < 0)
        {
            errors.Add($"tailLines: Invalid value: {tail}: must be greater than or equal to 0");
        }

        if (limit < 1)
        {
            errors.Add($"limitBytes: Invalid value: {limit}: must be greater than 0");
        }

        if (sinceSeconds < 1)
        {
            errors.Add($"sinceSeconds: Invalid value: {sinceSeconds}: must be greater than 0");
        }

        if (sinceSeconds is not null && sinceTime is not null)
        {
            errors.Add("sinceSeconds: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified");
        }

        if (errors.Count > 0)
        {
            throw new ApiException(422, "Invalid", $"PodLogOptions \"{name}\" is invalid: [{string.Join(", ", errors)}]");
        }

        var pod = Read(ns, name);
        var container = Container(pod, q["container"].FirstOrDefault(), name);
        if (string.IsNullOrEmpty(pod["spec"]?["nodeName"]?.GetValue<string>()))
        {
            // A pod no node runs has no logs yet: kube-apiserver answers an empty stream.
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "text/plain";
            return 200;
        }

        if (Flag(q, "previous"))
        {
            throw ApiException.BadRequest($"previous terminated container \"{container}\" in pod \"{name}\" not found");
        }

        var (state, reason) = State(pod, container);
        if (state is not ("running" or "terminated"))
        {
            throw ApiException.BadRequest($"container \"{container}\" in pod \"{name}\" is waiting to start: {reason ?? "ContainerCreating"}");
        }

        var uid = pod["metadata"]!["uid"]!.GetValue<string>();
        var since = sinceTime ?? (sinceSeconds is { } seconds ? time.GetUtcNow().AddSeconds(-seconds) : null);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/plain";
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, stopping);
        var body = ctx.Response.Body;
        long written = 0;
        var (lines, more) = logs.Since(uid, container, 0);
        var next = lines.Count;
        IEnumerable<PodLogLine> first = tail is { } n ? lines.Skip(Math.Max(0, lines.Count - (int)Math.Min(n, int.MaxValue))) : lines;
        try
        {
            await ctx.Response.StartAsync(cts.Token);
            if (!await WriteLinesAsync(first))
            {
                return 200;
            }

            while (follow && state == "running" && !cts.IsCancellationRequested)
            {
                await Task.WhenAny(more, Task.Delay(FollowPoll, cts.Token));
                JsonObject? now;
                lock (Store.Gate)
                {
                    now = Store.Get("/pods", ns, name)?.ToNode();
                }

                (lines, more) = logs.Since(uid, container, next);
                next += lines.Count;
                if (!await WriteLinesAsync(lines))
                {
                    break;
                }

                if (now is null || now["metadata"]?["uid"]?.GetValue<string>() != uid)
                {
                    break;
                }

                (state, _) = State(now, container);
            }

            // Lines written just before the container stopped.
            if (follow)
            {
                (lines, _) = logs.Since(uid, container, next);
                await WriteLinesAsync(lines);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }

        return 200;

        async Task<bool> WriteLinesAsync(IEnumerable<PodLogLine> batch)
        {
            var text = new StringBuilder();
            foreach (var line in batch.Where(l => since is null || l.At >= since))
            {
                if (timestamps)
                {
                    text.Append(Rfc3339Nano(line.At)).Append(' ');
                }

                text.Append(line.Text).Append('\n');
            }

            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            var room = limit is { } max ? (int)Math.Max(0, Math.Min(bytes.Length, max - written)) : bytes.Length;
            if (room > 0)
            {
                await body.WriteAsync(bytes.AsMemory(0, room), cts.Token);
                await body.FlushAsync(cts.Token);
                written += room;
            }

            return limit is null || written < limit;
        }
    }

    /// <summary>Go's RFC3339Nano, as the kubelet stamps log lines: UTC, trailing zeros of the fraction dropped.</summary>
    public static string Rfc3339Nano(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    // ---- attach ----

    /// <summary>pods/NAME/attach over WebSocket: the stand-in's process with the client's stdin, stdout and stderr.</summary>
    public async Task<int> AttachAsync(HttpContext ctx, string ns, string name)
    {
        var q = ctx.Request.Query;
        var (stdin, stdout, stderr, tty) = (Flag(q, "stdin"), Flag(q, "stdout"), Flag(q, "stderr"), Flag(q, "tty"));
        if (!stdin && !stdout && !stderr)
        {
            throw ApiException.BadRequest("you must specify at least 1 of stdin, stdout, stderr");
        }

        var pod = Read(ns, name);
        var container = Container(pod, q["container"].FirstOrDefault(), name);
        var phase = pod["status"]?["phase"]?.GetValue<string>();
        if (phase is "Succeeded" or "Failed")
        {
            throw ApiException.BadRequest($"cannot attach a container in a completed pod; current phase is {phase}");
        }

        if (string.IsNullOrEmpty(pod["spec"]?["nodeName"]?.GetValue<string>()))
        {
            throw ApiException.BadRequest($"pod {name} does not have a host assigned");
        }

        if (State(pod, container).State != "running")
        {
            throw ApiException.BadRequest($"container {container} in pod {name} is not running");
        }

        if (!ctx.WebSockets.IsWebSocketRequest)
        {
            throw ApiException.BadRequest("Upgrade request required");
        }

        var requested = ctx.WebSockets.WebSocketRequestedProtocols;
        var protocol = requested.FirstOrDefault(p => Protocols.Contains(p))
            ?? throw ApiException.BadRequest($"requested protocol(s) are not supported: [{string.Join(" ", requested)}]; supports [{string.Join(" ", Protocols)}]");
        using var socket = await ctx.WebSockets.AcceptWebSocketAsync(protocol);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, stopping);
        using var sending = new SemaphoreSlim(1);

        async Task SendAsync(byte channel, ReadOnlyMemory<byte> payload)
        {
            var frame = new byte[payload.Length + 1];
            frame[0] = channel;
            payload.CopyTo(frame.AsMemory(1));
            await sending.WaitAsync(cts.Token);
            try
            {
                await socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, cts.Token);
            }
            finally
            {
                sending.Release();
            }
        }

        // As kube's wsstream: an empty frame on the lowest channel the server writes tells the client it is connected.
        await SendAsync(stdout ? StdoutChannel : stderr ? StderrChannel : ErrorChannel, ReadOnlyMemory<byte>.Empty);
        var process = containers.Process;
        if (process is null)
        {
            await SendStatusAsync(Failure(500, "InternalError",
                "error attaching to container: the in-process API server has no container stand-in (register one with KubeApiServer.Containers.OnAttach)"));
            await CloseAsync();
            return 101;
        }

        var input = new Pipe();
        if (!stdin)
        {
            await input.Writer.CompleteAsync();
        }

        var receiving = ReceiveAsync(socket, input.Writer, stdin, protocol == Protocols[0], cts.Token);
        var spec = Spec(pod, container);
        var command = (spec?["command"] as JsonArray ?? []).Concat(spec?["args"] as JsonArray ?? []).Select(c => c!.GetValue<string>()).ToList();
        var outLog = new LineBuffer(line => logs.Append(ns, name, container, line));
        var errLog = tty ? outLog : new LineBuffer(line => logs.Append(ns, name, container, line));
        var outWriter = new ForwardingWriter(async text =>
        {
            outLog.Add(text);
            if (stdout)
            {
                await SendAsync(StdoutChannel, Encoding.UTF8.GetBytes(text));
            }
        });
        var errWriter = new ForwardingWriter(async text =>
        {
            errLog.Add(text);
            if (tty ? stdout : stderr)
            {
                await SendAsync(tty ? StdoutChannel : StderrChannel, Encoding.UTF8.GetBytes(text));
            }
        });
        using var reader = new StreamReader(input.Reader.AsStream(), Encoding.UTF8);
        var attached = new AttachedContainer(pod, container, command, tty, reader, outWriter, errWriter);
        int exitCode;
        try
        {
            exitCode = await process(attached, cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            // The client went away: the process is left as it is.
            return 101;
        }
        catch (Exception e)
        {
            await SendStatusAsync(Failure(500, "InternalError", $"error attaching to container: {e.Message}"));
            await CloseAsync();
            return 101;
        }
        finally
        {
            outLog.Flush();
            errLog.Flush();
        }

        Exited(ns, name, container, exitCode);
        await SendStatusAsync(new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" });
        await CloseAsync();
        try
        {
            await receiving.WaitAsync(TimeSpan.FromSeconds(5), cts.Token);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or WebSocketException)
        {
        }

        return 101;

        Task SendStatusAsync(JsonObject status) => SendAsync(ErrorChannel, Encoding.UTF8.GetBytes(status.ToJsonString()));

        async Task CloseAsync()
        {
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }
    }

    /// <summary>Reads the client's frames: stdin into the pipe until EOF (v5 close of channel 0, or the socket closing); resize frames are ignored.</summary>
    private static async Task ReceiveAsync(WebSocket socket, PipeWriter stdin, bool wantStdin, bool v5, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var frame = message.ToArray();
                message.SetLength(0);
                if (frame.Length == 0)
                {
                    continue;
                }

                if (v5 && frame[0] == CloseSignal && frame.Length > 1 && frame[1] == StdinChannel)
                {
                    await stdin.CompleteAsync();
                }
                else if (frame[0] == StdinChannel && wantStdin && frame.Length > 1)
                {
                    await stdin.WriteAsync(frame.AsMemory(1), cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidOperationException)
        {
        }
        finally
        {
            await stdin.CompleteAsync();
        }
    }

    /// <summary>What the kubelet writes when a container's process exits: the container terminated, and the pod's phase when it will not restart.</summary>
    private void Exited(string ns, string name, string container, int exitCode)
    {
        lock (Store.Gate)
        {
            var current = Store.Get("/pods", ns, name);
            if (current is null)
            {
                return;
            }

            var pod = current.ToNode();
            var status = pod["status"] as JsonObject ?? [];
            pod["status"] = status;
            var statuses = status["containerStatuses"] as JsonArray ?? [];
            status["containerStatuses"] = statuses;
            var entry = statuses.OfType<JsonObject>().FirstOrDefault(s => s["name"]?.GetValue<string>() == container);
            if (entry is null)
            {
                entry = new JsonObject { ["name"] = container, ["image"] = Spec(pod, container)?["image"]?.DeepClone() ?? "", ["imageID"] = "", ["restartCount"] = 0 };
                statuses.Add(entry);
            }

            var startedAt = entry["state"]?["running"]?["startedAt"]?.DeepClone() ?? ops.Now();
            entry["state"] = new JsonObject
            {
                ["terminated"] = new JsonObject
                {
                    ["exitCode"] = exitCode,
                    ["reason"] = exitCode == 0 ? "Completed" : "Error",
                    ["startedAt"] = startedAt,
                    ["finishedAt"] = ops.Now(),
                },
            };
            entry["ready"] = false;
            entry["started"] = false;
            var restart = pod["spec"]?["restartPolicy"]?.GetValue<string>() ?? "Always";
            var all = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(c => statuses.OfType<JsonObject>().FirstOrDefault(s => s["name"]?.GetValue<string>() == c["name"]?.GetValue<string>())?["state"]?["terminated"])
                .ToList();
            var codes = all.Select(t => t?["exitCode"]?.GetValue<int>()).ToList();
            if (restart != "Always" && codes.All(c => c is not null) && !(restart == "OnFailure" && codes.Any(c => c != 0)))
            {
                status["phase"] = codes.All(c => c == 0) ? "Succeeded" : "Failed";
            }

            ops.Replace(Pods, current, pod, statusOnly: true, dryRun: false);
        }
    }

    // ---- shared ----

    private JsonObject Read(string ns, string name)
    {
        lock (Store.Gate)
        {
            return (Store.Get("/pods", ns, name) ?? throw ApiException.NotFound(Pods, name)).ToNode();
        }
    }

    /// <summary>The container a request names, or the pod's only one (kube-apiserver's validateContainer).</summary>
    private static string Container(JsonObject pod, string? asked, string podName)
    {
        var names = new[] { "initContainers", "containers", "ephemeralContainers" }
            .SelectMany(list => pod["spec"]?[list] as JsonArray ?? [])
            .Select(c => c?["name"]?.GetValue<string>())
            .OfType<string>()
            .ToList();
        if (!string.IsNullOrEmpty(asked))
        {
            return names.Contains(asked) ? asked : throw ApiException.BadRequest($"container {asked} is not valid for pod {podName}");
        }

        var main = (pod["spec"]?["containers"] as JsonArray ?? []).Select(c => c?["name"]?.GetValue<string>()).OfType<string>().ToList();
        return main.Count switch
        {
            1 => main[0],
            0 => throw ApiException.BadRequest($"a container name must be specified for pod {podName}"),
            _ => throw ApiException.BadRequest($"a container name must be specified for pod {podName}, choose one of: [{string.Join(" ", names)}]"),
        };
    }

    private static JsonObject? Spec(JsonObject pod, string container) =>
        new[] { "containers", "initContainers", "ephemeralContainers" }
            .SelectMany(list => pod["spec"]?[list] as JsonArray ?? [])
            .OfType<JsonObject>()
            .FirstOrDefault(c => c["name"]?.GetValue<string>() == container);

    /// <summary>"running", "terminated", "waiting" (with its reason) or null (no status yet) for the container.</summary>
    private static (string? State, string? Reason) State(JsonObject pod, string container)
    {
        var entry = new[] { "containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses" }
            .SelectMany(list => pod["status"]?[list] as JsonArray ?? [])
            .OfType<JsonObject>()
            .FirstOrDefault(s => s["name"]?.GetValue<string>() == container);
        var state = entry?["state"] as JsonObject;
        if (state?["running"] is not null)
        {
            return ("running", null);
        }

        if (state?["terminated"] is not null)
        {
            return ("terminated", null);
        }

        return state?["waiting"] is JsonObject waiting ? ("waiting", waiting["reason"]?.GetValue<string>()) : (null, null);
    }

    private static bool Flag(IQueryCollection q, string name) => q[name].FirstOrDefault() is "1" or "true" or "True";

    private static long? Number(IQueryCollection q, string name)
    {
        var text = q[name].FirstOrDefault();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApiException.BadRequest($"{name}: invalid value \"{text}\": not a number");
    }

    private static JsonObject Failure(int code, string reason, string message) =>
        new() { ["metadata"] = new JsonObject(), ["status"] = "Failure", ["message"] = message, ["reason"] = reason, ["code"] = code };

    /// <summary>Collects written text into whole lines for the log; the rest goes out on <see cref="Flush"/>.</summary>
    private sealed class LineBuffer(Action<string> line)
    {
        private readonly StringBuilder _pending = new();

        public void Add(string text)
        {
            lock (_pending)
            {
                _pending.Append(text);
                var all = _pending.ToString();
                var end = all.LastIndexOf('\n');
                if (end < 0)
                {
                    return;
                }

                line(all[..end]);
                _pending.Clear().Append(all[(end + 1)..]);
            }
        }

        public void Flush()
        {
            lock (_pending)
            {
                if (_pending.Length > 0)
                {
                    line(_pending.ToString());
                    _pending.Clear();
                }
            }
        }
    }
}
