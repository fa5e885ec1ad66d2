namespace Kuroku.Kubectl.Kube;

/// <summary>Which kubeconfig file to read, as kubectl decides: --kubeconfig, else $KUBECONFIG, else ~/.kube/config.</summary>
public static class KubeconfigLocation
{
    /// <summary>
    /// The file to read. $KUBECONFIG may list several files (':'-separated); kubectl merges them, the
    /// plugin reads the first that exists (or the first, to name it in the error).
    /// </summary>
    public static string Resolve(string? flag, string? environment, string? home, Func<string, bool> exists)
    {
        ArgumentNullException.ThrowIfNull(exists);
        if (!string.IsNullOrEmpty(flag))
        {
            return flag;
        }

        var listed = (environment ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (listed.Length > 0)
        {
            return listed.FirstOrDefault(exists) ?? listed[0];
        }

        return Path.Combine(home ?? "/", ".kube", "config");
    }
}
