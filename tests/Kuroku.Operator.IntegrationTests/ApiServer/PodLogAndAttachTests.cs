using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Kuroku.Operator.IntegrationTests.Tools;
using Kuroku.Testing.ApiServer.Pods;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kuroku.Operator.IntegrationTests.ApiServer;

/// <summary>
/// The pod subresources that stream: <c>log</c> from the log store with kube-apiserver's options, and
/// <c>attach</c> over WebSocket (v5 and v4 channel protocols) to a scripted stand-in for the container,
/// with KubernetesClient, a raw WebSocket and the real kubectl.
/// </summary>
public sealed class PodLogAndAttachTests : ApiServerTest
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A pod as a scheduler and a kubelet leave it: bound to a node, its containers running.</summary>
    private async Task<V1Pod> RunningPodAsync(string name, bool stdin = false, params string[] containers)
    {
        containers = containers.Length == 0 ? ["app"] : containers;
        var pod = await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec
            {
                RestartPolicy = "Never",
                Containers = [.. containers.Select(c => new V1Container { Name = c, Image = "busybox:1", Command = ["sh", "-c", "echo " + c], Stdin = stdin, StdinOnce = stdin })],
            },
        }, "default");
        pod.Spec.NodeName = "node-1";
        pod = await Client.CoreV1.ReplaceNamespacedPodAsync(pod, name, "default");
        pod.Status = new V1PodStatus
        {
            Phase = "Running",
            ContainerStatuses = [.. containers.Select(c => new V1ContainerStatus
            {
                Name = c, Image = "busybox:1", ImageID = "", Ready = true, RestartCount = 0,
                State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = T0.UtcDateTime } },
            })],
        };
        return await Client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, name, "default");
    }

    private async Task<string> LogAsync(string pod, string? container = null, bool? timestamps = null, int? tailLines = null, bool follow = false, int? sinceSeconds = null)
    {
        using var stream = await Client.CoreV1.ReadNamespacedPodLogAsync(pod, "default", container: container, timestamps: timestamps, tailLines: tailLines, follow: follow, sinceSeconds: sinceSeconds);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task Log_serves_the_lines_appended_with_tail_and_timestamps_as_the_kubelet_stamps_them()
    {
        await RunningPodAsync("p");
        Server.PodLogs.Append("default", "p", "app", "one", T0);
        Server.PodLogs.Append("default", "p", "app", "two\nthree\n", T0.AddMilliseconds(1500));

        (await LogAsync("p")).Should().Be("one\ntwo\nthree\n");
        (await LogAsync("p", tailLines: 2)).Should().Be("two\nthree\n");
        (await LogAsync("p", tailLines: 0)).Should().BeEmpty();
        (await LogAsync("p", timestamps: true, tailLines: 2)).Should().Be("2026-05-01T12:00:01.5Z two\n2026-05-01T12:00:01.5Z three\n");
        (await LogAsync("p", timestamps: true, tailLines: 3)).Should().StartWith("2026-05-01T12:00:00Z one\n");
        Server.PodLogs.Read("default", "p", "app").Select(l => l.Text).Should().Equal("one", "two", "three");
    }

    [Fact]
    public async Task SinceTime_keeps_the_lines_written_at_or_after_it()
    {
        await RunningPodAsync("p");
        Server.PodLogs.Append("default", "p", "app", "old", T0);
        Server.PodLogs.Append("default", "p", "app", "new", T0.AddSeconds(10));

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", Kuroku.Testing.ApiServer.KubeApiServer.Token);
        var since = await http.GetStringAsync(new Uri(Server.BaseUri, "api/v1/namespaces/default/pods/p/log?sinceTime=2026-05-01T12:00:10Z"));

        since.Should().Be("new\n");
    }

    [Fact]
    public async Task Log_refuses_what_kube_apiserver_refuses()
    {
        await RunningPodAsync("two", false, "web", "router");
        await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "unscheduled" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "busybox:1" }] },
        }, "default");

        (await Refused(() => LogAsync("missing"))).Should().Be((404, "pods \"missing\" not found"));
        (await Refused(() => LogAsync("two"))).Should().Be((400, "a container name must be specified for pod two, choose one of: [web router]"));
        (await Refused(() => LogAsync("two", container: "nope"))).Should().Be((400, "container nope is not valid for pod two"));
        (await Refused(() => LogAsync("two", container: "web", tailLines: -1))).Code.Should().Be(422);
        (await LogAsync("unscheduled")).Should().BeEmpty("a pod without a node has no logs yet");

        var pod = await Client.CoreV1.ReadNamespacedPodAsync("unscheduled", "default");
        pod.Spec.NodeName = "node-1";
        await Client.CoreV1.ReplaceNamespacedPodAsync(pod, "unscheduled", "default");
        (await Refused(() => LogAsync("unscheduled"))).Should().Be((400, "container \"app\" in pod \"unscheduled\" is waiting to start: ContainerCreating"));
    }

    [Fact]
    public async Task Follow_streams_new_lines_until_the_container_terminates()
    {
        await RunningPodAsync("p");
        Server.PodLogs.Append("default", "p", "app", "first", T0);
        using var stream = await Client.CoreV1.ReadNamespacedPodLogAsync("p", "default", follow: true);
        using var reader = new StreamReader(stream);

        (await reader.ReadLineAsync()).Should().Be("first");
        Server.PodLogs.Append("default", "p", "app", "second");
        (await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5))).Should().Be("second");

        var pod = await Client.CoreV1.ReadNamespacedPodAsync("p", "default");
        Server.PodLogs.Append("default", "p", "app", "last words");
        pod.Status.ContainerStatuses[0].State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 0, Reason = "Completed", StartedAt = T0.UtcDateTime, FinishedAt = T0.UtcDateTime } };
        pod.Status.Phase = "Succeeded";
        await Client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, "p", "default");

        (await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(5))).Should().Be("last words\n", "the stream ends with the container");
    }

    [Fact]
    public async Task A_pod_created_again_under_the_same_name_starts_with_an_empty_log()
    {
        await RunningPodAsync("p");
        Server.PodLogs.Append("default", "p", "app", "from the first pod");
        await Client.CoreV1.DeleteNamespacedPodAsync("p", "default");
        await RunningPodAsync("p");

        (await LogAsync("p")).Should().BeEmpty();
        var append = () => Server.PodLogs.Append("default", "gone", "app", "x");
        append.Should().Throw<InvalidOperationException>().WithMessage("*no pod default/gone*");
    }

    [Fact]
    public async Task Attach_runs_the_stand_in_with_stdin_and_records_its_exit_in_the_pod_status()
    {
        await RunningPodAsync("p", stdin: true);
        AttachedContainer? seen = null;
        Server.Containers.OnAttach(async (container, ct) =>
        {
            seen = container;
            var input = await container.Stdin.ReadToEndAsync(ct);
            await container.Stdout.WriteAsync("got " + input.Trim() + "\n");
            await container.Stderr.WriteAsync("warning\n");
            return 3;
        });

        using var socket = await Client.WebSocketNamespacedPodAttachAsync("p", "default", "app", stderr: true, stdin: true, stdout: true, tty: false,
            webSocketSubProtocol: "v5.channel.k8s.io");
        socket.SubProtocol.Should().Be("v5.channel.k8s.io");
        await SendAsync(socket, 0, "hello\n");
        await socket.SendAsync(new byte[] { 255, 0 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        var frames = await ReceiveAllAsync(socket);

        seen!.Command.Should().Equal("sh", "-c", "echo app");
        Text(frames, 1).Should().Be("got hello\n");
        Text(frames, 2).Should().Be("warning\n");
        JsonNode.Parse(Text(frames, 3))!["status"]!.GetValue<string>().Should().Be("Success", "the kubelet's attach reports Success; the exit code is in the pod");
        var pod = await Client.CoreV1.ReadNamespacedPodAsync("p", "default");
        pod.Status.Phase.Should().Be("Failed");
        pod.Status.ContainerStatuses[0].State.Terminated.ExitCode.Should().Be(3);
        Server.PodLogs.Read("default", "p", "app").Select(l => l.Text).Should().Equal("got hello", "warning");
    }

    [Fact]
    public async Task Attach_refuses_a_completed_pod_one_without_a_node_and_a_plain_request()
    {
        await RunningPodAsync("p");
        Server.Containers.OnAttach((_, _) => Task.FromResult(0));
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", Kuroku.Testing.ApiServer.KubeApiServer.Token);

        var plain = await http.GetAsync(new Uri(Server.BaseUri, "api/v1/namespaces/default/pods/p/attach?stdout=1"));
        plain.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
        (await plain.Content.ReadAsStringAsync()).Should().Contain("Upgrade request required");

        var none = await http.GetAsync(new Uri(Server.BaseUri, "api/v1/namespaces/default/pods/p/attach"));
        (await none.Content.ReadAsStringAsync()).Should().Contain("you must specify at least 1 of stdin, stdout, stderr");

        using (var socket = await Client.WebSocketNamespacedPodAttachAsync("p", "default", "app", stdin: false, webSocketSubProtocol: "v4.channel.k8s.io"))
        {
            socket.SubProtocol.Should().Be("v4.channel.k8s.io");
            await ReceiveAllAsync(socket);
        }

        var completed = await http.GetAsync(new Uri(Server.BaseUri, "api/v1/namespaces/default/pods/p/attach?stdout=1"));
        (await completed.Content.ReadAsStringAsync()).Should().Contain("cannot attach a container in a completed pod; current phase is Succeeded");
    }

    [Fact]
    public async Task The_real_kubectl_reads_logs_and_attaches()
    {
        await RunningPodAsync("p", stdin: true);
        Server.PodLogs.Append("default", "p", "app", "logged line", T0);
        Server.Containers.OnAttach(async (container, ct) =>
        {
            var input = await container.Stdin.ReadToEndAsync(ct);
            await container.Stdout.WriteAsync("echo: " + input);
            return 0;
        });
        using var kubectl = Kubectl.For(Server);

        (await kubectl.RunAsync("logs", "p", "-n", "default")).EnsureSuccess().StdOut.Should().Be("logged line\n");
        (await kubectl.RunAsync("logs", "p", "-n", "default", "--timestamps")).EnsureSuccess().StdOut.Should().Be("2026-05-01T12:00:00Z logged line\n");

        var attached = await kubectl.RunAsync(["attach", "p", "-n", "default", "-i", "-c", "app"], "from kubectl\n", CancellationToken.None);

        attached.EnsureSuccess().StdOut.Should().Contain("echo: from kubectl");
        (await Client.CoreV1.ReadNamespacedPodAsync("p", "default")).Status.Phase.Should().Be("Succeeded");
    }

    private static async Task<(int Code, string Message)> Refused(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (HttpOperationException e)
        {
            var status = JsonNode.Parse(e.Response.Content)!;
            return ((int)e.Response.StatusCode, status["message"]!.GetValue<string>());
        }

        throw new InvalidOperationException("the request succeeded");
    }

    private static Task SendAsync(WebSocket socket, byte channel, string text) =>
        socket.SendAsync((byte[])[channel, .. Encoding.UTF8.GetBytes(text)], WebSocketMessageType.Binary, true, CancellationToken.None);

    private static async Task<List<byte[]>> ReceiveAllAsync(WebSocket socket)
    {
        var frames = new List<byte[]>();
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return frames;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                frames.Add(message.ToArray());
                message.SetLength(0);
            }
        }
    }

    private static string Text(IEnumerable<byte[]> frames, byte channel) =>
        string.Concat(frames.Where(f => f.Length > 0 && f[0] == channel).Select(f => Encoding.UTF8.GetString(f, 1, f.Length - 1)));
}
