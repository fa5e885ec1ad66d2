namespace Kuroku.Testing.ApiServer.Hooks;

/// <summary>Makes the server misbehave on purpose: fail or delay requests matching a verb and a resource ("*" matches any).</summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<Failure> _failures = [];
    private readonly List<(string Verb, string Resource, TimeSpan Delay)> _delays = [];
    private readonly List<(string Verb, string Resource)> _holds = [];
    private TaskCompletionSource _released = NewRelease();

    /// <summary>The next <paramref name="count"/> requests matching verb and resource answer with this status code.</summary>
    public void FailNext(string verb, string resource, int count = 1, int statusCode = 500, string reason = "InternalError")
    {
        lock (_gate)
        {
            _failures.Add(new Failure(verb, resource, statusCode, reason) { Remaining = count });
        }
    }

    /// <summary>Requests matching verb and resource wait this long before they are served, until <see cref="Clear"/>.</summary>
    public void Delay(string verb, string resource, TimeSpan delay)
    {
        lock (_gate)
        {
            _delays.Add((verb, resource, delay));
        }
    }

    /// <summary>
    /// Requests matching verb and resource wait, however long it takes, until <see cref="Clear"/>; then they are
    /// served as if they had just arrived. Unlike a delay, the order is certain: nothing held is served before
    /// the test has done what it needed to do first.
    /// </summary>
    public void Hold(string verb, string resource)
    {
        lock (_gate)
        {
            _holds.Add((verb, resource));
        }
    }

    public void Clear()
    {
        TaskCompletionSource released;
        lock (_gate)
        {
            _failures.Clear();
            _delays.Clear();
            _holds.Clear();
            released = _released;
            _released = NewRelease();
        }

        released.TrySetResult();
    }

    /// <summary>What a matching request waits for before it is served: done at once when nothing holds it.</summary>
    internal Task HoldFor(string verb, string resource)
    {
        lock (_gate)
        {
            return _holds.Exists(h => Matches(h.Verb, verb) && Matches(h.Resource, resource)) ? _released.Task : Task.CompletedTask;
        }
    }

    internal (int Code, string Reason)? TakeFailure(string verb, string resource)
    {
        lock (_gate)
        {
            var failure = _failures.FirstOrDefault(f => f.Remaining > 0 && Matches(f.Verb, verb) && Matches(f.Resource, resource));
            if (failure is null)
            {
                return null;
            }

            failure.Remaining--;
            return (failure.Code, failure.Reason);
        }
    }

    internal TimeSpan DelayFor(string verb, string resource)
    {
        lock (_gate)
        {
            return _delays.Where(d => Matches(d.Verb, verb) && Matches(d.Resource, resource)).Select(d => d.Delay).DefaultIfEmpty(TimeSpan.Zero).Max();
        }
    }

    private static TaskCompletionSource NewRelease() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static bool Matches(string pattern, string value) => pattern == "*" || pattern == value;

    private sealed record Failure(string Verb, string Resource, int Code, string Reason)
    {
        public int Remaining { get; set; }
    }
}
