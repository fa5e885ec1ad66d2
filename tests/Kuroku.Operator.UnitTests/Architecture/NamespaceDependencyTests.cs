using Kuroku.Api.V1Alpha1;
using Kuroku.Operator.Reconciliation;
using Kuroku.Runtime.Controller;
using Mono.Cecil;

namespace Kuroku.Operator.UnitTests.Architecture;

/// <summary>
/// The layers as the compiled code has them (every type a type's signatures, attributes and method
/// bodies touch), so that a dependency hidden in a lambda or a parent namespace counts too.
/// </summary>
public sealed class NamespaceDependencyTests
{
    private static readonly Lazy<Dictionary<string, HashSet<string>>> Graph = new(Build);

    [Fact]
    public void The_runtime_knows_no_WebApp_and_nothing_of_the_operator()
    {
        var runtime = Graph.Value.Where(kv => kv.Key.StartsWith("Kuroku.Runtime", StringComparison.Ordinal));

        runtime.SelectMany(kv => kv.Value.Select(to => $"{kv.Key} -> {to}"))
            .Where(edge => edge.Contains("-> Kuroku.Api", StringComparison.Ordinal) || edge.Contains("-> Kuroku.Operator", StringComparison.Ordinal))
            .Should().BeEmpty();
    }

    [Fact]
    public void The_api_library_depends_on_neither_the_runtime_nor_the_operator()
    {
        Graph.Value.Where(kv => kv.Key.StartsWith("Kuroku.Api", StringComparison.Ordinal))
            .SelectMany(kv => kv.Value.Select(to => $"{kv.Key} -> {to}"))
            .Where(edge => !edge.Contains("-> Kuroku.Api", StringComparison.Ordinal))
            .Should().BeEmpty();
    }

    [Fact]
    public void No_two_namespaces_depend_on_each_other_even_through_others()
    {
        var cycles = StronglyConnected(Graph.Value).Where(c => c.Count > 1).Select(c => string.Join(" <-> ", c.Order(StringComparer.Ordinal)));

        cycles.Should().BeEmpty();
    }

    private static Dictionary<string, HashSet<string>> Build()
    {
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var assembly in new[] { typeof(WebApp).Assembly, typeof(ControllerManager<>).Assembly, typeof(WebAppReconciler).Assembly })
        {
            using var module = ModuleDefinition.ReadModule(assembly.Location);
            foreach (var type in module.GetTypes())
            {
                var from = NamespaceOf(type);
                if (!from.StartsWith("Kuroku.", StringComparison.Ordinal))
                {
                    continue;
                }

                var edges = graph.TryGetValue(from, out var set) ? set : graph[from] = new HashSet<string>(StringComparer.Ordinal);
                foreach (var to in References(type).Select(NamespaceOf).Where(n => n.StartsWith("Kuroku.", StringComparison.Ordinal) && n != from))
                {
                    edges.Add(to);
                }
            }
        }

        return graph;
    }

    // Nested (compiler-generated) types belong to their outermost declaring type's namespace.
    private static string NamespaceOf(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type.Namespace;
    }

    private static IEnumerable<TypeReference> References(TypeDefinition type)
    {
        IEnumerable<TypeReference> Expand(TypeReference? t)
        {
            if (t is null)
            {
                yield break;
            }

            yield return t.GetElementType();
            if (t is GenericInstanceType generic)
            {
                foreach (var argument in generic.GenericArguments.SelectMany(Expand))
                {
                    yield return argument;
                }
            }
        }

        var found = new List<TypeReference>();
        found.AddRange(Expand(type.BaseType));
        found.AddRange(type.Interfaces.SelectMany(i => Expand(i.InterfaceType)));
        found.AddRange(type.CustomAttributes.SelectMany(a => Expand(a.AttributeType)));
        found.AddRange(type.Fields.SelectMany(f => Expand(f.FieldType)));
        found.AddRange(type.Properties.SelectMany(p => Expand(p.PropertyType)));
        foreach (var method in type.Methods)
        {
            found.AddRange(Expand(method.ReturnType));
            found.AddRange(method.Parameters.SelectMany(p => Expand(p.ParameterType)));
            found.AddRange(method.CustomAttributes.SelectMany(a => Expand(a.AttributeType)));
            if (!method.HasBody)
            {
                continue;
            }

            found.AddRange(method.Body.Variables.SelectMany(v => Expand(v.VariableType)));
            foreach (var instruction in method.Body.Instructions)
            {
                found.AddRange(instruction.Operand switch
                {
                    TypeReference t => Expand(t),
                    MethodReference m => Expand(m.DeclaringType).Concat(Expand(m.ReturnType)).Concat(m is GenericInstanceMethod g ? g.GenericArguments.SelectMany(Expand) : []),
                    FieldReference f => Expand(f.DeclaringType).Concat(Expand(f.FieldType)),
                    _ => [],
                });
            }
        }

        return found;
    }

    // Tarjan's strongly connected components.
    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        var index = 0;
        var stack = new Stack<string>();
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<List<string>>();

        void Visit(string v)
        {
            indexes[v] = low[v] = index++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.GetValueOrDefault(v) ?? [])
            {
                if (!indexes.TryGetValue(w, out var wIndex))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], wIndex);
                }
            }

            if (low[v] == indexes[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                components.Add(component);
            }
        }

        foreach (var v in graph.Keys.ToList())
        {
            if (!indexes.ContainsKey(v))
            {
                Visit(v);
            }
        }

        return components;
    }
}
