namespace Kuroku.Testing.ApiServer.Hooks;

/// <summary>Makes the server misbehave on purpose: fail or delay requests matching a verb and a resource ("*" matches any).</summary>
public sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<Failure> _failures = [];
    private readonly List<(string Verb, string Resource, TimeSpan Delay)> _delays = [];

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

    public void Clear()
    {
        lock (_gate)
        {
            _failures.Clear();
            _delays.Clear();
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

    private static bool Matches(string pattern, string value) => pattern == "*" || pattern == value;

    private sealed record Failure(string Verb, string Resource, int Code, string Reason)
    {
        public int Remaining { get; set; }
    }
}
