using Kuroku.Operator.Serialization;

namespace Kuroku.Operator.UnitTests.Serialization;

/// <summary>
/// Each scalar form as kubectl reads it (sigs.k8s.io/yaml over go-yaml v2's resolve, then Go's JSON):
/// the JSON it becomes, or the refusal. Keys become field names the way sigs.k8s.io/yaml names them.
/// </summary>
public sealed class YamlScalarTests
{
    [Theory]
    [InlineData("1e400", "\"1e400\"")] // out of range: no float, so a string
    [InlineData("-1e400", "\"-1e400\"")]
    [InlineData("1e-400", "0")] // underflow is zero
    [InlineData("0x10", "16")]
    [InlineData("0X1f", "31")]
    [InlineData("-0x10", "-16")]
    [InlineData("0o17", "15")]
    [InlineData("017", "15")]
    [InlineData("08", "8")] // no octal, so a decimal float
    [InlineData("0b101", "5")]
    [InlineData("1_000", "1000")]
    [InlineData("1_000.5", "1000.5")]
    [InlineData(".5", "0.5")]
    [InlineData("+12", "12")]
    [InlineData("-0", "0")]
    [InlineData("1.0", "1")]
    [InlineData("1e3", "1000")]
    [InlineData("1e21", "1e+21")]
    [InlineData("1.5e-7", "1.5e-7")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("9223372036854775807", "9223372036854775807")]
    [InlineData("9223372036854775808", "9223372036854775808")] // uint64
    [InlineData("18446744073709551616", "18446744073709552000")] // a float64 past uint64
    [InlineData("0x1ffffffffffffffff", "36893488147419103231")] // a big integer
    [InlineData("-0x1ffffffffffffffff", "\"-0x1ffffffffffffffff\"")]
    [InlineData("~", "null")]
    [InlineData("Null", "null")]
    [InlineData("yes", "true")]
    [InlineData("N", "false")]
    [InlineData("ON", "true")]
    [InlineData("yEs", "\"yEs\"")]
    [InlineData("2001-12-14", "\"2001-12-14\"")]
    [InlineData("1:20", "\"1:20\"")] // no sexagesimal numbers
    [InlineData("0x", "\"0x\"")]
    [InlineData("!!float 1", "1")]
    [InlineData("!!str 0x10", "\"0x10\"")]
    [InlineData("!!bool yes", "true")]
    [InlineData("!!binary aGVsbG8=", "\"hello\"")]
    [InlineData("! 12", "\"12\"")]
    [InlineData("!custom 12", "\"12\"")]
    [InlineData("\"1e400\"", "\"1e400\"")]
    [InlineData("'.inf'", "\".inf\"")]
    [InlineData("\"\\0\"", "\"\\u0000\"")] // an escaped NUL is a fine character of a string
    public void A_value_becomes_the_json_kubectl_sends(string yaml, string json)
    {
        var document = YamlJson.ParseDocuments($"v: {yaml}\n").Single();

        (document["v"]?.ToJsonString() ?? "null").Should().Be(json);
    }

    [Theory]
    [InlineData(".inf", "Invalid value: .inf: JSON has no infinity or NaN")]
    [InlineData("-.Inf", "Invalid value: -.Inf: JSON has no infinity or NaN")]
    [InlineData(".nan", "Invalid value: .nan: JSON has no infinity or NaN")]
    [InlineData("!!int 1.5", "cannot decode !!float `1.5` as a !!int")]
    [InlineData("!!int abc", "cannot decode !!str `abc` as a !!int")]
    [InlineData("!!null x", "cannot decode !!str `x` as a !!null")]
    [InlineData("!!binary \"@@\"", "!!binary value contains invalid base64 data")]
    [InlineData("*nope", "unknown anchor 'nope' referenced")]
    public void A_value_kubectl_refuses_is_refused_naming_the_field(string yaml, string reason)
    {
        var act = () => YamlJson.ParseDocuments($"spec:\n  v: {yaml}\n");

        var error = act.Should().Throw<YamlJsonException>().Which;
        error.Path.Should().Be("spec.v");
        error.Reason.Should().StartWith(reason);
        (error.Line, error.Column).Should().Be((2L, 6L));
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("1.5", "1.5")]
    [InlineData("0x10", "16")]
    [InlineData("1e6", "1e+06")]
    [InlineData("0.00001", "1e-05")]
    [InlineData("3.14159265358979", "3.1415927")] // float32 precision, as sigs.k8s.io/yaml names float keys
    [InlineData("yes", "true")]
    [InlineData("off", "false")]
    [InlineData(".inf", ".inf")]
    [InlineData("'yes'", "yes")]
    public void A_key_becomes_the_field_name_kubectl_gives_it(string key, string name)
    {
        var document = YamlJson.ParseDocuments($"{key}: x\n").Single();

        document.AsObject().Single().Key.Should().Be(name);
    }

