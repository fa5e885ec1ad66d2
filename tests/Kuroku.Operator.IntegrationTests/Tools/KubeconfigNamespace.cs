using YamlDotNet.RepresentationModel;

namespace Kuroku.Operator.IntegrationTests.Tools;

/// <summary>
/// Rewrites a copy of a kubeconfig so its current context works in one namespace: what a test needs
/// before it hands the user's kubeconfig to kubectl on a real cluster, where the current context may
/// name the user's own namespace. Everything else in the file is kept (clusters, users, exec plugins).
/// </summary>
public static class KubeconfigNamespace
{
    /// <summary>The kubeconfig text with the current context's namespace set to <paramref name="ns"/>.</summary>
    public static string Bind(string kubeconfig, string ns)
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(kubeconfig))
        {
            yaml.Load(reader);
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InvalidOperationException("the kubeconfig is empty or not a mapping");
        }

        var current = (root.Children.TryGetValue(new YamlScalarNode("current-context"), out var c) ? (c as YamlScalarNode)?.Value : null)
            ?? throw new InvalidOperationException("the kubeconfig has no current-context: name one (kubectl config use-context) before running the tests");
        var contexts = root.Children.TryGetValue(new YamlScalarNode("contexts"), out var list) ? list as YamlSequenceNode : null;
        var entry = contexts?.Children.OfType<YamlMappingNode>()
            .FirstOrDefault(e => e.Children.TryGetValue(new YamlScalarNode("name"), out var n) && (n as YamlScalarNode)?.Value == current)
            ?? throw new InvalidOperationException($"the kubeconfig's current-context \"{current}\" is not among its contexts");
        if (!entry.Children.TryGetValue(new YamlScalarNode("context"), out var contextNode) || contextNode is not YamlMappingNode context)
        {
            context = [];
            entry.Children[new YamlScalarNode("context")] = context;
        }

        context.Children[new YamlScalarNode("namespace")] = new YamlScalarNode(ns);
        using var writer = new StringWriter();
        yaml.Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
