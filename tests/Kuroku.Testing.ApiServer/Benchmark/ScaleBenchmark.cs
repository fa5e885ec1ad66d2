using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Kuroku.Testing.ApiServer.Benchmark;

/// <summary>
/// How the server holds a fleet (issue 8): N WebApps with their children (~7 objects per app) created
/// through HTTP by a few concurrent clients while informer-like watches run, then LISTs of the WebApps
/// paged by 500. Prints objects/s, the server's managed memory and the LIST times.
/// <c>dotnet run -c Release --project tests/Kuroku.Testing.ApiServer -- bench [--webapps 10000] [--clients 4] [--namespaces 100] [--page 500] [--server URL]</c>
/// (--server: drive another server, e.g. an older build, instead of one started in this process; its memory is then not shown).
/// </summary>
public static class ScaleBenchmark
{
    private const string UserAgent = "kuroku-benchmark/1.0";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var webapps = Option(args, "--webapps", 10_000);
        var clients = Option(args, "--clients", 4);
        var namespaces = Option(args, "--namespaces", 100);
        var page = Option(args, "--page", 500);

        var external = args.ToList().IndexOf("--server") is var at and >= 0 && at + 1 < args.Count ? new Uri(args[at + 1].TrimEnd('/') + "/") : null;
        await using var server = external is null ? await KubeApiServer.StartAsync(new KubeApiServerOptions(), cancellationToken) : null;
        var baseUri = server?.BaseUri ?? external!;
        using var http = new HttpClient { BaseAddress = baseUri };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        await PostAsync(http, "apis/apiextensions.k8s.io/v1/customresourcedefinitions", Crd, cancellationToken);
        for (var n = 0; n < namespaces; n++)
        {
            await PostAsync(http, "api/v1/namespaces", Fill("""{"metadata":{"name":"fleet-@0@"}}""", n), cancellationToken);
        }

        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        // Informers: one watch per child kind, reading and counting events as the operator's would.
        using var watchCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watched = new long[1];
        var watches = new[] { "apis/kuroku.dev/v1alpha1/webapps", "apis/apps/v1/deployments", "api/v1/services", "api/v1/configmaps" }
            .Select(path => WatchAsync(baseUri, $"{path}?watch=1&allowWatchBookmarks=true", watched, watchCancel.Token))
            .ToList();
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);

        var created = new long[1];
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = baseUri };
            client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
            for (var i = c; i < webapps; i += clients)
            {
                foreach (var (path, body) in App(i, namespaces))
                {
                    await PostAsync(client, path, body, cancellationToken);
                    Interlocked.Increment(ref created[0]);
                }
            }
        }, cancellationToken)));
        clock.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        var expectedEvents = created[0] - webapps * 2L; // the watches see everything but ControllerRevisions and Events
        var drain = Stopwatch.StartNew();
        while (Interlocked.Read(ref watched[0]) < expectedEvents && drain.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50, cancellationToken);
        }

        await watchCancel.CancelAsync();
        GC.Collect();
        var memory = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        var writes = server?.Requests.WritesBy(UserAgent) ?? 0;
        output.WriteLine(Invariant($"created {created[0]:N0} objects ({webapps:N0} WebApps x 7) with {clients} clients in {clock.Elapsed.TotalSeconds:F1} s: {created[0] / clock.Elapsed.TotalSeconds:N0} objects/s"));
        output.WriteLine(Invariant($"CPU used by this process (server, clients and watch readers) meanwhile: {cpu.TotalSeconds:F1} s, {cpu.TotalMicroseconds / Math.Max(1, created[0]):N0} us per object: {created[0] / Math.Max(0.001, cpu.TotalSeconds):N0} objects per CPU-second"));
        output.WriteLine(Invariant($"watch events delivered to 4 watches: {Interlocked.Read(ref watched[0]):N0} of {expectedEvents:N0} ({drain.Elapsed.TotalSeconds:F1} s after the last create)"));
        if (server is not null)
        {
            output.WriteLine(Invariant($"server memory for them: {memory / 1024.0 / 1024.0:N0} MiB managed ({memory / Math.Max(1, created[0]):N0} B/object), working set {Environment.WorkingSet / 1024.0 / 1024.0:N0} MiB; request log: {writes:N0} writes by {UserAgent}"));
        }

        foreach (var (label, query, accept) in new[]
        {
            ("all WebApps", "", "application/json"),
            ("all WebApps, metadata only", "", "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"),
            ("WebApps with labelSelector app.kubernetes.io/managed-by=kuroku-bench", "&labelSelector=app.kubernetes.io%2Fmanaged-by%3Dkuroku-bench", "application/json"),
        })
        {
            var cold = await ListAsync(http, $"apis/kuroku.dev/v1alpha1/webapps?limit={page}{query}", accept, cancellationToken);
            var (items, pages, elapsed, bytes) = await ListAsync(http, $"apis/kuroku.dev/v1alpha1/webapps?limit={page}{query}", accept, cancellationToken);
            output.WriteLine(Invariant($"LIST {label}, pages of {page}: {items:N0} items in {pages} pages, {elapsed.TotalMilliseconds:N0} ms (first time {cold.Elapsed.TotalMilliseconds:N0} ms), {bytes / 1024.0 / 1024.0:N1} MiB"));
        }

        var one = await ListAsync(http, $"apis/kuroku.dev/v1alpha1/namespaces/fleet-7/webapps?limit={page}", "application/json", cancellationToken);
        var deployments = await ListAsync(http, $"apis/apps/v1/namespaces/fleet-7/deployments?labelSelector=kuroku.dev%2Fprocess%3Dweb", "application/json", cancellationToken);
        output.WriteLine(Invariant($"LIST one namespace's WebApps: {one.Items:N0} items, {one.Elapsed.TotalMilliseconds:N1} ms; its web Deployments by label: {deployments.Items:N0} items, {deployments.Elapsed.TotalMilliseconds:N1} ms"));
        foreach (var w in watches)
        {
            await w;
        }

        return 0;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A JSON template with @0@, @1@... holes (JSON's braces make interpolated raw strings unwieldy).</summary>
    private static string Fill(string template, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            template = template.Replace($"@{i}@", Convert.ToString(values[i], CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return template;
    }

    private static int Option(IReadOnlyList<string> args, string name, int fallback)
    {
        var at = args.ToList().IndexOf(name);
        return at >= 0 && at + 1 < args.Count && int.TryParse(args[at + 1], CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
    }

    private static async Task PostAsync(HttpClient client, string path, string body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    private static async Task WatchAsync(Uri server, string path, long[] count, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (!line.StartsWith("{\"type\":\"BOOKMARK\"", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref count[0]);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<(long Items, int Pages, TimeSpan Elapsed, long Bytes)> ListAsync(HttpClient client, string path, string accept, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long items = 0, bytes = 0;
        var pages = 0;
        string? next = null;
        do
        {
            var url = next is null ? path : $"{path}&continue={Uri.EscapeDataString(next)}";
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
            using var response = await client.SendAsync(request, cancellationToken);
            var data = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            using var list = JsonDocument.Parse(data);
            items += list.RootElement.GetProperty("items").GetArrayLength();
            bytes += data.Length;
            pages++;
            next = list.RootElement.GetProperty("metadata").TryGetProperty("continue", out var token) ? token.GetString() : null;
        }
        while (next is not null);
        return (items, pages, clock.Elapsed, bytes);
    }

    /// <summary>One WebApp and what the operator makes of it: two Deployments, a Service, the router ConfigMap, a release, an Event.</summary>
    private static IEnumerable<(string Path, string Body)> App(int i, int namespaces)
    {
        var ns = $"fleet-{i % namespaces}";
        var name = $"app-{i}";
        var labels = Fill("""{"app.kubernetes.io/name":"@0@","app.kubernetes.io/managed-by":"kuroku-bench","kuroku.dev/webapp":"@1@"}""", name, name);
        yield return ($"apis/kuroku.dev/v1alpha1/namespaces/{ns}/webapps", Fill("""
            {"apiVersion":"kuroku.dev/v1alpha1","kind":"WebApp","metadata":{"name":"@0@","labels":@1@},
             "spec":{"image":"ghcr.io/acme/@2@:1.0.@3@","processes":{"web":{"command":["gunicorn","app.wsgi"],"replicas":2},"worker":{"command":["celery","worker"]}},
                     "env":[{"name":"GREETING","value":"hello"}]}}
            """, name, labels, name, i));
        foreach (var process in new[] { "web", "worker" })
        {
            yield return ($"apis/apps/v1/namespaces/{ns}/deployments", Fill("""
                {"metadata":{"name":"@0@-@1@","labels":@2@,"kuroku.dev/process":"@3@"}},
                 "spec":{"selector":{"matchLabels":{"kuroku.dev/webapp":"@4@","kuroku.dev/process":"@5@"}},
                         "template":{"metadata":{"labels":{"kuroku.dev/webapp":"@6@","kuroku.dev/process":"@7@"},"annotations":{"kuroku.dev/release-hash":"0123456789abcdef"}},
                                     "spec":{"containers":[{"name":"@8@","image":"ghcr.io/acme/@9@:1.0.@10@","env":[{"name":"PORT","value":"8080"}],
                                             "ports":[{"name":"http","containerPort":8080}],"resources":{"requests":{"cpu":"100m","memory":"256Mi"}}}]}}}}
                """, name, process, labels[..^1], process, name, process, name, process, process, name, i));
        }

        yield return ($"api/v1/namespaces/{ns}/services", Fill("""
            {"metadata":{"name":"@0@","labels":@1@},"spec":{"selector":{"kuroku.dev/webapp":"@2@","kuroku.dev/process":"web"},"ports":[{"name":"http","port":80,"targetPort":"http"}]}}
            """, name, labels, name));
        yield return ($"api/v1/namespaces/{ns}/configmaps", Fill("""
            {"metadata":{"name":"@0@-router","labels":@1@},"data":{"nginx.conf":"server { listen 8080; location / { proxy_pass http://127.0.0.1:8081; } }"}}
            """, name, labels));
        yield return ($"apis/apps/v1/namespaces/{ns}/controllerrevisions", Fill("""
            {"metadata":{"name":"@0@-v1","labels":@1@},"revision":1,"data":{"image":"ghcr.io/acme/@2@:1.0.@3@","reason":"initial release"}}
            """, name, labels, name, i));
        yield return ($"api/v1/namespaces/{ns}/events", Fill("""
            {"metadata":{"name":"@0@.created"},"involvedObject":{"apiVersion":"kuroku.dev/v1alpha1","kind":"WebApp","name":"@1@","namespace":"@2@"},
             "reason":"Created","message":"Created Deployment @3@-web","type":"Normal","count":1,"source":{"component":"kuroku"}}
            """, name, name, ns, name));
    }

    private const string Crd = """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"webapps.kuroku.dev"},
         "spec":{"group":"kuroku.dev","scope":"Namespaced","names":{"kind":"WebApp","plural":"webapps","singular":"webapp","listKind":"WebAppList"},
                 "versions":[{"name":"v1alpha1","served":true,"storage":true,"subresources":{"status":{}},
                              "schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
                                                                                          "status":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}]}}
        """;
}
