using System.Collections.Frozen;
using System.Text;
using System.Text.Json.Nodes;
using Kuroku.Testing.ApiServer.Registry;
using Kuroku.Testing.ApiServer.Semantics;

namespace Kuroku.Testing.ApiServer.Http;

/// <summary>
/// Decodes the protobuf request bodies kubectl sends for built-in kinds (<c>kubectl create namespace</c>,
/// <c>create secret generic</c>, <c>create configmap</c>, <c>create serviceaccount</c>): its typed clients
/// send <c>application/vnd.kubernetes.protobuf</c> whatever discovery says and do not retry with JSON on a
/// 415, so the server must read them. The envelope is "k8s\0" and a runtime.Unknown (typeMeta, raw);
/// the raw object is read with the field numbers of k8s.io/api's generated.proto and turned into the JSON
/// the same object has (Go's omitempty: empty strings and zero generations are left out).
/// Other kinds get a 415 that says which kinds are read and to send JSON (kubectl create -f).
/// </summary>
public static class ProtobufBody
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    private static readonly Message Time = new("Time", [new(1, "seconds", Kind.Int), new(2, "nanos", Kind.Int)]);

    private static readonly Message OwnerReference = new("OwnerReference",
    [
        new(1, "kind", Kind.String), new(3, "name", Kind.String), new(4, "uid", Kind.String), new(5, "apiVersion", Kind.String),
        new(6, "controller", Kind.Bool), new(7, "blockOwnerDeletion", Kind.Bool),
    ]);

    private static readonly Message ObjectMeta = new("ObjectMeta",
    [
        new(1, "name", Kind.String), new(2, "generateName", Kind.String), new(3, "namespace", Kind.String),
        new(5, "uid", Kind.String), new(6, "resourceVersion", Kind.String), new(7, "generation", Kind.Int),
        new(8, "creationTimestamp", Kind.Time), new(9, "deletionTimestamp", Kind.Time), new(10, "deletionGracePeriodSeconds", Kind.Int),
        new(11, "labels", Kind.StringMap), new(12, "annotations", Kind.StringMap),
        new(13, "ownerReferences", Kind.Message, OwnerReference, Repeated: true), new(14, "finalizers", Kind.String, Repeated: true),
    ]);

    private static readonly Message ObjectReference = new("ObjectReference",
    [
        new(1, "kind", Kind.String), new(2, "namespace", Kind.String), new(3, "name", Kind.String), new(4, "uid", Kind.String),
        new(5, "apiVersion", Kind.String), new(6, "resourceVersion", Kind.String), new(7, "fieldPath", Kind.String),
    ]);

    private static readonly FrozenDictionary<string, Message> Kinds = new Dictionary<string, Message>(StringComparer.Ordinal)
    {
        ["Namespace"] = new("Namespace",
        [
            new(1, "metadata", Kind.Message, ObjectMeta),
            new(2, "spec", Kind.Message, new Message("NamespaceSpec", [new(1, "finalizers", Kind.String, Repeated: true)])),
            new(3, "status", Kind.Message, new Message("NamespaceStatus", [new(1, "phase", Kind.String)])),
        ]),
        ["Secret"] = new("Secret",
        [
            new(1, "metadata", Kind.Message, ObjectMeta), new(2, "data", Kind.BytesMap), new(3, "type", Kind.String),
            new(4, "stringData", Kind.StringMap), new(5, "immutable", Kind.Bool),
        ]),
        ["ConfigMap"] = new("ConfigMap",
        [
            new(1, "metadata", Kind.Message, ObjectMeta), new(2, "data", Kind.StringMap), new(3, "binaryData", Kind.BytesMap),
            new(4, "immutable", Kind.Bool),
        ]),
        ["ServiceAccount"] = new("ServiceAccount",
        [
            new(1, "metadata", Kind.Message, ObjectMeta), new(2, "secrets", Kind.Message, ObjectReference, Repeated: true),
            new(3, "imagePullSecrets", Kind.Message, new Message("LocalObjectReference", [new(1, "name", Kind.String)]), Repeated: true),
            new(4, "automountServiceAccountToken", Kind.Bool),
        ]),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private enum Kind
    {
        String,
        Int,
        Bool,
        Time,
        Message,
        StringMap,
        BytesMap,
    }

    private sealed record Field(int Number, string Name, Kind Kind, Message? Message = null, bool Repeated = false);

    private sealed record Message(string Name, IReadOnlyList<Field> Fields);

    /// <summary>The kinds whose protobuf bodies are read.</summary>
    public static IReadOnlyCollection<string> SupportedKinds => Kinds.Keys;

    /// <summary>The JSON object a protobuf body carries; a 415 for another kind, a 400 for a malformed body.</summary>
    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < Magic.Length || !body.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw ApiException.BadRequest("the protobuf body does not start with the Kubernetes envelope \"k8s\\x00\"");
        }

        try
        {
            var reader = new Reader(body[Magic.Length..]);
            string apiVersion = "", kind = "";
            byte[] raw = [];
            while (!reader.End)
            {
                var (number, wire) = reader.Tag();
                switch (number)
                {
                    case 1 when wire == 2:
                        var typeMeta = new Reader(reader.Bytes());
                        while (!typeMeta.End)
                        {
                            var (n, w) = typeMeta.Tag();
                            if (n == 1 && w == 2)
                            {
                                apiVersion = typeMeta.String();
                            }
                            else if (n == 2 && w == 2)
                            {
                                kind = typeMeta.String();
                            }
                            else
                            {
                                typeMeta.Skip(w);
                            }
                        }

                        break;
                    case 2 when wire == 2:
                        raw = reader.Bytes();
                        break;
                    default:
                        reader.Skip(wire);
                        break;
                }
            }

            if (!Kinds.TryGetValue(kind, out var message))
            {
                throw new ApiException(415, "UnsupportedMediaType",
                    $"this test API server reads protobuf bodies of {string.Join(", ", Kinds.Keys.Order(StringComparer.Ordinal))} only, not {kind}: send JSON (kubectl create -f or apply -f)");
            }

            var obj = Read(new Reader(raw), message);
            obj["apiVersion"] = apiVersion;
            obj["kind"] = kind;
            return obj;
        }
        catch (IndexOutOfRangeException)
        {
            throw ApiException.BadRequest("the protobuf body is truncated");
        }
        catch (ArgumentOutOfRangeException)
        {
            throw ApiException.BadRequest("the protobuf body is truncated");
        }
    }

    private static JsonObject Read(Reader reader, Message message)
    {
        var obj = new JsonObject();
        while (!reader.End)
        {
            var (number, wire) = reader.Tag();
            var field = message.Fields.FirstOrDefault(f => f.Number == number);
            if (field is null)
            {
                reader.Skip(wire);
                continue;
            }

            JsonNode? value = field.Kind switch
            {
                Kind.String => Present(reader.String(), field.Repeated),
                Kind.Int => Present(reader.Varint(), field.Name is "deletionGracePeriodSeconds"),
                Kind.Bool => JsonValue.Create(reader.Varint() != 0),
                Kind.Time => TimeOf(Read(new Reader(reader.Bytes()), Time)),
                Kind.Message => Read(new Reader(reader.Bytes()), field.Message!),
                Kind.StringMap or Kind.BytesMap => MapEntry(new Reader(reader.Bytes()), field.Kind == Kind.BytesMap, obj, field.Name),
                _ => null,
            };
            if (value is null)
            {
                continue;
            }

            if (field.Repeated)
            {
                if (obj[field.Name] is not JsonArray list)
                {
                    list = [];
                    obj[field.Name] = list;
                }

                list.Add(value);
            }
            else
            {
                obj[field.Name] = value;
            }
        }

        return obj;
    }

    /// <summary>Go's omitempty: an empty string (unless an item of a list) or a zero number is left out.</summary>
    private static JsonNode? Present(string value, bool keepEmpty) => value.Length > 0 || keepEmpty ? JsonValue.Create(value) : null;

    private static JsonNode? Present(long value, bool keepZero) => value != 0 || keepZero ? JsonValue.Create(value) : null;

    /// <summary>Adds one map entry (a message of key 1, value 2) to obj[name]; returns null: the map is already in place.</summary>
    private static JsonNode? MapEntry(Reader entry, bool bytes, JsonObject obj, string name)
    {
        string key = "";
        JsonNode value = "";
        while (!entry.End)
        {
            var (n, w) = entry.Tag();
            if (n == 1 && w == 2)
            {
                key = entry.String();
            }
            else if (n == 2 && w == 2)
            {
                var data = entry.Bytes();
                value = bytes ? Convert.ToBase64String(data) : Encoding.UTF8.GetString(data);
            }
            else
            {
                entry.Skip(w);
            }
        }

        if (obj[name] is not JsonObject map)
        {
            map = [];
            obj[name] = map;
        }

        map[key] = value;
        return null;
    }

    private static JsonNode? TimeOf(JsonObject time)
    {
        var seconds = Semantics.JsonPathExpression.ToLong(time["seconds"]) ?? 0;
        return seconds == 0 ? null : WireTimes.Second(DateTimeOffset.FromUnixTimeSeconds(seconds));
    }

    /// <summary>A protobuf wire-format reader over one message's bytes.</summary>
    private sealed class Reader(byte[] data)
    {
        private int _at;

        public bool End => _at >= data.Length;

        public (int Number, int Wire) Tag()
        {
            var tag = Varint();
            return ((int)(tag >> 3), (int)(tag & 7));
        }

        public long Varint()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = data[_at++];
                result |= (ulong)(b & 0x7f) << shift;
                if ((b & 0x80) == 0)
                {
                    return (long)result;
                }
            }

            throw ApiException.BadRequest("the protobuf body has a malformed varint");
        }

        public byte[] Bytes()
        {
            var length = checked((int)Varint());
            var bytes = data.AsSpan(_at, length).ToArray();
            _at += length;
            return bytes;
        }

        public string String() => Encoding.UTF8.GetString(Bytes());

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0:
                    Varint();
                    break;
                case 1:
                    _at += 8;
                    break;
                case 2:
                    var length = checked((int)Varint()); // read first: "_at += Varint()" would add to the old _at
                    _at += length;
                    break;
                case 5:
                    _at += 4;
                    break;
                default:
                    throw ApiException.BadRequest($"the protobuf body has an unsupported wire type {wire}");
            }

            if (_at > data.Length)
            {
                throw ApiException.BadRequest("the protobuf body is truncated");
            }
        }
    }
}
