using Kuroku.Operator.Cli;
using Kuroku.Operator.Configuration;
using Kuroku.Operator.Rendering;
using Kuroku.Operator.Serialization;

namespace Kuroku.Operator.UnitTests.Cli;

/// <summary>
/// Regressions for what crashed or misread render (issue 13): each scalar form kubectl reads its own
/// way, and the inputs the property tests found. Either the value the API server would store, or an
/// error naming the field; exit 1, never an exception.
/// </summary>
public sealed class RenderHostileInputTests
{
    private const string App = """
        apiVersion: kuroku.dev/v1alpha1
        kind: WebApp
        metadata:
          name: hello
        spec:
          image: ghcr.io/acme/hello:1.0.0
          port: 8080
          processes:
            web:
              replicas: 2
              command: [serve, --port, "8080"]
        """;

    private static RenderResult Render(string yaml) => RenderCommand.Render(yaml, new OperatorOptions());

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string yaml)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = await CommandLine.RunAsync(["render", "-f", "-"], new StringReader(yaml), output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task Replicas_1e400_is_refused_for_its_type_naming_the_field_not_a_crash()
    {
        var (code, stdout, stderr) = await RunAsync(App.Replace("replicas: 2", "replicas: 1e400", StringComparison.Ordinal));

        code.Should().Be(1);
        stdout.Should().BeEmpty();
        stderr.Should().Be("error: spec.processes.web.replicas: Invalid value: \"string\": must be of type integer\n");
    }

    [Fact]
    public async Task A_name_of_1e400_is_the_string_1e400_which_the_webhook_refuses_as_a_name()
    {
        var (code, _, stderr) = await RunAsync(App.Replace("name: hello", "name: 1e400", StringComparison.Ordinal));

        // The API server takes "1e400" (a DNS subdomain); WebApp names must start with a letter.
        code.Should().Be(1);
        stderr.Should().StartWith("error: metadata.name: names must be lower-case DNS-1035 labels");
    }

    [Fact]
    public void A_command_argument_of_1e400_is_rendered_as_that_string_and_written_quoted()
    {
        var result = Render(App.Replace("[serve, --port, \"8080\"]", "[sleep, 1e400]", StringComparison.Ordinal));

        result.Errors.Should().BeEmpty();
        result.Yaml.Should().Contain("- sleep\n        - \"1e400\"\n");
        var deployment = YamlJson.ParseDocuments(result.Yaml).Single(o => o["kind"]!.GetValue<string>() == "Deployment");
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["command"]![1]!.GetValue<string>().Should().Be("1e400");
    }

    public static TheoryData<string, string, string> StoredValues => new()
    {
        // YAML as typed, the field it sets in the Deployment, and the JSON the API server would store.
        { "port: 0x1F90", "spec.template.spec.containers[0].ports[0].containerPort", "8080" },
        { "port: 0o17620", "spec.template.spec.containers[0].ports[0].containerPort", "8080" },
        { "port: 017620", "spec.template.spec.containers[0].ports[0].containerPort", "8080" },
        { "port: 8_080", "spec.template.spec.containers[0].ports[0].containerPort", "8080" },
        { "port: 8080.0", "spec.template.spec.containers[0].ports[0].containerPort", "8080" },
        { "port: 8.08e3", "spec.template.spec.containers[0].ports[0].containerPort", "8080" },
        { "replicas: 0b11", "spec.replicas", "3" },
        { "replicas: +3", "spec.replicas", "3" },
        { "replicas: 03", "spec.replicas", "3" },
        { "replicas: 09", "spec.replicas", "9" },
    };

    [Theory]
    [MemberData(nameof(StoredValues))]
    public void Number_forms_render_the_value_the_api_server_would_store(string yaml, string field, string json)
    {
        var key = yaml[..yaml.IndexOf(':', StringComparison.Ordinal)];
        var result = Render(App.Replace(key == "port" ? "port: 8080" : "replicas: 2", yaml, StringComparison.Ordinal));

        result.Errors.Should().BeEmpty();
        var deployment = YamlJson.ParseDocuments(result.Yaml).Single(o => o["kind"]!.GetValue<string>() == "Deployment");
        var node = deployment;
        foreach (var part in field.Replace("[", ".[", StringComparison.Ordinal).Split('.'))
        {
            node = part.StartsWith('[') ? node![int.Parse(part[1..^1], System.Globalization.CultureInfo.InvariantCulture)]! : node![part]!;
        }

        node!.ToJsonString().Should().Be(json);
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { App.Replace("replicas: 2", "replicas: .inf", StringComparison.Ordinal), "spec.processes.web.replicas: Invalid value: .inf: JSON has no infinity or NaN (quote it for the text) (line 10, column 17)" },
        { App.Replace("replicas: 2", "replicas: .NaN", StringComparison.Ordinal), "spec.processes.web.replicas: Invalid value: .NaN: JSON has no infinity or NaN" },
        { App.Replace("replicas: 2", "replicas: 1e21", StringComparison.Ordinal), "spec.processes.web.replicas: Invalid value: 1e+21: must fit in a 32-bit integer" },
        { App.Replace("replicas: 2", "replicas: 9223372036854775808", StringComparison.Ordinal), "spec.processes.web.replicas: Invalid value: 9223372036854775808: must fit in a 32-bit integer" },
        { App.Replace("replicas: 2", "replicas: 1" + new string('0', 400), StringComparison.Ordinal), "spec.processes.web.replicas: Invalid value: 1000" },
        { App.Replace("replicas: 2", "replicas: !!int 1.5", StringComparison.Ordinal), "spec.processes.web.replicas: cannot decode !!float `1.5` as a !!int" },
        { App.Replace("image: ghcr.io/acme/hello:1.0.0", "image: yes", StringComparison.Ordinal), "spec.image: Invalid value: \"boolean\": must be of type string" },
        { App.Replace("image: ghcr.io/acme/hello:1.0.0", "image: 0x10", StringComparison.Ordinal), "spec.image: Invalid value: \"number\": must be of type string" },
        { App + "\n  image: again", "spec.image: mapping key \"image\" already defined at line 6" },
        { App.Replace("processes:", "processes:\n    y: {}\n    yes: {}", StringComparison.Ordinal), "spec.processes.true: mapping key \"true\" already defined at line 9" },
        { App.Replace("processes:", "processes:\n    ~: {}", StringComparison.Ordinal), "spec.processes: unsupported map key: a !!null key (\"~\") cannot name a JSON field" },
        { App.Replace("hello:1.0.0", "hello\u0000:1.0.0", StringComparison.Ordinal), "invalid YAML: line 6, column 28: control characters are not allowed (U+0000)" },
        { App.Replace("name: hello", "name: hello\n  namespace: Bad_NS", StringComparison.Ordinal), "metadata.namespace: Invalid value: \"Bad_NS\": a lowercase RFC 1123 label" },
        { "- 1\n- 2\n", "<root>: Invalid value: \"array\": a WebApp must be a mapping" },
        { "just text", "<root>: Invalid value: \"string\": a WebApp must be a mapping" },
        { "kind: WebApp\n", "apiVersion: Required value" },
        { App + "\n---\n" + App.Replace("replicas: 2", "replicas: 1e400", StringComparison.Ordinal), "document 2: spec.processes.web.replicas: Invalid value: \"string\": must be of type integer" },
        { App + "\n---\n" + App.Replace("replicas: 2", "replicas: .inf", StringComparison.Ordinal), "document 2: spec.processes.web.replicas: Invalid value: .inf" },
        { new string('[', 100_000) + new string(']', 100_000), "<root>[0][0][0]" },
        { "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
            + "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
            + "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n", "d[0]: document contains excessive aliasing" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Hostile_input_is_refused_naming_the_field_or_the_location(string yaml, string expected)
    {
        var result = Render(yaml);

        result.Yaml.Should().BeEmpty();
        result.Errors.Should().Contain(e => e.StartsWith(expected, StringComparison.Ordinal), string.Join("\n", result.Errors));
    }
}
