using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Kuroku.Runtime.Informers;

namespace Kuroku.Operator.UnitTests.Properties;

/// <summary>The informers' cache entries: whatever a store holds, against whatever dictionary, reads back byte for byte.</summary>
public sealed class CacheEntryProperties
{
    private static readonly Gen<string> Text =
        Gen.Frequency(
            (3, Gen.Char["abcdefghijklmnopqrstuvwxyz-0123456789/:.\"\\ {}"].Array[0, 400].Select(c => new string(c))),
            (1, Gen.String[0, 3000]),
            (1, Gen.Byte.Array[0, 3000].Select(Convert.ToBase64String)));

    private static JsonObject Object(string name, string text) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "ns", ["resourceVersion"] = "7" },
        ["data"] = new JsonObject { ["text"] = text },
    };

    [Fact]
    public void Every_entry_reads_back_exactly_whatever_the_store_took_as_its_dictionary() =>
        Gen.Select(Text, Text, Text).Sample((first, second, third) =>
        {
            var store = new ObjectStore();
            var objects = new[] { Object("a", first), Object("b", second), Object("c", third) };
            var expected = objects.Select(o => o.ToJsonString()).ToList();

            var entries = objects.Select(store.Entry).ToList();

            entries.Select(e => e.Read(Encoding.UTF8.GetString)).Should().Equal(expected);
            entries.Zip(expected).Should().OnlyContain(p => p.First.StoredBytes <= Encoding.UTF8.GetByteCount(p.Second));
        }, iter: Runs.Of(300));
}
