using Kuroku.Api.V1Alpha1;
using k8s;

namespace Kuroku.Operator.UnitTests.TestSupport;

/// <summary>Finds files of the repository from the test's output folder.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static WebApp Example(string name) =>
        KubernetesYaml.Deserialize<WebApp>(File.ReadAllText(PathOf(Path.Combine("examples", name))));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Operator.sln not found above " + AppContext.BaseDirectory);
    }
}
