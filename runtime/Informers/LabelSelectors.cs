namespace Kuroku.Runtime.Informers;

/// <summary>Equality-based label selection (<c>matchLabels</c>).</summary>
public static class LabelSelectors
{
    /// <summary>True when the object's labels include every pair of the selector (an empty selector matches all).</summary>
    public static bool Matches(IDictionary<string, string>? labels, IReadOnlyDictionary<string, string>? matchLabels)
    {
        if (matchLabels is null || matchLabels.Count == 0)
        {
            return true;
        }

        if (labels is null)
        {
            return false;
        }

        foreach (var (key, value) in matchLabels)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return true;
    }
}
