using System.Text.Json;
using System.Text.Json.Nodes;
using Kuroku.Api.V1Alpha1;
using Kuroku.Api.Validation;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Crds;
using Kuroku.Operator.Reconciliation.Desired;
using Kuroku.Operator.Reconciliation.Releases;
using Kuroku.Operator.Serialization;
using k8s;
using k8s.Models;

namespace Kuroku.Operator.Cli;

/// <summary>
/// <c>kuroku render -f FILE|-</c>: reads WebApps from YAML, refuses what the API server and the webhook
/// would refuse (each error on stderr with its field path, exit 1), and prints the objects the operator
/// would create as multi-document YAML on stdout. Offline: no cluster is needed.
/// </summary>
public static partial class RenderCommand
{
    public const int InvalidInput = 1;
    public const int UsageError = 2;

    private static readonly Lazy<V1JSONSchemaProps> InputSchema = new(() =>
    {
        // The CRD's schema, with metadata checked as the API server checks ObjectMeta.
        var generator = new SchemaGenerator();
        var schema = WebAppCrd.Schema(generator);
        schema.Properties["metadata"] = generator.SchemaFor(typeof(V1ObjectMeta));
        return schema;
    });

    /// <summary>The outcome of rendering: the YAML of every child object, or the errors (then no YAML).</summary>
    public sealed record Result(string Yaml, IReadOnlyList<string> Errors);

    /// <summary>Renders YAML text holding WebApps: pure, no I/O.</summary>
    public static Result Render(string yaml, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(options);

        IReadOnlyList<JsonNode> documents;
        try
        {
            documents = YamlJson.ParseDocuments(yaml);
        }
        catch (YamlJsonException e)
        {
            return new Result("", [$"invalid YAML: {e.Message}"]);
        }

        if (documents.Count == 0)
        {
            return new Result("", ["the input holds no WebApp"]);
        }

        var errors = new List<string>();
        var objects = new List<JsonNode?>();
        for (var i = 0; i < documents.Count; i++)
        {
            var prefix = documents.Count > 1 ? $"document {i + 1}: " : "";
            var documentErrors = new List<string>();
            var app = Read(documents[i], documentErrors);
            if (app is not null)
            {
                var validation = new WebAppValidator().Validate(app);
                documentErrors.AddRange(validation.Errors.Select(f => $"{f.PropertyName}: {f.ErrorMessage}"));
            }

            if (documentErrors.Count > 0 || app is null)
            {
                errors.AddRange(documentErrors.Select(e => prefix + e));
                continue;
            }

            // Offline the WebApp has no uid yet (the API server assigns it); owner references need one,
            // so render uses a stable placeholder derived from the app's namespace and name.
            if (string.IsNullOrEmpty(app.Metadata.Uid))
            {
                app.Metadata.Uid = PlaceholderUid(app);
            }

            objects.AddRange(DesiredState.Build(app, options).Select(o => JsonNode.Parse(KubernetesJson.Serialize(o))));

            // The first release's release phase runs before any process starts; show its Job too.
            // (Online, the data of referenced Secrets joins the release hash; offline it cannot.)
            if (ReleaseJob.Build(app, 1, ReleasePlanner.Snapshot(app, null)) is { } job)
            {
                objects.Add(JsonNode.Parse(KubernetesJson.Serialize(job)));
            }
        }

        return errors.Count > 0 ? new Result("", errors) : new Result(YamlJson.ToYamlDocuments(objects), []);
    }

    /// <summary>A UUID-shaped value from SHA-256 of "namespace/name": same app, same placeholder.</summary>
    internal static string PlaceholderUid(WebApp app)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"kuroku-render:{app.Metadata.NamespaceProperty}/{app.Metadata.Name}"));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }

    // The API server's path for a custom resource: type, pruning (refused here), defaulting, schema validation.
    private static WebApp? Read(JsonNode document, List<string> errors)
    {
        if (document is not JsonObject obj)
        {
            errors.Add($"<root>: Invalid value: \"{document.GetValueKind().ToString().ToLowerInvariant()}\": a WebApp must be a mapping");
            return null;
        }

        var apiVersion = obj["apiVersion"];
        var kind = obj["kind"];
        if (apiVersion?.GetValueKind() != JsonValueKind.String || apiVersion.GetValue<string>() != WebAppApi.ApiVersion)
        {
            errors.Add($"apiVersion: Unsupported value: {apiVersion?.ToJsonString() ?? "null"}: supported values: \"{WebAppApi.ApiVersion}\"");
        }

        if (kind?.GetValueKind() != JsonValueKind.String || kind.GetValue<string>() != WebAppApi.Kind)
        {
            errors.Add($"kind: Unsupported value: {kind?.ToJsonString() ?? "null"}: supported values: \"{WebAppApi.Kind}\"");
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var schema = InputSchema.Value;
        errors.AddRange(StructuralSchema.UnknownFields(obj, schema).Select(path => $"{path}: unknown field"));
        StructuralSchema.ApplyDefaults(obj, schema);
        errors.AddRange(StructuralSchema.Validate(obj, schema).Select(e => e.ToString()));
        if (obj["metadata"]?["name"] is null)
        {
            errors.Add("metadata.name: Required value");
        }

        if (errors.Count > 0)
        {
            return null;
        }

        WebApp? app;
        try
        {
            app = KubernetesJson.Deserialize<WebApp>(obj);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            errors.Add($"<root>: cannot read the WebApp: {e.Message}");
            return null;
        }

        app.Metadata ??= new V1ObjectMeta();
        app.Metadata.NamespaceProperty ??= "default";
        return app;
    }
}
