namespace Kuroku.Runtime.Informers;

/// <summary>What an informer tells its handlers (client-go's <c>ResourceEventHandlerFuncs</c>).</summary>
public sealed class ResourceEventHandler<T>
{
    public Action<T>? OnAdd { get; init; }

    /// <summary>Old state, new state.</summary>
    public Action<T, T>? OnUpdate { get; init; }

    /// <summary>The last state the cache knew.</summary>
    public Action<T>? OnDelete { get; init; }
}
