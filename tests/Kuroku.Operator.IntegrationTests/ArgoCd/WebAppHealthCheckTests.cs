using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kuroku.Operator.IntegrationTests.Tools;

namespace Kuroku.Operator.IntegrationTests.ArgoCd;

/// <summary>deploy/argocd/health.lua, run by a real Lua 5.1 interpreter as Argo CD runs it.</summary>
public sealed class WebAppHealthCheckTests
{
    private const string LuaInstallHint = "The Argo CD health check tests need a Lua 5.1 interpreter: apt-get install -y lua5.1";

    private static string HealthScript => Path.Combine(SchemaCheck.RepositoryRoot, "deploy", "argocd", "health.lua");

    /// <summary>metadata.generation, status (JSON, or null for none), and the health Argo CD must show.</summary>
    public static TheoryData<string, long, string?, string, string> Statuses => new()
    {
        { "no status yet", 1, null, "Progressing", "Waiting for the operator to reconcile the WebApp" },
        { "generation not observed", 3,
            """{"observedGeneration": 2, "conditions": [{"type": "Ready", "status": "True", "reason": "AllProcessesReady", "message": "web 2/2"}]}""",
            "Progressing", "Waiting for the operator to observe generation 3 (observed 2)" },
        { "ready", 3,
            """{"observedGeneration": 3, "conditions": [{"type": "Ready", "status": "True", "reason": "AllProcessesReady", "message": "web 2/2, worker 1/1", "observedGeneration": 3}]}""",
            "Healthy", "web 2/2, worker 1/1" },
        { "ready without a message", 1,
            """{"observedGeneration": 1, "conditions": [{"type": "Ready", "status": "True", "reason": "AllProcessesReady"}]}""",
            "Healthy", "Ready=True (AllProcessesReady)" },
        { "ready condition of an older generation", 4,
            """{"observedGeneration": 4, "conditions": [{"type": "Ready", "status": "True", "reason": "AllProcessesReady", "observedGeneration": 3}]}""",
            "Progressing", "Waiting for the Ready condition of generation 4" },
        { "invalid spec", 2,
            """{"observedGeneration": 2, "conditions": [{"type": "Ready", "status": "False", "reason": "InvalidSpec", "message": "spec.processes.web.replicas: must be >= 0"}]}""",
            "Degraded", "spec.processes.web.replicas: must be >= 0" },
        { "release phase failed", 2,
            """{"observedGeneration": 2, "conditions": [{"type": "Ready", "status": "False", "reason": "ReleaseFailed", "message": "release v8 failed: migrate exited 1"}]}""",
            "Degraded", "release v8 failed: migrate exited 1" },
        { "release phase running", 2,
            """{"observedGeneration": 2, "conditions": [{"type": "Ready", "status": "False", "reason": "ReleasePhaseRunning", "message": "release v8: running the release phase"}]}""",
            "Progressing", "release v8: running the release phase" },
        { "rolling out", 2,
            """{"observedGeneration": 2, "conditions": [{"type": "Ready", "status": "False", "reason": "Progressing", "message": "web 1/2"}]}""",
            "Progressing", "web 1/2" },
        { "ready unknown", 2,
            """{"observedGeneration": 2, "conditions": [{"type": "Ready", "status": "Unknown", "reason": "Reconciling", "message": "starting"}]}""",
            "Progressing", "starting" },
        { "degraded wins over ready", 2,
            """{"observedGeneration": 2, "conditions": [{"type": "Ready", "status": "True", "reason": "AllProcessesReady"}, {"type": "Degraded", "status": "True", "reason": "CrashLoop", "message": "worker is crash-looping"}]}""",
            "Degraded", "worker is crash-looping" },
        { "conditions missing", 2, """{"observedGeneration": 2}""", "Progressing", "Waiting for the Ready condition" },
        { "no Ready among conditions", 2,
            """{"observedGeneration": 2, "conditions": [{"type": "Degraded", "status": "False", "reason": "AsExpected"}]}""",
            "Progressing", "Waiting for the Ready condition" },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task Argo_CD_shows_the_health_the_status_means(string situation, long generation, string? status, string health, string message)
    {
        var webApp = new JsonObject
        {
            ["apiVersion"] = "kuroku.dev/v1alpha1",
            ["kind"] = "WebApp",
            ["metadata"] = new JsonObject { ["name"] = "shop", ["namespace"] = "shop", ["generation"] = generation },
        };
        if (status is not null)
        {
            webApp["status"] = JsonNode.Parse(status);
        }

        var outcome = await ExternalProcess.RunAsync(
            "lua5.1",
            [Path.Combine(SchemaCheck.RepositoryRoot, "tests", "Kuroku.Operator.IntegrationTests", "ArgoCd", "health-harness.lua"), HealthScript],
            ToLua(webApp),
            installHint: LuaInstallHint);

        outcome.ExitCode.Should().Be(0, outcome.ToString());
        outcome.StandardOutput.Should().Be($"{health}\n{message}\n", situation);
    }

    [Fact]
    public async Task The_argocd_cm_snippet_carries_health_lua_verbatim()
    {
        var configMap = KubernetesYaml.Deserialize<V1ConfigMap>(
            await File.ReadAllTextAsync(Path.Combine(SchemaCheck.RepositoryRoot, "deploy", "argocd", "argocd-cm.yaml")), strict: true);

        configMap.Data.Should().ContainKey("resource.customizations.health.kuroku.dev_WebApp")
            .WhoseValue.Should().Be(await File.ReadAllTextAsync(HealthScript), "argocd-cm.yaml must carry deploy/argocd/health.lua unchanged");
    }

    [Fact]
    public async Task The_Argo_CD_examples_are_valid_objects()
    {
        var dir = Path.Combine(SchemaCheck.RepositoryRoot, "deploy", "argocd");
        var yaml = string.Join("\n---\n", await Task.WhenAll(
            File.ReadAllTextAsync(Path.Combine(dir, "argocd-cm.yaml")), File.ReadAllTextAsync(Path.Combine(dir, "application.yaml"))));

        var result = await SchemaCheck.ValidateAsync(yaml);

        result.IsValid.Should().BeTrue(result.Describe());
        result.Skipped.Should().ContainSingle().Which.Kind.Should().Be("Application");
    }

    /// <summary>A JSON value as a Lua 5.1 table constructor expression; JSON null leaves the key out, as Argo CD does.</summary>
    private static string ToLua(JsonNode? node)
    {
        var lua = new StringBuilder();
        Write(node);
        return lua.ToString();

        void Write(JsonNode? value)
        {
            switch (value)
            {
                case null:
                    lua.Append("nil");
                    break;
                case JsonObject o:
                    lua.Append('{');
                    foreach (var (key, item) in o.Where(p => p.Value is not null))
                    {
                        lua.Append('[').Append(Quote(key)).Append("]=");
                        Write(item);
                        lua.Append(',');
                    }

                    lua.Append('}');
                    break;
                case JsonArray a:
                    lua.Append('{');
                    foreach (var item in a)
                    {
                        Write(item);
                        lua.Append(',');
                    }

                    lua.Append('}');
                    break;
                case JsonValue v when v.TryGetValue<string>(out var s):
                    lua.Append(Quote(s));
                    break;
                case JsonValue v when v.TryGetValue<bool>(out var b):
                    lua.Append(b ? "true" : "false");
                    break;
                case JsonValue v:
                    lua.Append(v.ToJsonString()); // a JSON number is a Lua number literal
                    break;
            }
        }

        static string Quote(string s)
        {
            var quoted = new StringBuilder("\"");
            foreach (var c in Encoding.UTF8.GetBytes(s))
            {
                if (c is (byte)'"' or (byte)'\\' || c < 0x20 || c >= 0x7f)
                {
                    quoted.Append('\\').Append(c.ToString("D3", CultureInfo.InvariantCulture));
                }
                else
                {
                    quoted.Append((char)c);
                }
            }

            return quoted.Append('"').ToString();
        }
    }
}
