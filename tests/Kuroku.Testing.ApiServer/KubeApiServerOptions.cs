namespace Kuroku.Testing.ApiServer;

/// <summary>How the test API server behaves; the defaults suit tests.</summary>
public sealed class KubeApiServerOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>How often a watch that allows bookmarks gets a BOOKMARK event.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many changes the history keeps per resource (as the watch cache keeps one per resource): a watch or a
    /// continued LIST from an older resourceVersion gets 410 Expired. Bounds the memory the history holds.
    /// </summary>
    public int HistoryLimit { get; set; } = 10_000;

    /// <summary>How long after a deletion the garbage collector looks for dependents.</summary>
    public TimeSpan GarbageCollectionDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Namespaces that exist from the start.</summary>
    public IReadOnlyList<string> Namespaces { get; set; } = ["default", "kube-system", "kube-public"];

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
