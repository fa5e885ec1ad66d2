using System.Reflection;
using Kuroku.Api.Schema;
using Kuroku.Api.V1Alpha1;
using Kuroku.Api.Validation;

namespace Kuroku.Operator.UnitTests.Validation;

/// <summary>The published rules are well-formed and say what the CRD's CEL rules say.</summary>
public sealed class WebAppRulesTests
{
    private static IReadOnlyList<FieldRule> AllRules() =>
        [.. typeof(WebAppRules).GetFields(BindingFlags.Public | BindingFlags.Static).Select(field => (FieldRule)field.GetValue(null)!)];

    [Fact]
    public void Codes_are_unique_and_messages_are_lower_case_rules()
    {
        var rules = AllRules();

        rules.Select(rule => rule.Code).Should().OnlyHaveUniqueItems();
        rules.Should().AllSatisfy(rule => rule.Message.Should().NotBeEmpty().And.NotEndWith("."));
        rules.Where(rule => !rule.Message.StartsWith("PORT ", StringComparison.Ordinal))
            .Should().AllSatisfy(rule => char.IsLower(rule.Message[0]).Should().BeTrue(rule.Code));
    }

    [Fact]
    public void Every_CEL_rule_of_the_API_has_a_validator_rule_with_the_same_message()
    {
        var celMessages = typeof(WebApp).Assembly.GetTypes()
            .Where(type => type.Namespace == typeof(WebApp).Namespace)
            .SelectMany(type => type.GetCustomAttributes<CelRuleAttribute>()
                .Concat(type.GetProperties().SelectMany(property => property.GetCustomAttributes<CelRuleAttribute>())))
            .Select(rule => rule.Message)
            .ToList();

        celMessages.Should().NotBeEmpty();
        AllRules().Select(rule => rule.Message).Should().Contain(celMessages);
    }
}