    [Theory]
    [InlineData("~: x", "unsupported map key: a !!null key")]
    [InlineData("18446744073709551615: x", "unsupported map key: a !!int key")]
    [InlineData("[a]: x", "invalid map key: mapping keys must be scalars")]
    [InlineData("a: 1\n\"a\": 2", "mapping key \"a\" already defined at line 1")]
    [InlineData("1: a\n1.0: b", "mapping key \"1\" already defined at line 1")]
    [InlineData("<<: 1", "map merge requires map or sequence of maps as the value")]
    [InlineData("<<: [{a: 1}, 2]", "map merge requires map or sequence of maps as the value")]
    public void A_key_kubectl_refuses_is_refused(string yaml, string reason)
    {
        var act = () => YamlJson.ParseDocuments(yaml);

        act.Should().Throw<YamlJsonException>().Which.Reason.Should().StartWith(reason);
    }

    [Fact]
    public void A_stream_of_documents_skips_empty_and_null_ones_as_kubectl_does() =>
        YamlJson.ParseDocuments("---\n---\n~\n---\na: 1\n...\n---\nnull\n").Select(d => d.ToJsonString()).Should().Equal("{\"a\":1}");

    [Theory]
    [InlineData("a: \u0001", 1, 4)]
    [InlineData("a: b\nc: \u007f", 2, 4)]
    [InlineData("a: \"\u0085\u0000\"", 1, 6)]
    public void Control_characters_and_broken_unicode_are_refused_at_their_place(string yaml, long line, long column)
    {
        var act = () => YamlJson.ParseDocuments(yaml);

        var error = act.Should().Throw<YamlJsonException>().Which;
        (error.Line, error.Column).Should().Be((line, column));
        error.Path.Should().BeNull();
    }

    [Fact]
    public void A_lone_surrogate_is_refused_as_broken_unicode()
    {
        var act = () => YamlJson.ParseDocuments("a: b" + '\ud800');

        act.Should().Throw<YamlJsonException>().Which.Message.Should().Be("line 1, column 5: invalid Unicode (a lone surrogate)");
    }

    [Fact]
    public void A_leading_byte_order_mark_is_skipped() =>
        YamlJson.ParseDocuments("\ufeffa: 1\n").Single().ToJsonString().Should().Be("{\"a\":1}");

    [Fact]
    public void Nesting_deeper_than_the_operator_can_read_is_refused_without_exhausting_the_stack()
    {
        var act = () => YamlJson.ParseDocuments("a: " + new string('[', 1_000_000) + new string(']', 1_000_000));

        act.Should().Throw<YamlJsonException>().Which.Reason.Should().Be($"nesting deeper than {YamlJson.MaxDepth} levels");
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("1" + "00000000000000000000000000000000")]
    [InlineData("0o17")]
    [InlineData("1_000")]
    [InlineData(".5")]
    [InlineData("+.inf")]
    [InlineData("1:20")]
    [InlineData("<<")]
    [InlineData("yes")]
    [InlineData("~")]
    [InlineData("")]
    public void Strings_that_a_reader_could_take_for_something_else_are_written_quoted(string text)
    {
        var yaml = YamlJson.ToYaml(new System.Text.Json.Nodes.JsonObject { [text] = text });

        yaml.Should().StartWith($"\"{text}\": \"{text}\"");
        YamlJson.ParseDocuments(yaml).Single()[text]!.GetValue<string>().Should().Be(text);
    }
}
