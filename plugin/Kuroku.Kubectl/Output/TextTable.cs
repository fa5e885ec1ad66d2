using System.Text;

namespace Kuroku.Kubectl.Output;

/// <summary>
/// A table as kubectl prints one: upper-case headers, left-aligned columns three spaces apart, no
/// trailing spaces, "\n" line ends.
/// </summary>
public static class TextTable
{
    public static string Render(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        var all = new List<IReadOnlyList<string>> { headers };
        all.AddRange(rows);
        foreach (var row in all)
        {
            if (row.Count != headers.Count)
            {
                throw new ArgumentException($"a row has {row.Count} cells, the table {headers.Count} columns", nameof(rows));
            }
        }

        var widths = Enumerable.Range(0, headers.Count).Select(c => all.Max(r => r[c].Length)).ToArray();
        var b = new StringBuilder();
        foreach (var row in all)
        {
            var line = new StringBuilder();
            for (var c = 0; c < row.Count; c++)
            {
                line.Append(c == row.Count - 1 ? row[c] : row[c].PadRight(widths[c] + 3));
            }

            b.Append(line.ToString().TrimEnd()).Append('\n');
        }

        return b.ToString();
    }
}
