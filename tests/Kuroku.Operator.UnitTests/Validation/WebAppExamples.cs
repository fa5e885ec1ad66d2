using Kuroku.Api.V1Alpha1;
using k8s;

namespace Kuroku.Operator.UnitTests.Validation;

/// <summary>The WebApps of examples/, parsed afresh for every call so tests can change them.</summary>
internal static class WebAppExamples
{
    public static WebApp Minimal() => Load("minimal.yaml");

    public static WebApp Full() => Load("webapp.yaml");

    private static WebApp Load(string name) =>
        KubernetesYaml.Deserialize<WebApp>(File.ReadAllText(Path.Combine(ExamplesDirectory(), name)));

    private static string ExamplesDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var examples = Path.Combine(directory.FullName, "examples");
            if (File.Exists(Path.Combine(examples, "webapp.yaml")))
            {
                return examples;
            }
        }

        throw new DirectoryNotFoundException("examples/ not found above " + AppContext.BaseDirectory);
    }
}
