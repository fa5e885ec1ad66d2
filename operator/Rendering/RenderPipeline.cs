using System.Text.Json.Nodes;
using Kuroku.Api.V1Alpha1;
using Kuroku.Api.Validation;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Crds;
using Kuroku.Operator.Reconciliation.Desired;
using Kuroku.Operator.Reconciliation.Releases;
using Kuroku.Operator.Serialization;
using k8s;

namespace Kuroku.Operator.Rendering;

/// <summary>The outcome of rendering: the YAML of every child object, or the errors (then no YAML).</summary>
public sealed record RenderResult(string Yaml, IReadOnlyList<string> Errors);

/// <summary>
/// What <c>kuroku render</c> does with its input, pure: YAML read as kubectl reads it, each WebApp taken
/// through the API server's path (<see cref="WebAppReader"/>) and the webhook's validator, then the
/// children the operator would create. Every refusal is a line "[document N: ]field.path: message"
/// (a syntax error: "invalid YAML: line L, column C: ..."); nothing is printed when anything is refused.
/// </summary>
public static class RenderPipeline
{
    // Building a validator costs more than running it; a built one is safe to share.
    private static readonly WebAppValidator Validator = new();

    public static RenderResult Render(string yaml, OperatorOptions options)
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
            var prefix = e.Document > 1 ? $"document {e.Document}: " : "";
            return new RenderResult("", [e.Path is null
                ? $"{prefix}invalid YAML: {e.Message}"
                : $"{prefix}{e.Path}: {e.Reason} (line {e.Line}, column {e.Column})"]);
        }

        if (documents.Count == 0)
        {
            return new RenderResult("", ["the input holds no WebApp"]);
        }

        var errors = new List<string>();
        var objects = new List<JsonNode?>();
        for (var i = 0; i < documents.Count; i++)
        {
            var prefix = documents.Count > 1 ? $"document {i + 1}: " : "";
            var documentErrors = new List<SchemaError>();
            var app = WebAppReader.ReadNew(documents[i], documentErrors);
            var lines = documentErrors.Select(e => e.ToString()).ToList();
            if (app is not null)
            {
                lines.AddRange(Validator.Validate(app).ToFieldErrors());
            }

            if (lines.Count > 0 || app is null)
            {
                errors.AddRange(lines.Select(e => prefix + e));
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

        return errors.Count > 0 ? new RenderResult("", errors) : new RenderResult(YamlJson.ToYamlDocuments(objects), []);
    }

    /// <summary>A UUID-shaped value from SHA-256 of "namespace/name": same app, same placeholder.</summary>
    internal static string PlaceholderUid(WebApp app)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"kuroku-render:{app.Metadata.NamespaceProperty}/{app.Metadata.Name}"));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}
