using Kuroku.Kubectl.Changes;
using Kuroku.Kubectl.UnitTests.TestSupport;

namespace Kuroku.Kubectl.UnitTests.Changes;

public sealed class ConfigChangeTests
{
    private const string Test = """{"op":"test","path":"/metadata/resourceVersion","value":"41"}""";
    private const string Settings = """{"name":"DJANGO_SETTINGS_MODULE","value":"shop.settings"}""";
    private const string Database = """{"name":"DATABASE_URL","valueFrom":{"secretKeyRef":{"key":"url","name":"shop-db"}}}""";
    private const string Debug = """{"name":"DEBUG","value":"0"}""";

    public static TheoryData<string[], string, string> Sets => new()
    {
        // A new name is appended; everything else stays, in order.
        { ["FOO=bar"], $$"""[{{Test}},{"op":"add","path":"/spec/env","value":[{{Settings}},{{Database}},{{Debug}},{"name":"FOO","value":"bar"}]}]""", "Setting FOO and restarting shop" },
        // An existing name is replaced in place, a reference by a value too.
        { ["DATABASE_URL=postgres://db/shop", "DEBUG=1"], $$"""[{{Test}},{"op":"add","path":"/spec/env","value":[{{Settings}},{"name":"DATABASE_URL","value":"postgres://db/shop"},{"name":"DEBUG","value":"1"}]}]""", "Setting DATABASE_URL and DEBUG and restarting shop" },
        // Values keep '=' after the first one; an unchanged value is not mentioned.
        { ["DEBUG=0", "Q=a=b", "E="], $$"""[{{Test}},{"op":"add","path":"/spec/env","value":[{{Settings}},{{Database}},{{Debug}},{"name":"Q","value":"a=b"},{"name":"E","value":""}]}]""", "Setting Q and E and restarting shop" },
        // The last of a name given twice wins.
        { ["DEBUG=1", "DEBUG=2"], $$"""[{{Test}},{"op":"add","path":"/spec/env","value":[{{Settings}},{{Database}},{"name":"DEBUG","value":"2"}]}]""", "Setting DEBUG and restarting shop" },
    };

    [Theory]
    [MemberData(nameof(Sets))]
    public void Set_replaces_in_place_keeps_order_and_guards_on_the_resource_version(string[] args, string patch, string summary)
    {
        var change = ConfigChange.PlanSet(Apps.Shop(), ConfigChange.ParseAssignments(args));

        change.Patch.Should().Be(new WebAppPatch(PatchKind.Json, patch));
        change.Summary.Should().Be(summary);
        change.Outcome.Should().Be("a new release will be created");
    }

    [Fact]
    public void Set_adds_the_list_when_the_app_has_no_env()
    {
        var app = Apps.Shop("7");
        app.Spec.Env = null;

        ConfigChange.PlanSet(app, ConfigChange.ParseAssignments(["A=1"])).Patch!.Body.Should().Be(
            """[{"op":"test","path":"/metadata/resourceVersion","value":"7"},{"op":"add","path":"/spec/env","value":[{"name":"A","value":"1"}]}]""");
    }

    [Fact]
    public void Set_changes_nothing_when_every_value_is_already_set()
    {
        var change = ConfigChange.PlanSet(Apps.Shop(), ConfigChange.ParseAssignments(["DEBUG=0"]));

        change.Patch.Should().BeNull();
        change.Summary.Should().Be("DEBUG already set on shop; nothing changed");
    }

    [Theory]
    [InlineData(new[] { "DEBUG" }, "Unsetting DEBUG and restarting shop", $$"""[{{Test}},{"op":"add","path":"/spec/env","value":[{{Settings}},{{Database}}]}]""")]
    [InlineData(new[] { "DATABASE_URL", "DJANGO_SETTINGS_MODULE" }, "Unsetting DATABASE_URL and DJANGO_SETTINGS_MODULE and restarting shop", $$"""[{{Test}},{"op":"add","path":"/spec/env","value":[{{Debug}}]}]""")]
    [InlineData(new[] { "DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE" }, "Unsetting DEBUG, DATABASE_URL and DJANGO_SETTINGS_MODULE and restarting shop", $$"""[{{Test}},{"op":"remove","path":"/spec/env"}]""")]
    public void Unset_removes_entries_and_keeps_the_rest_in_order(string[] names, string summary, string patch)
    {
        var change = ConfigChange.PlanUnset(Apps.Shop(), ConfigChange.ParseNames(names));

        change.Patch.Should().Be(new WebAppPatch(PatchKind.Json, patch));
        change.Summary.Should().Be(summary);
    }

    [Fact]
    public void Unset_of_an_unknown_name_is_an_error_naming_what_is_set()
    {
        var plan = () => ConfigChange.PlanUnset(Apps.Shop(), ["DEBUG", "NOPE"]);

        plan.Should().Throw<CommandException>().WithMessage(
            "NOPE is not set on shop: spec.env has DJANGO_SETTINGS_MODULE, DATABASE_URL, DEBUG (config vars that come from envFrom sources are changed in their Secret or ConfigMap)");
    }

    [Theory]
    [InlineData("1ABC=x", "\"1ABC\" is not a valid config var name (spec.env[].name)")]
    [InlineData("=x", "\"\" is not a valid config var name (spec.env[].name)")]
    [InlineData("A B=x", "\"A B\" is not a valid config var name (spec.env[].name)")]
    [InlineData("NOEQUALS", "\"NOEQUALS\" is not NAME=VALUE (use NAME= for an empty value)")]
    public void Refuses_invalid_names_and_missing_values(string argument, string message)
    {
        var parse = () => ConfigChange.ParseAssignments([argument]);

        parse.Should().Throw<CommandException>().Which.Message.Should().StartWith(message);
    }

    [Theory]
    [InlineData("FOO", true)]
    [InlineData("_foo.bar-1", true)]
    [InlineData("9LIVES", false)]
    [InlineData("A$", false)]
    [InlineData("", false)]
    public void Names_follow_the_kubernetes_env_var_rule(string name, bool valid) =>
        ConfigChange.IsValidName(name).Should().Be(valid);
}
