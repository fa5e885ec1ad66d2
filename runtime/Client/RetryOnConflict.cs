using Kuroku.Runtime.Abstractions;

namespace Kuroku.Runtime.Client;

/// <summary>
/// Optimistic concurrency done once (client-go's <c>retry.RetryOnConflict</c>): run an attempt that
/// reads the object and writes it guarded by its resourceVersion; when the server answers 409 Conflict
/// (someone wrote in between), run it again with a fresh read, a bounded number of times. The attempt
/// number tells the attempt where to read: the cache first (attempt 0), the server after a conflict.
/// </summary>
public static class RetryOnConflict
{
    /// <summary>How many times a conflicting write is tried again before the conflict is thrown.</summary>
    public const int DefaultRetries = 4;

    public static async Task<T> RunAsync<T>(Func<int, Task<T>> attempt, int retries = DefaultRetries)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        for (var n = 0; ; n++)
        {
            try
            {
                return await attempt(n).ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.IsConflict && n < retries)
            {
            }
        }
    }

    public static Task RunAsync(Func<int, Task> attempt, int retries = DefaultRetries)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return RunAsync(async n =>
        {
            await attempt(n).ConfigureAwait(false);
            return true;
        }, retries);
    }
}
