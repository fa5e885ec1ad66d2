using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Xml.Linq;

namespace Kuroku.Operator.Crds;

/// <summary>
/// The summaries of an assembly's XML documentation file (the one the compiler writes next to the
/// assembly), read as plain text: the descriptions of the CRD's schema.
/// </summary>
public sealed class XmlDocumentation
{
    private readonly Dictionary<string, string> _summaries;

    private XmlDocumentation(Dictionary<string, string> summaries) => _summaries = summaries;

    private static readonly ConcurrentDictionary<Assembly, Lazy<XmlDocumentation>> Loaded = new();

    /// <summary>
    /// The documentation file that sits next to the assembly (Name.dll → Name.xml), read once per process:
    /// KubernetesClient.xml alone is 25 MB.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file is not there (the build must copy it to the output).</exception>
    public static XmlDocumentation For(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return Loaded.GetOrAdd(assembly, a => new Lazy<XmlDocumentation>(() => Load(a))).Value;
    }

    private static XmlDocumentation Load(Assembly assembly)
    {
        var name = assembly.GetName().Name + ".xml";
        var candidates = new[]
        {
            string.IsNullOrEmpty(assembly.Location) ? null : Path.Combine(Path.GetDirectoryName(assembly.Location)!, name),
            Path.Combine(AppContext.BaseDirectory, name),
        };
        var path = candidates.FirstOrDefault(p => p is not null && File.Exists(p))
            ?? throw new FileNotFoundException(
                $"the XML documentation of {assembly.GetName().Name} is missing next to the assembly; "
                + "the CRD's descriptions come from it (GenerateDocumentationFile / CopyDocumentationFilesFromPackages)",
                name);
        return Parse(XDocument.Load(path));
    }

    /// <summary>Reads a documentation file's members.</summary>
    public static XmlDocumentation Parse(XDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in document.Descendants("member"))
        {
            var name = member.Attribute("name")?.Value;
            var summary = member.Element("summary");
            if (name is null || summary is null)
            {
                continue;
            }

            var text = ToPlainText(summary);
            if (text.Length > 0)
            {
                summaries[name] = text;
            }
        }

        return new XmlDocumentation(summaries);
    }

    /// <summary>The summary of a type, or null.</summary>
    public string? Summary(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return _summaries.GetValueOrDefault("T:" + type.FullName);
    }

    /// <summary>The summary of a property, or null.</summary>
    public string? Summary(PropertyInfo property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return _summaries.GetValueOrDefault("P:" + property.DeclaringType!.FullName + "." + property.Name);
    }

    // Lines of a paragraph are joined by one space; blank lines separate paragraphs. <c>x</c> is x,
    // <see cref="T:A.B"/> is B.
    private static string ToPlainText(XElement summary)
    {
        var raw = new StringBuilder();
        foreach (var node in summary.Nodes())
        {
            raw.Append(node switch
            {
                XText text => text.Value,
                XElement { Name.LocalName: "see" or "seealso" } see =>
                    see.Attribute("langword")?.Value
                    ?? see.Attribute("cref")?.Value.Split('.', ':').Last()
                    ?? see.Value,
                XElement { Name.LocalName: "paramref" or "typeparamref" } reference => reference.Attribute("name")?.Value ?? "",
                XElement { Name.LocalName: "para" } paragraph => "\n\n" + paragraph.Value + "\n\n",
                XElement element => element.Value,
                _ => "",
            });
        }

        var paragraphs = new List<string>();
        var current = new List<string>();
        foreach (var line in raw.ToString().Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                Flush();
            }
            else
            {
                current.Add(trimmed);
            }
        }

        Flush();
        return string.Join("\n\n", paragraphs);

        void Flush()
        {
            if (current.Count > 0)
            {
                paragraphs.Add(string.Join(' ', current));
                current.Clear();
            }
        }
    }
}
